// The emulator over real HTTP and WebSocket from Node: REST routes and their errors, protocol edge cases,
// bad input and injected faults. (The official client in Chromium is exercised in test/.)
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEmulator, type Emulator } from './index.ts';

const KEY = 'test-key';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({
    port: 0,
    apiKey: KEY,
    log: () => {},
    pingIntervalMs: 200,
    maxFrameBytes: 64 * 1024,
    agents: [
      {
        agent_id: 'chat',
        text_only: true,
        first_message: 'Hi {{name}}.',
        dynamic_variables: { name: 'there' },
        turn_timeout_seconds: -1,
      },
      { agent_id: 'private', auth_required: true, text_only: true, turn_timeout_seconds: -1 },
      { agent_id: 'silent', text_only: true, client_events: ['agent_response'], turn_timeout_seconds: -1 },
    ],
  });
});
afterAll(() => emulator.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${emulator.url}${path}`, { headers });

/** A raw protocol client: collects what the server sends and how it closes. */
async function connect(
  query: string,
  init: Record<string, unknown> | null = { type: 'conversation_initiation_client_data' },
) {
  const ws = new WebSocket(`${emulator.wsUrl}/v1/convai/conversation?${query}`, ['convai']);
  const received: Record<string, any>[] = [];
  const closed = once(ws, 'close').then(([code, reason]) => ({ code: code as number, reason: String(reason) }));
  ws.on('message', (data) => {
    try {
      received.push(JSON.parse(String(data)));
    } catch {
      received.push({ unparsable: String(data) });
    }
  });
  await once(ws, 'open');
  if (init) ws.send(JSON.stringify(init));
  const next = async (type: string, timeoutMs = 3000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = received.find((m) => m.type === type);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no ${type} within ${timeoutMs} ms; got ${received.map((m) => m.type).join(', ')}`);
  };
  return { ws, received, closed, next };
}

