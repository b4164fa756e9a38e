// Dictation into a field in jsdom, given a transcriber in each state (TestTranscriber): what the field holds, the
// controls' names and states, the keyboard, the announcements and the microphone's release. Transcription itself
// is tested in Chromium against the emulator (test/transcription.e2e.test.ts).
import { act, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { insertDictation, SpeechInput } from './speech-input.tsx';
import { cleanup, render } from './test-render.tsx';
import { fakeStream, TestTranscriber } from './test-transcriber.ts';

afterEach(() => cleanup());

const parts = (page: HTMLElement) => ({
  field: page.querySelector<HTMLInputElement>('.ek-speech-input-field')!,
  mic: page.querySelector<HTMLButtonElement>('button[aria-label="Dictate"]')!,
  cancel: page.querySelector<HTMLButtonElement>('button[aria-label="Cancel dictation"]'),
  status: page.querySelector('[role="status"]')!,
  partial: page.querySelector('.ek-speech-input-partial')!,
  error: page.querySelector('.ek-speech-input-error'),
});

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
const click = async (button: HTMLElement) => {
  act(() => button.click());
  await settle();
};
const key = (target: HTMLElement, init: KeyboardEventInit) =>
  act(() => void target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init })));
const type = (field: HTMLInputElement, text: string) =>
  act(() => {
    // React listens for input events; set the value the way a keystroke would.
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    setter.call(field, text);
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });

function setup(props: Partial<Parameters<typeof SpeechInput>[0]> = {}) {
  const transcriber = new TestTranscriber();
  const mic = fakeStream();
  const getStream = vi.fn(async () => mic.stream);
  const page = render(<SpeechInput label="Message" transcriber={transcriber} getStream={getStream} {...props} />);
  return { page, transcriber, mic, getStream };
}

