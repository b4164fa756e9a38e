// Types for apt.mjs.

/** True when running as root on a system with apt-get. */
export function canUseApt(): boolean;

/** `apt-get update` then `apt-get install -y <name>`, printing apt's output. */
export function aptInstall(name: string): void;
