// Types for redis.mjs, which the Vitest global setup (test/redis-setup.ts) imports.

/** `REDIS_SERVER` if set, else `redis-server` on PATH (or Debian's /usr/bin/redis-server); `undefined` if none. */
export function findRedisServer(): string | undefined;

/** Finds redis-server, or installs Debian's package as root; otherwise exits with one sentence saying what to install. */
export function ensureRedisServer(): string;
