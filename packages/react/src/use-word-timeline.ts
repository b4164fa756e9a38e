// useWordTimeline: the words of what a player speaks and the one being spoken, re-rendering only when they change.
import type { SpeechPlayerApi, TimedWord } from '@elevenkit/core';
import { useCallback, useSyncExternalStore } from 'react';

export interface WordTimelineState {
  /** Every word with its start and end (seconds), growing as alignment arrives. */
  words: readonly TimedWord[];
  /** The index of the word being spoken (the last one started), -1 before the first. */
  activeWord: number;
}

const NONE: WordTimelineState = { words: [], activeWord: -1 };

/**
 * The player's words and active word. The component re-renders when a word starts or words arrive, not when other
 * parts of the snapshot (volume, buffered…) change and never per frame.
 */
export function useWordTimeline(player: SpeechPlayerApi | null | undefined): WordTimelineState {
  const subscribe = useCallback((listener: () => void) => player?.subscribe(listener) ?? (() => {}), [player]);
  const words = useSyncExternalStore(
    subscribe,
    () => player?.getSnapshot().words ?? NONE.words,
    () => player?.getSnapshot().words ?? NONE.words,
  );
  const activeWord = useSyncExternalStore(
    subscribe,
    () => player?.getSnapshot().activeWord ?? -1,
    () => player?.getSnapshot().activeWord ?? -1,
  );
  return { words, activeWord };
}
