// <SpeechInput>: dictation into a text field, over the real realtime transcriber against the emulator. The
// "microphone" is the emulator's own voice played into a stream (see TranscriptionStorySupport), so the words that
// appear are exactly the ones said.
import { SpeechInput, type SpeechInputProps } from '@elevenkit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';
import { strict } from './PlayerStorySupport.tsx';
import { emulatorTranscription, refusedToken, speakingStream } from './TranscriptionStorySupport.tsx';

interface StoryArgs {
  /** What the "microphone" says. */
  said: string;
  label: string;
  defaultValue: string;
  multiline: boolean;
  /** How the story's microphone behaves. */
  microphone: 'speaks' | 'blocked';
  /** How the token route behaves. */
  tokens: 'fresh' | 'refused';
}

function DictationField({ said, microphone, tokens, ...props }: StoryArgs & Partial<SpeechInputProps>) {
  const getStream =
    microphone === 'blocked'
      ? () => Promise.reject(Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' }))
      : () => speakingStream(said);
  return (
    <SpeechInput
      {...(tokens === 'refused' ? refusedToken() : emulatorTranscription())}
      getStream={getStream}
      fieldProps={{ name: 'message', placeholder: 'Type, or press the microphone and speak' }}
      {...props}
    />
  );
}

// Stories that have the emulator recognise speech captured in the page are tagged `speech` (see vite.config.ts).
const meta = {
  title: 'Recorder/SpeechInput',
  component: DictationField,
  decorators: [strict],
  args: {
    said: 'please call me back tomorrow',
    label: 'Message',
    defaultValue: '',
    multiline: false,
    microphone: 'speaks',
    tokens: 'fresh',
  },
  argTypes: {
    microphone: { control: 'inline-radio', options: ['speaks', 'blocked'] },
    tokens: { control: 'inline-radio', options: ['fresh', 'refused'] },
  },
  parameters: { layout: 'padded' },
} satisfies Meta<typeof DictationField>;

export default meta;
type Story = StoryObj<typeof meta>;

/** What the field shows so far: its text and the words still firming up beside it (committed or not yet). */
const shown = (root: HTMLElement) => {
  const field = root.querySelector<HTMLInputElement>('.ek-speech-input-field')!;
  const partial = root.querySelector('.ek-speech-input-partial')!.textContent ?? '';
  return `${field.value} ${partial}`.replace(/\s+/g, ' ').trim();
};

/** Idle: a labelled field and a named toggle; nothing asks for the microphone until it is pressed. */
export const Idle: Story = {
  play: async ({ canvas }) => {
    const field = canvas.getByRole('textbox', { name: 'Message' });
    const mic = canvas.getByRole('button', { name: 'Dictate' });
    await expect(mic).toHaveAttribute('aria-pressed', 'false');
    await expect(field).toHaveValue('');
    await userEvent.type(field, 'typed by hand');
    await expect(field).toHaveValue('typed by hand');
  },
};

/**
 * Press, speak, press again: the words show beside the field while they firm up; pressing again commits them and
 * they land after what was typed.
 */
export const Dictating: Story = {
  tags: ['speech'],
  args: { defaultValue: 'Note:' },
  play: async ({ canvas, args, canvasElement }) => {
    const field = canvas.getByRole('textbox', { name: 'Message' });
    const mic = canvas.getByRole('button', { name: 'Dictate' });
    await userEvent.click(mic);
    await expect(mic).toHaveAttribute('aria-pressed', 'true');
    const partial = canvasElement.querySelector('.ek-speech-input-partial')!;
    await waitFor(() => expect(partial).toHaveTextContent(args.said), { timeout: 10_000 });
    await expect(field).toHaveValue('Note:');
    await userEvent.click(mic);
    await waitFor(() => expect(mic).toHaveAttribute('aria-pressed', 'false'));
    await expect(field).toHaveValue(`Note: ${args.said}`);
    await expect(canvas.getByRole('status')).toHaveTextContent('Dictation added.');
  },
};

/** Esc cancels: the field is put back as it was before dictation began. */
export const CancelledWithEscape: Story = {
  tags: ['speech'],
  args: { defaultValue: 'Keep this.', said: 'throw this away' },
  play: async ({ canvas, canvasElement }) => {
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.click(canvas.getByRole('button', { name: 'Dictate' }));
    await waitFor(() => expect(shown(canvasElement)).toBe('Keep this. throw this away'), { timeout: 10_000 });
    await userEvent.keyboard('{Escape}');
    await expect(field).toHaveValue('Keep this.');
    await expect(canvas.getByRole('status')).toHaveTextContent('Dictation cancelled.');
    await expect(field).toHaveFocus();
  },
};

/** From the keyboard: Ctrl+Shift+Space in the field starts and stops dictation. */
export const Keyboard: Story = {
  tags: ['speech'],
  args: { said: 'no mouse needed' },
  play: async ({ canvas, canvasElement }) => {
    const field = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.click(field);
    await userEvent.keyboard('{Control>}{Shift>} {/Shift}{/Control}');
    await expect(canvas.getByRole('button', { name: 'Dictate' })).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(shown(canvasElement)).toBe('no mouse needed'), { timeout: 10_000 });
    await userEvent.keyboard('{Control>}{Shift>} {/Shift}{/Control}');
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Dictation added.'));
    await expect(field).toHaveValue('no mouse needed');
  },
};

