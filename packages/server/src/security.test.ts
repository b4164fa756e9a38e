// The security suite: every bad input and failure the endpoint can meet, against the emulator as ElevenLabs over real
// HTTP (Node adapter), and the key-leak scan: after every test, no response body or header and no line the logger
// received may contain the API key — as it is, URL-encoded or base64-encoded.
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { synthesize, toWav, type Emulator } from '../../emulator/src/index.ts';
import { createTokenHandler, type RateLimitStore, type TokenHandlerOptions } from './index.ts';
import { toNodeListener } from './node.ts';
import { closeServers, listen, recordingLogger, startUpstream } from './test-helpers.ts';

// Distinctive, and full of characters that URL-encoding changes.
const KEY = 'sk_LEAKSCAN+9f31c07d/e8a2b46f=K3y&?';
const WRONG_KEY = 'sk_WRONGKEY+5b7d9e1f/a3c5e7g9=W&?';

/** Every form a key could leak in: as it is, URL-encoded, and base64 at each of the three byte alignments. */
const leakForms = (key: string) => {
  const bytes = Buffer.from(key);
  const runs = [0, 1, 2].map((start) => bytes.subarray(start, start + Math.floor((bytes.length - start) / 3) * 3));
  return [
    key,
    encodeURIComponent(key),
    new URLSearchParams({ k: key }).toString().slice(2),
    ...runs.flatMap((run) => [run.toString('base64'), run.toString('base64url')]),
  ];
};
const NEEDLES = [...leakForms(KEY), ...leakForms(WRONG_KEY)];

let emulator: Emulator;
/** Everything the client saw and the logger received during the current test. */
let seen: string[] = [];
const log = recordingLogger();
/** Error codes observed across the file, so the scan is known to have covered every path. */
const codesSeen = new Set<string>();

beforeAll(async () => {
  emulator = await startUpstream(KEY);
});
afterAll(async () => {
  await closeServers();
  await emulator.close();
});

afterEach(() => {
  const everything = [...seen, ...log.lines];
  seen = [];
  log.lines.length = 0;
  expect(everything.length).toBeGreaterThan(0);
  for (const text of everything) for (const needle of NEEDLES) expect(text).not.toContain(needle);
});

/** The handler on a Node server, talking to the emulator with KEY, logging into `log`. Returns its route base. */
async function serve(options: Partial<TokenHandlerOptions> = {}) {
  const handler = createTokenHandler({
    apiKey: KEY,
    apiOrigin: emulator.url,
    agents: ['private', 'demo', 'ghost'], // `ghost` is allowed here but unknown to ElevenLabs
    logger: log,
    ...options,
  });
  return `${await listen(toNodeListener(handler))}/api/elevenlabs`;
}

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** Fetches, records the whole answer for the leak scan, and parses it. */
async function call(url: string, init?: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  seen.push(`${response.status} ${JSON.stringify([...response.headers])} ${text}`);
  // JSON, but for the speech routes' streams (NDJSON, audio), kept as text.
  const body =
    text && /^application\/json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text || null;
  if (body?.error?.code) codesSeen.add(body.error.code);
  return { status: response.status, headers: response.headers, body };
}

/** Sends one raw HTTP/1.1 request (for what fetch refuses to send), records and returns the raw answer. */
async function raw(base: string, target: string, headers: Record<string, string> = {}) {
  const { host, port } = new URL(base);
  const socket = connect(Number(port), '127.0.0.1');
  const lines = Object.entries({ host, ...headers, connection: 'close' }).map(([k, v]) => `${k}: ${v}\r\n`);
  socket.write(`GET ${target} HTTP/1.1\r\n${lines.join('')}\r\n`);
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk));
  await once(socket, 'close');
  seen.push(answer);
  return answer;
}

const corsHeaderNames = (headers: Headers) => [...headers.keys()].filter((name) => name.startsWith('access-control-'));

/** A local upstream for the answers the emulator never gives; it echoes the key it receives, as a hostile one might. */
async function stubUpstream(answer: (req: IncomingMessage, res: ServerResponse, echo: string) => void) {
  return listen((req, res) => {
    const key = String(req.headers['xi-api-key']);
    const echo = `${key} ${encodeURIComponent(key)} ${Buffer.from(`key=${key}`).toString('base64')}`;
    answer(req, res, echo);
  });
}
const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

interface Row {
  what: string;
  /** Handler options; a function for those that need a server started first. */
  options?: Partial<TokenHandlerOptions> | (() => Promise<Partial<TokenHandlerOptions>>);
  path: string;
  init?: RequestInit;
  status: number;
  code: string;
  check?: (answer: Answer) => void;
}

const SIGNED = '/signed-url?agent_id=private';

