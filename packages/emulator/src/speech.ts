// Deterministic "speech" for the emulator: a two-tone code (like DTMF, but vowel-like: one low and one high
// "formant" per symbol) that the emulator can recognise exactly when it comes back through a browser
// microphone pipeline, while anything else (real speech, beeps, noise) is reported as not recognised.
//
// Layout: one SYNC symbol, then one slot per character. Printable ASCII 32..126 is one slot (grid cell
// 0..94); any other code point is an escape cell followed by three base-100 digit slots.
//
// Measured through Chromium's fake microphone with echo cancellation, noise suppression and AGC on, read
// by @elevenlabs/client's worklet at 16 kHz PCM and 8 kHz μ-law: every utterance decoded, mean purity
// 0.985–0.997 (slot minimum ≈ 0.97); espeak speech, beeps and noise stay at ≤ 0.17. AGC lifts the level
// by up to 6 dB at first (peaks reach 1.0) and then drifts down, hence the relative thresholds below.

export interface Alignment {
  chars: string[];
  char_start_times_ms: number[];
  char_durations_ms: number[];
}

export interface SynthesizedSpeech {
  samples: Float32Array;
  sampleRate: number;
  alignment: Alignment;
  durationMs: number;
}

export interface Recognition {
  text: string;
  recognized: boolean;
  confidence: number;
}

// Low tones on a 100 Hz grid, high tones on a 200 Hz grid: all inside the 300–3400 Hz telephone band, so
// they survive 8 kHz rates and the browser's processing.
const LOW = [400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300];
const HIGH = [1500, 1700, 1900, 2100, 2300, 2500, 2700, 2900, 3100, 3300];

const ESCAPE = 95; // + 3 digits: code point < 1 000 000
const SYNC = 96;
const ESCAPE_HIGH = 97; // + 3 digits: code point − 1 000 000 (planes 15–16), so every code point round-trips

const BASE_SLOT_MS = 70;
// Slots are whole milliseconds so that the alignment is exact, and bounded so the decoder's search is too.
const MIN_SLOT_MS = 35;
const MAX_SLOT_MS = 140;
const RAMP_MS = 6;
const TONE_AMPLITUDE = 0.25; // two tones → peak 0.5

/** Slot length for a speed (clamped to 0.5–2, i.e. 35–140 ms). */
function slotMsFor(speed: number | undefined): number {
  const s = speed !== undefined && Number.isFinite(speed) && speed > 0 ? speed : 1;
  return Math.min(MAX_SLOT_MS, Math.max(MIN_SLOT_MS, Math.round(BASE_SLOT_MS / s)));
}

function cellsFor(codePoint: number): number[] {
  if (codePoint >= 32 && codePoint <= 126) return [codePoint - 32];
  const high = codePoint >= 1_000_000;
  const v = high ? codePoint - 1_000_000 : codePoint;
  return [high ? ESCAPE_HIGH : ESCAPE, Math.floor(v / 10_000), Math.floor(v / 100) % 100, v % 100];
}

export function synthesize(text: string, sampleRate: number, options: { speed?: number } = {}): SynthesizedSpeech {
  const slotMs = slotMsFor(options.speed);
  const alignment: Alignment = { chars: [], char_start_times_ms: [], char_durations_ms: [] };
  const cells = [SYNC];
  for (const ch of text) {
    const c = cellsFor(ch.codePointAt(0) ?? 63);
    alignment.chars.push(ch);
    alignment.char_start_times_ms.push(cells.length * slotMs);
    alignment.char_durations_ms.push(c.length * slotMs);
    cells.push(...c);
  }
  const durationMs = cells.length * slotMs;
  const at = (ms: number): number => Math.round((ms * sampleRate) / 1000);
  const samples = new Float32Array(at(durationMs));
  const ramp = Math.max(1, at(RAMP_MS));
  cells.forEach((cell, k) => {
    const start = at(k * slotMs);
    const length = at((k + 1) * slotMs) - start;
    const wl = (2 * Math.PI * (LOW[cell % 10] ?? 0)) / sampleRate;
    const wh = (2 * Math.PI * (HIGH[Math.floor(cell / 10)] ?? 0)) / sampleRate;
    for (let i = 0; i < length; i++) {
      // Raised-cosine edges: no clicks, and a clear dip at every slot boundary that the decoder uses to
      // find the slot grid (and to tell "aa" from one long "a").
      const edge = Math.min(i, length - 1 - i);
      const env = edge >= ramp ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * (edge + 0.5)) / ramp);
      samples[start + i] = TONE_AMPLITUDE * env * (Math.sin(wl * i) + Math.sin(wh * i));
    }
  });
  return { samples, sampleRate, alignment, durationMs };
}

