// useTranscription both ways against the emulator: realtime (the emulator's voice played into a stream, transcribed
// as it is said: partial, then committed text) and batch (a WAV take uploaded, words back with their timings).
import type { TranscriptWord } from '@elevenkit/core';
import { useTranscription } from '@elevenkit/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useId, useRef, useState } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';
import { strict } from './PlayerStorySupport.tsx';
import {
  emulatorTranscription,
  emulatorUpload,
  speaker,
  speakingStream,
  spokenTake,
} from './TranscriptionStorySupport.tsx';

interface StoryArgs {
  mode: 'realtime' | 'batch';
  /** What is said. */
  said: string;
  commitStrategy: 'vad' | 'manual';
}

const seconds = (s: number) => `${s.toFixed(2)} s`;

function Words({ words }: { words: readonly TranscriptWord[] }) {
  return (
    <ol aria-label="Words with timings" className="story-words">
      {words
        .filter((word) => word.type === 'word')
        .map((word, i) => (
          <li key={i}>
            {word.text}{' '}
            <small>
              ({seconds(word.start)}–{seconds(word.end)})
            </small>
          </li>
        ))}
    </ol>
  );
}

function TranscriptionPanel({ mode, said, commitStrategy }: StoryArgs) {
  const options = mode === 'batch' ? emulatorUpload() : emulatorTranscription();
  const { snapshot, start, stop, commit, transcribe, reset } = useTranscription({ mode, commitStrategy, ...options });
  const stream = useRef<MediaStream | null>(null);
  const [sawPartial, setSawPartial] = useState(false);
  if (snapshot.partial && !sawPartial) setSawPartial(true);
  const busy = snapshot.status === 'connecting' || snapshot.status === 'transcribing';

  const run = async () => {
    reset();
    setSawPartial(false);
    if (mode === 'batch') {
      await transcribe(await spokenTake(said)).catch(() => {});
      return;
    }
    stream.current = await speakingStream(said);
    await start(stream.current).catch(() => {});
  };
  const finish = async () => {
    await stop();
    for (const track of stream.current?.getTracks() ?? []) track.stop();
  };

  return (
    <section aria-label={`${mode} transcription`}>
      <p>
        <button type="button" onClick={run} disabled={busy}>
          {mode === 'batch' ? 'Transcribe the recording' : 'Speak and transcribe'}
        </button>{' '}
        {mode === 'realtime' && (
          <>
            {commitStrategy === 'manual' && (
              <button type="button" onClick={commit} disabled={snapshot.status !== 'transcribing'}>
                Commit
              </button>
            )}{' '}
            <button type="button" onClick={finish} disabled={!busy}>
              Stop
            </button>
          </>
        )}
      </p>
      <p role="status" data-status={snapshot.status}>
        Status: {snapshot.status}
        {snapshot.error && ` — ${snapshot.error.message} (${snapshot.error.code})`}
      </p>
      <p aria-live="polite" data-testid="transcript">
        <span data-testid="committed">{snapshot.text}</span>{' '}
        <i data-testid="partial" data-seen={sawPartial || undefined} style={{ color: '#57606a' }}>
          {snapshot.partial}
        </i>
      </p>
      {snapshot.committed.map((segment, i) => (
        <Words key={i} words={segment.words} />
      ))}
    </section>
  );
}

/** Realtime with pause: someone speaks on cue (type the words, Say it); what is said while paused is not transcribed. */
function PausePanel() {
  const { snapshot, start, stop, pause, resume } = useTranscription({ mode: 'realtime', ...emulatorTranscription() });
  const mic = useRef<Awaited<ReturnType<typeof speaker>> | null>(null);
  const [words, setWords] = useState('the first part');
  const [saying, setSaying] = useState(false);
  const [said, setSaid] = useState('');
  const fieldId = useId();
  const { status } = snapshot;
  const busy = status === 'connecting' || status === 'transcribing' || status === 'paused';

  const begin = async () => {
    mic.current = await speaker();
    await start(mic.current.stream).catch(() => {});
  };
  const sayIt = async () => {
    setSaying(true);
    await mic.current?.say(words);
    setSaying(false);
    setSaid(`Said “${words}”${status === 'paused' ? ' while paused' : ''}.`);
  };
  const finish = async () => {
    await stop();
    for (const track of mic.current?.stream.getTracks() ?? []) track.stop();
  };

  return (
    <section aria-label="realtime transcription with pause">
      <p>
        <button type="button" onClick={begin} disabled={busy}>
          Start listening
        </button>{' '}
        <button type="button" onClick={() => (status === 'paused' ? resume() : void pause())} disabled={!busy}>
          {status === 'paused' ? 'Resume' : 'Pause'}
        </button>{' '}
        <button type="button" onClick={finish} disabled={!busy}>
          Stop
        </button>
      </p>
      <p>
        <label htmlFor={fieldId}>Words to say into the microphone</label>{' '}
        <input id={fieldId} value={words} onChange={(event) => setWords(event.target.value)} />{' '}
        <button type="button" onClick={sayIt} disabled={!busy || saying}>
          Say it
        </button>{' '}
        <span data-testid="said">{saying ? 'Saying…' : said}</span>
      </p>
      <p role="status" data-status={status}>
        Status: {status}
        {snapshot.error && ` — ${snapshot.error.message} (${snapshot.error.code})`}
      </p>
      <p aria-live="polite">
        <span data-testid="committed">{snapshot.text}</span> <i style={{ color: '#57606a' }}>{snapshot.partial}</i>
      </p>
    </section>
  );
}

