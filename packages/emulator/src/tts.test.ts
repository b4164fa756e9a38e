// Text to speech over real HTTP and WebSocket from Node: every route and output format, audio that agrees with its
// alignment (decoded back to the very characters the alignment places there), validation, auth and faults.
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEmulator, type Emulator } from './index.ts';
import { MP3_ENCODER_DELAY_SAMPLES, readMp3Frames } from './mp3.ts';
import { decodeAlaw, decodeMulaw, pcm16ToFloat } from './pcm.ts';
import { recognize } from './speech.ts';

const KEY = 'test-key';
const GEORGE = 'JBFqnCBsd6RMkjVDRZzb';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({
    port: 0,
    apiKey: KEY,
    log: () => {},
    ttsGenerationSpeed: 10,
    voices: [{ voice_id: 'slow', name: 'Slow', settings: { speed: 0.7 } }],
  });
});
afterAll(() => emulator.close());

interface RestAlignment {
  characters: string[];
  character_start_times_seconds: number[];
  character_end_times_seconds: number[];
}
interface WithTimestamps {
  audio_base64: string;
  alignment: RestAlignment | null;
  normalized_alignment: RestAlignment | null;
}

const tts = (path: string, body: unknown, query = '', headers: Record<string, string> = { 'xi-api-key': KEY }) =>
  fetch(`${emulator.url}/v1/text-to-speech/${path}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const errorOf = async (res: Response) => ((await res.json()) as { detail: any }).detail;

/** The speech with silence around it, as the recogniser wants an utterance. */
function padded(samples: Float32Array, rate: number): Float32Array {
  const out = new Float32Array(samples.length + Math.round(0.5 * rate));
  out.set(samples, Math.round(0.2 * rate));
  return out;
}

/** Reads a streamed body chunk by chunk, as a browser's reader would. */
async function readChunks(res: Response): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

/** Reads until the body ends or fails: what arrived, and the failure if any. */
async function readUntilError(res: Response): Promise<{ bytes: number; error: unknown }> {
  let bytes = 0;
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, error: null };
      bytes += value.length;
    }
  } catch (error) {
    return { bytes, error };
  }
}

const concat = (parts: Uint8Array[]) => Buffer.concat(parts);
const at = (seconds: number, rate: number) => Math.round(seconds * rate);

describe('voices and models', () => {
  it('lists voices whose ids text to speech accepts', async () => {
    expect((await fetch(`${emulator.url}/v1/voices`)).status).toBe(401);
    const res = await fetch(`${emulator.url}/v1/voices`, { headers: { 'xi-api-key': KEY } });
    const { voices } = (await res.json()) as { voices: Record<string, any>[] };
    expect(voices.map((v) => v.voice_id)).toEqual(expect.arrayContaining([GEORGE, '21m00Tcm4TlvDq8ikWAM', 'slow']));
    expect(voices.find((v) => v.voice_id === GEORGE)).toMatchObject({
      name: 'George',
      category: 'premade',
      settings: { stability: 0.5, similarity_boost: 0.75, style: 0, use_speaker_boost: true, speed: 1 },
    });
    for (const v of voices) expect((await tts(v.voice_id, { text: 'ok' }, '?output_format=pcm_8000')).status).toBe(200);
    const one = await fetch(`${emulator.url}/v1/voices/slow`, { headers: { 'xi-api-key': KEY } });
    expect(((await one.json()) as { settings: { speed: number } }).settings.speed).toBe(0.7);
    expect((await fetch(`${emulator.url}/v1/voices/nobody`, { headers: { 'xi-api-key': KEY } })).status).toBe(404);
    const v2 = await fetch(`${emulator.url}/v2/voices`, { headers: { 'xi-api-key': KEY } });
    expect(await v2.json()).toMatchObject({ has_more: false, total_count: voices.length });
  });

  it('lists models with their limits', async () => {
    const res = await fetch(`${emulator.url}/v1/models`, { headers: { 'xi-api-key': KEY } });
    const models = (await res.json()) as Record<string, any>[];
    expect(models.find((m) => m.model_id === 'eleven_multilingual_v2')).toMatchObject({
      can_do_text_to_speech: true,
      maximum_text_length_per_request: 10_000,
      languages: expect.arrayContaining([{ language_id: 'en', name: 'English' }]),
      concurrency_group: 'standard',
    });
    expect(models.find((m) => m.model_id === 'eleven_flash_v2_5')).toMatchObject({
      maximum_text_length_per_request: 40_000,
      concurrency_group: 'turbo',
    });
    expect(models.find((m) => m.model_id === 'eleven_multilingual_sts_v2')?.can_do_text_to_speech).toBe(false);
  });
});

describe('output formats', () => {
  const TEXT = 'Hello, world!';

  for (const rate of [8000, 16000, 22050, 24000, 32000, 44100, 48000]) {
    it(`pcm_${rate}: as many samples as the alignment's end, each character where the alignment puts it`, async () => {
      const res = await tts(GEORGE + '/with-timestamps', { text: TEXT }, `?output_format=pcm_${rate}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      const body = (await res.json()) as WithTimestamps;
      const samples = pcm16ToFloat(Buffer.from(body.audio_base64, 'base64'));
      const { characters, character_start_times_seconds: starts, character_end_times_seconds: ends } = body.alignment!;
      expect(characters.join('')).toBe(TEXT);
      expect(samples.length).toBe(at(ends.at(-1)!, rate));
      expect(recognize(padded(samples, rate), rate)).toMatchObject({ recognized: true, text: TEXT });
      // Cut at a character's end, the audio says exactly the text up to it; cut at its start, the text before it.
      for (const k of [0, 4, 7, characters.length - 1]) {
        const upTo = samples.subarray(0, at(ends[k]!, rate));
        expect(recognize(padded(upTo, rate), rate).text).toBe(TEXT.slice(0, k + 1));
        if (k > 0)
          expect(recognize(padded(samples.subarray(0, at(starts[k]!, rate)), rate), rate).text).toBe(TEXT.slice(0, k));
      }
    });
  }

  it('ulaw_8000 and alaw_8000: one byte per sample, G.711, served as audio/basic and audio/x-alaw-basic', async () => {
    for (const [format, decode, type] of [
      ['ulaw_8000', decodeMulaw, 'audio/basic'],
      ['alaw_8000', decodeAlaw, 'audio/x-alaw-basic'],
    ] as const) {
      const res = await tts(GEORGE, { text: TEXT }, `?output_format=${format}`);
      expect(res.headers.get('content-type')).toBe(type);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(bytes.length).toBe(8 * (140 + TEXT.length * 70));
      expect(recognize(padded(decode(bytes), 8000), 8000)).toMatchObject({ recognized: true, text: TEXT });
    }
  });

  it('wav_16000: a RIFF file with the exact data size', async () => {
    const res = await tts(GEORGE, { text: TEXT }, '?output_format=wav_16000');
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.toString('latin1', 0, 4)).toBe('RIFF');
    expect(bytes.readUInt32LE(24)).toBe(16000);
    expect(bytes.readUInt32LE(40)).toBe(bytes.length - 44);
    expect(recognize(padded(pcm16ToFloat(bytes.subarray(44)), 16000), 16000).text).toBe(TEXT);
  });

  it('mp3_44100_128 by default: MPEG frames that hold the audio (plus encoder delay and padding)', async () => {
    const res = await tts(GEORGE, { text: TEXT });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const frames = readMp3Frames(bytes);
    expect(frames).toMatchObject({ sampleRate: 44100, bitrates: [128], end: bytes.length });
    const expected = at((140 + TEXT.length * 70) / 1000, 44100);
    expect(frames.samples).toBeGreaterThanOrEqual(expected + MP3_ENCODER_DELAY_SAMPLES);
    expect(frames.samples).toBeLessThanOrEqual(expected + MP3_ENCODER_DELAY_SAMPLES + 2 * 1152);
  });

  it('the other mp3 rates and bit rates', async () => {
    for (const [format, rate, kbps] of [
      ['mp3_22050_32', 22050, 32],
      ['mp3_24000_48', 24000, 48],
      ['mp3_44100_192', 44100, 192],
    ] as const) {
      const bytes = new Uint8Array(await (await tts(GEORGE, { text: TEXT }, `?output_format=${format}`)).arrayBuffer());
      const frames = readMp3Frames(bytes);
      expect(frames).toMatchObject({ sampleRate: rate, bitrates: [kbps], end: bytes.length });
      const seconds = frames.samples / rate;
      expect(seconds).toBeGreaterThan((140 + TEXT.length * 70) / 1000);
      expect(seconds).toBeLessThan((140 + TEXT.length * 70) / 1000 + 0.15);
    }
  });
});

describe('alignment and normalisation', () => {
  it('spells numbers out for models that normalise: normalized_alignment is the spoken text, alignment the sent one', async () => {
    const text = 'I have 3 cats.';
    const body = (await (
      await tts(GEORGE + '/with-timestamps', { text }, '?output_format=pcm_16000')
    ).json()) as WithTimestamps;
    const spoken = body.normalized_alignment!;
    expect(spoken.characters.join('')).toBe('I have three cats.');
    expect(body.alignment!.characters.join('')).toBe(text);
    // "3" lasts exactly as long as "three"; the audio says the normalised text.
    const three = spoken.characters.join('').indexOf('three');
    expect(body.alignment!.character_start_times_seconds[7]).toBe(spoken.character_start_times_seconds[three]);
    expect(body.alignment!.character_end_times_seconds[7]).toBe(spoken.character_end_times_seconds[three + 4]);
    const samples = pcm16ToFloat(Buffer.from(body.audio_base64, 'base64'));
    expect(recognize(padded(samples, 16000), 16000).text).toBe('I have three cats.');
  });

  it('does not normalise on Flash v2.5, nor with apply_text_normalization off; refuses "on" for Flash', async () => {
    for (const body of [
      { text: 'Room 42', model_id: 'eleven_flash_v2_5' },
      { text: 'Room 42', apply_text_normalization: 'off' },
    ]) {
      const res = (await (
        await tts(GEORGE + '/with-timestamps', body, '?output_format=pcm_8000')
      ).json()) as WithTimestamps;
      expect(res.normalized_alignment!.characters.join('')).toBe('Room 42');
    }
    const on = await tts(GEORGE, { text: 'Room 42', model_id: 'eleven_flash_v2_5', apply_text_normalization: 'on' });
    expect(on.status).toBe(400);
    expect((await errorOf(on)).status).toBe('unsupported_text_normalization');
  });

  it('voice settings speed stretches the speech: 0.7 makes 100 ms characters (and the voice stored setting applies)', async () => {
    const fast = (await (
      await tts(GEORGE + '/with-timestamps', { text: 'ab', voice_settings: { speed: 0.7 } }, '?output_format=pcm_8000')
    ).json()) as WithTimestamps;
    expect(fast.alignment).toEqual({
      characters: ['a', 'b'],
      character_start_times_seconds: [0.2, 0.3],
      character_end_times_seconds: [0.3, 0.4],
    });
    const slow = (await (
      await tts('slow/with-timestamps', { text: 'ab' }, '?output_format=pcm_8000')
    ).json()) as WithTimestamps;
    expect(slow.alignment).toEqual(fast.alignment);
  });
});

describe('streaming', () => {
  const TEXT = 'Streaming starts before the text is all spoken.';

  it('/stream sends the audio progressively, in several chunks, the same bytes as the whole file', async () => {
    for (const format of ['pcm_24000', 'mp3_44100_128']) {
      const res = await tts(GEORGE + '/stream', { text: TEXT }, `?output_format=${format}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(format === 'pcm_24000' ? 'audio/pcm' : 'audio/mpeg');
      const chunks = await readChunks(res);
      expect(chunks.length).toBeGreaterThan(3);
      const whole = Buffer.from(await (await tts(GEORGE, { text: TEXT }, `?output_format=${format}`)).arrayBuffer());
      expect(concat(chunks).equals(whole)).toBe(true);
    }
  });

  it('/stream/with-timestamps sends newline-delimited JSON chunks whose alignment is absolute and inside their audio', async () => {
    const rate = 16000;
    const res = await tts(GEORGE + '/stream/with-timestamps', { text: TEXT }, `?output_format=pcm_${rate}`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = Buffer.concat(await readChunks(res)).toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    const items = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as WithTimestamps);
    expect(items.length).toBeGreaterThan(3);
    let offset = 0;
    const chars: string[] = [];
    const audio: Buffer[] = [];
    for (const item of items) {
      const bytes = Buffer.from(item.audio_base64, 'base64');
      const [from, to] = [offset / rate, (offset + bytes.length / 2) / rate];
      for (const s of item.alignment?.character_start_times_seconds ?? []) {
        expect(s).toBeGreaterThanOrEqual(from - 1e-9);
        expect(s).toBeLessThan(to);
      }
      chars.push(...(item.alignment?.characters ?? []));
      audio.push(bytes);
      offset += bytes.length / 2;
    }
    expect(chars.join('')).toBe(TEXT);
    const whole = (await (
      await tts(GEORGE + '/with-timestamps', { text: TEXT }, `?output_format=pcm_${rate}`)
    ).json()) as WithTimestamps;
    expect(Buffer.concat(audio).toString('base64')).toBe(whole.audio_base64);
    expect(items.flatMap((i) => i.alignment?.character_end_times_seconds ?? [])).toEqual(
      whole.alignment!.character_end_times_seconds,
    );
  });
});

