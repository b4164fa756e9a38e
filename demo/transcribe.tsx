// The speech-to-text demo: a recorder (useRecorder) whose live stream is transcribed as it is spoken
// (useTranscription realtime: Scribe from @elevenlabs/client, tokens from this server's route) and whose take is
// then uploaded for a batch transcript with word timings; and a SpeechInput for dictation into a field.
/// <reference types="vite/client" />
import '../packages/react/src/styles.css';
import type { TranscriptWord } from '@elevenkit/core';
import { SpeechInput, useRecorder, useTranscription } from '@elevenkit/react';
import { StrictMode, useId, useState } from 'react';
import { createRoot } from 'react-dom/client';

declare const __ELEVENKIT_DEMO_TOKEN_ENDPOINT__: { agentId: string; upstream: 'emulator' | 'elevenlabs' };

/**
 * Where the realtime socket goes: the emulator mounted on this server, or ElevenLabs when the server signs with a
 * real key (tokens are only good where they were minted).
 */
const baseUri =
  __ELEVENKIT_DEMO_TOKEN_ENDPOINT__.upstream === 'emulator' ? location.origin.replace(/^http/, 'ws') : undefined;

const seconds = (s: number) => `${s.toFixed(2)} s`;

function Words({ words }: { words: readonly TranscriptWord[] }) {
  return (
    <ol className="word-list" aria-label="Words with timings">
      {words
        .filter((word) => word.type === 'word')
        .map((word, i) => (
          <li key={i}>
            {word.text}{' '}
            <small>
              {seconds(word.start)}–{seconds(word.end)}
            </small>
          </li>
        ))}
    </ol>
  );
}

function BothWays() {
  const { recorder, snapshot: rec } = useRecorder({ format: 'compressed' });
  const live = useTranscription({ mode: 'realtime', baseUri });
  const batch = useTranscription({ mode: 'batch' });
  const ids = { live: useId(), batch: useId() };

  const recording = rec.status === 'recording' || rec.status === 'requesting';
  const record = async () => {
    batch.reset();
    live.reset();
    await recorder.start();
    // The same microphone stream the recorder captures, transcribed while it records.
    if (recorder.stream) await live.start(recorder.stream).catch(() => {});
  };
  const stop = async () => {
    // Stop the transcription first: it commits the last words while the stream still runs.
    await live.stop();
    await recorder.stop();
  };
  const transcribeTake = () => {
    if (rec.take) void batch.transcribe(rec.take.blob).catch(() => {});
  };

  return (
    <section aria-labelledby="both-heading">
      <h2 id="both-heading">Transcribe both ways</h2>
      <p>
        <button type="button" onClick={() => void record()} disabled={recording}>
          Record
        </button>{' '}
        <button type="button" onClick={() => void stop()} disabled={rec.status !== 'recording'}>
          Stop
        </button>{' '}
        <span role="status">
          {rec.error
            ? rec.error.message
            : rec.status === 'recording'
              ? 'Recording: speak now.'
              : rec.take
                ? `Recorded ${seconds(rec.take.duration)}.`
                : ''}
        </span>
      </p>

      <div className="transcribe-panel" aria-labelledby={ids.live} role="region">
        <h3 id={ids.live}>Live, as you speak</h3>
        <p className="transcribe-live" data-status={live.snapshot.status}>
          <span aria-live="polite" data-testid="live-committed">
            {live.snapshot.text}
          </span>{' '}
          <span className="transcribe-partial" aria-hidden="true" data-testid="live-partial">
            {live.snapshot.partial}
          </span>
        </p>
        {live.snapshot.error && <p role="alert">{live.snapshot.error.message}</p>}
      </div>

      <div className="transcribe-panel" aria-labelledby={ids.batch} role="region">
        <h3 id={ids.batch}>The recording, after</h3>
        <p>
          <button
            type="button"
            onClick={transcribeTake}
            disabled={!rec.take || recording || batch.snapshot.status === 'transcribing'}
          >
            Transcribe the recording
          </button>{' '}
          <span role="status">{batch.snapshot.status === 'transcribing' ? 'Transcribing…' : ''}</span>
        </p>
        {batch.snapshot.status === 'done' && (
          <>
            <p data-testid="batch-text">{batch.snapshot.text || '(nothing was said)'}</p>
            <Words words={batch.snapshot.committed[0]?.words ?? []} />
          </>
        )}
        {batch.snapshot.error && <p role="alert">{batch.snapshot.error.message}</p>}
      </div>
    </section>
  );
}

function Dictation() {
  const [message, setMessage] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  return (
    <section aria-labelledby="dictate-heading">
      <h2 id="dictate-heading">Dictate into a field</h2>
      <p>
        Press the microphone (or Ctrl+Shift+Space in the field) and speak; press it again to keep the words, Escape to
        put the field back as it was.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setSent(message);
          setMessage('');
        }}
      >
        <SpeechInput
          label="Message"
          multiline
          value={message}
          onChange={setMessage}
          baseUri={baseUri}
          fieldProps={{ rows: 3, name: 'message' }}
        />
        <p>
          <button type="submit" disabled={!message.trim()}>
            Send
          </button>
        </p>
      </form>
      {sent !== null && <p role="status">Sent: {sent}</p>}
    </section>
  );
}

createRoot(document.getElementById('transcribe-app')!).render(
  <StrictMode>
    <BothWays />
    <Dictation />
  </StrictMode>,
);
