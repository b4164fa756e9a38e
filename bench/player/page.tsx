// The page bench/player.mjs drives: the real SpeechPlayer (and the React components) against the emulator on this
// page's origin. Every figure is taken here on one clock (performance.now): response bytes through a wrapped fetch,
// sound where it leaves the player (a worklet on `player.outputNode`), and what the UI shows in animation frames.
import { SpeechPlayer, type AudioFormat, type PlaybackPath, type SpeechSource } from '../../packages/core/src/index.ts';
import { AudioPlayer } from '../../packages/react/src/components/audio-player.tsx';
import { TranscriptViewer } from '../../packages/react/src/components/transcript-viewer.tsx';
import { Profiler, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { expectedWords, gaps, tap } from '../../test/player-helpers.ts';

const KEY = 'elevenkit-bench-key';
const VOICE = 'JBFqnCBsd6RMkjVDRZzb';

// ---- response bytes: when the first body chunk of each text-to-speech response reached the page
let firstByteAt: number | null = null;
const realFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const response = await realFetch(input, init);
  if (!String(input instanceof Request ? input.url : input).includes('/v1/text-to-speech/') || !response.body) {
    return response;
  }
  const mark = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      firstByteAt ??= performance.now();
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(mark), { status: response.status, headers: response.headers });
};

/** `base`: '' for the emulator at 4× real time, '/realtime' for the one that produces speech at 1× (bench/player.mjs). */
function source(text: string, format: AudioFormat, voice = VOICE, base = ''): SpeechSource {
  return {
    type: 'stream',
    url: `${base}/v1/text-to-speech/${voice}/stream/with-timestamps?output_format=${format}`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'xi-api-key': KEY },
      body: JSON.stringify({ text, model_id: 'eleven_flash_v2_5' }),
    },
    format,
    timestamps: true,
    text,
  };
}

async function injectFaults(faults: object, voice: string, base = '') {
  await realFetch(`${base}/_emulator/tts-faults?voice_id=${voice}`, { method: 'POST', body: JSON.stringify(faults) });
}

// ---- sound: the first non-silent sample leaving a node, as a performance.now() time
const ONSET = `registerProcessor('bench-onset', class extends AudioWorkletProcessor {
  constructor() { super(); this.armed = true; }
  process(inputs) {
    const x = inputs[0] && inputs[0][0];
    if (x && this.armed) for (let i = 0; i < x.length; i++) if (Math.abs(x[i]) > 1e-3) {
      this.armed = false; this.port.postMessage(currentTime + i / sampleRate); break;
    }
    return true;
  }
});`;
const onsetModules = new WeakMap<BaseAudioContext, Promise<void>>();

/** Resolves with when the first sound left `node` (rendered into the graph) and the browser's output latency. */
async function onset(node: AudioNode) {
  const context = node.context as AudioContext;
  let loading = onsetModules.get(context);
  if (!loading) {
    loading = context.audioWorklet.addModule(URL.createObjectURL(new Blob([ONSET], { type: 'text/javascript' })));
    onsetModules.set(context, loading);
  }
  await loading;
  const detector = new AudioWorkletNode(context, 'bench-onset', { numberOfInputs: 1, numberOfOutputs: 1 });
  const silent = context.createGain();
  silent.gain.value = 0;
  node.connect(detector);
  detector.connect(silent).connect(context.destination);
  const heard = new Promise<{ rendered: number; latency: number; output: number | null }>((resolve) => {
    detector.port.onmessage = (event: MessageEvent<number>) => {
      // The audio clock's time of that sample, mapped onto performance.now() two ways: by the clock's current
      // reading (when it went through the graph, give or take one render burst), and by the browser's own output
      // timestamp (when the device plays it; null where the browser does not say).
      const rendered = performance.now() - (context.currentTime - event.data) * 1000;
      const latency = ((context.baseLatency || 0) + (context.outputLatency || 0)) * 1000;
      const stamp = context.getOutputTimestamp?.();
      const output =
        stamp?.performanceTime && stamp.contextTime !== undefined
          ? stamp.performanceTime + (event.data - stamp.contextTime) * 1000
          : null;
      resolve({ rendered, latency, output });
    };
  });
  return { heard, disconnect: () => (node.disconnect(detector), detector.disconnect()) };
}

