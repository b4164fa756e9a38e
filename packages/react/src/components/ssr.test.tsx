// @vitest-environment node
// Every component renders on a server (no window, document or requestAnimationFrame) from the player's snapshot.
import type { TimedWord } from '@elevenkit/core';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  AudioPlayer,
  LevelMeter,
  LiveWaveform,
  MicSelector,
  Recorder,
  SpeechInput,
  TranscriptViewer,
  Waveform,
} from './index.ts';
import { TestPlayer } from './test-player.ts';
import { TestRecorder } from './test-recorder.ts';
import { useRecorder } from '../use-recorder.ts';
import { useMediaDevices } from '../use-media-devices.ts';

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

  it('renders the recorder, its visualizers and the microphone list, with a real Recorder from the hook', () => {
    function Kit() {
      const { recorder } = useRecorder();
      const devices = useMediaDevices();
      return (
        <Recorder.Root recorder={recorder}>
          <Recorder.RecordButton />
          <Recorder.PauseButton />
          <Recorder.StopButton />
          <Recorder.CancelButton />
          <Recorder.Timer />
          <Recorder.LevelMeter />
          <Recorder.LiveWaveform />
          <Recorder.MicSelector devices={devices.store ?? undefined} />
          <Recorder.Status />
          <Recorder.Playback />
        </Recorder.Root>
      );
    }
    const html = renderToString(<Kit />);
    expect(html).toContain('aria-label="Recorder"');
    expect(html).toContain('aria-label="Record"');
    expect(html).toContain('aria-label="Stop recording"');
    expect(html).toContain('role="meter"');
    expect(html).toContain('System default');
    expect(html).toContain('0:00');
  });

  it('renders a stopped take and an error', () => {
    const take = { blob: new Blob(), mimeType: 'audio/wav', duration: 4 };
    const stopped = new TestRecorder({ status: 'stopped', take, stopReason: 'user' });
    const html = renderToString(
      <Recorder.Root recorder={stopped}>
        <Recorder.RecordButton />
        <Recorder.Status />
        <Recorder.Playback />
      </Recorder.Root>,
    );
    expect(html).toContain('aria-label="Record again"');
    expect(html).toContain('4 seconds recorded.');
    expect(html).toContain('aria-label="Your recording"');
    const failed = new TestRecorder({ status: 'error', error: { reason: 'denied', message: '' } });
    const error = renderToString(
      <>
        <Recorder.Status recorder={failed} />
        <LevelMeter source={null} />
        <LiveWaveform source={null} label="Voice" />
        <MicSelector recorder={failed} />
      </>,
    );
    expect(error).toContain('Allow it in the browser’s site settings');
  });
});
