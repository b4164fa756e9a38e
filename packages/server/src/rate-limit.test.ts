// The rate-limit stores: the in-memory default, and Redis against a real redis-server (started by
// test/redis-setup.ts) with several handler instances sharing one limit, as on many machines.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createClient } from 'redis';
import { createEmulator, type Emulator } from '../../emulator/src/index.ts';
import { createRedisRateLimitStore, createTokenHandler, MemoryRateLimitStore, type RedisEval } from './index.ts';
import { toNodeListener } from './node.ts';
import { closeServers, listen } from './test-helpers.ts';

describe('MemoryRateLimitStore', () => {
  afterEach(() => void vi.useRealTimers());

  it('counts hits per key within a window and says when it resets', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const store = new MemoryRateLimitStore();
    expect(await store.hit('ip:a', 10_000)).toEqual({ count: 1, resetMs: 10_000 });
    vi.advanceTimersByTime(4_000);
    expect(await store.hit('ip:a', 10_000)).toEqual({ count: 2, resetMs: 6_000 });
    expect(await store.hit('ip:b', 10_000)).toEqual({ count: 1, resetMs: 10_000 });
  });

  it('starts a new window once the old one has ended', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 5; i++) await store.hit('user:ada', 1_000);
    vi.advanceTimersByTime(999);
    expect((await store.hit('user:ada', 1_000)).count).toBe(6);
    vi.advanceTimersByTime(1);
    expect(await store.hit('user:ada', 1_000)).toEqual({ count: 1, resetMs: 1_000 });
  });

  it('adds a cost per hit (characters, seconds), reads with 0 and gives back with a negative cost', async () => {
    const store = new MemoryRateLimitStore();
    expect((await store.hit('characters:user:ada', 60_000, 120)).count).toBe(120);
    expect((await store.hit('characters:user:ada', 60_000, 0)).count).toBe(120);
    expect((await store.hit('characters:user:ada', 60_000, -20)).count).toBe(100);
    expect((await store.hit('characters:user:ada', 60_000)).count).toBe(101);
  });

  it('sweeps finished windows, so memory follows active callers rather than every caller ever seen', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 1000; i++) await store.hit(`ip:10.0.${i >> 8}.${i & 255}`, 1_000);
    expect(store.size).toBe(1000);
    vi.advanceTimersByTime(1_001);
    await store.hit('ip:still-here', 1_000);
    expect(store.size).toBe(1);
  });

  it('holds at most maxKeys windows: a flood of new callers pushes out the windows that began first', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const store = new MemoryRateLimitStore({ maxKeys: 3 });
    await store.hit('ip:first', 60_000);
    vi.advanceTimersByTime(1);
    await store.hit('ip:second', 60_000);
    await store.hit('ip:first', 60_000); // a later hit does not make a window younger
    for (let i = 0; i < 10; i++) await store.hit(`ip:flood-${i}`, 60_000);
    expect(store.size).toBe(3);
    expect((await store.hit('ip:flood-9', 60_000)).count).toBe(2);
    expect((await store.hit('ip:first', 60_000)).count).toBe(1);
  });
});