describe('validation and auth', () => {
  it('needs a valid xi-api-key', async () => {
    const missing = await tts(GEORGE, { text: 'hi' }, '', {});
    expect(missing.status).toBe(401);
    expect((await errorOf(missing)).status).toBe('needs_authorization');
    const wrong = await tts(GEORGE, { text: 'hi' }, '', { 'xi-api-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(await errorOf(wrong)).toEqual({ status: 'invalid_api_key', message: 'Invalid API key' });
  });

  it('reports schema problems as 422 with FastAPI details (missing text, bad JSON, bad output_format, bad fields)', async () => {
    const missing = await tts(GEORGE, { model_id: 'eleven_flash_v2_5' });
    expect(missing.status).toBe(422);
    expect(await errorOf(missing)).toEqual([expect.objectContaining({ type: 'missing', loc: ['body', 'text'] })]);
    expect((await errorOf(await tts(GEORGE, '{"text": '))).at(0)).toMatchObject({ type: 'json_invalid' });
    const format = await tts(GEORGE, { text: 'hi' }, '?output_format=mp3_44100_999');
    expect(format.status).toBe(422);
    expect((await errorOf(format))[0]).toMatchObject({ loc: ['query', 'output_format'], input: 'mp3_44100_999' });
    const fields = await tts(GEORGE, {
      text: 5,
      voice_settings: { speed: 2 },
      seed: -1,
      previous_request_ids: ['a', 'b', 'c', 'd'],
      apply_text_normalization: 'sometimes',
    });
    expect((await errorOf(fields)).map((p: { loc: string[] }) => p.loc.join('.'))).toEqual([
      'body.text',
      'body.voice_settings.speed',
      'body.previous_request_ids',
      'body.seed',
      'body.apply_text_normalization',
    ]);
  });

  it('refuses an unknown voice (404), model, empty or over-long text and opus (400) in the ElevenLabs error shape', async () => {
    const cases: [string, unknown, string, number, string][] = [
      ['nobody', { text: 'hi' }, '', 404, 'voice_not_found'],
      [GEORGE, { text: 'hi', model_id: 'eleven_v9' }, '', 400, 'model_not_found'],
      [GEORGE, { text: 'hi', model_id: 'eleven_multilingual_sts_v2' }, '', 400, 'model_cannot_do_text_to_speech'],
      [GEORGE, { text: '  ' }, '', 400, 'empty_text'],
      [GEORGE, { text: 'x'.repeat(10_001) }, '', 400, 'max_character_limit_exceeded'],
      [GEORGE, { text: 'hi' }, '?output_format=opus_48000_64', 400, 'unsupported_output_format'],
      [GEORGE, { text: 'hi', model_id: 'eleven_flash_v2_5', language_code: 'xx' }, '', 400, 'unsupported_language'],
    ];
    for (const [voice, body, query, status, code] of cases) {
      const res = await tts(`${voice}/stream`, body, query);
      expect([res.status, (await errorOf(res)).status]).toEqual([status, code]);
    }
    const limit = await tts(GEORGE, { text: 'x'.repeat(10_001) });
    expect((await errorOf(limit)).message).toMatch(/10001 characters.*10000/);
  });

  it('keeps a record of every request for inspection', async () => {
    const res = await tts(GEORGE, { text: 'Count me' }, '?output_format=pcm_8000');
    await res.arrayBuffer();
    const record = emulator.ttsRequests.find((r) => r.request_id === res.headers.get('request-id'));
    expect(record).toMatchObject({
      endpoint: 'convert',
      voice_id: GEORGE,
      model_id: 'eleven_multilingual_v2',
      output_format: 'pcm_8000',
      text: 'Count me',
      characters: 8,
      status: 'done',
    });
    const listed = (await (await fetch(`${emulator.url}/_emulator/tts`)).json()) as { request_id: string }[];
    expect(listed.some((r) => r.request_id === record!.request_id)).toBe(true);
  });
});

describe('faults', () => {
  it('refuses once with quota_exceeded (401), then serves again', async () => {
    emulator.injectTtsFaults({ quota_exceeded: true }, GEORGE);
    const refused = await tts(GEORGE + '/stream', { text: 'hi' });
    expect(refused.status).toBe(401);
    expect((await errorOf(refused)).status).toBe('quota_exceeded');
    expect((await tts(GEORGE + '/stream', { text: 'hi' })).status).toBe(200);
  });

  it('takes faults over HTTP, for one voice, and validates them', async () => {
    const post = (body: unknown, query = '') =>
      fetch(`${emulator.url}/_emulator/tts-faults${query}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ too_many_concurrent_requests: true }, '?voice_id=slow')).status).toBe(200);
    expect((await tts(GEORGE, { text: 'hi' }, '?output_format=pcm_8000')).status).toBe(200);
    const busy = await tts('slow', { text: 'hi' });
    expect([busy.status, (await errorOf(busy)).status]).toEqual([429, 'too_many_concurrent_requests']);
    const bad = await post({ drop_after_ms: 'soon' });
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).message).toMatch(/drop_after_ms/);
    expect((await post({ explode: true })).status).toBe(422);
  });

  it('delays the response by latency_ms', async () => {
    // A lower bound only: timers never fire early, so this cannot flake on a busy machine.
    emulator.injectTtsFaults({ latency_ms: 300, jitter_ms: 20 });
    const started = Date.now();
    const res = await tts(GEORGE + '/stream', { text: 'Late.' }, '?output_format=pcm_8000');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await readChunks(res)).length).toBeGreaterThan(0);
  });

  it('drops a stream mid-body: the reader fails after some audio', async () => {
    emulator.injectTtsFaults({ drop_after_ms: 100 });
    const res = await tts(GEORGE + '/stream', { text: 'This stream will never finish.' }, '?output_format=pcm_16000');
    expect(res.status).toBe(200);
    const { bytes, error } = await readUntilError(res);
    expect(error).toBeTruthy();
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(2 * 16 * (140 + 30 * 70));
    await expect.poll(() => emulator.ttsRequests.at(-1)?.status).toBe('dropped');
  });

  it('drops a whole-file response after half its body', async () => {
    emulator.injectTtsFaults({ drop_after_ms: 0 });
    const res = await tts(GEORGE, { text: 'Half of this arrives.' }, '?output_format=pcm_16000');
    const length = Number(res.headers.get('content-length'));
    expect(length).toBe(2 * 16 * (140 + 21 * 70));
    const { bytes, error } = await readUntilError(res);
    expect(error).toBeTruthy();
    expect(bytes).toBe(length / 2);
  });
});

/** A stream-input client: collects what the server sends and how it closes. */
async function streamInput(query: string, headers: Record<string, string> = { 'xi-api-key': KEY }, voice = GEORGE) {
  const ws = new WebSocket(`${emulator.wsUrl}/v1/text-to-speech/${voice}/stream-input?${query}`, { headers });
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
  const send = (message: unknown) => ws.send(JSON.stringify(message));
  return { ws, received, closed, send };
}

const audioMessages = (received: Record<string, any>[]) => received.filter((m) => typeof m.audio === 'string');

describe('stream-input WebSocket', () => {
  it('speaks text sent in pieces on flush, with millisecond alignment relative to each message, then isFinal', async () => {
    const rate = 16000;
    const { send, received, closed } = await streamInput(`model_id=eleven_flash_v2_5&output_format=pcm_${rate}`);
    send({
      text: ' ',
      voice_settings: { stability: 0.5, similarity_boost: 0.8 },
      generation_config: { chunk_length_schedule: [120, 160, 250, 290] },
    });
    const pieces = ['Hello ', 'world, ', 'this is ', 'streamed.'];
    for (const text of pieces) send({ text });
    send({ text: ' And more.', flush: true });
    await expect.poll(() => audioMessages(received).length).toBeGreaterThan(0);
    send({ text: '' });
    expect(await closed).toEqual({ code: 1000, reason: '' });
    expect(received.at(-1)).toEqual({ isFinal: true });
    const audio = audioMessages(received);
    expect(audio.length).toBeGreaterThan(3);
    const chars: string[] = [];
    for (const m of audio) {
      expect(m.isFinal).toBe(false);
      const samples = Buffer.from(m.audio, 'base64').length / 2;
      const {
        chars: c,
        charStartTimesMs: starts,
        charsDurationsMs: durations,
      } = m.alignment ?? { chars: [], charStartTimesMs: [], charsDurationsMs: [] };
      expect(starts).toHaveLength(c.length);
      expect(durations).toHaveLength(c.length);
      for (const s of starts) {
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThan((samples / rate) * 1000);
      }
      expect(m.normalizedAlignment).toEqual(m.alignment); // Flash does not normalise
      chars.push(...c);
    }
    expect(chars.join('')).toBe(pieces.join('') + ' And more.');
    const samples = pcm16ToFloat(Buffer.concat(audio.map((m) => Buffer.from(m.audio, 'base64'))));
    expect(recognize(padded(samples, rate), rate).text).toBe(chars.join(''));
    expect(emulator.ttsRequests.at(-1)).toMatchObject({
      endpoint: 'stream-input',
      status: 'done',
      characters: chars.length,
    });
  });

  it('generates without flush once the buffer reaches the chunk length schedule (whole words)', async () => {
    const { send, received, closed } = await streamInput('output_format=pcm_8000');
    send({ text: ' ', generation_config: { chunk_length_schedule: [50] } });
    const words = 'one two three four five six seven eight nine ten eleven twelve '.split(/(?<= )/);
    for (const w of words) send({ text: w });
    send({ text: 'unfinished' });
    await expect.poll(() => audioMessages(received).length).toBeGreaterThan(0);
    send({ text: '' });
    await closed;
    const chars = audioMessages(received).flatMap((m) => m.alignment?.chars ?? []);
    expect(chars.join('')).toBe(words.join('') + 'unfinished');
  });

  it('in auto_mode generates each complete word at once, without a schedule or flush', async () => {
    const { send, received, closed } = await streamInput('output_format=pcm_8000&auto_mode=true&sync_alignment=true');
    send({ text: ' ' });
    send({ text: 'Right away ' });
    await expect.poll(() => audioMessages(received).length).toBeGreaterThan(0);
    send({ text: '' });
    await closed;
    expect(
      audioMessages(received)
        .flatMap((m) => m.alignment?.chars ?? [])
        .join(''),
    ).toBe('Right away ');
  });

  it('sends MP3 frames in its default format', async () => {
    const { send, received, closed } = await streamInput('');
    send({ text: ' ' });
    send({ text: 'An MP3 reply.', flush: true });
    send({ text: '' });
    await closed;
    const bytes = Buffer.concat(audioMessages(received).map((m) => Buffer.from(m.audio, 'base64')));
    expect(readMp3Frames(bytes)).toMatchObject({ sampleRate: 44100, end: bytes.length });
  });

  it('authenticates by xi_api_key in the first message, the authorization bearer, or a single-use token (once)', async () => {
    const first = await streamInput('output_format=pcm_8000', {});
    first.send({ text: ' ', xi_api_key: KEY });
    first.send({ text: 'ok', flush: true });
    first.send({ text: '' });
    expect((await first.closed).code).toBe(1000);

    const bearer = await streamInput(`output_format=pcm_8000&authorization=${encodeURIComponent(`Bearer ${KEY}`)}`, {});
    bearer.send({ text: ' ' });
    bearer.send({ text: '' });
    expect((await bearer.closed).code).toBe(1000);

    const minted = await fetch(`${emulator.url}/v1/single-use-token/tts_websocket`, {
      method: 'POST',
      headers: { 'xi-api-key': KEY },
    });
    const { token } = (await minted.json()) as { token: string };
    const once1 = await streamInput(`output_format=pcm_8000&single_use_token=${token}`, {});
    once1.send({ text: ' ' });
    once1.send({ text: 'ok', flush: true });
    once1.send({ text: '' });
    expect((await once1.closed).code).toBe(1000);
    expect(audioMessages(once1.received).length).toBeGreaterThan(0);
    const twice = await streamInput(`output_format=pcm_8000&single_use_token=${token}`, {});
    expect((await twice.closed).code).toBe(1008);
    expect(twice.received[0]).toMatchObject({
      error: 'invalid_api_key',
      code: 1008,
      message: expect.stringMatching(/single-use token/),
    });
  });

  it('refuses with an error message and close 1008: no key, a wrong key, unknown voice, bad format, bad first message', async () => {
    const cases: [string, Record<string, string>, string, unknown, string][] = [
      ['', {}, GEORGE, { text: ' ' }, 'needs_authorization'],
      ['', { 'xi-api-key': 'nope' }, GEORGE, null, 'invalid_api_key'],
      ['', { 'xi-api-key': KEY }, 'nobody', null, 'voice_not_found'],
      ['output_format=pcm_1', { 'xi-api-key': KEY }, GEORGE, null, 'invalid_request'],
      ['', { 'xi-api-key': KEY }, GEORGE, { text: 'Hello' }, 'invalid_request'],
      ['', { 'xi-api-key': KEY }, GEORGE, { nope: true }, 'invalid_request'],
    ];
    for (const [query, headers, voice, first, error] of cases) {
      const client = await streamInput(query, headers, voice);
      if (first) client.send(first);
      const closed = await client.closed;
      expect([closed.code, client.received[0]?.error]).toEqual([1008, error]);
    }
  });

  it('closes an idle connection after inactivity_timeout with input_timeout_exceeded', async () => {
    const { send, received, closed } = await streamInput('inactivity_timeout=1');
    send({ text: ' ' });
    expect((await closed).code).toBe(1008);
    expect(received.at(-1)).toMatchObject({
      error: 'input_timeout_exceeded',
      message: expect.stringMatching(/1 seconds/),
    });
  });

  it('faults: quota refuses, a drop closes without a close frame', async () => {
    emulator.injectTtsFaults({ quota_exceeded: true });
    const quota = await streamInput('');
    expect((await quota.closed).code).toBe(1008);
    expect(quota.received[0]).toMatchObject({ error: 'quota_exceeded' });
    emulator.injectTtsFaults({ drop_after_ms: 50 });
    const dropped = await streamInput('');
    dropped.send({ text: ' ' });
    expect((await dropped.closed).code).toBe(1006);
  });

  it('faults: a malformed frame', async () => {
    emulator.injectTtsFaults({ malformed_frame_after_ms: 20 });
    const { ws, send, received } = await streamInput('');
    send({ text: ' ' });
    await expect.poll(() => received.some((m) => 'unparsable' in m)).toBe(true);
    ws.close();
  });
});