// ---------------------------------------------------------------------------------------------------
// Recognition

const PURITY_MIN = 0.6; // per slot: (best low + best high power) / total power
const BALANCE_MIN = 0.08; // per slot: each of the two tones carries at least this share of the power
const TICK_MS = 0.5; // time resolution of the analysis
const COARSE_SLOTS = 4; // slots the coarse grid search looks at
const MAX_SHIFT_MS = 16; // how far a slot edge may jump between two slots (capture glitches are ~10 ms)

/** Prefix sums per 0.5 ms tick of the power and of each tone's complex demodulation. */
class Analysis {
  readonly tick: number; // samples per tick
  readonly ticks: number;
  readonly ticksPerMs: number;
  private readonly energy: Float64Array;
  // Tone prefix sums, relative to tick `from`, over the demodulated ticks [from, to].
  private readonly re: Float64Array[] = [];
  private readonly im: Float64Array[] = [];
  private from = 0;
  private to = 0;
  private readonly samples: Float32Array;
  private readonly sampleRate: number;

  constructor(samples: Float32Array, sampleRate: number) {
    this.samples = samples;
    this.sampleRate = sampleRate;
    this.tick = Math.max(1, Math.round((sampleRate * TICK_MS) / 1000));
    this.ticksPerMs = sampleRate / 1000 / this.tick;
    this.ticks = Math.floor(samples.length / this.tick);
    this.energy = new Float64Array(this.ticks + 1);
    let acc = 0;
    for (let t = 0, n = 0; t < this.ticks; t++) {
      for (let i = 0; i < this.tick; i++, n++) {
        const x = samples[n] ?? 0;
        acc += x * x;
      }
      this.energy[t + 1] = acc;
    }
  }

  /** Demodulates all tones over ticks [from, to); outside, where all is silence, reads as no tone at all. */
  demodulate(from: number, to: number): void {
    const { samples, tick } = this;
    this.from = from;
    this.to = Math.max(from, to);
    const length = this.to - from + 1;
    for (let k = 0; k < 10; k++) {
      // Two tones per pass: independent dependency chains run about twice as fast.
      const w1 = (2 * Math.PI * (LOW[k] ?? 0)) / this.sampleRate;
      const w2 = (2 * Math.PI * (HIGH[k] ?? 0)) / this.sampleRate;
      const cw1 = Math.cos(w1);
      const sw1 = Math.sin(w1);
      const cw2 = Math.cos(w2);
      const sw2 = Math.sin(w2);
      let c1 = Math.cos(w1 * from * tick);
      let s1 = Math.sin(w1 * from * tick);
      let c2 = Math.cos(w2 * from * tick);
      let s2 = Math.sin(w2 * from * tick);
      let r1 = 0;
      let i1 = 0;
      let r2 = 0;
      let i2 = 0;
      const re1 = new Float64Array(length);
      const im1 = new Float64Array(length);
      const re2 = new Float64Array(length);
      const im2 = new Float64Array(length);
      for (let j = 1, n = from * tick; j < length; j++) {
        for (let i = 0; i < tick; i++, n++) {
          const x = samples[n] ?? 0;
          r1 += x * c1;
          i1 -= x * s1;
          r2 += x * c2;
          i2 -= x * s2;
          const c1n = c1 * cw1 - s1 * sw1;
          s1 = s1 * cw1 + c1 * sw1;
          c1 = c1n;
          const c2n = c2 * cw2 - s2 * sw2;
          s2 = s2 * cw2 + c2 * sw2;
          c2 = c2n;
        }
        // A rotating phasor is far cheaper than cos/sin per sample; keep its length at 1.
        const g1 = 1.5 - 0.5 * (c1 * c1 + s1 * s1);
        const g2 = 1.5 - 0.5 * (c2 * c2 + s2 * s2);
        c1 *= g1;
        s1 *= g1;
        c2 *= g2;
        s2 *= g2;
        re1[j] = r1;
        im1[j] = i1;
        re2[j] = r2;
        im2[j] = i2;
      }
      this.re[k] = re1;
      this.im[k] = im1;
      this.re[k + 10] = re2;
      this.im[k + 10] = im2;
    }
  }

