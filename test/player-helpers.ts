// What the player's browser tests share: sources through the server's text-to-speech route, a recorder that
// taps what the player sends to the speakers, and the emulator's own alignment to compare the highlighting with.
import type { AudioFormat, PlayerSnapshot, SpeechPlayer, SpeechSource } from '../packages/core/src/index.ts';
import { planSpeech, recognize } from '../packages/emulator/src/speech.ts';

export const VOICE = 'JBFqnCBsd6RMkjVDRZzb';

/** The emulator's `/stream[/with-timestamps]`, through @elevenkit/server's text-to-speech route (it adds the key). */
export function streamSource(
  text: string,
  format: AudioFormat,
  { timestamps = true, voice = VOICE, body = {} }: { timestamps?: boolean; voice?: string; body?: object } = {},
): SpeechSource {
  return {
    type: 'stream',
    url: '/api/elevenlabs/text-to-speech',
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        text,
        voice_id: voice,
        model_id: 'eleven_flash_v2_5',
        output_format: format,
        timestamps,
        ...body,
      }),
    },
    format,
    timestamps,
    text,
  };
}

const RECORDER = `registerProcessor('test-recorder', class extends AudioWorkletProcessor {
  constructor() { super(); this.parts = []; this.length = 0; this.port.onmessage = () => this.flush(); }
  flush() { const out = new Float32Array(this.length); let o = 0; for (const p of this.parts) { out.set(p, o); o += p.length; } this.parts = []; this.length = 0; this.port.postMessage(out, [out.buffer]); }
  process(inputs) { const x = inputs[0] && inputs[0][0]; if (x) { this.parts.push(x.slice(0)); this.length += x.length; if (this.length >= 8192) this.flush(); } return true; }
});`;

const recorderModules = new WeakMap<BaseAudioContext, Promise<void>>();

/** Records what the player sends to the speakers (after volume), at the AudioContext's rate. */
export async function tap(player: SpeechPlayer) {
  const node = player.outputNode;
  if (!node) throw new Error('the player has no output node yet');
  const context = node.context;
  let loading = recorderModules.get(context);
  if (!loading) {
    loading = context.audioWorklet.addModule(URL.createObjectURL(new Blob([RECORDER], { type: 'text/javascript' })));
    recorderModules.set(context, loading);
  }
  await loading;
  const recorder = new AudioWorkletNode(context, 'test-recorder', { numberOfInputs: 1, numberOfOutputs: 1 });
  const parts: Float32Array[] = [];
  recorder.port.onmessage = (event: MessageEvent<Float32Array>) => parts.push(event.data);
  const silent = context.createGain();
  silent.gain.value = 0;
  node.connect(recorder);
  recorder.connect(silent).connect(context.destination);
  return {
    rate: context.sampleRate,
    /** Everything recorded so far. */
    async stop(): Promise<Float32Array> {
      const last = new Promise<void>((resolve) => {
        recorder.port.onmessage = (event: MessageEvent<Float32Array>) => {
          parts.push(event.data);
          resolve();
        };
      });
      recorder.port.postMessage('flush');
      await last;
      node.disconnect(recorder);
      recorder.disconnect();
      const out = new Float32Array(parts.reduce((sum, p) => sum + p.length, 0));
      let offset = 0;
      for (const p of parts) {
        out.set(p, offset);
        offset += p.length;
      }
      return out;
    },
  };
}

/** The sound in a recording, without the silence around it. */
export function trim(samples: Float32Array, threshold = 1e-3): Float32Array {
  let from = 0;
  let to = samples.length;
  while (from < to && Math.abs(samples[from]!) < threshold) from++;
  while (to > from && Math.abs(samples[to - 1]!) < threshold) to--;
  return samples.subarray(from, to);
}

/** Silent runs longer than `minMs` inside the sound (start and length in seconds): underruns, if any. */
export function gaps(samples: Float32Array, rate: number, minMs = 3) {
  const sound = trim(samples);
  const found: [number, number][] = [];
  let run = 0;
  for (let i = 0; i <= sound.length; i++) {
    if (i < sound.length && Math.abs(sound[i]!) < 1e-4) run++;
    else {
      if (run >= (minMs * rate) / 1000) found.push([+((i - run) / rate).toFixed(3), +(run / rate).toFixed(4)]);
      run = 0;
    }
  }
  return found;
}

