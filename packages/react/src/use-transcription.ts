// useTranscription: a batch or realtime transcriber for the component's lifetime, bound with useSyncExternalStore.
import {
  createTranscriber,
  INITIAL_TRANSCRIPTION_SNAPSHOT,
  type SpeechTranscript,
  type TranscriberApi,
  type TranscriptionOptions,
  type TranscriptionSnapshot,
} from '@elevenkit/core';
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';

export interface UseTranscriptionOptions extends TranscriptionOptions {
  /** `batch`: `transcribe(take)` uploads a finished recording. `realtime`: `start(stream)` transcribes as you speak. */
  mode: 'batch' | 'realtime';
  /** Use this transcriber instead of making one (a test double, or one shared with other components). */
  transcriber?: TranscriberApi;
}

export interface TranscriptionState {
  transcriber: TranscriberApi;
  snapshot: TranscriptionSnapshot;
  /** Batch: uploads a take (a Blob, e.g. the recorder's `take.blob`) and resolves with its words. */
  transcribe(take: Blob): Promise<SpeechTranscript>;
  /** Realtime: transcribes a live stream (e.g. the recorder's `stream`) until `stop()`. */
  start(stream: MediaStream): Promise<void>;
  /** Realtime with `commitStrategy: 'manual'`: commits what was said since the last commit. */
  commit(): void;
  /** Realtime: stops listening until `resume()` (e.g. while the recorder is paused); the text is kept. */
  pause(): Promise<void>;
  /** Realtime: listens again after `pause()`. */
  resume(): void;
  /** Realtime: listens to another stream (the recorder's new `stream` after a microphone switch); the text is kept. */
  switchStream(stream: MediaStream): Promise<void>;
  /** Realtime: commits the rest and closes. */
  stop(): Promise<void>;
  /** Back to idle, forgetting the text. */
  reset(): void;
}

const serverSnapshot = () => INITIAL_TRANSCRIPTION_SNAPSHOT;

/**
 * Speech to text through your server: `batch` uploads a recording to `/api/elevenlabs/speech-to-text` (words with
 * timings); `realtime` streams the microphone to ElevenLabs with a single-use token from
 * `/api/elevenlabs/single-use-token/realtime_scribe` (partial and committed text, resumed with a fresh token when a
 * session ends early).
 *
 * ```tsx
 * const { snapshot, start, stop } = useTranscription({ mode: 'realtime', baseUri: 'wss://api.elevenlabs.io' });
 * <button onClick={() => start(recorder.stream!)}>Transcribe</button>
 * <p>{snapshot.text} <i>{snapshot.partial}</i></p>
 * ```
 *
 * The transcriber is made once per `mode` with the options of that render (a `getToken` that needs fresh values should
 * read them itself, e.g. from a ref); it stops and lets go of everything on unmount. Safe in StrictMode and during server rendering (nothing runs until
 * you call it).
 */
export function useTranscription(options: UseTranscriptionOptions): TranscriptionState {
  const { mode, transcriber: given } = options;
  const own = useMemo(
    () => (given ? null : createTranscriber(mode, options)),
    // Made again only for another mode (or when a transcriber is handed in); other options are read once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [mode, given],
  );
  const transcriber = given ?? own!;
  useEffect(() => (own ? () => own.destroy() : undefined), [own]);
  const snapshot = useSyncExternalStore(transcriber.subscribe, transcriber.getSnapshot, serverSnapshot);
  return {
    transcriber,
    snapshot,
    transcribe: useCallback((take: Blob) => transcriber.transcribe(take), [transcriber]),
    start: useCallback((stream: MediaStream) => transcriber.start(stream), [transcriber]),
    commit: useCallback(() => transcriber.commit(), [transcriber]),
    pause: useCallback(() => transcriber.pause(), [transcriber]),
    resume: useCallback(() => transcriber.resume(), [transcriber]),
    switchStream: useCallback((stream: MediaStream) => transcriber.switchStream(stream), [transcriber]),
    stop: useCallback(() => transcriber.stop(), [transcriber]),
    reset: useCallback(() => transcriber.reset(), [transcriber]),
  };
}
