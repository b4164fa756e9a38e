// Installing a Debian package for the test setup, when this machine allows it (root with apt-get).
import { execFileSync } from 'node:child_process';

/** True when running as root on a system with apt-get. */
export function canUseApt() {
  try {
    execFileSync('apt-get', ['--version'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
}

/** `apt-get update` then `apt-get install -y <name>`, printing apt's output. */
export function aptInstall(name) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', name], { stdio: 'inherit', env });
}
