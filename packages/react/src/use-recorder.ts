// useRecorder: a microphone Recorder for the component's lifetime, bound with useSyncExternalStore. Renders follow
// the snapshot (status, device, take), never frames: the duration and levels are getters read in animation frames.
import { Recorder, type RecorderOptions, type RecorderSnapshot } from '@elevenkit/core';
import { useSyncExternalStore } from 'react';
import { useOwned } from './use-owned.ts';

export interface RecorderState {
  /** The engine: start (from a click), pause, resume, stop, cancel, setDevice, and `stream` / `getDuration()`. */
  recorder: Recorder;
  snapshot: RecorderSnapshot;
}

/**
 * A recorder made with the options of the first render. Nothing asks for the microphone until `recorder.start()`
 * (call it from a click); on unmount it stops and lets the microphone go. Safe in StrictMode (the rehearsal unmount
 * does not destroy it) and during server rendering (nothing touches the browser until `start()`).
 *
 * ```tsx
 * const { recorder, snapshot } = useRecorder({ format: 'wav' });
 * <button onClick={() => recorder.start()} disabled={snapshot.status === 'recording'}>Record</button>
 * ```
 */
export function useRecorder(options?: RecorderOptions): RecorderState {
  const recorder = useOwned(
    () => new Recorder(options),
    (owned) => owned.destroy(),
  );
  const snapshot = useSyncExternalStore(recorder.subscribe, recorder.getSnapshot, recorder.getSnapshot);
  return { recorder, snapshot };
}
