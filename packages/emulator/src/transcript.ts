// Speech to text over any audio: an energy detector cuts the audio into sounding segments, each segment is read
// with the speech decoder (speech.ts), and the result becomes ElevenLabs' word list (audio.md §2.2): words and
// spacings timed from where their characters' tones are; a segment that is not the emulator's speech becomes one
// `audio_event` "(unrecognized speech)" spanning it. REST and the realtime WebSocket both use this.
import { recognizeTimed, type TimedCharacter } from './speech.ts';

export const UNRECOGNIZED = '(unrecognized speech)';

const FRAME_MS = 10;
/** Silence shorter than this inside a sound does not split it (a capture glitch, a pause inside a word). */
const MERGE_GAP_MS = 200;
/** Sound shorter than this is a click, not speech. */
const MIN_SEGMENT_MS = 50;
/** Silence kept around a segment for the decoder, which finds the utterance's edges itself. */
const PAD_MS = 100;
const ABSOLUTE_FLOOR_RMS = 0.002; // about -54 dBFS

export interface Segment {
  /** Samples [start, end) that sound. */
  start: number;
  end: number;
}

/** The RMS level per 10 ms frame. */
export function frameLevels(samples: Float32Array, sampleRate: number): Float32Array {
  const frame = Math.max(1, Math.round((sampleRate * FRAME_MS) / 1000));
  const levels = new Float32Array(Math.floor(samples.length / frame));
  for (let f = 0; f < levels.length; f++) {
    let sum = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) sum += (samples[i] ?? 0) ** 2;
    levels[f] = Math.sqrt(sum / frame);
  }
  return levels;
}

/**
 * Sounding segments: frames 10 dB over the noise floor (and over -54 dBFS, and at least 20 dB under the loudest
 * frame), runs closer than 200 ms merged, runs under 50 ms dropped.
 */
export function findSegments(samples: Float32Array, sampleRate: number): Segment[] {
  const frame = Math.max(1, Math.round((sampleRate * FRAME_MS) / 1000));
  const levels = frameLevels(samples, sampleRate);
  if (!levels.length) return [];
  const sorted = [...levels].sort((a, b) => a - b);
  const peak = sorted[sorted.length - 1] ?? 0;
  const floor = sorted[Math.floor(sorted.length * 0.1)] ?? 0;
  const threshold = Math.max(ABSOLUTE_FLOOR_RMS, Math.min(3.16 * floor, 0.1 * peak));
  const runs: Segment[] = [];
  for (let f = 0; f < levels.length; f++) {
    if ((levels[f] ?? 0) <= threshold) continue;
    const last = runs[runs.length - 1];
    if (last && f * frame - last.end <= (MERGE_GAP_MS * sampleRate) / 1000) last.end = (f + 1) * frame;
    else runs.push({ start: f * frame, end: (f + 1) * frame });
  }
  return runs.filter((r) => r.end - r.start >= (MIN_SEGMENT_MS * sampleRate) / 1000);
}

export interface TranscribedSegment {
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
  recognized: boolean;
  text: string;
  /** Characters with times in seconds from the start of the audio (recognised segments only). */
  characters: { text: string; start: number; end: number }[];
  /** log of the decoder's confidence. */
  logprob: number;
  /** What tells speakers apart: the slot length (voices speak at different speeds), or none if not recognised. */
  voice: string;
}

/** Every sounding segment, decoded where it is the emulator's speech. */
export function transcribeSegments(samples: Float32Array, sampleRate: number): TranscribedSegment[] {
  const segments = findSegments(samples, sampleRate);
  const pad = Math.round((PAD_MS * sampleRate) / 1000);
  return segments.map((segment, i) => {
    // Padding never reaches into the neighbours' sound: the decoder rejects sound after an utterance.
    const from = Math.max(0, segment.start - pad, Math.ceil(((segments[i - 1]?.end ?? 0) + segment.start) / 2));
    const to = Math.min(
      samples.length,
      segment.end + pad,
      Math.floor((segment.end + (segments[i + 1]?.start ?? Infinity)) / 2),
    );
    const heard = recognizeTimed(samples.subarray(from, to), sampleRate);
    const seconds = (samples: number) => samples / sampleRate;
    const offset = seconds(from);
    const at = (c: TimedCharacter) => ({
      text: c.text,
      start: offset + c.startMs / 1000,
      end: offset + c.endMs / 1000,
    });
    return {
      start: heard.recognized && heard.characters.length ? at(heard.characters[0]!).start : seconds(segment.start),
      end: heard.recognized && heard.characters.length ? at(heard.characters.at(-1)!).end : seconds(segment.end),
      recognized: heard.recognized,
      text: heard.recognized ? heard.text : UNRECOGNIZED,
      characters: heard.recognized ? heard.characters.map(at) : [],
      logprob: Math.log(Math.max(1e-3, heard.confidence)),
      voice: heard.recognized ? `slot-${heard.slotMs}` : 'unrecognized',
    };
  });
}

