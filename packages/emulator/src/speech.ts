// Deterministic "speech" for the emulator: a two-tone code (like DTMF, but vowel-like: one low and one high
// "formant" per symbol) that the emulator can recognise exactly when it comes back through a browser
// microphone pipeline, while anything else (real speech, beeps, noise) is reported as not recognised.
//
// Layout: a two-symbol header, then one slot per character. Printable ASCII 32..126 is one slot (grid cell
// 0..94); any other code point is an escape cell followed by three base-100 digit slots.
//
// Measured through Chromium's fake microphone with echo cancellation, noise suppression and AGC on, read
// by @elevenlabs/client's worklet at 16 kHz PCM and 8 kHz μ-law (112 captures): every utterance decoded,
// mean purity ≥ 0.995, worst slot 0.87, edge contrast ≥ 0.89; espeak speech, beeps and noise are all
// rejected. AGC lifts the level by up to 6 dB at first (peaks reach 1.0) and then drifts down, hence the
// relative thresholds below; under load Chromium now and then inserts ~10 ms of silence (the decoder follows one such
// shift, and when several defeat it, it reads the audio again without them).

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

/** One recognised character and where its slots are in the audio (ms from the first sample). */
export interface TimedCharacter {
  text: string;
  startMs: number;
  endMs: number;
}

/** A recognition with where each character was heard, and the utterance's slot length (it differs by speed). */
export interface TimedRecognition extends Recognition {
  characters: TimedCharacter[];
  slotMs: number;
}

// Low tones on a 100 Hz grid, high tones on a 200 Hz grid: all inside the 300–3400 Hz telephone band, so
// they survive 8 kHz rates and the browser's processing.
const LOW = [400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300];
const HIGH = [1500, 1700, 1900, 2100, 2300, 2500, 2700, 2900, 3100, 3300];

const ESCAPE = 95; // + 3 digits: code point < 1 000 000
const ESCAPE_HIGH = 97; // + 3 digits: code point − 1 000 000 (planes 15–16), so every code point round-trips
// Two different header symbols: a grid of half, 1.5 or twice the slot length cannot read both in order,
// which settles the slot length even for one-character utterances.
const HEADER = [96, 98];

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

/**
 * What an utterance will sound like, without its samples: the symbol slots and the character alignment.
 * Long texts (text to speech allows 40 000 characters, hours of audio) are rendered range by range from it.
 */
export interface SpeechPlan {
  /** One grid cell per slot: the header, then each character's cells. */
  cells: number[];
  slotMs: number;
  alignment: Alignment;
  durationMs: number;
}

export function planSpeech(text: string, options: { speed?: number } = {}): SpeechPlan {
  const slotMs = slotMsFor(options.speed);
  const alignment: Alignment = { chars: [], char_start_times_ms: [], char_durations_ms: [] };
  const cells = [...HEADER];
  for (const ch of text) {
    const c = cellsFor(ch.codePointAt(0) ?? 63);
    alignment.chars.push(ch);
    alignment.char_start_times_ms.push(cells.length * slotMs);
    alignment.char_durations_ms.push(c.length * slotMs);
    cells.push(...c);
  }
  return { cells, slotMs, alignment, durationMs: cells.length * slotMs };
}

/** The sample at `ms` (rounded): slot and character boundaries fall exactly on these. */
export const sampleAt = (ms: number, sampleRate: number): number => Math.round((ms * sampleRate) / 1000);

/** Samples [from, to) of a planned utterance; rendering it in pieces gives exactly the samples of rendering it whole. */
export function renderSpeech(plan: SpeechPlan, sampleRate: number, from = 0, to?: number): Float32Array {
  const { cells, slotMs } = plan;
  const total = sampleAt(plan.durationMs, sampleRate);
  const end = Math.min(total, to ?? total);
  const out = new Float32Array(Math.max(0, end - from));
  const ramp = Math.max(1, sampleAt(RAMP_MS, sampleRate));
  for (let k = Math.max(0, Math.floor((from * 1000) / sampleRate / slotMs) - 1); k < cells.length; k++) {
    const start = sampleAt(k * slotMs, sampleRate);
    if (start >= end) break;
    const length = sampleAt((k + 1) * slotMs, sampleRate) - start;
    if (start + length <= from) continue;
    const cell = cells[k] ?? 0;
    const wl = (2 * Math.PI * (LOW[cell % 10] ?? 0)) / sampleRate;
    const wh = (2 * Math.PI * (HIGH[Math.floor(cell / 10)] ?? 0)) / sampleRate;
    for (let i = Math.max(0, from - start), last = Math.min(length, end - start); i < last; i++) {
      // Raised-cosine edges: no clicks, and a clear dip at every slot boundary that the decoder uses to
      // find the slot grid (and to tell "aa" from one long "a").
      const edge = Math.min(i, length - 1 - i);
      const env = edge >= ramp ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * (edge + 0.5)) / ramp);
      out[start + i - from] = TONE_AMPLITUDE * env * (Math.sin(wl * i) + Math.sin(wh * i));
    }
  }
  return out;
}