describe('REST', () => {
  it('mints a signed URL only with the API key, in the ElevenLabs error shape otherwise', async () => {
    const missing = await get('/v1/convai/conversation/get-signed-url?agent_id=private');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      detail: { status: 'needs_authorization', message: expect.stringContaining('xi-api-key') },
    });
    const wrong = await get('/v1/convai/conversation/get-signed-url?agent_id=private', { 'xi-api-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ detail: { status: 'invalid_api_key', message: 'Invalid API key' } });

    const ok = await get('/v1/convai/conversation/get-signed-url?agent_id=private', { 'xi-api-key': KEY });
    expect(ok.status).toBe(200);
    const { signed_url } = (await ok.json()) as { signed_url: string };
    expect(signed_url).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/v1\/convai\/conversation\?agent_id=private&conversation_signature=[\w-]+\.[\w-]+$/,
    );

    const { next, ws } = await connect(new URL(signed_url).search.slice(1));
    expect(
      (await next('conversation_initiation_metadata')).conversation_initiation_metadata_event.conversation_id,
    ).toMatch(/^conv_/);
    ws.close();
  });

  it('single-use signed URLs carry their conversation id and cannot be used twice', async () => {
    const res = await get('/v1/convai/conversation/get-signed-url?agent_id=private&include_conversation_id=true', {
      'xi-api-key': KEY,
    });
    const { signed_url, conversation_id } = (await res.json()) as { signed_url: string; conversation_id: string };
    const query = new URL(signed_url).search.slice(1);
    const first = await connect(query);
    const metadata = await first.next('conversation_initiation_metadata');
    expect(metadata.conversation_initiation_metadata_event.conversation_id).toBe(conversation_id);
    first.ws.close();
    const second = await connect(query, null);
    expect(await second.closed).toEqual({ code: 3000, reason: 'Could not authorize the conversation.' });
    expect(emulator.refusals.at(-1)?.detail).toBe('signature reused');
  });

  it('validates agent ids: missing → 422, unknown → 404', async () => {
    const missing = await get('/v1/convai/conversation/get-signed-url', { 'xi-api-key': KEY });
    expect(missing.status).toBe(422);
    const unknown = await get('/v1/convai/conversation/get-signed-url?agent_id=nobody', { 'xi-api-key': KEY });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: { status: string } }).detail.status).toBe('agent_not_found');
  });

  it('serves conversation tokens (public agents without a key, private ones with it)', async () => {
    expect(
      ((await (await get('/v1/convai/conversation/token?agent_id=chat')).json()) as { token: string }).token,
    ).toBeTruthy();
    expect((await get('/v1/convai/conversation/token?agent_id=private')).status).toBe(401);
    expect((await get('/v1/convai/conversation/token?agent_id=private', { 'xi-api-key': KEY })).status).toBe(200);
  });

  it('serves the widget config with the agent settings over ElevenLabs defaults', async () => {
    const res = await get('/v1/convai/agents/demo/widget');
    const body = (await res.json()) as { agent_id: string; widget_config: Record<string, any> };
    expect(body.agent_id).toBe('demo');
    expect(body.widget_config).toMatchObject({
      language: 'en',
      text_input_enabled: true,
      supports_text_only: true,
      text_contents: expect.objectContaining({ start_call: 'Start a call' }),
    });
    expect((await get('/v1/convai/agents/private/widget')).status).toBe(403);
    const signature = emulator.sign('private');
    expect((await get(`/v1/convai/agents/private/widget?conversation_signature=${signature}`)).status).toBe(200);
  });

  it('records overall feedback and serves the conversation transcript', async () => {
    const { ws, next } = await connect('agent_id=chat');
    const id = (await next('conversation_initiation_metadata')).conversation_initiation_metadata_event.conversation_id;
    await next('agent_response');
    ws.send(JSON.stringify({ type: 'user_message', text: 'hello' }));
    await expect.poll(() => emulator.conversations.at(-1)!.transcript.length).toBe(3);
    ws.close();

    const bad = await fetch(`${emulator.url}/v1/convai/conversations/${id}/feedback`, {
      method: 'POST',
      body: '{"feedback":"meh"}',
    });
    expect(bad.status).toBe(422);
    const good = await fetch(`${emulator.url}/v1/convai/conversations/${id}/feedback`, {
      method: 'POST',
      body: '{"feedback":"like"}',
    });
    expect(good.status).toBe(200);
    const stars = (body: string) =>
      fetch(`${emulator.url}/v1/convai/conversations/${id}/feedback`, { method: 'POST', body });
    expect((await stars('{"rating":6}')).status).toBe(422);
    expect((await stars('{"rating":4,"comment":"Quick and clear."}')).status).toBe(200);
    expect(emulator.conversations.at(-1)!.rating).toEqual({ rating: 4, comment: 'Quick and clear.' });

    expect((await get(`/v1/convai/conversations/${id}`)).status).toBe(401);
    const details = (await (await get(`/v1/convai/conversations/${id}`, { 'xi-api-key': KEY })).json()) as Record<
      string,
      any
    >;
    expect(details.transcript.map((t: { role: string; message: string }) => `${t.role}: ${t.message}`)).toEqual([
      'agent: Hi there.',
      'user: hello',
      'agent: You said: hello',
    ]);
    expect(details.metadata.feedback.overall_score).toBe('like');
  });

  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    expect((await get('/v1/nothing-here')).status).toBe(404);
    expect(
      (await fetch(`${emulator.url}/v1/convai/conversation/token?agent_id=chat`, { method: 'DELETE' })).status,
    ).toBe(405);
  });
});

describe('protocol', () => {
  it('answers with the convai subprotocol', async () => {
    const { ws } = await connect('agent_id=chat');
    expect(ws.protocol).toBe('convai');
    ws.close();
  });

  it('fills dynamic variables sent by the client into the first message', async () => {
    const { next, ws } = await connect('agent_id=chat', {
      type: 'conversation_initiation_client_data',
      dynamic_variables: { name: 'Ada' },
    });
    expect((await next('agent_response')).agent_response_event.agent_response).toBe('Hi Ada.');
    ws.close();
  });

  it('sends only the events the agent selects in client_events', async () => {
    const { next, received, ws } = await connect('agent_id=silent');
    ws.send(JSON.stringify({ type: 'user_message', text: 'hi' }));
    await next('agent_response');
    await new Promise((r) => setTimeout(r, 300)); // a ping would have been sent by now
    expect(new Set(received.map((m) => m.type))).toEqual(
      new Set(['conversation_initiation_metadata', 'agent_response']),
    );
    ws.close();
  });

  it('sends pings with increasing ids and measures the round trip from pongs', async () => {
    const { next, received, ws } = await connect('agent_id=chat');
    const first = await next('ping');
    ws.send(JSON.stringify({ type: 'pong', event_id: first.ping_event.event_id }));
    await expect
      .poll(() => received.filter((m) => m.type === 'ping').length, { timeout: 2000 })
      .toBeGreaterThanOrEqual(2);
    const pings = received.filter((m) => m.type === 'ping');
    expect(pings[1].ping_event.event_id).toBeGreaterThan(pings[0].ping_event.event_id);
    expect(typeof pings[1].ping_event.ping_ms).toBe('number');
    ws.close();
  });

  it('remembers contextual updates', async () => {
    const { next, ws } = await connect('agent_id=demo', {
      type: 'conversation_initiation_client_data',
      conversation_config_override: { conversation: { text_only: true } },
    });
    await next('agent_response');
    ws.send(JSON.stringify({ type: 'contextual_update', text: 'the pricing page' }));
    ws.send(JSON.stringify({ type: 'user_message', text: 'what am I looking at?' }));
    await expect
      .poll(() => emulator.conversations.at(-1)!.transcript.at(-1)?.message)
      .toBe('Your page told me: the pricing page.');
    ws.close();
  });
});

