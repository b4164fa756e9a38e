// <Recorder.*> over a real Recorder (useRecorder) and Chromium's fake microphone: every state a person meets (idle,
// asking, recording, paused, stopped with the take to play back) and every reason the microphone can be refused,
// injected through the Recorder's getUserMedia seam where the fake device cannot produce it. Play functions check
// what a person (or a screen reader) would notice; axe checks each story.
import { Recorder, useRecorder, type RecorderStatusMessages } from '@elevenkit/react';
import type { RecorderErrorReason } from '@elevenkit/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { Profiler, useState, type CSSProperties } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';
import { strict } from './PlayerStorySupport.tsx';
import { countFrames, insecureContext, microphoneFor, type MicrophoneScenario } from './RecorderStorySupport.tsx';

interface RecorderStoryArgs {
  /** Where the microphone comes from: Chromium's fake device, a prompt nobody answers, or a refusal. */
  microphone: MicrophoneScenario;
  format: 'compressed' | 'wav';
  /** Seconds; 0 for no limit. */
  maxDuration: number;
}

/** Every part of the recorder, in one group. */
function RecorderKit({ microphone, format, maxDuration }: RecorderStoryArgs) {
  const { recorder } = useRecorder({
    format,
    maxDuration: maxDuration || undefined,
    getUserMedia: microphoneFor(microphone),
  });
  return (
    <Recorder.Root recorder={recorder}>
      <Recorder.RecordButton />
      <Recorder.PauseButton />
      <Recorder.StopButton />
      <Recorder.CancelButton />
      <Recorder.Timer />
      <Recorder.LevelMeter />
      <Recorder.MicSelector />
      <Recorder.LiveWaveform />
      <Recorder.Status />
      <Recorder.Playback />
    </Recorder.Root>
  );
}

const meta = {
  title: 'Recorder/Recorder',
  component: RecorderKit,
  decorators: [strict],
  args: { microphone: 'fake-microphone', format: 'compressed', maxDuration: 0 },
  argTypes: {
    microphone: {
      control: 'select',
      options: [
        'fake-microphone',
        'never-answers',
        'denied',
        'dismissed',
        'in-use',
        'not-found',
        'insecure-context',
        'unsupported',
        'constraints',
      ],
    },
    format: { control: 'inline-radio', options: ['compressed', 'wav'] },
  },
  parameters: { layout: 'padded' },
} satisfies Meta<typeof RecorderKit>;

export default meta;
type Story = StoryObj<typeof meta>;

type Canvas = Parameters<NonNullable<Story['play']>>[0]['canvas'];
const group = (canvas: Canvas) => canvas.getByRole('group', { name: 'Recorder' });
const status = (canvas: Canvas) => canvas.getAllByRole('status')[0]!;
const timer = (canvas: Canvas) => canvas.getByRole('timer');
const button = (canvas: Canvas, name: string) => canvas.getByRole('button', { name });
const recording = (canvas: Canvas) =>
  waitFor(() => expect(group(canvas)).toHaveAttribute('data-state', 'recording'), { timeout: 10_000 });
/** Waits until the timer shows at least `seconds`. */
const timerReaches = (canvas: Canvas, seconds: number) =>
  waitFor(
    () => {
      const [m, s] = timer(canvas).textContent!.split(':').map(Number);
      expect(m! * 60 + s!).toBeGreaterThanOrEqual(seconds);
    },
    { timeout: 10_000 },
  );

// ---- states ----------------------------------------------------------------------------------------------------

/** Before anything: Record is the only thing to press, and nothing has asked for the microphone. */
export const Idle: Story = {
  play: async ({ canvas }) => {
    await expect(group(canvas)).toHaveAttribute('data-state', 'idle');
    await expect(button(canvas, 'Record')).toBeEnabled();
    for (const name of ['Pause recording', 'Stop recording', 'Discard recording']) {
      await expect(button(canvas, name)).toBeDisabled();
    }
    await expect(timer(canvas)).toHaveTextContent('0:00');
    await expect(canvas.getByRole('meter', { name: 'Microphone level' })).toHaveAttribute('aria-valuenow', '0');
    await expect(canvas.getByRole('combobox', { name: 'Microphone' })).toBeEnabled();
    await expect(status(canvas)).toHaveTextContent('');
  },
};

/**
 * The browser's prompt is up (here it is never answered): the status says what the page waits for, and Discard
 * gives up waiting.
 */
