// The speech-to-text route: what reaches ElevenLabs (checked on a local server that records what it receives: only
// the allowed fields, the file's bytes, passed on while the upload is still arriving, cut off at a limit), the limits
// and their errors, usage in seconds, and the real emulator transcribing a recording.
import type { IncomingMessage, IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { synthesize, toWav, type Emulator } from '../../emulator/src/index.ts';
import { createTokenHandler, type TokenHandlerOptions } from './index.ts';
import { ADAPTERS, type Call, closeServers, listen, startUpstream } from './test-helpers.ts';

const KEY = 'sk_stt_route_test';
const route = '/api/elevenlabs/speech-to-text';

/** What the recording upstream received in one request. */
interface Received {
  headers: IncomingHttpHeaders;
  bytes: number;
  body: Buffer[];
  /** `complete`: the whole request arrived; `cut`: it broke off. */
  state: 'arriving' | 'complete' | 'cut';
}
const received: Received[] = [];
/** The transcript the recording upstream answers with: one word ending at 1.5 s. */
const TRANSCRIPT = {
  language_code: 'eng',
  text: 'hello',
  words: [{ text: 'hello', start: 0.2, end: 1.5, type: 'word' }],
};
let recorder: string;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startUpstream(KEY);
  recorder = await listen((req: IncomingMessage, res) => {
    const entry: Received = { headers: req.headers, bytes: 0, body: [], state: 'arriving' };
    received.push(entry);
    req.on('data', (chunk: Buffer) => {
      entry.bytes += chunk.length;
      entry.body.push(chunk);
    });
    req.on('end', () => {
      entry.state = 'complete';
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(TRANSCRIPT));
    });
    req.on('close', () => {
      if (entry.state === 'arriving') entry.state = 'cut';
    });
  });
});
afterAll(async () => {
  await closeServers();
  await emulator.close();
});

const handlerWith = (options: Partial<TokenHandlerOptions> = {}) =>
  createTokenHandler({ apiKey: KEY, apiOrigin: recorder, agents: [], speechToText: {}, ...options });

/** What the upstream received, read back as a form. */
const receivedForm = (entry: Received) =>
  new Response(Buffer.concat(entry.body), {
    headers: { 'content-type': String(entry.headers['content-type']) },
  }).formData();

const noise = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7919) % 251);

function form(fields: Record<string, string>, file?: { bytes: Uint8Array; type?: string; name?: string }) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  if (file)
    data.append(
      'file',
      new Blob([file.bytes as Uint8Array<ArrayBuffer>], file.type ? { type: file.type } : {}),
      file.name ?? 'take.webm',
    );
  return data;
}

