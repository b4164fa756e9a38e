// The recorder: the microphone captured to a compressed file (MediaRecorder) or to 16-bit WAV (an AudioWorklet),
// with pause/resume, a maximum duration, auto-stop after silence, chunk events, and switching microphones while
// recording. A store: the snapshot changes on state changes only; the duration and levels are getters.
//
// Both formats record from one Web Audio graph per take:
//   microphone source → input (a gain node that stays) → MediaStreamAudioDestinationNode → MediaRecorder
//                                                       → capture worklet (wav)
// so switching microphones only swaps the source node in front of `input`: one continuous file, nothing lost.
import { audioLevels, type LevelReader } from './audio-levels.ts';
import { recorderError, recorderErrorReason } from './errors.ts';
import { audioContextClass } from './player/format.ts';
import { CaptureNode, type CaptureMessage } from './recorder/capture-worklet.ts';
import { microphoneOpened, rememberDevice, rememberedDevice } from './recorder/device-choice.ts';
import { chooseMimeType, isWebm } from './recorder/mime.ts';
import { PcmChunks } from './recorder/wav.ts';
import { fixWebmDuration } from './recorder/webm-duration.ts';
import type {
  RecordedTake,
  RecorderApi,
  RecorderError,
  RecorderOptions,
  RecorderSnapshot,
  StopReason,
} from './recorder-types.ts';
import { Store } from './store.ts';

export const INITIAL_RECORDER_SNAPSHOT: RecorderSnapshot = {
  status: 'idle',
  error: null,
  deviceId: null,
  deviceLabel: null,
  mimeType: null,
  take: null,
  stopReason: null,
};

/** The rate transcription wants. */
const WAV_RATE = 16000;
/** MediaRecorder hands over its data this often when no timeslice is asked for, so no single buffer grows. */
const DEFAULT_TIMESLICE_MS = 1000;
/** WAV chunks without a timeslice: 4096 samples (a quarter second at 16 kHz). */
const DEFAULT_CHUNK_SAMPLES = 4096;
const SILENCE_THRESHOLD_DB = -50;
const SILENCE_POLL_MS = 50;
/**
 * How long start() waits, still `requesting`, for the take's AudioContext to run (its clock to move). Made in the
 * click, it runs within milliseconds; a browser that keeps it suspended gets resume() again on every click or key
 * press meanwhile. Then start() gives up with the error `audio-not-running`: nothing recorded, the microphone let go.
 */
const RUN_WAIT_MS = 5000;
/** How often the clock is read while waiting for it to move. */
const RUN_POLL_MS = 25;