export const Requesting: Story = {
  args: { microphone: 'never-answers' },
  play: async ({ canvas }) => {
    await userEvent.click(button(canvas, 'Record'));
    await waitFor(() => expect(status(canvas)).toHaveTextContent('Waiting for permission to use the microphone…'));
    await expect(group(canvas)).toHaveAttribute('data-state', 'requesting');
    await expect(button(canvas, 'Record')).toBeDisabled();
    await expect(button(canvas, 'Stop recording')).toBeDisabled();
    await userEvent.click(button(canvas, 'Discard recording'));
    await expect(group(canvas)).toHaveAttribute('data-state', 'idle');
    await expect(button(canvas, 'Record')).toBeEnabled();
  },
};

/**
 * Recording from the fake microphone: the timer runs, the meter and the waveform move, the select shows the
 * device in use, and focus has gone from Record (now disabled) to Stop.
 */
export const Recording: Story = {
  play: async ({ canvas }) => {
    const record = button(canvas, 'Record');
    record.focus();
    await userEvent.keyboard('{Enter}');
    await recording(canvas);
    await expect(status(canvas)).toHaveTextContent('Recording');
    await expect(button(canvas, 'Stop recording')).toHaveFocus();
    await timerReaches(canvas, 1);
    const meter = canvas.getByRole('meter', { name: 'Microphone level' });
    await waitFor(() => expect(Number(meter.getAttribute('aria-valuenow'))).toBeGreaterThan(0), { timeout: 5000 });
    await expect(group(canvas).querySelector('.ek-live-waveform')).toHaveAttribute('data-state', 'live');
    const select = canvas.getByRole('combobox', { name: 'Microphone' }) as HTMLSelectElement;
    await waitFor(() => expect(select.selectedOptions[0]?.textContent).toMatch(/Fake/), { timeout: 5000 });
  },
};

/** Paused: the timer holds still and the status says so; Resume goes on from there. */
export const Paused: Story = {
  play: async ({ canvas }) => {
    await userEvent.click(button(canvas, 'Record'));
    await recording(canvas);
    await timerReaches(canvas, 1);
    await userEvent.click(button(canvas, 'Pause recording'));
    await expect(status(canvas)).toHaveTextContent('Paused');
    await expect(group(canvas)).toHaveAttribute('data-state', 'paused');
    const held = timer(canvas).textContent;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await expect(timer(canvas)).toHaveTextContent(held!);
    await userEvent.click(button(canvas, 'Resume recording'));
    await expect(status(canvas)).toHaveTextContent('Recording');
    await expect(button(canvas, 'Pause recording')).toBeEnabled();
  },
};

/**
 * Stopped: the status says how long the take is, focus goes back to "Record again", and the take plays back in the
 * player below (a `blob` source) to the end.
 */