const upload = (call: Call, body: FormData | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  call(route, {
    method: 'POST',
    body,
    headers,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);

/** A multipart body written by hand, so a test can send it in pieces (no Content-Length). */
const BOUNDARY = 'test-boundary-7a1c';
const encoder = new TextEncoder();
const fieldPart = (name: string, value: string) =>
  encoder.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
const fileHead = (type: string) =>
  encoder.encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="take.wav"\r\nContent-Type: ${type}\r\n\r\n`,
  );
const closing = encoder.encode(`\r\n--${BOUNDARY}--\r\n`);
const multipartHeaders = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

/** A body the test feeds by hand: `send` more, `end` it. */
function pieces() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return { stream, send: (bytes: Uint8Array) => controller.enqueue(bytes), end: () => controller.close() };
}

describe.each(Object.keys(ADAPTERS))('forwarding through the %s adapter', (adapter) => {
  it('passes on the file and the allowed fields with the key, drops the rest, and answers with the transcript', async () => {
    const call = await ADAPTERS[adapter]!(handlerWith());
    const audio = noise(50_000);
    const response = await upload(
      call,
      form(
        {
          model_id: 'scribe_v1',
          language_code: 'en',
          timestamps_granularity: 'word',
          diarize: 'true',
          tag_audio_events: 'false',
          webhook: 'true',
          cloud_storage_url: 'https://example.com/other.wav',
          duration: '3',
        },
        { bytes: audio, type: 'audio/webm;codecs=opus', name: 'my take.webm' },
      ),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual(TRANSCRIPT);

    const entry = received.at(-1)!;
    expect(entry.state).toBe('complete');
    expect(entry.headers['xi-api-key']).toBe(KEY);
    const sent = await receivedForm(entry);
    expect([...sent.keys()].sort()).toEqual(
      ['diarize', 'file', 'language_code', 'model_id', 'tag_audio_events', 'timestamps_granularity'].sort(),
    );
    expect(Object.fromEntries([...sent].filter(([name]) => name !== 'file'))).toEqual({
      model_id: 'scribe_v1',
      language_code: 'en',
      timestamps_granularity: 'word',
      diarize: 'true',
      tag_audio_events: 'false',
    });
    const file = sent.get('file') as File;
    expect(file.type).toBe('audio/webm');
    expect(file.name).toBe('my_take.webm');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(audio);
  });
});

describe('streaming', () => {
  it('ElevenLabs receives the file while the browser is still uploading it', async () => {
    const call = await ADAPTERS.node!(handlerWith());
    const before = received.length;
    const body = pieces();
    const answer = upload(call, body.stream, multipartHeaders);
    body.send(fieldPart('model_id', 'scribe_v1'));
    body.send(fileHead('audio/ogg'));
    body.send(noise(200_000));
    // Only a route that passes the upload on as it comes gets here: the rest is not sent until then.
    await vi.waitFor(() => expect(received[before]?.bytes ?? 0).toBeGreaterThan(150_000), { timeout: 10_000 });
    expect(received[before]!.state).toBe('arriving');
    body.send(noise(100_000));
    body.send(closing);
    body.end();
    const response = await answer;
    expect(response.status).toBe(200);
    const file = (await receivedForm(received[before]!)).get('file') as File;
    expect(file.size).toBe(300_000);
  });

  it('an upload that grows past maxBytes is cut off: 413 for the browser, an incomplete request for ElevenLabs', async () => {
    const call = await ADAPTERS.node!(handlerWith({ speechToText: { maxBytes: 100_000 } }));
    const before = received.length;
    const body = pieces();
    const answer = upload(call, body.stream, multipartHeaders);
    body.send(fileHead('audio/webm'));
    body.send(noise(60_000));
    await vi.waitFor(() => expect(received[before]?.bytes ?? 0).toBeGreaterThan(50_000), { timeout: 10_000 });
    body.send(noise(60_000));
    const response = await answer;
    body.end();
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('file_too_large');
    await vi.waitFor(() => expect(received[before]!.state).toBe('cut'));
    expect(received[before]!.bytes).toBeLessThan(100_000);
  });

  it('a WAV file longer than maxDurationSeconds is cut off once its length passes it', async () => {
    const call = await ADAPTERS.node!(handlerWith({ speechToText: { maxDurationSeconds: 1 } }));
    const body = pieces();
    const answer = upload(call, body.stream, multipartHeaders);
    body.send(fileHead('audio/wav'));
    body.send(toWav(new Float32Array(16_000 * 3), 16_000)); // 3 s at 32 000 bytes a second
    const response = await answer;
    body.end();
    expect(response.status).toBe(413);
    expect((await response.json()).error).toEqual({
      code: 'audio_too_long',
      message: expect.stringMatching(/at most 1 s/),
    });
  });
});

describe('limits and refusals', () => {
  let call: Call;
  beforeAll(async () => {
    call = await ADAPTERS.node!(
      handlerWith({ speechToText: { maxBytes: 100_000, maxDurationSeconds: 2, models: ['scribe_v1'] } }),
    );
  });
  const wav = (seconds: number) => toWav(new Float32Array(Math.round(16_000 * seconds)), 16_000);
  const rows: { what: string; body: () => FormData; status: number; code: string }[] = [
    {
      what: 'a file declared larger than maxBytes (Content-Length)',
      body: () => form({ model_id: 'scribe_v1' }, { bytes: noise(200_000), type: 'audio/webm' }),
      status: 413,
      code: 'file_too_large',
    },
    {
      what: 'a type not in the list',
      body: () => form({ model_id: 'scribe_v1' }, { bytes: noise(100), type: 'audio/x-tracker' }),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      what: 'a file with no type',
      body: () => form({ model_id: 'scribe_v1' }, { bytes: noise(100) }),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      what: 'text, not audio',
      body: () => form({ model_id: 'scribe_v1' }, { bytes: noise(100), type: 'text/plain' }),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      what: 'a WAV file longer than maxDurationSeconds',
      body: () => form({ model_id: 'scribe_v1' }, { bytes: wav(2.5), type: 'audio/wav' }),
      status: 413,
      code: 'audio_too_long',
    },
    {
      what: 'a duration sent before the file that is over maxDurationSeconds',
      body: () => form({ model_id: 'scribe_v1', duration: '4000' }, { bytes: noise(100), type: 'audio/webm' }),
      status: 413,
      code: 'audio_too_long',
    },
    { what: 'no file', body: () => form({ model_id: 'scribe_v1' }), status: 400, code: 'missing_file' },
    {
      what: 'a model not allowed',
      body: () => form({ model_id: 'scribe_v9' }, { bytes: noise(100), type: 'audio/webm' }),
      status: 403,
      code: 'model_not_allowed',
    },
  ];
  it.each(rows)('$what → $status $code', async ({ body, status, code }) => {
    const response = await upload(call, body());
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { error } = await response.json();
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/\w.{8,}/);
  });

  it('a WAV file within the limits passes', async () => {
    const response = await upload(call, form({ model_id: 'scribe_v1' }, { bytes: wav(1.5), type: 'audio/x-wav' }));
    expect(response.status).toBe(200);
  });

  it('not multipart: 415', async () => {
    const response = await call(route, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"file":"…"}',
    });
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe('unsupported_media_type');
  });

  it('a body that breaks the multipart format: 400', async () => {
    const response = await call(route, {
      method: 'POST',
      headers: multipartHeaders,
      body: `--${BOUNDARY}\r\nContent-Type: audio/webm\r\n\r\nno name\r\n--${BOUNDARY}--\r\n`,
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('invalid_body');
  });

  it('without speechToText the route does not exist', async () => {
    const off = await ADAPTERS.node!(createTokenHandler({ apiKey: KEY, apiOrigin: recorder, agents: [] }));
    const response = await upload(off, form({ model_id: 'scribe_v1' }, { bytes: noise(10), type: 'audio/webm' }));
    expect(response.status).toBe(404);
  });
});

describe('secondsLimit: usage counted in seconds of audio per user', () => {
  it('counts the end of the last word heard; a caller over the budget is refused before uploading', async () => {
    const call = await ADAPTERS.node!(
      handlerWith({
        authorize: (request) => request.headers.get('x-user') ?? false,
        speechToText: { secondsLimit: { limit: 2, windowMs: 60_000 } },
      }),
    );
    const send = (user: string) =>
      upload(call, form({ model_id: 'scribe_v1' }, { bytes: noise(1000), type: 'audio/webm' }), { 'x-user': user });
    expect((await send('ada')).status).toBe(200); // 1.5 s counted
    expect((await send('ada')).status).toBe(200); // 1.5 ≤ 2 before it: allowed, then 3 s counted
    const before = received.length;
    const refused = await send('ada');
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.message).toMatch(/2 seconds allowed per window/);
    expect(received.length).toBe(before); // nothing reached ElevenLabs
    expect((await send('bo')).status).toBe(200);
  });

  it('counts a WAV file by its length when that is longer than the words', async () => {
    const call = await ADAPTERS.node!(handlerWith({ speechToText: { secondsLimit: { limit: 3, windowMs: 60_000 } } }));
    const fourSeconds = toWav(new Float32Array(16_000 * 4), 16_000);
    const send = () => upload(call, form({ model_id: 'scribe_v1' }, { bytes: fourSeconds, type: 'audio/wav' }));
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(429);
  });
});

describe('against the emulator', () => {
  let call: Call;
  beforeAll(async () => {
    call = await ADAPTERS.node!(handlerWith({ apiOrigin: emulator.url }));
  });

  it('a recording comes back word for word, with word timings', async () => {
    const phrase = 'send the report on friday';
    const wav = toWav(synthesize(phrase, 16_000).samples, 16_000, { leadingSilenceMs: 300, trailingSilenceMs: 300 });
    const response = await upload(
      call,
      form({ model_id: 'scribe_v1' }, { bytes: wav, type: 'audio/wav', name: 'take.wav' }),
    );
    expect(response.status).toBe(200);
    const transcript = await response.json();
    expect(transcript.text).toBe(phrase);
    const words = transcript.words.filter((w: { type: string }) => w.type === 'word');
    expect(words.map((w: { text: string }) => w.text)).toEqual(phrase.split(' '));
    for (const word of words) expect(word.end).toBeGreaterThan(word.start);
    expect(emulator.sttRequests.at(-1)).toMatchObject({
      model_id: 'scribe_v1',
      file_bytes: wav.length,
      status: 'done',
    });
  });

  it('something that is not audio: 400 with ElevenLabs’ reason', async () => {
    const response = await upload(
      call,
      form({ model_id: 'scribe_v1' }, { bytes: encoder.encode('not audio'), type: 'audio/wav' }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({
      code: 'upstream_invalid_request',
      message: expect.stringMatching(/decoded/),
    });
  });

  it('an account out of credits: 401 upstream_quota_exceeded', async () => {
    emulator.injectSttFaults({ quota_exceeded: true });
    const wav = toWav(synthesize('quota', 16_000).samples, 16_000);
    const response = await upload(call, form({ model_id: 'scribe_v1' }, { bytes: wav, type: 'audio/wav' }));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('upstream_quota_exceeded');
  });

  it('no model_id: ElevenLabs’ validation error (422)', async () => {
    const response = await upload(call, form({}, { bytes: noise(100), type: 'audio/webm' }));
    expect(response.status).toBe(422);
    expect((await response.json()).error.code).toBe('upstream_invalid_request');
  });
});
