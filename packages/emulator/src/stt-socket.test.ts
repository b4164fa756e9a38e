// The realtime speech-to-text WebSocket from Node, with `ws` and with the official `Scribe` client from
// @elevenlabs/client: partial transcripts grow into the committed one, equal to what the emulator's speech said;
// manual and VAD commits; single-use tokens; errors and the early-close faults a client must survive.
import { once } from 'node:events';
import { AudioFormat, CommitStrategy, RealtimeEvents, Scribe } from '@elevenlabs/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEmulator, type Emulator } from './index.ts';
import { encodeMulaw, floatToPcm16 } from './pcm.ts';
import { planSpeech, synthesize } from './speech.ts';

const KEY = 'test-key';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({ port: 0, apiKey: KEY, log: () => {} });
});
afterAll(() => emulator.close());

const mintToken = async () => {
  const res = await fetch(`${emulator.url}/v1/single-use-token/realtime_scribe`, {
    method: 'POST',
    headers: { 'xi-api-key': KEY },
  });
  return ((await res.json()) as { token: string }).token;
};

type Message = Record<string, unknown> & { message_type: string };

/**
 * A socket that collects every message; `next(type)` resolves with the first message of that type it has not
 * returned yet (already received or still to come).
 */
async function connect(query: Record<string, string>, headers: Record<string, string> = {}) {
  const params = new URLSearchParams({ model_id: 'scribe_v2_realtime', ...query });
  const ws = new WebSocket(`${emulator.wsUrl}/v1/speech-to-text/realtime?${params}`, { headers });
  const messages: Message[] = [];
  const taken = new Set<Message>();
  const waiting: { types: string[]; resolve: (m: Message) => void }[] = [];
  const take = (types: string[]) => {
    const found = messages.find((m) => types.includes(m.message_type) && !taken.has(m));
    if (found) taken.add(found);
    return found;
  };
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Message);
    for (const w of [...waiting]) {
      const found = take(w.types);
      if (found) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(found);
      }
    }
  });
  const closed = once(ws, 'close').then(([code, reason]) => ({ code: code as number, reason: String(reason) }));
  const next = (...types: string[]) =>
    new Promise<Message>((resolve) => {
      const found = take(types);
      if (found) resolve(found);
      else waiting.push({ types, resolve });
    });
  const started = await next('session_started', 'auth_error', 'invalid_request', 'quota_exceeded');
  return { ws, messages, next, closed, started };
}

const pcmChunks = (samples: Float32Array, rate: number, chunkMs = 100) => {
  const bytes = Buffer.from(floatToPcm16(samples).buffer);
  const size = Math.round((rate * chunkMs) / 1000) * 2;
  const chunks: string[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size).toString('base64'));
  return chunks;
};

/** The emulator's speech for `text` with silence before and after, as PCM16 base64 chunks. */
const spoken = (text: string, rate = 16_000, { beforeMs = 300, afterMs = 300, speed = 1 } = {}) => {
  const speech = synthesize(text, rate, { speed }).samples;
  const samples = new Float32Array(Math.round(((beforeMs + afterMs) * rate) / 1000) + speech.length);
  samples.set(speech, Math.round((beforeMs * rate) / 1000));
  return samples;
};

const chunkMessage = (audio: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    message_type: 'input_audio_chunk',
    audio_base_64: audio,
    commit: false,
    sample_rate: 16000,
    ...extra,
  });

const TEXT = 'Realtime words grow as they are heard.';

