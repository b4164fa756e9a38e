// Which recorder a part controls (its `recorder` prop, or the nearest <Recorder.Root>), and the snapshot fields it
// reads: parts select only what they show, so a device change does not re-render the timer.
import type { RecorderApi, RecorderSnapshot } from '@elevenkit/core';
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { LevelInput } from '../use-audio-levels.ts';
import { PlayerContext } from './player-context.ts';

export const RecorderContext = createContext<RecorderApi | null>(null);

/** The recorder a part binds to; throws a sentence naming the part when there is none. */
export function useResolvedRecorder(recorder: RecorderApi | undefined, part: string): RecorderApi {
  const fromContext = useContext(RecorderContext);
  const resolved = recorder ?? fromContext;
  if (!resolved) {
    throw new Error(`<${part}> needs a recorder: pass recorder={…} or render it inside <Recorder.Root recorder={…}>.`);
  }
  return resolved;
}

/** The recorder of the nearest <Recorder.Root>, if any (for parts that also work without one). */
export function useOptionalRecorder(recorder: RecorderApi | undefined): RecorderApi | null {
  const fromContext = useContext(RecorderContext);
  return recorder ?? fromContext;
}

/**
 * One value from the recorder's snapshot (or the recorder itself, like its `stream`, which changes only with the
 * snapshot), through `useSyncExternalStore`. `select` must return a primitive or a reference the recorder holds.
 * The server snapshot is the recorder's own, so parts render during SSR without touching the browser.
 */
export function useRecorderSelector<T>(
  recorder: RecorderApi | null,
  select: (snapshot: RecorderSnapshot, recorder: RecorderApi) => T,
  fallback: T,
): T {
  const subscribe = useCallback((listener: () => void) => recorder?.subscribe(listener) ?? (() => {}), [recorder]);
  const read = () => (recorder ? select(recorder.getSnapshot(), recorder) : fallback);
  return useSyncExternalStore(subscribe, read, read);
}

/**
 * What a visualizer reads: its `source` prop; else the stream of its recorder (prop or <Recorder.Root>), null while
 * not recording; else the player of the nearest <AudioPlayer.Root>.
 */
export function useLevelInput(source: LevelInput | undefined, recorderProp: RecorderApi | undefined): LevelInput {
  const recorder = useOptionalRecorder(recorderProp);
  const player = useContext(PlayerContext);
  const stream = useRecorderSelector(recorder, (_, r) => r.stream, null);
  if (source !== undefined) return source;
  return recorder ? stream : player;
}
