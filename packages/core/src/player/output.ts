// What every playback path implements. The player owns the received audio (bytes and samples) and the state;
// an output only turns it into sound and reports what happened.
import type { PlaybackPath } from '../speech-player-types.ts';
import type { SpeechPlayerError } from './errors.ts';

export interface OutputEvents {
  /** Some audio can be played now. */
  ready(): void;
  /** Playback ran out of audio before the end (true), or has audio again (false). */
  starved(starved: boolean): void;
  ended(): void;
  /** The length as played changed (element paths learn it from the decoder). */
  durationChanged?(): void;
  failed(error: SpeechPlayerError): void;
}

export interface PlaybackOutput {
  readonly path: PlaybackPath;
  /** New encoded bytes (the element paths). */
  appendBytes?(bytes: Uint8Array): void;
  /** New samples in the player's store (the PCM paths). */
  samplesAdded?(): void;
  /** No more audio will come. */
  end(): void;
  /** Starts or resumes; rejects with a `NotAllowedError` when the browser wants a user gesture first. */
  play(): Promise<void>;
  pause(): void;
  seek(seconds: number): void;
  setRate(rate: number): void;
  /** Seconds of audio played, as heard. */
  currentTime(): number;
  /** The length as the output plays it, once known. */
  duration(): number | null;
  destroy(): void;
}
