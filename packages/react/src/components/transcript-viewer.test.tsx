// TranscriptViewer in jsdom: word states from the player's snapshot, click and keyboard seeking, one tab stop.
import type { TimedWord } from '@elevenkit/core';
import { act } from 'react';
import { cleanup, render } from './test-render.tsx';
import { afterEach, describe, expect, it } from 'vitest';
import { TestPlayer } from './test-player.ts';
import { TranscriptViewer, wordProgress } from './transcript-viewer.tsx';

const WORDS: TimedWord[] = [
  { text: 'The', start: 0, end: 0.2 },
  { text: 'quick', start: 0.3, end: 0.6 },
  { text: 'brown', start: 0.7, end: 1 },
  { text: 'fox.', start: 1.1, end: 1.5 },
];

afterEach(() => {
  cleanup();
});

const words = (page: HTMLElement) => [...page.querySelectorAll<HTMLElement>('.ek-word')];
const statuses = (page: HTMLElement) => words(page).map((word) => word.dataset.status);
const key = (target: HTMLElement, key: string) =>
  act(() => void target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })));

describe('wordProgress', () => {
  const at = (time: number) => () => time;
  it('follows the active word', () => {
    expect(wordProgress(WORDS, 2, 'playing', at(0.8))).toEqual({ current: 2, spoken: 2 });
  });
  it('between words and after seeks, counts the words that have ended', () => {
    expect(wordProgress(WORDS, -1, 'playing', at(0.65))).toEqual({ current: -1, spoken: 2 });
    expect(wordProgress(WORDS, -1, 'paused', at(0))).toEqual({ current: -1, spoken: 0 });
  });
  it('after the end, all spoken (the active word stays on the last)', () => {
    expect(wordProgress(WORDS, -1, 'ended', at(0))).toEqual({ current: -1, spoken: 4 });
    expect(wordProgress(WORDS, 3, 'ended', at(1.5))).toEqual({ current: -1, spoken: 4 });
  });
});