const until = (player: SpeechPlayer, check: () => boolean, timeoutMs = 30_000) =>
  new Promise<void>((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => (stop(), reject(new Error(`timeout (${player.getSnapshot().status})`))), timeoutMs);
    const stop = player.subscribe(() => {
      if (!check()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });

const ended = (player: SpeechPlayer) =>
  until(player, () => {
    const { status, error } = player.getSnapshot();
    if (error) throw new Error(`${error.code}: ${error.message}`);
    return status === 'ended';
  });

// ---- (a) first audio after the first response byte
async function firstAudio(path: PlaybackPath, format: AudioFormat, text: string) {
  const player = new SpeechPlayer({ path });
  try {
    await player.unlock(); // the context and the element exist before the request, as after a click
    const sound = await onset(player.outputNode!);
    firstByteAt = null;
    const requested = performance.now();
    void player.load(source(text, format));
    const { rendered, latency, output } = await sound.heard;
    await ended(player);
    sound.disconnect();
    return {
      firstByte: firstByteAt! - requested,
      rendered: rendered - requested,
      latency,
      output: output === null ? null : output - requested,
    };
  } finally {
    player.destroy();
  }
}

/** The naive baseline: the whole response, then `new Audio(blobUrl)` (routed into an AudioContext to hear it). */
async function naiveFirstAudio(format: AudioFormat, text: string) {
  const context = new AudioContext();
  await context.resume();
  const analyser = context.createGain();
  analyser.connect(context.destination);
  const sound = await onset(analyser);
  firstByteAt = null;
  const requested = performance.now();
  const response = await fetch(`/v1/text-to-speech/${VOICE}/stream?output_format=${format}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'xi-api-key': KEY },
    body: JSON.stringify({ text, model_id: 'eleven_flash_v2_5' }),
  });
  const url = URL.createObjectURL(await response.blob());
  const audio = new Audio(url);
  context.createMediaElementSource(audio).connect(analyser);
  await audio.play();
  const { rendered, latency, output } = await sound.heard;
  audio.pause();
  URL.revokeObjectURL(url);
  await context.close();
  return {
    firstByte: firstByteAt! - requested,
    rendered: rendered - requested,
    latency,
    output: output === null ? null : output - requested,
  };
}

// ---- (b) underruns with jitter, playing from 300 ms of buffer
async function underruns(
  path: PlaybackPath,
  format: AudioFormat,
  text: string,
  jitterMs: number,
  voice: string,
  base = '',
) {
  const player = new SpeechPlayer({ path, autoplay: false });
  try {
    await player.unlock();
    const recording = await tap(player);
    if (jitterMs) await injectFaults({ jitter_ms: jitterMs }, voice, base);
    void player.load(source(text, format, voice, base));
    await until(player, () => player.getSnapshot().buffered >= 0.3 || player.getSnapshot().complete);
    const statuses: string[] = [];
    const stop = player.subscribe(() => {
      const { status } = player.getSnapshot();
      if (statuses.at(-1) !== status) statuses.push(status);
    });
    void player.play();
    await ended(player);
    stop();
    const audio = await recording.stop();
    const silences = gaps(audio, recording.rate, 3);
    return {
      buffering: statuses.filter((s) => s === 'buffering').length,
      gaps: silences.length,
      gapMs: Math.round(silences.reduce((sum, [, length]) => sum + length, 0) * 1000),
      seconds: player.getSnapshot().duration,
    };
  } finally {
    player.destroy();
  }
}

// ---- (c) highlight drift: the word the UI shows (read in animation frames) against when that word is heard
async function drift(path: PlaybackPath, format: AudioFormat, text: string) {
  const player = new SpeechPlayer({ path });
  const words = expectedWords(text).words;
  try {
    await player.unlock();
    const sound = await onset(player.outputNode!);
    const frames: { at: number; time: number; word: number; status: string }[] = [];
    let running = true;
    const frame = () => {
      if (!running) return;
      // As the components do: the time getter first (a reader that sees the next word makes the player catch up in
      // a microtask, whose render lands before this frame is painted), then the word this frame shows.
      const at = performance.now();
      const time = player.getCurrentTime();
      queueMicrotask(() => {
        const { activeWord, status } = player.getSnapshot();
        frames.push({ at, time, word: activeWord, status });
      });
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const statuses: string[] = [];
    player.subscribe(() => statuses.push(player.getSnapshot().status));
    void player.load(source(text, format));
    const { rendered, latency, output } = await sound.heard;
    await ended(player);
    running = false;
    sound.disconnect();
    const heardAt = output ?? rendered + latency; // speech time 0 reaches the ear
    const changes: number[] = [];
    const clock: number[] = [];
    let shown = -1;
    for (const f of frames) {
      if (f.status !== 'playing') continue;
      if (f.word !== shown && f.word >= 0) {
        // when this word lit up, against when its first sound was heard (positive: the highlight is late)
        if (f.word === shown + 1) changes.push(f.at - (heardAt + words[f.word]!.start * 1000));
        shown = f.word;
      }
      clock.push(f.time * 1000 - (f.at - heardAt)); // the time getter against the sound (positive: ahead)
    }
    return { changes, clock, underran: statuses.includes('buffering'), words: words.length };
  } finally {
    player.destroy();
  }
}

// ---- (d) React renders per second while playing
async function renders(path: PlaybackPath, format: AudioFormat, text: string) {
  const player = new SpeechPlayer({ path });
  await player.unlock();
  const host = document.getElementById('app')!;
  const root = createRoot(host);
  let commits = 0;
  let counting = false;
  root.render(
    <StrictMode>
      <Profiler id="player" onRender={() => void (counting && commits++)}>
        <AudioPlayer.Root player={player}>
          <AudioPlayer.PlayButton />
          <AudioPlayer.ScrubBar />
          <AudioPlayer.Time /> / <AudioPlayer.Duration />
          <AudioPlayer.Status />
        </AudioPlayer.Root>
        <TranscriptViewer player={player} />
      </Profiler>
    </StrictMode>,
  );
  let frames = 0;
  const count = () => {
    frames++;
    if (counting) requestAnimationFrame(count);
  };
  void player.load(source(text, format));
  await until(player, () => player.getSnapshot().status === 'playing');
  counting = true;
  const from = performance.now();
  requestAnimationFrame(count);
  await ended(player);
  counting = false;
  const seconds = (performance.now() - from) / 1000;
  const words = player.getSnapshot().words.length;
  root.unmount();
  player.destroy();
  return { commits, frames, seconds, words };
}

Object.assign(window, { playerBench: { firstAudio, naiveFirstAudio, underruns, drift, renders } });
document.title = 'ready';
