// What the player stories share: a real SpeechPlayer (from @elevenkit/core) speaking text through the emulator that
// Storybook's dev server mounts, fault injection for the error and loading stories, and the emulator's voices.
// Not a library export.
/// <reference types="vite/client" />
import '../packages/react/src/styles.css';
import { SpeechPlayer, type AudioFormat, type PlaybackPath, type SpeechSource } from '@elevenkit/core';
import { StrictMode, useEffect, useMemo, useState, type ReactNode } from 'react';
import { waitFor } from 'storybook/test';

/**
 * The emulator in Storybook accepts any non-empty key; this is not a secret. A real page never holds a key: it calls
 * its own server route (see the demo and @elevenkit/server).
 */
export const EMULATOR_KEY = 'storybook';

export const VOICES = {
  rachel: '21m00Tcm4TlvDq8ikWAM',
  /**
   * Faults are queued per voice and taken by the next request to it. Story files run side by side, stories within a
   * file in order: so each file's fault stories get a voice no other story uses.
   */
  faults: 'emulator-voice',
  transcriptFaults: 'JBFqnCBsd6RMkjVDRZzb',
} as const;

export interface SpeechArgs {
  text: string;
  voiceId: string;
  format: AudioFormat;
  /** Start as soon as audio can play (the player's `autoplay`). */
  autoplay: boolean;
  path: PlaybackPath | 'auto';
}

export const SPEECH_DEFAULTS: SpeechArgs = {
  text: 'The quick brown fox jumps over the lazy dog.',
  voiceId: VOICES.rachel,
  format: 'mp3_44100_128',
  autoplay: true,
  path: 'auto',
};

/** `POST /v1/text-to-speech/{voice}/stream/with-timestamps` on the emulator: audio and alignment as NDJSON. */
export function emulatorSpeech({
  text,
  voiceId,
  format,
}: Pick<SpeechArgs, 'text' | 'voiceId' | 'format'>): SpeechSource {
  return {
    type: 'stream',
    url: `/v1/text-to-speech/${encodeURIComponent(voiceId)}/stream/with-timestamps?output_format=${format}`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'xi-api-key': EMULATOR_KEY },
      body: JSON.stringify({ text, model_id: 'eleven_flash_v2_5' }),
    },
    format,
    timestamps: true,
    text,
  };
}

/**
 * A SpeechPlayer for the story's lifetime, loading the story's text (again when it changes); destroyed on unmount,
 * which stops the audio and the request. `load: false` leaves it idle.
 */
export function useStoryPlayer(args: SpeechArgs, { load = true } = {}): SpeechPlayer {
  const { text, voiceId, format, autoplay, path } = args;
  const player = useMemo(() => new SpeechPlayer({ autoplay, path }), [autoplay, path]);
  useEffect(() => {
    let cancelled = false;
    // A microtask later: StrictMode's mount-unmount-mount cancels the first, so the emulator gets one request (and
    // a queued fault reaches the request the story watches).
    if (load) {
      void Promise.resolve().then(() => {
        if (!cancelled) void player.load(emulatorSpeech({ text, voiceId, format }));
      });
    }
    return () => {
      cancelled = true;
      player.destroy();
    };
  }, [player, load, text, voiceId, format]);
  return player;
}

/** Queues faults for the next text-to-speech request to `voiceId` (see the emulator's TtsFaults). */
export async function injectTtsFaults(voiceId: string, faults: Record<string, number | boolean>) {
  const response = await fetch(`/_emulator/tts-faults?voice_id=${encodeURIComponent(voiceId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`The emulator refused the faults: ${await response.text()}`);
}

export interface Voice {
  voice_id: string;
  name: string;
}

/** `GET /v1/voices` from the emulator. */
export function useVoices(): Voice[] | null {
  const [voices, setVoices] = useState<Voice[] | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetch('/v1/voices', { headers: { 'xi-api-key': EMULATOR_KEY }, signal: controller.signal })
      .then((response) => response.json() as Promise<{ voices: Voice[] }>)
      .then((body) => setVoices(body.voices))
      .catch(() => {});
    return () => controller.abort();
  }, []);
  return voices;
}

/** Renders the story in StrictMode (effects run, clean up and run again), on a page-like width. */
export const strict = (Story: () => ReactNode) => (
  <StrictMode>
    <div style={{ maxWidth: '40rem', fontFamily: 'system-ui, sans-serif' }}>
      <Story />
    </div>
  </StrictMode>
);

/** Waits until `read()` returns something other than `before` (and not null), for values that change over time. */
export async function changes<T>(read: () => T, before: T, timeout = 10_000): Promise<T> {
  return waitFor(
    () => {
      const now = read();
      if (now === null || now === before) throw new Error(`Still ${String(before)}`);
      return now;
    },
    { timeout },
  );
}

/**
 * Resolves once `element`'s `attribute` is `value`, or has been since this was called: watched by a
 * MutationObserver, so a state that lasts a moment (a short word being spoken) is seen however busy the page is and
 * however late a poll would have come. Call it before the action that should cause the change.
 */
export function becomes(element: Element, attribute: string, value: string, timeout = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (element.getAttribute(attribute) === value) return resolve();
    const observer = new MutationObserver((records) => {
      const seen = records.some((r) => r.oldValue === value) || element.getAttribute(attribute) === value;
      if (!seen) return;
      clearTimeout(timer);
      observer.disconnect();
      resolve();
    });
    observer.observe(element, { attributes: true, attributeFilter: [attribute], attributeOldValue: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`${attribute} never became "${value}" (it is "${element.getAttribute(attribute)}")`));
    }, timeout);
  });
}
