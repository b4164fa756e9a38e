// Streaming sample-rate conversion for the capture worklet (e.g. 48 kHz microphone → 16 kHz for transcription).
// Each output sample is a windowed-sinc (Blackman) interpolation of the input around its exact position, with the
// cutoff at 90 % of the lower Nyquist frequency, so nothing above 7.2 kHz folds back into a 16 kHz take (aliasing
// is what makes naive decimation sound harsh and confuses speech recognition).
//
// The class is self-contained (no imports, no module constants, no class fields): the worklet source embeds
// `Resampler.toString()`.

export class Resampler {
  declare readonly inRate: number;
  declare readonly outRate: number;
  /** Input samples per output sample. */
  declare readonly ratio: number;
  /** The kernel's time scale in input samples (≥ 1): wider when the cutoff is below the input's Nyquist. */
  declare readonly scale: number;
  /** Half the kernel's width, in input samples. */
  declare readonly reach: number;
  declare readonly table: Float32Array;
  declare readonly tableSteps: number;
  /** Input kept for the kernel: `buffer[0]` is input sample number `bufferStart`. */
  declare buffer: Float32Array;
  declare bufferStart: number;
  declare bufferLength: number;
  /** Output samples produced so far (positions are computed from it, so they never drift). */
  declare produced: number;
  declare out: Float32Array;

  constructor(inRate: number, outRate: number) {
    // (Constants live in here: the worklet gets this class's source text only.)
    /** Zero crossings of the sinc on each side of a sample: more is a steeper filter, at proportional cost. */
    const ZERO_CROSSINGS = 12;
    /** Table steps per zero crossing (the kernel is read by linear interpolation between them). */
    const TABLE_STEPS = 256;
    this.tableSteps = TABLE_STEPS;
    this.inRate = inRate;
    this.outRate = outRate;
    this.ratio = inRate / outRate;
    const rolloff = 0.9;
    this.scale = Math.max(1, this.ratio) / rolloff;
    this.reach = Math.ceil(ZERO_CROSSINGS * this.scale);
    // h(u) for u = 0 … ZERO_CROSSINGS (in zero crossings), one extra entry for the interpolation.
    const size = ZERO_CROSSINGS * TABLE_STEPS + 2;
    const table = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const u = i / TABLE_STEPS;
      if (u >= ZERO_CROSSINGS) continue;
      const sinc = u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
      const w = 0.5 + 0.5 * (u / ZERO_CROSSINGS); // 0.5 … 1 across the half window
      const blackman = 0.42 - 0.5 * Math.cos(2 * Math.PI * w) + 0.08 * Math.cos(4 * Math.PI * w);
      table[i] = (sinc * blackman) / this.scale;
    }
    this.table = table;
    // Pretend silence came before the first sample, so the first outputs have their full kernel.
    this.buffer = new Float32Array(4096);
    this.bufferStart = -this.reach;
    this.bufferLength = this.reach;
    this.produced = 0;
    this.out = new Float32Array(256);
  }

  /** Feeds input samples; returns the output samples they complete (a view, valid until the next call). */
  process(input: Float32Array): Float32Array {
    // Append the input.
    if (this.bufferLength + input.length > this.buffer.length) {
      const bigger = new Float32Array(Math.max(this.buffer.length * 2, this.bufferLength + input.length));
      bigger.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = bigger;
    }
    this.buffer.set(input, this.bufferLength);
    this.bufferLength += input.length;

    const available = this.bufferStart + this.bufferLength; // input samples known so far
    const maxOut = Math.ceil((input.length + 2) / this.ratio) + 2;
    if (this.out.length < maxOut) this.out = new Float32Array(maxOut);
    const { buffer, table, scale, reach, out } = this;
    const step = this.tableSteps / scale; // table entries per input sample
    let count = 0;
    for (;;) {
      const t = (this.produced * this.inRate) / this.outRate; // exact position of the next output, in input samples
      const last = Math.floor(t) + reach;
      if (last >= available) break;
      let sum = 0;
      for (let k = Math.floor(t) - reach + 1; k <= last; k++) {
        const x = Math.abs(t - k) * step;
        const i = Math.floor(x);
        if (i >= table.length - 1) continue;
        const h = table[i]! + (table[i + 1]! - table[i]!) * (x - i);
        sum += buffer[k - this.bufferStart]! * h;
      }
      out[count++] = sum;
      this.produced++;
    }
    // Drop input no later output needs.
    const next = (this.produced * this.inRate) / this.outRate;
    const keepFrom = Math.floor(next) - reach + 1;
    const drop = keepFrom - this.bufferStart;
    if (drop > 0) {
      this.buffer.copyWithin(0, drop, this.bufferLength);
      this.bufferLength -= drop;
      this.bufferStart = keepFrom;
    }
    return out.subarray(0, count);
  }
}
