// Keyboard and ARIA behaviour of the player's parts in jsdom, given a player in each state (TestPlayer). Playback
// itself is tested in the stories, against the real SpeechPlayer and the emulator.
import { act } from 'react';
import { cleanup, render } from './test-render.tsx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AudioPlayer } from './audio-player.tsx';
import { TestPlayer } from './test-player.ts';

/** Lets the frame clock run (jsdom's requestAnimationFrame is a timer). */
const frame = () => act(() => new Promise((resolve) => setTimeout(resolve, 40)));

afterEach(() => {
  cleanup();
});

const byLabel = <T extends HTMLElement>(container: HTMLElement, name: string) => {
  const found = container.querySelector<T>(`[aria-label="${name}"]`);
  if (!found) throw new Error(`Nothing is named ${name}`);
  return found;
};

const key = (target: HTMLElement, key: string) =>
  act(() => void target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })));

function Player({ player }: { player: TestPlayer }) {
  return (
    <AudioPlayer.Root player={player}>
      <AudioPlayer.PlayButton />
      <AudioPlayer.Time />
      <AudioPlayer.ScrubBar />
      <AudioPlayer.Duration />
      <AudioPlayer.Rate />
      <AudioPlayer.Mute />
      <AudioPlayer.Volume />
      <AudioPlayer.Download />
      <AudioPlayer.Status />
    </AudioPlayer.Root>
  );
}