export interface TranscriptWord {
  text: string;
  start: number | null;
  end: number | null;
  type: 'word' | 'spacing' | 'audio_event';
  speaker_id: string | null;
  logprob: number;
  characters?: { text: string; start: number; end: number }[];
}

export interface WordOptions {
  /** `word` (default): start/end on every item; `character`: also `characters`; `none`: start/end null. */
  granularity?: 'none' | 'word' | 'character';
  /** Speaker ids (`speaker_0`, … by first appearance; else null). */
  diarize?: boolean;
  /** At most this many speakers: later ones get the last id. */
  numSpeakers?: number;
  /** Keep unrecognised segments as audio events (default true); false leaves them out. */
  tagAudioEvents?: boolean;
  /** Added to every time (seconds): where this audio starts in a longer stream. */
  offset?: number;
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** ElevenLabs' word list and text for decoded segments. */
export function toWords(
  segments: TranscribedSegment[],
  options: WordOptions = {},
): { text: string; words: TranscriptWord[] } {
  const granularity = options.granularity ?? 'word';
  const offset = options.offset ?? 0;
  const speakers = new Map<string, string>();
  const speakerOf = (voice: string) => {
    if (!options.diarize) return null;
    let id = speakers.get(voice);
    if (!id) {
      id = `speaker_${Math.min(speakers.size, Math.max(1, options.numSpeakers ?? 32) - 1)}`;
      speakers.set(voice, id);
    }
    return id;
  };
  const words: TranscriptWord[] = [];
  const push = (
    text: string,
    type: TranscriptWord['type'],
    start: number,
    end: number,
    speaker: string | null,
    logprob: number,
    characters?: TranscriptWord['characters'],
  ) => {
    const timed = granularity !== 'none';
    words.push({
      text,
      start: timed ? round(offset + start) : null,
      end: timed ? round(offset + end) : null,
      type,
      speaker_id: speaker,
      logprob: round(logprob),
      ...(granularity === 'character' && characters
        ? {
            characters: characters.map((c) => ({
              text: c.text,
              start: round(offset + c.start),
              end: round(offset + c.end),
            })),
          }
        : {}),
    });
  };
  let previousEnd: number | undefined;
  for (const segment of segments) {
    if (!segment.recognized && options.tagAudioEvents === false) continue;
    // The segment's own leading and trailing spaces are not part of the transcript.
    const chars = segment.characters;
    let first = 0;
    while (first < chars.length && /\s/.test(chars[first]!.text)) first++;
    let last = chars.length;
    while (last > first && /\s/.test(chars[last - 1]!.text)) last--;
    if (segment.recognized && first === last) continue; // nothing but spaces was said
    const speaker = speakerOf(segment.voice);
    // Segments are separate utterances: a spacing between them, as between words.
    if (previousEnd !== undefined) push(' ', 'spacing', previousEnd, segment.start, speaker, 0);
    if (!segment.recognized) {
      push(UNRECOGNIZED, 'audio_event', segment.start, segment.end, speaker, segment.logprob);
    } else {
      // Runs of non-space characters are words, runs of spaces spacings.
      let i = first;
      while (i < last) {
        const space = /\s/.test(chars[i]!.text);
        let j = i;
        while (j < last && /\s/.test(chars[j]!.text) === space) j++;
        const run = chars.slice(i, j);
        push(
          run.map((c) => c.text).join(''),
          space ? 'spacing' : 'word',
          run[0]!.start,
          run[run.length - 1]!.end,
          speaker,
          space ? 0 : segment.logprob,
          space ? undefined : run,
        );
        i = j;
      }
    }
    previousEnd = segment.end;
  }
  return { text: words.map((w) => w.text).join(''), words };
}
