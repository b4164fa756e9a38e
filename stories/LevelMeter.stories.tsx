// <LevelMeter>: how loud the input is, as a bar (its length written each frame) and a `meter` whose value a screen
// reader reads (changed a few times a second at most). Fed by the recorder's stream (Chromium's fake microphone), a
// SpeechPlayer speaking through the emulator, or a getter; it never opens the microphone itself.
import { LevelMeter, Recorder, useRecorder, type LevelInput } from '@elevenkit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import type { CSSProperties } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';
import { SPEECH_DEFAULTS, strict, useStoryPlayer } from './PlayerStorySupport.tsx';
import './RecorderStorySupport.tsx';

/** The recorder's parts with its meter. */
function MicrophoneMeter() {
  const { recorder } = useRecorder();
  return (
    <Recorder.Root recorder={recorder}>
      <Recorder.RecordButton />
      <Recorder.StopButton />
      <Recorder.LevelMeter />
      <Recorder.Status />
    </Recorder.Root>
  );
}

const meta = {
  title: 'Recorder/LevelMeter',
  component: MicrophoneMeter,
  decorators: [strict],
  parameters: { layout: 'padded' },
} satisfies Meta<typeof MicrophoneMeter>;

export default meta;
type Story = StoryObj<typeof meta>;

const level = (meter: HTMLElement) => Number(meter.style.getPropertyValue('--ek-level') || 0);

/** Silent and idle until Record; then the beep of the fake microphone moves the bar and the spoken value. */
export const FromTheRecorder: Story = {
  play: async ({ canvas }) => {
    const meter = canvas.getByRole('meter', { name: 'Microphone level' });
    await expect(meter).toHaveAttribute('aria-valuenow', '0');
    await expect(meter).toHaveAttribute('aria-valuetext', 'Silent');
    await expect(meter).toHaveAttribute('data-state', 'idle');
    await userEvent.click(canvas.getByRole('button', { name: 'Record' }));
    await waitFor(() => expect(meter).toHaveAttribute('data-state', 'live'), { timeout: 10_000 });
    await waitFor(() => expect(level(meter)).toBeGreaterThan(0.2), { timeout: 5000 });
    await waitFor(() => expect(meter.getAttribute('aria-valuetext')).toMatch(/^\d+%$/), { timeout: 5000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Stop recording' }));
    await waitFor(() => expect(meter).toHaveAttribute('aria-valuetext', 'Silent'));
    await expect(level(meter)).toBe(0);
  },
};

/** A SpeechPlayer's output: the meter follows the voice (no microphone). */
export const FromAPlayer: Story = {
  render: () => {
    const Speaking = () => {
      const player = useStoryPlayer({ ...SPEECH_DEFAULTS, text: 'Loud and clear, word after word.' });
      return <LevelMeter source={player} label="Speech level" />;
    };
    return <Speaking />;
  },
  play: async ({ canvas }) => {
    const meter = canvas.getByRole('meter', { name: 'Speech level' });
    await waitFor(() => expect(level(meter)).toBeGreaterThan(0.2), { timeout: 10_000 });
  },
};

/** A getter and your own words and look: a German name and value, a wider bar in another colour. */
export const FromAGetterCustomised: Story = {
  render: () => {
    const steady: LevelInput = () => 0.6;
    return (
      <LevelMeter
        source={steady}
        label="Pegel"
        formatValueText={(percent) => (percent < 5 ? 'Still' : `${percent} Prozent`)}
        style={{ inlineSize: '12rem', blockSize: '0.75rem', '--ek-level-color': '#0f766e' } as CSSProperties}
      />
    );
  },
  play: async ({ canvas }) => {
    const meter = canvas.getByRole('meter', { name: 'Pegel' });
    await waitFor(() => expect(meter).toHaveAttribute('aria-valuetext', '60 Prozent'));
    await expect(level(meter)).toBeCloseTo(0.6);
  },
};
