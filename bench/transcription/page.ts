// The page side of bench/transcription.mjs, served by the demo's Vite server (emulator and token route mounted).
// One round: a stream that is silent, then says a phrase in the emulator's voice (an AudioBufferSourceNode into a
// MediaStreamAudioDestinationNode, so the page knows to the millisecond when the speech ends), transcribed live by
// ours (RealtimeTranscriber) or by the official Scribe client's microphone mode (getUserMedia answered with the same
// stream). VAD: measured from the end of the speech (the source's `ended`) to the committed text. Manual: the user
// presses stop REACTION_MS after the end of speech (ours: stop(), which sends what its worklet still holds and
// commits; the official client: commit()), measured from that press.
import { RealtimeTranscriber } from '../../packages/core/src/index.ts';
import { CommitStrategy, RealtimeEvents, Scribe } from '@elevenlabs/client';

/** The demo emulator's development key, for its text to speech (the bench's voice); not a secret. */
const KEY = 'elevenkit-dev-key';
const RATE = 16_000;
/** When a person presses stop after they stop speaking. */
const REACTION_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const baseUri = location.origin.replace(/^http/, 'ws');

const phrases = new Map<string, Float32Array>();
async function speech(text: string): Promise<Float32Array> {
  let samples = phrases.get(text);
  if (!samples) {
    const res = await fetch('/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM?output_format=pcm_16000', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'xi-api-key': KEY },
      body: JSON.stringify({ text, model_id: 'eleven_flash_v2_5' }),
    });
    const pcm = new Int16Array(await res.arrayBuffer());
    samples = Float32Array.from(pcm, (v) => v / 0x8000);
    phrases.set(text, samples);
  }
  return samples;
}

async function token(): Promise<string> {
  const res = await fetch('/api/elevenlabs/single-use-token/realtime_scribe', { method: 'POST' });
  return ((await res.json()) as { token: string }).token;
}

/** A silent stream that says `samples` when `say()` is called; `ended` resolves when the speech has been played. */
function speaker(samples: Float32Array) {
  const context = new AudioContext();
  const buffer = context.createBuffer(1, samples.length, RATE);
  buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
  const source = context.createBufferSource();
  source.buffer = buffer;
  const destination = context.createMediaStreamDestination();
  source.connect(destination);
  let ended!: (at: number) => void;
  const done = new Promise<number>((resolve) => (ended = resolve));
  source.onended = () => ended(performance.now());
  return {
    stream: destination.stream,
    say: () => source.start(context.currentTime + 0.2),
    ended: done,
    close: () => {
      for (const track of destination.stream.getTracks()) track.stop();
      void context.close();
    },
  };
}

export interface Round {
  /** start → session started and audio flowing. */
  readyMs: number;
  /** VAD: end of speech → committed text. Manual: the press → committed text. */
  latencyMs: number;
  text: string;
}

export async function round(kind: 'ours' | 'official', strategy: 'vad' | 'manual', text: string): Promise<Round> {
  const spoken = speaker(await speech(text));
  const began = performance.now();
  try {
    if (kind === 'ours') {
      const transcriber = new RealtimeTranscriber({ baseUri, commitStrategy: strategy, getToken: token });
      let committed!: (value: { at: number; text: string }) => void;
      const commit = new Promise<{ at: number; text: string }>((resolve) => (committed = resolve));
      transcriber.subscribe(() => {
        const snapshot = transcriber.getSnapshot();
        if (snapshot.committed.length) committed({ at: performance.now(), text: snapshot.text });
      });
      await transcriber.start(spoken.stream);
      const readyMs = performance.now() - began;
      spoken.say();
      let from = await spoken.ended;
      if (strategy === 'manual') {
        await sleep(REACTION_MS);
        from = performance.now();
        void transcriber.stop();
      }
      const result = await commit;
      transcriber.destroy();
      return { readyMs, latencyMs: result.at - from, text: result.text };
    }
    // The official client opens "the microphone" itself: give it the same stream.
    navigator.mediaDevices.getUserMedia = async () => spoken.stream;
    const connection = Scribe.connect({
      token: await token(),
      modelId: 'scribe_v2_realtime',
      baseUri,
      commitStrategy: strategy === 'manual' ? CommitStrategy.MANUAL : CommitStrategy.VAD,
      microphone: {},
    });
    let committed!: (value: { at: number; text: string }) => void;
    const commit = new Promise<{ at: number; text: string }>((resolve) => (committed = resolve));
    connection.on(RealtimeEvents.COMMITTED_TRANSCRIPT, (message) => {
      if (message.text) committed({ at: performance.now(), text: message.text });
    });
    await new Promise<void>((resolve) => connection.on(RealtimeEvents.SESSION_STARTED, () => resolve()));
    // Its microphone pipeline is ready once it holds the cleanup (set after its worklet loaded).
    const internal = connection as unknown as { _audioCleanup?: unknown };
    while (!internal._audioCleanup) await new Promise((resolve) => setTimeout(resolve, 5));
    const readyMs = performance.now() - began;
    spoken.say();
    let from = await spoken.ended;
    if (strategy === 'manual') {
      await sleep(REACTION_MS);
      from = performance.now();
      connection.commit();
    }
    const result = await commit;
    connection.close();
    return { readyMs, latencyMs: result.at - from, text: result.text };
  } finally {
    spoken.close();
  }
}
