// The `pcm-worklet` path: PCM samples queued into an AudioWorklet as they arrive, played from the first chunk with
// no gap between chunks. The processor resamples (cubic) from the source rate to the context's rate and plays other
// rates by time-stretching (WSOLA), so the pitch stays; it reports its position, underruns and the end, and the main
// thread interpolates the position from the audio clock between reports.
import type { AudioGraph } from './audio-graph.ts';
import { SpeechPlayerError } from './errors.ts';
import type { OutputEvents, PlaybackOutput } from './output.ts';
import type { SampleStore } from './samples.ts';

const PROCESSOR = 'elevenkit-pcm-player';
/**
 * Audio queued before playing resumes after an underrun (seconds of source audio, scaled up by the rate), doubled
 * after each further underrun up to 8 times (1.2 s); 4 s of playing without one, or a seek, start over.
 */
export const REBUFFER_SECONDS = 0.15;

/**
 * The processor's source, loaded as a module from a Blob URL (or, under a CSP without `blob:` in `script-src`,
 * from a file you serve with this content: pass its URL as `workletUrl`).
 */
export const PCM_WORKLET_SOURCE = `// elevenkit PCM player (AudioWorklet processor)
// Source PCM → (cubic resampling to the context's rate) → a buffer → played at rate 1, or time-stretched (WSOLA:
// overlapping windows placed where the waveform continues best) so other rates keep the pitch.
class ElevenkitPcmPlayer extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.sourceRate = (options.processorOptions && options.processorOptions.sourceRate) || sampleRate;
    this.step = this.sourceRate / sampleRate;
    this.rate = 1;
    this.playing = false;
    this.state = 'paused';
    this.generation = 0;
    this.sinceTick = 0;
    this.closed = false;
    // After an underrun, wait for this much queued audio (or the end) before resuming, so a jittery stream plays
    // on with one pause instead of stuttering on every late chunk; twice as much after each further underrun (a
    // stream slower than real time then pauses a few times for longer), until 4 s play without one. The first start
    // does not wait.
    this.underruns = 0;
    this.sinceUnderrun = 0;
    // Time stretching: 24 ms windows at 50% overlap, each placed within ±8 ms of its nominal position.
    this.N = 2 * Math.round(0.012 * sampleRate);
    this.H = this.N / 2;
    this.D = 2 * Math.round(0.004 * sampleRate); // even, so the coarse search (every other offset) includes 0
    this.window = new Float32Array(this.N);
    for (let j = 0; j < this.N; j++) this.window[j] = 0.5 - 0.5 * Math.cos((2 * Math.PI * j) / this.N);
    this.ola = new Float32Array(this.N);
    this.hop = new Float32Array(this.H);
    this.buffer = new Float32Array(Math.max(4096, 4 * (this.N + 2 * this.D)));
    this.reset(0);
    this.port.onmessage = (event) => this.receive(event.data);
  }
  /** Forgets all audio; the next sample received is source sample "position". */
  reset(position) {
    this.origin = position;
    this.queue = [];
    this.read = 0;
    this.available = 0;
    this.received = position;
    this.inputEnded = false;
    // Cubic resampler: four source samples x[i-1..i+2] around source index i = this.index.
    this.w0 = 0; this.w1 = 0; this.w2 = 0; this.w3 = 0;
    this.index = position - 3;
    this.frac = 3;
    // Resampled samples (at the context's rate) [bufferStart, bufferEnd) are in this.buffer.
    this.bufferStart = 0;
    this.bufferEnd = 0;
    this.resampledEnd = Infinity;
    this.underruns = 0;
    // The playhead, in resampled samples; while stretching, the hop being played started at hopAt.
    this.at = 0;
    this.hopAt = 0;
    this.hopRead = this.H;
    this.previous = -1;
    this.ola.fill(0);
  }
  receive(m) {
    if (m.type === 'data') {
      if (m.generation !== this.generation) return;
      this.queue.push(m.samples);
      this.available += m.samples.length;
      this.received += m.samples.length;
    } else if (m.type === 'end') {
      if (m.generation === this.generation) this.inputEnded = true;
    } else if (m.type === 'reset') {
      this.generation = m.generation;
      this.reset(m.position);
      this.state = 'paused';
    } else if (m.type === 'play') {
      this.playing = true;
    } else if (m.type === 'pause') {
      this.playing = false;
      if (this.state === 'playing' || this.state === 'starved') {
        this.state = 'paused';
        this.post('paused', currentTime);
      }
    } else if (m.type === 'rate') {
      if (m.rate !== this.rate) {
        // Continue from what is playing now; a new run of windows starts there.
        this.at = Math.round(this.playhead());
        this.hopRead = this.H;
        this.previous = -1;
        this.ola.fill(0);
        this.rate = m.rate;
      }
      this.sinceTick = Infinity;
    } else if (m.type === 'close') {
      this.closed = true;
    }
  }
  /** The resampled sample being played. */
  playhead() {
    return this.rate === 1 || this.hopRead >= this.H ? this.at : this.hopAt + this.hopRead * this.rate;
  }
  /** The source sample being played. */
  position() {
    return this.origin + Math.min(this.playhead(), this.resampledEnd) * this.step;
  }
  post(state, time) {
    this.port.postMessage({ type: state, generation: this.generation, position: this.position(), time });
  }
  pull() {
    if (this.available > 0) {
      const head = this.queue[0];
      const value = head[this.read++];
      this.available--;
      if (this.read >= head.length) {
        this.queue.shift();
        this.read = 0;
      }
      return value;
    }
    return this.inputEnded ? 0 : undefined;
  }
  /** Resamples into the buffer until it holds resampled sample "until" - 1 (or the source runs out). */
  fill(until) {
    if (this.bufferEnd >= until) return true;
    // Make room: drop what is behind the oldest sample still needed.
    const oldest = this.previous < 0 ? this.at : Math.min(this.at, this.previous);
    const keep = Math.max(this.bufferStart, Math.floor(oldest) - this.D - 1);
    if (until - keep > this.buffer.length) {
      const bigger = new Float32Array(2 * (until - keep));
      bigger.set(this.buffer.subarray(keep - this.bufferStart, this.bufferEnd - this.bufferStart));
      this.buffer = bigger;
      this.bufferStart = keep;
    } else if (until - this.bufferStart > this.buffer.length) {
      this.buffer.copyWithin(0, keep - this.bufferStart, this.bufferEnd - this.bufferStart);
      this.bufferStart = keep;
    }
    const buffer = this.buffer;
    while (this.bufferEnd < until) {
      if (this.bufferEnd >= this.resampledEnd) {
        buffer[this.bufferEnd++ - this.bufferStart] = 0; // after the end: silence
        continue;
      }
      while (this.frac >= 1) {
        if (this.inputEnded && this.index + 1 >= this.received) {
          this.resampledEnd = this.bufferEnd;
          break;
        }
        const next = this.pull();
        if (next === undefined) return false;
        this.w0 = this.w1; this.w1 = this.w2; this.w2 = this.w3; this.w3 = next;
        this.index++;
        this.frac -= 1;
      }
      if (this.bufferEnd >= this.resampledEnd) continue;
      const t = this.frac;
      const a = -0.5 * this.w0 + 1.5 * this.w1 - 1.5 * this.w2 + 0.5 * this.w3;
      const b = this.w0 - 2.5 * this.w1 + 2 * this.w2 - 0.5 * this.w3;
      const c = 0.5 * (this.w2 - this.w0);
      buffer[this.bufferEnd++ - this.bufferStart] = ((a * t + b) * t + c) * t + this.w1;
      this.frac += this.step;
    }
    return true;
  }
  /** Plays at rate 1 from the buffer into out[i..]; returns the new i (this.stop says why it stopped short). */
  copy(out, i) {
    if (this.at >= this.resampledEnd) return (this.stop = 'ended'), i;
    this.fill(this.at + out.length - i);
    const n = Math.min(out.length - i, this.bufferEnd - this.at, this.resampledEnd - this.at);
    if (n <= 0) return (this.stop = 'starved'), i;
    out.set(this.buffer.subarray(this.at - this.bufferStart, this.at - this.bufferStart + n), i);
    this.at += n;
    return i + n;
  }
  /** Plays stretched: one hop of overlapped windows at a time. */
  stretch(out, i) {
    if (this.hopRead >= this.H && !this.nextHop()) return i;
    const n = Math.min(out.length - i, this.H - this.hopRead);
    out.set(this.hop.subarray(this.hopRead, this.hopRead + n), i);
    this.hopRead += n;
    return i + n;
  }
  nextHop() {
    const { N, H, D } = this;
    const nominal = Math.round(this.at);
    if (nominal >= this.resampledEnd) return (this.stop = 'ended'), false;
    if (!this.fill(nominal + D + N) && this.bufferEnd < nominal + D + N) return (this.stop = 'starved'), false;
    const buffer = this.buffer;
    const base = this.bufferStart;
    let chosen = nominal;
    if (this.previous >= 0) {
      // Where the previous window's waveform would have continued, compared with each candidate's first half.
      const template = this.previous + H - base;
      const score = (d) => {
        const from = nominal + d - base;
        let sum = 0;
        let energy = 1e-9;
        for (let j = 0; j < H; j += 2) {
          const x = buffer[from + j];
          sum += x * buffer[template + j];
          energy += x * x;
        }
        return sum / Math.sqrt(energy);
      };
      let best = -Infinity;
      let bestD = 0;
      const lowest = Math.max(-D, base - nominal);
      // The exact continuation first: when it is in reach (rates near 1) nothing can match better.
      const continuation = this.previous + H - nominal;
      if (continuation >= lowest && continuation <= D) (best = score(continuation)), (bestD = continuation);
      for (let d = lowest + ((lowest - D) & 1); d <= D; d += 2) {
        const s = score(d);
        if (s > best * 1.0001) (best = s), (bestD = d);
      }
      for (const d of [bestD - 1, bestD + 1]) {
        if (d >= lowest && d <= D) {
          const s = score(d);
          if (s > best) (best = s), (bestD = d);
        }
      }
      chosen = nominal + bestD;
    }
    const from = chosen - base;
    for (let j = 0; j < N; j++) this.ola[j] += this.window[j] * buffer[from + j];
    this.hop.set(this.ola.subarray(0, H));
    this.ola.copyWithin(0, H);
    this.ola.fill(0, H);
    this.hopRead = 0;
    this.hopAt = this.at;
    this.previous = chosen;
    this.at += H * this.rate;
    return true;
  }
  process(inputs, outputs) {
    if (this.closed) return false;
    const out = outputs[0][0];
    let i = 0;
    const rebuffer = REBUFFER_SECONDS * Math.min(8, 2 ** (this.underruns - 1)) * this.sourceRate * Math.max(1, this.rate);
    const refilling = this.state === 'starved' && !this.inputEnded && this.available < rebuffer;
    if (this.playing && this.state !== 'ended' && !refilling) {
      const startTime = currentTime;
      const startPosition = this.position();
      const wasPlaying = this.state === 'playing';
      this.stop = null;
      while (i < out.length && !this.stop) i = this.rate === 1 ? this.copy(out, i) : this.stretch(out, i);
      const stop = i < out.length ? this.stop : null;
      if (i > 0 && !wasPlaying) {
        this.state = 'playing';
        this.port.postMessage({ type: 'playing', generation: this.generation, position: startPosition, time: startTime });
        this.sinceTick = 0;
      }
      if (stop === 'starved') this.sinceUnderrun = 0;
      else if ((this.sinceUnderrun += i) >= 4 * sampleRate) this.underruns = 0;
      if (stop && stop !== this.state) {
        this.state = stop;
        if (stop === 'starved') this.underruns++;
        this.post(stop, startTime + i / sampleRate);
      } else if (!stop) {
        this.sinceTick += out.length;
        if (this.sinceTick >= sampleRate / 4) {
          this.sinceTick = 0;
          this.port.postMessage({ type: 'tick', generation: this.generation, position: startPosition, time: startTime });
        }
      }
    }
    out.fill(0, i);
    return true;
  }
}
const REBUFFER_SECONDS = ${REBUFFER_SECONDS};
registerProcessor('${PROCESSOR}', ElevenkitPcmPlayer);
`;