  /** Mean power over ticks [a, b). */
  power(a: number, b: number): number {
    a = Math.max(0, a);
    b = Math.min(this.ticks, b);
    return b > a ? ((this.energy[b] ?? 0) - (this.energy[a] ?? 0)) / ((b - a) * this.tick) : 0;
  }

  /** Power of tone `k` over ticks [a, b) (a pure tone of amplitude A reads A²/2). */
  tonePower(k: number, a: number, b: number): number {
    const re = this.re[k] ?? this.energy;
    const im = this.im[k] ?? this.energy;
    const ja = Math.min(this.to, Math.max(this.from, a)) - this.from;
    const jb = Math.min(this.to, Math.max(this.from, b)) - this.from;
    const r = (re[jb] ?? 0) - (re[ja] ?? 0);
    const i = (im[jb] ?? 0) - (im[ja] ?? 0);
    const n = (b - a) * this.tick;
    return (2 * (r * r + i * i)) / (n * n);
  }
}

interface SlotReading {
  cell: number;
  purity: number; // 0 unless both tones carry a fair share
  power: number;
}

/**
 * The strongest low and high tone over ticks [a, b), which is a whole number of `sub`-tick pieces. All
 * tones are multiples of 100 Hz, so over whole 10 ms pieces they are exactly orthogonal. Summing powers
 * piece by piece (`sub` = 10 ms) instead of over the whole window keeps a glitch (a few ms of audio
 * inserted or lost, which breaks the tones' phase) from spoiling more than one piece.
 */
function readSlot(an: Analysis, a: number, b: number, sub: number): SlotReading {
  const pieces = Math.max(1, Math.round((b - a) / sub));
  const power = an.power(a, b);
  let low = 0;
  let lowIdx = 0;
  let high = 0;
  let highIdx = 0;
  for (let k = 0; k < 10; k++) {
    let pl = 0;
    let ph = 0;
    for (let i = 0; i < pieces; i++) {
      const x = pieces === 1 ? b : a + (i + 1) * sub;
      pl += an.tonePower(k, a + i * sub, x);
      ph += an.tonePower(k + 10, a + i * sub, x);
    }
    if (pl > low) [low, lowIdx] = [pl, k];
    if (ph > high) [high, highIdx] = [ph, k];
  }
  [low, high] = [low / pieces, high / pieces];
  const balanced = low >= BALANCE_MIN * power && high >= BALANCE_MIN * power;
  const purity = balanced ? Math.min(1, (low + high) / power) : 0;
  return { cell: highIdx * 10 + lowIdx, purity, power };
}

/** A candidate slot grid: slot k covers ticks [start + k·period, start + (k+1)·period). */
interface Grid {
  period: number; // ticks
  start: number; // ticks, may be negative (the VAD cut the first few ms)
}

interface GridReading {
  score: number;
  slots: SlotReading[];
  /** Tick of the first silent slot, if reading stopped at silence rather than at the end of the buffer. */
  silenceAt: number | undefined;
}

/**
 * Reads slots on a grid until silence or the end of the buffer (a slot whose central part is not
 * complete is dropped). Score = mean purity × boundary contrast: power dips exactly at the slot edges and
 * none at the slot centres, which is what picks the true slot length over half or double of it.
 *
 * With `track`, each slot edge is re-found at the nearest power dip: a loaded browser inserts or drops
 * ~10 ms of audio now and then (seen in Chromium's capture), which would otherwise shift all later slots.
 */
