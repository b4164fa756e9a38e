// The speech player: text-to-speech audio from a file, a streamed response or the input-streaming WebSocket, played
// from its first decodable chunk on the best path the browser has (player/format.ts), with the words of its
// alignment timed against the audio. A store: the snapshot changes on state changes, as audio arrives (a few times a
// second) and when the spoken word changes; time and levels are getters for requestAnimationFrame.
import { AudioGraph } from './player/audio-graph.ts';
import { FileOutput, MseOutput } from './player/element-output.ts';
import { isAbort, isNotAllowed, SpeechPlayerError } from './player/errors.ts';
import { choosePath, detectCapabilities, formatInfo, type Codec } from './player/format.ts';
import { claimMediaSession, releaseMediaSession, updateMediaSession } from './player/media-session.ts';
import { Mp3FrameCounter } from './player/mp3-frames.ts';
import type { OutputEvents, PlaybackOutput } from './player/output.ts';
import { WorkletOutput } from './player/pcm-worklet.ts';
import { SampleDecoder, SampleStore, wavFile } from './player/samples.ts';
import { fetchFile, openSocket, readStream, type ChunkAlignment, type SourceSink } from './player/sources.ts';
import { playerStatus, type PlaybackFacts } from './player/status.ts';
import { WebAudioOutput } from './player/webaudio-output.ts';
import type {
  PlaybackPath,
  PlayerError,
  PlayerOptions,
  PlayerSnapshot,
  SpeechPlayerApi,
  SpeechSource,
  SpeechTextInput,
} from './speech-player-types.ts';
import { Store } from './store.ts';
import { fromRestAlignment, fromSocketAlignment, lastStartedWord, WordTimeline } from './word-timeline.ts';

/** A player with nothing loaded. */
export const INITIAL_PLAYER_SNAPSHOT: PlayerSnapshot = {
  status: 'idle',
  error: null,
  canRetry: false,
  path: null,
  playWhenReady: false,
  buffered: 0,
  duration: null,
  estimatedDuration: null,
  position: 0,
  complete: false,
  rate: 1,
  preservesPitch: true,
  volume: 1,
  muted: false,
  sinkId: '',
  words: [],
  activeWord: -1,
};

const NO_FACTS: PlaybackFacts = {
  loaded: false,
  failed: false,
  ready: false,
  wantsToPlay: false,
  blocked: false,
  starting: false,
  starved: false,
  ended: false,
};

/** While audio streams in, `buffered` and `words` are published at most this often (ms). */
const PUBLISH_INTERVAL_MS = 200;
/**
 * MP3 is heard this many samples after its alignment: LAME's encoder delay (576) plus the decoder's (529), as no
 * gapless header says to skip them in a stream. Only the word highlighting accounts for it.
 */
const MP3_DELAY_SAMPLES = 576 + 529;
const MIN_RATE = 0.25;
const MAX_RATE = 4;

/** One loaded source and everything received from it. */
interface Loaded {
  source: SpeechSource;
  abort: AbortController;
  /** null for a finished file (its format is the browser's business). */
  codec: Codec | null;
  sampleRate: number;
  /** PCM and μ-law as received; MP3 and files once decoded (for peaks). */
  store: SampleStore;
  /** MP3 as received. */
  bytes: Uint8Array[];
  /** A finished file (url or blob source). */
  file: Blob | null;
  mp3: Mp3FrameCounter | null;
  decoder: SampleDecoder | null;
  timeline: WordTimeline;
  /**
   * Seconds the audio is heard after its alignment (MP3's encoder and decoder delay). The player's times (current
   * time, seek, buffered, duration) are speech times: the media element's minus this.
   */
  lag: number;
  /** All audio has arrived … */
  complete: boolean;
  /** … and its length and peaks are known. */
  settled: boolean;
  mediaSession: boolean;
  /** Resolves `load()`. */
  settle: () => void;
  /** Characters aligned so far (for `estimatedDuration`). */
  alignedChars: number;
}