// Stories that have the emulator recognise speech captured in the page are tagged `speech` (see vite.config.ts).
/** Realtime across a microphone switch: two microphones, each speaking on cue; the transcriber moves to the second. */
function SwitchPanel() {
  const { snapshot, start, stop, switchStream } = useTranscription({ mode: 'realtime', ...emulatorTranscription() });
  const mics = useRef<Awaited<ReturnType<typeof speaker>>[]>([]);
  const [using, setUsing] = useState(0);
  const [said, setSaid] = useState('');
  const { status } = snapshot;
  const busy = status === 'connecting' || status === 'transcribing';

  const begin = async () => {
    mics.current = [await speaker(), await speaker()];
    setUsing(0);
    const started = start(mics.current[0]!.stream).catch(() => {});
    // As a page's effect on the device may do while start() opens it: the same stream is not listened to twice.
    void switchStream(mics.current[0]!.stream);
    await started;
  };
  const say = async (index: number, words: string) => {
    await mics.current[index]?.say(words);
    setSaid(`Microphone ${index + 1} said “${words}”.`);
  };
  const switchTo = async (index: number) => {
    await switchStream(mics.current[index]!.stream);
    setUsing(index);
  };
  const finish = async () => {
    await stop();
    for (const mic of mics.current) for (const track of mic.stream.getTracks()) track.stop();
  };

  return (
    <section aria-label="realtime transcription across a microphone switch">
      <p>
        <button type="button" onClick={begin} disabled={busy}>
          Start listening
        </button>{' '}
        <button type="button" onClick={() => void switchTo(1)} disabled={!busy || using === 1}>
          Switch to microphone 2
        </button>{' '}
        <button type="button" onClick={finish} disabled={!busy}>
          Stop
        </button>
      </p>
      <p>
        <button type="button" onClick={() => void say(0, 'said into the first')} disabled={!busy}>
          Speak into microphone 1
        </button>{' '}
        <button type="button" onClick={() => void say(1, 'and then the second')} disabled={!busy}>
          Speak into microphone 2
        </button>{' '}
        <span data-testid="said">{said}</span>
      </p>
      <p role="status" data-status={status} data-using={using + 1}>
        Status: {status}, listening to microphone {using + 1}
        {snapshot.error && ` — ${snapshot.error.message} (${snapshot.error.code})`}
      </p>
      <p aria-live="polite">
        <span data-testid="committed">{snapshot.text}</span> <i style={{ color: '#57606a' }}>{snapshot.partial}</i>
      </p>
    </section>
  );
}

const meta = {
  title: 'Recorder/Transcription',
  component: TranscriptionPanel,
  decorators: [strict],
  args: { mode: 'realtime', said: 'the quick brown fox', commitStrategy: 'vad' },
  argTypes: {
    mode: { control: 'inline-radio', options: ['realtime', 'batch'] },
    commitStrategy: { control: 'inline-radio', options: ['vad', 'manual'] },
  },
  parameters: { layout: 'padded' },
} satisfies Meta<typeof TranscriptionPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * Realtime: the words show as partial text while they are said; Stop commits them, exactly what was said, with word
 * timings. (With `vad`, the service also commits by itself after 1.5 s of silence: see the e2e tests.)
 */
