// 16-bit mono PCM at a fixed rate (16 kHz for transcription) from a live MediaStream, in chunks, through an
// AudioWorklet. The context is opened at the target rate when the browser allows it (the browser then resamples);
// otherwise the processor resamples linearly itself, so the chunks are always at `sampleRate`.

const PROCESSOR = 'elevenkit-pcm-capture';

/**
 * The processor's source, loaded as a module from a Blob URL (or, under a CSP without `blob:` in `script-src`,
 * from a file you serve with this content: pass its URL as `workletUrl`).
 */
export const PCM_CAPTURE_WORKLET_SOURCE = `// elevenkit PCM capture (AudioWorklet processor)
// Input (any channels, the context's rate) → mono → linear resampling to the target rate → Int16 chunks.
class ElevenkitPcmCapture extends AudioWorkletProcessor {
  constructor(options) {
    const o = options.processorOptions || {};
    super();
    this.step = sampleRate / (o.targetRate || 16000);
    this.chunk = new Int16Array(o.chunkSamples || 1600);
    this.filled = 0;
    // Position of the next output sample, in input samples counted from the previous block's last sample.
    this.pos = 0;
    this.last = 0;
    this.port.onmessage = (event) => {
      if (event.data === 'flush') {
        if (this.filled) this.send(this.filled);
        this.port.postMessage('flushed');
      }
    };
  }
  send(count) {
    const out = this.chunk.slice(0, count);
    this.port.postMessage(out, [out.buffer]);
    this.filled = 0;
  }
  push(value) {
    const v = value < -1 ? -1 : value > 1 ? 1 : value;
    this.chunk[this.filled++] = v < 0 ? v * 0x8000 : v * 0x7fff;
    if (this.filled === this.chunk.length) this.send(this.filled);
  }
  process(inputs) {
    const channels = inputs[0];
    if (!channels || !channels.length) return true;
    const n = channels[0].length;
    const mono = new Float32Array(n);
    for (const data of channels) for (let i = 0; i < n; i++) mono[i] += data[i] / channels.length;
    if (this.step === 1) {
      for (let i = 0; i < n; i++) this.push(mono[i]);
      return true;
    }
    // Sample k of this block sits at k + 1 on the scale where 0 is the previous block's last sample.
    while (this.pos <= n) {
      const i = Math.floor(this.pos);
      const frac = this.pos - i;
      const a = i === 0 ? this.last : mono[i - 1];
      const b = i >= n ? mono[n - 1] : mono[i];
      this.push(a + (b - a) * frac);
      this.pos += this.step;
    }
    this.pos -= n;
    this.last = mono[n - 1];
    return true;
  }
}
registerProcessor('${PROCESSOR}', ElevenkitPcmCapture);
`;

export interface PcmCaptureOptions {
  /** Output rate in Hz (default 16000). */
  sampleRate?: number;
  /** Milliseconds of audio per chunk (default 100). */
  chunkMs?: number;
  /** Where the processor loads from under a strict Content-Security-Policy (default: a Blob URL). */
  workletUrl?: string;
}

export interface PcmCapture {
  /** The rate of the chunks. */
  readonly sampleRate: number;
  /** Delivers what is left as a last (shorter) chunk, then stops listening and closes the audio context. */
  stop(): Promise<void>;
  /** Stops at once, dropping what is left. */
  close(): void;
}

/** Opens an AudioContext at `rate`, or the browser's default rate where that is refused. */
function openContext(rate: number): AudioContext {
  try {
    return new AudioContext({ sampleRate: rate, latencyHint: 'interactive' });
  } catch {
    return new AudioContext({ latencyHint: 'interactive' });
  }
}

/**
 * Sends the stream's audio to `onChunk` as 16-bit mono PCM at `sampleRate`, `chunkMs` at a time, until `stop()`.
 * The stream's tracks are not stopped (the recorder owns them).
 */
export async function capturePcm(
  stream: MediaStream,
  onChunk: (chunk: Int16Array) => void,
  options: PcmCaptureOptions = {},
): Promise<PcmCapture> {
  const rate = options.sampleRate ?? 16000;
  let context = openContext(rate);
  let source: MediaStreamAudioSourceNode;
  try {
    source = context.createMediaStreamSource(stream);
  } catch {
    // Firefox refuses a stream at another rate than the context's: capture at the native rate and resample here.
    void context.close();
    context = new AudioContext({ latencyHint: 'interactive' });
    source = context.createMediaStreamSource(stream);
  }
  const moduleUrl =
    options.workletUrl ?? URL.createObjectURL(new Blob([PCM_CAPTURE_WORKLET_SOURCE], { type: 'text/javascript' }));
  try {
    await context.audioWorklet.addModule(moduleUrl);
  } catch (error) {
    void context.close();
    throw error;
  } finally {
    if (!options.workletUrl) URL.revokeObjectURL(moduleUrl);
  }
  const node = new AudioWorkletNode(context, PROCESSOR, {
    numberOfInputs: 1,
    numberOfOutputs: 0,
    processorOptions: { targetRate: rate, chunkSamples: Math.round((rate * (options.chunkMs ?? 100)) / 1000) },
  });
  let open = true;
  let flushed: (() => void) | null = null;
  node.port.onmessage = (event: MessageEvent<Int16Array | 'flushed'>) => {
    if (event.data === 'flushed') return flushed?.();
    if (open) onChunk(event.data);
  };
  source.connect(node);
  // A context made outside a user gesture may start suspended; capture needs it running.
  if (context.state === 'suspended') void context.resume().catch(() => {});

  const close = () => {
    if (!open) return;
    open = false;
    source.disconnect();
    node.port.onmessage = null;
    void context.close().catch(() => {});
  };
  return {
    sampleRate: rate,
    async stop() {
      if (!open) return;
      if (context.state === 'running') {
        await Promise.race([
          new Promise<void>((resolve) => {
            flushed = resolve;
            node.port.postMessage('flush');
          }),
          new Promise((resolve) => setTimeout(resolve, 500)),
        ]);
      }
      close();
    },
    close,
  };
}
