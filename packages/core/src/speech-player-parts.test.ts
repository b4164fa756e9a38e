// The speech player's parts that need no audio: status from facts, typed errors from HTTP and WebSocket failures,
// formats and path choice, PCM / μ-law decoding across chunk boundaries, MP3 frame counting, the NDJSON reader.
import { describe, expect, it } from 'vitest';
import { describeBody, httpError, socketError } from './player/errors.ts';
import { choosePath, defaultSpeechFormat, formatInfo, type Capabilities } from './player/format.ts';
import { Mp3FrameCounter } from './player/mp3-frames.ts';
import { PCM_WORKLET_SOURCE } from './player/pcm-worklet.ts';
import { decodeMulaw, SampleDecoder, SampleStore, wavFile } from './player/samples.ts';
import { LineReader, timestampedChunk, type ChunkAlignment, type SourceSink } from './player/sources.ts';
import { playerStatus, type PlaybackFacts } from './player/status.ts';

describe('status', () => {
  const facts = (patch: Partial<PlaybackFacts>): PlaybackFacts => ({
    loaded: true,
    failed: false,
    ready: false,
    wantsToPlay: true,
    blocked: false,
    starting: false,
    starved: false,
    ended: false,
    ...patch,
  });

  it('follows from what is true about the player', () => {
    expect(playerStatus(facts({ loaded: false }))).toBe('idle');
    expect(playerStatus(facts({}))).toBe('loading');
    expect(playerStatus(facts({ ready: true }))).toBe('playing');
    expect(playerStatus(facts({ ready: true, starved: true }))).toBe('buffering');
    expect(playerStatus(facts({ ready: true, blocked: true }))).toBe('needs-user-gesture');
    expect(playerStatus(facts({ ready: true, wantsToPlay: false }))).toBe('paused');
    expect(playerStatus(facts({ wantsToPlay: false }))).toBe('loading');
    expect(playerStatus(facts({ ready: true, ended: true }))).toBe('ended');
    expect(playerStatus(facts({ ready: true, ended: true, failed: true }))).toBe('error');
  });
});

describe('errors', () => {
  const detail = (status: string, message: string) => JSON.stringify({ detail: { status, message } });

  it('maps ElevenLabs answers to codes a UI can act on', () => {
    expect(httpError(401, detail('quota_exceeded', 'This request exceeds your quota.'))).toMatchObject({
      code: 'quota',
      status: 401,
    });
    expect(httpError(401, detail('invalid_api_key', 'Invalid API key'))).toMatchObject({ code: 'auth' });
    expect(httpError(401, detail('needs_authorization', 'Neither…'))).toMatchObject({ code: 'auth' });
    // 429 is ElevenLabs' answer to concurrency and load too: only a body that says quota is one.
    expect(httpError(429, detail('too_many_concurrent_requests', 'Too many'))).toMatchObject({
      code: 'rate-limited',
      status: 429,
    });
    expect(httpError(429, detail('system_busy', 'Busy'))).toMatchObject({ code: 'rate-limited' });
    expect(httpError(429, detail('quota_exceeded', 'No credits'))).toMatchObject({ code: 'quota' });
    expect(httpError(429, 'Too Many Requests')).toMatchObject({ code: 'rate-limited' });
    expect(httpError(404, detail('voice_not_found', 'A voice with the voice_id x was not found.'))).toMatchObject({
      code: 'invalid-request',
      message: expect.stringContaining('voice_id x was not found'),
    });
    expect(httpError(400, detail('max_character_limit_exceeded', 'Too long'))).toMatchObject({
      code: 'invalid-request',
    });
    expect(httpError(502, 'Bad gateway')).toMatchObject({ code: 'network', status: 502 });
  });

  it('reads the server route’s shape and FastAPI’s validation list too', () => {
    expect(httpError(429, JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down.' } }))).toMatchObject({
      code: 'rate-limited',
      message: expect.stringContaining('Slow down.'),
    });
    expect(httpError(403, JSON.stringify({ error: { code: 'origin_not_allowed', message: 'No.' } }))).toMatchObject({
      code: 'auth',
    });
    expect(describeBody(JSON.stringify({ detail: [{ loc: ['body', 'text'], msg: 'Field required' }] }))).toEqual({
      code: 'validation_error',
      message: 'text: Field required',
    });
  });

  it('maps WebSocket error messages and close codes', () => {
    expect(socketError('quota_exceeded', 'No credits.', 1008)).toMatchObject({ code: 'quota', status: 1008 });
    expect(socketError('invalid_api_key', 'Invalid API key', 1008)).toMatchObject({ code: 'auth' });
    expect(socketError('voice_not_found', 'Nope', 1008)).toMatchObject({ code: 'invalid-request' });
    expect(socketError('too_many_concurrent_requests', 'Wait', 1008)).toMatchObject({ code: 'rate-limited' });
    expect(socketError('system_busy', 'Busy', 1011)).toMatchObject({ code: 'rate-limited', status: 1011 });
    expect(socketError('internal_error', 'Oops', 1011)).toMatchObject({ code: 'network' });
    expect(socketError(null, null, 1006)).toMatchObject({ code: 'network', status: 1006 });
  });
});

