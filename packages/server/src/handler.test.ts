// Every route against the emulator as ElevenLabs, through every adapter: web-standard (Workers, Deno, Bun, Next.js),
// Node `http`, Express, and Express mounted under a prefix. One table of cases, run through each.
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Emulator } from '../../emulator/src/index.ts';
import { clientIp, createTokenHandler, type TokenHandlerOptions } from './index.ts';
import { toExpressMiddleware, toNodeListener } from './node.ts';
import { ADAPTERS, closeServers, listen, type Call, startUpstream } from './test-helpers.ts';
import express from 'express';

const KEY = 'sk_test_server_key_0123456789';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startUpstream(KEY);
});
afterAll(async () => {
  await closeServers();
  await emulator.close();
});

const handler = (options: Partial<TokenHandlerOptions> = {}) =>
  createTokenHandler({ apiKey: KEY, apiOrigin: emulator.url, agents: ['private', 'demo'], ...options });

/** Opens a conversation on a signed URL; resolves with the first message, or rejects with the close code. */
async function converse(signedUrl: string) {
  const ws = new WebSocket(signedUrl, ['convai']);
  const closed = once(ws, 'close').then(([code]) => Promise.reject(new Error(`closed with ${code}`)));
  await Promise.race([once(ws, 'open'), closed]);
  ws.send(JSON.stringify({ type: 'conversation_initiation_client_data' }));
  const [first] = await Promise.race([once(ws, 'message'), closed]);
  ws.close();
  return JSON.parse(String(first)) as { type: string };
}

interface RouteCase {
  name: string;
  path: string;
  init?: RequestInit;
  status: number;
  /** What a browser would then do with the answer. */
  check?: (body: any, response: Response) => void | Promise<void>;
}

const json = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"any":"body"}' };

const ROUTES: RouteCase[] = [
  {
    name: 'GET signed-url: a signed URL that opens a conversation with the private agent',
    path: '/signed-url?agent_id=private',
    status: 200,
    check: async (body) => {
      expect(Object.keys(body)).toEqual(['signed_url']);
      expect(body.signed_url).toContain('agent_id=private&conversation_signature=');
      expect((await converse(body.signed_url)).type).toBe('conversation_initiation_metadata');
    },
  },
  {
    name: 'GET conversation-token: a token ElevenLabs accepts for that agent',
    path: '/conversation-token?agent_id=private',
    status: 200,
    check: async (body) => {
      expect(Object.keys(body)).toEqual(['token']);
      // The private agent's widget config answers only to a valid signature for it (and no key is sent here).
      const widget = `${emulator.url}/v1/convai/agents/private/widget`;
      expect((await fetch(widget)).status).toBe(403);
      expect((await fetch(`${widget}?conversation_signature=${encodeURIComponent(body.token)}`)).status).toBe(200);
    },
  },
  ...(['realtime_scribe', 'tts_websocket'] as const).map((type): RouteCase => ({
    name: `POST single-use-token/${type} (with a JSON body): a token that works once, for ${type} only`,
    path: `/single-use-token/${type}`,
    init: json,
    status: 200,
    check: (body) => {
      expect(body.token).toMatch(/^sutkn_/);
      const other = type === 'tts_websocket' ? 'realtime_scribe' : 'tts_websocket';
      expect(emulator.consumeSingleUseToken(body.token, other)).toBe(false);
    },
  })),
  {
    name: 'POST single-use-token: the token is consumed on first use',
    path: '/single-use-token/tts_websocket',
    init: { method: 'POST' },
    status: 200,
    check: (body) => {
      expect(emulator.consumeSingleUseToken(body.token, 'tts_websocket')).toBe(true);
      expect(emulator.consumeSingleUseToken(body.token, 'tts_websocket')).toBe(false);
    },
  },
  { name: 'GET health', path: '/health', status: 200, check: (body) => expect(body).toEqual({ status: 'ok' }) },
  {
    name: 'unknown route: a JSON 404',
    path: '/nothing',
    status: 404,
    check: (body) => expect(body.error.code).toBe('not_found'),
  },
  {
    name: 'wrong method: a JSON 405 naming the method to use',
    path: '/signed-url?agent_id=private',
    init: json,
    status: 405,
    check: (body, response) => {
      expect(body.error.code).toBe('method_not_allowed');
      expect(response.headers.get('allow')).toBe('GET, OPTIONS');
    },
  },
];