export const Realtime: Story = {
  tags: ['speech'],
  play: async ({ canvas, args }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Speak and transcribe' }));
    // All of it heard: still partial, or already committed by the service's VAD (on a slow machine).
    const heard = () =>
      [canvas.getByTestId('committed').textContent, canvas.getByTestId('partial').textContent].join(' ').trim();
    await waitFor(() => expect(heard()).toBe(args.said), { timeout: 10_000 });
    await expect(canvas.getByTestId('partial')).toHaveAttribute('data-seen');
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Status: done'));
    await expect(canvas.getByTestId('committed')).toHaveTextContent(args.said);
    const words = canvas
      .getAllByRole('list', { name: 'Words with timings' })
      .flatMap((list) => [...list.querySelectorAll('li')]);
    await expect(words.map((item) => item.firstChild?.textContent?.trim())).toEqual(args.said.split(' '));
  },
};

/** Manual commit: the words stay partial until Commit is pressed. */
export const RealtimeManualCommit: Story = {
  tags: ['speech'],
  args: { commitStrategy: 'manual', said: 'commit when ready' },
  play: async ({ canvas, args }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Speak and transcribe' }));
    await waitFor(() => expect(canvas.getByTestId('partial')).toHaveTextContent(args.said), { timeout: 15_000 });
    await expect(canvas.getByTestId('committed')).toHaveTextContent('');
    await userEvent.click(canvas.getByRole('button', { name: 'Commit' }));
    await waitFor(() => expect(canvas.getByTestId('committed')).toHaveTextContent(args.said));
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }));
  },
};

/** Batch: a recording uploaded, the text and each word's timing back. */
export const Batch: Story = {
  args: { mode: 'batch', said: 'meeting moved to three' },
  play: async ({ canvas, args }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Transcribe the recording' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Status: done'), { timeout: 15_000 });
    await expect(canvas.getByTestId('committed')).toHaveTextContent(args.said);
    const items = [...canvas.getByRole('list', { name: 'Words with timings' }).querySelectorAll('li')];
    await expect(items.map((item) => item.firstChild?.textContent?.trim())).toEqual(args.said.split(' '));
  },
};

/**
 * Pause and resume (as the recorder's pause does): the first words are committed when it pauses, words said while
 * paused are never sent, and listening goes on after Resume with the text kept.
 */
export const RealtimePauseResume: Story = {
  tags: ['speech'],
  render: () => <PausePanel />,
  play: async ({ canvas }) => {
    const field = canvas.getByRole('textbox', { name: 'Words to say into the microphone' });
    const sayIt = async (words: string) => {
      await userEvent.clear(field);
      await userEvent.type(field, words);
      await userEvent.click(canvas.getByRole('button', { name: 'Say it' }));
      await waitFor(() => expect(canvas.getByTestId('said')).toHaveTextContent(`Said “${words}”`), { timeout: 10_000 });
    };
    await userEvent.click(canvas.getByRole('button', { name: 'Start listening' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Status: transcribing'));
    await sayIt('the first part');
    await userEvent.click(canvas.getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(canvas.getByTestId('committed')).toHaveTextContent('the first part'));
    await expect(canvas.getByRole('status')).toHaveTextContent('Status: paused');
    await sayIt('not for the record');
    await userEvent.click(canvas.getByRole('button', { name: 'Resume' }));
    await sayIt('and the rest');
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Status: done'), { timeout: 10_000 });
    await expect(canvas.getByTestId('committed').textContent).toBe('the first part and the rest');
  },
};

/**
 * Switching microphones while transcribing (as the recorder's microphone list does): `switchStream` moves the
 * session to the new stream with the text kept; the microphone switched away from is no longer heard.
 */
export const RealtimeSwitchMicrophone: Story = {
  tags: ['speech'],
  render: () => <SwitchPanel />,
  play: async ({ canvas }) => {
    const said = (text: string) =>
      waitFor(() => expect(canvas.getByTestId('said')).toHaveTextContent(text), { timeout: 10_000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Start listening' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveAttribute('data-status', 'transcribing'));
    await userEvent.click(canvas.getByRole('button', { name: 'Speak into microphone 1' }));
    await said('Microphone 1 said “said into the first”.');
    await userEvent.click(canvas.getByRole('button', { name: 'Switch to microphone 2' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveAttribute('data-using', '2'));
    await userEvent.click(canvas.getByRole('button', { name: 'Speak into microphone 2' }));
    await said('Microphone 2 said “and then the second”.');
    await userEvent.click(canvas.getByRole('button', { name: 'Speak into microphone 1' })); // no longer heard
    await said('Microphone 1 said “said into the first”.');
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveAttribute('data-status', 'done'), { timeout: 10_000 });
    await expect(canvas.getByTestId('committed').textContent).toBe('said into the first and then the second');
  },
};
