// The recorder's public contract: what `Recorder` (recorder.ts), `MediaDevicesStore` (media-devices.ts),
// `audioLevels` (audio-levels.ts) and the transcribers (transcription.ts) implement, and what the React kit binds to.
// Kept apart so the engine and its users can be read (and written) independently.
import type { ReadableStore } from './store.ts';

/**
 * `idle → requesting → recording ↔ paused → stopped`; `error` from `requesting` (or when the device is lost).
 * Nothing prompts for the microphone until `start()`.
 */
export type RecorderStatus = 'idle' | 'requesting' | 'recording' | 'paused' | 'stopped' | 'error';

/** Why the microphone could not be used, for a UI to explain. */
export type RecorderErrorReason =
  /** The user or a policy blocked it (a permission that stays until the site settings change). */
  | 'denied'
  /** The prompt was closed without an answer (asking again may work). */
  | 'dismissed'
  /** Another app or tab holds the device. */
  | 'in-use'
  /** No microphone, or the chosen one is gone. */
  | 'not-found'
  /** Not https (or localhost). */
  | 'insecure-context'
  /** No getUserMedia, MediaRecorder or AudioWorklet for the asked format. */
  | 'unsupported'
  /** The constraints (device, sample rate…) cannot be met. */
  | 'constraints'
  /**
   * The browser did not run the audio engine the take records through (its AudioContext stayed suspended, or its
   * clock never moved), so nothing could be recorded; starting again from a click may work.
   */
  | 'audio-not-running';

export interface RecorderError {
  readonly reason: RecorderErrorReason;
  /** A sentence a person can act on. */
  readonly message: string;
}

/** Why recording stopped. */
export type StopReason = 'user' | 'max-duration' | 'silence' | 'device-lost';

export interface RecorderOptions {
  /**
   * `compressed` (default): MediaRecorder, the first supported of `audio/mp4;codecs=mp4a.40.2` (Safari, whose WebM
   * is unreliable), `audio/webm;codecs=opus` (Chromium, Firefox), `audio/mp4`, `audio/ogg;codecs=opus` (or
   * `mimeType` when given and supported). `wav`: 16-bit PCM through an AudioWorklet.
   */
  format?: 'compressed' | 'wav';
  /** A MediaRecorder MIME type to prefer for `compressed`. */
  mimeType?: string;
  /** `wav` only: 16000 (default, what transcription wants) or `native` (the AudioContext's rate). */
  sampleRate?: 16000 | 'native';
  /** The microphone to use; default: the remembered choice, else the system default. */
  deviceId?: string;
  /** Passed to getUserMedia (the browser's defaults when unset). */
  echoCancellation?: boolean;
  noiseSuppression?: boolean;
  autoGainControl?: boolean;
  /** Stops by itself after this many seconds of recording (pauses not counted). */
  maxDuration?: number;
  /** Stops by itself after `seconds` below `threshold` dBFS (default -50), once something was heard. */
  silence?: { seconds: number; threshold?: number };
  /** `compressed`: MediaRecorder timeslice in ms, so `onChunk` gets pieces while recording. `wav`: PCM chunk size. */
  timeslice?: number;
  /** Where the capture worklet loads from under a strict Content-Security-Policy (default: a Blob URL). */
  workletUrl?: string;
  /**
   * Opens the microphone (default: `navigator.mediaDevices.getUserMedia`). A seam for streams from elsewhere
   * (a WebRTC track, a test's synthetic stream); it is called again, with an exact `deviceId`, by `setDevice`.
   */
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
}

/** A finished recording. */
export interface RecordedTake {
  readonly blob: Blob;
  readonly mimeType: string;
  /** Seconds of audio (pauses not counted). WebM takes carry it in their header too. */
  readonly duration: number;
}

export interface RecorderSnapshot {
  readonly status: RecorderStatus;
  readonly error: RecorderError | null;
  /** The device actually in use (from the track's settings), once recording. */
  readonly deviceId: string | null;
  readonly deviceLabel: string | null;
  /** The format being recorded, once chosen. */
  readonly mimeType: string | null;
  /** The last finished recording (after `stop()`), null before and after `cancel()`. */
  readonly take: RecordedTake | null;
  readonly stopReason: StopReason | null;
}

/** Something a visualizer can read levels from: a stream, or anything with an output node (the player). */
export type LevelSource = MediaStream | { readonly outputNode: AudioNode | null };

/** Levels read in requestAnimationFrame: getters, never React state. */
export interface AudioLevels {
  /** RMS level 0–1 (about -60 dBFS → 0, 0 dBFS → 1). */
  getLevel(): number;
  /** `count` frequency bands 0–1, low to high (into `into` when given, to avoid garbage). */
  getBands(count: number, into?: Float32Array): Float32Array;
  /** Lets go of this reader; the shared graph closes when the last one releases. */
  release(): void;
}

