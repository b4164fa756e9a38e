// The recorder demo: useRecorder (a Recorder from @elevenkit/core, the microphone asked for on Record only) shown
// by the recorder kit of @elevenkit/react — buttons, timer, level meter, live waveform, microphone list, status —
// and the take played back in the player's components, with its own level meter. The transcription kit: the words
// appear live while recording (useTranscription realtime on `recorder.stream`, paused with it), the take is
// transcribed after (batch), and a SpeechInput takes dictation.
/// <reference types="vite/client" />
import '../packages/react/src/styles.css';
import type { RecorderApi, RecorderSnapshot } from '@elevenkit/core';
import { AudioPlayer, LevelMeter, Recorder, SpeechInput, useRecorder, useTranscription } from '@elevenkit/react';
import { StrictMode, useEffect, useId, useState } from 'react';
import { createRoot } from 'react-dom/client';

type Format = 'compressed' | 'wav';

declare const __ELEVENKIT_DEMO_TOKEN_ENDPOINT__: { agentId: string; upstream: 'emulator' | 'elevenlabs' };
/** The realtime socket goes where the tokens come from: the emulator on this server, or ElevenLabs with a real key. */
const baseUri =
  __ELEVENKIT_DEMO_TOKEN_ENDPOINT__.upstream === 'emulator' ? location.origin.replace(/^http/, 'ws') : undefined;

/** Transcribe both ways: live while the recorder records (its stream), and the take after. */
function TakeTranscription({ recorder, snapshot }: { recorder: RecorderApi; snapshot: RecorderSnapshot }) {
  const live = useTranscription({ mode: 'realtime', baseUri });
  const batch = useTranscription({ mode: 'batch' });
  const { start: startLive, stop: stopLive, pause: pauseLive, resume: resumeLive, switchStream } = live;
  const resetBatch = batch.reset;
  const [liveOn, setLiveOn] = useState(true);
  const ids = { live: useId(), toggle: useId() };
  const listening = snapshot.status === 'recording' || snapshot.status === 'paused';
  // The live transcript follows the recorder: it starts on the recorder's stream and commits the rest when it stops.
  useEffect(() => {
    if (!liveOn || !listening || !recorder.stream) return;
    void startLive(recorder.stream).catch(() => {});
    return () => void stopLive();
  }, [liveOn, listening, recorder, startLive, stopLive]);
  // Another microphone chosen while recording: the recorder's stream is a new one, and the live words follow it.
  useEffect(() => {
    if (recorder.stream) void switchStream(recorder.stream);
  }, [snapshot.deviceId, recorder, switchStream]);
  // Paused recording, paused listening: what is said meanwhile is neither recorded nor transcribed.
  useEffect(() => {
    if (snapshot.status === 'paused') void pauseLive();
    if (snapshot.status === 'recording') resumeLive();
  }, [snapshot.status, pauseLive, resumeLive]);
  useEffect(() => {
    if (snapshot.status === 'recording') resetBatch();
  }, [snapshot.status, resetBatch]);

  return (
    <div className="recorder-transcription">
      <p>
        <input id={ids.toggle} type="checkbox" checked={liveOn} onChange={(event) => setLiveOn(event.target.checked)} />{' '}
        <label htmlFor={ids.toggle}>Show the words live while recording</label>
      </p>
      {liveOn && (
        <p aria-labelledby={ids.live} role="region" data-testid="recorder-live">
          <strong id={ids.live}>Live: </strong>
          <span aria-live="polite">{live.snapshot.text}</span>{' '}
          <em aria-hidden="true" className="hint">
            {live.snapshot.partial}
          </em>
          {live.snapshot.error && <span role="alert"> {live.snapshot.error.message}</span>}
        </p>
      )}
      <p>
        <button
          type="button"
          disabled={!snapshot.take || snapshot.status !== 'stopped' || batch.snapshot.status === 'transcribing'}
          onClick={() => snapshot.take && void batch.transcribe(snapshot.take.blob).catch(() => {})}
        >
          Transcribe the recording
        </button>{' '}
        <span role="status">
          {batch.snapshot.status === 'transcribing'
            ? 'Transcribing…'
            : batch.snapshot.status === 'done'
              ? `Transcript: ${batch.snapshot.text || '(nothing was said)'}`
              : (batch.snapshot.error?.message ?? '')}
        </span>
      </p>
      {batch.snapshot.status === 'done' && (
        <ol aria-label="Words with timings" className="word-list">
          {(batch.snapshot.committed[0]?.words ?? [])
            .filter((word) => word.type === 'word')
            .map((word, i) => (
              <li key={i}>
                {word.text}{' '}
                <small className="hint">
                  {word.start.toFixed(2)}–{word.end.toFixed(2)} s
                </small>
              </li>
            ))}
        </ol>
      )}
    </div>
  );
}

const FORMATS: { id: Format; name: string }[] = [
  { id: 'compressed', name: 'Compressed (WebM/Opus or MP4)' },
  { id: 'wav', name: 'WAV (16-bit, 16 kHz)' },
];

/** One recorder (made again when the format changes: a recorder's options are fixed). */
function RecorderPanel({ format }: { format: Format }) {
  const { recorder, snapshot } = useRecorder({ format, maxDuration: 10 * 60 });
  const heading = useId();
  return (
    <section aria-labelledby={heading}>
      <h2 id={heading}>Record</h2>
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
        <Recorder.Playback>
          <AudioPlayer.PlayButton />
          <AudioPlayer.Time />
          <AudioPlayer.ScrubBar />
          <AudioPlayer.Duration />
          <LevelMeter label="Playback level" />
          <AudioPlayer.Download filename="recording" label="Download recording" />
          <AudioPlayer.Status />
        </Recorder.Playback>
      </Recorder.Root>
      {snapshot.take && snapshot.status === 'stopped' && (
        <p className="hint">
          {snapshot.take.mimeType}, {(snapshot.take.blob.size / 1024).toFixed(1)} kB.
        </p>
      )}
      <TakeTranscription recorder={recorder} snapshot={snapshot} />
    </section>
  );
}

function RecorderDemo() {
  const [format, setFormat] = useState<Format>('compressed');
  const ids = { format: useId() };
  return (
    <>
      <div className="recorder-options">
        <div className="recorder-field">
          <label htmlFor={ids.format}>Format</label>
          <select id={ids.format} value={format} onChange={(event) => setFormat(event.target.value as Format)}>
            {FORMATS.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <RecorderPanel key={format} format={format} />
      <section aria-labelledby="more-heading">
        <h2 id="more-heading">Speech to text</h2>
        <SpeechInput
          label="Dictate a note"
          multiline
          baseUri={baseUri}
          fieldProps={{ rows: 3, placeholder: 'Press the microphone and speak' }}
        />
        <p>
          More on the <a href="./transcribe.html">speech to text page</a>.
        </p>
      </section>
    </>
  );
}

createRoot(document.getElementById('recorder-app')!).render(
  <StrictMode>
    <RecorderDemo />
  </StrictMode>,
);
