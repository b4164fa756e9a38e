// <AudioPlayer.*> over a real SpeechPlayer speaking through the emulator on Storybook's server: every state a
// reader meets (idle, loading, buffering, playing, paused, ended, errors) and the controls (keyboard seeking,
// scrubbing, rate, volume, mute, download). Play functions check what a person (or a screen reader) would notice.
import { AudioPlayer, TranscriptViewer, Waveform, type AudioPlayerStatusMessages } from '@elevenkit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { Profiler, useId, useState, type CSSProperties, type FormEvent } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';
import {
  becomes,
  changes,
  emulatorSpeech,
  injectTtsFaults,
  SPEECH_DEFAULTS,
  strict,
  useStoryPlayer,
  useVoices,
  VOICES,
  type SpeechArgs,
} from './PlayerStorySupport.tsx';

interface PlayerStoryArgs extends SpeechArgs {
  /** Leave the player idle (nothing loaded). */
  idle: boolean;
}

/** Every part of the player, in one group. */
function Player({ idle, ...speech }: PlayerStoryArgs) {
  const player = useStoryPlayer(speech, { load: !idle });
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

const meta = {
  title: 'Player/AudioPlayer',
  component: Player,
  decorators: [strict],
  args: { ...SPEECH_DEFAULTS, idle: false },
  argTypes: {
    format: { control: 'select', options: ['mp3_44100_128', 'pcm_24000', 'pcm_16000', 'ulaw_8000'] },
    path: { control: 'select', options: ['auto', 'mse', 'pcm-worklet', 'webaudio', 'file'] },
    voiceId: { control: 'select', options: Object.values(VOICES) },
  },
  parameters: { layout: 'padded' },
} satisfies Meta<typeof Player>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The queries a play function gets for the story's root. */
type Canvas = Parameters<NonNullable<Story['play']>>[0]['canvas'];
const seekSlider = (canvas: Canvas) => canvas.getByRole('slider', { name: 'Seek' }) as HTMLInputElement;
const status = (canvas: Canvas) => canvas.getByRole('status');
/**
 * Resolves once the player has been playing since this was called (its group's `data-state`, watched): for a
 * short text, whose playing lasts a moment that a poll on a busy page could miss. Call it before the click.
 */
const startsPlaying = (canvas: Canvas, name = 'Audio player') =>
  becomes(canvas.getByRole('group', { name }), 'data-state', 'playing');
const playing = (canvas: Canvas) =>
  waitFor(() => expect(canvas.getByRole('button', { name: 'Pause' })).toHaveAttribute('data-state', 'playing'), {
    timeout: 10_000,
  });
/** The whole audio has arrived (download needs all of it). */
const complete = (canvas: Canvas) =>
  waitFor(() => expect(canvas.getByRole('button', { name: 'Download audio' })).toBeEnabled(), { timeout: 15_000 });

/** About fifteen seconds of speech. */
const LONG_TEXT =
  'Seeking works by keyboard: the arrow keys move five seconds, Page Up and Page Down thirty, and Home and End go to the ends. A screen reader hears where it is.';

// ---- states ----------------------------------------------------------------------------------------------------

/** Before anything is loaded: nothing to play, seek or download, and no length yet. */
export const Idle: Story = {
  args: { idle: true },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('group', { name: 'Audio player' })).toHaveAttribute('data-state', 'idle');
    await expect(canvas.getByRole('button', { name: 'Play' })).toBeDisabled();
    await expect(seekSlider(canvas)).toBeDisabled();
    await expect(canvas.getByRole('button', { name: 'Download audio' })).toBeDisabled();
    await expect(canvas.getByText('--:--')).toBeVisible();
    await expect(canvas.getByText('0:00')).toBeVisible();
  },
};

/**
 * Playing as the audio streams in: the slider speaks the position ("2 seconds of 4 seconds loaded so far"), and the
 * status says so. Pause stops it where it is; Play goes on, and the position and the time display move again.
 */