describe('TranscriptViewer', () => {
  it('marks words spoken, current and unspoken as the active word moves', () => {
    const player = TestPlayer.loaded(1.5, WORDS);
    const page = render(<TranscriptViewer player={player} />);
    expect(page.querySelector('[role="group"]')?.getAttribute('aria-label')).toBe('Transcript');
    expect(words(page).map((word) => word.textContent)).toEqual(['The', 'quick', 'brown', 'fox.']);
    expect(page.querySelector('.ek-transcript-text')?.textContent).toBe('The quick brown fox.');
    expect(statuses(page)).toEqual(['unspoken', 'unspoken', 'unspoken', 'unspoken']);

    act(() => player.set({ status: 'playing', activeWord: 1 }));
    expect(statuses(page)).toEqual(['spoken', 'current', 'unspoken', 'unspoken']);
    expect(words(page)[1]!.getAttribute('aria-current')).toBe('true');
    expect(words(page)[0]!.hasAttribute('aria-current')).toBe(false);

    player.time = 0.65; // a pause between "quick" and "brown"
    act(() => player.set({ activeWord: -1 }));
    expect(statuses(page)).toEqual(['spoken', 'spoken', 'unspoken', 'unspoken']);

    act(() => player.set({ status: 'ended' }));
    expect(statuses(page)).toEqual(['spoken', 'spoken', 'spoken', 'spoken']);
  });

  it('shows words as they arrive, and a placeholder before', () => {
    const player = new TestPlayer({ status: 'loading' });
    const page = render(<TranscriptViewer player={player} placeholder="Waiting for the words…" />);
    expect(page.textContent).toBe('Waiting for the words…');
    act(() => player.set({ words: WORDS.slice(0, 2) }));
    expect(words(page)).toHaveLength(2);
    act(() => player.set({ words: WORDS }));
    expect(words(page)).toHaveLength(4);
  });

  it('clicking a word seeks to its start, and it becomes the current word', () => {
    const player = TestPlayer.loaded(1.5, WORDS);
    const page = render(<TranscriptViewer player={player} />);
    act(() => words(page)[2]!.click());
    expect(player.calls).toEqual([['seek', 0.7]]);
    expect(statuses(page)).toEqual(['spoken', 'spoken', 'current', 'unspoken']);
  });

  it('when the audio lags the words, steps just far enough into the word for the player to name it', () => {
    const player = TestPlayer.loaded(1.5, WORDS);
    player.lag = 0.025;
    const page = render(<TranscriptViewer player={player} />);
    act(() => words(page)[2]!.click());
    expect(player.calls.map(([, time]) => Number((time as number).toFixed(3)))).toEqual([0.7, 0.71, 0.72, 0.73]);
    expect(statuses(page)[2]).toBe('current');
    // Never past 80 ms, nor the word's middle.
    player.lag = 1;
    player.calls.length = 0;
    act(() => words(page)[1]!.click());
    expect(player.calls.at(-1)![1]).toBeCloseTo(0.38);
  });

  it('is one tab stop; arrows, Home and End move between words; Enter and Space seek', () => {
    const player = TestPlayer.loaded(1.5, WORDS);
    player.set({ status: 'playing', activeWord: 1 });
    const page = render(<TranscriptViewer player={player} />);
    const tabbable = () => words(page).filter((word) => word.tabIndex === 0);
    expect(tabbable()).toEqual([words(page)[1]]); // the current word
    expect(words(page).filter((word) => word.tabIndex === -1)).toHaveLength(3);

    act(() => words(page)[1]!.focus());
    key(words(page)[1]!, 'ArrowRight');
    expect(document.activeElement).toBe(words(page)[2]);
    expect(tabbable()).toEqual([words(page)[2]]);
    key(words(page)[2]!, 'Enter');
    expect(player.calls.at(-1)).toEqual(['seek', 0.7]);
    key(words(page)[2]!, 'End');
    expect(document.activeElement).toBe(words(page)[3]);
    key(words(page)[3]!, 'ArrowRight'); // stays on the last
    expect(document.activeElement).toBe(words(page)[3]);
    key(words(page)[3]!, 'Home');
    expect(document.activeElement).toBe(words(page)[0]);
    key(words(page)[0]!, ' ');
    expect(player.calls.at(-1)).toEqual(['seek', 0]);
    key(words(page)[0]!, 'ArrowLeft');
    expect(document.activeElement).toBe(words(page)[0]);
  });

  it('describes how to use the words to screen readers', () => {
    const page = render(<TranscriptViewer player={TestPlayer.loaded(1.5, WORDS)} />);
    const group = page.querySelector('[role="group"]')!;
    const hint = document.getElementById(group.getAttribute('aria-describedby')!);
    expect(hint?.textContent).toMatch(/Press Enter on a word to play from there/);
  });

  it('without seekOnClick: plain text, no tab stops, clicks do nothing', () => {
    const player = TestPlayer.loaded(1.5, WORDS);
    const page = render(<TranscriptViewer player={player} seekOnClick={false} />);
    expect(words(page).some((word) => word.hasAttribute('tabindex'))).toBe(false);
    expect(page.querySelector('[role="group"]')?.hasAttribute('aria-describedby')).toBe(false);
    act(() => words(page)[2]!.click());
    expect(player.calls).toEqual([]);
  });

  it('renders words through renderWord, keeping their state', () => {
    const player = TestPlayer.loaded(1.5, WORDS);
    player.set({ activeWord: 0 });
    const page = render(
      <TranscriptViewer player={player} renderWord={(word, { status }) => <b>{`${word.text}:${status}`}</b>} />,
    );
    expect(words(page)[0]!.innerHTML).toBe('<b>The:current</b>');
    expect(words(page)[0]!.dataset.status).toBe('current');
  });

  it('auto-scrolls the current word into view', () => {
    const player = TestPlayer.loaded(1.5, WORDS);
    const page = render(<TranscriptViewer player={player} autoScroll />);
    const viewer = page.querySelector<HTMLElement>('.ek-transcript')!;
    const scrolls: ScrollToOptions[] = [];
    Object.defineProperties(viewer, {
      scrollHeight: { value: 400 },
      clientHeight: { value: 100 },
      scrollTo: { value: (options: ScrollToOptions) => scrolls.push(options) },
      getBoundingClientRect: { value: () => ({ top: 0, bottom: 100, height: 100 }) },
    });
    const word = words(page)[3]!;
    Object.defineProperty(word, 'getBoundingClientRect', { value: () => ({ top: 250, bottom: 270, height: 20 }) });
    act(() => player.set({ status: 'playing', activeWord: 3 }));
    expect(scrolls).toHaveLength(1);
    expect(scrolls[0]!.top).toBeCloseTo(250 - 100 / 3);
  });
});
