// Finds `redis-server` for the tests of the Redis rate-limit store; installs Debian's `redis-server` when it can.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { aptInstall, canUseApt } from './apt.mjs';

/** `REDIS_SERVER` if set, else `redis-server` on PATH (or Debian's /usr/bin/redis-server); `undefined` if none. */
export function findRedisServer() {
  const fromEnv = process.env.REDIS_SERVER;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`REDIS_SERVER is set to ${fromEnv}, but no file is there.`);
    return fromEnv;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined;
  }
}

/** Finds redis-server, or installs Debian's package as root; otherwise exits with one sentence saying what to install. */
export function ensureRedisServer() {
  const found = findRedisServer();
  if (found) return found;
  if (canUseApt()) {
    console.log('elevenkit: no redis-server found; installing Debian’s `redis-server` with apt-get…');
    aptInstall('redis-server');
    const installed = findRedisServer();
    if (installed) return installed;
  }
  console.error(
    'elevenkit: the Redis rate-limit tests need `redis-server`, which was not found; install it (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`) or set REDIS_SERVER to its executable, then run the command again.',
  );
  process.exit(1);
}
