// <MicSelector> with the real MediaDevicesStore and Recorder in Chromium, whose fake devices are three microphones
// ("Fake Default Audio Input", "Fake Audio Input 1" and "2"): the list, the device in use while recording,
// switching while recording without losing the take, the remembered choice, and what shows before names are known.
import { MicSelector, Recorder, useMediaDevices, useRecorder } from '@elevenkit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';
import { TestDevices } from '../packages/react/src/components/test-recorder.ts';
import { strict } from './PlayerStorySupport.tsx';
import './RecorderStorySupport.tsx';

/** A recorder with a microphone list beside it. */
function MicrophonePicker() {
  const { recorder } = useRecorder();
  return (
    <Recorder.Root recorder={recorder}>
      <Recorder.RecordButton />
      <Recorder.StopButton />
      <Recorder.Timer />
      <Recorder.MicSelector />
      <Recorder.Status />
      <Recorder.Playback />
    </Recorder.Root>
  );
}

const meta = {
  title: 'Recorder/MicSelector',
  component: MicrophonePicker,
  decorators: [strict],
  parameters: { layout: 'padded' },
} satisfies Meta<typeof MicrophonePicker>;

export default meta;
type Story = StoryObj<typeof meta>;
type Canvas = Parameters<NonNullable<Story['play']>>[0]['canvas'];

const select = (canvas: Canvas) => canvas.getByRole('combobox', { name: 'Microphone' }) as HTMLSelectElement;
const shown = (canvas: Canvas) => select(canvas).selectedOptions[0]?.textContent;
const optionNames = (canvas: Canvas) => Array.from(select(canvas).options, (option) => option.textContent);

/** The browser's microphones in a native select, the system default first and named after its device. */
export const Devices: Story = {
  play: async ({ canvas }) => {
    await waitFor(() =>
      expect(optionNames(canvas)).toEqual([
        'System default (Fake Default Audio Input)',
        'Fake Audio Input 1',
        'Fake Audio Input 2',
      ]),
    );
    await expect(select(canvas)).toHaveValue('');
  },
};

/**
 * Switching while recording: the select shows the device the recorder really uses, a new choice takes over the
 * recording at once, and the take keeps what was recorded before and after.
 */
export const SwitchWhileRecording: Story = {
  play: async ({ canvas }) => {
    await waitFor(() => expect(optionNames(canvas)).toHaveLength(3));
    await userEvent.selectOptions(select(canvas), '');
    await userEvent.click(canvas.getByRole('button', { name: 'Record' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Recording'), { timeout: 10_000 });
    await expect(shown(canvas)).toBe('System default (Fake Default Audio Input)');
    await waitFor(() => expect(canvas.getByRole('timer')).toHaveTextContent('0:01'), { timeout: 5000 });
    await userEvent.selectOptions(select(canvas), 'Fake Audio Input 2');
    await waitFor(() => expect(shown(canvas)).toBe('Fake Audio Input 2'));
    await expect(canvas.getByRole('group', { name: 'Recorder' })).toHaveAttribute('data-state', 'recording');
    await waitFor(() => expect(canvas.getByRole('timer')).toHaveTextContent('0:02'), { timeout: 5000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Stop recording' }));
    await waitFor(() => expect(canvas.getAllByRole('status')[0]).toHaveTextContent(/\d seconds recorded\./));
    const take = canvas.getByRole('group', { name: 'Your recording' });
    await waitFor(() => expect(take.querySelector('.ek-duration')?.textContent).toMatch(/^0:0[2-4]$/), {
      timeout: 10_000,
    });
    // The choice is remembered: back to the list, it is still selected.
    await expect(shown(canvas)).toBe('Fake Audio Input 2');
  },
};

/** On its own, without a recorder: a choice is remembered (localStorage) for the next recorder on the page. */
export const RemembersTheChoice: Story = {
  render: () => {
    const Remembering = () => {
      const devices = useMediaDevices();
      const [showRecorder, setShowRecorder] = useState(false);
      return (
        <div style={{ display: 'grid', gap: '1rem', justifyItems: 'start' }}>
          <MicSelector devices={devices.store ?? undefined} />
          <button type="button" onClick={() => setShowRecorder(true)}>
            Open a recorder
          </button>
          {showRecorder && <MicrophonePicker />}
        </div>
      );
    };
    return <Remembering />;
  },
  play: async ({ canvas }) => {
    const first = () => canvas.getAllByRole('combobox', { name: 'Microphone' })[0] as HTMLSelectElement;
    await waitFor(() => expect(first().options).toHaveLength(3));
    await userEvent.selectOptions(first(), 'Fake Audio Input 1');
    await userEvent.click(canvas.getByRole('button', { name: 'Open a recorder' }));
    const second = () => canvas.getAllByRole('combobox', { name: 'Microphone' })[1] as HTMLSelectElement;
    await waitFor(() => expect(second().selectedOptions[0]?.textContent).toBe('Fake Audio Input 1'));
    await userEvent.click(canvas.getByRole('button', { name: 'Record' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Recording'), { timeout: 10_000 });
    // The recorder opened the remembered microphone.
    await expect(second().selectedOptions[0]?.textContent).toBe('Fake Audio Input 1');
    await userEvent.click(canvas.getByRole('button', { name: 'Stop recording' }));
    await userEvent.selectOptions(first(), '');
  },
};

/**
 * Before the page may use the microphone, browsers give no names (here a list as a browser reports it then): the
 * devices are numbered, and nothing asks for permission until Record.
 */
export const BeforePermission: Story = {
  render: () => (
    <MicSelector
      devices={
        new TestDevices({
          permission: 'prompt',
          devices: [
            { deviceId: 'a1', label: '', groupId: '' },
            { deviceId: 'b2', label: '', groupId: '' },
          ],
        })
      }
    />
  ),
  play: async ({ canvas }) => {
    await expect(optionNames(canvas)).toEqual(['System default', 'Microphone 1', 'Microphone 2']);
    await expect(select(canvas)).toHaveAttribute('data-permission', 'prompt');
  },
};

/** With a visible label (`aria-labelledby`) and translated option names. */
export const Labelled: Story = {
  render: () => (
    <div style={{ display: 'grid', gap: '0.25rem', justifyItems: 'start' }}>
      <span id="mic-label">Eingabegerät</span>
      <MicSelector aria-labelledby="mic-label" defaultLabel="Standard" unnamed={(index) => `Mikrofon ${index + 1}`} />
    </div>
  ),
  play: async ({ canvas }) => {
    const labelled = canvas.getByRole('combobox', { name: 'Eingabegerät' }) as HTMLSelectElement;
    await waitFor(() => expect(labelled.options[0]?.textContent).toBe('Standard (Fake Default Audio Input)'));
  },
};
