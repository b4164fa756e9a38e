// The behaviour of a seek slider over a native <input type="range">, shared by the scrub bar and the waveform:
// the browser gives it its role, value and pointer handling; this adds the keys (arrows, PageUp/PageDown,
// Home/End), pointer seeking (click, drag, touch; pausing while held), a spoken `aria-valuetext`, and per-frame
// position updates written to the DOM.
import type { PlayerSnapshot, SpeechPlayerApi } from '@elevenkit/core';
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type ChangeEvent,
  type CSSProperties,
  type KeyboardEvent,
  type PointerEvent,
  type RefObject,
} from 'react';
import { formatSeekValueText } from './format-time.ts';
import { requestPlayerFrame, usePlayerFrame } from './frame-clock.ts';
import { usePlayerSelector } from './player-context.ts';

export interface SeekSliderOptions {
  /** Seconds moved by the arrow keys (default 5). */
  step?: number;
  /** Seconds moved by PageUp / PageDown (default 30). */
  pageStep?: number;
  /**
   * The slider's spoken value, e.g. for another language. `total` is the slider's length (the duration, or while
   * the audio is still arriving its estimate, else what has arrived); `buffered` what has arrived. Default:
   * "5 seconds of 1 minute, 2 seconds"; while arriving "5 seconds of about 12 seconds, 4 seconds loaded" or, with no
   * estimate, "5 seconds of 4 seconds loaded so far".
   */
  formatValueText?: (current: number, total: number, complete: boolean, buffered: number) => string;
}

const positive = (length: number | null | undefined) => (length && Number.isFinite(length) && length > 0 ? length : 0);

/** What a seek can reach: the whole audio once it is known, otherwise what has arrived. */
export const seekableLength = (snapshot: Pick<PlayerSnapshot, 'duration' | 'buffered'>): number =>
  positive(snapshot.duration ?? snapshot.buffered);

/**
 * The slider's length: the duration once known; while the audio arrives, the player's estimate of it (so the
 * buffered part shows how much of the whole has arrived), or without one what has arrived.
 */
export const trackLength = (
  snapshot: Pick<PlayerSnapshot, 'duration' | 'buffered'> & Partial<Pick<PlayerSnapshot, 'estimatedDuration'>>,
): number => positive(snapshot.duration ?? Math.max(snapshot.estimatedDuration ?? 0, snapshot.buffered));

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

export interface SeekSliderRefs {
  /** The <input type="range">. */
  inputRef: RefObject<HTMLInputElement | null>;
  /** The element that holds it: gets `--ek-progress` (0–1) in its style every frame. */
  rootRef: RefObject<HTMLElement | null>;
}

export interface SeekSlider {
  /** `--ek-buffered` (0–1) for the root's style. */
  rootStyle: CSSProperties;
  /** A pointer is dragging the slider (the audio is paused meanwhile). */
  scrubbing: boolean;
  /** Spread on the <input> (which takes `inputRef`). */
  inputProps: {
    type: 'range';
    min: number;
    max: number;
    step: 'any';
    defaultValue: number;
    disabled: boolean;
    onChange: (event: ChangeEvent<HTMLInputElement>) => void;
    onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
    onPointerDown: (event: PointerEvent<HTMLInputElement>) => void;
    onPointerMove: (event: PointerEvent<HTMLInputElement>) => void;
  };
}

