// The recorder's pure parts: WAV encoding, the WebM duration fix, MIME negotiation, error reasons, the resampler and
// the capture worklet's processor (run here with a stand-in for the AudioWorklet globals).
import { describe, expect, it } from 'vitest';
import { recorderErrorReason } from '../errors.ts';
import { CAPTURE_WORKLET_SOURCE } from './capture-worklet.ts';
import { chooseMimeType } from './mime.ts';
import { Resampler } from './resampler.ts';
import { encodeWav, toInt16 } from './wav.ts';
import { withWebmDuration } from './webm-duration.ts';

const sine = (hz: number, rate: number, seconds: number, amplitude = 0.5) =>
  Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate),
  );
const rms = (x: Float32Array) => Math.sqrt(x.reduce((sum, v) => sum + v * v, 0) / x.length);

describe('WAV', () => {
  it('is a 44-byte PCM header followed by the chunks, in order', async () => {
    const blob = encodeWav([Int16Array.of(1, -2), Int16Array.of(32767, -32768, 5)], 16000);
    expect(blob.type).toBe('audio/wav');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const view = new DataView(bytes.buffer);
    const ascii = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
    expect([ascii(0), ascii(8), ascii(12), ascii(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(36 + 10);
    expect(view.getUint16(20, true)).toBe(1); // PCM
    expect(view.getUint16(22, true)).toBe(1); // mono
    expect(view.getUint32(24, true)).toBe(16000);
    expect(view.getUint32(28, true)).toBe(32000);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(10);
    expect(Array.from(new Int16Array(bytes.buffer.slice(44)))).toEqual([1, -2, 32767, -32768, 5]);
  });

  it('converts floats to 16-bit with clipping', () => {
    expect(Array.from(toInt16(Float32Array.of(0, 1, -1, 2, -2, 0.5)))).toEqual([
      0, 32767, -32768, 32767, -32768, 16384,
    ]);
  });
});

/** The header Chromium 156's MediaRecorder wrote for a timesliced WebM/Opus take (up to the first Cluster). */
const CHROMIUM_WEBM_HEAD = Uint8Array.from(
  (
    '1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581021853806701ffffffffffffff' +
    '1549a966992ad7b1830f42404d808643687' +
    '26f6d65574186436872' +
    '6f6d651654ae6bbfaebdd7810173c5879f1e48cb80a90e83810286864' +
    '15f4f505553' +
    '63a2934f707573486561640101000080bb0000000000e18db58447' +
    '3b80009f810162648120' +
    '1f43b67501ffffffffffffffe78100a38c81000080fb03fffefffefffe'
  )
    .match(/../g)!
    .map((byte) => parseInt(byte, 16)),
);

/** The Duration (in seconds, TimecodeScale 1 ms) a WebM head says, or null. */
function readDuration(head: Uint8Array): number | null {
  for (let i = 0; i + 11 <= head.length; i++) {
    if (head[i] === 0x44 && head[i + 1] === 0x89) {
      const size = head[i + 2]! & 0x7f;
      const view = new DataView(head.buffer, head.byteOffset + i + 3, size);
      return (size === 8 ? view.getFloat64(0) : view.getFloat32(0)) / 1000;
    }
  }
  return null;
}

describe('the WebM duration fix', () => {
  it('adds a Duration to the Info of a live WebM header and grows Info by its size', () => {
    expect(readDuration(CHROMIUM_WEBM_HEAD)).toBeNull();
    const patched = withWebmDuration(CHROMIUM_WEBM_HEAD, 12.345)!;
    expect(patched.length).toBe(CHROMIUM_WEBM_HEAD.length + 11);
    expect(readDuration(patched)).toBeCloseTo(12.345, 6);
    // Info (15 49 a9 66) now says 0x99 + 11 bytes; everything after it is unchanged.
    const info = patched.indexOf(0x15);
    expect(Array.from(patched.subarray(info, info + 5))).toEqual([0x15, 0x49, 0xa9, 0x66, 0x80 | (0x19 + 11)]);
    expect(Array.from(patched.subarray(-40))).toEqual(Array.from(CHROMIUM_WEBM_HEAD.subarray(-40)));
  });

  it('overwrites a Duration that is there (a take without timeslice)', () => {
    const once = withWebmDuration(CHROMIUM_WEBM_HEAD, 1)!;
    const twice = withWebmDuration(once, 2.5)!;
    expect(twice.length).toBe(once.length);
    expect(readDuration(twice)).toBe(2.5);
  });

  it('leaves what is not a WebM header alone', () => {
    expect(withWebmDuration(new TextEncoder().encode('RIFF....WAVE'), 1)).toBeNull();
    expect(withWebmDuration(CHROMIUM_WEBM_HEAD.subarray(0, 60), 1)).toBeNull(); // Info cut off
  });
});

describe('MIME negotiation', () => {
  const browser = (supported: string[]) => (type: string) => supported.includes(type);
  const safari = browser(['audio/mp4', 'audio/mp4;codecs=mp4a.40.2', 'audio/webm;codecs=opus', 'audio/webm']);
  const chromium = browser(['audio/mp4', 'audio/mp4;codecs=opus', 'audio/webm;codecs=opus', 'audio/webm']);
  const firefox = browser(['audio/ogg;codecs=opus', 'audio/ogg', 'audio/webm;codecs=opus', 'audio/webm']);

  it('prefers MP4/AAC (Safari), then WebM/Opus (Chromium, Firefox)', () => {
    expect(chooseMimeType(undefined, safari)).toBe('audio/mp4;codecs=mp4a.40.2');
    expect(chooseMimeType(undefined, chromium)).toBe('audio/webm;codecs=opus');
    expect(chooseMimeType(undefined, firefox)).toBe('audio/webm;codecs=opus');
    expect(chooseMimeType(undefined, browser(['audio/ogg;codecs=opus']))).toBe('audio/ogg;codecs=opus');
  });

  it('takes the asked-for type when supported, and says null when nothing is', () => {
    expect(chooseMimeType('audio/ogg;codecs=opus', firefox)).toBe('audio/ogg;codecs=opus');
    expect(chooseMimeType('audio/ogg;codecs=opus', chromium)).toBe('audio/webm;codecs=opus');
    expect(chooseMimeType(undefined, browser([]))).toBeNull();
    expect(chooseMimeType(undefined, undefined)).toBeNull();
    expect(
      chooseMimeType(undefined, () => {
        throw new Error('odd browser');
      }),
    ).toBeNull();
  });
});

describe('why the microphone failed', () => {
  const error = (name: string, message = '', extra = {}) => Object.assign(new Error(message), { name, ...extra });
  it.each([
    [error('NotAllowedError', 'Permission denied'), undefined, 'denied'],
    [error('NotAllowedError', 'Permission dismissed'), undefined, 'dismissed'],
    [error('NotAllowedError', 'Permission denied'), 'prompt', 'denied'],
    [error('NotAllowedError', 'The request is not allowed'), 'prompt', 'dismissed'],
    [error('NotAllowedError', 'The request is not allowed'), 'denied', 'denied'],
    [error('SecurityError'), undefined, 'denied'],
    [error('NotFoundError'), undefined, 'not-found'],
    [error('NotReadableError'), undefined, 'in-use'],
    [error('AbortError'), undefined, 'in-use'],
    [error('OverconstrainedError', '', { constraint: 'deviceId' }), undefined, 'not-found'],
    [error('OverconstrainedError', '', { constraint: 'sampleRate' }), undefined, 'constraints'],
    [error('TypeError'), undefined, 'constraints'],
    [error('NotSupportedError'), undefined, 'unsupported'],
  ])('%s (permission %s) → %s', (err, permission, reason) => {
    expect(recorderErrorReason(err, permission)).toBe(reason);
  });

  it('says insecure-context on an http page, whatever the error', () => {
    const secure = globalThis.isSecureContext;
    Object.defineProperty(globalThis, 'isSecureContext', { value: false, configurable: true });
    try {
      expect(recorderErrorReason(error('NotAllowedError'))).toBe('insecure-context');
    } finally {
      Object.defineProperty(globalThis, 'isSecureContext', { value: secure, configurable: true });
    }
  });
});

describe('the resampler', () => {
  it('keeps speech frequencies at their level and pitch (48 kHz → 16 kHz)', () => {
    const out = new Resampler(48000, 16000).process(sine(1000, 48000, 1));
    expect(out.length).toBeGreaterThan(15900);
    const steady = out.subarray(400, 15400);
    expect(rms(steady)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    // Compare with the ideal 1 kHz sine at 16 kHz.
    let error = 0;
    steady.forEach(
      (v, i) => (error = Math.max(error, Math.abs(v - 0.5 * Math.sin((2 * Math.PI * 1000 * (i + 400)) / 16000)))),
    );
    expect(error).toBeLessThan(0.01);
  });

  it('removes what would alias: 10 kHz at 48 kHz does not fold back to 6 kHz at 16 kHz (44.1 kHz too)', () => {
    for (const rate of [48000, 44100]) {
      const out = new Resampler(rate, 16000).process(sine(10000, rate, 1));
      expect(rms(out.subarray(400, -400))).toBeLessThan(0.5 * 0.01); // below -40 dB
    }
  });

  it('gives the same samples whatever block sizes the input comes in', () => {
    const input = sine(440, 44100, 0.5).map((v, i) => v + 0.1 * Math.sin(i));
    const whole = Array.from(new Resampler(44100, 16000).process(input));
    const resampler = new Resampler(44100, 16000);
    const pieces: number[] = [];
    for (let at = 0, size = 1; at < input.length; at += size, size = (size * 7) % 300 || 1) {
      pieces.push(...resampler.process(input.subarray(at, at + size)));
    }
    expect(pieces.length).toBe(whole.length);
    expect(pieces).toEqual(whole);
  });
});

/** The capture processor, run block by block as the audio thread would. */
function captureProcessor(processorOptions: object, rate = 48000) {
  const messages: { type: string; samples?: Int16Array; total?: number }[] = [];
  let Processor!: new (options: object) => {
    process(inputs: Float32Array[][]): boolean;
    port: { onmessage: (event: { data: unknown }) => void };
  };
  class AudioWorkletProcessor {
    port = { postMessage: (message: never) => messages.push(message), onmessage: null };
  }
  new Function('AudioWorkletProcessor', 'registerProcessor', 'sampleRate', CAPTURE_WORKLET_SOURCE)(
    AudioWorkletProcessor,
    (_name: string, constructor: typeof Processor) => (Processor = constructor),
    rate,
  );
  const processor = new Processor({ processorOptions });
  return {
    messages,
    /** Samples received so far, joined. */
    samples: () => messages.flatMap((m) => (m.samples ? Array.from(m.samples) : [])),
    send: (data: unknown) => processor.port.onmessage({ data }),
    /** Feeds `count` blocks of 128 samples numbered from `from` (value n/32768: exact in 16-bit). */
    feed(from: number, count: number, channels = 1) {
      for (let b = 0; b < count; b++) {
        const block = Float32Array.from({ length: 128 }, (_, i) => ((from + b * 128 + i) % 32768) / 32768);
        processor.process([Array.from({ length: channels }, () => block)]);
      }
      return from + count * 128;
    },
  };
}

describe('the capture worklet', () => {
  it('keeps every sample once across pause and resume, and none while paused (native rate)', () => {
    const capture = captureProcessor({ targetRate: 48000, chunkSamples: 100 });
    let at = capture.feed(0, 10);
    capture.send('pause');
    at = capture.feed(at, 5);
    capture.send('resume');
    capture.feed(at, 10, 2); // stereo: mixed to mono
    capture.send('stop');
    const got = capture.samples();
    const expected = [
      ...Array.from({ length: 1280 }, (_, i) => i),
      ...Array.from({ length: 1280 }, (_, i) => 1920 + i),
    ];
    expect(got).toEqual(expected);
    expect(capture.messages.at(-1)).toEqual({ type: 'stopped', total: 2560 });
    expect(capture.messages.filter((m) => m.type === 'chunk').every((m) => m.samples!.length <= 100)).toBe(true);
  });

  it('on pause, sends what it holds and then confirms, so a transcriber can commit up to the pause', () => {
    const capture = captureProcessor({ targetRate: 48000, chunkSamples: 1000 });
    capture.feed(0, 3); // 384 samples: less than a chunk, still held
    expect(capture.messages).toEqual([]);
    capture.send('pause');
    expect(capture.messages.map((m) => m.type)).toEqual(['chunk', 'paused']);
    expect(capture.samples()).toEqual(Array.from({ length: 384 }, (_, i) => i));
    expect(capture.messages[1]).toEqual({ type: 'paused', total: 384 });
  });

  it('stops on the exact sample of the maximum duration', () => {
    const capture = captureProcessor({ targetRate: 16000, chunkSamples: 4096, maxSamples: 1000 });
    capture.feed(0, 100);
    expect(capture.samples().length).toBe(1000);
    expect(capture.messages.at(-1)).toEqual({ type: 'full', total: 1000 });
  });
});