/**
 * Plays text-to-speech audio. Construct it anywhere (also on a server: nothing touches `window` until `load`),
 * bind it with `subscribe`/`getSnapshot`, read `getCurrentTime()` and the levels in requestAnimationFrame.
 *
 * ```ts
 * const player = new SpeechPlayer();
 * player.subscribe(() => render(player.getSnapshot()));
 * await player.load({ type: 'stream', url: '/api/tts', init: { method: 'POST', body }, format: 'mp3_44100_128', timestamps: true });
 * ```
 *
 * After `destroy()` the player can load again (React StrictMode remounts do that).
 */
export class SpeechPlayer extends Store<PlayerSnapshot> implements SpeechPlayerApi {
  readonly #options: PlayerOptions;
  #graph: AudioGraph | null = null;
  #element: HTMLAudioElement | null = null;
  #output: PlaybackOutput | null = null;
  #loaded: Loaded | null = null;
  #facts: PlaybackFacts = NO_FACTS;
  #publishTimer: ReturnType<typeof setTimeout> | undefined;
  #lastPublish = 0;
  #wordTimer: ReturnType<typeof setTimeout> | undefined;
  #retrack = false;
  /** The position a snapshot update is about to publish (see #trackWords). */
  #jumpedTo: number | undefined;
  /** Counts starts, so only the latest one's outcome counts. */
  #attempt = 0;
  #peaks: { loaded: Loaded; count: number; length: number; peaks: Float32Array } | null = null;

  constructor(options: PlayerOptions = {}) {
    super(INITIAL_PLAYER_SNAPSHOT);
    this.#options = { ...options };
  }

  /**
   * The last node before the speakers (after volume and mute), for your own analysers or recorders; null until
   * audio is loaded (or where there is no Web Audio).
   */
  get outputNode(): AudioNode | null {
    return this.#graph?.analyser ?? null;
  }

