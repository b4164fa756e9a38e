// The speech player's public contract: what `SpeechPlayer` (speech-player.ts) implements and what the React kit
// and the widget bind to. Kept apart so the engine and its users can be read (and written) independently.
import type { ReadableStore } from './store.ts';
import type { TimedWord } from './word-timeline.ts';

/**
 * How audio reaches the speakers:
 * - `mse`: MP3 appended to a MediaSource (or ManagedMediaSource) as it arrives, played by an `<audio>` element;
 * - `pcm-worklet`: PCM samples queued into an AudioWorklet as they arrive;
 * - `webaudio`: PCM decoded per chunk and scheduled as AudioBufferSourceNodes (where there is no AudioWorklet);
 * - `file`: the whole response first, then one `<audio>` element (the fallback that works everywhere).
 */
export type PlaybackPath = 'mse' | 'pcm-worklet' | 'webaudio' | 'file';

export type PlayerStatus =
  | 'idle'
  | 'loading'
  | 'buffering'
  | 'playing'
  | 'paused'
  | 'ended'
  | 'error'
  /** The browser refused to start audio without a user gesture: call `unlock()` from a click. */
  | 'needs-user-gesture';

/**
 * - `network`: unreachable, dropped mid-stream, 5xx;
 * - `auth`: not authorised (401/403);
 * - `quota`: out of credits (`quota_exceeded`): retrying will not help;
 * - `rate-limited`: too many requests right now (429 `too_many_concurrent_requests`, `system_busy`, a proxy's rate
 *   limit): retry in a moment;
 * - `invalid-request`: another 4xx (unknown voice, text too long…);
 * - `decode`: data that is not audio; `unsupported`: a format or path this browser cannot play.
 */
export type PlayerErrorCode =
  'network' | 'auth' | 'quota' | 'rate-limited' | 'unsupported' | 'decode' | 'invalid-request';

export interface PlayerError {
  readonly code: PlayerErrorCode;
  /** A sentence a person can act on (never contains an API key). */
  readonly message: string;
  /** The HTTP status or WebSocket close code behind it, when there was one. */
  readonly status?: number;
}

/** ElevenLabs `output_format` names the player understands. */
export type AudioFormat =
  | 'mp3_44100_128'
  | 'mp3_44100_64'
  | 'mp3_22050_32'
  | 'pcm_8000'
  | 'pcm_16000'
  | 'pcm_22050'
  | 'pcm_24000'
  | 'pcm_44100'
  | 'pcm_48000'
  | 'ulaw_8000';

/** Where the audio comes from. */
export type SpeechSource =
  /** A finished file (any format the browser plays): the `file` path. */
  | { type: 'url'; url: string }
  | { type: 'blob'; blob: Blob }
  /**
   * A server route that streams text-to-speech (`@elevenkit/server`'s route, or ElevenLabs' `/stream` and
   * `/stream/with-timestamps` behind your own proxy). `timestamps: true` means newline-delimited JSON chunks
   * `{ audio_base64, alignment, normalized_alignment }`; otherwise raw audio bytes in `format`.
   */
  | {
      type: 'stream';
      url: string;
      /** Method, headers and body of the request (e.g. `{ method: 'POST', body: JSON.stringify({ text }) }`). */
      init?: RequestInit;
      format: AudioFormat;
      timestamps: boolean;
      /** The text being spoken, shown before its alignment arrives. */
      text?: string;
    }
  /**
   * The input-streaming WebSocket (`/v1/text-to-speech/{voice_id}/stream-input`), fed text as it is written
   * (LLM output) through the `SpeechTextInput` that `load` returns.
   */
  | {
      type: 'websocket';
      /** The full `wss://…/stream-input?model_id=…&output_format=…` URL, authorised (e.g. `single_use_token=`). */
      url: string;
      format: AudioFormat;
      /** Sent in the first message (`voice_settings`, `generation_config`…). */
      init?: Record<string, unknown>;
    };

/** Feeds text to a `websocket` source. */
export interface SpeechTextInput {
  /** Queues text; the service speaks it when a chunk is complete. */
  append(text: string): void;
  /** Speaks everything queued now, without waiting for more text. */
  flush(): void;
  /** No more text: speak the rest, then finish. */
  end(): void;
}

export interface PlayerOptions {
  /** `auto` (default) picks the best path the browser supports for the source's format; tests force each one. */
  path?: PlaybackPath | 'auto';
  /** Shown by the OS (lock screen, media keys) while playing. */
  metadata?: { title?: string; artist?: string; album?: string };
  /** Start playing as soon as the first audio is decodable (default true). */
  autoplay?: boolean;
  /**
   * Where to load the `pcm-worklet` processor from. By default it loads from a Blob URL, which a
   * Content-Security-Policy must allow (`script-src blob:`); under a stricter policy serve `PCM_WORKLET_SOURCE`
   * as a file of your own origin and pass its URL.
   */
  workletUrl?: string;
}