describe('bad input never crashes the emulator', () => {
  const cases: [string, (ws: WebSocket) => void, { code: number; reason: RegExp }][] = [
    ['malformed JSON', (ws) => ws.send('{"type": "user_message", '), { code: 1008, reason: /not JSON/ }],
    ['an unknown type', (ws) => ws.send('{"type":"sing"}'), { code: 1008, reason: /unknown type "sing"/ }],
    ['a binary frame', (ws) => ws.send(Buffer.from([1, 2, 3])), { code: 1008, reason: /Binary frames/ }],
    ['an oversized frame', (ws) => ws.send('x'.repeat(100 * 1024)), { code: 1009, reason: /^$/ }],
    [
      'a message with a wrong field',
      (ws) => ws.send('{"type":"user_message","text":5}'),
      { code: 1008, reason: /text/ },
    ],
  ];
  for (const [what, send, expected] of cases) {
    it(`${what}: logged error, documented close, other sessions go on`, async () => {
      const bystander = await connect('agent_id=chat');
      await bystander.next('agent_response');
      const offender = await connect('agent_id=chat');
      await offender.next('conversation_initiation_metadata');
      send(offender.ws);
      const closed = await offender.closed;
      expect(closed.code).toBe(expected.code);
      expect(closed.reason).toMatch(expected.reason);
      if (expected.code === 1008)
        expect(offender.received.at(-1)).toMatchObject({ type: 'error', error_event: { code: 1008 } });
      bystander.ws.send(JSON.stringify({ type: 'user_message', text: 'still there?' }));
      await expect.poll(() => bystander.received.filter((m) => m.type === 'agent_response').length).toBe(2);
      bystander.ws.close();
    });
  }

  it('a first message that is not conversation_initiation_client_data', async () => {
    const { closed } = await connect('agent_id=chat', { type: 'user_message', text: 'hi' });
    expect(await closed).toEqual({
      code: 1008,
      reason: 'The first message must be conversation_initiation_client_data.',
    });
  });
});

describe('faults', () => {
  it('adds latency to every message, keeping order', async () => {
    // A lower bound only: timers never fire early, so this cannot flake on a busy machine.
    emulator.injectFaults({ latency_ms: 300 }, 'chat');
    const slow = await connect('agent_id=chat');
    const t1 = Date.now();
    await slow.next('conversation_initiation_metadata');
    expect(Date.now() - t1).toBeGreaterThanOrEqual(290);
    await slow.next('agent_response');
    // Delayed, yet in the order sent: metadata, then the first message streamed as start/delta…/stop, then agent_response.
    const types = slow.received.map((m) => m.type).filter((t) => t !== 'ping');
    expect(types[0]).toBe('conversation_initiation_metadata');
    expect(types.slice(1, types.indexOf('agent_response') + 1)).toEqual([
      'agent_chat_response_part',
      'agent_chat_response_part',
      'agent_chat_response_part',
      'agent_chat_response_part',
      'agent_response',
    ]);
    slow.ws.close();
  });

  it('drops the connection without a close frame', async () => {
    emulator.injectFaults({ drop_after_ms: 100 });
    const { closed } = await connect('agent_id=chat');
    expect((await closed).code).toBe(1006);
  });

  it('sends a malformed frame', async () => {
    emulator.injectFaults({ malformed_frame_after_ms: 50 });
    const { received, ws } = await connect('agent_id=chat');
    await expect.poll(() => received.some((m) => 'unparsable' in m)).toBe(true);
    ws.close();
  });

  it('refuses as an account out of quota', async () => {
    emulator.injectFaults({ quota_exceeded: true });
    const { closed, received } = await connect('agent_id=chat');
    expect((await closed).code).toBe(1002);
    expect(received[0]).toMatchObject({
      type: 'error',
      error_event: { code: 1002, message: expect.stringMatching(/quota/) },
    });
  });
});
