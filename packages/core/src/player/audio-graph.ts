// One AudioContext per player, created on first use (never on import or construction, so servers never touch it):
// every path ends in the same volume gain → analyser → speakers, so levels, volume (also on iOS, where media
// elements ignore `volume`), the output device and autoplay unlocking work the same for all of them.
import { audioContextClass } from './format.ts';

type SinkContext = AudioContext & { setSinkId?: (id: string) => Promise<void> };

/** How long `start()` waits for a suspended context to run before calling it blocked (it resumes later if allowed). */
const RESUME_WAIT_MS = 300;

export class AudioGraph {
  readonly context: AudioContext;
  /** Everything that plays connects here (volume and mute). */
  readonly input: GainNode;
  readonly analyser: AnalyserNode;
  readonly #elements = new WeakMap<HTMLMediaElement, MediaElementAudioSourceNode>();
  #time: Float32Array<ArrayBuffer> | null = null;
  #frequencies: Uint8Array<ArrayBuffer> | null = null;

  constructor() {
    const Context = audioContextClass();
    if (!Context) throw new Error('This browser has no Web Audio.');
    this.context = new Context();
    this.input = this.context.createGain();
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 512;
    this.analyser.smoothingTimeConstant = 0.6;
    this.input.connect(this.analyser);
    this.analyser.connect(this.context.destination);
  }

  static supported() {
    return audioContextClass() !== null;
  }

  /** Routes a media element through the graph (once per element: the browser allows one source node each). */
  connectElement(element: HTMLMediaElement) {
    if (this.#elements.has(element)) return;
    const source = this.context.createMediaElementSource(element);
    source.connect(this.input);
    this.#elements.set(element, source);
  }

  /**
   * Resolves true once the context runs, false when the browser holds it for a user gesture. Call it synchronously
   * from a click where possible: that is what lets the browser start it.
   */
  start(): Promise<boolean> {
    const context = this.context;
    if (context.state === 'running') return Promise.resolve(true);
    if (context.state === 'closed') return Promise.resolve(false);
    const resumed = context.resume().then(
      () => (context.state as AudioContextState) === 'running',
      () => false,
    );
    // A context the browser will not start keeps resume() pending (until a gesture), so do not wait forever.
    const waited = new Promise<boolean>((resolve) =>
      setTimeout(() => resolve((context.state as AudioContextState) === 'running'), RESUME_WAIT_MS),
    );
    return Promise.race([resumed, waited]);
  }

  /** Inside a user gesture: resume and play one silent sample, which is what iOS Safari needs to allow audio. */
  unlock(): Promise<boolean> {
    const context = this.context;
    const started = this.start();
    try {
      const buffer = context.createBuffer(1, 1, context.sampleRate);
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      source.start();
    } catch {
      // a closed context: start() has already said so
    }
    return started;
  }

  setVolume(volume: number, muted: boolean) {
    this.input.gain.value = muted ? 0 : volume;
  }

  /** Seconds between a sample leaving the graph and reaching the ear (as far as the browser knows). */
  latency() {
    const context = this.context as AudioContext & { outputLatency?: number };
    return (context.baseLatency || 0) + (context.outputLatency || 0);
  }

  canSetSink() {
    return typeof (this.context as SinkContext).setSinkId === 'function';
  }

  setSinkId(deviceId: string): Promise<void> {
    return (this.context as SinkContext).setSinkId!(deviceId);
  }

  /** RMS of the output over the analyser's window, scaled so a full-scale sine reads 1. */
  level(): number {
    this.#time ??= new Float32Array(this.analyser.fftSize);
    this.analyser.getFloatTimeDomainData(this.#time);
    let sum = 0;
    for (const v of this.#time) sum += v * v;
    return Math.min(1, Math.sqrt((2 * sum) / this.#time.length));
  }

  /** Byte frequency data of the output (the same array each call). */
  frequencyData(): Uint8Array {
    this.#frequencies ??= new Uint8Array(this.analyser.frequencyBinCount);
    this.analyser.getByteFrequencyData(this.#frequencies);
    return this.#frequencies;
  }

  close() {
    this.input.disconnect();
    this.analyser.disconnect();
    if (this.context.state !== 'closed') void this.context.close().catch(() => {});
  }
}