describe.each(Object.keys(ADAPTERS))('through the %s adapter', (adapter) => {
  let call: Call;
  beforeAll(async () => {
    call = await ADAPTERS[adapter]!(handler());
  });

  it.each(ROUTES)('$name', async ({ path, init, status, check }) => {
    const response = await call(`/api/elevenlabs${path}`, init);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    await check?.(await response.json(), response);
  });

  it('HEAD is answered where GET is', async () => {
    const response = await call('/api/elevenlabs/health', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the Express adapter', () => {
  it('passes every other path on to the app, at the root and under a prefix', async () => {
    for (const [adapter, other] of [
      ['express', '/other'],
      ['express under /api', '/api/other'],
    ] as const) {
      const call = await ADAPTERS[adapter]!(handler());
      expect(await (await call(other)).json()).toEqual({ other: true });
      expect((await call('/api/elevenlabsextra/health')).status).toBe(404); // Express's own 404, not ours
      expect((await call('/api/elevenlabsextra/health')).headers.get('content-type')).not.toContain('json');
    }
  });

  it("answers under the handler's own basePath without being told it again", async () => {
    const app = express();
    app.use('/v2', toExpressMiddleware(handler({ basePath: '/v2/voice/' })));
    const origin = await listen(app);
    expect(await (await fetch(`${origin}/v2/voice/health`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${origin}/api/elevenlabs/health`)).status).toBe(404);
  });
});

describe('the Node adapter with any web-standard handler', () => {
  it('passes the request on whole, streams the body as it comes and keeps every Set-Cookie', async () => {
    let received: { method: string; url: string; header: string | null; body: string } | undefined;
    let firstRead!: () => void;
    const readFirst = new Promise<void>((resolve) => (firstRead = resolve));
    const origin = await listen(
      toNodeListener(async (request) => {
        const { method, url, headers } = request;
        received = { method, url, header: headers.get('x-test'), body: await request.text() };
        const encoder = new TextEncoder();
        const body = new ReadableStream({
          async start(controller) {
            controller.enqueue(encoder.encode('first\n'));
            await readFirst; // the rest only once the client has the first chunk: nothing waits for the whole body
            controller.enqueue(encoder.encode('second\n'));
            controller.close();
          },
        });
        const answer = new Response(body, { status: 201, headers: { 'content-type': 'text/plain' } });
        answer.headers.append('set-cookie', 'a=1');
        answer.headers.append('set-cookie', 'b=2');
        return answer;
      }),
    );
    const response = await fetch(`${origin}/any/path?x=1`, {
      method: 'POST',
      headers: { 'x-test': 'yes' },
      body: 'hello',
    });
    expect(received).toEqual({ method: 'POST', url: `${origin}/any/path?x=1`, header: 'yes', body: 'hello' });
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe('first\n');
    firstRead();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value;
    expect(rest).toBe('second\n');
  });

  it('gives authorize, agents and rateLimit.clientIp one web Request with what the client sent', async () => {
    const seen: Request[] = [];
    const tokens = handler({
      authorize: (request) => (seen.push(request), request.headers.get('cookie') === 'session=ok'),
      agents: (agentId, request) => (seen.push(request), agentId === 'demo'),
      rateLimit: { limit: 100, windowMs: 60_000, clientIp: (request) => (seen.push(request), clientIp(request)) },
    });
    for (const [adapter, address] of [
      ['web-standard', undefined],
      ['node', '127.0.0.1'],
      ['express', '127.0.0.1'],
      ['express under /api', '127.0.0.1'],
    ] as const) {
      seen.length = 0;
      const call = await ADAPTERS[adapter]!(tokens);
      const response = await call('/api/elevenlabs/signed-url?agent_id=demo', { headers: { cookie: 'session=ok' } });
      expect(response.status).toBe(200);
      expect(seen).toHaveLength(3);
      const [request] = seen;
      expect(seen.every((each) => each === request)).toBe(true);
      expect(request).toBeInstanceOf(Request);
      expect(new URL(request!.url).pathname + new URL(request!.url).search).toBe(
        '/api/elevenlabs/signed-url?agent_id=demo',
      );
      expect(request!.method).toBe('GET');
      expect(request!.headers.get('cookie')).toBe('session=ok');
      expect(clientIp(request!)).toBe(address);
    }
  });

  it("answers a wrapped token handler's routes exactly as the handler itself", async () => {
    const tokens = handler();
    const direct = await listen(toNodeListener(tokens));
    const wrapped = await listen(toNodeListener((request) => tokens(request))); // a plain function: the Response path
    for (const path of ['/api/elevenlabs/health', '/api/elevenlabs/signed-url', '/api/elevenlabs/nowhere']) {
      const [a, b] = await Promise.all([fetch(`${direct}${path}`), fetch(`${wrapped}${path}`)]);
      expect(b.status).toBe(a.status);
      const headers = (r: Response) =>
        [...r.headers].filter(([name]) => !['date', 'transfer-encoding', 'content-length'].includes(name));
      expect(headers(b)).toEqual(headers(a));
      expect(await b.text()).toBe(await a.text());
    }
  });
});

describe('options that change a route', () => {
  it('singleUseSignedUrls: the URL opens one conversation; a second attempt is refused with 3000', async () => {
    const call = await ADAPTERS.node!(handler({ singleUseSignedUrls: true }));
    const { signed_url } = await (await call('/api/elevenlabs/signed-url?agent_id=private')).json();
    expect((await converse(signed_url)).type).toBe('conversation_initiation_metadata');
    await expect(converse(signed_url)).rejects.toThrow('closed with 3000');
  });

  it('without singleUseSignedUrls, a signed URL can be opened again until it expires', async () => {
    const call = await ADAPTERS.node!(handler());
    const { signed_url } = await (await call('/api/elevenlabs/signed-url?agent_id=private')).json();
    expect((await converse(signed_url)).type).toBe('conversation_initiation_metadata');
    expect((await converse(signed_url)).type).toBe('conversation_initiation_metadata');
  });

  it('textToSpeech: tts_websocket tokens only when singleUseTokenTypes names them (they bypass its allowlists)', async () => {
    const textToSpeech = { voices: ['21m00Tcm4TlvDq8ikWAM'] };
    const post = { method: 'POST' };
    const limited = await ADAPTERS.node!(handler({ textToSpeech }));
    expect((await limited('/api/elevenlabs/single-use-token/tts_websocket', post)).status).toBe(404);
    expect((await limited('/api/elevenlabs/single-use-token/realtime_scribe', post)).status).toBe(200);
    const both = await ADAPTERS.node!(
      handler({ textToSpeech, singleUseTokenTypes: ['realtime_scribe', 'tts_websocket'] }),
    );
    const { token } = await (await both('/api/elevenlabs/single-use-token/tts_websocket', post)).json();
    expect(emulator.consumeSingleUseToken(token, 'tts_websocket')).toBe(true);
  });

  it('authorize: the user id becomes the WebRTC participant name', async () => {
    // The emulator does not report the query it was sent, so a two-line upstream records it.
    const seen: string[] = [];
    const spy = await listen((req, res) => {
      seen.push(req.url!);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t"}');
    });
    const call = await ADAPTERS.node!(handler({ apiOrigin: spy, authorize: () => ({ userId: 'ada lovelace' }) }));
    expect((await call('/api/elevenlabs/conversation-token?agent_id=demo')).status).toBe(200);
    expect(seen).toEqual(['/v1/convai/conversation/token?agent_id=demo&participant_name=ada+lovelace']);
  });

  it('a key with a trailing newline (as read from a secret file) still works', async () => {
    const call = await ADAPTERS.node!(handler({ apiKey: `${KEY}\n` }));
    expect((await call('/api/elevenlabs/signed-url?agent_id=private')).status).toBe(200);
  });
});
