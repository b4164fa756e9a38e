// Speech to text over REST from Node: uploads in WAV, MP3 and raw PCM come back as the very text the emulator's
// speech said, with word times where the words' tones are; other sound is marked; validation, limits, auth, faults.
// (WebM, Ogg and MP4 uploads, recorded or encoded by Chromium, are in stt.browser.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from './index.ts';
import { createAudioEncoder, parseOutputFormat } from './output-format.ts';
import { floatToPcm16 } from './pcm.ts';
import { planSpeech, speechWav, synthesize, toWav } from './speech.ts';
import type { TranscriptWord } from './transcript.ts';

const KEY = 'test-key';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({ port: 0, apiKey: KEY, log: () => {}, sttMaxDurationSeconds: 60 });
});
afterAll(() => emulator.close());

interface Transcript {
  language_code: string;
  language_probability: number;
  text: string;
  words: TranscriptWord[];
  transcription_id: string;
}

const upload = (
  file: Uint8Array | null,
  fields: Record<string, string> = {},
  options: { key?: string | null; type?: string; base?: string } = {},
) => {
  const form = new FormData();
  if (!('model_id' in fields)) form.set('model_id', 'scribe_v1');
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (file) form.set('file', new Blob([new Uint8Array(file)], { type: options.type ?? 'audio/wav' }), 'speech.wav');
  const key = options.key === undefined ? KEY : options.key;
  return fetch(`${options.base ?? emulator.url}/v1/speech-to-text`, {
    method: 'POST',
    headers: key === null ? {} : { 'xi-api-key': key },
    body: form,
  });
};

const transcribe = async (file: Uint8Array, fields: Record<string, string> = {}, type?: string) => {
  const res = await upload(file, fields, { type });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Transcript;
};

/** Where each word of `text` is in the plan (ms from the start of the speech). */
const plannedWords = (text: string, speed?: number) => {
  const { alignment } = planSpeech(text, { speed });
  const words: { text: string; start: number; end: number }[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    const first = [...text.slice(0, match.index)].length;
    const last = first + [...match[0]].length - 1;
    words.push({
      text: match[0],
      start: alignment.char_start_times_ms[first]!,
      end: alignment.char_start_times_ms[last]! + alignment.char_durations_ms[last]!,
    });
  }
  return words;
};

const PHRASE = 'Hello world, this is speech to text.';