describe('SpeechInput', () => {
  it('labels the field and names the dictation toggle', () => {
    const { page } = setup({ defaultValue: 'Hi' });
    const { field, mic, cancel } = parts(page);
    expect(page.querySelector(`label[for="${field.id}"]`)?.textContent).toBe('Message');
    expect(field.value).toBe('Hi');
    expect(mic.getAttribute('aria-pressed')).toBe('false');
    expect(mic.getAttribute('aria-controls')).toBe(field.id);
    expect(mic.getAttribute('aria-keyshortcuts')).toContain('Control+Shift+Space');
    expect(cancel).toBeNull();
  });

  it('press, speak, press again: committed words land in the field, the partial is shown beside it', async () => {
    const onDictation = vi.fn();
    const { page, transcriber, mic: microphone } = setup({ defaultValue: 'Note:', onDictation });
    await click(parts(page).mic);
    expect(transcriber.calls).toContain('start');
    expect(parts(page).mic.getAttribute('aria-pressed')).toBe('true');
    expect(parts(page).field.readOnly).toBe(true);
    expect(parts(page).status.textContent).toMatch(/Listening/);

    act(() => transcriber.hear('buy'));
    expect(parts(page).partial.textContent).toBe('buy');
    expect(parts(page).field.value).toBe('Note:');

    act(() => transcriber.commitText('buy milk.'));
    expect(parts(page).field.value).toBe('Note: buy milk.');
    expect(parts(page).partial.textContent).toBe('');

    act(() => transcriber.hear('and eggs'));
    await click(parts(page).mic);
    expect(transcriber.calls).toContain('stop');
    // What was still being heard is kept when dictation ends.
    expect(parts(page).field.value).toBe('Note: buy milk. and eggs');
    expect(parts(page).mic.getAttribute('aria-pressed')).toBe('false');
    expect(parts(page).field.readOnly).toBe(false);
    expect(parts(page).status.textContent).toBe('Dictation added.');
    expect(microphone.track.stopped).toBe(true);
    expect(onDictation).toHaveBeenCalledWith('buy milk. and eggs');
  });

  it('Esc cancels and puts the field back as it was', async () => {
    const { page, transcriber, mic } = setup({ defaultValue: 'Dear Sam,' });
    await click(parts(page).mic);
    act(() => transcriber.commitText('thanks for everything'));
    expect(parts(page).field.value).toBe('Dear Sam, thanks for everything');
    key(parts(page).field, { key: 'Escape' });
    expect(parts(page).field.value).toBe('Dear Sam,');
    expect(parts(page).status.textContent).toBe('Dictation cancelled.');
    expect(transcriber.calls).toContain('reset');
    expect(mic.track.stopped).toBe(true);
    expect(document.activeElement).toBe(parts(page).field);
  });

  it('the cancel button does the same', async () => {
    const { page, transcriber } = setup({ defaultValue: 'a' });
    await click(parts(page).mic);
    act(() => transcriber.commitText('b'));
    await click(parts(page).cancel!);
    expect(parts(page).field.value).toBe('a');
    expect(parts(page).cancel).toBeNull();
  });

  it('Ctrl+Shift+Space in the field starts and stops dictation', async () => {
    const { page, transcriber } = setup();
    key(parts(page).field, { key: ' ', code: 'Space', ctrlKey: true, shiftKey: true });
    await settle();
    expect(parts(page).mic.getAttribute('aria-pressed')).toBe('true');
    act(() => transcriber.commitText('hello'));
    key(parts(page).field, { key: ' ', code: 'Space', metaKey: true, shiftKey: true });
    await settle();
    expect(parts(page).mic.getAttribute('aria-pressed')).toBe('false');
    expect(parts(page).field.value).toBe('hello');
  });

  it('inserts at the caret and replaces a selection', async () => {
    const { page, transcriber } = setup({ defaultValue: 'Meet at noon tomorrow' });
    const { field } = parts(page);
    act(() => field.focus());
    field.setSelectionRange(8, 12); // "noon"
    await click(parts(page).mic);
    act(() => transcriber.commitText('three'));
    await click(parts(page).mic);
    expect(parts(page).field.value).toBe('Meet at three tomorrow');
  });

  it('appends at the end when the field was never used, and at the last caret after it lost focus', async () => {
    const { page, transcriber } = setup({ defaultValue: 'one three' });
    await click(parts(page).mic);
    act(() => transcriber.commitText('four'));
    await click(parts(page).mic);
    expect(parts(page).field.value).toBe('one three four');
    const { field } = parts(page);
    act(() => field.focus());
    field.setSelectionRange(3, 3);
    act(() => field.blur());
    await click(parts(page).mic);
    act(() => transcriber.commitText('two'));
    await click(parts(page).mic);
    expect(parts(page).field.value).toBe('one two three four');
  });

  it('works controlled: the parent holds the value', async () => {
    const transcriber = new TestTranscriber();
    const seen: string[] = [];
    function Form() {
      const [text, setText] = useState('To do:');
      return (
        <>
          <SpeechInput
            label="List"
            value={text}
            onChange={(v) => {
              seen.push(v);
              setText(v);
            }}
            transcriber={transcriber}
            getStream={async () => fakeStream().stream}
          />
          <output>{text}</output>
        </>
      );
    }
    const page = render(<Form />);
    type(parts(page).field, 'To do: call');
    expect(page.querySelector('output')?.textContent).toBe('To do: call');
    await click(parts(page).mic);
    act(() => transcriber.commitText('mum'));
    expect(page.querySelector('output')?.textContent).toBe('To do: call mum');
    key(parts(page).mic, { key: 'Escape' });
    expect(page.querySelector('output')?.textContent).toBe('To do: call');
    expect(seen.at(-1)).toBe('To do: call');
  });

  it('explains a blocked microphone and stays usable', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'NotAllowedError' });
    const { page, transcriber } = setup({ getStream: async () => Promise.reject(denied) });
    await click(parts(page).mic);
    expect(parts(page).error?.textContent).toMatch(/Microphone access is blocked/);
    expect(parts(page).field.getAttribute('aria-describedby')).toBe(parts(page).error?.id);
    expect(parts(page).status.textContent).toMatch(/Microphone access is blocked/);
    expect(parts(page).mic.getAttribute('aria-pressed')).toBe('false');
    expect(transcriber.calls).not.toContain('start');
  });

  it('a transcription error ends dictation, keeps the words so far and says what happened', async () => {
    const { page, transcriber, mic } = setup({ defaultValue: '' });
    await click(parts(page).mic);
    act(() => transcriber.commitText('first words'));
    act(() => transcriber.set({ status: 'error', error: { code: 'quota', message: 'The quota is used up.' } }));
    await settle();
    expect(parts(page).field.value).toBe('first words');
    expect(parts(page).error?.textContent).toBe('The quota is used up.');
    expect(parts(page).status.textContent).toBe('The quota is used up.');
    expect(parts(page).mic.getAttribute('aria-pressed')).toBe('false');
    expect(mic.track.stopped).toBe(true);
  });

  it('says when it is reconnecting', async () => {
    const { page, transcriber } = setup();
    await click(parts(page).mic);
    act(() => transcriber.set({ status: 'connecting' }));
    expect(parts(page).status.textContent).toMatch(/reconnecting/);
    expect(parts(page).mic.getAttribute('aria-pressed')).toBe('true');
  });

  it('lets go of the microphone on unmount', async () => {
    const { page, mic } = setup();
    await click(parts(page).mic);
    cleanup();
    expect(mic.track.stopped).toBe(true);
    expect(page.isConnected).toBe(false);
  });

  it('renders a textarea when multiline', () => {
    const { page } = setup({ multiline: true, fieldProps: { rows: 4, placeholder: 'Say something' } });
    const area = page.querySelector('textarea')!;
    expect(area.rows).toBe(4);
    expect(area.placeholder).toBe('Say something');
  });
});

describe('insertDictation', () => {
  it('adds spaces only where words would run together', () => {
    expect(insertDictation('', '', 'hello')).toBe('hello');
    expect(insertDictation('Hi', '', 'there')).toBe('Hi there');
    expect(insertDictation('Hi ', '', 'there')).toBe('Hi there');
    expect(insertDictation('Hi', '.', 'there')).toBe('Hi there.');
    expect(insertDictation('Hi', 'again', 'there')).toBe('Hi there again');
    expect(insertDictation('Hi', ' again', '')).toBe('Hi again');
  });
});
