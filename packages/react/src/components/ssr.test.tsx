// @vitest-environment node
// Every component renders on a server (no window, document or requestAnimationFrame) from the player's snapshot.
import type { TimedWord } from '@elevenkit/core';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AudioPlayer, SpeechInput, TranscriptViewer, Waveform } from './index.ts';
import { TestPlayer } from './test-player.ts';

const words: TimedWord[] = [
  { text: 'Hello', start: 0, end: 0.4 },
  { text: 'world.', start: 0.5, end: 1 },
];

describe('server rendering', () => {
  it('has no browser globals here', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  it('renders the player, transcript and waveform', () => {
    const player = TestPlayer.loaded(65, words);
    const html = renderToString(
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
        <Waveform />
        <TranscriptViewer />
      </AudioPlayer.Root>,
    );
    expect(html).toContain('aria-label="Play"');
    expect(html).toContain('aria-label="Seek"');
    expect(html).toContain('1:05');
    expect(html).toContain('data-status="unspoken"');
    expect(html).toContain('Hello');
    expect(html).toContain('aria-label="Seek in waveform"');
  });

  it('renders the dictation field, idle, with its value', () => {
    const html = renderToString(<SpeechInput label="Message" defaultValue="Hi there" />);
    expect(html).toContain('value="Hi there"');
    expect(html).toContain('aria-label="Dictate"');
    expect(html).toContain('aria-pressed="false"');
    expect(html).toContain('role="status"');
    expect(html).toContain('>Message</label>');
  });
});