function ControlledForm(args: StoryArgs) {
  const [text, setText] = useState('Dear team,');
  return (
    <form onSubmit={(event) => event.preventDefault()}>
      <DictationField {...args} value={text} onChange={setText} multiline fieldProps={{ rows: 4 }} />
      <p>
        Characters: <output aria-label="Characters">{text.length}</output>
      </p>
    </form>
  );
}

/** Controlled, multiline: the form's state follows the dictation. */
export const ControlledTextarea: Story = {
  tags: ['speech'],
  args: { label: 'Email body', said: 'the release is ready' },
  render: (args) => <ControlledForm {...args} />,
  play: async ({ canvas, canvasElement }) => {
    const field = canvas.getByRole('textbox', { name: 'Email body' });
    const expected = 'Dear team, the release is ready';
    await expect(field.tagName).toBe('TEXTAREA');
    await userEvent.click(canvas.getByRole('button', { name: 'Dictate' }));
    await waitFor(() => expect(shown(canvasElement)).toBe(expected), { timeout: 10_000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Dictate' }));
    await waitFor(() => expect(field).toHaveValue(expected));
    await expect(canvas.getByLabelText('Characters')).toHaveTextContent(String(expected.length));
  },
};

/** A blocked microphone: the reason, said and shown next to the field; the field still works. */
export const MicrophoneBlocked: Story = {
  args: { microphone: 'blocked' },
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Dictate' }));
    const error = () => canvasElement.querySelector('.ek-speech-input-error');
    await waitFor(() => expect(error()).toHaveTextContent(/Microphone access is blocked/));
    await expect(canvas.getByRole('status')).toHaveTextContent(/Microphone access is blocked/);
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toHaveAccessibleDescription(
      /Microphone access is blocked/,
    );
    await expect(canvas.getByRole('button', { name: 'Dictate' })).toHaveAttribute('aria-pressed', 'false');
  },
};

/** Every token refused (as an expired one is, three times over): a typed error, not a loop. */
export const TokenRefused: Story = {
  args: { tokens: 'refused' },
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Dictate' }));
    const error = () => canvasElement.querySelector('.ek-speech-input-error');
    await waitFor(() => expect(error()).toHaveTextContent(/token was refused/), { timeout: 10_000 });
    await expect(canvas.getByRole('status')).toHaveTextContent(/token was refused/);
    await expect(canvas.getByRole('button', { name: 'Dictate' })).toHaveAttribute('aria-pressed', 'false');
  },
};