export interface PlayerSnapshot {
  readonly status: PlayerStatus;
  readonly error: PlayerError | null;
  /**
   * The error is one `retry()` may get past: the network or a busy service (`network`, `rate-limited`), on a source
   * that can be loaded again (not `websocket`).
   */
  readonly canRetry: boolean;
  /** The path in use, once chosen. */
  readonly path: PlaybackPath | null;
  /**
   * Playback will start (or go on) by itself as soon as audio can play: true after `play()` or with `autoplay`,
   * false after `pause()`/`stop()` and at the end. Tells a `loading` that will play from one that will wait.
   */
  readonly playWhenReady: boolean;
  /** Seconds of audio received so far (what `seek` can reach until the audio is complete). */
  readonly buffered: number;
  /** Total length, known once the whole audio has arrived (null until then). */
  readonly duration: number | null;
  /**
   * The expected total length while a stream with timestamps and known `text` is still arriving (the time per
   * aligned character so far, times the text's length; never less than `buffered`), then `duration`. Null when
   * nothing can be said (no text, no alignment yet). For a progress bar; seeking stays within `buffered`.
   */
  readonly estimatedDuration: number | null;
  /**
   * Where playback stood when it last stopped moving or jumped: set by `seek`, `pause`, `stop` and the end (seconds).
   * It changes the snapshot, so a paused UI hears of a seek; while playing read `getCurrentTime()`.
   */
  readonly position: number;
  /** The whole audio has arrived: seeking anywhere and `download()` work. */
  readonly complete: boolean;
  readonly rate: number;
  /**
   * Whether a rate other than 1 keeps the voice's pitch: true on `mse`, `file` and `pcm-worklet`; false on the
   * `webaudio` fallback, where speed and pitch change together like a tape (a UI may hide its speed control there).
   */
  readonly preservesPitch: boolean;
  readonly volume: number;
  readonly muted: boolean;
  /** The output device id (`setSinkId`), '' for the default. */
  readonly sinkId: string;
  /** The words with their times, growing as alignment arrives; empty without alignment. */
  readonly words: readonly TimedWord[];
  /** The word being spoken (index into `words`), -1 when none. Changes a few times a second, not every frame. */
  readonly activeWord: number;
}

/** The engine: a store (snapshot changes on state changes and word changes), plus per-frame getters. */
export interface SpeechPlayerApi extends ReadableStore<PlayerSnapshot> {
  /** Starts loading; resolves once playback could start (or failed: then the snapshot has the error). */
  load(source: SpeechSource): Promise<SpeechTextInput | void>;
  play(): Promise<void>;
  /**
   * After an error: loads the same source again and plays it (a dropped stream, a busy service). Not for a
   * `websocket` source, whose text came in pieces: load it again and feed it anew. Resolves as `load` does.
   */
  retry(): Promise<void>;
  pause(): void;
  /** Stops and forgets the position (back to the start, paused). */
  stop(): void;
  /** Seconds; clamped to what is buffered until the audio is complete. */
  seek(time: number): void;
  /** 0.25–4. Keeps the pitch except on the `webaudio` path (see `preservesPitch`). */
  setRate(rate: number): void;
  setVolume(volume: number): void;
  setMuted(muted: boolean): void;
  /** `HTMLMediaElement.setSinkId` / `AudioContext.setSinkId` where supported; rejects with `unsupported` otherwise. */
  setSinkId(deviceId: string): Promise<void>;
  /**
   * From a user gesture: lets audio start (resumes the AudioContext, primes the media element). Call it in the click
   * that loads new text, or on `needs-user-gesture`, which it then plays; other paused or ended audio stays silent.
   */
  unlock(): Promise<void>;
  /** The audio received so far as a file (WAV for PCM and μ-law, MP3 for MP3), or null before any. */
  download(): Blob | null;
  /** Seconds; read it in requestAnimationFrame, it is not in the snapshot. */
  getCurrentTime(): number;
  /** Output level, 0–1. */
  getLevel(): number;
  /** Byte frequency data of the output (for visualizers), or null when nothing plays. */
  getFrequencyData(): Uint8Array | null;
  /** `count` peak values 0–1 over the whole received audio (for a waveform). */
  getPeaks(count: number): Float32Array;
  /** Stops audio and frees everything (element, AudioContext, sockets, object URLs). */
  destroy(): void;
}
