// The token handler over real HTTP (Node adapter) against the emulator as ElevenLabs.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEmulator, type Emulator } from '../../emulator/src/index.ts';
import { createTokenHandler, type TokenHandlerOptions } from './index.ts';
import { toNodeListener } from './node.ts';

const KEY = 'sk_test_server_key_0123456789';
let emulator: Emulator;
const servers: Server[] = [];

beforeAll(async () => {
  emulator = await createEmulator({
    port: 0,
    apiKey: KEY,
    log: () => {},
    agents: [{ agent_id: 'private', auth_required: true, text_only: true, turn_timeout_seconds: -1 }],
  });
});
afterAll(async () => {
  servers.forEach((s) => s.close());
  await emulator.close();
});

async function serve(options: Partial<TokenHandlerOptions> = {}) {
  const handler = createTokenHandler({ apiKey: KEY, apiOrigin: emulator.url, agents: ['private', 'demo'], ...options });
  const server = createServer(toNodeListener(handler));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/elevenlabs`;
}

describe('routes', () => {
  it('GET signed-url returns a signed URL that opens a private conversation', async () => {
    const base = await serve();
    const res = await fetch(`${base}/signed-url?agent_id=private`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { signed_url } = (await res.json()) as { signed_url: string };
    expect(signed_url).toContain('agent_id=private&conversation_signature=');
    const ws = new WebSocket(signed_url, ['convai']);
    await once(ws, 'open');
    ws.send(JSON.stringify({ type: 'conversation_initiation_client_data' }));
    const [first] = await once(ws, 'message');
    expect(JSON.parse(String(first)).type).toBe('conversation_initiation_metadata');
    ws.close();
  });

  it('GET conversation-token and POST single-use-token/{type} return tokens', async () => {
    const base = await serve();
    const token = (await (await fetch(`${base}/conversation-token?agent_id=private`)).json()) as { token: string };
    expect(token.token).toBeTruthy();
    for (const type of ['realtime_scribe', 'tts_websocket']) {
      const res = await fetch(`${base}/single-use-token/${type}`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { token: string }).token).toMatch(/^sutkn_/);
    }
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
  });
});

describe('errors', () => {
  const cases: [string, Partial<TokenHandlerOptions>, string, RequestInit, number, string][] = [
    ['missing agent_id', {}, '/signed-url', {}, 400, 'missing_agent_id'],
    ['malformed agent_id', {}, '/signed-url?agent_id=../../v1/x', {}, 400, 'invalid_agent_id'],
    ['agent not allowed', {}, '/signed-url?agent_id=someone-else', {}, 403, 'agent_not_allowed'],
    ['authorize refuses', { authorize: () => false }, '/signed-url?agent_id=private', {}, 401, 'unauthorized'],
    [
      'bad key upstream',
      { apiKey: 'sk_wrong_key_9876543210' },
      '/signed-url?agent_id=private',
      {},
      502,
      'upstream_auth',
    ],
    ['unknown route', {}, '/nothing', {}, 404, 'not_found'],
    ['unknown token type', {}, '/single-use-token/batch', { method: 'POST' }, 404, 'not_found'],
    ['wrong method', {}, '/signed-url?agent_id=private', { method: 'POST' }, 405, 'method_not_allowed'],
    ['no key configured', { apiKey: '' }, '/signed-url?agent_id=private', {}, 500, 'server_misconfigured'],
  ];
  for (const [what, options, path, init, status, code] of cases) {
    it(`${what} → ${status} ${code}, without the key anywhere`, async () => {
      const base = await serve(options);
      const res = await fetch(`${base}${path}`, init);
      expect(res.status).toBe(status);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: { code, message: expect.any(String) } });
      expect(text + JSON.stringify([...res.headers])).not.toContain('sk_');
    });
  }

  it('upstream timeout → 504, unreachable → 502', async () => {
    const slow = createServer(() => {}); // accepts and never answers
    servers.push(slow);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const base = await serve({ apiOrigin: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, timeoutMs: 200 });
    const res = await fetch(`${base}/signed-url?agent_id=private`);
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([
      504,
      'upstream_timeout',
    ]);
    const closed = await serve({ apiOrigin: 'http://127.0.0.1:1' });
    const res2 = await fetch(`${closed}/signed-url?agent_id=private`);
    expect([res2.status, ((await res2.json()) as { error: { code: string } }).error.code]).toEqual([
      502,
      'upstream_unreachable',
    ]);
  });
});

describe('origins and rate limits', () => {
  it('answers allowed origins with CORS (preflight too) and refuses others without CORS headers', async () => {
    const base = await serve({ allowedOrigins: ['https://app.example'] });
    const preflight = await fetch(`${base}/signed-url?agent_id=private`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const ok = await fetch(`${base}/signed-url?agent_id=private`, { headers: { origin: 'https://app.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const refused = await fetch(`${base}/signed-url?agent_id=private`, { headers: { origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
  });

  it('limits per user and per IP; concurrent requests never pass the limit together', async () => {
    const base = await serve({
      authorize: (request) => request.headers.get('x-user') ?? true,
      rateLimit: { limit: 3, windowMs: 60_000 },
    });
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => fetch(`${base}/signed-url?agent_id=private`, { headers: { 'x-user': 'ada' } })),
    );
    expect(burst.filter((r) => r.status === 200)).toHaveLength(3);
    const limited = burst.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user has their own window; anonymous callers share their IP's.
    expect((await fetch(`${base}/signed-url?agent_id=private`, { headers: { 'x-user': 'bob' } })).status).toBe(200);
    const anonymous = await Promise.all(Array.from({ length: 5 }, () => fetch(`${base}/signed-url?agent_id=private`)));
    expect(anonymous.filter((r) => r.status === 200)).toHaveLength(3);
  });
});