export function useSeekSlider(
  player: SpeechPlayerApi,
  { inputRef, rootRef }: SeekSliderRefs,
  options: SeekSliderOptions = {},
  /** The slider's length (the waveform, whose bars span what has arrived, passes `seekableLength`). */
  lengthOf: (snapshot: PlayerSnapshot) => number = trackLength,
): SeekSlider {
  const { step = 5, pageStep = 30, formatValueText = formatSeekValueText } = options;
  const max = usePlayerSelector(player, lengthOf);
  const buffered = usePlayerSelector(player, (s) => s.buffered);
  const [scrubbing, setScrubbing] = useState(false);
  const scrub = useRef<{ wasPlaying: boolean; end: () => void } | null>(null);

  const show = useCallback(
    (time: number, snapshot: PlayerSnapshot, writeValue: boolean) => {
      const length = lengthOf(snapshot);
      const current = clamp(time, 0, length);
      const node = inputRef.current;
      if (node) {
        if (writeValue && Number(node.value) !== current) node.value = String(current);
        const text = formatValueText(current, length, snapshot.complete, snapshot.buffered);
        if (node.getAttribute('aria-valuetext') !== text) node.setAttribute('aria-valuetext', text);
      }
      const progress = String(length > 0 ? Math.round((current / length) * 10000) / 10000 : 0);
      if (rootRef.current && rootRef.current.style.getPropertyValue('--ek-progress') !== progress) {
        rootRef.current.style.setProperty('--ek-progress', progress);
      }
    },
    [formatValueText, inputRef, rootRef, lengthOf],
  );

  // While the pointer drags, the thumb is where the pointer is; the position still updates the spoken value.
  usePlayerFrame(player, (time, snapshot) => show(time, snapshot, !scrub.current));

  const seekTo = (time: number) => {
    // Not past what has arrived (the player would clamp it too): the thumb stays where the audio is.
    const target = clamp(time, 0, seekableLength(player.getSnapshot()));
    player.seek(target);
    show(target, player.getSnapshot(), true);
    requestPlayerFrame(player);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const now = player.getCurrentTime();
    const moves: Record<string, number> = {
      ArrowRight: now + step,
      ArrowUp: now + step,
      ArrowLeft: now - step,
      ArrowDown: now - step,
      PageUp: now + pageStep,
      PageDown: now - pageStep,
      Home: 0,
      End: Infinity,
    };
    if (!(event.key in moves) || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    seekTo(moves[event.key]!);
  };

  const endScrub = useCallback(() => {
    const current = scrub.current;
    if (!current) return;
    scrub.current = null;
    window.removeEventListener('pointerup', current.end);
    window.removeEventListener('pointercancel', current.end);
    setScrubbing(false);
    if (current.wasPlaying) void player.play();
    requestPlayerFrame(player);
  }, [player]);

  /** The time under the pointer (the track runs right to left in RTL text). */
  const timeAt = (event: PointerEvent<HTMLInputElement>): number | null => {
    const node = event.currentTarget;
    const box = node.getBoundingClientRect();
    if (!box.width) return null;
    let fraction = clamp((event.clientX - box.left) / box.width, 0, 1);
    if (getComputedStyle(node).direction === 'rtl') fraction = 1 - fraction;
    return fraction * lengthOf(player.getSnapshot());
  };

  // The pointer is handled here rather than by the browser's range: the same mapping from position to time in
  // every browser, for click, drag and touch alike.
  const onPointerDown = (event: PointerEvent<HTMLInputElement>) => {
    if (event.button !== 0 || scrub.current || event.currentTarget.disabled) return;
    event.preventDefault();
    event.currentTarget.focus();
    try {
      event.currentTarget.setPointerCapture?.(event.pointerId);
    } catch {
      // a synthetic pointer has no capture
    }
    const wasPlaying = ['playing', 'buffering'].includes(player.getSnapshot().status);
    if (wasPlaying) player.pause();
    scrub.current = { wasPlaying, end: endScrub };
    window.addEventListener('pointerup', endScrub);
    window.addEventListener('pointercancel', endScrub);
    setScrubbing(true);
    const time = timeAt(event);
    if (time !== null) seekTo(time);
  };

  const onPointerMove = (event: PointerEvent<HTMLInputElement>) => {
    if (!scrub.current) return;
    const time = timeAt(event);
    if (time !== null) seekTo(time);
  };

  // Unmounted mid-drag: stop listening (and do not restart audio that is going away).
  useEffect(
    () => () => {
      const current = scrub.current;
      if (!current) return;
      window.removeEventListener('pointerup', current.end);
      window.removeEventListener('pointercancel', current.end);
      scrub.current = null;
    },
    [],
  );

  return {
    rootStyle: { '--ek-buffered': max > 0 ? clamp(buffered / max, 0, 1) : 0 } as CSSProperties,
    scrubbing,
    inputProps: {
      type: 'range',
      min: 0,
      max,
      step: 'any',
      defaultValue: 0,
      disabled: max <= 0,
      onChange: (event) => seekTo(Number(event.currentTarget.value)),
      onKeyDown,
      onPointerDown,
      onPointerMove,
    },
  };
}