export const Playing: Story = {
  args: { text: 'Streaming speech starts playing with its first chunk, long before the last one arrives.' },
  play: async ({ canvas }) => {
    await playing(canvas);
    await expect(status(canvas)).toHaveTextContent('Playing');
    const slider = seekSlider(canvas);
    const first = await changes(() => slider.getAttribute('aria-valuetext'), null);
    // While streaming, the length is the player's estimate and the phrase says how much has arrived (or, should the
    // stream already be complete, the length itself).
    await expect(first).toMatch(
      /^\d+ seconds? of (about \d+ seconds?, \d+ seconds? loaded|\d+ seconds?( loaded so far)?)$/,
    );

    // Paused at once (a few seconds of speech are left, however slow the page): the position stays where it
    // stopped. It is written each frame, so it is read after a frame has drawn the paused position; it may be
    // corrected once by where the audio really stopped (the element's report can come late on a busy machine),
    // by far less than the time waited.
    await userEvent.click(canvas.getByRole('button', { name: 'Pause' }));
    await expect(canvas.getByRole('button', { name: 'Play' })).toHaveAttribute('data-state', 'paused');
    await expect(status(canvas)).toHaveTextContent('Paused');
    await frames(2);
    const pausedAt = Number(slider.value);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await expect(Math.abs(Number(slider.value) - pausedAt)).toBeLessThan(0.1);
    await expect(canvas.getByRole('button', { name: 'Play' })).toHaveAttribute('data-state', 'paused');

    // Playing on, the spoken position moves on, and so does the time display (written each frame, outside React):
    // waited for, not expected by some time.
    const pausedText = slider.getAttribute('aria-valuetext');
    await userEvent.click(canvas.getByRole('button', { name: 'Play' }));
    await playing(canvas);
    await expect(await changes(() => slider.getAttribute('aria-valuetext'), pausedText, 15_000)).toMatch(/ of /);
    await waitFor(
      () => expect(canvas.getByText(/^0:0[1-9]$/, { selector: '.ek-time:not(.ek-duration)' })).toBeVisible(),
      { timeout: 15_000 },
    );
  },
};