describe('bad input and failures: status, stable code, a sentence, no-store', () => {
  const rows: Row[] = [
    { what: 'missing agent_id', path: '/signed-url', status: 400, code: 'missing_agent_id' },
    { what: 'empty agent_id', path: '/conversation-token?agent_id=', status: 400, code: 'missing_agent_id' },
    ...['../../v1/user', 'private&include_conversation_id=true', 'a b', 'x'.repeat(129), 'privé'].map((id): Row => ({
      what: `malformed agent_id ${JSON.stringify(id.slice(0, 40))}`,
      path: `/signed-url?agent_id=${encodeURIComponent(id)}`,
      status: 400,
      code: 'invalid_agent_id',
    })),
    { what: 'agent not allowed', path: '/signed-url?agent_id=someone-else', status: 403, code: 'agent_not_allowed' },
    {
      what: 'agent refused by the predicate',
      options: { agents: (id) => id.startsWith('team-') },
      path: '/conversation-token?agent_id=private',
      status: 403,
      code: 'agent_not_allowed',
    },
    {
      what: 'origin not allowed: 403 without any CORS header',
      options: { allowedOrigins: ['https://app.example'] },
      path: SIGNED,
      init: { headers: { origin: 'https://evil.example' } },
      status: 403,
      code: 'origin_not_allowed',
      check: ({ headers }) => expect(corsHeaderNames(headers)).toEqual([]),
    },
    ...[false, null, undefined, ''].map((result): Row => ({
      what: `authorize refuses (returns ${JSON.stringify(result)})`,
      options: { authorize: () => result },
      path: SIGNED,
      status: 401,
      code: 'unauthorized',
    })),
    {
      what: 'rate limited: 429 with Retry-After',
      options: { rateLimit: { limit: 1, windowMs: 60_000 } },
      path: '/single-use-token/tts_websocket',
      init: { method: 'POST' },
      status: 429,
      code: 'rate_limited',
      check: ({ headers }) => expect(Number(headers.get('retry-after'))).toBeGreaterThanOrEqual(59),
    },
    {
      what: "upstream 401 (a wrong key): 502 saying the server's key was rejected",
      options: { apiKey: WRONG_KEY },
      path: SIGNED,
      status: 502,
      code: 'upstream_auth',
      check: ({ body }) => expect(body.error.message).toMatch(/rejected this server's API key/),
    },
    {
      what: 'upstream 404 (an allowed agent ElevenLabs does not know)',
      path: '/signed-url?agent_id=ghost',
      status: 404,
      code: 'agent_not_found',
      check: ({ body }) => expect(body.error.message).toContain('ghost'),
    },
    // The emulator never answers these (the handler validates first), so a local stub does.
    {
      what: "upstream 422: 422 with ElevenLabs' reason",
      options: async () => ({
        apiOrigin: await stubUpstream((_req, res, echo) =>
          sendJson(res, 422, { detail: [{ loc: ['query', 'agent_id'], msg: `bad agent for ${echo}` }] }),
        ),
      }),
      path: SIGNED,
      status: 422,
      code: 'upstream_invalid_request',
      check: ({ body }) => expect(body.error.message).toMatch(/^bad agent for \[redacted]/),
    },
    {
      what: 'upstream 429 (too many concurrent requests): 429 with its Retry-After',
      options: async () => ({
        apiOrigin: await stubUpstream((_req, res, echo) =>
          sendJson(
            res,
            429,
            { detail: { status: 'too_many_concurrent_requests', message: echo } },
            { 'retry-after': '7' },
          ),
        ),
      }),
      path: SIGNED,
      status: 429,
      code: 'upstream_rate_limited',
      check: ({ headers }) => expect(headers.get('retry-after')).toBe('7'),
    },
    {
      what: 'upstream 401 quota_exceeded: 502 saying the account is out of credits, not that the key is bad',
      options: async () => ({
        apiOrigin: await stubUpstream((_req, res, echo) =>
          sendJson(res, 401, { detail: { status: 'quota_exceeded', message: `quota exceeded for ${echo}` } }),
        ),
      }),
      path: '/single-use-token/realtime_scribe',
      init: { method: 'POST' },
      status: 502,
      code: 'upstream_quota_exceeded',
    },
    {
      what: 'upstream 500',
      options: async () => ({
        apiOrigin: await stubUpstream((_req, res, echo) => sendJson(res, 500, { detail: echo })),
      }),
      path: SIGNED,
      status: 502,
      code: 'upstream_error',
    },
    {
      what: 'upstream 200 that is not JSON',
      options: async () => ({ apiOrigin: await stubUpstream((_req, res, echo) => res.end(`<html>${echo}</html>`)) }),
      path: SIGNED,
      status: 502,
      code: 'upstream_invalid_response',
    },
    {
      what: 'upstream 200 without a signed_url',
      options: async () => ({ apiOrigin: await stubUpstream((_req, res, echo) => sendJson(res, 200, { url: echo })) }),
      path: SIGNED,
      status: 502,
      code: 'upstream_invalid_response',
    },
    {
      what: 'upstream timeout (no answer): 504',
      options: async () => ({ apiOrigin: await stubUpstream(() => {}), timeoutMs: 200 }),
      path: SIGNED,
      status: 504,
      code: 'upstream_timeout',
    },
    {
      what: 'upstream timeout (headers, then the body stalls): 504',
      options: async () => ({
        apiOrigin: await stubUpstream((_req, res) =>
          res.writeHead(200, { 'content-type': 'application/json' }).write('{'),
        ),
        timeoutMs: 200,
      }),
      path: SIGNED,
      status: 504,
      code: 'upstream_timeout',
    },
    {
      what: 'network failure (nothing listens): 502',
      options: async () => ({ apiOrigin: await closedOrigin() }),
      path: SIGNED,
      status: 502,
      code: 'upstream_unreachable',
    },
    ...[
      '/nothing',
      '',
      '/',
      '/health/extra',
      '/signed-url/',
      '/single-use-token/batch_scribe',
      '/single-use-token',
    ].map((path): Row => ({ what: `unknown route ${JSON.stringify(path)}`, path, status: 404, code: 'not_found' })),
    {
      // Its token is bound to no voice or length: it would get around the text-to-speech route's allowlists.
      what: 'a tts_websocket token where textToSpeech limits voices, unless singleUseTokenTypes names it',
      options: { textToSpeech: { voices: ['21m00Tcm4TlvDq8ikWAM'] } },
      path: '/single-use-token/tts_websocket',
      init: { method: 'POST' },
      status: 404,
      code: 'not_found',
    },
    {
      what: 'a token type this server does not mint',
      options: { singleUseTokenTypes: ['realtime_scribe'] },
      path: '/single-use-token/tts_websocket',
      init: { method: 'POST' },
      status: 404,
      code: 'not_found',
    },
    ...(
      [
        ['POST', SIGNED, 'GET, OPTIONS'],
        ['DELETE', '/conversation-token?agent_id=private', 'GET, OPTIONS'],
        ['GET', '/single-use-token/tts_websocket', 'POST, OPTIONS'],
        ['PUT', '/health', 'GET, OPTIONS'],
      ] as const
    ).map(([method, path, allow]): Row => ({
      what: `wrong method ${method} ${path}`,
      path,
      init: { method },
      status: 405,
      code: 'method_not_allowed',
      check: ({ headers }) => expect(headers.get('allow')).toBe(allow),
    })),
    {
      what: 'no key configured: 500 saying so',
      options: { apiKey: '' },
      path: SIGNED,
      status: 500,
      code: 'server_misconfigured',
    },
    {
      what: 'authorize throws (an error carrying the key): 500 internal_error',
      options: { authorize: () => Promise.reject(new Error(`session store down; ${leakForms(KEY).join(' ')}`)) },
      path: SIGNED,
      status: 500,
      code: 'internal_error',
      check: () => expect(log.lines.some((line) => line.includes('session store down'))).toBe(true),
    },
    {
      what: 'the agents predicate throws (an error carrying the key): 500 internal_error',
      options: {
        agents: () => {
          throw new TypeError(`cannot read agents of ${leakForms(KEY).join(' ')}`);
        },
      },
      path: SIGNED,
      status: 500,
      code: 'internal_error',
    },
    {
      what: 'the rate-limit store fails: 503, failing closed',
      options: {
        rateLimit: { limit: 5, windowMs: 1000, store: { hit: () => Promise.reject(new Error(`redis: ${KEY}`)) } },
      },
      path: SIGNED,
      status: 503,
      code: 'rate_limit_unavailable',
    },
  ];

  it.each(rows)('$what → $status $code', async ({ options, path, init, status, code, check }) => {
    const base = await serve(typeof options === 'function' ? await options() : options);
    if (code === 'rate_limited') await call(`${base}${path}`, init); // the one allowed
    const answer = await call(`${base}${path}`, init);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: { code, message: expect.stringMatching(/\w.{8,}/) } });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    // Every failure is in the log, and every request has its line.
    expect(log.lines.some((line) => line.startsWith('info token request') && line.includes(`"status":${status}`))).toBe(
      true,
    );
    if (status >= 500) expect(log.lines.some((line) => /^(warn|error) /.test(line))).toBe(true);
    check?.(answer);
  });

  it('a Host header that makes no URL, or one with credentials: 400, and the server keeps answering', async () => {
    const base = await serve();
    for (const host of ['exa mple:80', 'user:secret@127.0.0.1']) {
      const answer = await raw(base, '/api/elevenlabs/health', { host });
      expect(answer).toMatch(/^HTTP\/1.1 400/);
      expect(answer).toContain('"code":"bad_request"');
    }
    codesSeen.add('bad_request');
    expect((await call(`${base}/health`)).status).toBe(200);
  });
});