describe('WS /v1/speech-to-text/realtime', { timeout: 30_000 }, () => {
  it('with a single-use token: session_started, growing partials, then the committed text with word times', async () => {
    const token = await mintToken();
    const s = await connect({ token, include_timestamps: 'true', language_code: 'en' });
    expect(s.started).toMatchObject({
      message_type: 'session_started',
      config: {
        sample_rate: 16000,
        audio_format: 'pcm_16000',
        model_id: 'scribe_v2_realtime',
        vad_commit_strategy: 'manual',
        language_code: 'en',
      },
    });
    expect(s.started.session_id).toEqual(expect.any(String));
    // The first half of the speech, then a partial with the words so far (how often partials come depends on how
    // fast the emulator decodes, so the test waits for one rather than counting them).
    const chunks = pcmChunks(spoken(TEXT), 16_000);
    const half = Math.floor(chunks.length / 2);
    for (const chunk of chunks.slice(0, half)) s.ws.send(chunkMessage(chunk));
    const early = (await s.next('partial_transcript')).text as string;
    expect(early.length).toBeGreaterThan(0);
    expect(early.length).toBeLessThan(TEXT.length);
    for (const chunk of chunks.slice(half)) s.ws.send(chunkMessage(chunk));
    const committed = s.next('committed_transcript');
    const timed = s.next('committed_transcript_with_timestamps');
    s.ws.send(chunkMessage('', { commit: true }));
    expect((await committed).text).toBe(TEXT);

    const partials = s.messages.filter((m) => m.message_type === 'partial_transcript').map((m) => m.text as string);
    for (let i = 1; i < partials.length; i++) expect(partials[i]!.length).toBeGreaterThan(partials[i - 1]!.length);
    for (const p of partials) expect(TEXT.startsWith(p)).toBe(true);
    // Partials come before the commit.
    const order = s.messages.map((m) => m.message_type);
    expect(order.lastIndexOf('partial_transcript')).toBeLessThan(order.indexOf('committed_transcript'));

    const words = (await timed) as unknown as { text: string; language_code: string; words: Record<string, unknown>[] };
    expect(words).toMatchObject({ text: TEXT, language_code: 'en' });
    const first = words.words[0]!;
    expect(first).toMatchObject({ text: 'Realtime', type: 'word' });
    const plan = planSpeech(TEXT);
    expect(Math.abs((first.start as number) - (0.3 + plan.alignment.char_start_times_ms[0]! / 1000))).toBeLessThan(
      0.02,
    );
    s.ws.close();
    await s.closed;
    expect(emulator.sttRequests.at(-1)).toMatchObject({
      endpoint: 'realtime',
      text: TEXT,
      commits: 1,
      status: 'done',
      audio_format: 'pcm_16000',
    });
  });

  it('commit_strategy=vad commits each utterance after the silence, times counted from the session start', async () => {
    const s = await connect(
      { commit_strategy: 'vad', vad_silence_threshold_secs: '0.5', include_timestamps: 'true' },
      { 'xi-api-key': KEY },
    );
    expect(s.started.config).toMatchObject({ vad_commit_strategy: 'vad', vad_silence_threshold_secs: 0.5 });
    const first = spoken('first part', 16_000, { afterMs: 800 });
    const second = spoken('and the second', 16_000, { afterMs: 800 });
    const all = [...pcmChunks(first, 16_000), ...pcmChunks(second, 16_000)];
    all.forEach((chunk) => s.ws.send(chunkMessage(chunk)));
    const one = await s.next('committed_transcript_with_timestamps');
    const two = await s.next('committed_transcript_with_timestamps');
    expect(one.text).toBe('first part');
    expect(two.text).toBe('and the second');
    const committed = s.messages.filter((m) => m.message_type === 'committed_transcript').map((m) => m.text);
    expect(committed).toEqual(['first part', 'and the second']);
    // The second utterance starts after all of the first one's audio (as committed: speech and silence).
    const start = (two.words as { start: number }[])[0]!.start;
    const expected = first.length / 16_000 + 0.3 + planSpeech('x').alignment.char_start_times_ms[0]! / 1000;
    expect(Math.abs(start - expected)).toBeLessThan(0.03);
    s.ws.close();
  });

  it('μ-law at 8 kHz; other sound is "(unrecognized speech)"', async () => {
    const s = await connect({ audio_format: 'ulaw_8000' }, { 'xi-api-key': KEY });
    const speech = spoken('mu law', 8000);
    const bytes = Buffer.from(encodeMulaw(speech));
    for (let i = 0; i < bytes.length; i += 800) {
      s.ws.send(chunkMessage(bytes.subarray(i, i + 800).toString('base64'), { sample_rate: 8000 }));
    }
    const committed = s.next('committed_transcript');
    s.ws.send(chunkMessage('', { commit: true, sample_rate: 8000 }));
    expect((await committed).text).toBe('mu law');

    const tone = new Float32Array(8000);
    for (let i = 2000; i < 6000; i++) tone[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 8000);
    const second = s.next('committed_transcript');
    s.ws.send(chunkMessage(Buffer.from(encodeMulaw(tone)).toString('base64'), { sample_rate: 8000, commit: true }));
    expect((await second).text).toBe('(unrecognized speech)');
    s.ws.close();
  });

  it('a token works once and not once expired; no or a wrong key is auth_error; bad parameters are invalid_request (then close 1008)', async () => {
    const token = await mintToken();
    const ok = await connect({ token });
    expect(ok.started.message_type).toBe('session_started');
    ok.ws.close();
    const reused = await connect({ token });
    expect(reused.started).toMatchObject({ message_type: 'auth_error', error: expect.any(String) });
    expect((await reused.closed).code).toBe(1008);
    const none = await connect({});
    expect(none.started.message_type).toBe('auth_error');
    const wrong = await connect({}, { 'xi-api-key': 'nope' });
    expect(wrong.started.message_type).toBe('auth_error');
    const tts = await fetch(`${emulator.url}/v1/single-use-token/tts_websocket`, {
      method: 'POST',
      headers: { 'xi-api-key': KEY },
    });
    const foreign = await connect({ token: ((await tts.json()) as { token: string }).token });
    expect(foreign.started.message_type).toBe('auth_error');

    // An expired token: tokens live as long as signatures (15 minutes by default).
    const shortLived = await createEmulator({ port: 0, apiKey: KEY, log: () => {}, signatureTtlSeconds: 0 });
    try {
      const res = await fetch(`${shortLived.url}/v1/single-use-token/realtime_scribe`, {
        method: 'POST',
        headers: { 'xi-api-key': KEY },
      });
      const expired = ((await res.json()) as { token: string }).token;
      const ws = new WebSocket(
        `${shortLived.wsUrl}/v1/speech-to-text/realtime?model_id=scribe_v2_realtime&token=${expired}`,
      );
      const [first] = await once(ws, 'message');
      expect(JSON.parse(String(first))).toMatchObject({ message_type: 'auth_error' });
    } finally {
      await shortLived.close();
    }

    for (const query of <Record<string, string>[]>[
      { model_id: 'scribe_v1' },
      { audio_format: 'mp3_44100' },
      { commit_strategy: 'sometimes' },
      { vad_silence_threshold_secs: '9' },
    ]) {
      const bad = await connect(query, { 'xi-api-key': KEY });
      expect(bad.started, JSON.stringify(query)).toMatchObject({ message_type: 'invalid_request' });
      expect((await bad.closed).code).toBe(1008);
    }
  });

  it('input errors are reported and the session goes on', async () => {
    const s = await connect({}, { 'xi-api-key': KEY });
    const chunks = pcmChunks(spoken('still here'), 16_000);
    s.ws.send(chunkMessage(chunks[0]!, { previous_text: 'earlier' }));
    s.ws.send(chunkMessage(chunks[1]!, { previous_text: 'too late' }));
    expect((await s.next('input_error')).error).toMatch(/previous_text/);
    const rate = s.next('input_error');
    s.ws.send(chunkMessage(chunks[1]!, { sample_rate: 44100 }));
    expect((await rate).error).toMatch(/sample_rate/);
    const notJson = s.next('input_error');
    s.ws.send('not json');
    await notJson;
    const big = s.next('chunk_size_exceeded');
    s.ws.send(chunkMessage(Buffer.alloc(16_000 * 2 * 6).toString('base64')));
    await big;
    for (const chunk of chunks.slice(1)) s.ws.send(chunkMessage(chunk));
    const committed = s.next('committed_transcript');
    s.ws.send(chunkMessage('', { commit: true }));
    expect((await committed).text).toBe('still here');
    s.ws.close();
  });

  it('faults: a dropped connection (1006) and an error that ends the session; a fresh token reconnects', async () => {
    emulator.injectSttFaults({ drop_after_ms: 100 });
    const dropped = await connect({ token: await mintToken() });
    expect((await dropped.closed).code).toBe(1006);
    expect(emulator.sttRequests.at(-1)).toMatchObject({ status: 'dropped' });

    emulator.injectSttFaults({ error_after_ms: 50 });
    const limited = await connect({ token: await mintToken() });
    expect(await limited.next('session_time_limit_exceeded')).toMatchObject({ error: expect.any(String) });
    expect((await limited.closed).code).toBe(1008);

    emulator.injectSttFaults({ quota_exceeded: true });
    const quota = await connect({ token: await mintToken() });
    expect(quota.started.message_type).toBe('quota_exceeded');

    const again = await connect({ token: await mintToken() });
    expect(again.started.message_type).toBe('session_started');
    again.ws.close();
  });
});