export function synthesize(text: string, sampleRate: number, options: { speed?: number } = {}): SynthesizedSpeech {
  const plan = planSpeech(text, options);
  return {
    samples: renderSpeech(plan, sampleRate),
    sampleRate,
    alignment: plan.alignment,
    durationMs: plan.durationMs,
  };
}

// ---------------------------------------------------------------------------------------------------
// Recognition

const PURITY_MIN = 0.6; // per slot: (best low + best high power) / total power
const BALANCE_MIN = 0.03; // per slot: each tone carries this share of the power (Chromium at 8 kHz: down to 0.075)
const TICK_MS = 0.5; // time resolution of the analysis
const COARSE_SLOTS = 4; // slots the coarse grid search looks at
const MIN_CONTRAST = 0.65; // edge dips of the accepted grid: ≥ 0.85 for ours, ≤ 0.5 for wrong slot lengths
const MAX_SHIFT_MS = 16; // how far a slot edge may jump between two slots (capture glitches are ~10 ms)

/** Prefix sums per 0.5 ms tick of the power and of each tone's complex demodulation. */
class Analysis {
  readonly tick: number; // samples per tick
  readonly ticks: number;
  readonly ticksPerMs: number;
  readonly frame: number; // ticks per activity frame (4 ms)
  readonly frames: number[] = []; // mean power per frame
  readonly peak: number;
  readonly threshold: number; // power above which a frame is sound
  readonly onset: number; // tick where sound starts
  readonly activeEnd: number; // tick where sound ends
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
    // Activity threshold: 10 dB over the noise floor, but at least 30 dB and at most 15 dB under the peak.
    this.frame = Math.max(1, Math.round(4 * this.ticksPerMs));
    for (let t = 0; t + this.frame <= this.ticks; t += this.frame) this.frames.push(this.power(t, t + this.frame));
    const sorted = [...this.frames].sort((x, y) => x - y);
    this.peak = sorted[sorted.length - 1] ?? 0;
    const floor = sorted[Math.floor(sorted.length * 0.1)] ?? 0;
    this.threshold = Math.min(0.03 * this.peak, Math.max(10 * floor, 0.001 * this.peak));
    this.onset =
      Math.max(
        0,
        this.frames.findIndex((p) => p >= this.threshold),
      ) * this.frame;
    this.activeEnd = (this.frames.findLastIndex((p) => p >= this.threshold) + 1) * this.frame;
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

// Scratch space for readSlot (recognition is synchronous, so one set is enough).
const lowSums = new Float64Array(10);
const highSums = new Float64Array(10);
const pieceCell = new Int32Array(16);
const piecePurity = new Float64Array(16);

/**
 * The strongest low and high tone over ticks [a, b), which is a whole number of `sub`-tick pieces. All
 * tones are multiples of 100 Hz, so over whole 10 ms pieces they are exactly orthogonal. Summing powers
 * piece by piece (`sub` = 10 ms) instead of over the whole window keeps a glitch (a few ms of audio
 * inserted or lost, which breaks the tones' phase) from spoiling more than one piece. A piece that is
 * clearly another symbol, though, means the window straddles two slots: the slot is then not pure at all.
 */
function readSlot(an: Analysis, a: number, b: number, sub: number): SlotReading {
  const pieces = Math.min(pieceCell.length, Math.max(1, Math.round((b - a) / sub)));
  const power = an.power(a, b);
  lowSums.fill(0);
  highSums.fill(0);
  for (let i = 0; i < pieces; i++) {
    const pa = a + i * sub;
    const pb = i === pieces - 1 ? b : pa + sub;
    let bl = 0;
    let bli = 0;
    let bh = 0;
    let bhi = 0;
    for (let k = 0; k < 10; k++) {
      const pl = an.tonePower(k, pa, pb);
      const ph = an.tonePower(k + 10, pa, pb);
      lowSums[k] = (lowSums[k] ?? 0) + pl;
      highSums[k] = (highSums[k] ?? 0) + ph;
      if (pl > bl) {
        bl = pl;
        bli = k;
      }
      if (ph > bh) {
        bh = ph;
        bhi = k;
      }
    }
    pieceCell[i] = bhi * 10 + bli;
    piecePurity[i] = (bl + bh) / Math.max(1e-12, an.power(pa, pb));
  }
  let low = 0;
  let lowIdx = 0;
  let high = 0;
  let highIdx = 0;
  for (let k = 0; k < 10; k++) {
    const l = lowSums[k] ?? 0;
    const h = highSums[k] ?? 0;
    if (l > low) {
      low = l;
      lowIdx = k;
    }
    if (h > high) {
      high = h;
      highIdx = k;
    }
  }
  low /= pieces;
  high /= pieces;
  const cell = highIdx * 10 + lowIdx;
  let straddles = false;
  for (let i = 0; i < pieces && pieces > 1; i++) {
    if (pieceCell[i] !== cell && (piecePurity[i] ?? 0) >= 0.5) straddles = true;
  }
  const balanced = low >= BALANCE_MIN * power && high >= BALANCE_MIN * power;
  const purity = balanced && !straddles ? Math.min(1, (low + high) / power) : 0;
  return { cell, purity, power };
}

/** A candidate slot grid: slot k covers ticks [start + k·period, start + (k+1)·period). */
interface Grid {
  period: number; // ticks
  start: number; // ticks, may be negative (the VAD cut the first few ms)
}

interface GridReading {
  score: number;
  slots: SlotReading[];
  /** Tick where each slot read starts (edges followed when tracking). */
  starts: number[];
  /** Tick of the first silent slot, if reading stopped at silence rather than at the end of the buffer. */
  silenceAt: number | undefined;
  end: number; // tick where the last slot read ends
  jumps: number; // slot edges that were found off the grid (more than jitter)
  contrast: number; // 1 − power at slot edges / power at slot centres
}

/**
 * Reads slots on a grid until silence or the end of the buffer (a slot whose central part is not
 * complete is dropped). Score = mean purity × edge contrast × steadiness: power dips exactly at the slot
 * edges and none at the slot centres pick the true slot length over half or double of it.
 *
 * With `track`, each slot edge is re-found nearby (see nearestEdge): a loaded browser inserts or drops
 * ~10 ms of audio now and then (seen in Chromium's capture), which would otherwise shift all later slots.
 */
function readGrid(an: Analysis, grid: Grid, maxSlots: number, track = false): GridReading {
  const { period, start } = grid;
  const margin = Math.max((RAMP_MS + 2) * an.ticksPerMs, 0.2 * period);
  const tenMs = Math.round(10 * an.ticksPerMs);
  const length = Math.max(1, Math.floor((period - 2 * margin) / tenMs)) * tenMs; // central window
  const dip = Math.max(1, Math.round((RAMP_MS / 2) * an.ticksPerMs));
  const reach = Math.round(Math.min(MAX_SHIFT_MS * an.ticksPerMs, 0.3 * period));
  const slots: SlotReading[] = [];
  const starts: number[] = [];
  let puritySum = 0;
  let edgePower = 0;
  let centrePower = 0;
  let previous = 0;
  let shift = 0;
  let jumps = 0;
  let silenceAt: number | undefined;
  for (let k = 0; k < maxSlots; k++) {
    if (track && k > 0) {
      const jump = nearestEdge(an, Math.round(start + k * period + shift), reach, previous) ?? 0;
      if (Math.abs(jump) > 2 * an.ticksPerMs) jumps++; // more than jitter
      shift += jump;
    }
    const s = start + k * period + shift;
    let a = Math.round(s + (period - length) / 2);
    const b = a + length;
    if (a < 0) a += Math.ceil(-a / tenMs) * tenMs; // the VAD cut the first slot: use what is left
    if (b > an.ticks || a >= b) break;
    const power = an.power(a, b);
    // Silence: below the floor, a sudden drop (the level itself drifts with the browser's AGC), or past
    // the end of the sound (a window that only the last slot's tail reaches, after edges were followed).
    if (power < an.threshold || power < 0.1 * previous || b > an.activeEnd) {
      silenceAt = Math.round(s);
      break;
    }
    previous = power;
    const reading = readSlot(an, a, b, track ? tenMs : b - a);
    slots.push(reading);
    starts.push(s);
    puritySum += reading.purity;
    const c = Math.round(s + period / 2);
    centrePower += an.power(c - dip, c + dip);
    if (k > 0) edgePower += an.power(Math.round(s) - dip, Math.round(s) + dip);
  }
  const count = slots.length;
  const end = Math.round(start + count * period + shift);
  if (count === 0 || centrePower <= 0) return { score: 0, slots, starts, silenceAt, end, jumps, contrast: 0 };
  // Edges between slots, and the next slot's start if the buffer ends in it (partial input); the edges
  // next to the silence around the utterance would be dips whatever the grid.
  let edges = count - 1;
  if (silenceAt === undefined && end + dip <= an.ticks) {
    edgePower += an.power(end - dip, end + dip);
    edges++;
  }
  const contrast = edges === 0 ? 1 : Math.max(0, 1 - edgePower / edges / (centrePower / count));
  // Edges are followed to get over glitches, not to make up for a wrong slot length: jumps cost.
  const steady = 1 - jumps / count;
  return { score: (puritySum / count) * contrast * steady, slots, starts, silenceAt, end, jumps, contrast };
}

/**
 * Offset (ticks, within ±reach) of the slot edge nearest to `edge`, if there is a clear one. An edge is the
 * V of two 6 ms raised-cosine ramps: nearly silent within ±1.5 ms, rising at 2–3.5 ms, near full level at
 * 4.5–6.5 ms. Inserted silence (a capture glitch) is a dip too, but a flat one, so it does not qualify.
 */
function nearestEdge(an: Analysis, edge: number, reach: number, level: number): number | undefined {
  const at = (ms: number): number => Math.round(ms * an.ticksPerMs);
  const [c, s0, s1, f0, f1] = [at(1.5), at(2), at(3.5), at(4.5), at(6.5)];
  let best: number | undefined;
  let bestRatio = 0.35; // at most this centre-to-sides power ratio (browser processing fills dips a bit)
  for (let o = -reach; o <= reach; o++) {
    const e = edge + o;
    if (e - f1 < 0 || e + f1 > an.ticks) continue; // a window cut by the buffer is no edge
    const sides = Math.min(an.power(e - f1, e - f0), an.power(e + f0, e + f1));
    const shoulders = Math.min(an.power(e - s1, e - s0), an.power(e + s0, e + s1));
    if (sides < 0.15 * level || shoulders < 0.03 * level) continue;
    const ratio = an.power(e - c, e + c) / sides;
    if (ratio < bestRatio || (ratio === bestRatio && Math.abs(o) < Math.abs(best ?? o))) [best, bestRatio] = [o, ratio];
  }
  return best;
}

/** Whether slot `i` is the pure header symbol expected there (slots past the header pass). */
function isHeader(slot: SlotReading, i: number): boolean {
  return i >= HEADER.length || (slot.cell === HEADER[i] && slot.purity >= PURITY_MIN);
}

const NOT_RECOGNIZED: TimedRecognition = { text: '', recognized: false, confidence: 0, characters: [], slotMs: 0 };

/** Decode one utterance (speech segment with some silence around it, arbitrary start offset, arbitrary gain). */
export function recognize(samples: Float32Array, sampleRate: number): Recognition {
  const { text, recognized, confidence } = recognizeTimed(samples, sampleRate);
  return { text, recognized, confidence };
}

/**
 * `recognize`, plus where each character is: from the start of its first slot to the end of its last, as the
 * decoder found the slot edges (so within a few ms of the alignment text to speech reported for it).
 */
export function recognizeTimed(samples: Float32Array, sampleRate: number): TimedRecognition {
  const heard = decode(samples, sampleRate);
  if (heard.recognized) return heard;
  // A browser's capture on a busy machine inserts runs of digital silence (~9 ms each) into the sound, and a few of
  // them shift the slots beyond what the decoder follows. Only when the audio as it came cannot be read: without them.
  const { samples: mended, cuts } = withoutUnderruns(samples, sampleRate);
  if (!cuts.length) return heard;
  const again = decode(mended, sampleRate);
  if (!again.recognized) return heard;
  // Times back on the audio as it came: add the runs cut before each point.
  const back = (ms: number) => {
    const at = (ms * sampleRate) / 1000;
    return ms + (cuts.reduce((sum, cut) => (cut.at <= at ? sum + cut.length : sum), 0) * 1000) / sampleRate;
  };
  const characters = again.characters.map((c) => ({ ...c, startMs: back(c.startMs), endMs: back(c.endMs) }));
  return { ...again, characters };
}

const UNDERRUN_LEVEL = 1e-3; // digital silence, give or take a resampler's ringing at its edges (−60 dBFS)
const UNDERRUN_MIN_MS = 2;
const UNDERRUN_MAX_MS = 60;

/**
 * The samples without runs of digital silence (2–60 ms) inside the sound, and where each was cut (`at`: sample
 * index in the result). A pause in speech is longer and never digitally silent after a microphone's processing.
 * (The recorder's tests use it too, to measure a take as if the capture had not hiccuped.)
 */
export function withoutUnderruns(samples: Float32Array, sampleRate: number) {
  const min = (UNDERRUN_MIN_MS * sampleRate) / 1000;
  const max = (UNDERRUN_MAX_MS * sampleRate) / 1000;
  const out = new Float32Array(samples.length);
  const cuts: { at: number; length: number }[] = [];
  let length = 0;
  let run = 0;
  let heardSound = false;
  for (let i = 0; i <= samples.length; i++) {
    if (i < samples.length && Math.abs(samples[i] ?? 0) < UNDERRUN_LEVEL) {
      run++;
      continue;
    }
    if (heardSound && i < samples.length && run >= min && run <= max) {
      cuts.push({ at: length, length: run });
    } else {
      out.set(samples.subarray(i - run, i), length);
      length += run;
    }
    run = 0;
    if (i < samples.length) {
      out[length++] = samples[i] ?? 0;
      heardSound = true;
    }
  }
  return { samples: out.subarray(0, length), cuts };
}

/** One decoding pass over the audio as it is. */
function decode(samples: Float32Array, sampleRate: number): TimedRecognition {
  if (!(sampleRate >= 6000) || samples.length < (sampleRate * MIN_SLOT_MS) / 1000) return NOT_RECOGNIZED;
  const an = new Analysis(samples, sampleRate);
  if (an.peak < 1e-7) return NOT_RECOGNIZED;
  const { onset, activeEnd } = an;
  const maxPeriod = MAX_SLOT_MS * an.ticksPerMs;
  const from = Math.max(0, Math.floor(onset - maxPeriod));
  const to = Math.min(an.ticks, Math.ceil(activeEnd + maxPeriod));

  // Coarse search over slot length and phase (2 ms steps) on the first 4 slots. It needs only the start
  // of the audio, and a start without a sync symbol rejects other sounds cheaply.
  an.demodulate(from, Math.min(to, Math.ceil(onset + 4.5 * maxPeriod)));
  const candidates: { grid: Grid; score: number }[] = [];
  const msStep = Math.max(1, Math.round(an.ticksPerMs)); // ticks
  for (let ms = MIN_SLOT_MS; ms <= MAX_SLOT_MS; ms += 2) {
    const period = ms * an.ticksPerMs;
    let best = { grid: { period, start: onset }, score: -1 };
    for (let start = onset - 0.3 * period; start <= onset + 0.1 * period; start += 2 * msStep) {
      const { score } = readGrid(an, { period, start }, COARSE_SLOTS);
      if (score > best.score) best = { grid: { period, start }, score };
    }
    candidates.push(best);
  }
  candidates.sort((x, y) => y.score - x.score);
  // The best few of clearly different slot lengths: a glitch in the first slots can favour half the
  // true length and its neighbours, and the fine search (which follows edges) sorts that out.
  const top: typeof candidates = [];
  for (const c of candidates) {
    if (top.length < 4 && top.every((t) => Math.abs(t.grid.period - c.grid.period) > 0.1 * c.grid.period)) top.push(c);
  }
  const startsWithHeader = (slots: SlotReading[]): boolean =>
    slots.length >= HEADER.length && slots.slice(0, HEADER.length).every(isHeader);
  if (!top.some((c) => startsWithHeader(readGrid(an, c.grid, HEADER.length).slots))) return NOT_RECOGNIZED;

  // Fine search over all slots, following the slot edges: each candidate, then for those close to the
  // best, slot length ±3 ms (the coarse step is 2 ms, and its few slots can be off by one more), then
  // phase ±1 ms.
  an.demodulate(from, to);
  let best: { grid: Grid; reading: GridReading; score: number } | undefined;
  const consider = (grid: Grid): number => {
    const reading = readGrid(an, grid, Infinity, true);
    if (!startsWithHeader(reading.slots)) return 0;
    // Prefer grids that explain all of the sound, not just a clean start of it.
    const score = reading.score * Math.min(1, (reading.end - grid.start) / (activeEnd - grid.start));
    if (!best || score > best.score) best = { grid, reading, score };
    return score;
  };
  const scores = top.map((c) => consider(c.grid));
  const bar = 0.8 * Math.max(...scores);
  top.forEach((c, i) => {
    if (!(bar > 0 && (scores[i] ?? 0) >= bar)) return;
    let centre = { grid: c.grid, score: scores[i] ?? 0 };
    for (let dms = -3; dms <= 3; dms++) {
      const grid = { period: c.grid.period + dms * an.ticksPerMs, start: c.grid.start };
      const score = dms === 0 ? 0 : consider(grid);
      if (score > centre.score) centre = { grid, score };
    }
    for (const dt of [-msStep, msStep]) consider({ period: centre.grid.period, start: centre.grid.start + dt });
  });
  if (!best) return NOT_RECOGNIZED;
  const { grid, reading } = best;
  const { slots, silenceAt } = reading;
  const confidence = slots.reduce((sum, s) => sum + s.purity, 0) / Math.max(1, slots.length);
  const fail: TimedRecognition = { ...NOT_RECOGNIZED, confidence };
  if (slots.some((s) => s.purity < PURITY_MIN)) return fail;
  // Glitches are rare; many jumps mean a wrong slot length was being dragged along the real edges. And
  // the true grid has dips at (nearly) all its edges, unlike half or 1.5 times the slot length.
  if (reading.jumps > Math.max(2, slots.length / 10) || reading.contrast < MIN_CONTRAST) return fail;
  // Sound after the utterance's trailing silence (within 10 dB of its level) is not ours.
  const tailLevel = Math.max(an.threshold, 0.1 * (slots[slots.length - 1]?.power ?? 0));
  if (silenceAt !== undefined && an.frames.some((p, i) => i * an.frame >= silenceAt + grid.period && p >= tailLevel)) {
    return fail;
  }

  let text = '';
  const characters: TimedCharacter[] = [];
  const cells = slots.slice(HEADER.length).map((s) => s.cell);
  const ms = (tick: number) => Math.max(0, (tick * an.tick * 1000) / sampleRate);
  // Slot k of the text spans from its start to the next slot's start (the last: one period).
  const edge = (k: number) => {
    const i = HEADER.length + k;
    return reading.starts[i] ?? (reading.starts[i - 1] ?? grid.start) + grid.period;
  };
  for (let i = 0; i < cells.length;) {
    const cell = cells[i] ?? 0;
    let ch: string;
    let size: number;
    if (cell < ESCAPE) {
      ch = String.fromCodePoint(cell + 32);
      size = 1;
    } else if (cell === ESCAPE || cell === ESCAPE_HIGH) {
      const digits = cells.slice(i + 1, i + 4);
      if (digits.length < 3) break; // incomplete trailing character (partial input)
      const [d0 = 0, d1 = 0, d2 = 0] = digits;
      const cp = d0 * 10_000 + d1 * 100 + d2 + (cell === ESCAPE_HIGH ? 1_000_000 : 0);
      if (cp > 0x10ffff) return fail;
      ch = String.fromCodePoint(cp);
      size = 4;
    } else {
      return fail;
    }
    text += ch;
    characters.push({ text: ch, startMs: ms(edge(i)), endMs: ms(edge(i + size)) });
    i += size;
  }
  const slotMs = Math.round((grid.period * an.tick * 1000) / sampleRate);
  return { text, recognized: true, confidence, characters, slotMs };
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

/**
 * A WAV of the emulator's speech for `text`: what a test plays as Chromium's fake microphone
 * (`--use-file-for-fake-audio-capture`) or uploads to speech to text, and the emulator hears back as `text`.
 */
export function speechWav(
  text: string,
  options: { sampleRate?: number; speed?: number; leadingSilenceMs?: number; trailingSilenceMs?: number } = {},
): Uint8Array {
  const sampleRate = options.sampleRate ?? 48_000;
  const { samples } = synthesize(text, sampleRate, { speed: options.speed });
  return toWav(samples, sampleRate, {
    leadingSilenceMs: options.leadingSilenceMs ?? 500,
    trailingSilenceMs: options.trailingSilenceMs ?? 500,
  });
}