/** Resolves after `count` animation frames. */
const frames = async (count: number) => {
  for (let i = 0; i < count; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
};

/** `autoplay: false`: the audio loads and waits, paused, for a press of Play. */
export const Paused: Story = {
  args: { autoplay: false },
  play: async ({ canvas }) => {
    // Loading shows a spinner; once audio can play, the player waits, paused.
    const button = await waitFor(
      () => {
        const found = canvas.getByRole('button', { name: 'Play' });
        expect(found).toHaveAttribute('data-state', 'paused');
        return found;
      },
      { timeout: 10_000 },
    );
    await expect(status(canvas)).toHaveTextContent('Paused');
    await expect(seekSlider(canvas)).toBeEnabled();
    await expect(seekSlider(canvas)).toHaveAttribute('aria-valuetext', expect.stringMatching(/^0 seconds of /));
    const started = startsPlaying(canvas);
    await userEvent.click(button);
    await started;
  },
};

/** A request the emulator answers late (a 30 s first-byte delay): loading, with nothing to seek yet. */
export const Loading: Story = {
  args: { voiceId: VOICES.faults },
  loaders: [() => injectTtsFaults(VOICES.faults, { latency_ms: 30_000 })],
  play: async ({ canvas }) => {
    await waitFor(() => expect(status(canvas)).toHaveTextContent('Loading…'));
    await expect(canvas.getByRole('group', { name: 'Audio player' })).toHaveAttribute('data-state', 'loading');
    await expect(seekSlider(canvas)).toBeDisabled();
    await expect(canvas.getByRole('button', { name: 'Download audio' })).toBeDisabled();
  },
};

/**
 * A stream slower than speech (each chunk delayed up to 1.5 s): playback runs out of audio and waits for more,
 * with a spinner on the play button and "Buffering…" in the status, then goes on.
 */
export const Buffering: Story = {
  args: { voiceId: VOICES.faults, text: LONG_TEXT },
  loaders: [() => injectTtsFaults(VOICES.faults, { jitter_ms: 1500 })],
  play: async ({ canvas }) => {
    await waitFor(() => expect(status(canvas)).toHaveTextContent('Buffering…'), { timeout: 15_000 });
    const button = canvas.getByRole('button', { name: 'Pause' });
    await expect(button).toHaveAttribute('data-state', 'buffering');
    await expect(button.querySelector('.ek-spinner')).not.toBeNull();
    await waitFor(() => expect(status(canvas)).toHaveTextContent('Playing'), { timeout: 15_000 });
  },
};

/** At the end: everything heard, the slider at the end, the file ready to save, and Play starts again. */
export const Ended: Story = {
  args: { text: 'Short and sweet.' },
  play: async ({ canvas }) => {
    await waitFor(() => expect(status(canvas)).toHaveTextContent('Finished'), { timeout: 15_000 });
    const replay = canvas.getByRole('button', { name: 'Replay' });
    await expect(replay).toHaveAttribute('data-state', 'ended');
    const slider = seekSlider(canvas);
    await waitFor(() => expect(slider.getAttribute('aria-valuetext')).toMatch(/^(\d+) seconds? of \1 seconds?$/));
    await expect(canvas.getByRole('button', { name: 'Download audio' })).toBeEnabled();
    const duration = canvas.getByText(/^0:0\d$/, { selector: '.ek-duration' });
    await expect(duration).toHaveAttribute('data-state', 'known');
    const replayed = startsPlaying(canvas);
    await userEvent.click(replay);
    await replayed;
  },
};

// ---- controls --------------------------------------------------------------------------------------------------

/** Arrows, PageUp/PageDown, Home and End on the slider, with the spoken value following. */
export const KeyboardSeeking: Story = {
  args: { autoplay: false, text: LONG_TEXT },
  play: async ({ canvas }) => {
    await complete(canvas);
    const slider = seekSlider(canvas);
    const spoken = () => slider.getAttribute('aria-valuetext');
    slider.focus();
    await userEvent.keyboard('{ArrowRight}');
    await waitFor(() => expect(spoken()).toMatch(/^5 seconds of /));
    await userEvent.keyboard('{ArrowRight}');
    await waitFor(() => expect(spoken()).toMatch(/^10 seconds of /));
    await userEvent.keyboard('{ArrowLeft}');
    await waitFor(() => expect(spoken()).toMatch(/^5 seconds of /));
    await userEvent.keyboard('{End}');
    await waitFor(() => expect(spoken()).toMatch(/^(.+) of \1$/));
    await userEvent.keyboard('{Home}');
    await waitFor(() => expect(spoken()).toMatch(/^0 seconds of /));
    await userEvent.keyboard('{PageUp}');
    // 30 seconds is past the end of this text: the slider stops at the end.
    await waitFor(() => expect(spoken()).toMatch(/^(.+) of \1$/));
    await expect(canvas.getByRole('button', { name: 'Play' })).toHaveAttribute('data-state', 'paused');
    // Seeking while paused moves the time display too.
    await expect(canvas.getByText(/^0:1\d$/, { selector: '.ek-time:not(.ek-duration)' })).toBeVisible();
  },
};

/** Holding the slider pauses the audio; letting go plays on from where it was dropped. */
export const ScrubbingPauses: Story = {
  args: { text: LONG_TEXT },
  play: async ({ canvas }) => {
    await playing(canvas);
    const slider = seekSlider(canvas);
    const user = userEvent.setup(); // one pointer, held between the two calls
    await user.pointer({ keys: '[MouseLeft>]', target: slider });
    await waitFor(() => expect(status(canvas)).toHaveTextContent('Paused'));
    await expect(slider.closest('.ek-scrub-bar')).toHaveAttribute('data-scrubbing');
    await user.pointer({ keys: '[/MouseLeft]', target: slider });
    await playing(canvas);
    await expect(slider.closest('.ek-scrub-bar')).not.toHaveAttribute('data-scrubbing');
  },
};

/** Speed, volume and mute: native controls; the volume moves 5 % per arrow key and is spoken as a percentage. */
export const RateVolumeMute: Story = {
  play: async ({ canvas }) => {
    await playing(canvas);
    const rate = canvas.getByRole('combobox', { name: 'Playback speed' });
    await userEvent.selectOptions(rate, '1.5×');
    await expect(rate).toHaveValue('1.5');
    const volume = canvas.getByRole('slider', { name: 'Volume' });
    await expect(volume).toHaveAttribute('aria-valuetext', '100%');
    volume.focus();
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}');
    await expect(volume).toHaveAttribute('aria-valuetext', '90%');
    const mute = canvas.getByRole('button', { name: 'Mute' });
    await userEvent.click(mute);
    await expect(mute).toHaveAttribute('aria-pressed', 'true');
    await expect(volume).toHaveAttribute('aria-valuetext', 'Muted');
    await userEvent.click(mute);
    await expect(volume).toHaveAttribute('aria-valuetext', '90%');
  },
};

