// The text-to-speech route against the emulator as ElevenLabs, through every adapter: what a player receives (timed
// NDJSON or raw audio, as it is generated), what reaches ElevenLabs, and the refusals a player can map.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/src/index.ts';
import { createTokenHandler, type TokenHandlerOptions } from './index.ts';
import { ADAPTERS, type Call, closeServers, startUpstream } from './test-helpers.ts';

const KEY = 'sk_tts_route_test';
const VOICE = 'JBFqnCBsd6RMkjVDRZzb';
const OTHER_VOICE = '21m00Tcm4TlvDq8ikWAM';
const TEXT = 'Hello there, this sentence is streamed to the page while it is spoken.';
/** Streams are generated at a few times real time; a busy machine runs many test files at once. */
const SLOW = 30_000;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startUpstream(KEY);
});
afterAll(async () => {
  await closeServers();
  await emulator.close();
});

const route = '/api/elevenlabs/text-to-speech';
const post = (call: Call, body: unknown, headers: Record<string, string> = {}) =>
  call(route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const handlerWith = (options: Partial<TokenHandlerOptions> = {}) =>
  createTokenHandler({
    apiKey: KEY,
    apiOrigin: emulator.url,
    agents: [],
    textToSpeech: { voices: [VOICE, 'ghost'], maxTextLength: 40_000 },
    ...options,
  });

const lastRecord = () => emulator.ttsRequests.at(-1)!;

describe.each(Object.keys(ADAPTERS))('through the %s adapter', (adapter) => {
  let call: Call;
  beforeAll(async () => {
    call = await ADAPTERS[adapter]!(handlerWith());
  });

  it(
    'streams the timed NDJSON: every chunk has audio, and the alignment spells the text',
    async () => {
      const response = await post(call, { text: TEXT, voice_id: VOICE, model_id: 'eleven_flash_v2_5' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const lines = (await response.text()).trim().split('\n');
      const chunks = lines.map((line) => JSON.parse(line));
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) expect(chunk.audio_base64.length).toBeGreaterThan(0);
      expect(chunks.flatMap((c) => c.alignment?.characters ?? []).join('')).toBe(TEXT);
      expect(lastRecord()).toMatchObject({ voice_id: VOICE, model_id: 'eleven_flash_v2_5', status: 'done' });
      expect(response.headers.get('request-id')).toBe(lastRecord().request_id);
    },
    SLOW,
  );

  it(
    'timestamps: false streams the audio itself, in the format asked for',
    async () => {
      const response = await post(call, {
        text: 'Just the audio.',
        voice_id: VOICE,
        output_format: 'mp3_44100_128',
        timestamps: false,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('audio/mpeg');
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(bytes.length).toBe(lastRecord().audio_bytes);
      expect(lastRecord()).toMatchObject({ endpoint: 'stream', output_format: 'mp3_44100_128' });
    },
    SLOW,
  );
});

describe('streaming', () => {
  let call: Call;
  beforeAll(async () => {
    call = await ADAPTERS.node!(handlerWith());
  });

  it(
    'the first audio reaches the page while ElevenLabs is still generating the rest',
    async () => {
      const long = `${TEXT} ${TEXT} ${TEXT}`;
      const response = await post(call, { text: long, voice_id: VOICE, output_format: 'pcm_16000', timestamps: false });
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(first.value!.length).toBeGreaterThan(0);
      expect(lastRecord().status).toBe('in-progress');
      let total = first.value!.length;
      for (let part = await reader.read(); !part.done; part = await reader.read()) total += part.value.length;
      expect(total).toBe(lastRecord().audio_bytes);
      expect(lastRecord().status).toBe('done');
    },
    SLOW,
  );

  it(
    'a page that goes away stops the generation (no credits spent on audio nobody hears)',
    async () => {
      const controller = new AbortController();
      const response = await call(route, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `${TEXT} ${TEXT} ${TEXT}`, voice_id: VOICE }),
        signal: controller.signal,
      });
      await response.body!.getReader().read();
      controller.abort();
      await expect.poll(() => lastRecord().status).toBe('aborted');
    },
    SLOW,
  );

  it(
    'a stream ElevenLabs drops midway fails on the page too, after the audio that did arrive',
    async () => {
      emulator.injectTtsFaults({ drop_after_ms: 150 }, VOICE);
      const response = await post(call, {
        text: `${TEXT} ${TEXT}`,
        voice_id: VOICE,
        output_format: 'pcm_16000',
        timestamps: false,
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      let received = 0;
      const failure = await (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return null;
          received += value.length;
        }
      })().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(received).toBeGreaterThan(0);
    },
    SLOW,
  );
});

describe('refusals a player can map: status, code, sentence', () => {
  let call: Call;
  beforeAll(async () => {
    call = await ADAPTERS.node!(
      handlerWith({
        textToSpeech: { voices: [VOICE, 'ghost'], models: ['eleven_flash_v2_5', 'eleven_multilingual_v2'] },
      }),
    );
  });
  const rows: {
    what: string;
    body: unknown;
    headers?: Record<string, string>;
    status: number;
    code: string;
    message?: RegExp;
  }[] = [
    { what: 'no text', body: { voice_id: VOICE }, status: 400, code: 'invalid_text' },
    { what: 'blank text', body: { text: '  ', voice_id: VOICE }, status: 400, code: 'invalid_text' },
    { what: 'no voice', body: { text: 'Hi' }, status: 400, code: 'invalid_voice_id' },
    {
      what: 'a voice id that is a path',
      body: { text: 'Hi', voice_id: '../../v1/user' },
      status: 400,
      code: 'invalid_voice_id',
    },
    {
      what: 'a bad output format',
      body: { text: 'Hi', voice_id: VOICE, output_format: 'mp3&x=1' },
      status: 400,
      code: 'invalid_output_format',
    },
    {
      what: 'timestamps not a boolean',
      body: { text: 'Hi', voice_id: VOICE, timestamps: 'yes' },
      status: 400,
      code: 'invalid_timestamps',
    },
    {
      what: 'a voice not allowed',
      body: { text: 'Hi', voice_id: OTHER_VOICE },
      status: 403,
      code: 'voice_not_allowed',
    },
    {
      what: 'a model not allowed',
      body: { text: 'Hi', voice_id: VOICE, model_id: 'eleven_turbo_v2' },
      status: 403,
      code: 'model_not_allowed',
    },
    {
      what: 'text over the server’s limit (5 000 by default)',
      body: { text: 'a'.repeat(5_001), voice_id: VOICE },
      status: 413,
      code: 'text_too_long',
      message: /5001 characters.*at most 5000/,
    },
    {
      what: 'an allowed voice ElevenLabs does not know',
      body: { text: 'Who?', voice_id: 'ghost' },
      status: 404,
      code: 'voice_not_found',
      message: /voice/,
    },
    {
      what: 'ElevenLabs’ own validation (a format it does not know)',
      body: { text: 'Hi', voice_id: VOICE, output_format: 'mp3_1_1' },
      status: 422,
      code: 'upstream_invalid_request',
    },
    { what: 'not JSON', body: '{', status: 400, code: 'invalid_body' },
    { what: 'a JSON array', body: [1], status: 400, code: 'invalid_body' },
    {
      what: 'sent as a form (a cross-site form cannot send JSON without a preflight)',
      body: { text: 'Hi', voice_id: VOICE },
      headers: { 'content-type': 'text/plain' },
      status: 415,
      code: 'unsupported_media_type',
    },
  ];
  it.each(rows)('$what → $status $code', async ({ body, headers, status, code, message }) => {
    const response = await call(route, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { error } = await response.json();
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message ?? /\w.{8,}/);
  });

  it('text over the model’s limit: 400 with ElevenLabs’ sentence', async () => {
    const wide = await ADAPTERS.node!(handlerWith());
    const response = await post(wide, {
      text: 'a'.repeat(10_001),
      voice_id: VOICE,
      model_id: 'eleven_multilingual_v2',
    });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error).toEqual({ code: 'text_too_long', message: expect.stringMatching(/10001 characters/) });
  });

  it('an account out of credits: 401 upstream_quota_exceeded (a player shows it as a quota error)', async () => {
    emulator.injectTtsFaults({ quota_exceeded: true }, VOICE);
    const response = await post(call, { text: 'Out of credit.', voice_id: VOICE });
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('upstream_quota_exceeded');
  });

  it('ElevenLabs busy: 429 upstream_rate_limited', async () => {
    emulator.injectTtsFaults({ system_busy: true }, VOICE);
    const response = await post(call, { text: 'Busy?', voice_id: VOICE });
    expect(response.status).toBe(429);
    expect((await response.json()).error.code).toBe('upstream_rate_limited');
  });

  it('without textToSpeech the route does not exist', async () => {
    const off = await ADAPTERS.node!(createTokenHandler({ apiKey: KEY, apiOrigin: emulator.url, agents: [] }));
    const response = await post(off, { text: 'Hi', voice_id: VOICE });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });

  it('textToSpeech without voices is refused at creation', () => {
    expect(() =>
      createTokenHandler({ agents: [], textToSpeech: {} as unknown as TokenHandlerOptions['textToSpeech'] }),
    ).toThrow(/textToSpeech\.voices/);
  });
});