describe('formats and paths', () => {
  const all: Capabilities = { mse: true, worklet: true, webaudio: true };
  const none: Capabilities = { mse: false, worklet: false, webaudio: false };

  it('reads ElevenLabs format names', () => {
    expect(formatInfo('mp3_44100_128')).toEqual({ codec: 'mp3', sampleRate: 44100 });
    expect(formatInfo('pcm_16000')).toEqual({ codec: 'pcm', sampleRate: 16000 });
    expect(formatInfo('ulaw_8000')).toEqual({ codec: 'ulaw', sampleRate: 8000 });
    expect(() => formatInfo('opus_48000_64')).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });

  it('streams where the browser can, and falls back to the whole file', () => {
    expect(choosePath('mp3', 'auto', all)).toBe('mse');
    expect(choosePath('pcm', 'auto', all)).toBe('pcm-worklet');
    expect(choosePath('ulaw', 'auto', { ...all, worklet: false })).toBe('webaudio');
    expect(choosePath('mp3', 'auto', { ...all, mse: false })).toBe('file'); // iPhone before iOS 17.1
    expect(choosePath('pcm', 'auto', none)).toBe('file');
  });

  it('asks a route for MP3 where MediaSource streams it, else for PCM, which streams through Web Audio', () => {
    expect(defaultSpeechFormat('auto', all)).toBe('mp3_44100_128');
    expect(defaultSpeechFormat('auto', { ...all, mse: false })).toBe('pcm_24000'); // iPhone before iOS 17.1
    expect(defaultSpeechFormat('file', { ...all, mse: false })).toBe('mp3_44100_128'); // asked for by name
    expect(defaultSpeechFormat('auto', none)).toBe('mp3_44100_128'); // nothing streams: the smaller file
  });

  it('refuses a forced path the format or the browser cannot take', () => {
    expect(choosePath('pcm', 'webaudio', all)).toBe('webaudio');
    expect(choosePath('pcm', 'file', none)).toBe('file');
    expect(() => choosePath('pcm', 'mse', all)).toThrow(/mse path plays MP3/);
    expect(() => choosePath('mp3', 'pcm-worklet', all)).toThrow(/PCM and μ-law/);
    expect(() => choosePath('pcm', 'pcm-worklet', { ...all, worklet: false })).toThrow(/AudioWorklet/);
  });
});