/** Once the whole audio is in, Download saves it: an MP3 named speech.mp3 holding what the emulator sent. */
export const Download: Story = {
  args: { text: 'Save me as a file.', autoplay: false },
  play: async ({ canvas }) => {
    await complete(canvas);
    const saved: { name: string; href: string }[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, href: this.href });
    };
    let blob: Blob;
    try {
      const created = URL.createObjectURL;
      let made: Blob | null = null;
      URL.createObjectURL = (object: Blob | MediaSource) => {
        made = object as Blob;
        return created.call(URL, object);
      };
      try {
        await userEvent.click(canvas.getByRole('button', { name: 'Download audio' }));
      } finally {
        URL.createObjectURL = created;
      }
      blob = made!;
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    await expect(saved).toEqual([{ name: 'speech.mp3', href: expect.stringMatching(/^blob:/) }]);
    await expect(blob.type).toBe('audio/mpeg');
    // MP3 frames from the first byte: 0xFFE sync word (an ID3 tag would start "ID3").
    const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
    await expect(head[0] === 0xff && (head[1]! & 0xe0) === 0xe0).toBe(true);
  },
};

/** PCM streams through the AudioWorklet path; the parts do not care which path plays. */
export const PcmStream: Story = {
  args: { format: 'pcm_24000', text: 'Raw samples, queued as they arrive.' },
  play: async ({ canvas }) => {
    await playing(canvas);
    await waitFor(() => expect(status(canvas)).toHaveTextContent('Finished'), { timeout: 15_000 });
    await expect(canvas.getByRole('button', { name: 'Replay' })).toBeEnabled();
  },
};

/** React commits of the profiled player (see RendersNotPerFrame). */
const commits = { count: 0 };

/**
 * The time and position move every frame without React: played once the whole audio is in (no arrivals to show),
 * the player commits only when its status or the spoken word changes, while the position moves in nearly every
 * frame drawn.
 */
export const RendersNotPerFrame: Story = {
  args: { autoplay: false },
  render: (args) => (
    <Profiler id="player" onRender={() => void commits.count++}>
      <Player {...args} />
    </Profiler>
  ),
  play: async ({ canvas }) => {
    await complete(canvas);
    const slider = seekSlider(canvas);
    const group = canvas.getByRole('group', { name: 'Audio player' });
    commits.count = 0;
    // Frame by frame, from the press of Play to the end: did the position move, and did React commit since the
    // frame before? Counted per frame, not per second, so a busy machine drawing fewer frames changes both alike.
    let moved = 0;
    let movedWithoutCommit = 0;
    const played = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the playback never ended')), 12_000);
      let last = { value: slider.value, commits: commits.count };
      const tick = () => {
        if (slider.value !== last.value) {
          moved++;
          if (commits.count === last.commits) movedWithoutCommit++;
        }
        last = { value: slider.value, commits: commits.count };
        if (group.getAttribute('data-state') === 'ended') resolve(clearTimeout(timer));
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await userEvent.click(canvas.getByRole('button', { name: 'Play' }));
    await played;
    const context = `moved in ${moved} frames (${movedWithoutCommit} without a commit), ${commits.count} commits`;
    // Most of the frames that moved the position had no React commit: the position is not React state.
    await expect(movedWithoutCommit, context).toBeGreaterThan(2 * commits.count);
  },
};

// ---- errors ----------------------------------------------------------------------------------------------------

const failed = (canvas: Canvas, code: string) =>
  waitFor(() => expect(status(canvas)).toHaveAttribute('data-error', code), { timeout: 10_000 });

/** A voice the service does not know: the request is refused (404), and the status says why. */
export const UnknownVoice: Story = {
  args: { voiceId: 'no-such-voice' },
  play: async ({ canvas }) => {
    await failed(canvas, 'invalid-request');
    await expect(status(canvas)).toHaveTextContent(/The text-to-speech request was refused\. .*no-such-voice/);
    await expect(canvas.getByRole('button', { name: 'Play' })).toBeDisabled();
    await expect(canvas.getByRole('group', { name: 'Audio player' })).toHaveAttribute('data-state', 'error');
  },
};

/** The account is out of credits: a quota error, in words a person can act on. */
export const QuotaExceeded: Story = {
  args: { voiceId: VOICES.faults },
  loaders: [() => injectTtsFaults(VOICES.faults, { quota_exceeded: true })],
  play: async ({ canvas }) => {
    await failed(canvas, 'quota');
    await expect(status(canvas)).toHaveTextContent(/quota/i);
  },
};

/**
 * Too many requests at once (ElevenLabs' 429 `too_many_concurrent_requests`): not the quota, but a limit that passes;
 * the status says to try again in a moment.
 */
export const RateLimited: Story = {
  args: { voiceId: VOICES.faults },
  loaders: [() => injectTtsFaults(VOICES.faults, { too_many_concurrent_requests: true })],
  play: async ({ canvas }) => {
    await failed(canvas, 'rate-limited');
    await expect(status(canvas)).toHaveTextContent(/try again in a moment/i);
    await expect(status(canvas)).not.toHaveTextContent(/quota/i);
  },
};

/**
 * The connection drops mid-stream: a network error saying how much audio had arrived, and the play button offers
 * "Try again", which asks for the speech again and plays it.
 */
export const DroppedStream: Story = {
  args: { voiceId: VOICES.faults, text: LONG_TEXT },
  loaders: [() => injectTtsFaults(VOICES.faults, { drop_after_ms: 400 })],
  play: async ({ canvas }) => {
    await failed(canvas, 'network');
    await expect(status(canvas)).toHaveTextContent(/The connection dropped after \d+\.\d s of audio\./);
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(status(canvas)).toHaveTextContent('Playing'), { timeout: 15_000 });
    await expect(status(canvas)).not.toHaveAttribute('data-error');
    await userEvent.click(canvas.getByRole('button', { name: 'Pause' }));
  },
};