  async load(source: SpeechSource): Promise<SpeechTextInput | void> {
    this.#unload();
    let settle!: () => void;
    const ready = new Promise<void>((resolve) => (settle = resolve));
    const loaded: Loaded = {
      source,
      abort: new AbortController(),
      codec: null,
      sampleRate: 0,
      store: new SampleStore(),
      bytes: [],
      file: null,
      mp3: null,
      decoder: null,
      timeline: new WordTimeline(),
      lag: 0,
      complete: false,
      settled: false,
      mediaSession: false,
      settle,
      alignedChars: 0,
    };
    this.#loaded = loaded;
    this.#facts = { ...NO_FACTS, loaded: true, wantsToPlay: this.#options.autoplay !== false };
    this.update({
      status: playerStatus(this.#facts),
      error: null,
      canRetry: false,
      path: null,
      playWhenReady: this.#facts.wantsToPlay,
      buffered: 0,
      duration: null,
      estimatedDuration: null,
      position: 0,
      complete: false,
      words: [],
      activeWord: -1,
    });
    try {
      if (typeof document === 'undefined') {
        throw new SpeechPlayerError('unsupported', 'Audio plays in a browser: call load() there, not on the server.');
      }
      if (source.type === 'url' || source.type === 'blob') {
        this.#startOutput(loaded, 'file');
        void this.#loadFile(loaded, source);
        return await ready;
      }
      const { codec, sampleRate } = formatInfo(source.format);
      loaded.codec = codec;
      loaded.sampleRate = sampleRate;
      if (codec === 'mp3') {
        loaded.mp3 = new Mp3FrameCounter();
        loaded.lag = MP3_DELAY_SAMPLES / sampleRate;
      } else loaded.decoder = new SampleDecoder(codec);
      this.#startOutput(loaded, choosePath(codec, this.#options.path ?? 'auto', detectCapabilities()));
      const sink = this.#sink(loaded);
      if (source.type === 'websocket') {
        const { input, opened } = openSocket(source, sink, loaded.abort.signal);
        await opened;
        return input;
      }
      void readStream(source, sink, loaded.abort.signal);
      return await ready;
    } catch (error) {
      if (loaded === this.#loaded) this.#fail(asPlayerError(error));
    }
  }

  async retry(): Promise<void> {
    const source = this.#loaded?.source;
    if (!source || !this.getSnapshot().canRetry) return;
    const loading = this.load(source);
    void this.play();
    await loading;
  }

  play(): Promise<void> {
    if (!this.#loaded || this.#facts.failed) return Promise.resolve();
    preferPlaybackAudioSession();
    if (this.#facts.ended) {
      this.#output?.seek(0);
      this.#facts = { ...this.#facts, ended: false };
      this.update({ position: 0 });
    }
    this.#facts = { ...this.#facts, wantsToPlay: true };
    const started = this.#facts.ready ? this.#start() : Promise.resolve();
    this.#sync();
    return started;
  }

  pause() {
    if (!this.#loaded) return;
    this.#attempt++;
    this.#output?.pause();
    this.update({ position: this.getCurrentTime() });
    this.#set({ wantsToPlay: false, blocked: false, starting: false });
  }

  stop() {
    if (!this.#loaded) return;
    this.#output?.pause();
    this.#output?.seek(0);
    this.#attempt++;
    this.update({ position: 0 });
    this.#set({ wantsToPlay: false, blocked: false, starting: false, ended: false });
    this.#trackWords();
  }

  seek(time: number) {
    const loaded = this.#loaded;
    const output = this.#output;
    if (!loaded || !output || !Number.isFinite(time) || this.#facts.failed) return;
    const position = Math.max(0, Math.min(this.#end(loaded), time));
    output.seek(position + loaded.lag);
    if (this.#facts.ended) this.#set({ ended: false });
    // One change for the jump and the word it lands in: a paused UI hears of it (its time is not in the snapshot).
    this.#trackWords({ position });
    this.#updateMediaSession();
  }

  setRate(rate: number) {
    const clamped = Math.min(MAX_RATE, Math.max(MIN_RATE, Number.isFinite(rate) ? rate : 1));
    this.#output?.setRate(clamped);
    this.update({ rate: clamped });
    this.#trackWords();
    this.#updateMediaSession();
  }

  setVolume(volume: number) {
    this.update({ volume: Math.min(1, Math.max(0, Number.isFinite(volume) ? volume : 1)) });
    this.#applyVolume();
  }

  setMuted(muted: boolean) {
    this.update({ muted });
    this.#applyVolume();
  }

  async setSinkId(deviceId: string): Promise<void> {
    const element = this.#element as (HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    try {
      if (this.#graph?.canSetSink()) await this.#graph.setSinkId(deviceId);
      else if (!this.#graph && contextCanSetSink()) {
        // applied when the AudioContext is created
      } else if (!this.#graph && element?.setSinkId) await element.setSinkId(deviceId);
      else throw new SpeechPlayerError('unsupported', 'This browser cannot choose the audio output device.');
    } catch (error) {
      if (error instanceof SpeechPlayerError) throw error;
      throw new SpeechPlayerError(
        'invalid-request',
        `The output device could not be used: ${describe(error)}`,
        undefined,
        {
          cause: error,
        },
      );
    }
    this.update({ sinkId: deviceId });
  }

  unlock(): Promise<void> {
    preferPlaybackAudioSession();
    const graph = AudioGraph.supported() && typeof document !== 'undefined' ? this.#ensureGraph() : null;
    const unlocked = graph?.unlock();
    if (!this.#loaded || this.#facts.failed) this.#primeElement();
    // Only audio the browser held back starts now. In the click that submits new text, the previous audio (paused
    // or ended) must stay silent: load() replaces it a render later.
    if (!this.#loaded || this.#facts.failed || !this.#facts.blocked) return Promise.resolve(unlocked).then(() => {});
    this.#facts = { ...this.#facts, blocked: false };
    return this.play();
  }

  download(): Blob | null {
    return this.#loaded ? this.#file(this.#loaded) : null;
  }

  getCurrentTime = (): number => {
    const loaded = this.#loaded;
    const output = this.#output;
    if (!loaded || !output) return 0;
    const end = this.#end(loaded);
    if (this.#facts.ended) return end;
    const time = Math.max(0, Math.min(end, this.#heard(output, output.currentTime() - loaded.lag)));
    // A reader (a UI's animation frame) saw a time in another word than the active one: the clock ran ahead of the
    // word timer (media clocks jump under load). Catch up right after this task, never inside someone's render.
    const { words, activeWord } = this.getSnapshot();
    if (!this.#retrack && lastStartedWord(words, time) !== activeWord) {
      this.#retrack = true;
      queueMicrotask(() => {
        this.#retrack = false;
        if (loaded === this.#loaded) this.#trackWords();
      });
    }
    return time;
  };

  getLevel = (): number => (this.#graph && this.#sounding() ? this.#graph.level() : 0);

  getFrequencyData = (): Uint8Array | null => (this.#graph && this.#sounding() ? this.#graph.frequencyData() : null);

  getPeaks = (count: number): Float32Array => {
    const n = Math.max(0, Math.floor(Number.isFinite(count) ? count : 0));
    const loaded = this.#loaded;
    if (!loaded) return new Float32Array(n);
    const cached = this.#peaks;
    if (cached?.loaded === loaded && cached.count === n && cached.length === loaded.store.length) return cached.peaks;
    const peaks = loaded.store.peaks(n);
    this.#peaks = { loaded, count: n, length: loaded.store.length, peaks };
    return peaks;
  };

  destroy() {
    this.#unload();
    this.#graph?.close();
    this.#graph = null;
    if (this.#element) {
      this.#element.removeAttribute('src');
      this.#element.load();
      this.#element = null;
    }
    this.#facts = NO_FACTS;
    const { rate, volume, muted, sinkId } = this.getSnapshot();
    this.update({ ...INITIAL_PLAYER_SNAPSHOT, rate, volume, muted, sinkId });
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** Forgets the current source: stops its network and its output, keeps the AudioContext and the element. */
  #unload() {
    clearTimeout(this.#publishTimer);
    clearTimeout(this.#wordTimer);
    this.#publishTimer = this.#wordTimer = undefined;
    this.#lastPublish = 0;
    const loaded = this.#loaded;
    this.#loaded = null;
    loaded?.abort.abort();
    loaded?.settle();
    this.#output?.destroy();
    this.#output = null;
    this.#peaks = null;
    releaseMediaSession(this);
  }

  #ensureGraph(): AudioGraph {
    if (!this.#graph) {
      const graph = new AudioGraph();
      this.#graph = graph;
      const { sinkId } = this.getSnapshot();
      if (sinkId && graph.canSetSink()) void graph.setSinkId(sinkId).catch(() => this.update({ sinkId: '' }));
      graph.context.addEventListener('statechange', () => this.#contextStateChanged(graph));
      this.#applyVolume();
    }
    return this.#graph;
  }

  #ensureElement(): HTMLAudioElement {
    if (!this.#element) {
      const element = document.createElement('audio');
      element.preload = 'auto';
      this.#element = element;
      if (this.#graph) this.#graph.connectElement(element);
      this.#applyVolume();
    }
    return this.#element;
  }

  /** iOS lets an element play later only if it once played inside a gesture: play silence in it now. */
  #primeElement() {
    if (typeof document === 'undefined') return;
    const element = this.#ensureElement();
    if (element.getAttribute('src')) return;
    element.src = SILENT_WAV;
    void element.play().then(
      () => element.src === SILENT_WAV && element.pause(),
      () => {},
    );
  }

  #startOutput(loaded: Loaded, path: PlaybackPath) {
    const current = () => loaded === this.#loaded;
    const events: OutputEvents = {
      ready: () => current() && this.#ready(loaded),
      starved: (starved) => current() && this.#set({ starved }),
      ended: () => current() && this.#ended(),
      durationChanged: () => current() && this.#publish(),
      failed: (error) => current() && this.#fail(error),
    };
    const graph = AudioGraph.supported() ? this.#ensureGraph() : null;
    switch (path) {
      case 'pcm-worklet':
        this.#output = new WorkletOutput(graph!, loaded.store, loaded.sampleRate, events, this.#options.workletUrl);
        break;
      case 'webaudio':
        this.#output = new WebAudioOutput(graph!, loaded.store, loaded.sampleRate, events);
        break;
      case 'mse':
        this.#output = new MseOutput(this.#ensureElement(), events);
        break;
      case 'file':
        this.#output = new FileOutput(this.#ensureElement(), events, () => this.#file(loaded));
        break;
    }
    const { rate } = this.getSnapshot();
    if (rate !== 1) this.#output.setRate(rate);
    // Scheduled AudioBuffers have no time-stretching: there the rate changes the pitch too, like a tape.
    this.update({ path, preservesPitch: path !== 'webaudio' });
  }

  async #loadFile(loaded: Loaded, source: Extract<SpeechSource, { type: 'url' | 'blob' }>) {
    try {
      loaded.file = source.type === 'blob' ? source.blob : await fetchFile(source.url, loaded.abort.signal);
    } catch (error) {
      if (loaded === this.#loaded && !isAbort(error)) this.#fail(asPlayerError(error));
      return;
    }
    if (loaded !== this.#loaded) return;
    this.#complete(loaded);
  }

  #sink(loaded: Loaded): SourceSink {
    const current = () => loaded === this.#loaded && !this.#facts.failed;
    return {
      audio: (bytes, alignment) => current() && this.#receive(loaded, bytes, alignment),
      complete: () => current() && this.#complete(loaded),
      fail: (error) => current() && this.#fail(error),
      receivedSeconds: () => this.#received(loaded),
    };
  }

  /** Speech seconds that can be played: all of it once complete, else what has arrived. */
  #end(loaded: Loaded) {
    const media = loaded.complete ? (this.#output?.duration() ?? this.#received(loaded)) : this.#received(loaded);
    return Math.max(0, media - loaded.lag);
  }

  /** Seconds of audio received (media time). */
  #received(loaded: Loaded) {
    if (loaded.mp3) return loaded.mp3.seconds;
    if (loaded.codec) return loaded.store.length / loaded.sampleRate;
    return this.#output?.duration() ?? 0;
  }

  #receive(loaded: Loaded, bytes: Uint8Array, alignment: ChunkAlignment | null) {
    // WebSocket alignment is relative to its own audio, which starts where the audio so far ends.
    const offset = this.#received(loaded);
    if (bytes.length) {
      if (loaded.mp3) {
        loaded.mp3.push(bytes);
        loaded.bytes.push(bytes);
        this.#output?.appendBytes?.(bytes);
      } else {
        loaded.store.push(loaded.decoder!.decode(bytes));
        this.#output?.samplesAdded?.();
      }
    }
    if (alignment) {
      const chars =
        alignment.kind === 'rest'
          ? fromRestAlignment(alignment.alignment)
          : fromSocketAlignment(alignment.alignment, offset);
      loaded.timeline.append(chars);
      loaded.alignedChars += chars.length;
    }
    this.#publishSoon();
  }

  #complete(loaded: Loaded) {
    loaded.complete = true;
    loaded.timeline.finish();
    this.#output?.end();
    if (loaded.codec === 'pcm' || loaded.codec === 'ulaw') {
      loaded.settled = true;
      this.#publish();
      return;
    }
    // MP3 and files: decode once for the peaks; `complete` is published with them.
    void this.#decodeForPeaks(loaded).finally(() => {
      if (loaded !== this.#loaded) return;
      loaded.settled = true;
      this.#publish();
    });
  }

  async #decodeForPeaks(loaded: Loaded) {
    const file = this.#file(loaded);
    const graph = this.#graph;
    if (!file || !graph) return;
    try {
      const audio = await graph.context.decodeAudioData(await file.arrayBuffer());
      if (loaded === this.#loaded) loaded.store.push(audio.getChannelData(0));
    } catch {
      // no peaks; playback reports its own decoding errors
    }
  }

  #file(loaded: Loaded): Blob | null {
    if (loaded.file) return loaded.file;
    if (loaded.codec === 'mp3')
      return loaded.bytes.length ? new Blob(loaded.bytes as BlobPart[], { type: 'audio/mpeg' }) : null;
    if (loaded.codec) return loaded.store.length ? wavFile(loaded.store.slice(0), loaded.sampleRate) : null;
    return null;
  }

  #ready(loaded: Loaded) {
    this.#facts = { ...this.#facts, ready: true };
    if (this.#facts.wantsToPlay) void this.#start();
    this.#sync();
    this.#publish();
    loaded.settle();
  }

  /**
   * Starts the output (in a click handler, everything up to the first await runs inside the gesture). Marks the
   * player as starting without publishing: the caller syncs.
   */
  #start(): Promise<void> {
    const output = this.#output;
    const loaded = this.#loaded;
    if (!output || !loaded) return Promise.resolve();
    const running = this.#graph ? this.#graph.start() : Promise.resolve(true);
    const playing = output.play();
    const attempt = ++this.#attempt;
    this.#facts = { ...this.#facts, starting: true };
    const current = () => loaded === this.#loaded && attempt === this.#attempt;
    return Promise.all([running, playing]).then(
      ([allowed]) => {
        if (!current()) return;
        if (!allowed && this.#facts.wantsToPlay) output.pause();
        this.#set({ starting: false, blocked: !allowed });
      },
      (error: unknown) => {
        if (!current()) return;
        if (isNotAllowed(error)) {
          output.pause();
          this.#set({ starting: false, blocked: true });
        } else if (isAbort(error)) {
          this.#set({ starting: false }); // a pause or a new source came first
        } else if (!this.#facts.failed) {
          this.#fail(new SpeechPlayerError('unsupported', `The audio could not be played: ${describe(error)}`));
        }
      },
    );
  }

  #contextStateChanged(graph: AudioGraph) {
    if (graph !== this.#graph || !this.#loaded) return;
    const state = graph.context.state as string;
    if (state === 'running' && this.#facts.blocked && this.#facts.wantsToPlay) {
      void this.#start();
      this.#sync();
    }
    // iOS suspends ("interrupted") the context for calls and Siri: ask for a tap if it does not come back.
    else if ((state === 'interrupted' || state === 'suspended') && this.#facts.wantsToPlay && this.#facts.ready) {
      this.#set({ blocked: true });
    }
  }

  #ended() {
    this.#set({ ended: true, wantsToPlay: false, starved: false });
    this.#trackWords({ position: this.getCurrentTime() });
  }

  #fail(error: PlayerError) {
    const loaded = this.#loaded;
    loaded?.abort.abort();
    loaded?.settle();
    const position = this.getCurrentTime(); // where it stopped being heard
    this.#output?.pause();
    const canRetry = loaded?.source.type !== 'websocket' && (error.code === 'network' || error.code === 'rate-limited');
    this.update({ error, canRetry, position });
    this.#set({ failed: true });
  }

  #set(patch: Partial<PlaybackFacts>) {
    this.#facts = { ...this.#facts, ...patch };
    this.#sync();
  }

  #sync() {
    const { wantsToPlay, blocked, failed, ended, starting } = this.#facts;
    const playWhenReady = wantsToPlay && !blocked && !failed;
    // Until the output confirms it started (or is refused), keep showing what was true before.
    if (starting && !failed && !ended) return this.update({ playWhenReady });
    const status = playerStatus(this.#facts);
    if (status === this.getSnapshot().status) return this.update({ playWhenReady });
    this.#trackWords({ status, playWhenReady });
    const loaded = this.#loaded;
    if (status === 'playing' && loaded && !loaded.mediaSession) {
      loaded.mediaSession = true;
      claimMediaSession(this, this.#metadata(loaded), {
        play: () => void this.play(),
        pause: () => this.pause(),
        stop: () => this.stop(),
        seek: (seconds) => this.seek(seconds),
        currentTime: this.getCurrentTime,
      });
    }
    this.#updateMediaSession();
  }

  #metadata(loaded: Loaded) {
    const { metadata } = this.#options;
    const text = loaded.source.type === 'stream' ? loaded.source.text : undefined;
    return {
      title: metadata?.title ?? (text ? clip(text, 80) : 'Speech'),
      artist: metadata?.artist ?? '',
      album: metadata?.album ?? '',
    };
  }

  #updateMediaSession() {
    const { status, duration, rate } = this.getSnapshot();
    const state = status === 'playing' || status === 'buffering' ? 'playing' : status === 'idle' ? 'none' : 'paused';
    updateMediaSession(
      this,
      state,
      duration === null ? undefined : { duration, position: this.getCurrentTime(), playbackRate: rate },
    );
  }

  #publishSoon() {
    if (this.#publishTimer !== undefined) return;
    const wait = PUBLISH_INTERVAL_MS - (Date.now() - this.#lastPublish);
    if (wait <= 0) this.#publish();
    else this.#publishTimer = setTimeout(() => this.#publish(), wait);
  }

  /** Publishes what follows the received audio: `buffered`, `words`, and once settled `complete` and `duration`. */
  #publish() {
    clearTimeout(this.#publishTimer);
    this.#publishTimer = undefined;
    this.#lastPublish = Date.now();
    const loaded = this.#loaded;
    if (!loaded) return;
    const complete = loaded.complete && loaded.settled;
    const buffered = Math.max(0, this.#received(loaded) - loaded.lag);
    const duration = complete ? this.#end(loaded) : null;
    this.#trackWords({
      buffered,
      words: loaded.timeline.words,
      complete,
      duration,
      estimatedDuration: duration ?? estimateDuration(loaded, buffered),
    });
  }

  /**
   * Sets `activeWord` for the current time, and while playing wakes up again when the next word starts: a few
   * timers a second, no per-frame work.
   */
  #trackWords = (patch: Partial<PlayerSnapshot> = {}) => {
    clearTimeout(this.#wordTimer);
    this.#wordTimer = undefined;
    const loaded = this.#loaded;
    if (!loaded) return this.update(patch);
    const { status, rate, words, position } = { ...this.getSnapshot(), ...patch };
    this.#jumpedTo = position; // the time is read as of the patch (a seek's new position)
    const time = this.getCurrentTime();
    this.#jumpedTo = undefined;
    const index = lastStartedWord(words, time);
    this.update({ ...patch, activeWord: index });
    if (status !== 'playing') return;
    const next = words[index + 1];
    const wait = next ? ((next.start - time) / rate) * 1000 : Infinity;
    this.#wordTimer = setTimeout(() => this.#trackWords(), Math.min(250, Math.max(4, wait + 1)));
  };

  /**
   * What is heard at `media` seconds of an element path's clock. Its sound goes on through the AudioContext, whose
   * output latency the element cannot know (the PCM paths subtract it themselves): while playing, it is heard that
   * much later, though never from before the last jump (a seek, a resume); paused, where it stopped being heard.
   */
  #heard(output: PlaybackOutput, media: number) {
    if (!this.#graph || (output.path !== 'mse' && output.path !== 'file')) return media;
    const { rate } = this.getSnapshot();
    const position = this.#jumpedTo ?? this.getSnapshot().position;
    if (!this.#sounding()) return Math.min(media, position);
    return Math.max(Math.min(media, position), media - this.#graph.latency() * rate);
  }

  #sounding() {
    const { status } = this.getSnapshot();
    return status === 'playing' || status === 'buffering';
  }

  #applyVolume() {
    const { volume, muted } = this.getSnapshot();
    if (this.#graph) this.#graph.setVolume(volume, muted);
    else if (this.#element) {
      this.#element.volume = volume;
      this.#element.muted = muted;
    }
  }
}

/**
 * The whole length from the share of the text aligned so far (a stream with timestamps and its `text`), or null.
 * Speech runs at a fairly even pace per character, so this lands within a few percent once a sentence is in.
 */
function estimateDuration(loaded: Loaded, buffered: number): number | null {
  const { source, timeline, alignedChars } = loaded;
  const text = source.type === 'stream' ? source.text : undefined;
  if (!text || !alignedChars || !timeline.duration) return null;
  const total = [...text].length;
  if (alignedChars >= total) return Math.max(buffered, timeline.duration);
  return Math.max(buffered, (timeline.duration * total) / alignedChars);
}

function asPlayerError(error: unknown): PlayerError {
  if (error instanceof SpeechPlayerError) return error;
  return new SpeechPlayerError('unsupported', `The audio could not be played: ${describe(error)}`, undefined, {
    cause: error,
  });
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

const clip = (text: string, length: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
};

const contextCanSetSink = () =>
  typeof AudioContext === 'function' &&
  typeof (AudioContext.prototype as { setSinkId?: unknown }).setSinkId === 'function';

/** Safari 16.4+: play through the silent switch, as media apps do (only if the page has not chosen otherwise). */
function preferPlaybackAudioSession() {
  const session = (globalThis.navigator as { audioSession?: { type: string } } | undefined)?.audioSession;
  if (session?.type === 'auto') session.type = 'playback';
}

/** One sample of silence as a WAV data URL. */
const SILENT_WAV = 'data:audio/wav;base64,UklGRiYAAABXQVZFZm10IBAAAAABAAEAgD4AAAB9AAACABAAZGF0YQIAAAAAAA==';
