// Fixed-window rate limiting: an in-memory store for one process, a Redis store for many. A hit has a cost (1 for a
// request, the characters of a text, the seconds of a recording), so one store counts requests and usage alike.

export interface RateLimitHit {
  /** The sum of the costs in the current window, this hit's included. */
  count: number;
  /** ms until the window resets. */
  resetMs: number;
}

/**
 * Where counts live. `hit` adds `cost` (default 1; may be 0 to read, or negative to give back) atomically, so
 * concurrent requests never pass the limit together.
 */
export interface RateLimitStore {
  hit(key: string, windowMs: number, cost?: number): Promise<RateLimitHit>;
}

/**
 * Counts in this process's memory: right for one server; each machine counts alone. Finished windows are swept, and
 * at most `maxKeys` are held (default 100,000, a few MB): past that, a flood of new callers pushes out the windows that
 * began first, which forgives those callers the rest of their window rather than run out of memory.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  /** In the order the windows began, oldest first. */
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #maxKeys: number;
  #lastSweep = 0;

  constructor({ maxKeys = 100_000 }: { maxKeys?: number } = {}) {
    this.#maxKeys = Math.max(1, maxKeys);
  }

  async hit(key: string, windowMs: number, cost = 1): Promise<RateLimitHit> {
    const now = Date.now();
    if (now - this.#lastSweep > windowMs) this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      this.#windows.delete(key); // to the end of the order
      // Full: the window that began first goes (finished ones first, as they began first).
      if (this.#windows.size >= this.#maxKeys) this.#windows.delete(this.#windows.keys().next().value!);
      window = { count: 0, resetAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count += cost;
    return { count: window.count, resetMs: window.resetAt - now };
  }

  /** Windows held now: callers seen in the current window, plus finished windows not yet swept. */
  get size(): number {
    return this.#windows.size;
  }

  /** Drops finished windows so memory follows active callers, not every caller ever seen. */
  #sweep(now: number) {
    this.#lastSweep = now;
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}

/**
 * The one Redis command the store needs, so any client works:
 * - node-redis: `(script, keys, args) => client.eval(script, { keys, arguments: args })`
 * - ioredis:    `(script, keys, args) => client.eval(script, keys.length, ...keys, ...args)`
 */
export type RedisEval = (script: string, keys: string[], args: string[]) => Promise<unknown>;

// INCRBY and the expiry in one atomic step; returns [count, ms left]. A new key (or one that lost its expiry) gets
// the window.
const HIT = `local n = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/** Counts in Redis, so every instance of the endpoint shares one limit. */
export function createRedisRateLimitStore(evaluate: RedisEval, prefix = 'elevenkit:rl:'): RateLimitStore {
  return {
    async hit(key, windowMs, cost = 1) {
      const reply = await evaluate(HIT, [prefix + key], [String(windowMs), String(cost)]);
      const [count, ttl] = (reply as (number | string)[]).map(Number);
      return { count: count!, resetMs: ttl! };
    },
  };
}

/** A budget per user (or client IP) per window, in the route's own unit (characters of text, seconds of audio). */
export interface UsageLimit {
  limit: number;
  windowMs: number;
  /** Where the usage is counted. Default: `rateLimit.store` if you set one, else in memory. */
  store?: RateLimitStore;
}
