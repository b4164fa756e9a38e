// Waveform in jsdom: a seek slider over the bars (same keys and spoken value as the scrub bar), peaks asked for
// by bar count, progress as a custom property. Drawing itself is seen in the stories, in Chromium.
import { act } from 'react';
import { cleanup, render } from './test-render.tsx';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TestPlayer } from './test-player.ts';
import { Waveform } from './waveform.tsx';

// jsdom has no 2D canvas; drawing is checked in Chromium by the stories.
beforeEach(() => void vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null));

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

const frame = () => act(() => new Promise((resolve) => setTimeout(resolve, 40)));
const key = (target: HTMLElement, key: string) =>
  act(() => void target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })));

describe('Waveform', () => {
  it('is a named seek slider over decorative canvases', async () => {
    const player = TestPlayer.loaded(20);
    player.time = 5;
    const page = render(<Waveform player={player} />);
    const input = page.querySelector<HTMLInputElement>('input[type="range"]')!;
    expect(input.getAttribute('aria-label')).toBe('Seek in waveform');
    expect(input.max).toBe('20');
    expect([...page.querySelectorAll('canvas')].every((canvas) => canvas.getAttribute('aria-hidden') === 'true')).toBe(
      true,
    );
    await frame();
    expect(input.getAttribute('aria-valuetext')).toBe('5 seconds of 20 seconds');
    expect(page.querySelector<HTMLElement>('.ek-waveform')!.style.getPropertyValue('--ek-progress')).toBe('0.25');
    key(input, 'ArrowRight');
    key(input, 'Home');
    expect(player.calls).toEqual([
      ['seek', 10],
      ['seek', 0],
    ]);
  });

  it('asks the player for one peak per bar that fits, and again as audio arrives', () => {
    const player = new TestPlayer({ status: 'playing', buffered: 1 });
    const counts: number[] = [];
    player.peaks = (count) => (counts.push(count), new Float32Array(count));
    const page = render(<Waveform player={player} barWidth={4} barGap={1} />);
    const canvas = page.querySelector('canvas')!;
    Object.defineProperty(canvas, 'clientWidth', { value: 99 });
    Object.defineProperty(canvas, 'clientHeight', { value: 40 });
    act(() => player.set({ buffered: 2 }));
    expect(counts.at(-1)).toBe(20); // (99 + 1) / (4 + 1)
    const before = counts.length;
    act(() => player.set({ buffered: 3, complete: true, duration: 3 }));
    expect(counts.length).toBeGreaterThan(before);
  });

  it('without seekable: decorative, no slider', () => {
    const page = render(<Waveform player={TestPlayer.loaded(3)} seekable={false} />);
    expect(page.querySelector('input')).toBeNull();
  });
});