/** A recorder failure as a thrown value (from `setDevice`): the same reason and sentence as the snapshot's error. */
export class RecorderFailure extends Error implements RecorderError {
  override readonly name = 'RecorderFailure';
  constructor(
    readonly reason: RecorderError['reason'],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One take: the microphone, the graph, and what was recorded. */
interface Take {
  stream: MediaStream;
  context: AudioContext;
  source: MediaStreamAudioSourceNode;
  input: GainNode;
  onTrackEnded: () => void;
  mediaRecorder: MediaRecorder | null;
  parts: Blob[];
  capture: CaptureNode | null;
  pcm: PcmChunks | null;
  mimeType: string;
  levels: LevelReader | null;
  /** Seconds recorded before the current run (pauses end runs). */
  elapsed: number;
  /** context.currentTime when the current run began; null while paused. */
  runStart: number | null;
  heard: boolean;
  quietSince: number | null;
  timers: ReturnType<typeof setTimeout>[];
  poll: ReturnType<typeof setInterval> | undefined;
  finishing: Promise<RecordedTake | null> | null;
}

/**
 * Records the microphone. Nothing asks for permission until `start()` (call it from a click).
 *
 * ```ts
 * const recorder = new Recorder({ format: 'wav', silence: { seconds: 2 } });
 * recorder.subscribe(() => render(recorder.getSnapshot()));
 * button.onclick = () => recorder.start();
 * const take = await recorder.stop(); // { blob, mimeType, duration }
 * ```
 */
export class Recorder extends Store<RecorderSnapshot> implements RecorderApi {
  readonly #options: RecorderOptions;
  /** The device `setDevice` chose (exact), else undefined: options.deviceId (exact), then the remembered one. */
  #chosenDevice: string | undefined;
  #take: Take | null = null;
  /** Counts starts, so a start overtaken by cancel() or another start lets its microphone go. */
  #attempt = 0;
  #starting: Promise<void> | null = null;
  readonly #chunkListeners = new Set<(chunk: Blob | Int16Array) => void>();
  #destroyed = false;

  constructor(options: RecorderOptions = {}) {
    super(INITIAL_RECORDER_SNAPSHOT);
    this.#options = { ...options };
  }

  get stream(): MediaStream | null {
    return this.#take?.stream ?? null;
  }

  onChunk(listener: (chunk: Blob | Int16Array) => void): () => void {
    this.#chunkListeners.add(listener);
    return () => void this.#chunkListeners.delete(listener);
  }

  getDuration(): number {
    const take = this.#take;
    if (!take) return this.getSnapshot().take?.duration ?? 0;
    return take.elapsed + (take.runStart === null ? 0 : Math.max(0, take.context.currentTime - take.runStart));
  }

  start(): Promise<void> {
    if (this.#destroyed) return Promise.reject(new Error('This recorder was destroyed; create a new one.'));
    const { status } = this.getSnapshot();
    if (status === 'recording' || status === 'paused') return Promise.resolve();
    if (this.#starting) return this.#starting;
    const starting = this.#start().finally(() => {
      if (this.#starting === starting) this.#starting = null;
    });
    this.#starting = starting;
    return starting;
  }

  async #start(): Promise<void> {
    const attempt = ++this.#attempt;
    const options = this.#options;
    const format = options.format ?? 'compressed';
    const fail = (error: RecorderError) => this.update({ ...INITIAL_RECORDER_SNAPSHOT, status: 'error', error });

    const getUserMedia =
      options.getUserMedia ??
      (typeof globalThis.navigator?.mediaDevices?.getUserMedia === 'function'
        ? (constraints: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(constraints)
        : null);
    if (!getUserMedia) {
      return fail(recorderError(globalThis.isSecureContext === false ? 'insecure-context' : 'unsupported'));
    }
    const Context = audioContextClass();
    const mimeType = format === 'wav' ? 'audio/wav' : chooseMimeType(options.mimeType);
    if (!Context || !mimeType || (format === 'wav' && typeof AudioWorkletNode !== 'function')) {
      return fail(
        recorderError(
          'unsupported',
          format === 'wav'
            ? 'This browser cannot record WAV here (no AudioWorklet).'
            : 'This browser cannot record compressed audio (no MediaRecorder format it supports).',
        ),
      );
    }
    this.update({ ...INITIAL_RECORDER_SNAPSHOT, status: 'requesting', mimeType });

    // The context is made (and resumed) now, inside the click, which is what lets it run; the worklet loads while
    // the permission prompt is up.
    // Nothing is heard from this context, so it takes the browser's larger "playback" buffers: fewer glitches when
    // the machine is busy, at no cost a person notices.
    const context = new Context({ latencyHint: 'playback' });
    if (context.state !== 'running') void context.resume().catch(() => {});
    const rate = options.sampleRate === 'native' ? context.sampleRate : WAV_RATE;
    const pcm = format === 'wav' ? new PcmChunks(rate) : null;
    // The take the worklet's messages belong to, once it exists.
    const current: { take?: Take } = {};
    const capturing =
      format === 'wav'
        ? CaptureNode.create(
            context,
            {
              targetRate: rate,
              chunkSamples: options.timeslice
                ? Math.max(128, Math.round((rate * options.timeslice) / 1000))
                : DEFAULT_CHUNK_SAMPLES,
              maxSamples: options.maxDuration ? Math.round(options.maxDuration * rate) : undefined,
              workletUrl: options.workletUrl,
            },
            (message) => current.take && this.#onCapture(current.take, message),
          )
        : null;
    capturing?.catch(() => {}); // awaited below; not unhandled if getUserMedia fails first

    let stream: MediaStream;
    const named = this.#chosenDevice ?? options.deviceId;
    const remembered = named === undefined ? rememberedDevice() : '';
    let asked = named ?? remembered;
    try {
      try {
        stream = await getUserMedia(this.#constraints(asked));
      } catch (error) {
        // A remembered microphone that is gone: the system default instead (one asked for by name must be there).
        const gone = (error as { name?: string }).name;
        if (!remembered || (gone !== 'OverconstrainedError' && gone !== 'NotFoundError')) throw error;
        asked = '';
        stream = await getUserMedia(this.#constraints(''));
      }
    } catch (error) {
      void context.close().catch(() => {});
      if (attempt !== this.#attempt) return;
      return fail(recorderError(recorderErrorReason(error, await permissionState())));
    }
    const abandon = () => {
      stopTracks(stream);
      void context.close().catch(() => {});
    };
    if (attempt !== this.#attempt || this.#destroyed) return abandon();

    const source = context.createMediaStreamSource(stream);
    const input = context.createGain();
    source.connect(input);
    const take: Take = {
      stream,
      context,
      source,
      input,
      onTrackEnded: () => this.#deviceLost(take),
      mediaRecorder: null,
      parts: [],
      capture: null,
      pcm,
      mimeType,
      levels: null,
      elapsed: 0,
      runStart: null,
      heard: false,
      quietSince: null,
      timers: [],
      poll: undefined,
      finishing: null,
    };
    current.take = take;
    try {
      if (capturing) {
        take.capture = await capturing;
        input.connect(take.capture.node);
      } else {
        const destination = context.createMediaStreamDestination();
        destination.channelCount = 1; // speech: mono is half the bytes
        input.connect(destination);
        const mediaRecorder = new MediaRecorder(destination.stream, { mimeType });
        take.mediaRecorder = mediaRecorder;
        take.mimeType = mediaRecorder.mimeType || mimeType;
        mediaRecorder.ondataavailable = (event) => {
          if (event.data.size === 0) return;
          take.parts.push(event.data);
          this.#emit(event.data);
        };
        mediaRecorder.onerror = () =>
          void this.#finish(
            take,
            'device-lost',
            recorderError('in-use', 'Recording failed in the browser; what was recorded before is kept.'),
          );
      }
    } catch (error) {
      abandon();
      if (attempt !== this.#attempt) return;
      return fail(recorderError('unsupported', `This browser cannot record here: ${describe(error)}`));
    }
    // Recording begins when the context really runs: its `state` says 'running' in Chromium from the constructor on,
    // before its audio device has rendered anything, and a context that never runs would record nothing.
    const running = await whenRunning(context, RUN_WAIT_MS, () => attempt !== this.#attempt || this.#destroyed);
    if (attempt !== this.#attempt || this.#destroyed) return abandon();
    if (!running) {
      abandon();
      return fail(recorderError('audio-not-running'));
    }

    this.#take = take;
    this.#watchTrack(take, stream);
    take.mediaRecorder?.start(options.timeslice ?? DEFAULT_TIMESLICE_MS);
    if (options.silence) take.levels = audioLevels(stream);
    this.#run(take);
    const device = deviceOf(stream, this.#options.getUserMedia ? asked : undefined);
    this.update({ status: 'recording', deviceId: device.id, deviceLabel: device.label, mimeType: take.mimeType });
    microphoneOpened();
  }

  pause() {
    const take = this.#take;
    if (!take || take.finishing || this.getSnapshot().status !== 'recording') return;
    take.mediaRecorder?.pause();
    void take.capture?.pause();
    take.elapsed = this.getDuration();
    take.runStart = null;
    this.#clearTimers(take);
    this.update({ status: 'paused' });
  }

  resume() {
    const take = this.#take;
    if (!take || take.finishing || this.getSnapshot().status !== 'paused') return;
    take.mediaRecorder?.resume();
    take.capture?.resume();
    this.#run(take);
    this.update({ status: 'recording' });
  }

  stop(): Promise<RecordedTake | null> {
    const take = this.#take;
    if (!take) {
      if (this.getSnapshot().status === 'requesting') this.cancel();
      return Promise.resolve(null);
    }
    return this.#finish(take, 'user');
  }

  cancel() {
    this.#attempt++; // a pending start() lets its microphone go
    const take = this.#take;
    this.#take = null;
    if (take) this.#release(take, true);
    this.update({ ...INITIAL_RECORDER_SNAPSHOT });
  }

  async setDevice(deviceId: string): Promise<void> {
    const previous = this.#chosenDevice;
    this.#chosenDevice = deviceId;
    if (this.#starting) await this.#starting;
    const take = this.#take;
    if (!take || take.finishing || this.getSnapshot().deviceId === deviceId) {
      rememberDevice(deviceId);
      return;
    }
    const getUserMedia =
      this.#options.getUserMedia ?? ((c: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(c));
    let stream: MediaStream;
    try {
      stream = await getUserMedia(this.#constraints(deviceId));
    } catch (error) {
      const reason = recorderErrorReason(error, await permissionState());
      // Still recording from the microphone it had, which stays the choice (and the remembered one).
      if (this.#chosenDevice === deviceId) this.#chosenDevice = previous;
      throw new RecorderFailure(reason, recorderError(reason).message, { cause: error });
    }
    if (this.#take !== take || take.finishing) {
      stopTracks(stream);
      return;
    }
    // Swap the source in front of `input`: the MediaRecorder / worklet behind it never notice.
    const source = take.context.createMediaStreamSource(stream);
    source.connect(take.input);
    take.source.disconnect();
    this.#unwatchTrack(take);
    stopTracks(take.stream);
    take.source = source;
    take.stream = stream;
    this.#watchTrack(take, stream);
    if (take.levels) {
      take.levels.release();
      take.levels = audioLevels(stream);
    }
    const device = deviceOf(stream, this.#options.getUserMedia ? deviceId : undefined);
    this.update({ deviceId: device.id, deviceLabel: device.label });
    rememberDevice(deviceId);
  }

  destroy() {
    this.cancel();
    this.#destroyed = true;
    this.#chunkListeners.clear();
  }

  #constraints(deviceId: string): MediaStreamConstraints {
    const { echoCancellation, noiseSuppression, autoGainControl } = this.#options;
    const audio: MediaTrackConstraints = {};
    // `exact`: browsers may ignore an `ideal` device (Chromium's fake devices do).
    if (deviceId) audio.deviceId = { exact: deviceId };
    if (echoCancellation !== undefined) audio.echoCancellation = echoCancellation;
    if (noiseSuppression !== undefined) audio.noiseSuppression = noiseSuppression;
    if (autoGainControl !== undefined) audio.autoGainControl = autoGainControl;
    return { audio: Object.keys(audio).length > 0 ? audio : true };
  }

  /** A recording run begins (start or resume): the clock, the maximum duration and the silence watch. */
  #run(take: Take) {
    take.runStart = take.context.currentTime;
    const { maxDuration, silence } = this.#options;
    // wav ends on the exact sample in the worklet; compressed by a timer (to within a few ms).
    if (maxDuration && take.mediaRecorder) {
      const arm = () => {
        const left = maxDuration - this.getDuration();
        if (left <= 0.005) void this.#finish(take, 'max-duration');
        else take.timers.push(setTimeout(arm, left * 1000));
      };
      arm();
    }
    if (silence) take.poll = setInterval(() => this.#checkSilence(take, silence), SILENCE_POLL_MS);
  }

  #checkSilence(take: Take, silence: NonNullable<RecorderOptions['silence']>) {
    if (!take.levels || take.runStart === null || take.finishing) return;
    const now = this.getDuration();
    if (take.levels.getDbfs() > (silence.threshold ?? SILENCE_THRESHOLD_DB)) {
      take.heard = true;
      take.quietSince = null;
    } else if (take.heard) {
      take.quietSince ??= now;
      if (now - take.quietSince >= silence.seconds) void this.#finish(take, 'silence');
    }
  }

  #clearTimers(take: Take) {
    for (const timer of take.timers.splice(0)) clearTimeout(timer);
    clearInterval(take.poll);
    take.poll = undefined;
    take.quietSince = null;
  }

  #onCapture(take: Take, message: CaptureMessage) {
    if (message.type === 'chunk') {
      take.pcm?.push(message.samples);
      this.#emit(message.samples);
    } else if (this.#take !== take) {
      return;
    } else if (message.type === 'full') {
      void this.#finish(take, 'max-duration');
    } else if (message.type === 'failed') {
      void this.#finish(
        take,
        'device-lost',
        recorderError('unsupported', 'Recording failed in the browser; what was recorded before is kept.'),
      );
    }
  }

  #emit(chunk: Blob | Int16Array) {
    for (const listener of [...this.#chunkListeners]) listener(chunk);
  }

  #watchTrack(take: Take, stream: MediaStream) {
    for (const track of stream.getAudioTracks()) track.addEventListener('ended', take.onTrackEnded);
  }

  #unwatchTrack(take: Take) {
    for (const track of take.stream.getAudioTracks()) track.removeEventListener('ended', take.onTrackEnded);
  }

  /** The track ended by itself: the device was unplugged, or the permission taken back (the browser says which). */
  #deviceLost(take: Take) {
    void permissionState().then((state) =>
      this.#finish(
        take,
        'device-lost',
        state === 'denied'
          ? recorderError(
              'denied',
              'Microphone access was turned off while recording. What was recorded before is kept; allow it again in the site settings to record more.',
            )
          : recorderError('not-found', 'The microphone was disconnected. What was recorded before is kept.'),
      ),
    );
  }

  /** Ends the take: everything recorded becomes the take, and the microphone is let go. */
  #finish(take: Take, reason: StopReason, error: RecorderError | null = null): Promise<RecordedTake | null> {
    take.finishing ??= (async () => {
      const duration = this.getDuration();
      take.elapsed = duration;
      take.runStart = null;
      this.#clearTimers(take);
      let recorded: RecordedTake | null = null;
      try {
        if (take.capture && take.pcm) {
          await take.capture.stop();
          if (take.pcm.length > 0) {
            recorded = { blob: take.pcm.toWav(), mimeType: 'audio/wav', duration: take.pcm.duration };
          }
        } else if (take.mediaRecorder) {
          const mediaRecorder = take.mediaRecorder;
          if (mediaRecorder.state !== 'inactive') {
            await new Promise<void>((resolve) => {
              mediaRecorder.addEventListener('stop', () => resolve(), { once: true });
              mediaRecorder.stop();
            });
          }
          if (take.parts.length > 0 && duration > 0) {
            let blob = new Blob(take.parts, { type: take.mimeType });
            if (isWebm(take.mimeType)) blob = await fixWebmDuration(blob, duration);
            recorded = { blob, mimeType: take.mimeType, duration };
          }
        }
      } finally {
        this.#release(take, false);
      }
      if (this.#take !== take) return null; // cancelled meanwhile
      this.#take = null;
      this.update({
        status: error ? 'error' : 'stopped',
        error,
        take: recorded,
        stopReason: reason,
      });
      return recorded;
    })();
    return take.finishing;
  }

  /** Lets the microphone go: tracks stopped, the graph and its AudioContext closed. */
  #release(take: Take, discard: boolean) {
    this.#clearTimers(take);
    this.#unwatchTrack(take);
    if (discard && take.mediaRecorder) {
      take.mediaRecorder.ondataavailable = null;
      if (take.mediaRecorder.state !== 'inactive') take.mediaRecorder.stop();
    }
    take.capture?.disconnect();
    take.levels?.release();
    take.levels = null;
    take.source.disconnect();
    stopTracks(take.stream);
    if (take.context.state !== 'closed') void take.context.close().catch(() => {});
  }
}

/**
 * Resolves true once `context`'s clock moves (state 'running' and currentTime advancing between two reads), false
 * when it has not after `ms`, or at once when `abandoned()` (start() overtaken) or the context was closed. Meanwhile
 * every click, tap or key press on the page asks it to resume again: a browser that refused to start it without a
 * user gesture lets it run in the next one.
 */
function whenRunning(context: AudioContext, ms: number, abandoned: () => boolean): Promise<boolean> {
  const gestures = ['pointerdown', 'keydown', 'touchend'] as const;
  const onGesture = () => void context.resume().catch(() => {});
  const target = typeof globalThis.addEventListener === 'function' ? globalThis : null;
  for (const type of gestures) target?.addEventListener(type, onGesture, true);
  const deadline = Date.now() + ms;
  let last = context.currentTime;
  return new Promise<boolean>((resolve) => {
    const check = () => {
      const now = context.currentTime;
      const moving = context.state === 'running' && now > last;
      last = now;
      if (moving || abandoned() || context.state === 'closed' || Date.now() >= deadline) {
        for (const type of gestures) target?.removeEventListener(type, onGesture, true);
        resolve(moving);
      } else {
        setTimeout(check, RUN_POLL_MS);
      }
    };
    check();
  });
}

function stopTracks(stream: MediaStream) {
  for (const track of stream.getTracks()) track.stop();
}

/**
 * The device a stream really comes from (the track's settings), not the one asked for: a remembered device that is
 * gone falls back to another. Streams from the `getUserMedia` option (synthetic or remote tracks, whose settings
 * name no microphone) are taken to be the device asked for (`asked`).
 */
function deviceOf(stream: MediaStream, asked?: string): { id: string | null; label: string | null } {
  const track = stream.getAudioTracks()[0];
  if (!track) return { id: null, label: null };
  return { id: asked || track.getSettings?.().deviceId || null, label: track.label || null };
}

async function permissionState(): Promise<string | undefined> {
  try {
    return (await navigator.permissions.query({ name: 'microphone' as PermissionName })).state;
  } catch {
    return undefined;
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
