// The `wav` capture: an AudioWorklet that mixes the microphone to mono, resamples it (recorder/resampler.ts) and
// sends 16-bit chunks to the main thread. Pausing happens in the worklet, between two render quanta: every sample
// is either kept once or dropped, so a pause leaves no gap and no duplicate. `maxSamples` ends the take on the
// exact sample.
import { Resampler } from './resampler.ts';

const PROCESSOR = 'elevenkit-capture';

/**
 * The processor's source, loaded as a module from a Blob URL (or, under a Content-Security-Policy without `blob:` in
 * `script-src`, from a file you serve with this content: pass its URL as the recorder's `workletUrl`).
 */
export const CAPTURE_WORKLET_SOURCE = `// elevenkit capture (AudioWorklet processor): microphone → mono → resampled → 16-bit chunks
const Resampler = (${Resampler.toString()});
class ElevenkitCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions || {};
    this.resampler = o.targetRate && o.targetRate !== sampleRate ? new Resampler(sampleRate, o.targetRate) : null;
    this.chunk = new Int16Array(o.chunkSamples || 4096);
    this.fill = 0;
    this.total = 0;
    this.max = o.maxSamples > 0 ? o.maxSamples : Infinity;
    this.recording = !o.paused;
    this.done = false;
    this.mono = new Float32Array(128);
    this.port.onmessage = (event) => {
      const m = event.data;
      if (m === 'pause') {
        // What was heard before the pause goes out now (a transcriber commits it), then the pause is confirmed.
        this.recording = false;
        this.send();
        this.port.postMessage({ type: 'paused', total: this.total });
      } else if (m === 'resume') this.recording = true;
      else if (m === 'stop') this.finish('stopped');
      else if (m && m.type === 'max') this.max = m.samples > 0 ? m.samples : Infinity;
    };
  }
  send() {
    if (this.fill === 0) return;
    const chunk = this.chunk.slice(0, this.fill);
    this.port.postMessage({ type: 'chunk', samples: chunk }, [chunk.buffer]);
    this.fill = 0;
  }
  finish(type) {
    if (this.done) return;
    this.send();
    this.done = true;
    this.port.postMessage({ type, total: this.total });
  }
  process(inputs) {
    if (this.done) return false;
    const channels = inputs[0];
    if (!this.recording || !channels || channels.length === 0) return true;
    let mono = channels[0];
    if (channels.length > 1) {
      if (this.mono.length < mono.length) this.mono = new Float32Array(mono.length);
      mono = this.mono.subarray(0, channels[0].length);
      for (let i = 0; i < mono.length; i++) {
        let sum = 0;
        for (let c = 0; c < channels.length; c++) sum += channels[c][i];
        mono[i] = sum / channels.length;
      }
    }
    const out = this.resampler ? this.resampler.process(mono) : mono;
    const chunk = this.chunk;
    for (let i = 0; i < out.length && this.total < this.max; i++) {
      const v = Math.round(out[i] * 32768);
      chunk[this.fill++] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      this.total++;
      if (this.fill === chunk.length) this.send();
    }
    if (this.total >= this.max) this.finish('full');
    return !this.done;
  }
}
registerProcessor('${PROCESSOR}', ElevenkitCapture);
`;

export interface CaptureOptions {
  /** Samples per second of the take; the context's own rate when unset. */
  targetRate?: number;
  /** Samples per chunk sent to the main thread. */
  chunkSamples: number;
  /** The worklet stops after this many samples. */
  maxSamples?: number;
  workletUrl?: string;
}

export type CaptureMessage =
  | { type: 'chunk'; samples: Int16Array }
  /** `maxSamples` reached (the last chunk came before). */
  | { type: 'full'; total: number }
  /** After `pause`: everything captured before it has been sent (handled by CaptureNode.pause, not passed on). */
  | { type: 'paused'; total: number }
  /** After `stop`: everything has been sent. */
  | { type: 'stopped'; total: number }
  /** The processor threw (it stops there). */
  | { type: 'failed'; total: number };

/** How long `stop()` waits for the worklet's last chunk. */
const STOP_WAIT_MS = 2000;

const modules = new WeakMap<BaseAudioContext, Promise<void>>();

/** Loads the processor into a context (once per context). */
function loadModule(context: BaseAudioContext, workletUrl?: string) {
  let loading = modules.get(context);
  if (!loading) {
    const url = workletUrl ?? URL.createObjectURL(new Blob([CAPTURE_WORKLET_SOURCE], { type: 'text/javascript' }));
    loading = context.audioWorklet.addModule(url).finally(() => {
      if (!workletUrl) URL.revokeObjectURL(url);
    });
    modules.set(context, loading);
  }
  return loading;
}

/** A capture node in `context`: connect the microphone (or anything) to it; it needs no output to run. */
export class CaptureNode {
  readonly node: AudioWorkletNode;
  readonly sampleRate: number;
  /** The sample count once the worklet has sent everything ('full' or 'stopped'). */
  #ended: number | null = null;
  #onEnded: ((total: number) => void) | null = null;
  #onPaused: (() => void)[] = [];

  private constructor(node: AudioWorkletNode, sampleRate: number, onMessage: (message: CaptureMessage) => void) {
    this.node = node;
    this.sampleRate = sampleRate;
    node.port.onmessage = (event: MessageEvent<CaptureMessage>) => {
      const message = event.data;
      if (message.type === 'paused') {
        for (const resolve of this.#onPaused.splice(0)) resolve();
        return;
      }
      if (message.type !== 'chunk') {
        this.#ended = message.total;
        this.#onEnded?.(message.total);
      }
      onMessage(message);
    };
  }

  static async create(
    context: BaseAudioContext,
    options: CaptureOptions,
    onMessage: (message: CaptureMessage) => void,
  ): Promise<CaptureNode> {
    await loadModule(context, options.workletUrl);
    const targetRate = options.targetRate ?? context.sampleRate;
    const node = new AudioWorkletNode(context, PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCountMode: 'max',
      processorOptions: { targetRate, chunkSamples: options.chunkSamples, maxSamples: options.maxSamples },
    });
    const capture = new CaptureNode(node, targetRate, onMessage);
    node.onprocessorerror = () =>
      node.port.onmessage?.(new MessageEvent('message', { data: { type: 'failed', total: -1 } }));
    return capture;
  }

  /** Stops keeping audio; resolves once every chunk captured before the pause has arrived. */
  pause(): Promise<void> {
    return new Promise<void>((resolve) => {
      // A closed context never answers: then what arrived is all there is.
      const timer = setTimeout(resolve, STOP_WAIT_MS);
      this.#onPaused.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.node.port.postMessage('pause');
    });
  }

  resume() {
    this.node.port.postMessage('resume');
  }

  /** Ends the capture; resolves with the sample count once every chunk has arrived. */
  stop(): Promise<number> {
    if (this.#ended !== null) return Promise.resolve(this.#ended);
    return new Promise<number>((resolve) => {
      // A closed context never answers: then what arrived is all there is.
      const timer = setTimeout(() => resolve(-1), STOP_WAIT_MS);
      this.#onEnded = (total) => {
        clearTimeout(timer);
        resolve(total);
      };
      this.node.port.postMessage('stop');
    });
  }

  disconnect() {
    this.node.disconnect();
    this.node.port.onmessage = null;
    this.node.port.close();
  }
}