describe('CORS and the Origin check', () => {
  const preflight = (origin: string, method = 'GET') => ({
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
  });

  it('preflight from an allowed origin: 204 with the CORS answer; the request then carries CORS headers', async () => {
    const base = await serve({ allowedOrigins: ['https://app.example'] });
    const allowed = await call(`${base}${SIGNED}`, preflight('https://app.example'));
    expect(allowed.status).toBe(204);
    expect(allowed.body).toBeNull();
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const post = await call(`${base}/single-use-token/tts_websocket`, preflight('https://app.example', 'POST'));
    expect(post.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');

    const real = await call(`${base}${SIGNED}`, { headers: { origin: 'https://app.example' } });
    expect(real.status).toBe(200);
    expect(real.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(real.headers.get('vary')).toBe('Origin');
    // Errors carry CORS too, so the page can read them, and Retry-After (and a speech request's id) from script.
    const error = await call(`${base}/signed-url`, { headers: { origin: 'https://app.example' } });
    expect(error.status).toBe(400);
    expect(error.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(error.headers.get('access-control-expose-headers')).toBe('Retry-After, request-id');
  });

  it('preflight from any other origin: 403 without CORS headers, so the browser never sends the request', async () => {
    const base = await serve({ allowedOrigins: ['https://app.example'] });
    for (const origin of ['https://evil.example', 'https://app.example.evil', 'http://app.example', 'null']) {
      const refused = await call(`${base}${SIGNED}`, preflight(origin));
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('origin_not_allowed');
      expect(corsHeaderNames(refused.headers)).toEqual([]);
    }
  });

  it('without allowedOrigins only same-origin pages may call, including over https behind a TLS proxy', async () => {
    const base = await serve();
    const { host } = new URL(base);
    expect((await call(`${base}${SIGNED}`, { headers: { origin: `http://${host}` } })).status).toBe(200);
    // The proxy ends TLS: the page is https, the request reaching Node is http, on the same host.
    const proxied = await call(`${base}/single-use-token/tts_websocket`, {
      method: 'POST',
      headers: { origin: `https://${host}` },
    });
    expect(proxied.status).toBe(200);
    expect(corsHeaderNames(proxied.headers)).toEqual([]);
    expect((await call(`${base}${SIGNED}`, { headers: { origin: 'https://app.example' } })).status).toBe(403);
  });

  it('a request target naming another host (//evil.example/…) cannot make that host look like our own', async () => {
    const base = await serve();
    for (const target of [
      '//evil.example/api/elevenlabs/signed-url?agent_id=private',
      'http://evil.example/api/elevenlabs/signed-url?agent_id=private',
    ]) {
      const answer = await raw(base, target, { origin: 'https://evil.example' });
      expect(answer).toMatch(/^HTTP\/1.1 (403|404)/);
      expect(answer).not.toContain('signed_url');
    }
  });

  it("allowedOrigins '*': any page may call, but never with the user's cookies", async () => {
    const base = await serve({ allowedOrigins: '*' });
    for (const origin of ['https://anyone.example', 'null']) {
      const pre = await call(`${base}${SIGNED}`, preflight(origin));
      expect(pre.status).toBe(204);
      const real = await call(`${base}${SIGNED}`, { headers: { origin } });
      expect(real.status).toBe(200);
      for (const { headers } of [pre, real]) {
        expect(headers.get('access-control-allow-origin')).toBe('*');
        expect(headers.get('access-control-allow-credentials')).toBeNull();
      }
    }
  });

  it('allowedOrigins as a check', async () => {
    const base = await serve({ allowedOrigins: (origin) => origin.endsWith('.app.example') });
    expect((await call(`${base}${SIGNED}`, { headers: { origin: 'https://eu.app.example' } })).status).toBe(200);
    expect((await call(`${base}${SIGNED}`, { headers: { origin: 'https://app.example' } })).status).toBe(403);
  });
});

describe('rate limiting', () => {
  const user = (name: string) => ({ headers: { 'x-user': name } });
  const statuses = async (requests: Promise<Answer>[]) => (await Promise.all(requests)).map((a) => a.status).sort();

  it('per user: each signed-in user has their own window', async () => {
    const base = await serve({
      authorize: (request) => request.headers.get('x-user') ?? false,
      rateLimit: { limit: 2, windowMs: 60_000 },
    });
    for (const name of ['ada', 'bob']) {
      expect(await statuses([1, 2, 3].map(() => call(`${base}${SIGNED}`, user(name))))).toEqual([200, 200, 429]);
    }
  });

  it('per IP: anonymous callers share their address; a spoofed X-Forwarded-For or CF-Connecting-IP changes nothing', async () => {
    const base = await serve({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const spoofed = Array.from({ length: 6 }, (_, i) =>
      call(`${base}${SIGNED}`, { headers: { 'x-forwarded-for': `10.0.0.${i}`, 'cf-connecting-ip': `10.1.0.${i}` } }),
    );
    expect(await statuses(spoofed)).toEqual([200, 200, 200, 429, 429, 429]);
  });

  it('trustProxy: the proxy-appended X-Forwarded-For entry is the client; what the caller wrote to its left is not', async () => {
    const base = await serve({ rateLimit: { limit: 1, windowMs: 60_000, trustProxy: true } });
    const via = (xff: string) => call(`${base}${SIGNED}`, { headers: { 'x-forwarded-for': xff } });
    expect((await via('203.0.113.1')).status).toBe(200);
    expect((await via('203.0.113.2')).status).toBe(200); // another client, its own window
    expect((await via('1.1.1.1, 203.0.113.1')).status).toBe(429); // the caller's own entry is ignored
    const two = await serve({ rateLimit: { limit: 1, windowMs: 60_000, trustProxy: 2 } });
    const via2 = (xff: string) => call(`${two}${SIGNED}`, { headers: { 'x-forwarded-for': xff } });
    expect((await via2('9.9.9.9, 203.0.113.7, 10.0.0.1')).status).toBe(200);
    expect((await via2('8.8.8.8, 203.0.113.7, 10.0.0.2')).status).toBe(429);
  });

  it('per IP: an IPv6 caller is its /64, so a fresh address from the same network gets no fresh limit', async () => {
    const base = await serve({ rateLimit: { limit: 1, windowMs: 60_000, trustProxy: true } });
    const via = (xff: string) => call(`${base}${SIGNED}`, { headers: { 'x-forwarded-for': xff } });
    expect((await via('2001:db8:1:2::1')).status).toBe(200);
    expect((await via('2001:db8:1:2:ffff:1:2:3')).status).toBe(429); // the same /64
    expect((await via('2001:0db8:0001:0002::9')).status).toBe(429); // written longhand
    expect((await via('2001:db8:1:3::1')).status).toBe(200); // the next /64: another network
    expect((await via('203.0.113.9')).status).toBe(200);
    expect((await via('::ffff:203.0.113.9')).status).toBe(429); // the same IPv4 caller, IPv4-mapped
  });

  it('clientIp: your own way to tell callers apart', async () => {
    const base = await serve({
      rateLimit: { limit: 1, windowMs: 60_000, clientIp: (request) => request.headers.get('x-edge-ip') ?? undefined },
    });
    const from = (ip: string) => call(`${base}${SIGNED}`, { headers: { 'x-edge-ip': ip } });
    expect([(await from('a')).status, (await from('b')).status, (await from('a')).status]).toEqual([200, 200, 429]);
  });

  it('anonymous callers on a platform that does not tell the IP share one limit, and the log says so once', async () => {
    const handler = createTokenHandler({
      apiKey: KEY,
      apiOrigin: emulator.url,
      agents: ['private'],
      logger: log,
      rateLimit: { limit: 1, windowMs: 60_000 },
    });
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const response = await handler(new Request(`http://x/api/elevenlabs${SIGNED}`));
      answers.push(response.status);
      seen.push(await response.text());
    }
    expect(answers).toEqual([200, 429, 429]);
    expect(log.lines.filter((line) => line.includes('client IP is unknown'))).toHaveLength(1);
  });

  it('concurrent requests near the limit: exactly the limit pass', async () => {
    const base = await serve({
      authorize: (request) => request.headers.get('x-user') ?? true,
      rateLimit: { limit: 5, windowMs: 60_000 },
    });
    const burst = await statuses([
      ...Array.from({ length: 20 }, () => call(`${base}${SIGNED}`, user('ada'))),
      ...Array.from({ length: 20 }, () => call(`${base}${SIGNED}`)),
    ]);
    expect(burst.filter((s) => s === 200)).toHaveLength(10); // 5 for ada, 5 for the anonymous IP
    expect(burst.filter((s) => s === 429)).toHaveLength(30);
  });

  it('health is never limited, refused requests still count', async () => {
    const counted: string[] = [];
    const store: RateLimitStore = {
      hit: async (key) => (counted.push(key), { count: counted.length, resetMs: 1000 }),
    };
    const base = await serve({ rateLimit: { limit: 100, windowMs: 1000, store } });
    await call(`${base}/health`);
    await call(`${base}/signed-url?agent_id=nobody`);
    expect(counted).toEqual(['ip:127.0.0.1']);
  });

  it('rejects a limit that cannot work at creation', () => {
    for (const rateLimit of [
      { limit: 0, windowMs: 1000 },
      { limit: 1.5, windowMs: 1000 },
      { limit: 5, windowMs: 0 },
    ]) {
      expect(() => createTokenHandler({ agents: [], rateLimit })).toThrow(/rateLimit/);
    }
    seen.push('(nothing sent)');
  });
});

describe('the text-to-speech route: refusals and failures, every one without the key', () => {
  const TTS = '/text-to-speech';
  const speak = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const hello = speak({ text: 'Hello.', voice_id: 'JBFqnCBsd6RMkjVDRZzb' });
  const tts = (options: Partial<TokenHandlerOptions> = {}): Partial<TokenHandlerOptions> => ({
    textToSpeech: { voices: () => true },
    ...options,
  });
  /** A stub answering every request with an error that echoes the key. */
  const refusing = (status: number, detail: (echo: string) => unknown) => async () =>
    tts({ apiOrigin: await stubUpstream((_req, res, echo) => sendJson(res, status, { detail: detail(echo) })) });

  const rows: Row[] = [
    { what: 'no text', path: TTS, init: speak({ voice_id: 'v' }), options: tts(), status: 400, code: 'invalid_text' },
    {
      what: 'bad voice id',
      path: TTS,
      init: speak({ text: 'x', voice_id: 'a/b' }),
      options: tts(),
      status: 400,
      code: 'invalid_voice_id',
    },
    {
      what: 'bad model id',
      path: TTS,
      init: speak({ text: 'x', voice_id: 'v', model_id: 'a b' }),
      options: tts(),
      status: 400,
      code: 'invalid_model_id',
    },
    {
      what: 'bad output format',
      path: TTS,
      init: speak({ text: 'x', voice_id: 'v', output_format: '?' }),
      options: tts(),
      status: 400,
      code: 'invalid_output_format',
    },
    {
      what: 'timestamps not a boolean',
      path: TTS,
      init: speak({ text: 'x', voice_id: 'v', timestamps: 1 }),
      options: tts(),
      status: 400,
      code: 'invalid_timestamps',
    },
    { what: 'not JSON', path: TTS, init: speak('{"text":'), options: tts(), status: 400, code: 'invalid_body' },
    {
      what: 'not sent as JSON',
      path: TTS,
      init: { ...hello, headers: { 'content-type': 'text/plain' } },
      options: tts(),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      what: 'a body far over any text limit',
      path: TTS,
      init: speak({ text: 'x', voice_id: 'v', previous_text: 'p'.repeat(100_000) }),
      options: tts({ textToSpeech: { voices: () => true, maxTextLength: 10 } }),
      status: 413,
      code: 'body_too_large',
    },
    {
      what: 'text over maxTextLength',
      path: TTS,
      init: speak({ text: 'eleven char', voice_id: 'v' }),
      options: tts({ textToSpeech: { voices: () => true, maxTextLength: 10 } }),
      status: 413,
      code: 'text_too_long',
    },
    {
      what: 'voice not allowed',
      path: TTS,
      init: hello,
      options: tts({ textToSpeech: { voices: ['someone-else'] } }),
      status: 403,
      code: 'voice_not_allowed',
    },
    {
      what: 'model not allowed',
      path: TTS,
      init: hello,
      options: tts({ textToSpeech: { voices: () => true, models: (id) => id.startsWith('eleven_flash') } }),
      status: 403,
      code: 'model_not_allowed',
    },
    {
      what: 'TTS: upstream 404 echoing the key: voice_not_found, redacted',
      path: TTS,
      init: hello,
      options: refusing(404, (echo) => ({ status: 'voice_not_found', message: `no voice for ${echo}` })),
      status: 404,
      code: 'voice_not_found',
      check: ({ body }) => expect(body.error.message).toMatch(/^no voice for \[redacted]/),
    },
    {
      what: 'TTS: upstream 400 max_character_limit_exceeded echoing the key: text_too_long, redacted',
      path: TTS,
      init: hello,
      options: refusing(400, (echo) => ({ status: 'max_character_limit_exceeded', message: `too long: ${echo}` })),
      status: 400,
      code: 'text_too_long',
    },
    {
      what: 'TTS: upstream 422 echoing the key',
      path: TTS,
      init: hello,
      options: refusing(422, (echo) => [{ loc: ['body', 'text'], msg: echo }]),
      status: 422,
      code: 'upstream_invalid_request',
    },
    {
      what: 'TTS: upstream 401 quota_exceeded: 401, out of credits',
      path: TTS,
      init: hello,
      options: refusing(401, (echo) => ({ status: 'quota_exceeded', message: echo })),
      status: 401,
      code: 'upstream_quota_exceeded',
    },
    {
      what: "TTS: a wrong key: 502, the server's key was rejected",
      path: TTS,
      init: hello,
      options: tts({ apiKey: WRONG_KEY }),
      status: 502,
      code: 'upstream_auth',
    },
    {
      what: 'TTS: upstream 429 with Retry-After',
      path: TTS,
      init: hello,
      options: async () =>
        tts({
          apiOrigin: await stubUpstream((_req, res, echo) =>
            sendJson(res, 429, { detail: { status: 'system_busy', message: echo } }, { 'retry-after': '3' }),
          ),
        }),
      status: 429,
      code: 'upstream_rate_limited',
      check: ({ headers }) => expect(headers.get('retry-after')).toBe('3'),
    },
    {
      what: 'TTS: upstream 500',
      path: TTS,
      init: hello,
      options: refusing(500, (echo) => echo),
      status: 502,
      code: 'upstream_error',
    },
    {
      what: 'TTS: upstream timeout (no headers): 504',
      path: TTS,
      init: hello,
      options: async () => tts({ apiOrigin: await stubUpstream(() => {}), timeoutMs: 200 }),
      status: 504,
      code: 'upstream_timeout',
    },
    {
      what: 'TTS: nothing listens: 502',
      path: TTS,
      init: hello,
      options: async () => tts({ apiOrigin: await closedOrigin() }),
      status: 502,
      code: 'upstream_unreachable',
    },
    {
      what: 'TTS: no key configured: 500',
      path: TTS,
      init: hello,
      options: tts({ apiKey: '' }),
      status: 500,
      code: 'server_misconfigured',
    },
    {
      what: 'TTS: over the character budget: 429',
      path: TTS,
      init: speak({ text: 'x'.repeat(20), voice_id: 'JBFqnCBsd6RMkjVDRZzb' }),
      options: tts({ textToSpeech: { voices: () => true, characterLimit: { limit: 10, windowMs: 60_000 } } }),
      status: 429,
      code: 'rate_limited',
    },
    {
      what: 'TTS: GET',
      path: TTS,
      options: tts(),
      status: 405,
      code: 'method_not_allowed',
      check: ({ headers }) => expect(headers.get('allow')).toBe('POST, OPTIONS'),
    },
    { what: 'TTS: off unless configured', path: TTS, init: hello, status: 404, code: 'not_found' },
  ];

  it.each(rows)('$what → $status $code', async ({ options, path, init, status, code, check }) => {
    const base = await serve(typeof options === 'function' ? await options() : options);
    const answer = await call(`${base}${path}`, init);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: { code, message: expect.stringMatching(/\w.{8,}/) } });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    if (status >= 500) expect(log.lines.some((line) => /^(warn|error) /.test(line))).toBe(true);
    check?.(answer);
  });

  it('a stream that plays: the audio and its headers carry no key (nor does the log)', async () => {
    const base = await serve(tts());
    const answer = await call(`${base}${TTS}`, hello);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('audio_base64');
  });
});

describe('the speech-to-text route: refusals and failures, every one without the key', () => {
  const STT = '/speech-to-text';
  const upload = (fields: Record<string, string>, file?: { bytes: Uint8Array; type: string }): RequestInit => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    if (file) form.append('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }), 'take');
    return { method: 'POST', body: form };
  };
  const take = upload({ model_id: 'scribe_v1' }, { bytes: new Uint8Array(2_000), type: 'audio/webm' });
  const stt = (options: Partial<TokenHandlerOptions> = {}): Partial<TokenHandlerOptions> => ({
    speechToText: { maxBytes: 10_000, maxDurationSeconds: 1 },
    ...options,
  });
  const refusing = (status: number, detail: (echo: string) => unknown) => async () =>
    stt({
      apiOrigin: await stubUpstream((req, res, echo) => {
        req.resume();
        req.on('end', () => sendJson(res, status, { detail: detail(echo) }));
      }),
    });
  const silentWav = (seconds: number) => {
    const bytes = new Uint8Array(44 + seconds * 32_000);
    const view = new DataView(bytes.buffer);
    bytes.set(new TextEncoder().encode('RIFF'), 0);
    bytes.set(new TextEncoder().encode('WAVEfmt '), 8);
    view.setUint32(16, 16, true);
    view.setUint32(28, 32_000, true); // bytes per second
    return bytes;
  };

  const rows: Row[] = [
    {
      what: 'STT: over maxBytes',
      path: STT,
      init: upload({}, { bytes: new Uint8Array(20_000), type: 'audio/webm' }),
      options: stt(),
      status: 413,
      code: 'file_too_large',
    },
    {
      what: 'STT: a WAV over maxDurationSeconds',
      path: STT,
      init: upload({}, { bytes: silentWav(2), type: 'audio/wav' }),
      options: stt({ speechToText: { maxDurationSeconds: 1 } }),
      status: 413,
      code: 'audio_too_long',
    },
    {
      what: 'STT: a type not accepted',
      path: STT,
      init: upload({}, { bytes: new Uint8Array(10), type: 'video/x-flv' }),
      options: stt(),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      what: 'STT: no file',
      path: STT,
      init: upload({ model_id: 'scribe_v1' }),
      options: stt(),
      status: 400,
      code: 'missing_file',
    },
    {
      what: 'STT: upstream 401 quota_exceeded echoing the key',
      path: STT,
      init: take,
      options: refusing(401, (echo) => ({ status: 'quota_exceeded', message: echo })),
      status: 401,
      code: 'upstream_quota_exceeded',
    },
    {
      what: 'STT: upstream 400 echoing the key',
      path: STT,
      init: take,
      options: refusing(400, (echo) => ({ status: 'invalid_audio', message: `cannot decode for ${echo}` })),
      status: 400,
      code: 'upstream_invalid_request',
      check: ({ body }) => expect(body.error.message).toMatch(/^cannot decode for \[redacted]/),
    },
    {
      what: 'STT: upstream 200 that is not JSON',
      path: STT,
      init: take,
      options: async () =>
        stt({
          apiOrigin: await stubUpstream((req, res, echo) => {
            req.resume();
            req.on('end', () => res.end(`<html>${echo}</html>`));
          }),
        }),
      status: 502,
      code: 'upstream_invalid_response',
    },
    {
      what: "STT: a wrong key: 502, the server's key was rejected",
      path: STT,
      init: take,
      options: stt({ apiKey: WRONG_KEY }),
      status: 502,
      code: 'upstream_auth',
    },
    { what: 'STT: off unless configured', path: STT, init: take, status: 404, code: 'not_found' },
  ];

  it.each(rows)('$what → $status $code', async ({ options, path, init, status, code, check }) => {
    const base = await serve(typeof options === 'function' ? await options() : options);
    const answer = await call(`${base}${path}`, init);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: { code, message: expect.stringMatching(/\w.{8,}/) } });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    check?.(answer);
  });

  it('a transcript: neither it nor the log carries the key', async () => {
    const base = await serve(stt({ speechToText: {} }));
    const wav = toWav(synthesize('hello there', 16_000).samples, 16_000);
    const answer = await call(`${base}${STT}`, upload({ model_id: 'scribe_v1' }, { bytes: wav, type: 'audio/wav' }));
    expect(answer.status).toBe(200);
    expect(answer.body.text).toBe('hello there');
  });
});

