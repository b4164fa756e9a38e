// useAudioLevels: levels and frequency bands of a stream, a player or a getter, read in requestAnimationFrame.
// The hook never renders per frame and never opens the microphone: it reads what it is given.
import { audioLevels, type AudioLevels, type LevelSource } from '@elevenkit/core';
import { useEffect, useRef, useState } from 'react';

/** What a visualizer reads each frame. */
export interface LevelGetters {
  /** RMS level 0–1. */
  getLevel(): number;
  /** `count` bands 0–1, low to high (into `into` when given). */
  getBands(count: number, into?: Float32Array): Float32Array;
}

/**
 * Where levels come from: a `MediaStream` (the recorder's `stream`), anything with an `outputNode` (a `SpeechPlayer`),
 * an object with `getLevel()` (and optionally `getBands()`), or a `() => number` getter. Null: silence.
 */
export type LevelInput =
  | LevelSource
  | { getLevel(): number; getBands?(count: number, into?: Float32Array): Float32Array }
  | (() => number)
  | null
  | undefined;

const isGraphSource = (source: object): source is LevelSource =>
  'outputNode' in source || (typeof MediaStream === 'function' && source instanceof MediaStream);

/** Bands for a source that only has a level: every band at that level. */
function flatBands(level: number, count: number, into?: Float32Array): Float32Array {
  const bands = into && into.length === count ? into : new Float32Array(count);
  return bands.fill(level);
}

/** A reader over one input; `release` lets go of the shared audio graph when it made one. */
function readerFor(source: NonNullable<LevelInput>): LevelGetters & Pick<AudioLevels, 'release'> {
  if (typeof source === 'function') {
    return { getLevel: source, getBands: (count, into) => flatBands(source(), count, into), release: () => {} };
  }
  if ('getLevel' in source && !isGraphSource(source)) {
    const own = source.getBands?.bind(source);
    return {
      getLevel: () => source.getLevel(),
      getBands: own ?? ((count, into) => flatBands(source.getLevel(), count, into)),
      release: () => {},
    };
  }
  return audioLevels(source as LevelSource);
}

/**
 * Levels of `source`, as an object whose getters a `requestAnimationFrame` loop reads: the component does not
 * re-render as the sound changes. The same object is returned for the component's lifetime; it reads 0 (silence)
 * while `source` is null. A stream or player is tapped through core's shared graph (one per stream, released when
 * the source changes or the component unmounts).
 *
 * ```tsx
 * const levels = useAudioLevels(recorder.stream);
 * useEffect(() => { let id = requestAnimationFrame(function draw() { bar.style.scale = `${levels.getLevel()} 1`; id = requestAnimationFrame(draw); }); return () => cancelAnimationFrame(id); }, [levels]);
 * ```
 */
export function useAudioLevels(source: LevelInput): LevelGetters {
  const current = useRef<LevelGetters | null>(null);
  const [reader] = useState<LevelGetters>(() => ({
    getLevel: () => current.current?.getLevel() ?? 0,
    getBands: (count, into) => current.current?.getBands(count, into) ?? flatBands(0, count, into),
  }));
  useEffect(() => {
    if (!source) return;
    const made = readerFor(source);
    current.current = made;
    return () => {
      if (current.current === made) current.current = null;
      made.release();
    };
  }, [source]);
  return reader;
}