export interface RecorderApi extends ReadableStore<RecorderSnapshot> {
  /** Asks for the microphone (call from a user gesture), then records. */
  start(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Stops, releases the microphone, and resolves with the take (null if nothing was recorded). */
  stop(): Promise<RecordedTake | null>;
  /** Stops, releases the microphone and discards what was recorded. */
  cancel(): void;
  /** Switches the microphone, also while recording: what was recorded so far is kept. Remembers the choice. */
  setDevice(deviceId: string): Promise<void>;
  /** Seconds recorded so far (pauses not counted): read it in requestAnimationFrame, it is not in the snapshot. */
  getDuration(): number;
  /** The live microphone stream while recording or paused (for visualizers and realtime transcription). */
  readonly stream: MediaStream | null;
  /** Pieces as they are recorded (`timeslice`): Blobs for `compressed`, 16-bit PCM for `wav`. */
  onChunk(listener: (chunk: Blob | Int16Array) => void): () => void;
  /** Stops everything; the recorder cannot be used again. */
  destroy(): void;
}

export interface AudioDevice {
  readonly deviceId: string;
  /** Empty until the page has microphone permission. */
  readonly label: string;
  readonly groupId: string;
}

export interface MediaDevicesSnapshot {
  /** Audio inputs; updated on `devicechange`. */
  readonly devices: readonly AudioDevice[];
  /** `unknown` where the Permissions API cannot tell. */
  readonly permission: 'granted' | 'denied' | 'prompt' | 'unknown';
  /** The remembered choice ('' for the system default). */
  readonly selected: string;
}

export interface MediaDevicesApi extends ReadableStore<MediaDevicesSnapshot> {
  /** Remembers the choice (localStorage) for the next `Recorder`. */
  select(deviceId: string): void;
  refresh(): Promise<void>;
  destroy(): void;
}

/** A transcribed word (ElevenLabs speech-to-text shape). */
export interface TranscriptWord {
  readonly text: string;
  /** Seconds. */
  readonly start: number;
  readonly end: number;
  readonly type: 'word' | 'spacing' | 'audio_event';
  readonly speaker_id?: string;
}

/** What speech to text returns (named apart from the conversation's `Transcript`). */
export interface SpeechTranscript {
  readonly text: string;
  readonly words: readonly TranscriptWord[];
  readonly language_code?: string;
}

export type TranscriptionStatus = 'idle' | 'connecting' | 'transcribing' | 'paused' | 'done' | 'error';

export type TranscriptionErrorCode = 'network' | 'auth' | 'quota' | 'invalid-request' | 'too-large' | 'session';

export interface TranscriptionError {
  readonly code: TranscriptionErrorCode;
  readonly message: string;
  readonly status?: number;
}

export interface TranscriptionSnapshot {
  readonly status: TranscriptionStatus;
  readonly error: TranscriptionError | null;
  /** Realtime: the words heard since the last commit (replaced as they firm up). Batch: ''. */
  readonly partial: string;
  /** Committed segments (realtime) or the one result (batch), in order. */
  readonly committed: readonly SpeechTranscript[];
  /** All committed text so far, joined. */
  readonly text: string;
}

export interface TranscriptionOptions {
  /**
   * Batch: the server route that forwards uploads to `/v1/speech-to-text` (default
   * `/api/elevenlabs/speech-to-text`). Realtime: the route that mints a `realtime_scribe` single-use token (default
   * `/api/elevenlabs/single-use-token/realtime_scribe`), fetched again for each (re)connection.
   */
  endpoint?: string;
  /** Default `scribe_v1` (batch) / `scribe_v2_realtime` (realtime). */
  modelId?: string;
  languageCode?: string;
  /** Realtime: `vad` (default) commits after a pause; `manual` commits on `commit()`. */
  commitStrategy?: 'vad' | 'manual';
  /** Realtime: where the WebSocket goes (default ElevenLabs; the emulator in the demo and tests). */
  baseUri?: string;
  /** Extra headers for the requests to your routes (e.g. your own session's CSRF token). */
  headers?: Record<string, string>;
  /** Realtime: fetches a `realtime_scribe` single-use token your own way (instead of `POST endpoint` → `{ token }`). */
  getToken?: () => Promise<string>;
  /** Realtime: where the capture worklet (`CAPTURE_WORKLET_SOURCE`, the recorder's) loads from under a strict CSP (default: a Blob URL). */
  workletUrl?: string;
}

export interface TranscriberApi extends ReadableStore<TranscriptionSnapshot> {
  /** Batch: uploads a take and resolves with its transcript (also in the snapshot). */
  transcribe(take: Blob): Promise<SpeechTranscript>;
  /** Realtime: streams a live microphone stream (the recorder's `stream`) until `stop()`. */
  start(stream: MediaStream): Promise<void>;
  /** Realtime, manual commit: commits what was heard since the last commit. */
  commit(): void;
  /**
   * Realtime: stops listening until `resume()` (what is said meanwhile is not sent), e.g. while the recorder is
   * paused. With VAD what was heard so far is committed; the text is kept. Resolves once that audio has gone out.
   */
  pause(): Promise<void>;
  /** Realtime: listens again after `pause()`. */
  resume(): void;
  /**
   * Realtime: listens to another stream from now on, in the same session with the text kept (the recorder switched
   * microphones: its `stream` is a new one). What the old stream still held is sent first.
   */
  switchStream(stream: MediaStream): Promise<void>;
  /** Realtime: commits the rest and closes. */
  stop(): Promise<void>;
  /** Back to idle, forgetting the text. */
  reset(): void;
  destroy(): void;
}
