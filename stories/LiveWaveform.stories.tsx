// <LiveWaveform> drawing what it is given — the recorder's microphone stream (Chromium's fake microphone), a
// SpeechPlayer speaking through the emulator, or a plain getter — as frequency bars or a scrolling level. It never
// opens the microphone itself. Play functions read the canvas's pixels: sound draws taller than the idle dots.
import { LiveWaveform, Recorder, useRecorder, type LevelInput, type LiveWaveformProps } from '@elevenkit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { SPEECH_DEFAULTS, strict, useStoryPlayer } from './PlayerStorySupport.tsx';
import { drawnHeight } from './RecorderStorySupport.tsx';

type WaveformArgs = Pick<LiveWaveformProps, 'mode' | 'barWidth' | 'barGap' | 'label'>;

/** The recorder's stream drawn by the waveform (the recorder opens the microphone; the waveform reads its stream). */
function MicrophoneWaveform(args: WaveformArgs) {
  const { recorder } = useRecorder();
  return (
    <Recorder.Root recorder={recorder}>
      <Recorder.RecordButton />
      <Recorder.StopButton />
      <Recorder.Status />
      <LiveWaveform {...args} />
    </Recorder.Root>
  );
}

const meta = {
  title: 'Recorder/LiveWaveform',
  component: MicrophoneWaveform,
  decorators: [strict],
  args: { mode: 'bars', barWidth: 3, barGap: 2 },
  argTypes: { mode: { control: 'inline-radio', options: ['bars', 'scrolling'] } },
  parameters: { layout: 'padded' },
} satisfies Meta<typeof MicrophoneWaveform>;

export default meta;
type Story = StoryObj<typeof meta>;
type Canvas = Parameters<NonNullable<Story['play']>>[0]['canvas'];

const waveform = (canvas: Canvas) =>
  canvas.getByRole('group', { name: 'Recorder' }).querySelector<HTMLElement>('.ek-live-waveform')!;
const drawing = (root: HTMLElement) => root.querySelector('canvas')!;
/** Waits until something louder than silence is drawn. */
const drawsSound = (root: HTMLElement) =>
  waitFor(() => expect(drawnHeight(drawing(root))).toBeGreaterThan(0.2), { timeout: 10_000 });

/** Frequency bars of the fake microphone's beep while recording; a row of dots again after Stop. */
export const FromTheRecorder: Story = {
  play: async ({ canvas }) => {
    const root = waveform(canvas);
    await expect(root).toHaveAttribute('data-state', 'idle');
    await expect(root).toHaveAttribute('aria-hidden', 'true');
    await userEvent.click(canvas.getByRole('button', { name: 'Record' }));
    await waitFor(() => expect(root).toHaveAttribute('data-state', 'live'), { timeout: 10_000 });
    await drawsSound(root);
    await userEvent.click(canvas.getByRole('button', { name: 'Stop recording' }));
    await waitFor(() => expect(root).toHaveAttribute('data-state', 'idle'));
    await waitFor(() => expect(drawnHeight(drawing(root))).toBeLessThan(0.2));
  },
};

/** The level over the last seconds, newest at the right; the history stays after Stop. */
export const Scrolling: Story = {
  args: { mode: 'scrolling', barWidth: 2, barGap: 1 },
  play: async ({ canvas }) => {
    const root = waveform(canvas);
    await userEvent.click(canvas.getByRole('button', { name: 'Record' }));
    await drawsSound(root);
    await userEvent.click(canvas.getByRole('button', { name: 'Stop recording' }));
    await waitFor(() => expect(root).toHaveAttribute('data-state', 'idle'));
    await expect(drawnHeight(drawing(root))).toBeGreaterThan(0.2);
  },
};

/** With a `label` it is an image with that name, for pages where the waveform is the only sign of sound. */
export const Labelled: Story = {
  args: { label: 'Your voice' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('img', { name: 'Your voice' })).toBeVisible();
  },
};

/** A SpeechPlayer is a source too: its output drawn while it speaks (no microphone involved). */
export const FromAPlayer: Story = {
  render: (args) => {
    const Speaking = () => {
      const player = useStoryPlayer({ ...SPEECH_DEFAULTS, text: 'The waveform follows the voice as it speaks.' });
      return <LiveWaveform {...args} source={player} label="Speech" />;
    };
    return <Speaking />;
  },
  play: async ({ canvas }) => {
    const root = canvas.getByRole('img', { name: 'Speech' });
    await expect(root).toHaveAttribute('data-state', 'live');
    await drawsSound(root);
  },
};

/** Any getter: here a made-up level that swells and fades, with no audio at all. */
export const FromAGetter: Story = {
  render: (args) => {
    const swell: LevelInput = () => 0.5 + 0.45 * Math.sin(performance.now() / 300);
    return <LiveWaveform {...args} mode="scrolling" source={swell} label="Made-up level" />;
  },
  play: async ({ canvas }) => {
    await drawsSound(canvas.getByRole('img', { name: 'Made-up level' }));
  },
};