const modules = new WeakMap<BaseAudioContext, Promise<void>>();

/** Adds the processor to a context once (from `url`, or a Blob URL of PCM_WORKLET_SOURCE). */
export function loadPcmWorklet(context: BaseAudioContext, url?: string): Promise<void> {
  let loading = modules.get(context);
  if (!loading) {
    const moduleUrl = url ?? URL.createObjectURL(new Blob([PCM_WORKLET_SOURCE], { type: 'text/javascript' }));
    loading = context.audioWorklet.addModule(moduleUrl).finally(() => {
      if (!url) URL.revokeObjectURL(moduleUrl);
    });
    modules.set(context, loading);
  }
  return loading;
}

interface Report {
  type: 'playing' | 'starved' | 'paused' | 'ended' | 'tick';
  generation: number;
  position: number;
  time: number;
}

export class WorkletOutput implements PlaybackOutput {
  readonly path = 'pcm-worklet';
  readonly #graph: AudioGraph;
  readonly #store: SampleStore;
  readonly #sourceRate: number;
  readonly #events: OutputEvents;
  readonly #node: Promise<AudioWorkletNode | null>;
  #port: MessagePort | null = null;
  /** Samples of the store already posted to the processor. */
  #sent = 0;
  #inputEnded = false;
  #playing = false;
  #rate = 1;
  #generation = 0;
  /** Where the processor was (source samples) at audio-clock `time`, and whether it has been moving since. */
  #anchor = { position: 0, time: 0, moving: false };
  /** Where playing last (re)started: the heard position does not go back behind it. */
  #runFrom = 0;
  #ready = false;
  #destroyed = false;

