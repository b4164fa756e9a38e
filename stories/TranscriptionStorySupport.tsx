// What the transcription stories share: speech to listen to without a microphone (the emulator's own voice, from its
// text-to-speech, played into a MediaStream the way a microphone's stream arrives), tokens and uploads against the
// emulator Storybook's dev server mounts. Not a library export.
/// <reference types="vite/client" />
import '../packages/react/src/styles.css';
import { capturePcm, type PcmCapture, type TranscriptionOptions } from '@elevenkit/core';
import { EMULATOR_KEY, VOICES } from './PlayerStorySupport.tsx';

const RATE = 16_000;

/** The emulator's voice saying `text`, as 16 kHz PCM. */
async function speech(text: string): Promise<Float32Array> {
  const res = await fetch(`/v1/text-to-speech/${VOICES.rachel}?output_format=pcm_16000`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'xi-api-key': EMULATOR_KEY },
    body: JSON.stringify({ text, model_id: 'eleven_flash_v2_5' }),
  });
  if (!res.ok) throw new Error(`The emulator did not speak: HTTP ${res.status}`);
  const pcm = new Int16Array(await res.arrayBuffer());
  return Float32Array.from(pcm, (v) => v / 0x8000);
}

/**
 * A microphone someone speaks into on cue: a stream that is silent until `say(text)` plays the emulator's voice into
 * it (the emulator recognises its own voice exactly). `say` resolves once a listener in another audio context, as a
 * transcriber is, has heard the words end (and 200 ms of silence): what was said has reached whoever listens.
 * `play` does not wait for that (nor start the listener). Stopping the track ends it.
 */
export async function speaker() {
  const context = new AudioContext();
  const destination = context.createMediaStreamDestination();
  const [track] = destination.stream.getAudioTracks();
  let listener: PcmCapture | null = null;
  // Closing the context with the track, as releasing a microphone would.
  const stop = track!.stop.bind(track);
  track!.stop = () => {
    stop();
    listener?.close();
    void context.close();
  };
  if (context.state === 'suspended') await context.resume();

  /** Plays `text` after `delayMs`; resolves when it has been played. */
  const play = async (text: string, delayMs = 0) => {
    const samples = await speech(text);
    const buffer = context.createBuffer(1, samples.length, RATE);
    buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(destination);
    const ended = new Promise((resolve) => (source.onended = resolve));
    source.start(context.currentTime + delayMs / 1000);
    await ended;
  };

  let heard = 0; // samples at 16 kHz
  let lastSound = -1;
  const onHeard = new Set<() => void>();
  const say = async (text: string) => {
    listener ??= await capturePcm(destination.stream, (chunk) => {
      chunk.forEach((v, i) => {
        if (Math.abs(v) > 300) lastSound = heard + i;
      });
      heard += chunk.length;
      for (const check of [...onHeard]) check();
    });
    const since = heard;
    await play(text);
    await new Promise<void>((resolve) => {
      const check = () => {
        if (lastSound < since || heard - lastSound < RATE / 5) return;
        onHeard.delete(check);
        resolve();
      };
      onHeard.add(check);
    });
  };
  return { stream: destination.stream, play, say };
}

/** A stream that stays silent for `leadMs`, says `text` in the emulator's voice, then stays silent. */
export async function speakingStream(text: string, { leadMs = 400 } = {}): Promise<MediaStream> {
  const { stream, play } = await speaker();
  void play(text, leadMs);
  return stream;
}

/** A WAV recording of the emulator's voice saying `text` (what the recorder's `wav` take holds). */
export async function spokenTake(text: string): Promise<Blob> {
  const samples = await speech(text);
  const pad = RATE / 4;
  const pcm = new Int16Array(samples.length + 2 * pad);
  pcm.set(
    Int16Array.from(samples, (v) => Math.max(-1, Math.min(1, v)) * 0x7fff),
    pad,
  );
  const header = new DataView(new ArrayBuffer(44));
  const ascii = (offset: number, s: string) => [...s].forEach((c, i) => header.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  header.setUint32(4, 36 + pcm.byteLength, true);
  ascii(8, 'WAVEfmt ');
  header.setUint32(16, 16, true);
  header.setUint16(20, 1, true);
  header.setUint16(22, 1, true);
  header.setUint32(24, RATE, true);
  header.setUint32(28, RATE * 2, true);
  header.setUint16(32, 2, true);
  header.setUint16(34, 16, true);
  ascii(36, 'data');
  header.setUint32(40, pcm.byteLength, true);
  return new Blob([header, pcm], { type: 'audio/wav' });
}

/**
 * Transcription against the emulator: realtime tokens minted with the emulator's development key (a real page asks
 * its own server route, which holds the key), uploads straight to its `/v1/speech-to-text`.
 */
export const emulatorTranscription = (): TranscriptionOptions => ({
  baseUri: location.origin.replace(/^http/, 'ws'),
  getToken: async () => {
    const res = await fetch('/v1/single-use-token/realtime_scribe', {
      method: 'POST',
      headers: { 'xi-api-key': EMULATOR_KEY },
    });
    return ((await res.json()) as { token: string }).token;
  },
});

export const emulatorUpload = (): TranscriptionOptions => ({
  endpoint: '/v1/speech-to-text',
  headers: { 'xi-api-key': EMULATOR_KEY },
});

/** A token the service refuses (as it refuses an expired one). */
export const refusedToken = (): TranscriptionOptions => ({
  ...emulatorTranscription(),
  getToken: async () => 'an-expired-token',
});