function readGrid(an: Analysis, grid: Grid, threshold: number, maxSlots: number, track = false): GridReading {
  const { period, start } = grid;
  const margin = Math.max((RAMP_MS + 2) * an.ticksPerMs, 0.2 * period);
  const tenMs = Math.round(10 * an.ticksPerMs);
  const length = Math.max(1, Math.floor((period - 2 * margin) / tenMs)) * tenMs; // central window
  const dip = Math.max(1, Math.round((RAMP_MS / 2) * an.ticksPerMs));
  const reach = Math.round(Math.min(MAX_SHIFT_MS * an.ticksPerMs, 0.3 * period));
  const slots: SlotReading[] = [];
  let puritySum = 0;
  let edgePower = 0;
  let centrePower = 0;
  let previous = 0;
  let shift = 0;
  let silenceAt: number | undefined;
  for (let k = 0; k < maxSlots; k++) {
    if (track && k > 0) shift += nearestEdge(an, Math.round(start + k * period + shift), reach, previous);
    const s = start + k * period + shift;
    let a = Math.round(s + (period - length) / 2);
    const b = a + length;
    if (a < 0) a += Math.ceil(-a / tenMs) * tenMs; // the VAD cut the first slot: use what is left
    if (b > an.ticks || a >= b) break;
    const power = an.power(a, b);
    // Silence: below the floor, or a sudden drop (the level itself drifts with the browser's AGC).
    if (power < threshold || power < 0.1 * previous) {
      silenceAt = Math.round(s);
      break;
    }
    previous = power;
    const reading = readSlot(an, a, b, track ? tenMs : b - a);
    slots.push(reading);
    puritySum += reading.purity;
    const e = Math.round(s);
    const c = Math.round(s + period / 2);
    edgePower += an.power(e - dip, e + dip);
    centrePower += an.power(c - dip, c + dip);
  }
  const count = slots.length;
  if (count === 0 || centrePower <= 0) return { score: 0, slots, silenceAt };
  const e = Math.round(start + count * period + shift); // the last slot's end must be an edge too
  edgePower += an.power(e - dip, e + dip);
  const contrast = Math.max(0, 1 - edgePower / (count + 1) / (centrePower / count));
  return { score: (puritySum / count) * contrast, slots, silenceAt };
}

/**
 * Offset (ticks, within ±reach) of the slot edge nearest to `edge`, or 0 if none is clear. An edge is the
 * V of two raised-cosine ramps: nearly silent within ±1.5 ms, back near full level 3.5–5.5 ms either
 * side. Inserted silence (a capture glitch) is a dip too, but a flat one, so it does not qualify.
 */
function nearestEdge(an: Analysis, edge: number, reach: number, level: number): number {
  const ms = an.ticksPerMs;
  const [c, near, far] = [Math.round(1.5 * ms), Math.round(3.5 * ms), Math.round(5.5 * ms)];
  let best = 0;
  let bestRatio = 0.2; // at most this centre-to-sides power ratio
  for (let o = -reach; o <= reach; o++) {
    const e = edge + o;
    if (e - far < 0 || e + far > an.ticks) continue; // a window cut by the buffer is no edge
    const sides = Math.min(an.power(e - far, e - near), an.power(e + near, e + far));
    if (sides < 0.25 * level) continue;
    const ratio = an.power(e - c, e + c) / sides;
    if (ratio < bestRatio || (ratio === bestRatio && Math.abs(o) < Math.abs(best))) [best, bestRatio] = [o, ratio];
  }
  return best;
}

const NOT_RECOGNIZED: Recognition = { text: '', recognized: false, confidence: 0 };

