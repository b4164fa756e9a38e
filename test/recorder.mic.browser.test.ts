// The recorder in Chromium: the fake microphone says MIC_TEXT (test/microphone.ts) after MIC_LEAD_MS of silence,
// once per capture. Takes are decoded in the page (decodeAudioData) and recognised with the emulator's own decoder.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import {
  audioLevels,
  MediaDevicesStore,
  openMicrophone,
  Recorder,
  type MediaDevicesSnapshot,
  type RecorderOptions,
} from '../packages/core/src/index.ts';
import { planSpeech, withoutUnderruns } from '../packages/emulator/src/speech.ts';
import { MIC_LEAD_MS, MIC_TEXT } from './microphone.ts';
import { gaps, heard, trim } from './player-helpers.ts';
import { SPEECH_RETRY } from './support/speech-retry.ts';

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
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const recorder of recorders.splice(0)) recorder.destroy();
  for (const cleanup of cleanups.splice(0)) cleanup();
  localStorage.clear(); // the remembered microphone
});
function recorder(options: RecorderOptions) {
  const created = new Recorder(options);
  recorders.push(created);
  return created;
}

/** Resolves when the snapshot passes `test` (checked on every change). */
function until<T extends object>(
  store: { subscribe(listener: () => void): () => void; getSnapshot(): T },
  test: (snapshot: T) => boolean,
  what = 'the expected state',
) {
  return new Promise<T>((resolve, reject) => {
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
  it(
    'records WAV: 16 kHz 16-bit mono that says what the microphone heard, as long as it was',
    SPEECH_RETRY,
    async () => {
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
      expect(heard(withoutUnderruns(samples, rate).samples, rate)).toBe(MIC_TEXT);
      // Resampled at the right ratio: the speech lasts as long as it was said.
      expect(soundSeconds(samples, rate)).toBeCloseTo(SPEECH_SECONDS, 1);
    },
  );

  it('records compressed audio (WebM/Opus in Chromium) whose header carries its duration', SPEECH_RETRY, async () => {
    const rec = recorder({ ...RAW });
    await rec.start();
    expect(rec.getSnapshot().mimeType).toMatch(/^audio\/webm/);
    await recorded(rec, MIC_LEAD_MS / 1000 + SPEECH_SECONDS + 0.5);
    const take = (await rec.stop())!;
    expect(take.mimeType).toMatch(/^audio\/webm;codecs=opus/);
    const { samples, duration, rate } = await decode(take.blob, 48000);
    expect(heard(withoutUnderruns(samples, rate).samples, rate)).toBe(MIC_TEXT);
    expect(soundSeconds(samples, rate)).toBeCloseTo(SPEECH_SECONDS, 1);
    // The take's duration is the audio clock's; the encoder can come out a frame or a few short of it.
    expect(Math.abs(duration - take.duration)).toBeLessThan(0.25);
    // Without the fix Chromium's timesliced WebM reports Infinity, and seek bars break.
    const reported = await mediaDuration(take.blob);
    expect(Number.isFinite(reported)).toBe(true);
    expect(Math.abs(reported - take.duration)).toBeLessThan(0.1);
  });

  it('records the type asked for when the browser has it (Opus in MP4 in Chromium)', SPEECH_RETRY, async () => {
    const rec = recorder({ mimeType: 'audio/mp4', ...RAW });
    await rec.start();
    await recorded(rec, MIC_LEAD_MS / 1000 + SPEECH_SECONDS + 0.5);
    const take = (await rec.stop())!;
    expect(take.mimeType).toMatch(/^audio\/mp4/);
    const { samples, rate } = await decode(take.blob, 48000);
    expect(heard(withoutUnderruns(samples, rate).samples, rate)).toBe(MIC_TEXT);
    expect(Number.isFinite(await mediaDuration(take.blob))).toBe(true);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A microphone the test controls: tones played into a MediaStreamAudioDestinationNode,
 * handed to the recorder through its `getUserMedia` option.
 */
function syntheticMic() {
  const context = new AudioContext({ sampleRate: 48000 });
  const destination = context.createMediaStreamDestination();
  destination.channelCount = 1;
  cleanups.push(() => void context.close());
  const play = (samples: Float32Array) => {
    const buffer = context.createBuffer(1, samples.length, 48000);
    buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(destination);
    source.start();
    return new Promise<void>((resolve) => (source.onended = () => resolve()));
  };
  return {
    stream: destination.stream,
    /** Plays a 0.5 sine; resolves once it has played. */
    tone: (seconds: number, hz = 1000) =>
      play(Float32Array.from({ length: seconds * 48000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / 48000))),
  };
}

const formats = [
  ['wav', { format: 'wav' }],
  ['compressed', { format: 'compressed' }],
] as const satisfies readonly (readonly [string, RecorderOptions])[];

/** The rate to decode a take at: a WAV's own (no resampling), 48 kHz for Opus. */
async function takeRate(blob: Blob) {
  if (blob.type !== 'audio/wav') return 48000;
  return new DataView(await blob.slice(24, 28).arrayBuffer()).getUint32(0, true);
}

/**
 * The tones heard in a take, in order: each 20 ms window is given the candidate frequency holding most of its power
 * (Goertzel), and runs of at least 100 ms count. Tones, unlike the emulator's speech, survive the glitches Chromium's
 * capture has on a busy machine (see withoutUnderruns), so the tests with synthetic streams use them.
 */
function toneSequence(samples: Float32Array, rate: number, candidates: readonly number[]): number[] {
  const size = Math.round(rate * 0.02);
  const windows: number[] = [];
  for (let at = 0; at + size <= samples.length; at += size) {
    const x = samples.subarray(at, at + size);
    const total = x.reduce((sum, v) => sum + v * v, 0);
    if (total / size < 1e-4) {
      windows.push(0);
      continue;
    }
    const powers = candidates.map((hz) => {
      const w = (2 * Math.PI * hz) / rate;
      let re = 0;
      let im = 0;
      x.forEach((v, i) => {
        re += v * Math.cos(w * i);
        im -= v * Math.sin(w * i);
      });
      return (2 * (re * re + im * im)) / size;
    });
    const best = powers.indexOf(Math.max(...powers));
    windows.push(powers[best]! > 0.5 * total ? candidates[best]! : -1);
  }
  const sequence: number[] = [];
  for (let i = 0, run = 1; i < windows.length; i++, run++) {
    if (windows[i + 1] === windows[i]) continue;
    if (windows[i]! > 0 && run >= 5 && sequence.at(-1) !== windows[i]) sequence.push(windows[i]!);
    run = 0;
  }
  return sequence;
}

/** Tones for "said before", "said while paused or by the other microphone", "said after". */
const [BEFORE, ASIDE, AFTER] = [440, 880, 1320];

describe('pause and resume', () => {
  it.each(formats)('%s: keeps what was said before and after, not what was said while paused', async (_, format) => {
    const mic = syntheticMic();
    const rec = recorder({ ...format, getUserMedia: async () => mic.stream });
    await rec.start();
    await sleep(200);
    await mic.tone(0.6, BEFORE);
    await sleep(200);
    rec.pause();
    expect(rec.getSnapshot().status).toBe('paused');
    const pausedAt = rec.getDuration();
    await mic.tone(0.6, ASIDE);
    expect(rec.getDuration()).toBe(pausedAt); // the clock stands still
    await sleep(200);
    rec.resume();
    expect(rec.getSnapshot().status).toBe('recording');
    await mic.tone(0.6, AFTER);
    await sleep(200);
    const take = (await rec.stop())!;
    const rate = await takeRate(take.blob);
    const { samples } = await decode(take.blob, rate);
    expect(toneSequence(samples, rate, [BEFORE, ASIDE, AFTER])).toEqual([BEFORE, AFTER]);
  });

  it.each(formats)(
    '%s: a tone paused and resumed in the middle has no silence and no repeat in it',
    async (_, format) => {
      const mic = syntheticMic();
      const rec = recorder({ ...format, getUserMedia: async () => mic.stream });
      await rec.start();
      const tone = mic.tone(3);
      await sleep(800);
      rec.pause();
      const pausedFor = 0.6;
      await sleep(pausedFor * 1000);
      rec.resume();
      await tone;
      await sleep(200);
      const take = (await rec.stop())!;
      const rate = await takeRate(take.blob);
      const { samples } = await decode(take.blob, rate);
      // No silence but the browser's own capture hiccups (see withoutUnderruns).
      expect(gaps(samples, rate).filter(([, seconds]) => seconds > 0.03)).toEqual([]);
      // Nothing twice: the tone in the take is shorter than the tone by the time paused (give or take the timers).
      const toneSeconds = soundSeconds(withoutUnderruns(samples, rate).samples, rate);
      expect(toneSeconds).toBeLessThan(3 - pausedFor + 0.2);
      expect(toneSeconds).toBeGreaterThan(3 - pausedFor - 0.4);
    },
  );
});

describe('stopping by itself', () => {
  it(
    'after the configured silence, once something was heard (not during the silence before it)',
    SPEECH_RETRY,
    async () => {
      const silence = { seconds: 1 }; // shorter than the microphone's 1.5 s lead
      const rec = recorder({ format: 'wav', silence, ...RAW });
      await rec.start();
      const snapshot = await until(rec, (s) => s.status === 'stopped', 'the silence stop');
      expect(snapshot.stopReason).toBe('silence');
      const { samples, rate } = await decode(snapshot.take!.blob, 16000);
      expect(heard(withoutUnderruns(samples, rate).samples, rate)).toBe(MIC_TEXT);
      const spoken = MIC_LEAD_MS / 1000 + SPEECH_SECONDS;
      expect(snapshot.take!.duration).toBeGreaterThan(spoken + silence.seconds - 0.1);
      expect(snapshot.take!.duration).toBeLessThan(spoken + silence.seconds + 1.5);
    },
  );

  it('wav: at the maximum duration, to the sample', async () => {
    const rec = recorder({ format: 'wav', maxDuration: 1.25 });
    await rec.start();
    const snapshot = await until(rec, (s) => s.status === 'stopped', 'the maximum duration');
    expect(snapshot.stopReason).toBe('max-duration');
    expect(snapshot.take!.duration).toBe(1.25);
    const { samples } = await decode(snapshot.take!.blob, 16000);
    expect(samples.length).toBe(20000);
  });

  it('compressed: at the maximum duration', async () => {
    const rec = recorder({ maxDuration: 1 });
    await rec.start();
    const snapshot = await until(rec, (s) => s.status === 'stopped', 'the maximum duration');
    expect(snapshot.stopReason).toBe('max-duration');
    expect(snapshot.take!.duration).toBeCloseTo(1, 1);
    const { duration } = await decode(snapshot.take!.blob, 48000);
    expect(Math.abs(duration - 1)).toBeLessThan(0.25);
  });

  it('when the microphone goes away: what was recorded is kept, and the error says why', async () => {
    const mic = syntheticMic();
    const rec = recorder({ format: 'wav', getUserMedia: async () => mic.stream });
    await rec.start();
    await mic.tone(0.5, BEFORE);
    await sleep(200);
    // (A page cannot unplug a device; the track's `ended` event is what the browser fires when one goes.)
    rec.stream!.getAudioTracks()[0]!.dispatchEvent(new Event('ended'));
    const snapshot = await until(rec, (s) => s.status === 'error', 'the device-lost error');
    expect(snapshot).toMatchObject({ stopReason: 'device-lost', error: { reason: 'not-found' } });
    const rate = await takeRate(snapshot.take!.blob);
    const { samples } = await decode(snapshot.take!.blob, rate);
    expect(toneSequence(samples, rate, [BEFORE, ASIDE, AFTER])).toEqual([BEFORE]);
  });
});

describe('the microphone is let go', () => {
  it.each(['stop', 'cancel', 'destroy'] as const)('after %s: its track has ended', async (how) => {
    for (const format of ['wav', 'compressed'] as const) {
      const rec = recorder({ format });
      await rec.start();
      const track = rec.stream!.getAudioTracks()[0]!;
      expect(track.readyState).toBe('live');
      await sleep(300);
      if (how === 'stop') await rec.stop();
      else rec[how]();
      expect(track.readyState).toBe('ended');
      expect(rec.stream).toBeNull();
      if (how !== 'stop') expect(rec.getSnapshot()).toMatchObject({ status: 'idle', take: null });
    }
  });

  it('also when cancelled while the permission is being asked for', async () => {
    const mic = syntheticMic();
    let open!: () => void;
    const rec = recorder({ getUserMedia: () => new Promise((resolve) => (open = () => resolve(mic.stream))) });
    const started = rec.start();
    expect(rec.getSnapshot().status).toBe('requesting');
    rec.cancel();
    open();
    await started;
    expect(mic.stream.getAudioTracks()[0]!.readyState).toBe('ended');
    expect(rec.getSnapshot().status).toBe('idle');
  });

  it('a destroyed recorder does not start again', async () => {
    const rec = recorder({});
    rec.destroy();
    await expect(rec.start()).rejects.toThrow(/destroyed/);
  });
});

describe('an AudioContext that does not run', () => {
  /**
   * Makes the recorder's next AudioContexts behave as in a browser that will not start them: suspended at once, and
   * resume() pending for ever (until `letRun()`, which puts resume() back, as a user gesture would let it work).
   */
  function contextsThatDoNotRun() {
    const Real = globalThis.AudioContext;
    const resume = Real.prototype.resume;
    class NeverRuns extends Real {
      constructor(options?: AudioContextOptions) {
        super(options);
        void this.suspend();
      }
    }
    globalThis.AudioContext = NeverRuns;
    Real.prototype.resume = () => new Promise(() => {});
    const letRun = () => void (Real.prototype.resume = resume);
    cleanups.push(() => {
      globalThis.AudioContext = Real;
      letRun();
    });
    return { letRun };
  }

  /** A synthetic microphone through the getUserMedia seam; `opened` resolves when the recorder has it. */
  function micSeam() {
    const mic = syntheticMic(); // before the AudioContext is replaced: this one runs
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const getUserMedia = async () => {
      setTimeout(opened);
      return mic.stream;
    };
    return { mic, getUserMedia, isOpen };
  }

  it.each(formats)(
    '%s: never says recording; it ends in the error audio-not-running and lets the microphone go',
    async (_, format) => {
      const { mic, getUserMedia } = micSeam();
      contextsThatDoNotRun();
      const rec = recorder({ ...format, getUserMedia });
      const statuses: string[] = [];
      cleanups.push(rec.subscribe(() => statuses.push(rec.getSnapshot().status)));
      await rec.start();
      expect(rec.getSnapshot()).toMatchObject({ status: 'error', error: { reason: 'audio-not-running' }, take: null });
      expect(rec.getSnapshot().error!.message).toMatch(/nothing was recorded/);
      expect(statuses).not.toContain('recording');
      expect(rec.getDuration()).toBe(0);
      expect(rec.stream).toBeNull();
      expect(mic.stream.getAudioTracks()[0]!.readyState).toBe('ended');
    },
  );

  it('waits (still requesting) and starts recording with the next click, which resumes it', async () => {
    const { mic, getUserMedia, isOpen } = micSeam();
    const { letRun } = contextsThatDoNotRun();
    const rec = recorder({ format: 'wav', getUserMedia });
    const started = rec.start();
    await isOpen;
    await sleep(300);
    expect(rec.getSnapshot().status).toBe('requesting');
    // A click: the gesture that lets a browser start audio (here: resume() works again).
    letRun();
    const button = document.createElement('button');
    button.textContent = 'Somewhere on the page';
    document.body.append(button);
    cleanups.push(() => button.remove());
    await userEvent.click(button);
    await started;
    expect(rec.getSnapshot().status).toBe('recording');
    await mic.tone(0.5, BEFORE);
    const take = (await rec.stop())!;
    const rate = await takeRate(take.blob);
    const { samples } = await decode(take.blob, rate);
    expect(toneSequence(samples, rate, [BEFORE, ASIDE, AFTER])).toEqual([BEFORE]);
  });

  it('cancel() while it waits lets the microphone go', async () => {
    const { mic, getUserMedia, isOpen } = micSeam();
    contextsThatDoNotRun();
    const rec = recorder({ format: 'compressed', getUserMedia });
    const started = rec.start();
    await isOpen;
    rec.cancel();
    await started;
    expect(rec.getSnapshot()).toMatchObject({ status: 'idle', error: null });
    expect(mic.stream.getAudioTracks()[0]!.readyState).toBe('ended');
  });
});

describe('microphones', () => {
  // Chromium's fake device offers three inputs (default, "Fake Audio Input 1" and "2"); all play the same file,
  // restarted when each is opened.
  it('lists the inputs with labels once permission is granted, and remembers the choice', async () => {
    const devices = new MediaDevicesStore();
    cleanups.push(() => devices.destroy());
    const listed = await until(devices, (s: MediaDevicesSnapshot) => s.devices.length > 0, 'the device list');
    expect(listed.permission).toBe('granted');
    expect(listed.devices.map((d) => d.label)).toEqual(
      expect.arrayContaining(['Fake Default Audio Input', 'Fake Audio Input 1', 'Fake Audio Input 2']),
    );
    const second = listed.devices.find((d) => d.label === 'Fake Audio Input 2')!;
    devices.select(second.deviceId);
    expect(devices.getSnapshot().selected).toBe(second.deviceId);
    // The next recorder uses it, and says so from the track.
    const rec = recorder({ format: 'wav' });
    await rec.start();
    expect(rec.getSnapshot()).toMatchObject({ deviceId: second.deviceId, deviceLabel: 'Fake Audio Input 2' });
    // Another store on the page (or a reload) sees the same choice.
    const again = new MediaDevicesStore();
    cleanups.push(() => again.destroy());
    expect(again.getSnapshot().selected).toBe(second.deviceId);
  });

  it('openMicrophone (what SpeechInput opens): the remembered choice, else the default when it is gone', async () => {
    const devices = new MediaDevicesStore();
    cleanups.push(() => devices.destroy());
    const listed = await until(devices, (s: MediaDevicesSnapshot) => s.devices.length > 2, 'the devices');
    devices.select(listed.devices.find((d) => d.label === 'Fake Audio Input 2')!.deviceId);
    const label = async () => {
      const stream = await openMicrophone();
      const [track] = stream.getAudioTracks();
      for (const t of stream.getTracks()) t.stop();
      return track!.label;
    };
    expect(await label()).toBe('Fake Audio Input 2');
    devices.select('a-microphone-since-unplugged');
    expect(await label()).toMatch(/^Fake/);
    devices.select('');
  });

  it('switches microphone while recording without losing what was recorded', SPEECH_RETRY, async () => {
    const devices = new MediaDevicesStore();
    cleanups.push(() => devices.destroy());
    const { devices: inputs } = await until(devices, (s: MediaDevicesSnapshot) => s.devices.length > 2, 'the devices');
    const first = inputs.find((d) => d.label === 'Fake Audio Input 1')!;
    const rec = recorder({ format: 'wav', ...RAW });
    await rec.start();
    const before = rec.stream!.getAudioTracks()[0]!;
    await sleep(300); // the default microphone's lead silence
    await rec.setDevice(first.deviceId);
    expect(rec.getSnapshot()).toMatchObject({
      status: 'recording',
      deviceId: first.deviceId,
      deviceLabel: 'Fake Audio Input 1',
    });
    expect(before.readyState).toBe('ended');
    expect(devices.getSnapshot().selected).toBe(first.deviceId);
    // The new device starts its file from the beginning: the phrase is recorded whole after the switch, counted from
    // when the switch was done (opening the new device takes a while of its own on a busy machine).
    await recorded(rec, rec.getDuration() + MIC_LEAD_MS / 1000 + SPEECH_SECONDS + 0.4);
    const take = (await rec.stop())!;
    const { samples } = await decode(take.blob, 16000);
    expect(heard(withoutUnderruns(samples, 16000).samples, 16000)).toBe(MIC_TEXT);
  });

  it.each(formats)('%s: switching between two streams keeps both parts in one take, in order', async (_, format) => {
    // Chromium's fake inputs all say the same thing, so two streams the test controls stand in for two microphones.
    const a = syntheticMic();
    const b = syntheticMic();
    const asked: (string | undefined)[] = [];
    const rec = recorder({
      ...format,
      getUserMedia: async (constraints) => {
        const id = ((constraints.audio as MediaTrackConstraints).deviceId as { exact?: string } | undefined)?.exact;
        asked.push(id);
        if (id === 'mic-gone') throw new DOMException('Requested device not found', 'NotFoundError');
        return id === 'mic-b' ? b.stream : a.stream;
      },
    });
    await rec.start();
    await a.tone(0.6, BEFORE);
    await sleep(100);
    await rec.setDevice('mic-b');
    expect(rec.getSnapshot().deviceId).toBe('mic-b');
    // A switch that fails: still recording from mic-b, which stays the choice the next start() asks for.
    await expect(rec.setDevice('mic-gone')).rejects.toMatchObject({ reason: 'not-found' });
    expect(rec.getSnapshot()).toMatchObject({ status: 'recording', deviceId: 'mic-b' });
    expect(localStorage.getItem('elevenkit:microphone')).toBe('mic-b');
    await a.tone(0.6, ASIDE); // the microphone switched away from: not recorded
    await b.tone(0.6, AFTER);
    await sleep(300);
    const take = (await rec.stop())!;
    const rate = await takeRate(take.blob);
    const { samples } = await decode(take.blob, rate);
    expect(toneSequence(samples, rate, [BEFORE, ASIDE, AFTER])).toEqual([BEFORE, AFTER]);
    expect(asked).toEqual([undefined, 'mic-b', 'mic-gone']);
  });
});

describe('levels', () => {
  it('reads the level and bands of the microphone from one shared graph', async () => {
    const mic = syntheticMic();
    const rec = recorder({ getUserMedia: async () => mic.stream });
    await rec.start();
    const meter = audioLevels(rec.stream!);
    const bars = audioLevels(rec.stream!);
    cleanups.push(() => (meter.release(), bars.release()));
    expect(meter.getLevel()).toBe(0);
    const tone = mic.tone(1.5, 1000);
    await sleep(500);
    // A 0.5 sine is -9 dBFS RMS: level 0.85 on the -60…0 dB scale.
    expect(meter.getLevel()).toBeCloseTo(0.85, 1);
    const bands = bars.getBands(8);
    const loudest = bands.indexOf(Math.max(...bands));
    // 80 Hz…8 kHz in 8 log-spaced bands: 1 kHz falls in band 4 (810–1440 Hz).
    expect(loudest).toBe(4);
    await tone;
  });

  it('opens one AudioContext per stream however many read it, and closes it with the last reader', async () => {
    const mic = syntheticMic();
    const made: AudioContext[] = [];
    const Original = window.AudioContext;
    window.AudioContext = class extends Original {
      constructor(options?: AudioContextOptions) {
        super(options);
        made.push(this);
      }
    };
    try {
      const meter = audioLevels(mic.stream);
      const bars = audioLevels(mic.stream);
      expect(made.length).toBe(1);
      meter.release();
      expect(made[0]!.state).not.toBe('closed');
      bars.release();
      await sleep(100); // close() settles asynchronously
      expect(made[0]!.state).toBe('closed');
      // A new reader gets a new graph.
      audioLevels(mic.stream).release();
      expect(made.length).toBe(2);
    } finally {
      window.AudioContext = Original;
    }
  });

  it("reads a player's output node, following it once it exists", async () => {
    const context = new AudioContext();
    cleanups.push(() => void context.close());
    const player: { outputNode: AudioNode | null } = { outputNode: null };
    const levels = audioLevels(player);
    expect(levels.getLevel()).toBe(0); // nothing loaded yet
    const tone = new OscillatorNode(context, { frequency: 1000 });
    const gain = new GainNode(context, { gain: 0.5 });
    tone.connect(gain);
    tone.start();
    player.outputNode = gain;
    levels.getLevel(); // the read that finds the node taps it (one frame of 0 while the analyser fills)
    await sleep(300);
    expect(levels.getLevel()).toBeCloseTo(0.85, 1);
    levels.release();
    expect(levels.getLevel()).toBe(0);
  });
});