describe('characterLimit: usage counted in characters per user', () => {
  it('a text that would pass the budget is refused (429) and costs nothing; a shorter one still fits', async () => {
    const call = await ADAPTERS.node!(
      handlerWith({
        authorize: (request) => request.headers.get('x-user') ?? false,
        textToSpeech: { voices: [VOICE, 'ghost'], characterLimit: { limit: 30, windowMs: 60_000 } },
      }),
    );
    const ada = { 'x-user': 'ada' };
    expect((await post(call, { text: 'Twenty characters!!!', voice_id: VOICE }, ada)).status).toBe(200);
    const refused = await post(call, { text: 'Twenty characters!!!', voice_id: VOICE }, ada);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect((await refused.json()).error).toEqual({
      code: 'rate_limited',
      message: expect.stringMatching(/30 characters allowed per window; try again in \d+ s/),
    });
    expect((await post(call, { text: 'Ten chars!', voice_id: VOICE }, ada)).status).toBe(200);
    // Another user has a budget of their own.
    expect((await post(call, { text: 'Twenty characters!!!', voice_id: VOICE }, { 'x-user': 'bo' })).status).toBe(200);
  });

  it('a request ElevenLabs refuses gives its characters back', async () => {
    const call = await ADAPTERS.node!(
      handlerWith({ textToSpeech: { voices: [VOICE, 'ghost'], characterLimit: { limit: 30, windowMs: 60_000 } } }),
    );
    expect((await post(call, { text: 'Twenty characters!!!', voice_id: 'ghost' })).status).toBe(404);
    expect((await post(call, { text: 'Twenty characters!!!', voice_id: VOICE })).status).toBe(200);
  });

  it('request limits keep counting requests alongside', async () => {
    const call = await ADAPTERS.node!(
      handlerWith({
        rateLimit: { limit: 2, windowMs: 60_000 },
        textToSpeech: { voices: [VOICE], characterLimit: { limit: 1_000, windowMs: 60_000 } },
      }),
    );
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(call, { text: 'Hi', voice_id: VOICE })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
