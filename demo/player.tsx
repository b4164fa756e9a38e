// The speech player demo: text and a voice go to this server's text-to-speech route, which streams ElevenLabs'
// `/stream/with-timestamps` (NDJSON: audio chunks with character timing) from the emulator or, with a key, from
// ElevenLabs. A SpeechPlayer from @elevenkit/core plays it; the components of @elevenkit/react show it.
/// <reference types="vite/client" />
import '../packages/react/src/styles.css';
import { SpeechPlayer, type SpeechSource } from '@elevenkit/core';
import { StrictMode, useEffect, useId, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { AudioPlayer, TranscriptViewer, Waveform } from '@elevenkit/react';

/** The route @elevenkit/server mounts on this dev server. */
const ROUTE = '/api/elevenlabs/text-to-speech';

/** ElevenLabs' premade voices: the emulator speaks with the same ids, so the page works with a real key too. */
const VOICES = [
  { id: '21m00Tcm4TlvDq8ikWAM', name: 'Rachel (calm, American)' },
  { id: 'JBFqnCBsd6RMkjVDRZzb', name: 'George (warm, British)' },
  { id: 'EXAVITQu4vr4xnSDxMaL', name: 'Sarah (soft, American)' },
];

const MODELS = [
  { id: 'eleven_flash_v2_5', name: 'Flash v2.5 (fastest)' },
  { id: 'eleven_multilingual_v2', name: 'Multilingual v2' },
];

const SAMPLE =
  'Hello! This is the elevenkit speech player. [cheerfully] Every word lights up as it is spoken, and you can click any word to hear it again.';

/** What the route takes: the text, a voice and a model; it answers with the timed MP3 stream. */
function speech(text: string, voiceId: string, modelId: string): SpeechSource {
  return {
    type: 'stream',
    url: ROUTE,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, voice_id: voiceId, model_id: modelId }),
    },
    // ElevenLabs' default output format, which the route asks for.
    format: 'mp3_44100_128',
    timestamps: true,
    text,
  };
}

function PlayerDemo() {
  const [player] = useState(() => new SpeechPlayer({ metadata: { artist: 'elevenkit demo' } }));
  const [text, setText] = useState(SAMPLE);
  const [voiceId, setVoiceId] = useState(VOICES[0]!.id);
  const [modelId, setModelId] = useState(MODELS[0]!.id);
  const ids = { text: useId(), voice: useId(), model: useId(), heading: useId() };

  // Stops the audio and frees the player's resources when the page unmounts it (StrictMode does so once on start).
  useEffect(() => () => player.destroy(), [player]);

  const speak = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    // Called in the click, so the browser lets the audio start; where it still refuses, the play button says so.
    void player.load(speech(text, voiceId, modelId));
  };

  return (
    <>
      <form className="composer player-form" onSubmit={speak}>
        <label htmlFor={ids.text}>Text</label>
        <textarea id={ids.text} rows={4} value={text} onChange={(event) => setText(event.target.value)} />
        <label htmlFor={ids.voice}>Voice</label>
        <select id={ids.voice} value={voiceId} onChange={(event) => setVoiceId(event.target.value)}>
          {VOICES.map((voice) => (
            <option key={voice.id} value={voice.id}>
              {voice.name}
            </option>
          ))}
        </select>
        <label htmlFor={ids.model}>Model</label>
        <select id={ids.model} value={modelId} onChange={(event) => setModelId(event.target.value)}>
          {MODELS.map((model) => (
            <option key={model.id} value={model.id}>
              {model.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!text.trim()}>
          Speak
        </button>
      </form>

      <section aria-labelledby={ids.heading}>
        <h2 id={ids.heading}>Playing</h2>
        <AudioPlayer.Root player={player} label="Speech">
          <AudioPlayer.PlayButton />
          <AudioPlayer.Time />
          <AudioPlayer.ScrubBar />
          <AudioPlayer.Duration />
          <AudioPlayer.Rate />
          <AudioPlayer.Mute />
          <AudioPlayer.Volume />
          <AudioPlayer.Download />
          <Waveform className="player-waveform" />
          <AudioPlayer.Status />
        </AudioPlayer.Root>
        <TranscriptViewer
          player={player}
          autoScroll
          className="player-transcript"
          placeholder="Press Speak: the words appear here as the audio arrives."
        />
      </section>
    </>
  );
}

createRoot(document.getElementById('player-app')!).render(
  <StrictMode>
    <PlayerDemo />
  </StrictMode>,
);