// ---- customising -----------------------------------------------------------------------------------------------

const GERMAN: Partial<AudioPlayerStatusMessages> = {
  loading: 'Wird geladen …',
  playing: 'Wiedergabe',
  paused: 'Pausiert',
  ended: 'Zu Ende',
};

/**
 * Your own words and content: a text play button (its text is its name), German labels and messages, a spoken
 * value in German, and the theme's custom properties set on a wrapper (dark, with another accent).
 */
export const CustomisedAndThemed: Story = {
  // Waits for a press of its own play button (a short text's playing lasts a moment; the press is watched).
  args: { text: 'Guten Tag.', autoplay: false },
  render: (args) => {
    const Themed = () => {
      const player = useStoryPlayer(args);
      return (
        <div
          style={
            {
              colorScheme: 'dark',
              background: '#0d1117',
              padding: '1rem',
              '--ek-accent': '#f0883e',
              '--ek-accent-fg': '#0d1117',
            } as CSSProperties
          }
        >
          <AudioPlayer.Root player={player} label="Sprachausgabe">
            <AudioPlayer.PlayButton style={{ inlineSize: 'auto', paddingInline: '1rem' }}>
              {({ action }) => (action === 'pause' ? 'Anhalten' : 'Abspielen')}
            </AudioPlayer.PlayButton>
            <AudioPlayer.ScrubBar
              label="Position"
              formatValueText={(current, total) => `${Math.floor(current)} von ${Math.floor(total)} Sekunden`}
            />
            <AudioPlayer.Rate label="Geschwindigkeit" format={(rate) => `${rate.toLocaleString('de')}×`} />
            <AudioPlayer.Status messages={GERMAN} />
          </AudioPlayer.Root>
        </div>
      );
    };
    return <Themed />;
  },
  play: async ({ canvas }) => {
    const button = await waitFor(
      () => {
        const found = canvas.getByRole('button', { name: 'Abspielen' });
        expect(found).toBeEnabled();
        return found;
      },
      { timeout: 10_000 },
    );
    await expect(canvas.getByRole('group', { name: 'Sprachausgabe' })).toBeVisible();
    await expect(canvas.getByRole('slider', { name: 'Position' })).toHaveAttribute(
      'aria-valuetext',
      expect.stringMatching(/^\d+ von \d+ Sekunden$/),
    );
    await expect(canvas.getByRole('combobox', { name: 'Geschwindigkeit' })).toHaveDisplayValue('1×');
    // The button's own words while it plays: every text it shows is watched, however short the playing.
    const shown = new Set<string>();
    const observer = new MutationObserver(() => shown.add(button.textContent ?? ''));
    observer.observe(button, { subtree: true, childList: true, characterData: true });
    const started = startsPlaying(canvas, 'Sprachausgabe');
    await userEvent.click(button);
    await started;
    await waitFor(() => expect(status(canvas)).toHaveTextContent('Zu Ende'), { timeout: 15_000 });
    observer.disconnect();
    await expect([...shown]).toContain('Anhalten');
    await expect(canvas.getByRole('button', { name: 'Abspielen' })).toBeEnabled();
  },
};

