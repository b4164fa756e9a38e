// The paths that play through an <audio> element: `mse` appends MP3 to a MediaSource (ManagedMediaSource on
// Safari) as it arrives; `file` gives the element the whole audio once it is complete (or a finished file).
// The element keeps pitch at other rates; its sound goes through the player's AudioGraph.
import type { PlaybackPath } from '../speech-player-types.ts';
import { mediaError, SpeechPlayerError } from './errors.ts';
import { mediaSourceClass } from './format.ts';
import type { OutputEvents, PlaybackOutput } from './output.ts';

abstract class ElementOutput implements PlaybackOutput {
  abstract readonly path: PlaybackPath;
  protected readonly audio: HTMLAudioElement;
  protected readonly events: OutputEvents;
  protected readonly listeners = new AbortController();
  protected readonly urls: string[] = [];
  protected destroyed = false;
  #ready = false;
  #streaming: boolean;

  constructor(audio: HTMLAudioElement, events: OutputEvents, streaming: boolean) {
    this.audio = audio;
    this.events = events;
    this.#streaming = streaming;
    // The element is reused (it may hold the silence `unlock()` played): empty it, which also drops its queued events.
    audio.pause();
    audio.removeAttribute('src');
    audio.load();
    // Only events of the audio this output gave the element count.
    const on = (type: string, listener: () => void) =>
      audio.addEventListener(type, () => this.urls.includes(audio.src) && listener(), {
        signal: this.listeners.signal,
      });
    on('waiting', () => this.events.starved(true));
    on('playing', () => this.events.starved(false));
    on('ended', () => this.events.ended());
    on('durationchange', () => this.events.durationChanged?.());
    on('canplay', () => this.markReady());
    on('error', () => {
      if (!this.destroyed && audio.error) this.events.failed(mediaError(audio.error, this.#streaming));
    });
  }

  abstract end(): void;

  protected markReady() {
    if (this.#ready || this.destroyed) return;
    this.#ready = true;
    this.events.ready();
  }

  protected setSource(url: string) {
    this.urls.push(url);
    this.audio.src = url;
  }

  play() {
    return this.audio.play();
  }

  pause() {
    this.audio.pause();
  }

  seek(seconds: number) {
    this.audio.currentTime = seconds;
  }

  setRate(rate: number) {
    this.audio.playbackRate = rate;
    this.audio.defaultPlaybackRate = rate;
  }

  currentTime() {
    return this.audio.currentTime || 0;
  }

  duration() {
    const duration = this.audio.duration;
    return Number.isFinite(duration) ? duration : null;
  }

  destroy() {
    this.destroyed = true;
    this.listeners.abort();
    this.audio.pause();
    this.audio.removeAttribute('src');
    this.audio.load();
    for (const url of this.urls) URL.revokeObjectURL(url);
  }
}

/** MP3 bytes appended to a MediaSource as they arrive; playable from the first appended frames. */
export class MseOutput extends ElementOutput {
  readonly path = 'mse';
  readonly #source: MediaSource;
  #buffer: SourceBuffer | null = null;
  #pending: Uint8Array[] = [];
  #inputEnded = false;

  constructor(audio: HTMLAudioElement, events: OutputEvents) {
    super(audio, events, true);
    const Source = mediaSourceClass();
    if (!Source) throw new SpeechPlayerError('unsupported', 'This browser has no MediaSource.');
    this.#source = new Source();
    // ManagedMediaSource plays only with AirPlay off (or an alternative source).
    if ('ManagedMediaSource' in globalThis) audio.disableRemotePlayback = true;
    this.#source.addEventListener('sourceopen', () => this.#open(), { once: true, signal: this.listeners.signal });
    this.setSource(URL.createObjectURL(this.#source));
  }

  appendBytes(bytes: Uint8Array) {
    this.#pending.push(bytes);
    this.#drain();
  }

  end() {
    this.#inputEnded = true;
    this.#drain();
  }

  #open() {
    if (this.destroyed) return;
    try {
      this.#buffer = this.#source.addSourceBuffer('audio/mpeg');
    } catch (cause) {
      this.events.failed(
        new SpeechPlayerError('unsupported', 'This browser cannot stream MP3 (audio/mpeg).', undefined, { cause }),
      );
      return;
    }
    // Ready is the element's `canplay`: Chromium buffers a few hundred ms of MP3 before it starts, and calling
    // play() earlier would only show a spell of "buffering".
    this.#buffer.addEventListener('updateend', () => this.#drain(), { signal: this.listeners.signal });
    this.#drain();
  }

  #drain() {
    const buffer = this.#buffer;
    if (!buffer || buffer.updating || this.destroyed || this.#source.readyState !== 'open') return;
    if (this.#pending.length) {
      const bytes = concat(this.#pending);
      this.#pending = [];
      try {
        buffer.appendBuffer(bytes);
      } catch (cause) {
        // A full buffer (many minutes of audio): drop what was played long ago, then append again.
        const played = this.audio.currentTime - 10;
        if ((cause as { name?: string }).name === 'QuotaExceededError' && played > 0) {
          this.#pending.unshift(bytes);
          buffer.remove(0, played);
          return;
        }
        this.events.failed(
          new SpeechPlayerError('decode', 'The MP3 stream could not be buffered.', undefined, { cause }),
        );
      }
      return;
    }
    if (this.#inputEnded) this.#source.endOfStream();
  }
}

/** The whole audio as one file (a Blob once complete, or a finished file's URL). */
export class FileOutput extends ElementOutput {
  readonly path = 'file';
  readonly #file: () => Blob | null;

  /** `file` makes the file once the audio is complete. */
  constructor(audio: HTMLAudioElement, events: OutputEvents, file: () => Blob | null) {
    super(audio, events, false);
    this.#file = file;
  }

  end() {
    const file = this.#file();
    if (file) this.setSource(URL.createObjectURL(file));
  }
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
