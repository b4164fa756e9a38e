// 16-bit mono PCM at a fixed rate (16 kHz for transcription) from a live MediaStream, in chunks: the recorder's own
// capture worklet (recorder/capture-worklet.ts: mono mix, windowed-sinc resampling), in a context at the
// microphone's native rate, so there is one resampler in the kit and one worklet file to serve under a strict CSP.
import { CaptureNode } from './recorder/capture-worklet.ts';

export interface PcmCaptureOptions {
  /** Output rate in Hz (default 16000). */
  sampleRate?: number;
  /** Milliseconds of audio per chunk (default 100). */
  chunkMs?: number;
  /**
   * Where the capture worklet loads from under a strict Content-Security-Policy (a file holding
   * `CAPTURE_WORKLET_SOURCE`, the recorder's; default: a Blob URL).
   */
  workletUrl?: string;
}

export interface PcmCapture {
  /** The rate of the chunks. */
  readonly sampleRate: number;
  /** Stops sending audio until `resume()`; resolves once what was captured before the pause has been delivered. */
  pause(): Promise<void>;
  resume(): void;
  /** Delivers what is left as a last (shorter) chunk, then stops listening and closes the audio context. */
  stop(): Promise<void>;
  /** Stops at once, dropping what is left. */
  close(): void;
}

/**
 * Sends the stream's audio to `onChunk` as 16-bit mono PCM at `sampleRate`, `chunkMs` at a time, until `stop()`.
 * The stream's tracks are not stopped (whoever opened the microphone owns them).
 */
export async function capturePcm(
  stream: MediaStream,
  onChunk: (chunk: Int16Array) => void,
  options: PcmCaptureOptions = {},
): Promise<PcmCapture> {
  const rate = options.sampleRate ?? 16000;
  const context = new AudioContext({ latencyHint: 'interactive' });
  let open = true;
  let capture: CaptureNode;
  let source: MediaStreamAudioSourceNode;
  try {
    source = context.createMediaStreamSource(stream);
    capture = await CaptureNode.create(
      context,
      {
        targetRate: rate,
        chunkSamples: Math.round((rate * (options.chunkMs ?? 100)) / 1000),
        workletUrl: options.workletUrl,
      },
      (message) => {
        if (open && message.type === 'chunk') onChunk(message.samples);
      },
    );
  } catch (error) {
    void context.close().catch(() => {});
    throw error;
  }
  source.connect(capture.node);
  // A context made outside a user gesture may start suspended; capture needs it running.
  if (context.state === 'suspended') void context.resume().catch(() => {});

  const close = () => {
    if (!open) return;
    open = false;
    source.disconnect();
    capture.disconnect();
    void context.close().catch(() => {});
  };
  return {
    sampleRate: rate,
    pause: () => (open && context.state === 'running' ? capture.pause() : Promise.resolve()),
    resume: () => void (open && capture.resume()),
    async stop() {
      if (!open) return;
      if (context.state === 'running') await capture.stop();
      close();
    },
    close,
  };
}