// ---- all together ----------------------------------------------------------------------------------------------

/** Text and a voice in (the voices from the emulator's `GET /v1/voices`), speech with its words out. */
function CompletePlayer(args: SpeechArgs) {
  const player = useStoryPlayer(args, { load: false });
  const voices = useVoices();
  const [text, setText] = useState('Pick a voice, press Speak, and read along.');
  const [voiceId, setVoiceId] = useState<string>(VOICES.rachel);
  const ids = { text: useId(), voice: useId() };
  const speak = (event: FormEvent) => {
    event.preventDefault();
    void player.load(emulatorSpeech({ text, voiceId, format: args.format }));
  };
  return (
    <div style={{ display: 'grid', gap: '1rem' }}>
      <form onSubmit={speak} style={{ display: 'grid', gap: '0.5rem', justifyItems: 'start' }}>
        <label htmlFor={ids.text}>Text</label>
        <textarea id={ids.text} value={text} onChange={(event) => setText(event.target.value)} cols={50} />
        <label htmlFor={ids.voice}>Voice</label>
        <select id={ids.voice} value={voiceId} onChange={(event) => setVoiceId(event.target.value)}>
          {(voices ?? [{ voice_id: VOICES.rachel, name: 'Rachel' }]).map((voice) => (
            <option key={voice.voice_id} value={voice.voice_id}>
              {voice.name}
            </option>
          ))}
        </select>
        <button type="submit">Speak</button>
      </form>
      <AudioPlayer.Root player={player}>
        <AudioPlayer.PlayButton />
        <AudioPlayer.Time />
        <AudioPlayer.ScrubBar />
        <AudioPlayer.Duration />
        <AudioPlayer.Rate />
        <AudioPlayer.Download />
        <Waveform style={{ flexBasis: '100%' }} />
        <AudioPlayer.Status />
      </AudioPlayer.Root>
      <TranscriptViewer player={player} placeholder="Press Speak." />
    </div>
  );
}

/** The whole kit on one page, as the demo has it: pick one of the emulator's voices, type, Speak, read along. */
export const Complete: Story = {
  render: (args) => <CompletePlayer {...args} />,
  play: async ({ canvas }) => {
    const voice = canvas.getByRole('combobox', { name: 'Voice' });
    await waitFor(() => expect(voice).toHaveTextContent('Sarah'));
    await userEvent.selectOptions(voice, 'Sarah');
    const text = canvas.getByRole('textbox', { name: 'Text' });
    await userEvent.clear(text);
    await userEvent.type(text, 'Every word in its turn.');
    // Each word's moment as the current one is watched (a short text: a poll on a busy page could miss them all).
    const transcript = canvas.getByRole('group', { name: 'Transcript' });
    const current = new Set<Element>();
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        const word = record.target as Element;
        if (record.oldValue === 'current' || word.getAttribute('data-status') === 'current') current.add(word);
      }
    });
    observer.observe(transcript, {
      subtree: true,
      attributes: true,
      attributeFilter: ['data-status'],
      attributeOldValue: true,
    });
    const started = startsPlaying(canvas);
    await userEvent.click(canvas.getByRole('button', { name: 'Speak' }));
    await started;
    await waitFor(() => expect(status(canvas)).toHaveTextContent('Finished'), { timeout: 15_000 });
    observer.disconnect();
    // Every word was the current one in its turn.
    await expect([...current].map((word) => word.textContent)).toEqual(['Every', 'word', 'in', 'its', 'turn.']);
    const words = Array.from(transcript.querySelectorAll('.ek-word'));
    await expect(words.map((word) => word.textContent)).toEqual(['Every', 'word', 'in', 'its', 'turn.']);
    await expect(words.every((word) => word.getAttribute('data-status') === 'spoken')).toBe(true);
  },
};
