import { describe, expect, it } from 'vitest';
import { parseOutputFormat } from './output-format.ts';
import { pcm16ToFloat } from './pcm.ts';
import { renderSpeech } from './speech.ts';
import { prepareUtterance, restAlignment, socketAlignment, speechChunks } from './utterance.ts';

const format = (name: string) => parseOutputFormat(name)!;

describe('speechChunks', () => {
  it('cuts the audio into chunks whose characters start inside them, and together make the whole', () => {
    const u = prepareUtterance('Chunks of 7 words, more or less.', { normalize: true });
    const chunks = [...speechChunks(u, format('pcm_16000'), 200)];
    expect(chunks.length).toBe(Math.ceil(u.durationMs / 200));
    expect(chunks.at(-1)!.last).toBe(true);
    for (const c of chunks) {
      for (const s of c.alignment?.char_start_times_ms ?? []) {
        expect(s).toBeGreaterThanOrEqual(c.startMs);
        expect(s).toBeLessThan(c.startMs + c.durationMs);
      }
    }
    expect(chunks.flatMap((c) => c.alignment?.chars ?? []).join('')).toBe('Chunks of 7 words, more or less.');
    expect(chunks.flatMap((c) => c.normalizedAlignment?.chars ?? []).join('')).toBe(
      'Chunks of seven words, more or less.',
    );
    const audio = pcm16ToFloat(Buffer.concat(chunks.map((c) => c.audio)));
    expect(audio.length).toBe(renderSpeech(u.plan, 16000).length);
  });

  it('never leaves characters on an MP3 chunk without audio: they move to the next one that has some', () => {
    const u = prepareUtterance('Tiny chunks of MP3.');
    const chunks = [...speechChunks(u, format('mp3_44100_128'), 20)];
    expect(chunks.every((c) => c.audio.length > 0)).toBe(true);
    expect(chunks.length).toBeLessThan(Math.ceil(u.durationMs / 20)); // some 20 ms pieces released no frame
    expect(chunks.flatMap((c) => c.alignment?.chars ?? []).join('')).toBe('Tiny chunks of MP3.');
    expect(chunks.reduce((sum, c) => sum + c.durationMs, 0)).toBe(u.durationMs);
  });
});

describe('alignment shapes', () => {
  const u = prepareUtterance('ab');

  it('REST: seconds, start and end', () => {
    expect(restAlignment(u.alignment)).toEqual({
      characters: ['a', 'b'],
      character_start_times_seconds: [0.14, 0.21],
      character_end_times_seconds: [0.21, 0.28],
    });
    expect(restAlignment(null)).toBeNull();
  });

  it('WebSocket: milliseconds, start (relative to the message) and duration', () => {
    expect(socketAlignment(u.alignment, 100)).toEqual({
      charStartTimesMs: [40, 110],
      charsDurationsMs: [70, 70],
      chars: ['a', 'b'],
    });
  });
});