describe('samples', () => {
  it('decodes PCM16 little-endian, joining a sample split across chunks', () => {
    const decoder = new SampleDecoder('pcm');
    // 0x4000 (0.5), 0xC000 (-0.5), 0x7FFF; the second sample's bytes arrive in two chunks.
    const a = decoder.decode(new Uint8Array([0x00, 0x40, 0x00]));
    const b = decoder.decode(new Uint8Array([0xc0, 0xff, 0x7f]));
    expect([...a, ...b]).toEqual([0.5, -0.5, 32767 / 32768]);
  });

  it('decodes μ-law (G.711)', () => {
    expect([...decodeMulaw(new Uint8Array([0xff, 0x7f, 0x80, 0x00]))].map((v) => Math.round(v * 32768) || 0)).toEqual([
      0, 0, 32124, -32124,
    ]);
  });

  it('keeps samples in chunks, reads ranges across them, and finds peaks', () => {
    const store = new SampleStore();
    store.push(new Float32Array([0.1, -0.2]));
    store.push(new Float32Array([0.3]));
    store.push(new Float32Array([-0.9, 0.5, 0]));
    expect(store.length).toBe(6);
    expect([...store.slice(1, 5)].map((v) => +v.toFixed(2))).toEqual([-0.2, 0.3, -0.9, 0.5]);
    expect([...store.peaks(3)].map((v) => +v.toFixed(2))).toEqual([0.2, 0.9, 0.5]);
    expect([...new SampleStore().peaks(4)]).toEqual([0, 0, 0, 0]);
  });

  it('writes a 16-bit WAV that keeps decoded PCM exactly', async () => {
    const decoder = new SampleDecoder('pcm');
    const bytes = new Uint8Array([0x01, 0x00, 0xff, 0xff, 0x00, 0x80, 0xff, 0x7f]);
    const wav = wavFile(decoder.decode(bytes), 16000);
    const data = new Uint8Array(await wav.arrayBuffer());
    expect(wav.type).toBe('audio/wav');
    expect(new TextDecoder().decode(data.subarray(0, 4))).toBe('RIFF');
    expect(new DataView(data.buffer).getUint32(24, true)).toBe(16000);
    expect([...data.subarray(44)]).toEqual([...bytes]);
  });
});

describe('MP3 frames', () => {
  /** An MPEG-1 Layer III frame header at 128 kbit/s, 44.1 kHz: 417 bytes (418 with padding). */
  const frame = (padding = false) => {
    const bytes = new Uint8Array(padding ? 418 : 417);
    bytes.set([0xff, 0xfb, 0x90 | (padding ? 2 : 0), 0x64]);
    return bytes;
  };
  const concat = (...parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((offset, p) => (out.set(p, offset), offset + p.length), 0);
    return out;
  };

  it('counts whole frames as they arrive in pieces, after an ID3 tag', () => {
    const id3 = concat(new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 5]), new Uint8Array(5));
    const stream = concat(id3, frame(), frame(true), frame());
    const counter = new Mp3FrameCounter();
    counter.push(stream.subarray(0, 7));
    counter.push(stream.subarray(7, 500));
    expect(counter.samples).toBe(1152);
    counter.push(stream.subarray(500, stream.length - 1));
    expect(counter.samples).toBe(2304);
    counter.push(stream.subarray(stream.length - 1));
    expect(counter.samples).toBe(3456);
    expect(counter.seconds).toBeCloseTo(3456 / 44100, 6);
  });
});