describe('Redis store (real redis-server)', () => {
  type Client = ReturnType<typeof createClient>;
  const clients: Client[] = [];
  let emulator: Emulator;
  let run = 0;

  /** A fresh node-redis client, and the one-line adapter the README shows. */
  const connect = async () => {
    const client = createClient({ url: inject('redisUrl') });
    client.on('error', () => {}); // a destroyed client reports here; the store's caller sees the rejection
    await client.connect();
    clients.push(client);
    const evaluate: RedisEval = (script, keys, args) => client.eval(script, { keys, arguments: args });
    return { client, evaluate };
  };
  /** A key prefix of its own per test, so tests sharing the server never share counts. */
  const prefix = () => `elevenkit-test:${process.pid}:${++run}:`;

  beforeAll(async () => {
    if (!inject('redisUrl')) throw new Error(inject('redisError'));
    emulator = await createEmulator({ port: 0, apiKey: 'sk_redis_test', log: () => {} });
  });
  afterAll(async () => {
    await Promise.all(clients.filter((c) => c.isOpen).map((c) => c.close()));
    await closeServers();
    await emulator?.close();
  });

  it('counts atomically, with the window set on the first hit', async () => {
    const { client, evaluate } = await connect();
    const keys = prefix();
    const store = createRedisRateLimitStore(evaluate, keys);
    const hits = await Promise.all(Array.from({ length: 50 }, () => store.hit('ip:a', 60_000)));
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (const { resetMs } of hits) expect(resetMs).toBeGreaterThan(59_000);
    expect(await client.keys(`${keys}*`)).toEqual([`${keys}ip:a`]);
  });

  it('the window expires in Redis, and the count starts again', async () => {
    const { client, evaluate } = await connect();
    const keys = prefix();
    const store = createRedisRateLimitStore(evaluate, keys);
    await store.hit('ip:a', 500);
    expect((await store.hit('ip:a', 500)).count).toBe(2);
    await vi.waitFor(async () => expect(await client.exists(`${keys}ip:a`)).toBe(0), { timeout: 2_000 });
    expect((await store.hit('ip:a', 500)).count).toBe(1);
  });

  it('adds a cost per hit atomically, with the window set on the first', async () => {
    const { evaluate } = await connect();
    const store = createRedisRateLimitStore(evaluate, prefix());
    const hits = await Promise.all(Array.from({ length: 10 }, () => store.hit('seconds:ip:a', 60_000, 7)));
    expect(Math.max(...hits.map((h) => h.count))).toBe(70);
    expect((await store.hit('seconds:ip:a', 60_000, -7)).count).toBe(63);
    expect((await store.hit('seconds:ip:a', 60_000, 0)).resetMs).toBeGreaterThan(59_000);
  });

  it('repairs a counter that lost its expiry, so it can never block a caller forever', async () => {
    const { client, evaluate } = await connect();
    const keys = prefix();
    await client.set(`${keys}ip:a`, '41');
    const hit = await createRedisRateLimitStore(evaluate, keys).hit('ip:a', 5_000);
    expect(hit.count).toBe(42);
    expect(hit.resetMs).toBeGreaterThan(4_000);
    expect(await client.pTTL(`${keys}ip:a`)).toBeGreaterThan(4_000);
  });

  /** `count` handler instances, each with its own Redis client, on their own servers, sharing one limit. */
  const instances = async (count: number, limit: number, windowMs: number) => {
    const keys = prefix();
    return Promise.all(
      Array.from({ length: count }, async () => {
        const { evaluate } = await connect();
        const handler = createTokenHandler({
          apiKey: 'sk_redis_test',
          apiOrigin: emulator.url,
          agents: ['demo'],
          authorize: (request) => request.headers.get('x-user') ?? true,
          rateLimit: { limit, windowMs, store: createRedisRateLimitStore(evaluate, keys) },
        });
        return `${await listen(toNodeListener(handler))}/api/elevenlabs/signed-url?agent_id=demo`;
      }),
    );
  };

  it('several handler instances share one limit under concurrent load: exactly `limit` pass in total', async () => {
    const urls = await instances(4, 7, 60_000);
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => fetch(urls[i % urls.length]!).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(statuses.filter((s) => s === 429)).toHaveLength(33);
    // Each signed-in user has a window of their own across all instances.
    const ada = await Promise.all(urls.map((url) => fetch(url, { headers: { 'x-user': 'ada' } })));
    expect(ada.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('once the shared window expires, every instance lets callers through again', async () => {
    const urls = await instances(3, 2, 1_000);
    const first = await Promise.all(urls.map((url) => fetch(url).then((r) => r.status)));
    expect(first.sort()).toEqual([200, 200, 429]);
    const limited = await fetch(urls[0]!);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    await vi.waitFor(async () => expect((await fetch(urls[2]!)).status).toBe(200), { timeout: 3_000, interval: 100 });
    expect([(await fetch(urls[0]!)).status, (await fetch(urls[1]!)).status]).toEqual([200, 429]);
  });

  it('when Redis cannot be reached, requests are refused (503), never let through', async () => {
    const { client, evaluate } = await connect();
    const handler = createTokenHandler({
      apiKey: 'sk_redis_test',
      apiOrigin: emulator.url,
      agents: ['demo'],
      rateLimit: { limit: 100, windowMs: 60_000, store: createRedisRateLimitStore(evaluate, prefix()) },
    });
    client.destroy();
    const response = await handler(new Request('http://x/api/elevenlabs/signed-url?agent_id=demo'));
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe('rate_limit_unavailable');
  });
});