describe('POST /v1/speech-to-text', { timeout: 30_000 }, () => {
  it('transcribes a WAV of the emulator speech exactly, words timed within 20 ms of their tones', async () => {
    const result = await transcribe(speechWav(PHRASE, { sampleRate: 16_000, leadingSilenceMs: 700 }));
    expect(result).toMatchObject({ language_code: 'eng', text: PHRASE });
    expect(result.language_probability).toBeGreaterThan(0.9);
    expect(result.transcription_id).toMatch(/\w+/);
    const words = result.words.filter((w) => w.type === 'word');
    const planned = plannedWords(PHRASE);
    expect(words.map((w) => w.text)).toEqual(planned.map((w) => w.text));
    words.forEach((w, i) => {
      expect(Math.abs(w.start! - (0.7 + planned[i]!.start / 1000))).toBeLessThan(0.02);
      expect(Math.abs(w.end! - (0.7 + planned[i]!.end / 1000))).toBeLessThan(0.02);
      expect(w.logprob).toBeLessThanOrEqual(0);
      expect(w.speaker_id).toBeNull();
    });
    // Words and spacings alternate and spell the text.
    expect(result.words.map((w) => w.type)).toEqual(planned.flatMap((_, i) => (i ? ['spacing', 'word'] : ['word'])));
    expect(result.words.map((w) => w.text).join('')).toBe(PHRASE);
  });

  it('decodes MP3 (the emulator encoder), 44.1 kHz stereo WAV and raw 16 kHz PCM (file_format=pcm_s16le_16)', async () => {
    // Short: the test runs in the emulator's process, and long synchronous encoding here stalls its sockets.
    const SHORT = 'Hello mp3.';
    const speech = synthesize(SHORT, 44_100);
    const lead = new Float32Array(44_100 / 2);
    const samples = new Float32Array(lead.length * 2 + speech.samples.length);
    samples.set(speech.samples, lead.length);
    const format = parseOutputFormat('mp3_44100_128')!;
    const encoder = createAudioEncoder(format, samples.length);
    const mp3 = Buffer.concat([encoder.encode(samples), encoder.end()]);
    const fromMp3 = await transcribe(new Uint8Array(mp3), {}, 'audio/mpeg');
    expect(fromMp3.text).toBe(SHORT);
    // LAME's delay (1105 samples, 25 ms) shifts the words a little; they stay in place otherwise.
    const first = fromMp3.words[0]!;
    expect(Math.abs(first.start! - (0.5 + plannedWords(SHORT)[0]!.start / 1000))).toBeLessThan(0.04);

    // Stereo: the same speech on both channels.
    const stereo = toWav(samples, 44_100);
    const view = new DataView(stereo.buffer);
    const frames = samples.length;
    const two = new Uint8Array(44 + frames * 4);
    two.set(stereo.subarray(0, 44));
    const out = new DataView(two.buffer);
    out.setUint32(4, 36 + frames * 4, true);
    out.setUint16(22, 2, true);
    out.setUint32(28, 44_100 * 4, true);
    out.setUint16(32, 4, true);
    out.setUint32(40, frames * 4, true);
    for (let i = 0; i < frames; i++) {
      const v = view.getInt16(44 + i * 2, true);
      out.setInt16(44 + i * 4, v, true);
      out.setInt16(46 + i * 4, v, true);
    }
    expect((await transcribe(two)).text).toBe(SHORT);

    const pcm = floatToPcm16(synthesize('raw pcm', 16_000).samples);
    const raw = new Uint8Array(pcm.buffer);
    expect((await transcribe(raw, { file_format: 'pcm_s16le_16' }, 'application/octet-stream')).text).toBe('raw pcm');
  });

  it('character timestamps per word, none at all for timestamps_granularity=none', async () => {
    const wav = speechWav('ab cd', { sampleRate: 16_000, leadingSilenceMs: 300 });
    const { words } = await transcribe(wav, { timestamps_granularity: 'character' });
    const { alignment } = planSpeech('ab cd');
    expect(words[0]!.characters!.map((c) => c.text)).toEqual(['a', 'b']);
    expect(words[2]!.characters!.map((c) => c.text)).toEqual(['c', 'd']);
    const all = [...words[0]!.characters!, ...words[2]!.characters!];
    [0, 1, 3, 4].forEach((charIndex, i) => {
      expect(Math.abs(all[i]!.start - (0.3 + alignment.char_start_times_ms[charIndex]! / 1000))).toBeLessThan(0.02);
    });
    const none = await transcribe(wav, { timestamps_granularity: 'none' });
    expect(none.text).toBe('ab cd');
    expect(none.words.every((w) => w.start === null && w.end === null && !w.characters)).toBe(true);
  });

  it('diarize: voices that speak at different speeds are different speakers, capped by num_speakers', async () => {
    const rate = 16_000;
    const parts = [
      synthesize('first voice', rate).samples,
      synthesize('second voice', rate, { speed: 0.7 }).samples,
      synthesize('first again', rate).samples,
    ];
    const gap = new Float32Array(rate / 2);
    const samples = new Float32Array(parts.reduce((n, p) => n + p.length + gap.length, gap.length));
    let at = gap.length;
    for (const p of parts) {
      samples.set(p, at);
      at += p.length + gap.length;
    }
    const wav = toWav(samples, rate);
    const result = await transcribe(wav, { diarize: 'true' });
    expect(result.text).toBe('first voice second voice first again');
    const speakers = result.words.filter((w) => w.type === 'word').map((w) => w.speaker_id);
    expect(speakers).toEqual(['speaker_0', 'speaker_0', 'speaker_1', 'speaker_1', 'speaker_0', 'speaker_0']);
    const one = await transcribe(wav, { diarize: 'true', num_speakers: '1' });
    expect(new Set(one.words.map((w) => w.speaker_id))).toEqual(new Set(['speaker_0']));
  });

  it('other sound is one "(unrecognized speech)" audio event timed by where it sounds; tag_audio_events=false leaves it out', async () => {
    const rate = 16_000;
    const samples = new Float32Array(rate * 2);
    for (let i = rate / 2; i < rate * 1.5; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate);
    const result = await transcribe(toWav(samples, rate));
    expect(result.text).toBe('(unrecognized speech)');
    expect(result.words).toHaveLength(1);
    expect(result.words[0]).toMatchObject({ type: 'audio_event', text: '(unrecognized speech)' });
    expect(Math.abs(result.words[0]!.start! - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(result.words[0]!.end! - 1.5)).toBeLessThan(0.02);
    expect(result.language_probability).toBe(0);
    const untagged = await transcribe(toWav(samples, rate), { tag_audio_events: 'false' });
    expect(untagged).toMatchObject({ text: '', words: [] });
    // Silence: an empty transcript.
    expect(await transcribe(toWav(new Float32Array(rate), rate))).toMatchObject({ text: '', words: [] });
  });

  it('GET /_emulator/speech.wav gives a WAV of the speech for a text, which transcribes back to it', async () => {
    const res = await fetch(
      `${emulator.url}/_emulator/speech.wav?text=${encodeURIComponent('from a page')}&sample_rate=16000`,
    );
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect((await transcribe(new Uint8Array(await res.arrayBuffer()))).text).toBe('from a page');
    expect((await fetch(`${emulator.url}/_emulator/speech.wav`)).status).toBe(422);
  });

  it('echoes language_code and fetches cloud_storage_url', async () => {
    const wav = speechWav('from the cloud', { sampleRate: 16_000 });
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/wav' });
      res.end(wav);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const res = await upload(null, { cloud_storage_url: `http://127.0.0.1:${port}/a.wav`, language_code: 'en' });
      expect(await res.json()).toMatchObject({ text: 'from the cloud', language_code: 'en', language_probability: 1 });
      const missing = await upload(null, { cloud_storage_url: `http://127.0.0.1:${port + 1}/gone.wav` });
      expect(missing.status).toBe(400);
      expect((await missing.json()).detail.status).toBe('invalid_cloud_storage_url');
    } finally {
      server.close();
    }
  });

  it('validation: 422 for schema problems, 400 for a wrong model or undecodable audio', async () => {
    const wav = speechWav('hi', { sampleRate: 16_000 });
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(wav)]), 'a.wav');
    const missingModel = await fetch(`${emulator.url}/v1/speech-to-text`, {
      method: 'POST',
      headers: { 'xi-api-key': KEY },
      body: form,
    });
    expect(missingModel.status).toBe(422);
    expect((await missingModel.json()).detail).toContainEqual(
      expect.objectContaining({ type: 'missing', loc: ['body', 'model_id'] }),
    );

    const noFile = await upload(null);
    expect(noFile.status).toBe(422);
    expect(JSON.stringify(await noFile.json())).toContain('Exactly one of the file or cloud_storage_url');
    const both = await upload(wav, { cloud_storage_url: 'https://example.com/a.wav' });
    expect(both.status).toBe(422);

    const bad = await upload(wav, { timestamps_granularity: 'syllable', num_speakers: '40', diarize: 'maybe' });
    expect(bad.status).toBe(422);
    const locs = ((await bad.json()).detail as { loc: string[] }[]).map((p) => p.loc[1]);
    expect(locs).toEqual(expect.arrayContaining(['timestamps_granularity', 'num_speakers', 'diarize']));

    const json = await fetch(`${emulator.url}/v1/speech-to-text`, {
      method: 'POST',
      headers: { 'xi-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model_id: 'scribe_v1' }),
    });
    expect(json.status).toBe(422);

    for (const model of ['eleven_multilingual_v2', 'scribe_v2_realtime']) {
      const res = await upload(wav, { model_id: model });
      expect(res.status).toBe(400);
      expect((await res.json()).detail.status).toBe('invalid_model_id');
    }
    for (const model of ['scribe_v1', 'scribe_v1_experimental', 'scribe_v2']) {
      expect((await transcribe(wav, { model_id: model })).text).toBe('hi');
    }

    const garbage = await upload(new TextEncoder().encode('this is not audio at all, just text'), {}, {});
    expect(garbage.status).toBe(400);
    expect((await garbage.json()).detail).toMatchObject({ status: 'invalid_audio' });

    expect((await upload(wav, { webhook: 'true' })).status).toBe(400);
  });

  it('auth by xi-api-key; quota and latency faults; every request recorded', async () => {
    const wav = speechWav('recorded', { sampleRate: 16_000 });
    const missing = await upload(wav, {}, { key: null });
    expect(missing.status).toBe(401);
    expect((await missing.json()).detail.status).toBe('needs_authorization');
    const wrong = await upload(wav, {}, { key: 'nope' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).detail.status).toBe('invalid_api_key');

    emulator.injectSttFaults({ quota_exceeded: true });
    const quota = await upload(wav);
    expect(quota.status).toBe(401);
    expect((await quota.json()).detail.status).toBe('quota_exceeded');

    const fault = await fetch(`${emulator.url}/_emulator/stt-faults`, {
      method: 'POST',
      body: JSON.stringify({ latency_ms: 50 }),
    });
    expect(fault.status).toBe(200);
    expect((await transcribe(wav)).text).toBe('recorded');
    const badFault = await fetch(`${emulator.url}/_emulator/stt-faults`, { method: 'POST', body: '{"nope":1}' });
    expect(badFault.status).toBe(422);

    const last = emulator.sttRequests.at(-1)!;
    expect(last).toMatchObject({
      endpoint: 'convert',
      model_id: 'scribe_v1',
      audio_format: 'audio/wav',
      text: 'recorded',
      status: 'done',
      faults: { latency_ms: 50 },
    });
    expect(last.audio_ms).toBeGreaterThan(1000);
    expect(emulator.sttRequests.at(-2)).toMatchObject({ status: 'refused', error: 'quota_exceeded' });
    const overHttp = await (await fetch(`${emulator.url}/_emulator/stt`)).json();
    expect(overHttp.at(-1).request_id).toBe(last.request_id);
  });

  it('size and duration limits are options, refused with 413 and 400', async () => {
    const small = await createEmulator({ port: 0, log: () => {}, sttMaxFileBytes: 40_000, sttMaxDurationSeconds: 1 });
    try {
      const big = await upload(
        speechWav('this is far too long for the limit', { sampleRate: 16_000 }),
        {},
        {
          base: small.url,
        },
      );
      expect(big.status).toBe(413);
      expect((await big.json()).detail).toMatchObject({ status: 'payload_too_large' });
      // 1.7 s of 8 kHz speech fits in 40 kB but is over a second.
      const long = await upload(
        speechWav('twelve chars', { sampleRate: 8000, leadingSilenceMs: 200 }),
        {},
        {
          base: small.url,
        },
      );
      expect(long.status).toBe(400);
      expect((await long.json()).detail).toMatchObject({ status: 'audio_too_long' });
    } finally {
      await small.close();
    }
  });
});
