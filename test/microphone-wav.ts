// Writes the fake microphone's WAV (test/microphone.ts says what it says) for vite.config.ts, before Chromium starts.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesize, toWav } from '../packages/emulator/src/speech.ts';
import { MIC_LEAD_MS, MIC_RATE, MIC_TEXT } from './microphone.ts';

/** Writes the WAV (into the gitignored .tmp/) and returns its path. */
export function microphoneWav(): string {
  const file = path.join(fileURLToPath(new URL('..', import.meta.url)), '.tmp', 'microphone', 'fake-mic.wav');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    toWav(synthesize(MIC_TEXT, MIC_RATE).samples, MIC_RATE, { leadingSilenceMs: MIC_LEAD_MS, trailingSilenceMs: 1000 }),
  );
  return file;
}