  constructor(graph: AudioGraph, store: SampleStore, sourceRate: number, events: OutputEvents, workletUrl?: string) {
    this.#graph = graph;
    this.#store = store;
    this.#sourceRate = sourceRate;
    this.#events = events;
    this.#node = loadPcmWorklet(graph.context, workletUrl).then(
      () => {
        if (this.#destroyed) return null;
        const node = new AudioWorkletNode(graph.context, PROCESSOR, {
          numberOfInputs: 0,
          numberOfOutputs: 1,
          outputChannelCount: [1],
          processorOptions: { sourceRate },
        });
        node.connect(graph.input);
        this.#port = node.port;
        node.port.onmessage = (event: MessageEvent<Report>) => this.#report(event.data);
        this.#post({ type: 'reset', position: this.#anchor.position, generation: this.#generation });
        this.#sent = this.#anchor.position;
        if (this.#rate !== 1) this.#post({ type: 'rate', rate: this.#rate });
        this.samplesAdded();
        if (this.#inputEnded) this.#post({ type: 'end', generation: this.#generation });
        if (this.#playing) this.#post({ type: 'play' });
        return node;
      },
      (cause: unknown) => {
        this.#events.failed(
          new SpeechPlayerError(
            'unsupported',
            'The audio worklet could not be loaded (a Content-Security-Policy may block blob: modules; see workletUrl).',
            undefined,
            { cause },
          ),
        );
        return null;
      },
    );
  }

  samplesAdded() {
    const length = this.#store.length;
    if (this.#port && length > this.#sent) {
      const samples = this.#store.slice(this.#sent, length);
      this.#sent = length;
      this.#port.postMessage({ type: 'data', samples, generation: this.#generation }, [samples.buffer]);
    }
    if (!this.#ready && length > 0) {
      this.#ready = true;
      this.#events.ready();
    }
  }

  end() {
    this.#inputEnded = true;
    this.#post({ type: 'end', generation: this.#generation });
  }

  async play() {
    this.#playing = true;
    this.#post({ type: 'play' });
    await this.#node;
  }

  pause() {
    if (!this.#playing) return;
    this.#anchor = { position: this.#position(), time: this.#graph.context.currentTime, moving: false };
    this.#playing = false;
    this.#post({ type: 'pause' });
  }

  seek(seconds: number) {
    const position = Math.max(0, Math.min(this.#store.length, Math.round(seconds * this.#sourceRate)));
    this.#generation++;
    this.#anchor = { position, time: this.#graph.context.currentTime, moving: false };
    this.#runFrom = position;
    this.#sent = position;
    if (!this.#port) return;
    this.#post({ type: 'reset', position, generation: this.#generation });
    this.samplesAdded();
    if (this.#inputEnded) this.#post({ type: 'end', generation: this.#generation });
  }

  setRate(rate: number) {
    this.#anchor = { ...this.#anchor, position: this.#position(), time: this.#graph.context.currentTime };
    this.#rate = rate;
    this.#post({ type: 'rate', rate });
  }

  currentTime() {
    const seconds = this.#position() / this.#sourceRate;
    if (!this.#anchor.moving) return seconds;
    // What is heard now left the worklet one output latency ago (but not before playing resumed).
    return Math.max(this.#runFrom / this.#sourceRate, seconds - this.#graph.latency() * this.#rate);
  }

  duration() {
    return this.#inputEnded ? this.#store.length / this.#sourceRate : null;
  }

  destroy() {
    this.#destroyed = true;
    this.#playing = false;
    void this.#node.then((node) => {
      if (!node) return;
      node.port.onmessage = null;
      node.port.postMessage({ type: 'close' }); // process() returns false: the node can be collected
      node.disconnect();
    });
    this.#port = null;
  }

  /** Source samples played, interpolated from the last report by the audio clock. */
  #position() {
    const { position, time, moving } = this.#anchor;
    if (!moving) return position;
    const elapsed = Math.max(0, this.#graph.context.currentTime - time);
    return Math.min(this.#store.length, position + elapsed * this.#sourceRate * this.#rate);
  }

  #report(report: Report) {
    if (report.generation !== this.#generation || this.#destroyed) return;
    const moving = report.type === 'playing' || report.type === 'tick';
    if (report.type === 'paused' && this.#playing) return; // a pause overtaken by a play
    this.#anchor = { position: Math.max(0, report.position), time: report.time, moving };
    if (report.type === 'playing') {
      this.#runFrom = report.position;
      this.#events.starved(false);
    } else if (report.type === 'starved') this.#events.starved(true);
    else if (report.type === 'ended') this.#events.ended();
  }

  #post(message: Record<string, unknown>) {
    this.#port?.postMessage(message);
  }
}
