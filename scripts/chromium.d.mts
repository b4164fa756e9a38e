// Types for chromium.mjs, which TypeScript code (vite.config.ts, tests) imports.

/** The first browser found: `CHROME_PATH`, then the usual install locations; `undefined` if none. */
export function findChromium(): string | undefined;

/** Finds Chromium, or installs Debian's package as root; otherwise exits with one sentence saying what to install. */
export function ensureChromium(): string;

/** Flags that keep headless Chromium offline and quiet on a closed network, with a fake microphone. */
export const chromiumArgs: string[];
