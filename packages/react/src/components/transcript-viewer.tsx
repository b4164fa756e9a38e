// <TranscriptViewer>: the words being spoken, each marked spoken / current / unspoken as the audio plays. It
// re-renders when the active word changes (a few times a second), not per frame; only changed words re-render.
import type { PlayerStatus, SpeechPlayerApi, TimedWord } from '@elevenkit/core';
import {
  Fragment,
  memo,
  useEffect,
  useId,
  useRef,
  useState,
  type ComponentPropsWithoutRef,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { classNames } from './compose.ts';
import { requestPlayerFrame } from './frame-clock.ts';
import { useResolvedPlayer, usePlayerSelector } from './player-context.ts';
import { visuallyHidden } from './visually-hidden.ts';

export type WordStatus = 'spoken' | 'current' | 'unspoken';

export interface WordProgress {
  /** The word being spoken, -1 when none (before the first, between words, after the end). */
  current: number;
  /** Words before this index have been spoken. */
  spoken: number;
}

/**
 * Where the reading is: after the end, everything spoken; otherwise the player's active word when there is one, and
 * without one (before the first word, or a player that reports none between words) the words that ended by `time`.
 */
export function wordProgress(
  words: readonly TimedWord[],
  activeWord: number,
  status: PlayerStatus,
  time: () => number,
): WordProgress {
  if (status === 'ended') return { current: -1, spoken: words.length };
  if (activeWord >= 0 && activeWord < words.length) return { current: activeWord, spoken: activeWord };
  if (!words.length) return { current: -1, spoken: 0 };
  const now = time();
  let low = 0;
  let high = words.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (words[middle]!.end <= now) low = middle + 1;
    else high = middle;
  }
  return { current: -1, spoken: low };
}

/** How far past a word's start `seekToWordStart` may go (never past the word's middle). */
const MAX_WORD_NUDGE = 0.08;

/**
 * Seeks to a word so that the player then names it the current word. Its start is the natural target, but a media
 * clock reads back a hair before the time it was given (0.84 → 0.8399993), and a player whose audio lags its
 * alignment may still name the word before. Steps in by 10 ms up to 80 ms (never past the word's middle) until it
 * names this one. With a player that sets `activeWord` later than `seek` returns, that ends 80 ms into the word.
 */
export function seekToWordStart(player: SpeechPlayerApi, words: readonly TimedWord[], index: number): void {
  const word = words[index];
  if (!word) return;
  player.seek(word.start);
  const limit = Math.min(MAX_WORD_NUDGE, (word.end - word.start) / 2);
  for (let step = 1; step * 0.01 <= limit + 1e-9 && player.getSnapshot().activeWord < index; step++) {
    player.seek(word.start + step * 0.01);
  }
}

const statusOf = (index: number, progress: WordProgress): WordStatus =>
  index === progress.current ? 'current' : index < progress.spoken ? 'spoken' : 'unspoken';

export interface TranscriptViewerProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'> {
  /** Default: the player of the nearest <AudioPlayer.Root>. */
  player?: SpeechPlayerApi;
  /** The group's accessible name (default "Transcript"). */
  label?: string;
  /** Clicking a word (or Enter / Space on it) plays from it (default true). */
  seekOnClick?: boolean;
  /**
   * Keeps the current word in view when the viewer scrolls (give it a height). Pauses for a few seconds after the
   * reader scrolls by hand; scrolls without animation under `prefers-reduced-motion`. Default false.
   */
  autoScroll?: boolean;
  /** A word's content (default its text). The word's element keeps `data-status` and the click handling. */
  renderWord?: (word: TimedWord, state: { index: number; status: WordStatus }) => ReactNode;
  /** Shown before any word has arrived. */
  placeholder?: ReactNode;
  /** Read by screen readers on entering the transcript, when words can be clicked. */
  hint?: string;
}

interface WordProps {
  word: TimedWord;
  index: number;
  status: WordStatus;
  /** Keyboard focus stops here (one word per transcript: the others are reached with the arrow keys). */
  tabStop: boolean | null;
  renderWord: TranscriptViewerProps['renderWord'];
}

const Word = memo(function Word({ word, index, status, tabStop, renderWord }: WordProps) {
  return (
    <span
      className="ek-word"
      data-index={index}
      data-status={status}
      aria-current={status === 'current' ? 'true' : undefined}
      tabIndex={tabStop === null ? undefined : tabStop ? 0 : -1}
    >
      {renderWord ? renderWord(word, { index, status }) : word.text}
    </span>
  );
});

const USER_SCROLL_PAUSE_MS = 4000;
const SCROLL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', ' ']);

/**
 * The transcript of what the player speaks. Each word is a `span.ek-word` with `data-status` (`spoken`, `current`,
 * `unspoken`) and `aria-current` on the current one. With `seekOnClick`, words are one tab stop: the arrow keys
 * move between words, Home / End to the first / last, Enter or Space plays from the focused word.
 */
