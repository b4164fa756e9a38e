import { describe, it, expect } from 'vitest';
import { planSpeech, recognize, recognizeTimed, renderSpeech, synthesize, toWav } from './speech.ts';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw, floatToPcm16, pcm16ToFloat, resampleLinear } from './pcm.ts';

// Deterministic noise so a failure can be replayed.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function gaussian(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
}

/** The speech with silence around it, as an energy VAD would cut it. */
function padded(samples: Float32Array, rate: number, leadMs = 200, trailMs = 300): Float32Array {
  const lead = Math.round((leadMs * rate) / 1000);
  const out = new Float32Array(lead + samples.length + Math.round((trailMs * rate) / 1000));
  out.set(samples, lead);
  return out;
}

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const v of samples) sum += v * v;
  return Math.sqrt(sum / samples.length);
}

const PHRASE = 'what can you do';

describe('synthesize', () => {
  it('gives an alignment that covers every character with whole milliseconds', () => {
    const text = 'Hi, café ✓!';
    const s = synthesize(text, 16000);
    const { chars, char_start_times_ms: starts, char_durations_ms: durations } = s.alignment;
    expect(chars.join('')).toBe(text);
    expect(starts).toHaveLength(chars.length);
    expect(durations).toHaveLength(chars.length);
    for (let i = 0; i < chars.length; i++) {
      expect(Number.isInteger(starts[i])).toBe(true);
      expect(Number.isInteger(durations[i])).toBe(true);
      expect(durations[i]).toBeGreaterThan(0);
      if (i > 0) expect(starts[i]).toBe((starts[i - 1] ?? 0) + (durations[i - 1] ?? 0));
    }
    // A two-symbol header comes first, then the characters back to back up to the end.
    expect(starts[0]).toBe(140);
    expect((starts.at(-1) ?? 0) + (durations.at(-1) ?? 0)).toBe(s.durationMs);
    expect(s.samples.length).toBe(Math.round((s.durationMs * 16000) / 1000));
    expect(s.sampleRate).toBe(16000);
    // Non-ASCII characters take four slots (escape + three digits); ASCII ones one.
    expect(durations[chars.indexOf('é')]).toBe(4 * 70);
    expect(durations[0]).toBe(70);
  });

  it('puts the audio of each character exactly where the alignment says', () => {
    const text = 'a é?';
    const rate = 22050;
    const s = synthesize(text, rate);
    const at = (ms: number): number => Math.round((ms * rate) / 1000);
    const header = s.samples.subarray(0, at(s.alignment.char_start_times_ms[0] ?? 0));
    s.alignment.chars.forEach((ch, i) => {
      const start = s.alignment.char_start_times_ms[i] ?? 0;
      const end = start + (s.alignment.char_durations_ms[i] ?? 0);
      const alone = new Float32Array(header.length + at(end) - at(start));
      alone.set(header);
      alone.set(s.samples.subarray(at(start), at(end)), header.length);
      expect(recognize(padded(alone, rate), rate)).toMatchObject({ recognized: true, text: ch });
    });
  });

  it('is deterministic, scales with speed and peaks around 0.5', () => {
    const a = synthesize(PHRASE, 16000);
    expect(synthesize(PHRASE, 16000).samples).toEqual(a.samples);
    const peak = a.samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak).toBeGreaterThan(0.4);
    expect(peak).toBeLessThanOrEqual(0.5);
    expect(synthesize(PHRASE, 16000, { speed: 0.7 }).alignment.char_durations_ms[0]).toBe(100);
    expect(synthesize(PHRASE, 16000, { speed: 1.2 }).alignment.char_durations_ms[0]).toBe(58);
  });

  it('renders in pieces exactly what it renders whole (long texts are streamed range by range)', () => {
    const plan = planSpeech('Pieces, é and ✓', { speed: 1.1 });
    for (const rate of [8000, 22050, 44100]) {
      const bytes = (samples: Float32Array) => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
      const whole = renderSpeech(plan, rate);
      expect(bytes(whole).equals(bytes(synthesize('Pieces, é and ✓', rate, { speed: 1.1 }).samples))).toBe(true);
      const joined = new Float32Array(whole.length);
      for (let from = 0; from < whole.length; from += 997) joined.set(renderSpeech(plan, rate, from, from + 997), from);
      expect(bytes(joined).equals(bytes(whole))).toBe(true);
    }
  });
});

