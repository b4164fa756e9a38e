// The recorder demo: useRecorder (a Recorder from @elevenkit/core, the microphone asked for on Record only) shown
// by the recorder kit of @elevenkit/react — buttons, timer, level meter, live waveform, microphone list, status —
// and the take played back in the player's components, with its own level meter.
/// <reference types="vite/client" />
import '../packages/react/src/styles.css';
import { AudioPlayer, LevelMeter, Recorder, useRecorder } from '@elevenkit/react';
import { StrictMode, useId, useState } from 'react';
import { createRoot } from 'react-dom/client';

type Format = 'compressed' | 'wav';

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
      {/*
        Slot for the transcription kit ("transcribe both ways"): the take (`snapshot.take.blob`) to a batch
        transcriber, and `recorder.stream` to a realtime one while recording. See transcribe.html.
      */}
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
        {/* Slot for "dictate into a field" (SpeechInput) and transcribing the take, by the transcription kit. */}
        <p>
          Transcribing a take (after recording, or live while you speak) and dictating into a text field are on the{' '}
          <a href="./transcribe.html">speech to text page</a>.
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