export function TranscriptViewer({
  player: playerProp,
  label = 'Transcript',
  seekOnClick = true,
  autoScroll = false,
  renderWord,
  placeholder = null,
  hint = 'Press Enter on a word to play from there. Use the arrow keys to move between words.',
  onClick,
  onKeyDown,
  onFocus,
  onBlur,
  ...rest
}: TranscriptViewerProps) {
  const player = useResolvedPlayer(playerProp, 'TranscriptViewer');
  const words = usePlayerSelector(player, (s) => s.words);
  const activeWord = usePlayerSelector(player, (s) => s.activeWord);
  const status = usePlayerSelector(player, (s) => s.status);
  const progress = wordProgress(words, activeWord, status, () => player.getCurrentTime());
  const currentWord = progress.current;
  const [focused, setFocused] = useState<number | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const userScrolledAt = useRef(-Infinity);
  const hintId = useId();

  const last = words.length - 1;
  const tabStop = Math.min(focused ?? (currentWord >= 0 ? currentWord : Math.min(progress.spoken, last)), last);

  const indexOf = (target: EventTarget | null): number | null => {
    const element = target instanceof Element ? target.closest<HTMLElement>('[data-index]') : null;
    if (!element || !root.current?.contains(element)) return null;
    const index = Number(element.dataset.index);
    return Number.isInteger(index) && index >= 0 && index < words.length ? index : null;
  };

  const seekToWord = (index: number) => {
    seekToWordStart(player, words, index);
    requestPlayerFrame(player);
  };

  const focusWord = (index: number) => {
    setFocused(index);
    root.current?.querySelector<HTMLElement>(`[data-index="${index}"]`)?.focus();
  };

  const handleKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (SCROLL_KEYS.has(event.key)) userScrolledAt.current = performance.now();
    if (!seekOnClick || event.altKey || event.ctrlKey || event.metaKey) return;
    const index = indexOf(event.target);
    if (index === null) return;
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: last };
    if (event.key in moves) {
      event.preventDefault();
      focusWord(Math.min(Math.max(moves[event.key]!, 0), last));
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      seekToWord(index);
    }
  };

  const handleClick = (event: MouseEvent<HTMLDivElement>) => {
    if (!seekOnClick) return;
    const index = indexOf(event.target);
    if (index !== null) seekToWord(index);
  };

  const handleFocus = (event: FocusEvent<HTMLDivElement>) => {
    const index = indexOf(event.target);
    if (index !== null) setFocused(index);
  };

  const handleBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (!root.current?.contains(event.relatedTarget as Node | null)) setFocused(null);
  };

  // The reader scrolling by hand pauses auto-scroll for a while.
  useEffect(() => {
    const node = root.current;
    if (!node || !autoScroll) return;
    const scrolled = () => void (userScrolledAt.current = performance.now());
    node.addEventListener('wheel', scrolled, { passive: true });
    node.addEventListener('touchmove', scrolled, { passive: true });
    return () => {
      node.removeEventListener('wheel', scrolled);
      node.removeEventListener('touchmove', scrolled);
    };
  }, [autoScroll]);

  useEffect(() => {
    const node = root.current;
    if (!autoScroll || !node || currentWord < 0) return;
    if (performance.now() - userScrolledAt.current < USER_SCROLL_PAUSE_MS) return;
    if (node.scrollHeight <= node.clientHeight || typeof node.scrollTo !== 'function') return;
    const word = node.querySelector<HTMLElement>(`[data-index="${currentWord}"]`);
    if (!word) return;
    const view = node.getBoundingClientRect();
    const box = word.getBoundingClientRect();
    const margin = Math.min(view.height / 4, 48);
    if (box.top >= view.top + margin && box.bottom <= view.bottom - margin) return;
    const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    node.scrollTo({
      top: node.scrollTop + box.top - view.top - view.height / 3,
      behavior: reduced ? 'auto' : 'smooth',
    });
  }, [autoScroll, currentWord]);

  return (
    <div
      role="group"
      aria-label={label}
      aria-describedby={seekOnClick && words.length ? hintId : undefined}
      {...rest}
      ref={root}
      className={classNames('ek-transcript', rest.className)}
      data-state={status}
      data-seekable={seekOnClick ? '' : undefined}
      onClick={(event) => {
        onClick?.(event);
        if (!event.defaultPrevented) handleClick(event);
      }}
      onKeyDown={(event) => {
        onKeyDown?.(event);
        if (!event.defaultPrevented) handleKey(event);
      }}
      onFocus={(event) => {
        onFocus?.(event);
        if (!event.defaultPrevented) handleFocus(event);
      }}
      onBlur={(event) => {
        onBlur?.(event);
        if (!event.defaultPrevented) handleBlur(event);
      }}
    >
      {words.length ? (
        <p className="ek-transcript-text">
          {words.map((word, index) => (
            <Fragment key={index}>
              {index > 0 && ' '}
              <Word
                word={word}
                index={index}
                status={statusOf(index, progress)}
                tabStop={seekOnClick ? index === tabStop : null}
                renderWord={renderWord}
              />
            </Fragment>
          ))}
        </p>
      ) : (
        placeholder !== null && <p className="ek-transcript-placeholder">{placeholder}</p>
      )}
      {seekOnClick && words.length > 0 && (
        <span id={hintId} style={visuallyHidden}>
          {hint}
        </span>
      )}
    </div>
  );
}