describe('the key-leak scan', () => {
  it('covered every error code the endpoint has', () => {
    seen.push('(summary)');
    expect([...codesSeen].sort()).toEqual(
      [
        'agent_not_allowed',
        'agent_not_found',
        'audio_too_long',
        'bad_request',
        'file_too_large',
        'missing_file',
        'body_too_large',
        'invalid_body',
        'invalid_model_id',
        'invalid_output_format',
        'invalid_text',
        'invalid_timestamps',
        'invalid_voice_id',
        'model_not_allowed',
        'text_too_long',
        'unsupported_media_type',
        'voice_not_allowed',
        'voice_not_found',
        'internal_error',
        'invalid_agent_id',
        'method_not_allowed',
        'missing_agent_id',
        'not_found',
        'origin_not_allowed',
        'rate_limit_unavailable',
        'rate_limited',
        'server_misconfigured',
        'unauthorized',
        'upstream_auth',
        'upstream_error',
        'upstream_invalid_request',
        'upstream_invalid_response',
        'upstream_quota_exceeded',
        'upstream_rate_limited',
        'upstream_timeout',
        'upstream_unreachable',
      ].sort(),
    );
  });

  it('the scan itself finds a key in each encoding', () => {
    seen.push('(self-test)');
    const planted = [
      `x ${KEY} y`,
      `?k=${encodeURIComponent(KEY)}`,
      Buffer.from(`Basic user:${KEY}`).toString('base64'),
      Buffer.from(`ab${KEY}`).toString('base64url'),
    ];
    for (const text of planted) expect(NEEDLES.some((needle) => text.includes(needle))).toBe(true);
  });
});

/** An origin where nothing listens: a port that was free a moment ago. */
async function closedOrigin() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