describe('the official Scribe client (@elevenlabs/client) in Node', { timeout: 30_000 }, () => {
  const withWebSocket = async (run: () => Promise<void>) => {
    // Node 20 has no global WebSocket; the client only needs the standard API, which `ws` provides.
    const global = globalThis as { WebSocket?: unknown };
    const before = global.WebSocket;
    global.WebSocket = WebSocket;
    try {
      await run();
    } finally {
      global.WebSocket = before;
    }
  };

  it('manual commit: partials, then the committed text and its timestamps', () =>
    withWebSocket(async () => {
      const connection = Scribe.connect({
        baseUri: emulator.wsUrl,
        token: await mintToken(),
        modelId: 'scribe_v2_realtime',
        audioFormat: AudioFormat.PCM_16000,
        sampleRate: 16000,
        includeTimestamps: true,
      });
      const partials: string[] = [];
      connection.on(RealtimeEvents.PARTIAL_TRANSCRIPT, (m: { text: string }) => partials.push(m.text));
      const errors: unknown[] = [];
      connection.on(RealtimeEvents.ERROR, (e: unknown) => errors.push(e));
      await new Promise((resolve) => connection.on(RealtimeEvents.SESSION_STARTED, resolve));
      for (const chunk of pcmChunks(spoken(TEXT), 16_000)) connection.send({ audioBase64: chunk });
      const committed = new Promise<{ text: string }>((resolve) =>
        connection.on(RealtimeEvents.COMMITTED_TRANSCRIPT, resolve),
      );
      const timed = new Promise<{ words?: { text: string }[] }>((resolve) =>
        connection.on(RealtimeEvents.COMMITTED_TRANSCRIPT_WITH_TIMESTAMPS, resolve),
      );
      connection.commit();
      expect((await committed).text).toBe(TEXT);
      expect((await timed).words!.filter((w) => w.text.trim()).map((w) => w.text)).toEqual(TEXT.split(' '));
      expect(partials.length).toBeGreaterThan(1);
      expect(partials.every((p) => TEXT.startsWith(p))).toBe(true);
      const closed = new Promise((resolve) => connection.on(RealtimeEvents.CLOSE, resolve));
      connection.close();
      await closed;
      expect(errors).toEqual([]);
    }));

  it('VAD commits, and an early close reaches the client as an error and a close', () =>
    withWebSocket(async () => {
      const connection = Scribe.connect({
        baseUri: emulator.wsUrl,
        token: await mintToken(),
        modelId: 'scribe_v2_realtime',
        audioFormat: AudioFormat.PCM_16000,
        sampleRate: 16000,
        commitStrategy: CommitStrategy.VAD,
        vadSilenceThresholdSecs: 0.5,
      });
      await new Promise((resolve) => connection.on(RealtimeEvents.SESSION_STARTED, resolve));
      const committed = new Promise<{ text: string }>((resolve) =>
        connection.on(RealtimeEvents.COMMITTED_TRANSCRIPT, resolve),
      );
      for (const chunk of pcmChunks(spoken('voice activity', 16_000, { afterMs: 800 }), 16_000)) {
        connection.send({ audioBase64: chunk });
      }
      expect((await committed).text).toBe('voice activity');
      connection.close();

      emulator.injectSttFaults({ error_after_ms: 50, error_type: 'session_time_limit_exceeded' });
      const limited = Scribe.connect({
        baseUri: emulator.wsUrl,
        token: await mintToken(),
        modelId: 'scribe_v2_realtime',
        audioFormat: AudioFormat.PCM_16000,
        sampleRate: 16000,
      });
      const errors: { message_type?: string }[] = [];
      limited.on(RealtimeEvents.ERROR, (e: { message_type?: string }) => errors.push(e));
      const limit = new Promise((resolve) => limited.on(RealtimeEvents.SESSION_TIME_LIMIT_EXCEEDED, resolve));
      const closed = new Promise<{ code: number }>((resolve) => limited.on(RealtimeEvents.CLOSE, resolve));
      await limit;
      expect((await closed).code).toBe(1008);
      expect(errors[0]).toMatchObject({ message_type: 'session_time_limit_exceeded' });
    }));
});
