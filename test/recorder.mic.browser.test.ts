// The recorder in Chromium: the fake microphone says MIC_TEXT (test/microphone.ts) after MIC_LEAD_MS of silence,
// once per capture. Takes are decoded in the page (decodeAudioData) and recognised with the emulator's own decoder.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Recorder, type RecorderOptions, type RecorderSnapshot } from '../packages/core/src/index.ts';
import { planSpeech } from '../packages/emulator/src/speech.ts';
import { MIC_LEAD_MS, MIC_TEXT } from './microphone.ts';
import { gaps, heard, trim } from './player-helpers.ts';

/** Seconds of the fake microphone's speech. */
const SPEECH_SECONDS = planSpeech(MIC_TEXT).durationMs / 1000;
/** Processing off: the take is what the file says (the emulator's decoder copes with it on, too). */
const RAW: RecorderOptions = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };

// Chromium's audio capture glitches (tens of ms of silence in place of sound) while the browser is still busy
// starting up on a loaded 2-core machine: open the microphone once before the takes.
beforeAll(async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const context = new AudioContext();
  context.createMediaStreamSource(stream).connect(context.createAnalyser());
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (const track of stream.getTracks()) track.stop();
  await context.close();
});

const recorders: Recorder[] = [];
afterEach(() => {
  for (const recorder of recorders.splice(0)) recorder.destroy();
});
function recorder(options: RecorderOptions) {
  const created = new Recorder(options);
  recorders.push(created);
  return created;
}

/** Resolves when the snapshot passes `test` (checked on every change). */
function until(store: Recorder, test: (snapshot: RecorderSnapshot) => boolean, what = 'the expected state') {
  return new Promise<RecorderSnapshot>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(store.getSnapshot())}`)),
      20_000,
    );
    const check = () => {
      if (!test(store.getSnapshot())) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(store.getSnapshot());
    };
    const unsubscribe = store.subscribe(check);
    check();
  });
}

/** Waits until the recorder has recorded `seconds` (its own clock). */
async function recorded(store: Recorder, seconds: number) {
  while (store.getDuration() < seconds) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** The take decoded by the browser, at `rate`. */
async function decode(blob: Blob, rate: number) {
  const context = new OfflineAudioContext(1, 1, rate);
  const buffer = await context.decodeAudioData(await blob.arrayBuffer());
  return { samples: buffer.getChannelData(0), duration: buffer.duration, rate: buffer.sampleRate };
}

/** Seconds of sound (from the first to the last sample above the threshold). */
const soundSeconds = (samples: Float32Array, rate: number) => trim(samples, 0.01).length / rate;

/** The duration a media element reports for a Blob (Infinity for a WebM without one in its header). */
async function mediaDuration(blob: Blob) {
  const audio = new Audio(URL.createObjectURL(blob));
  await new Promise((resolve, reject) => {
    audio.onloadedmetadata = resolve;
    audio.onerror = () => reject(new Error('the take does not load in an <audio> element'));
  });
  return audio.duration;
}

describe('a take from the microphone', () => {
  it('records WAV: 16 kHz 16-bit mono that says what the microphone heard, as long as it was', async () => {
    const rec = recorder({ format: 'wav', ...RAW });
    await rec.start();
    expect(rec.getSnapshot()).toMatchObject({ status: 'recording', mimeType: 'audio/wav', error: null });
    expect(rec.getSnapshot().deviceLabel).toBeTruthy();
    const track = rec.stream!.getAudioTracks()[0]!;
    await recorded(rec, MIC_LEAD_MS / 1000 + SPEECH_SECONDS + 0.5);
    const take = await rec.stop();
    expect(take).not.toBeNull();
    expect(rec.getSnapshot()).toMatchObject({ status: 'stopped', stopReason: 'user', take });
    expect(track.readyState).toBe('ended');
    expect(rec.stream).toBeNull();

    const header = new DataView(await take!.blob.slice(0, 44).arrayBuffer());
    expect([header.getUint16(22, true), header.getUint32(24, true), header.getUint16(34, true)]).toEqual([
      1, 16000, 16,
    ]);
    const { samples, duration, rate } = await decode(take!.blob, 16000);
    expect(rate).toBe(16000);
    expect(duration).toBeCloseTo(take!.duration, 3);
    expect(heard(samples, rate), `gaps ${JSON.stringify(gaps(samples, rate))} sound ${soundSeconds(samples, rate)}`).toBe(MIC_TEXT);
    // Resampled at the right ratio: the speech lasts as long as it was said.
    expect(soundSeconds(samples, rate)).toBeCloseTo(SPEECH_SECONDS, 1);
  });

  it('records compressed audio (WebM/Opus in Chromium) whose header carries its duration', async () => {
    const rec = recorder({ ...RAW });
    await rec.start();
    expect(rec.getSnapshot().mimeType).toMatch(/^audio\/webm/);
    await recorded(rec, MIC_LEAD_MS / 1000 + SPEECH_SECONDS + 0.5);
    const take = (await rec.stop())!;
    expect(take.mimeType).toMatch(/^audio\/webm;codecs=opus/);
    const { samples, duration, rate } = await decode(take.blob, 48000);
    expect(heard(samples, rate)).toBe(MIC_TEXT);
    expect(soundSeconds(samples, rate)).toBeCloseTo(SPEECH_SECONDS, 1);
    // The take's duration is the audio clock's; the encoder can come out a frame or a few short of it.
    expect(Math.abs(duration - take.duration)).toBeLessThan(0.25);
    // Without the fix Chromium's timesliced WebM reports Infinity, and seek bars break.
    const reported = await mediaDuration(take.blob);
    expect(Number.isFinite(reported)).toBe(true);
    expect(Math.abs(reported - take.duration)).toBeLessThan(0.1);
  });
});
