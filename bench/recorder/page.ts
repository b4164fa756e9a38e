// The recorder bench's page (bench/recorder.mjs drives it): each measurement is a function on `window.bench`.
// React renders per second while recording are measured by the React kit's own bench (a hook: `window.bench.core`
// is the engine this page loaded, for a React page to share).
import * as core from '../../packages/core/src/index.ts';
import { CaptureNode } from '../../packages/core/src/recorder/capture-worklet.ts';
import { PcmChunks } from '../../packages/core/src/recorder/wav.ts';

const button = document.querySelector<HTMLButtonElement>('#record')!;

/**
 * Arms the button: its click starts a recorder (as a page would, inside the gesture) and the result is the time
 * from the click to the status `recording` and to the first captured audio reaching the page.
 */
function armClick(format: 'wav' | 'compressed') {
  return new Promise<{ recordingMs: number; firstAudioMs: number }>((resolve, reject) => {
    button.onclick = () => {
      const clicked = performance.now();
      let recordingMs = NaN;
      // 10 ms pieces: the first one says when audio first reached the page (not a default chunk size).
      const recorder = new core.Recorder({ format, timeslice: 10 });
      recorder.subscribe(() => {
        const { status } = recorder.getSnapshot();
        if (status === 'recording' && Number.isNaN(recordingMs)) recordingMs = performance.now() - clicked;
        if (status === 'error') reject(new Error(JSON.stringify(recorder.getSnapshot().error)));
      });
      const off = recorder.onChunk((chunk) => {
        if (chunk instanceof Int16Array ? chunk.length === 0 : chunk.size === 0) return;
        const firstAudioMs = performance.now() - clicked;
        off();
        recorder.destroy();
        resolve({ recordingMs, firstAudioMs });
      });
      void recorder.start();
    };
  });
}

/** Ten minutes of 16 kHz audio as the capture leaves it (4096-sample Int16 chunks), encoded to WAV. */
async function encodeTenMinutes() {
  const chunks: Int16Array[] = [];
  for (let left = 10 * 60 * 16000; left > 0; left -= 4096) {
    const chunk = new Int16Array(Math.min(4096, left));
    for (let i = 0; i < chunk.length; i++) chunk[i] = (Math.sin(i / 7) * 12000) | 0;
    chunks.push(chunk);
  }
  const started = performance.now();
  const blob = core.encodeWav(chunks, 16000);
  const encodedMs = performance.now() - started;
  await blob.arrayBuffer(); // the bytes readable (what an upload or a decode waits for)
  return { encodedMs, readableMs: performance.now() - started, bytes: blob.size };
}

/** The hour-long take: the PCM store stays alive between calls, so the bench can measure the heap around it. */
let hour: PcmChunks | null = null;

/**
 * Feeds `minutes` of audio through the real capture path, faster than real time: for each minute an
 * OfflineAudioContext at 48 kHz renders a speech-band signal into the capture worklet (mixing, resampling to 16 kHz,
 * 16-bit chunks, posted to this page), and the chunks go into the same PcmChunks store a Recorder keeps.
 */
async function recordHour(minutes: number) {
  hour = new PcmChunks(16000);
  const store = hour;
  const started = performance.now();
  for (let m = 0; m < minutes; m++) {
    // A little more than a minute: the resampler holds back its last few input samples until it has more.
    const context = new OfflineAudioContext(1, 48000 * 60 + 4800, 48000);
    const low = new OscillatorNode(context, { frequency: 300 + m });
    const high = new OscillatorNode(context, { frequency: 2100 + m });
    const gain = new GainNode(context, { gain: 0.25 });
    low.connect(gain);
    high.connect(gain);
    let full!: () => void;
    const done = new Promise<void>((resolve) => (full = resolve));
    const capture = await CaptureNode.create(
      context,
      { targetRate: 16000, chunkSamples: 4096, maxSamples: 16000 * 60 },
      (message) => {
        if (message.type === 'chunk') store.push(message.samples);
        else full();
      },
    );
    gain.connect(capture.node);
    low.start();
    high.start();
    await context.startRendering();
    await done;
    capture.disconnect();
  }
  return {
    seconds: store.duration,
    chunks: store.chunks.length,
    bytes: store.length * 2,
    feedMs: performance.now() - started,
  };
}

function dropHour() {
  hour = null;
}

Object.assign(window, { bench: { core, armClick, encodeTenMinutes, recordHour, dropHour } });
