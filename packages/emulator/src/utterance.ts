// One text-to-speech generation: the deterministic speech for a text (normalised or not), its character
// alignments, and its audio cut into timed, encoded chunks whose alignment says exactly which characters
// start in them. REST and the stream-input WebSocket both send these, each in its own JSON shape.
import { createAudioEncoder, type OutputFormat } from './output-format.ts';
import { planSpeech, renderSpeech, sampleAt, type Alignment, type SpeechPlan } from './speech.ts';
import { normalizeText } from './text-normalization.ts';

export interface Utterance {
  /** What is spoken: the normalised text when normalising, else the text itself. */
  plan: SpeechPlan;
  /** The characters of the text as sent, timed against the audio. */
  alignment: Alignment;
  /** The characters of the spoken text. */
  normalizedAlignment: Alignment;
  durationMs: number;
}

export function prepareUtterance(text: string, options: { speed?: number; normalize?: boolean } = {}): Utterance {
  if (!options.normalize) {
    const plan = planSpeech(text, options);
    return { plan, alignment: plan.alignment, normalizedAlignment: plan.alignment, durationMs: plan.durationMs };
  }
  const normalized = normalizeText(text);
  const plan = planSpeech(normalized.text, options);
  const { char_start_times_ms: starts, char_durations_ms: durations } = plan.alignment;
  const alignment: Alignment = { chars: [...text], char_start_times_ms: [], char_durations_ms: [] };
  for (const [from, to] of normalized.spans) {
    const start = starts[from] ?? 0;
    alignment.char_start_times_ms.push(start);
    alignment.char_durations_ms.push((starts[to - 1] ?? 0) + (durations[to - 1] ?? 0) - start);
  }
  return { plan, alignment, normalizedAlignment: plan.alignment, durationMs: plan.durationMs };
}

export interface SpeechChunk {
  /** Encoded audio (MP3: whatever whole frames the encoder released; the last chunk flushes it). */
  audio: Buffer;
  /** Where this chunk's samples start and how long they last, in ms from the utterance's start. */
  startMs: number;
  durationMs: number;
  /** The characters that start in this chunk, times in ms from the utterance's start; null if none. */
  alignment: Alignment | null;
  normalizedAlignment: Alignment | null;
  last: boolean;
}

/**
 * The utterance as chunks of `chunkMs` audio. An MP3 chunk can come out of the encoder empty; its characters
 * then move on to the next chunk that carries audio, so no chunk has alignment without audio.
 */
export function* speechChunks(utterance: Utterance, format: OutputFormat, chunkMs: number): Generator<SpeechChunk> {
  const rate = format.sampleRate;
  const encoder = createAudioEncoder(format, sampleAt(utterance.durationMs, rate));
  const count = Math.max(1, Math.ceil(utterance.durationMs / chunkMs));
  const take = cursor(utterance.alignment);
  const takeNormalized = cursor(utterance.normalizedAlignment);
  let pending: { startMs: number; alignment: Alignment | null; normalized: Alignment | null } | null = null;
  for (let i = 0; i < count; i++) {
    const startMs = i * chunkMs;
    const endMs = Math.min(utterance.durationMs, startMs + chunkMs);
    const last = i === count - 1;
    const samples = renderSpeech(utterance.plan, rate, sampleAt(startMs, rate), sampleAt(endMs, rate));
    let audio = encoder.encode(samples);
    if (last) audio = Buffer.concat([audio, encoder.end()]);
    const alignment = merge(pending?.alignment ?? null, take(endMs));
    const normalizedAlignment = merge(pending?.normalized ?? null, takeNormalized(endMs));
    const from: number = pending?.startMs ?? startMs;
    if (!audio.length && !last) {
      pending = { startMs: from, alignment, normalized: normalizedAlignment };
      continue;
    }
    pending = null;
    yield { audio, startMs: from, durationMs: endMs - from, alignment, normalizedAlignment, last };
  }
}

/** Takes, call after call, the characters that start before `endMs`. */
function cursor(a: Alignment) {
  let next = 0;
  return (endMs: number): Alignment | null => {
    const from = next;
    while (next < a.chars.length && (a.char_start_times_ms[next] ?? 0) < endMs) next++;
    return from === next ? null : sliceAlignment(a, from, next);
  };
}

export function sliceAlignment(a: Alignment, from: number, to: number): Alignment {
  return {
    chars: a.chars.slice(from, to),
    char_start_times_ms: a.char_start_times_ms.slice(from, to),
    char_durations_ms: a.char_durations_ms.slice(from, to),
  };
}

function merge(a: Alignment | null, b: Alignment | null): Alignment | null {
  if (!a || !b) return a ?? b;
  return {
    chars: [...a.chars, ...b.chars],
    char_start_times_ms: [...a.char_start_times_ms, ...b.char_start_times_ms],
    char_durations_ms: [...a.char_durations_ms, ...b.char_durations_ms],
  };
}

/** REST's `CharacterAlignmentResponseModel`: seconds, start and end, from the start of the audio. */
export function restAlignment(a: Alignment | null) {
  if (!a) return null;
  return {
    characters: a.chars,
    character_start_times_seconds: a.char_start_times_ms.map((ms) => ms / 1000),
    character_end_times_seconds: a.char_start_times_ms.map((ms, i) => (ms + (a.char_durations_ms[i] ?? 0)) / 1000),
  };
}

/** The WebSocket's alignment: milliseconds, start and duration, relative to `originMs` (the message's audio start). */
export function socketAlignment(a: Alignment | null, originMs: number) {
  if (!a) return null;
  return {
    charStartTimesMs: a.char_start_times_ms.map((ms) => ms - originMs),
    charsDurationsMs: a.char_durations_ms,
    chars: a.chars,
  };
}