export const StoppedWithPlayback: Story = {
  play: async ({ canvas }) => {
    await userEvent.click(button(canvas, 'Record'));
    await recording(canvas);
    await timerReaches(canvas, 2);
    await userEvent.click(button(canvas, 'Stop recording'));
    await waitFor(() => expect(status(canvas)).toHaveTextContent(/^Recording stopped\. \d seconds? recorded\.$/));
    await expect(button(canvas, 'Record again')).toHaveFocus();
    const take = canvas.getByRole('group', { name: 'Your recording' });
    const duration = take.querySelector('.ek-duration')!;
    // The take's length as the player reads it from the file.
    await waitFor(() => expect(duration.textContent).toMatch(/^0:0[2-4]$/), { timeout: 10_000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Play' }));
    await waitFor(() => expect(take.querySelector('[role="status"]')).toHaveTextContent('Finished'), {
      timeout: 10_000,
    });
    await expect(canvas.getByRole('button', { name: 'Download recording' })).toBeEnabled();
  },
};

/** A WAV take (16-bit PCM through the AudioWorklet), played back the same way. */
export const WavTake: Story = {
  args: { format: 'wav' },
  play: StoppedWithPlayback.play,
};

/** `maxDuration: 2`: it stops by itself and says why. */
export const StoppedAtTheTimeLimit: Story = {
  args: { maxDuration: 2 },
  play: async ({ canvas }) => {
    await userEvent.click(button(canvas, 'Record'));
    await recording(canvas);
    await waitFor(() => expect(status(canvas)).toHaveTextContent(/^Recording stopped at the time limit\./), {
      timeout: 10_000,
    });
    await expect(canvas.getByRole('group', { name: 'Your recording' })).toBeVisible();
  },
};

/** Discard throws the take away: no player, the timer back at zero. */
export const Discarded: Story = {
  play: async ({ canvas }) => {
    await userEvent.click(button(canvas, 'Record'));
    await recording(canvas);
    await timerReaches(canvas, 1);
    await userEvent.click(button(canvas, 'Stop recording'));
    await waitFor(() => expect(canvas.getByRole('group', { name: 'Your recording' })).toBeVisible(), {
      timeout: 10_000,
    });
    await userEvent.click(button(canvas, 'Discard recording'));
    await waitFor(() => expect(canvas.queryByRole('group', { name: 'Your recording' })).toBeNull());
    await waitFor(() => expect(timer(canvas)).toHaveTextContent('0:00'));
    await expect(button(canvas, 'Record')).toBeEnabled();
  },
};

/** Only the keyboard: Tab to Record, Enter; Space pauses and resumes; Stop; focus never falls to the page. */
export const KeyboardOnly: Story = {
  play: async ({ canvas }) => {
    button(canvas, 'Record').focus();
    await userEvent.keyboard('{Enter}');
    await recording(canvas);
    await expect(button(canvas, 'Stop recording')).toHaveFocus();
    await userEvent.tab({ shift: true });
    await expect(button(canvas, 'Pause recording')).toHaveFocus();
    await userEvent.keyboard(' ');
    await expect(button(canvas, 'Resume recording')).toHaveFocus();
    await expect(status(canvas)).toHaveTextContent('Paused');
    await userEvent.keyboard(' ');
    await expect(status(canvas)).toHaveTextContent('Recording');
    await userEvent.tab();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(button(canvas, 'Record again')).toHaveFocus());
  },
};

/** React commits of the profiled recorder (see RendersNotPerFrame). */
const commits = { count: 0 };

/**
 * While recording, the timer, meter and waveform change every frame without React: over two seconds the recorder
 * commits hardly at all, far fewer times than frames are drawn.
 */
export const RendersNotPerFrame: Story = {
  render: (args) => (
    <Profiler id="recorder" onRender={() => void commits.count++}>
      <RecorderKit {...args} />
    </Profiler>
  ),
  play: async ({ canvas }) => {
    await userEvent.click(button(canvas, 'Record'));
    await recording(canvas);
    await timerReaches(canvas, 1);
    const shownBefore = timer(canvas).textContent;
    commits.count = 0;
    const frames = await countFrames(2000);
    await expect(timer(canvas).textContent).not.toBe(shownBefore);
    await expect(frames).toBeGreaterThan(30);
    await expect(commits.count).toBeLessThan(frames / 10);
  },
};

/** The microphone streams the recorder of UnmountReleasesTheMicrophone opened. */
const opened: MediaStream[] = [];

/**
 * Closing the component that owns the recorder while it records lets the microphone go: every track it opened has
 * ended (the browser's recording indicator goes out).
 */
export const UnmountReleasesTheMicrophone: Story = {
  render: () => {
    const Owner = () => {
      const { recorder } = useRecorder({
        getUserMedia: async (constraints) => {
          const stream = await navigator.mediaDevices.getUserMedia(constraints);
          opened.push(stream);
          return stream;
        },
      });
      return (
        <Recorder.Root recorder={recorder}>
          <Recorder.RecordButton />
          <Recorder.StopButton />
          <Recorder.Status />
        </Recorder.Root>
      );
    };
    const Page = () => {
      const [open, setOpen] = useState(true);
      return (
        <>
          <button type="button" onClick={() => setOpen(false)}>
            Close the recorder
          </button>
          {open && <Owner />}
        </>
      );
    };
    return <Page />;
  },
  play: async ({ canvas }) => {
    opened.length = 0;
    await userEvent.click(button(canvas, 'Record'));
    await recording(canvas);
    const tracks = opened.flatMap((stream) => stream.getTracks());
    await expect(tracks.length).toBeGreaterThan(0);
    await expect(tracks.every((track) => track.readyState === 'live')).toBe(true);
    await userEvent.click(canvas.getByRole('button', { name: 'Close the recorder' }));
    await expect(canvas.queryByRole('group', { name: 'Recorder' })).toBeNull();
    await waitFor(() => expect(tracks.map((track) => track.readyState)).toEqual(tracks.map(() => 'ended')));
  },
};

// ---- why the microphone could not be used ----------------------------------------------------------------------

/** A refusal: the status says why and what to do, in a polite live region, and Record becomes Try again. */
function refusal(reason: Exclude<RecorderErrorReason, 'audio-not-running'>, sentence: RegExp): Story {
  return {
    args: { microphone: reason },
    play: async ({ canvas }) => {
      await userEvent.click(button(canvas, 'Record'));
      await waitFor(() => expect(status(canvas)).toHaveAttribute('data-error', reason));
      await expect(status(canvas)).toHaveTextContent(sentence);
      await expect(group(canvas)).toHaveAttribute('data-state', 'error');
      await expect(button(canvas, 'Try again')).toBeEnabled();
      await expect(button(canvas, 'Stop recording')).toBeDisabled();
    },
  };
}

/** Blocked in the site settings (or by policy): how to allow it. */
export const Denied = refusal('denied', /Allow it in the browser’s site settings/);
/** The prompt was closed without an answer: asking again may work. */
export const Dismissed = refusal('dismissed', /closed without an answer\. Press Try again and choose Allow/);
/** Another app holds the microphone. */
export const InUse = refusal('in-use', /Another app or tab is using the microphone/);
/** No microphone (or the chosen one is gone). */
export const NotFound = refusal('not-found', /No microphone was found/);
/** A page served over plain http: browsers keep the microphone from it. */
export const InsecureContext: Story = {
  ...refusal('insecure-context', /only works on a secure page/),
  beforeEach: insecureContext,
};
/** A browser that cannot record. */
export const Unsupported = refusal('unsupported', /This browser cannot record audio/);
/** Settings the microphone cannot meet. */
export const Constraints = refusal('constraints', /cannot record with these settings/);

// ---- customising -----------------------------------------------------------------------------------------------

const GERMAN: Partial<RecorderStatusMessages> = {
  requesting: 'Warte auf die Mikrofon-Freigabe …',
  recording: 'Aufnahme läuft',
  paused: 'Pausiert',
  stopped: (_, take) => `Aufnahme beendet${take ? ` (${Math.round(take.duration)} s)` : ''}.`,
};

/** Your own words (German labels and messages) and the theme's custom properties on a wrapper (dark, teal). */
export const CustomisedAndThemed: Story = {
  render: (args) => {
    const Themed = () => {
      const { recorder } = useRecorder({ getUserMedia: microphoneFor(args.microphone) });
      return (
        <div
          style={
            {
              colorScheme: 'dark',
              background: '#0d1117',
              padding: '1rem',
              '--ek-accent': '#2dd4bf',
              '--ek-accent-fg': '#0d1117',
              '--ek-record': '#fb7185',
            } as CSSProperties
          }
        >
          <Recorder.Root recorder={recorder} label="Aufnahme">
            <Recorder.RecordButton
              labels={{ record: 'Aufnehmen', again: 'Neu aufnehmen', retry: 'Erneut versuchen' }}
            />
            <Recorder.PauseButton labels={{ pause: 'Pausieren', resume: 'Fortsetzen' }} />
            <Recorder.StopButton label="Beenden" />
            <Recorder.Timer />
            <Recorder.LevelMeter
              label="Mikrofonpegel"
              formatValueText={(percent) => (percent < 5 ? 'Still' : `${percent} %`)}
            />
            <Recorder.MicSelector label="Mikrofon" defaultLabel="Standard" />
            <Recorder.LiveWaveform mode="scrolling" />
            <Recorder.Status messages={GERMAN} />
            <Recorder.Playback label="Ihre Aufnahme" />
          </Recorder.Root>
        </div>
      );
    };
    return <Themed />;
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('group', { name: 'Aufnahme' })).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Aufnehmen' }));
    await waitFor(() => expect(status(canvas)).toHaveTextContent('Aufnahme läuft'), { timeout: 10_000 });
    await expect(canvas.getByRole('meter', { name: 'Mikrofonpegel' })).toBeVisible();
    await timerReaches(canvas, 1);
    await userEvent.click(canvas.getByRole('button', { name: 'Pausieren' }));
    await expect(status(canvas)).toHaveTextContent('Pausiert');
    await userEvent.click(canvas.getByRole('button', { name: 'Beenden' }));
    await waitFor(() => expect(canvas.getByRole('group', { name: 'Ihre Aufnahme' })).toBeVisible(), {
      timeout: 10_000,
    });
    await expect(canvas.getByRole('button', { name: 'Neu aufnehmen' })).toBeEnabled();
  },
};