describe('recognize', () => {
  for (const rate of [8000, 16000, 22050, 24000, 44100, 48000]) {
    it(`round-trips at ${rate} Hz`, () => {
      for (const text of [PHRASE, 'Hello, World! 123']) {
        const r = recognize(padded(synthesize(text, rate).samples, rate), rate);
        expect(r).toMatchObject({ recognized: true, text });
        expect(r.confidence).toBeGreaterThan(0.95);
      }
    });
  }

  it('round-trips through G.711 μ-law at 8000 Hz', () => {
    const s = synthesize(PHRASE, 8000);
    const r = recognize(decodeMulaw(encodeMulaw(padded(s.samples, 8000))), 8000);
    expect(r).toMatchObject({ recognized: true, text: PHRASE });
    expect(r.confidence).toBeGreaterThan(0.95);
  });

  it('round-trips through PCM16', () => {
    const s = synthesize(PHRASE, 16000);
    expect(recognize(pcm16ToFloat(floatToPcm16(padded(s.samples, 16000))), 16000).text).toBe(PHRASE);
  });

  for (const gain of [0.2, 1.8, 3]) {
    it(`copes with gain ×${gain} (clipped to ±1)`, () => {
      const x = padded(synthesize(PHRASE, 16000).samples, 16000).map((v) => Math.max(-1, Math.min(1, v * gain)));
      expect(recognize(x, 16000)).toMatchObject({ recognized: true, text: PHRASE });
    });
  }

  it('copes with white noise at -30 dB (and at -30 dBFS)', () => {
    const rnd = random(1);
    const s = synthesize(PHRASE, 16000);
    for (const noiseRms of [rms(s.samples) * 10 ** (-30 / 20), 10 ** (-30 / 20)]) {
      const x = padded(s.samples, 16000).map((v) => v + noiseRms * gaussian(rnd));
      const r = recognize(x, 16000);
      expect(r).toMatchObject({ recognized: true, text: PHRASE });
      expect(r.confidence).toBeGreaterThan(0.8);
    }
  });

  it('copes with any start offset, including a VAD that cut the first milliseconds', () => {
    const rnd = random(2);
    const s = synthesize(PHRASE, 16000);
    for (let i = 0; i < 20; i++) {
      const leadMs = rnd() * 500;
      expect(recognize(padded(s.samples, 16000, leadMs), 16000).text).toBe(PHRASE);
    }
    for (const cutMs of [1, 3, 5]) {
      const x = padded(s.samples.subarray(Math.round(cutMs * 16)), 16000, 0);
      expect(recognize(x, 16000)).toMatchObject({ recognized: true, text: PHRASE });
    }
  });

  it('copes with resampling 48000 → 16000 and 16000 → 8000 (+ μ-law)', () => {
    const hi = padded(synthesize(PHRASE, 48000).samples, 48000);
    expect(recognize(resampleLinear(hi, 48000, 16000), 16000)).toMatchObject({ recognized: true, text: PHRASE });
    const mid = padded(synthesize(PHRASE, 16000).samples, 16000);
    const lo = decodeMulaw(encodeMulaw(resampleLinear(mid, 16000, 8000)));
    expect(recognize(lo, 8000)).toMatchObject({ recognized: true, text: PHRASE });
  });

  it('copes with capture glitches: ~10 ms of audio inserted (silence) or lost, now and then', () => {
    const rate = 16000;
    const text = 'Glitches happen when the browser is busy, 3 times here.';
    const s = synthesize(text, rate);
    const glitch = (x: Float32Array, atMs: number, ms: number, insert: boolean): Float32Array => {
      const at = Math.round((atMs * rate) / 1000);
      const n = Math.round((ms * rate) / 1000);
      const out = new Float32Array(insert ? x.length + n : x.length - n);
      out.set(x.subarray(0, at));
      out.set(x.subarray(insert ? at : at + n), insert ? at + n : at);
      return out;
    };
    for (const insert of [true, false]) {
      let x = s.samples;
      for (const [atMs, ms] of [
        [3100, 9],
        [1900, 12.5],
        [700, 10],
      ] as const)
        x = glitch(x, atMs, ms, insert);
      expect(recognize(padded(x, rate), rate), insert ? 'inserted' : 'lost').toMatchObject({ recognized: true, text });
    }
  });

  it('reads through runs of digital silence a busy capture inserts, even several in a row, at 48 kHz resampled', () => {
    const text = 'hello world';
    const s = synthesize(text, 48000);
    // Three runs of 9 ms of zeros close together (the decoder alone follows one, not three), then 48 → 16 kHz and
    // 16-bit, as a capture worklet delivers it.
    const cuts = [200, 330, 610];
    const n = Math.round(0.009 * 48000);
    const x = new Float32Array(s.samples.length + cuts.length * n);
    let from = 0;
    cuts.forEach((ms, i) => {
      const at = Math.round(ms * 48);
      x.set(s.samples.subarray(from, at), from + i * n);
      from = at;
    });
    x.set(s.samples.subarray(from), from + cuts.length * n);
    const at16k = Float32Array.from(
      resampleLinear(padded(x, 48000), 48000, 16000),
      (v) => Math.round(v * 32768) / 32768,
    );
    const heard = recognizeTimed(at16k, 16000);
    expect(heard).toMatchObject({ recognized: true, text });
    // Character times are on the audio as it came: the last one ends where the speech (and the three runs) end.
    expect(heard.characters.at(-1)!.endMs).toBeCloseTo(200 + s.durationMs + 27, -1);
  });

  it('decodes any speed between 0.7 and 1.2 without being told', () => {
    for (const speed of [0.7, 0.85, 1.1, 1.2]) {
      const s = synthesize('speed test, 1 2 3', 16000, { speed });
      expect(recognize(padded(s.samples, 16000), 16000).text).toBe('speed test, 1 2 3');
    }
  });

  it('decodes non-ASCII text exactly', () => {
    for (const text of ['café – naïve ✓', 'Grüße, 世界 🙂', 'tab\there\nnew line', '\u{10FFFD}']) {
      const r = recognize(padded(synthesize(text, 16000).samples, 16000), 16000);
      expect(r).toMatchObject({ recognized: true, text });
    }
  });

  it('tells repeated characters from one long one', () => {
    for (const text of ['aaaa', '....', 'a', '']) {
      expect(recognize(padded(synthesize(text, 16000).samples, 16000), 16000).text).toBe(text);
    }
  });

  it('decodes partial input: the first N complete characters, dropping a trailing incomplete one', () => {
    const text = 'Hello, café ✓';
    for (const rate of [8000, 16000]) {
      const s = synthesize(text, rate);
      const { chars, char_start_times_ms: starts, char_durations_ms: durations } = s.alignment;
      for (let n = 0; n <= chars.length; n++) {
        const endMs = n === 0 ? (starts[0] ?? 0) : (starts[n - 1] ?? 0) + (durations[n - 1] ?? 0);
        for (const extraMs of n < chars.length ? [0, 10, 30] : [0]) {
          const cut = s.samples.subarray(0, Math.round(((endMs + extraMs) * rate) / 1000));
          const r = recognize(padded(cut, rate, 150, 0), rate);
          expect(r, `${n} chars + ${extraMs} ms`).toMatchObject({ recognized: true, text: chars.slice(0, n).join('') });
        }
      }
    }
  });

  it('does not mistake other sounds for text', () => {
    const rnd = random(3);
    for (const rate of [8000, 16000, 48000]) {
      const n = rate * 2;
      const sounds: Record<string, Float32Array> = {
        'a 440 Hz sine': new Float32Array(n).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate)),
        'a 1 kHz sine': new Float32Array(n).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / rate)),
        'white noise': new Float32Array(n).map(() => 0.1 * gaussian(rnd)),
        silence: new Float32Array(n),
        // a steady pair of code tones (the first header symbol's): no symbol boundaries, so not speech
        'a steady tone pair': new Float32Array(n).map(
          (_, i) => 0.25 * Math.sin((2 * Math.PI * 1000 * i) / rate) + 0.25 * Math.sin((2 * Math.PI * 3300 * i) / rate),
        ),
      };
      for (const [name, x] of Object.entries(sounds)) {
        const r = recognize(padded(x, rate), rate);
        expect(r.recognized, `${name} at ${rate} Hz`).toBe(false);
        expect(r.text).toBe('');
      }
    }
    expect(recognize(new Float32Array(0), 16000).recognized).toBe(false);
  });

  it('does not accept an utterance followed by other sound', () => {
    const s = synthesize(PHRASE, 16000);
    const x = padded(s.samples, 16000, 200, 1000);
    const beepAt = s.samples.length + Math.round(0.6 * 16000);
    for (let i = 0; i < 8000; i++) x[beepAt + i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000);
    expect(recognize(x, 16000).recognized).toBe(false);
  });
});