/** The sound without the silences `gaps` finds inside it (what a listener heard, underruns taken out). */
export function closeGaps(samples: Float32Array, rate: number, minMs = 3): Float32Array {
  const sound = trim(samples);
  const min = (minMs * rate) / 1000;
  const out = new Float32Array(sound.length);
  let length = 0;
  let run = 0;
  for (let i = 0; i <= sound.length; i++) {
    if (i < sound.length && Math.abs(sound[i]!) < 1e-4) run++;
    else {
      if (run < min) {
        out.set(sound.subarray(i - run, i), length); // a short quiet stretch is part of the sound
        length += run;
      }
      run = 0;
      if (i < sound.length) out[length++] = sound[i]!;
    }
  }
  return out.subarray(0, length);
}

/** The emulator's tones (Hz): one low and one high per character. */
const TONES = [
  400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1500, 1700, 1900, 2100, 2300, 2500, 2700, 2900, 3100, 3300,
];

/**
 * The share of the sound's power that lies on the emulator's tones, over 10 ms pieces (where the tones, multiples of
 * 100 Hz, are orthogonal): about 0.97 for its speech at any speed that keeps the pitch; far lower when the pitch moved.
 */
export function tonePurity(samples: Float32Array, rate: number): number {
  const sound = trim(samples);
  const n = Math.round(rate / 100);
  let onTones = 0;
  let total = 0;
  for (let at = 0; at + n <= sound.length; at += n) {
    let power = 0;
    for (let i = 0; i < n; i++) power += sound[at + i]! ** 2;
    if (power / n < 1e-4) continue;
    for (const f of TONES) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < n; i++) {
        const w = (2 * Math.PI * f * i) / rate;
        re += sound[at + i]! * Math.cos(w);
        im -= sound[at + i]! * Math.sin(w);
      }
      onTones += (2 * (re * re + im * im)) / n;
    }
    total += power;
  }
  return total ? onTones / total : 0;
}

/** What the emulator's recogniser hears in a recording (padded with silence, as it wants an utterance). */
export function heard(samples: Float32Array, rate: number): string {
  const sound = trim(samples);
  const padded = new Float32Array(sound.length + Math.round(0.6 * rate));
  padded.set(sound, Math.round(0.2 * rate));
  const result = recognize(padded, rate);
  return result.recognized ? result.text : `(not recognised, confidence ${result.confidence.toFixed(2)})`;
}

/** The words of `text` with the times the emulator's speech gives them (seconds), as its alignment says. */
export function expectedWords(text: string, speed = 1) {
  const { alignment, durationMs } = planSpeech(text, { speed });
  const words: { text: string; start: number; end: number }[] = [];
  let current: { text: string; start: number; end: number } | null = null;
  alignment.chars.forEach((char, i) => {
    const start = alignment.char_start_times_ms[i]! / 1000;
    const end = start + alignment.char_durations_ms[i]! / 1000;
    if (/\s/.test(char)) {
      if (current) words.push(current);
      current = null;
    } else if (current) {
      current.text += char;
      current.end = end;
    } else current = { text: char, start, end };
  });
  if (current) words.push(current);
  return { words, duration: durationMs / 1000 };
}

/** Resolves when `check(snapshot)` holds (now or after a later change); rejects after `timeoutMs`. */
export function until(
  player: SpeechPlayer,
  check: (snapshot: PlayerSnapshot) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<PlayerSnapshot> {
  return new Promise((resolve, reject) => {
    const test = () => {
      const snapshot = player.getSnapshot();
      if (!check(snapshot)) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(snapshot);
      return true;
    };
    const timer = setTimeout(() => {
      unsubscribe();
      const { status, error } = player.getSnapshot();
      reject(
        new Error(
          `timed out waiting for ${what} (status ${status}${error ? `, ${error.code}: ${error.message}` : ''}, at ${player.getCurrentTime()} s)`,
        ),
      );
    }, timeoutMs);
    const unsubscribe = player.subscribe(() => void test());
    test();
  });
}

/**
 * Watches a playback: every status and word change in order, and samples of (time, active word) taken on a timer
 * (as a UI reading the getter would).
 */
export function watch(player: SpeechPlayer) {
  const statuses: string[] = [player.getSnapshot().status];
  const activeWords: number[] = [];
  const samples: { time: number; active: number }[] = [];
  let changes = 0;
  const unsubscribe = player.subscribe(() => {
    changes++;
    const { status, activeWord } = player.getSnapshot();
    if (statuses.at(-1) !== status) statuses.push(status);
    if (activeWords.at(-1) !== activeWord) activeWords.push(activeWord);
  });
  const sampler = setInterval(() => {
    if (player.getSnapshot().status === 'playing') {
      samples.push({ time: player.getCurrentTime(), active: player.getSnapshot().activeWord });
    }
  }, 23);
  return {
    statuses,
    activeWords,
    samples,
    get changes() {
      return changes;
    },
    stop() {
      clearInterval(sampler);
      unsubscribe();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
