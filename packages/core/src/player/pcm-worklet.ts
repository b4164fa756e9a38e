// The `pcm-worklet` path: PCM samples queued into an AudioWorklet as they arrive, played from the first chunk with
// no gap between chunks. The processor resamples (cubic) from the source rate to the context's rate, which also
// applies the playback rate; it reports its position, underruns and the end, and the main thread interpolates
// the position from the audio clock between reports.
import type { AudioGraph } from './audio-graph.ts';
import { SpeechPlayerError } from './errors.ts';
import type { OutputEvents, PlaybackOutput } from './output.ts';
import type { SampleStore } from './samples.ts';

const PROCESSOR = 'elevenkit-pcm-player';

/**
 * The processor's source, loaded as a module from a Blob URL (or, under a CSP without `blob:` in `script-src`,
 * from a file you serve with this content: pass its URL as `workletUrl`).
 */
export const PCM_WORKLET_SOURCE = `// elevenkit PCM player (AudioWorklet processor)
class ElevenkitPcmPlayer extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.sourceRate = (options.processorOptions && options.processorOptions.sourceRate) || sampleRate;
    this.rate = 1;
    this.queue = [];
    this.read = 0;
    this.available = 0;
    // Four source samples around the read position: x[i-1], x[i], x[i+1], x[i+2]; i = this.index.
    this.w0 = 0; this.w1 = 0; this.w2 = 0; this.w3 = 0;
    this.index = -3;
    this.frac = 3;
    this.received = 0;
    this.inputEnded = false;
    this.playing = false;
    this.state = 'paused';
    this.generation = 0;
    this.sinceTick = 0;
    this.port.onmessage = (event) => this.receive(event.data);
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
      this.queue = [];
      this.read = 0;
      this.available = 0;
      this.w0 = this.w1 = this.w2 = this.w3 = 0;
      this.index = m.position - 3;
      this.frac = 3;
      this.received = m.position;
      this.inputEnded = false;
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
      this.rate = m.rate;
      this.sinceTick = Infinity;
    } else if (m.type === 'close') {
      this.closed = true;
    }
  }
  post(state, time) {
    this.port.postMessage({ type: state, generation: this.generation, position: this.index + this.frac, time });
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
  process(inputs, outputs) {
    if (this.closed) return false;
    const out = outputs[0][0];
    let i = 0;
    if (this.playing && this.state !== 'ended') {
      const startTime = currentTime;
      const wasPlaying = this.state === 'playing';
      const step = (this.sourceRate / sampleRate) * this.rate;
      let stop = null;
      const startPosition = this.index + this.frac;
      outer: for (; i < out.length; i++) {
        while (this.frac >= 1) {
          if (this.inputEnded && this.index + 1 >= this.received) { stop = 'ended'; break outer; }
          const next = this.pull();
          if (next === undefined) { stop = 'starved'; break outer; }
          this.w0 = this.w1; this.w1 = this.w2; this.w2 = this.w3; this.w3 = next;
          this.index++;
          this.frac -= 1;
        }
        const t = this.frac;
        const a = -0.5 * this.w0 + 1.5 * this.w1 - 1.5 * this.w2 + 0.5 * this.w3;
        const b = this.w0 - 2.5 * this.w1 + 2 * this.w2 - 0.5 * this.w3;
        const c = 0.5 * (this.w2 - this.w0);
        out[i] = ((a * t + b) * t + c) * t + this.w1;
        this.frac += step;
      }
      if (i > 0 && !wasPlaying) {
        this.state = 'playing';
        this.port.postMessage({ type: 'playing', generation: this.generation, position: startPosition, time: startTime });
        this.sinceTick = 0;
      }
      if (stop && stop !== this.state) {
        this.state = stop;
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