describe('stream with timestamps', () => {
  const collect = () => {
    const chunks: { bytes: number[]; alignment: ChunkAlignment | null }[] = [];
    const sink: SourceSink = {
      audio: (bytes, alignment) => chunks.push({ bytes: [...bytes], alignment }),
      complete: () => {},
      fail: () => {},
      receivedSeconds: () => 0,
    };
    return { chunks, sink };
  };
  const alignment = {
    characters: ['H', 'i'],
    character_start_times_seconds: [0, 0.1],
    character_end_times_seconds: [0.1, 0.2],
  };

  it('splits lines that arrive in pieces (also multi-byte characters)', () => {
    const reader = new LineReader();
    const bytes = new TextEncoder().encode('{"a":"é"}\n{"b":1}\n{"c"');
    expect(reader.push(bytes.subarray(0, 8))).toEqual([]);
    expect(reader.push(bytes.subarray(8))).toEqual(['{"a":"é"}', '{"b":1}']);
    expect(reader.push(new TextEncoder().encode(':2}'))).toEqual([]);
    expect(reader.end()).toEqual(['{"c":2}']);
  });

  it('reads JSON chunks, as lines or server-sent events, with normalized alignment as the fallback', () => {
    const { chunks, sink } = collect();
    timestampedChunk(JSON.stringify({ audio_base64: 'AQI=', alignment, normalized_alignment: null }), sink);
    timestampedChunk(
      `data: ${JSON.stringify({ audio_base64: 'Aw==', alignment: null, normalized_alignment: alignment })}`,
      sink,
    );
    timestampedChunk('', sink);
    timestampedChunk(': keep-alive', sink);
    timestampedChunk('event: message', sink);
    expect(chunks).toEqual([
      { bytes: [1, 2], alignment: { kind: 'rest', alignment } },
      { bytes: [3], alignment: { kind: 'rest', alignment } },
    ]);
  });

  it('fails with a typed error on a line that is not a chunk, or an error sent mid-stream', () => {
    const { sink } = collect();
    expect(() => timestampedChunk('{"audio_base64": "AQI=", ', sink)).toThrow(
      expect.objectContaining({ code: 'decode' }),
    );
    expect(() => timestampedChunk('{"error":{"code":"quota_exceeded","message":"No credits."}}', sink)).toThrow(
      expect.objectContaining({ code: 'quota' }),
    );
  });
});

describe('the PCM worklet processor', () => {
  /** The processor's class run outside an AudioWorklet, at 16 kHz, fed 16 kHz samples; `render` plays 128 frames. */
  function processor() {
    const reports: { type: string }[] = [];
    class AudioWorkletProcessor {
      port = { postMessage: (m: { type: string }) => reports.push(m), onmessage: null as unknown };
    }
    let Processor!: new (options: object) => {
      receive(m: object): void;
      process(inputs: unknown, outputs: Float32Array[][]): boolean;
    };
    const register = (_: string, c: typeof Processor) => (Processor = c);
    new Function('AudioWorkletProcessor', 'registerProcessor', 'sampleRate', 'currentTime', PCM_WORKLET_SOURCE)(
      AudioWorkletProcessor,
      register,
      16000,
      0,
    );
    const node = new Processor({ processorOptions: { sourceRate: 16000 } });
    const send = (ms: number) =>
      node.receive({ type: 'data', generation: 0, samples: new Float32Array((ms * 16000) / 1000).fill(0.5) });
    /** Plays `ms` of output; returns how much of it had sound (ms). */
    const render = (ms: number) => {
      let sounding = 0;
      for (let done = 0; done < (ms * 16000) / 1000; done += 128) {
        const out = new Float32Array(128);
        node.process([], [[out]]);
        sounding += out.filter((v) => v !== 0).length;
      }
      return (sounding / 16000) * 1000;
    };
    return { node, send, render, reports };
  }

  it('starts on the first samples, but after an underrun waits for 150 ms of audio, then 300 ms… (or the end)', () => {
    const { node, send, render, reports } = processor();
    node.receive({ type: 'play' });
    send(20);
    expect(render(8)).toBeGreaterThan(7); // the first start does not wait
    render(40);
    expect(reports.at(-1)?.type).toBe('starved');

    // A late chunk of 20 ms alone does not restart it: playing it would only stop again 20 ms later.
    send(20);
    expect(render(40)).toBe(0);
    send(130); // 150 ms queued: on it goes, without another stop
    expect(render(140)).toBeGreaterThan(139);
    expect(reports.filter((r) => r.type === 'starved')).toHaveLength(1);

    // A second underrun soon after: a stream this late waits for twice as much (300 ms) before it goes on.
    render(40);
    expect(reports.filter((r) => r.type === 'starved')).toHaveLength(2);
    send(200);
    expect(render(40)).toBe(0);
    send(100);
    expect(render(290)).toBeGreaterThan(289);

    // Near the end there is no more to wait for.
    render(40);
    send(10);
    expect(render(20)).toBe(0);
    node.receive({ type: 'end', generation: 0 });
    expect(render(20)).toBeGreaterThan(9);
  });
});
