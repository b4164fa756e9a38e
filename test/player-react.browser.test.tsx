// The React hooks in Chromium against the emulator, through the default route (/api/elevenlabs/text-to-speech, here
// the test proxy): a component that speaks and highlights renders only when the snapshot changes (state, arriving
// audio, the spoken word), never per frame; StrictMode requests the text once.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import type { SpeechPlayer } from '../packages/core/src/index.ts';
import { useSpeech, useWordTimeline } from '../packages/react/src/index.ts';
import { expectedWords, until, VOICE } from './player-helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function mount(text: string, strict: boolean) {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  const seen = { renders: 0, player: null as SpeechPlayer | null };
  function Reader() {
    seen.renders++;
    const { player, snapshot } = useSpeech({
      text,
      voiceId: VOICE,
      modelId: 'eleven_flash_v2_5',
      outputFormat: 'pcm_16000',
    });
    const { words, activeWord } = useWordTimeline(player);
    seen.player = player;
    return (
      <p data-status={snapshot.status}>
        {words.map((word, i) => (
          <span key={i} data-active={i === activeWord || undefined}>
            {word.text}{' '}
          </span>
        ))}
      </p>
    );
  }
  root.render(
    strict ? (
      <StrictMode>
        <Reader />
      </StrictMode>
    ) : (
      <Reader />
    ),
  );
  cleanups.push(() => {
    root.unmount();
    host.remove();
  });
  return { host, seen };
}

const waitFor = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe('useSpeech + useWordTimeline', () => {
  it('render on state and word changes only, not per frame', async () => {
    const text = 'Renders follow words, not frames.';
    const { host, seen } = mount(text, false);
    await waitFor(() => seen.player !== null, 'the player');
    const player = seen.player!;
    let changes = 0;
    player.subscribe(() => changes++);
    const rendersBefore = seen.renders;
    // Frame by frame: did the time a UI reads move, and did React render since the frame before? Counted per frame,
    // not per second, so a busy machine drawing fewer frames changes both sides alike.
    let frames = 0;
    let moved = 0;
    let movedWithoutRender = 0;
    let counting = true;
    let last = { time: player.getCurrentTime(), renders: seen.renders };
    const count = () => {
      frames++;
      const time = player.getCurrentTime();
      if (time !== last.time) {
        moved++;
        if (seen.renders === last.renders) movedWithoutRender++;
      }
      last = { time, renders: seen.renders };
      if (counting) requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
    const highlighted: string[] = [];
    const observer = new MutationObserver(() => {
      const active = host.querySelector('[data-active]')?.textContent?.trim();
      if (active && highlighted.at(-1) !== active) highlighted.push(active);
    });
    observer.observe(host, { subtree: true, attributes: true, childList: true });
    await until(player, (s) => s.status === 'ended', 'the end');
    counting = false;
    observer.disconnect();

    const renders = seen.renders - rendersBefore;
    const counts = `renders ${renders}, snapshot changes ${changes}, animation frames ${frames}, the time moved in ${moved} (${movedWithoutRender} without a render)`;
    console.log(counts);
    expect(renders, counts).toBeLessThanOrEqual(changes);
    // Most frames that moved the time had no render: the time is read per frame, it is not React state.
    expect(movedWithoutRender, counts).toBeGreaterThan(2 * renders);
    // The page showed each word as it was spoken, in order. A word whose alignment is split across two chunks shows
    // its first part while the rest is on its way (seen when a busy machine plays up to the end of a chunk first).
    const whole = highlighted.filter((word, i) => !highlighted[i + 1]?.startsWith(word));
    expect(whole).toEqual(expectedWords(text).words.map((w) => w.text));
    expect(host.querySelector('p')!.dataset.status).toBe('ended');
  });

  it('requests the text once under StrictMode, and stops it on unmount', async () => {
    const text = 'Strict mode asks once.';
    const before = (await commands.ttsRecords()).length;
    const { seen } = mount(text, true);
    await waitFor(() => seen.player?.getSnapshot().status === 'playing', 'playing');
    const records = (await commands.ttsRecords()).slice(before).filter((r) => r.text === text);
    expect(records).toHaveLength(1);
    cleanups.pop()!();
    expect(seen.player!.getSnapshot().status).toBe('idle');
  });
});
