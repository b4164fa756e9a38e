import { describe, expect, it } from 'vitest';
import {
  fromRestAlignment,
  fromSocketAlignment,
  pickAlignment,
  WordTimeline,
  type CharTiming,
  type RestAlignment,
} from './word-timeline.ts';

/** Alignment for `text` with every character 0.1 s long, as the REST API sends it. */
function rest(text: string, from = 0): RestAlignment {
  const characters = [...text];
  return {
    characters,
    character_start_times_seconds: characters.map((_, i) => from + i * 0.1),
    character_end_times_seconds: characters.map((_, i) => from + (i + 1) * 0.1),
  };
}

const timeline = (...pieces: CharTiming[][]) => {
  const t = new WordTimeline();
  for (const piece of pieces) t.append(piece);
  t.finish();
  return t;
};

const round = (words: readonly { text: string; start: number; end: number }[]) =>
  words.map(({ text, start, end }) => [text, Math.round(start * 10) / 10, Math.round(end * 10) / 10]);

describe('WordTimeline', () => {
  it('keeps punctuation with its word and times each word from its first to its last character', () => {
    expect(round(timeline(fromRestAlignment(rest('Hello, world!'))).words)).toEqual([
      ['Hello,', 0, 0.6],
      ['world!', 0.7, 1.3],
    ]);
  });

  it('treats runs of spaces, tabs and newlines as one gap', () => {
    const t = timeline(fromRestAlignment(rest('One   two\n\tthree')));
    expect(t.words.map((w) => w.text)).toEqual(['One', 'two', 'three']);
    expect(t.text).toBe('One two three');
  });

  it('hides [audio tags], also when they touch a word', () => {
    const t = timeline(fromRestAlignment(rest('[laughs] Hi there[whispers]now [sighs]')));
    expect(t.words.map((w) => w.text)).toEqual(['Hi', 'there', 'now']);
    expect(round(t.words)[0]).toEqual(['Hi', 0.9, 1.1]);
  });

  it('joins a word split across streamed chunks', () => {
    const first = fromRestAlignment(rest('Good mor'));
    const second = fromRestAlignment(rest('ning all', 0.8));
    const t = new WordTimeline();
    t.append(first);
    expect(t.words.map((w) => w.text)).toEqual(['Good', 'mor']);
    t.append(second);
    t.finish();
    expect(round(t.words)).toEqual([
      ['Good', 0, 0.4],
      ['morning', 0.5, 1.2],
      ['all', 1.3, 1.6],
    ]);
  });

  it('turns WebSocket milliseconds (start + duration, per chunk) into seconds from the start of the audio', () => {
    const chunk = { chars: ['H', 'i', ' '], charStartTimesMs: [0, 100, 200], charsDurationsMs: [100, 100, 50] };
    const t = timeline(fromSocketAlignment(chunk), fromSocketAlignment({ ...chunk, chars: ['y', 'o', '!'] }, 0.25));
    expect(round(t.words)).toEqual([
      ['Hi', 0, 0.2],
      ['yo!', 0.3, 0.5],
    ]);
    expect(t.duration).toBeCloseTo(0.5);
  });

  it('falls back to the normalized alignment, whose words are the spoken form', () => {
    const normalized = rest('twenty three apples');
    const picked = pickAlignment<RestAlignment>(null, normalized)!;
    expect(timeline(fromRestAlignment(picked)).words.map((w) => w.text)).toEqual(['twenty', 'three', 'apples']);
    expect(pickAlignment(rest('23 apples'), normalized)!.characters[0]).toBe('2');
  });

  it('finds the word spoken at a time, and the last word started (for pauses between words)', () => {
    const t = timeline(fromRestAlignment(rest('ab  cd')));
    expect(t.wordAt(0.05)).toBe(0);
    expect(t.wordAt(0.25)).toBe(-1);
    expect(t.lastStartedAt(0.25)).toBe(0);
    expect(t.wordAt(0.45)).toBe(1);
    expect(t.wordAt(-1)).toBe(-1);
    expect(t.lastStartedAt(-1)).toBe(-1);
    expect(t.wordAt(9)).toBe(-1);
    expect(t.lastStartedAt(9)).toBe(1);
  });

  it('survives alignment with missing times', () => {
    const broken = { characters: ['a', 'b'], character_start_times_seconds: [0], character_end_times_seconds: [] };
    expect(timeline(fromRestAlignment(broken as unknown as RestAlignment)).words).toEqual([
      { text: 'ab', start: 0, end: 0 },
    ]);
  });
});
