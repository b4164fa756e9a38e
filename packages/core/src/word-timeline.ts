// Character alignment from ElevenLabs text-to-speech → timed words of the text a person reads. REST gives seconds
// (start + end), the input-streaming WebSocket milliseconds (start + duration, relative to its audio chunk); both
// become `CharTiming` in seconds from the start of the audio. `[audio tags]` steer the voice and are not shown.

export interface CharTiming {
  readonly char: string;
  /** Seconds from the start of the whole audio. */
  readonly start: number;
  readonly end: number;
}

export interface TimedWord {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** `alignment` / `normalized_alignment` of the REST endpoints (seconds, absolute). */
export interface RestAlignment {
  characters: string[];
  character_start_times_seconds: number[];
  character_end_times_seconds: number[];
}

/** `alignment` / `normalizedAlignment` of the stream-input WebSocket (milliseconds, relative to its chunk). */
export interface SocketAlignment {
  chars: string[];
  charStartTimesMs: number[];
  charsDurationsMs: number[];
}

const finite = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function fromRestAlignment(alignment: RestAlignment, offsetSeconds = 0): CharTiming[] {
  return alignment.characters.map((char, i) => ({
    char,
    start: offsetSeconds + finite(alignment.character_start_times_seconds[i]),
    end: offsetSeconds + finite(alignment.character_end_times_seconds[i]),
  }));
}

export function fromSocketAlignment(alignment: SocketAlignment, offsetSeconds = 0): CharTiming[] {
  return alignment.chars.map((char, i) => {
    const start = finite(alignment.charStartTimesMs[i]) / 1000;
    return {
      char,
      start: offsetSeconds + start,
      end: offsetSeconds + start + finite(alignment.charsDurationsMs[i]) / 1000,
    };
  });
}

/** The alignment to use: `alignment`, or `normalized_alignment` when the API sent none. */
export const pickAlignment = <T>(alignment: T | null | undefined, normalized: T | null | undefined) =>
  alignment ?? normalized ?? null;

/**
 * Words with the time they are spoken, built as alignment arrives (a word split across two streamed chunks is
 * joined). A word is a run of non-space characters outside `[tags]`; its time runs from its first character's start
 * to its last character's end.
 */
export class WordTimeline {
  #words: TimedWord[] = [];
  /** The word being built: it may continue in the next chunk. */
  #current: { text: string; start: number; end: number } | null = null;
  #inTag = false;
  #end = 0;
  /** `words`, cached between appends: the player reads it every frame. */
  #snapshot: readonly TimedWord[] | null = null;

  /** Every word so far, the last one possibly still growing. */
  get words(): readonly TimedWord[] {
    this.#snapshot ??= this.#current ? [...this.#words, { ...this.#current }] : [...this.#words];
    return this.#snapshot;
  }

  /** The text as displayed: the words joined by single spaces. */
  get text() {
    return this.words.map((word) => word.text).join(' ');
  }

  /** When the last aligned character ends, in seconds. */
  get duration() {
    return this.#end;
  }

  append(chars: readonly CharTiming[]) {
    this.#snapshot = null;
    for (const { char, start, end } of chars) {
      this.#end = Math.max(this.#end, end);
      if (this.#inTag) {
        if (char === ']') this.#inTag = false;
        continue;
      }
      if (char === '[') {
        this.#inTag = true;
        this.#close();
        continue;
      }
      if (/\s/.test(char)) {
        this.#close();
        continue;
      }
      if (this.#current) {
        this.#current.text += char;
        this.#current.end = Math.max(this.#current.end, end);
      } else {
        this.#current = { text: char, start, end };
      }
    }
  }

  /** No more alignment will come: the last word is complete. */
  finish() {
    this.#snapshot = null;
    this.#close();
  }

  /** The index of the word being spoken at `time` (seconds), or -1 before the first and between words. */
  wordAt(time: number): number {
    const words = this.words;
    let low = 0;
    let high = words.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const word = words[middle]!;
      if (time + TIME_EPSILON < word.start) high = middle - 1;
      else if (time + TIME_EPSILON >= word.end) low = middle + 1;
      else return middle;
    }
    return -1;
  }

  /** The index of the last word that has started by `time` (for highlighting through pauses between words). */
  lastStartedAt(time: number): number {
    return lastStartedWord(this.words, time);
  }

  #close() {
    if (this.#current) this.#words.push(this.#current);
    this.#current = null;
  }
}

/**
 * Times this close count as equal (seconds). Media clocks read back a hair off what they were set to (a seek to
 * 0.84 reads 0.8399993) and PCM positions round to samples; without it a seek to a word's start would name the word
 * before. Every word lookup goes through here, so the player, the timeline and the UI agree.
 */
export const TIME_EPSILON = 0.001;

/** The index of the last word that has started by `time` (within `TIME_EPSILON`); -1 before the first. */
export function lastStartedWord(words: readonly TimedWord[], time: number): number {
  let low = 0;
  let high = words.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (words[middle]!.start <= time + TIME_EPSILON) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}