/** Decode one utterance (speech segment with some silence around it, arbitrary start offset, arbitrary gain). */
export function recognize(samples: Float32Array, sampleRate: number): Recognition {
  if (!(sampleRate >= 6000) || samples.length < (sampleRate * MIN_SLOT_MS) / 1000) return NOT_RECOGNIZED;
  const an = new Analysis(samples, sampleRate);

  // Activity threshold: 10 dB over the noise floor, but at least 30 dB and at most 15 dB under the peak.
  const frame = Math.max(1, Math.round(4 * an.ticksPerMs));
  const frames: number[] = [];
  for (let t = 0; t + frame <= an.ticks; t += frame) frames.push(an.power(t, t + frame));
  const sorted = [...frames].sort((x, y) => x - y);
  const peak = sorted[sorted.length - 1] ?? 0;
  const floor = sorted[Math.floor(sorted.length * 0.1)] ?? 0;
  if (peak < 1e-7) return NOT_RECOGNIZED;
  const threshold = Math.min(0.03 * peak, Math.max(10 * floor, 0.001 * peak));
  const first = frames.findIndex((p) => p >= threshold);
  const last = frames.findLastIndex((p) => p >= threshold);
  const onset = first * frame;
  const maxPeriod = MAX_SLOT_MS * an.ticksPerMs;
  const from = Math.max(0, Math.floor(onset - maxPeriod));
  const to = Math.min(an.ticks, Math.ceil((last + 1) * frame + maxPeriod));

  // Coarse search over slot length and phase (2 ms steps) on the first 4 slots. It needs only the start
  // of the audio, and a start without a sync symbol rejects other sounds cheaply.
  an.demodulate(from, Math.min(to, Math.ceil(onset + 4.5 * maxPeriod)));
  const candidates: { grid: Grid; score: number }[] = [];
  const msStep = Math.max(1, Math.round(an.ticksPerMs)); // ticks
  for (let ms = MIN_SLOT_MS; ms <= MAX_SLOT_MS; ms += 2) {
    const period = ms * an.ticksPerMs;
    let best = { grid: { period, start: onset }, score: -1 };
    for (let start = onset - 0.3 * period; start <= onset + 0.1 * period; start += 2 * msStep) {
      const { score } = readGrid(an, { period, start }, threshold, COARSE_SLOTS);
      if (score > best.score) best = { grid: { period, start }, score };
    }
    candidates.push(best);
  }
  candidates.sort((x, y) => y.score - x.score);
  const top = candidates.slice(0, 4);
  const startsWithSync = (grid: Grid): boolean => {
    const [s] = readGrid(an, grid, threshold, 1).slots;
    return s !== undefined && s.cell === SYNC && s.purity >= PURITY_MIN;
  };
  if (!top.some((c) => startsWithSync(c.grid))) return NOT_RECOGNIZED;

  // Fine search over all slots, following the slot edges: slot length ±1 ms, phase ±1 ms.
  an.demodulate(from, to);
  let best: { grid: Grid; reading: GridReading } | undefined;
  for (const c of top) {
    for (let dms = -1; dms <= 1; dms++) {
      for (let dt = -msStep; dt <= msStep; dt += msStep) {
        const grid = { period: c.grid.period + dms * an.ticksPerMs, start: c.grid.start + dt };
        const reading = readGrid(an, grid, threshold, Infinity, true);
        if (!best || reading.score > best.reading.score) best = { grid, reading };
      }
    }
  }
  if (!best) return NOT_RECOGNIZED;
  const { grid, reading } = best;
  const { slots, silenceAt } = reading;
  const confidence = slots.reduce((sum, s) => sum + s.purity, 0) / Math.max(1, slots.length);
  const fail: Recognition = { text: '', recognized: false, confidence };
  if (slots.some((s) => s.purity < PURITY_MIN) || slots[0]?.cell !== SYNC) return fail;
  // Sound after the utterance's trailing silence (within 10 dB of its level) is not ours.
  const tailLevel = Math.max(threshold, 0.1 * (slots[slots.length - 1]?.power ?? 0));
  if (silenceAt !== undefined && frames.some((p, i) => i * frame >= silenceAt + grid.period && p >= tailLevel)) {
    return fail;
  }

  let text = '';
  const cells = slots.slice(1).map((s) => s.cell);
  for (let i = 0; i < cells.length;) {
    const cell = cells[i] ?? 0;
    if (cell < ESCAPE) {
      text += String.fromCodePoint(cell + 32);
      i += 1;
    } else if (cell === ESCAPE || cell === ESCAPE_HIGH) {
      const digits = cells.slice(i + 1, i + 4);
      if (digits.length < 3) break; // incomplete trailing character (partial input)
      const [d0 = 0, d1 = 0, d2 = 0] = digits;
      const cp = d0 * 10_000 + d1 * 100 + d2 + (cell === ESCAPE_HIGH ? 1_000_000 : 0);
      if (cp > 0x10ffff) return fail;
      text += String.fromCodePoint(cp);
      i += 4;
    } else {
      return fail;
    }
  }
  return { text, recognized: true, confidence };
}

/** WAV (PCM16 mono) bytes for a fake microphone file; optional leading/trailing silence in ms. */
export function toWav(
  samples: Float32Array,
  sampleRate: number,
  options: { leadingSilenceMs?: number; trailingSilenceMs?: number } = {},
): Uint8Array {
  const lead = Math.round(((options.leadingSilenceMs ?? 0) * sampleRate) / 1000);
  const trail = Math.round(((options.trailingSilenceMs ?? 0) * sampleRate) / 1000);
  const count = lead + samples.length + trail;
  const bytes = new Uint8Array(44 + count * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, s: string): void => {
    for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + count * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, count * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    view.setInt16(44 + (lead + i) * 2, Math.round(s < 0 ? s * 32768 : s * 32767), true);
  }
  return bytes;
}