describe('AudioPlayer', () => {
  it('names the group and its controls', () => {
    const page = render(<Player player={TestPlayer.loaded(62)} />);
    expect(page.querySelector('[role="group"]')?.getAttribute('aria-label')).toBe('Audio player');
    for (const name of ['Play', 'Seek', 'Playback speed', 'Mute', 'Volume', 'Download audio']) byLabel(page, name);
  });

  it('play button: its name says what a press does, in every state', () => {
    const player = new TestPlayer();
    const page = render(<Player player={player} />);
    const button = () => page.querySelector<HTMLButtonElement>('.ek-play-button')!;
    expect(button().disabled).toBe(true); // idle: nothing to play
    expect(button().getAttribute('aria-label')).toBe('Play');

    act(() => player.set({ status: 'paused', buffered: 3, duration: 3, complete: true }));
    expect(button().disabled).toBe(false);
    act(() => button().click());
    expect(player.calls).toContainEqual(['play']);
    expect(button().getAttribute('aria-label')).toBe('Pause');
    expect(button().dataset.state).toBe('playing');

    act(() => button().click());
    expect(player.calls.at(-1)).toEqual(['pause']);
    expect(button().getAttribute('aria-label')).toBe('Play');

    act(() => player.set({ status: 'ended' }));
    expect(button().getAttribute('aria-label')).toBe('Replay');
    act(() => button().click());
    expect(player.calls.slice(-2)).toEqual([['seek', 0], ['play']]);

    act(() => player.set({ status: 'needs-user-gesture' }));
    expect(button().getAttribute('aria-label')).toBe('Play');
    act(() => button().click());
    expect(player.calls.at(-1)).toEqual(['unlock']);

    // Loading: a press pauses a player that will start by itself, and plays one that waits (autoplay off).
    act(() => player.set({ status: 'loading', playWhenReady: true }));
    expect(button().getAttribute('aria-label')).toBe('Pause');
    act(() => player.set({ status: 'loading', playWhenReady: false }));
    expect(button().getAttribute('aria-label')).toBe('Play');
    act(() => button().click());
    expect(player.calls.at(-1)).toEqual(['play']);

    // An error retry() may get past: "Try again"; any other error: nothing to press.
    const dropped = { code: 'network', message: 'The connection dropped.' } as const;
    act(() => player.set({ status: 'error', error: dropped, canRetry: true }));
    expect(button().getAttribute('aria-label')).toBe('Try again');
    act(() => button().click());
    expect(player.calls.at(-1)).toEqual(['retry']);
    act(() => player.set({ status: 'error', error: { code: 'quota', message: 'Out of credits.' }, canRetry: false }));
    expect(button().disabled).toBe(true);
  });

  it('scrub bar: native range with a spoken value that follows the position', async () => {
    const player = TestPlayer.loaded(65);
    const page = render(<Player player={player} />);
    const seek = byLabel<HTMLInputElement>(page, 'Seek');
    expect(seek.type).toBe('range');
    expect(seek.min).toBe('0');
    expect(seek.max).toBe('65');
    await frame();
    expect(seek.getAttribute('aria-valuetext')).toBe('0 seconds of 1 minute, 5 seconds');
    player.time = 61.4;
    act(() => player.set({ status: 'playing' }));
    await frame();
    expect(seek.value).toBe('61.4');
    expect(seek.getAttribute('aria-valuetext')).toBe('1 minute, 1 second of 1 minute, 5 seconds');
    expect(page.querySelector('.ek-time')?.textContent).toBe('1:01');
    expect(page.querySelector('.ek-duration')?.textContent).toBe('1:05');
    expect(page.querySelector<HTMLElement>('.ek-scrub-bar')?.style.getPropertyValue('--ek-progress')).toBe('0.9446');
  });

  it('scrub bar: arrows, PageUp/PageDown, Home and End seek', async () => {
    const player = TestPlayer.loaded(100);
    player.time = 50;
    const page = render(<Player player={player} />);
    const seek = byLabel<HTMLInputElement>(page, 'Seek');
    const seeks = () => player.calls.filter(([name]) => name === 'seek').map(([, time]) => time);
    key(seek, 'ArrowRight');
    key(seek, 'ArrowUp');
    key(seek, 'ArrowLeft');
    key(seek, 'ArrowDown');
    key(seek, 'PageUp');
    key(seek, 'PageDown');
    key(seek, 'End');
    key(seek, 'Home');
    key(seek, 'ArrowLeft'); // at the start: stays there
    expect(seeks()).toEqual([55, 60, 55, 50, 80, 50, 100, 0, 0]);
    await frame();
    expect(seek.value).toBe('0');
    expect(seek.getAttribute('aria-valuetext')).toBe('0 seconds of 1 minute, 40 seconds');
  });

  it('scrub bar: custom steps and a translated value', async () => {
    const player = TestPlayer.loaded(30);
    const page = render(
      <AudioPlayer.ScrubBar
        player={player}
        label="Position"
        step={1}
        pageStep={10}
        formatValueText={(current, total) => `${Math.floor(current)} von ${total} Sekunden`}
      />,
    );
    const seek = byLabel<HTMLInputElement>(page, 'Position');
    key(seek, 'ArrowRight');
    key(seek, 'PageUp');
    expect(player.calls).toEqual([
      ['seek', 1],
      ['seek', 11],
    ]);
    await frame();
    expect(seek.getAttribute('aria-valuetext')).toBe('11 von 30 Sekunden');
  });

  it('scrub bar: while the audio streams, reaches what has arrived and says so', async () => {
    const player = new TestPlayer({ status: 'playing', buffered: 12.5 });
    player.time = 5;
    const page = render(<Player player={player} />);
    const seek = byLabel<HTMLInputElement>(page, 'Seek');
    expect(seek.max).toBe('12.5');
    await frame();
    expect(seek.getAttribute('aria-valuetext')).toBe('5 seconds of 12 seconds loaded so far');
    expect(page.querySelector('.ek-duration')?.textContent).toBe('--:--');
    key(seek, 'End');
    expect(player.calls.at(-1)).toEqual(['seek', 12.5]);
  });

  it('scrub bar: with an estimated length, shows how much of it has arrived, and seeks only within that', async () => {
    const player = new TestPlayer({ status: 'playing', buffered: 2, estimatedDuration: 8 });
    player.time = 1;
    const page = render(<Player player={player} />);
    const seek = byLabel<HTMLInputElement>(page, 'Seek');
    const bar = page.querySelector<HTMLElement>('.ek-scrub-bar')!;
    expect(seek.max).toBe('8');
    // A quarter has arrived: the buffered part is a quarter of the track (it was always full before).
    expect(bar.style.getPropertyValue('--ek-buffered')).toBe('0.25');
    await frame();
    expect(bar.style.getPropertyValue('--ek-progress')).toBe('0.125');
    expect(seek.getAttribute('aria-valuetext')).toBe('1 second of about 8 seconds, 2 seconds loaded');
    key(seek, 'End');
    expect(player.calls.at(-1)).toEqual(['seek', 2]);
    act(() => player.set({ buffered: 7.5, estimatedDuration: 7.5, duration: 7.5, complete: true }));
    expect(bar.style.getPropertyValue('--ek-buffered')).toBe('1');
  });

  it('duration: estimated while the audio streams in, exact once it has all arrived', () => {
    const player = new TestPlayer({ status: 'loading' });
    const page = render(<Player player={player} />);
    const duration = page.querySelector<HTMLElement>('.ek-duration')!;
    expect([duration.dataset.state, duration.textContent]).toEqual(['unknown', '--:--']);
    act(() => player.set({ status: 'playing', buffered: 2, estimatedDuration: 8.4 }));
    // "~0:08" on screen, "about 0:08" for a screen reader.
    expect([duration.dataset.state, duration.textContent]).toEqual(['estimated', '~about 0:08']);
    expect(duration.querySelector('[aria-hidden="true"]')?.textContent).toBe('~');
    act(() => player.set({ buffered: 7.9, estimatedDuration: 7.9, duration: 7.9, complete: true }));
    expect([duration.dataset.state, duration.textContent]).toEqual(['known', '0:07']);
  });

  it('scrub bar: disabled with nothing loaded', () => {
    const page = render(<Player player={new TestPlayer({ status: 'loading' })} />);
    expect(byLabel<HTMLInputElement>(page, 'Seek').disabled).toBe(true);
  });

  it('scrub bar: pressing seeks to the pointer, dragging follows it with the audio paused, release resumes', () => {
    const player = TestPlayer.loaded(10);
    player.set({ status: 'playing' });
    const page = render(<Player player={player} />);
    const seek = byLabel<HTMLInputElement>(page, 'Seek');
    seek.getBoundingClientRect = () => ({ left: 100, width: 200, top: 0, height: 20 }) as DOMRect;
    const pointer = (type: string, clientX: number, target: EventTarget = seek) =>
      act(
        () =>
          void target.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, button: 0, clientX })),
      );
    pointer('pointerdown', 150);
    expect(player.calls).toEqual([['pause'], ['seek', 2.5]]);
    expect(document.activeElement).toBe(seek);
    expect(seek.value).toBe('2.5');
    expect(page.querySelector('.ek-scrub-bar')?.hasAttribute('data-scrubbing')).toBe(true);
    pointer('pointermove', 260);
    pointer('pointermove', 400); // past the end
    expect(player.calls.slice(-2)).toEqual([
      ['seek', 8],
      ['seek', 10],
    ]);
    pointer('pointerup', 400, window);
    expect(player.calls.at(-1)).toEqual(['play']);
    expect(page.querySelector('.ek-scrub-bar')?.hasAttribute('data-scrubbing')).toBe(false);
    pointer('pointermove', 150); // not held: nothing
    expect(player.calls.at(-1)).toEqual(['play']);
  });

  it('scrub bar: a paused player stays paused after a drag', () => {
    const player = TestPlayer.loaded(10);
    const page = render(<Player player={player} />);
    const seek = byLabel<HTMLInputElement>(page, 'Seek');
    seek.getBoundingClientRect = () => ({ left: 0, width: 100, top: 0, height: 20 }) as DOMRect;
    act(() => void seek.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, button: 0, clientX: 30 })));
    act(() => void window.dispatchEvent(new PointerEvent('pointerup')));
    expect(player.calls).toEqual([['seek', 3]]);
  });

  it('rate, mute and volume drive the player', () => {
    const player = TestPlayer.loaded(10);
    const page = render(<Player player={player} />);
    const rate = byLabel<HTMLSelectElement>(page, 'Playback speed');
    expect([...rate.options].map((option) => option.text)).toEqual(['0.5×', '0.75×', '1×', '1.25×', '1.5×', '2×']);
    expect(rate.value).toBe('1');
    act(() => {
      rate.value = '1.5';
      rate.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(player.getSnapshot().rate).toBe(1.5);

    const mute = byLabel<HTMLButtonElement>(page, 'Mute');
    const volume = byLabel<HTMLInputElement>(page, 'Volume');
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    expect(volume.getAttribute('aria-valuetext')).toBe('100%');
    act(() => mute.click());
    expect(mute.getAttribute('aria-pressed')).toBe('true');
    expect(volume.getAttribute('aria-valuetext')).toBe('Muted');
    act(() => {
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setValue.call(volume, '0.4');
      volume.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(player.getSnapshot()).toMatchObject({ volume: 0.4, muted: false });
    expect(volume.getAttribute('aria-valuetext')).toBe('40%');
    key(volume, 'ArrowUp');
    expect(volume.getAttribute('aria-valuetext')).toBe('45%');
    key(volume, 'PageDown');
    expect(volume.getAttribute('aria-valuetext')).toBe('25%');
    key(volume, 'End');
    expect(volume.getAttribute('aria-valuetext')).toBe('100%');
    key(volume, 'Home');
    expect(player.getSnapshot().volume).toBe(0);
  });

  it('lists a rate that is not among the offered ones', () => {
    const player = TestPlayer.loaded(10);
    player.set({ rate: 1.1 });
    const page = render(<AudioPlayer.Rate player={player} rates={[1, 2]} />);
    expect([...page.querySelectorAll('option')].map((option) => option.value)).toEqual(['1', '1.1', '2']);
  });

  it('download: enabled once complete; saves the audio with a fitting name', () => {
    const player = new TestPlayer({ status: 'playing', buffered: 2 });
    player.blob = new Blob([new Uint8Array(8)], { type: 'audio/mpeg' });
    const page = render(<Player player={player} />);
    const download = byLabel<HTMLButtonElement>(page, 'Download audio');
    expect(download.disabled).toBe(true);
    act(() => player.set({ complete: true, duration: 2 }));
    expect(download.disabled).toBe(false);
    const createObjectURL = vi.fn(() => 'blob:speech');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    act(() => download.click());
    expect(createObjectURL).toHaveBeenCalledWith(player.blob);
    expect(clicked[0]?.download).toBe('speech.mp3');
    click.mockRestore();
  });

  it('status: words for each state, the typed error sentence, in a live region', () => {
    const player = new TestPlayer();
    const page = render(<AudioPlayer.Status player={player} />);
    const status = page.querySelector('[role="status"]')!;
    act(() => player.set({ status: 'loading' }));
    expect(status.textContent).toBe('Loading…');
    act(() => player.set({ status: 'needs-user-gesture' }));
    expect(status.textContent).toBe('Press play to hear the audio.');
    act(() =>
      player.set({
        status: 'error',
        error: { code: 'quota', message: 'Your ElevenLabs quota is used up.', status: 401 },
      }),
    );
    expect(status.textContent).toBe('Your ElevenLabs quota is used up.');
    expect(status.getAttribute('data-error')).toBe('quota');
  });

  it('a part without a player says what is missing', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<AudioPlayer.PlayButton />)).toThrow(/AudioPlayer.PlayButton> needs a player/);
    error.mockRestore();
  });

  it('stops its frame loop on unmount', async () => {
    const player = TestPlayer.loaded(5);
    player.set({ status: 'playing' });
    const getCurrentTime = vi.spyOn(player, 'getCurrentTime');
    render(<Player player={player} />);
    await frame();
    expect(getCurrentTime).toHaveBeenCalled();
    cleanup();
    getCurrentTime.mockClear();
    await frame();
    expect(getCurrentTime).not.toHaveBeenCalled();
  });
});