describe('toWav', () => {
  it('writes a PCM16 mono WAV with the requested silence around the speech', () => {
    const s = synthesize(PHRASE, 16000);
    const wav = toWav(s.samples, 16000, { leadingSilenceMs: 500, trailingSilenceMs: 250 });
    const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
    const ascii = (o: number): string => String.fromCharCode(...wav.subarray(o, o + 4));
    expect([ascii(0), ascii(8), ascii(12), ascii(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(wav.length - 8);
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(1);
    expect(view.getUint32(24, true)).toBe(16000);
    expect(view.getUint16(34, true)).toBe(16);
    const samples = pcm16ToFloat(wav.subarray(44));
    expect(samples.length).toBe(8000 + s.samples.length + 4000);
    expect(samples.subarray(0, 8000).every((v) => v === 0)).toBe(true);
    expect(recognize(samples, 16000).text).toBe(PHRASE);
  });
});

describe('pcm helpers', () => {
  it('convert float ↔ PCM16 like the client (and read little-endian bytes at any offset)', () => {
    const pcm = floatToPcm16(Float32Array.from([0, 1, -1, 0.5, -0.5, 2, -2]));
    expect(Array.from(pcm)).toEqual([0, 32767, -32768, 16384, -16384, 32767, -32768]);
    const bytes = new Uint8Array(1 + pcm.byteLength);
    bytes.set(new Uint8Array(pcm.buffer), 1);
    expect(Array.from(pcm16ToFloat(bytes.subarray(1)))).toEqual(Array.from(pcm16ToFloat(pcm)));
    expect(Array.from(pcm16ToFloat(pcm)).slice(0, 3)).toEqual([0, 1, -1]);
  });

  it('encode and decode G.711 μ-law', () => {
    expect(Array.from(encodeMulaw(Float32Array.from([0, 1, -1])))).toEqual([0xff, 0x80, 0x00]);
    const x = Float32Array.from({ length: 200 }, (_, i) => Math.sin(i / 7) * 0.8);
    const y = decodeMulaw(encodeMulaw(x));
    // μ-law keeps about 4 bits of mantissa: at most ~3 % error, relative to the value.
    x.forEach((v, i) => expect(Math.abs((y[i] ?? 0) - v)).toBeLessThan(0.035 * Math.abs(v) + 0.001));
  });

  it('encode and decode G.711 A-law', () => {
    expect(Array.from(encodeAlaw(Float32Array.from([0, 1, -1])))).toEqual([0xd5, 0xaa, 0x2a]);
    const x = Float32Array.from({ length: 200 }, (_, i) => Math.sin(i / 7) * 0.8);
    const y = decodeAlaw(encodeAlaw(x));
    x.forEach((v, i) => expect(Math.abs((y[i] ?? 0) - v)).toBeLessThan(0.035 * Math.abs(v) + 0.001));
    const s = synthesize(PHRASE, 8000);
    expect(recognize(decodeAlaw(encodeAlaw(padded(s.samples, 8000))), 8000).text).toBe(PHRASE);
  });

  it('resample linearly, keeping the duration', () => {
    const x = Float32Array.from({ length: 48000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 48000));
    const y = resampleLinear(x, 48000, 16000);
    expect(y.length).toBe(16000);
    expect(y[4]).toBeCloseTo(Math.sin((2 * Math.PI * 1000 * 4) / 16000), 2);
  });
});
