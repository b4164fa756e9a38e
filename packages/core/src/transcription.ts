// Speech to text, two ways. BatchTranscriber uploads a finished take to your server's speech-to-text route (the API
// key stays there) and gets the words with their timings. RealtimeTranscriber streams a live microphone stream to
// ElevenLabs' realtime WebSocket through the official `Scribe` client, with a single-use token from your server's
// token route, fetched again for every (re)connection: a session that ends early is resumed and keeps its text.
import { AudioFormat, CommitStrategy, RealtimeEvents, Scribe, type RealtimeConnection } from '@elevenlabs/client';
import { capturePcm, type PcmCapture } from './pcm-capture.ts';
import { describeBody } from './player/errors.ts';
import type {
  TranscriberApi,
  SpeechTranscript,
  TranscriptionError,
  TranscriptionErrorCode,
  TranscriptionOptions,
  TranscriptionSnapshot,
  TranscriptWord,
} from './recorder-types.ts';
import { Store } from './store.ts';

export const INITIAL_TRANSCRIPTION_SNAPSHOT: TranscriptionSnapshot = {
  status: 'idle',
  error: null,
  partial: '',
  committed: [],
  text: '',
};

export const BATCH_TRANSCRIPTION_ENDPOINT = '/api/elevenlabs/speech-to-text';
export const REALTIME_TOKEN_ENDPOINT = '/api/elevenlabs/single-use-token/realtime_scribe';

/** A `TranscriptionError` that is also an `Error` (what rejected promises carry). */
export class TranscriptionFailure extends Error implements TranscriptionError {
  override readonly name = 'TranscriptionFailure';
  constructor(
    readonly code: TranscriptionErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An HTTP failure of the upload or token route as a typed error. */
export function transcriptionHttpError(status: number, body: string, what: string): TranscriptionFailure {
  const { code, message } = describeBody(body);
  const said = message ? ` ${message}` : '';
  if (status === 413 || /too_large|file_size|too_long|max_duration/i.test(code)) {
    return new TranscriptionFailure('too-large', `The recording is too large to transcribe.${said}`, status);
  }
  if (status === 402 || status === 429 || /quota|rate_limit|too_many|credit|insufficient/i.test(code)) {
    return new TranscriptionFailure('quota', `The speech-to-text quota or rate limit is used up.${said}`, status);
  }
  if (status === 401 || status === 403) {
    return new TranscriptionFailure('auth', `${what} was refused: not authorised.${said}`, status);
  }
  if (status >= 400 && status < 500) {
    return new TranscriptionFailure('invalid-request', `${what} was refused.${said}`, status);
  }
  return new TranscriptionFailure('network', `${what} failed on the server (HTTP ${status}).${said}`, status);
}

const asFailure = (error: unknown, what: string): TranscriptionFailure =>
  error instanceof TranscriptionFailure
    ? error
    : new TranscriptionFailure(
        'network',
        `${what} could not reach the server. Check the connection and try again.`,
        undefined,
        {
          cause: error,
        },
      );

const isAbort = (error: unknown) => (error as { name?: string } | null)?.name === 'AbortError';

const joinText = (segments: readonly SpeechTranscript[]) =>
  segments
    .map((segment) => segment.text.trim())
    .filter(Boolean)
    .join(' ');

const toWords = (words: readonly unknown[] | undefined): TranscriptWord[] =>
  (words ?? []).map((w) => {
    const word = w as TranscriptWord;
    return {
      text: word.text,
      start: word.start ?? 0,
      end: word.end ?? 0,
      type: word.type,
      ...(word.speaker_id ? { speaker_id: word.speaker_id } : {}),
    };
  });

const EXTENSIONS: Record<string, string> = {
  wav: 'wav',
  webm: 'webm',
  ogg: 'ogg',
  mp4: 'm4a',
  mpeg: 'mp3',
  aac: 'aac',
};
/** A file name for the upload, so servers that look at the extension see the right one. */
const fileName = (blob: Blob) => {
  const subtype = /^audio\/(?:x-)?([a-z0-9]+)/i.exec(blob.type)?.[1]?.toLowerCase() ?? '';
  return `recording.${EXTENSIONS[subtype] ?? 'bin'}`;
};

/** Shared by both transcribers: the store, reset and destroy. */
abstract class TranscriberBase extends Store<TranscriptionSnapshot> implements TranscriberApi {
  protected readonly options: TranscriptionOptions;

  constructor(options: TranscriptionOptions = {}) {
    super(INITIAL_TRANSCRIPTION_SNAPSHOT);
    this.options = { ...options };
  }

  abstract transcribe(take: Blob): Promise<SpeechTranscript>;
  abstract start(stream: MediaStream): Promise<void>;
  abstract commit(): void;
  abstract pause(): Promise<void>;
  abstract resume(): void;
  abstract switchStream(stream: MediaStream): Promise<void>;
  abstract stop(): Promise<void>;
  protected abstract halt(): void;

  reset(): void {
    this.halt();
    this.update(INITIAL_TRANSCRIPTION_SNAPSHOT);
  }

  /** Stops and lets go of the microphone audio and the connection, keeping the text (it can be started again). */
  destroy(): void {
    this.halt();
    const { status, committed } = this.getSnapshot();
    if (status === 'connecting' || status === 'transcribing') {
      this.update({ status: 'done', partial: '', text: joinText(committed) });
    }
  }

  protected fail(error: TranscriptionFailure): TranscriptionFailure {
    this.update({ status: 'error', error: { code: error.code, message: error.message, status: error.status } });
    return error;
  }

  protected notThisMode(what: string): TranscriptionFailure {
    return new TranscriptionFailure('invalid-request', what);
  }
}

/**
 * Transcribes a finished recording: `POST`s it as multipart `file` + `model_id` (+ `language_code`) to your server's
 * speech-to-text route, which forwards it to `/v1/speech-to-text`. Resolves with `{ text, words, language_code }`.
 */
export class BatchTranscriber extends TranscriberBase {
  #abort: AbortController | null = null;

  async transcribe(take: Blob): Promise<SpeechTranscript> {
    this.halt();
    const abort = new AbortController();
    this.#abort = abort;
    this.update({ ...INITIAL_TRANSCRIPTION_SNAPSHOT, status: 'transcribing' });
    const form = new FormData();
    form.append('file', take, fileName(take));
    form.append('model_id', this.options.modelId ?? 'scribe_v1');
    if (this.options.languageCode) form.append('language_code', this.options.languageCode);
    const what = 'Transcription';
    try {
      const response = await fetch(this.options.endpoint ?? BATCH_TRANSCRIPTION_ENDPOINT, {
        method: 'POST',
        body: form,
        headers: this.options.headers,
        credentials: 'same-origin',
        signal: abort.signal,
      });
      const body = await response.text();
      if (!response.ok) throw transcriptionHttpError(response.status, body, what);
      let json: { text?: unknown; words?: unknown[]; language_code?: unknown };
      try {
        json = JSON.parse(body);
      } catch {
        throw new TranscriptionFailure('network', 'The speech-to-text route answered with something other than JSON.');
      }
      if (typeof json.text !== 'string') {
        throw new TranscriptionFailure('network', 'The speech-to-text answer has no text.');
      }
      const transcript: SpeechTranscript = {
        text: json.text,
        words: toWords(json.words),
        ...(typeof json.language_code === 'string' ? { language_code: json.language_code } : {}),
      };
      if (this.#abort === abort) {
        this.#abort = null;
        this.update({ status: 'done', committed: [transcript], text: joinText([transcript]) });
      }
      return transcript;
    } catch (error) {
      if (isAbort(error) || this.#abort !== abort) {
        throw new TranscriptionFailure('network', 'The transcription was cancelled.', undefined, { cause: error });
      }
      this.#abort = null;
      throw this.fail(asFailure(error, what));
    }
  }

  start(): Promise<void> {
    return Promise.reject(this.notThisMode('Batch transcription takes a finished recording: call transcribe(take).'));
  }

  commit(): void {}

  async pause(): Promise<void> {}

  resume(): void {}

  async switchStream(): Promise<void> {}

  async stop(): Promise<void> {}

  protected halt() {
    this.#abort?.abort();
    this.#abort = null;
  }
}

/** How long `stop()` waits for the last segment to be committed before keeping the partial text as it is. */
const FINAL_COMMIT_MS = 3000;
/** How long `stop()` waits for `committed_transcript_with_timestamps` after `committed_transcript`. */
const STAMPED_GRACE_MS = 500;
/** Audio kept since the last commit, to resend to a new session after a reconnection (16 kHz, 16-bit). */
const MAX_UNCOMMITTED_SAMPLES = 16000 * 60;
/** Connections in a row that may end before their session starts before the transcriber gives up. */
const MAX_FAILED_CONNECTIONS = 3;

/** Realtime error messages that end this session but not the transcription: resume with a fresh token. */
const RESUMABLE = new Set([
  'session_time_limit_exceeded',
  'auth_error', // a token that expired or was already used; a fresh one follows
  'transcriber_error',
  'insufficient_audio_activity',
  'resource_exhausted',
  'queue_overflow',
  'error',
]);
const QUOTA = new Set(['quota_exceeded', 'rate_limited']);
/** Not errors of the session: the next commit will do. */
const IGNORED = new Set(['commit_throttled']);

const toBase64 = (chunk: Int16Array) => {
  const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

/**
 * Transcribes a live stream (the recorder's `stream`) as it is spoken: 16 kHz 16-bit PCM to ElevenLabs' realtime
 * speech to text through `Scribe` from `@elevenlabs/client`. `partial` holds the words since the last commit,
 * `committed` the finished segments (with word timings). A session that ends early (a dropped socket, an expired
 * token, the session time limit) is resumed with a fresh token and the audio not yet committed; the text is kept.
 */
export class RealtimeTranscriber extends TranscriberBase {
  #capture: PcmCapture | null = null;
  /** The stream `#capture` listens to. */
  #stream: MediaStream | null = null;
  #connection: RealtimeConnection | null = null;
  /** The connection whose session has started (audio goes out only then). */
  #live = false;
  /** Counts starts and connections, so late events of an old one are ignored. */
  #generation = 0;
  #failedConnections = 0;
  #sessions = 0;
  /** Audio since the last commit, resent to a new session. */
  #uncommitted: Int16Array[] = [];
  #uncommittedSamples = 0;
  /** The first chunk of a resumed session carries the end of the text so far. */
  #sendContext = false;
  #stopping = false;
  /** Paused: the capture sends nothing, and a session that ends is resumed only on resume() (or to commit on stop()). */
  #paused = false;
  #fatal: TranscriptionFailure | null = null;
  #pair: 'plain' | 'stamped' | null = null;
  #onCommitted: (() => void) | null = null;
  /** The failure that ended the latest start, for its promise. */
  #failure: TranscriptionFailure | null = null;

  /** Sessions started so far in this transcription (more than one after a reconnection). */
  get sessions(): number {
    return this.#sessions;
  }

  transcribe(): Promise<SpeechTranscript> {
    return Promise.reject(this.notThisMode('Realtime transcription takes a live stream: call start(stream).'));
  }

  async start(stream: MediaStream): Promise<void> {
    this.halt();
    const generation = ++this.#generation;
    this.#failure = null;
    this.#sessions = 0;
    this.#failedConnections = 0;
    this.update({ ...INITIAL_TRANSCRIPTION_SNAPSHOT, status: 'connecting' });
    const connected = this.#connect(generation);
    try {
      const capture = await capturePcm(stream, (chunk) => this.#onAudio(chunk), {
        sampleRate: 16000,
        workletUrl: this.options.workletUrl,
      });
      if (generation !== this.#generation) {
        // Ended meanwhile: by reset/stop, or by a failure this promise should report.
        capture.close();
        const failure = this.#failureOf(generation);
        if (failure) throw failure;
        return;
      }
      this.#capture = capture;
      this.#stream = stream;
      if (this.#paused) void capture.pause();
    } catch (error) {
      if (error instanceof TranscriptionFailure) throw error;
      if (generation !== this.#generation) return;
      this.halt();
      throw this.fail(
        new TranscriptionFailure(
          'invalid-request',
          'The microphone audio could not be read (no AudioWorklet?).',
          undefined,
          {
            cause: error,
          },
        ),
      );
    }
    await connected;
    // Failed for good (the token route refused, quota, three connections in a row that never started…).
    if (this.#failure && this.#failure === this.#failureOf(generation)) throw this.#failure;
  }

  commit(): void {
    if (!this.#live || !this.#connection) return;
    try {
      this.#connection.commit();
    } catch {
      // The socket just closed: the reconnection resends the audio and the next commit covers it.
    }
  }

  async pause(): Promise<void> {
    const { status } = this.getSnapshot();
    if (status !== 'connecting' && status !== 'transcribing') return;
    const generation = this.#generation;
    this.#paused = true;
    this.update({ status: 'paused' });
    // What was said up to now is still on its way from the microphone (up to a chunk): let it arrive, then commit it.
    await this.#capture?.pause();
    if (generation !== this.#generation || !this.#paused) return;
    if (this.options.commitStrategy !== 'manual' && this.#uncommittedSamples > 0) this.commit();
  }

  resume(): void {
    if (this.getSnapshot().status !== 'paused') return;
    this.#paused = false;
    this.#capture?.resume();
    this.update({ status: this.#live ? 'transcribing' : 'connecting' });
    // The session ended while paused (an idle service may close it): a new one, with a fresh token.
    if (!this.#connection) void this.#connect(this.#generation);
  }

  async switchStream(stream: MediaStream): Promise<void> {
    const { status } = this.getSnapshot();
    if (status !== 'connecting' && status !== 'transcribing' && status !== 'paused') return;
    if (stream === this.#stream) return;
    const generation = this.#generation;
    // The new stream's audio waits until the old capture has sent what it still held, so the order is kept.
    let early: Int16Array[] | null = [];
    const capture = await capturePcm(stream, (chunk) => (early ? early.push(chunk) : this.#onAudio(chunk)), {
      sampleRate: 16000,
      workletUrl: this.options.workletUrl,
    });
    // Ended meanwhile, or start() is still opening (or has just opened) this very stream: two captures of one
    // stream would send its audio twice.
    if (generation !== this.#generation || this.#stopping || !this.#capture || stream === this.#stream) {
      return capture.close();
    }
    if (this.#paused) void capture.pause();
    const old = this.#capture;
    this.#capture = capture;
    this.#stream = stream;
    await old.stop();
    if (generation === this.#generation) for (const chunk of early) this.#onAudio(chunk);
    early = null;
  }

  async stop(): Promise<void> {
    const generation = this.#generation;
    const { status } = this.getSnapshot();
    if (status !== 'connecting' && status !== 'transcribing' && status !== 'paused') return;
    this.#stopping = true;
    await this.#capture?.stop();
    this.#capture = null;
    if (generation !== this.#generation) return;
    const manual = this.options.commitStrategy === 'manual';
    // Worth a commit: words being heard; any audio in manual mode; audio that has not reached a session yet (still
    // connecting: it is sent and committed once the session starts).
    const unsent = this.#uncommittedSamples > 0 && (manual || !this.#live);
    const pending = this.getSnapshot().partial !== '' || unsent;
    if (pending) {
      const committed = new Promise<void>((resolve) => {
        this.#onCommitted = resolve;
        setTimeout(resolve, FINAL_COMMIT_MS);
      });
      // Paused with no session (it ended meanwhile): one more, for the commit.
      if (this.#paused && !this.#connection) void this.#connect(generation);
      this.#paused = false;
      this.commit();
      await committed;
      this.#onCommitted = null;
      if (generation !== this.#generation) return;
    }
    // What was heard but not committed in time stays, as a segment without timings.
    const partial = this.getSnapshot().partial.trim();
    const committed = partial
      ? [...this.getSnapshot().committed, { text: partial, words: [] }]
      : this.getSnapshot().committed;
    this.halt();
    if (this.getSnapshot().status !== 'error') {
      this.update({ status: 'done', partial: '', committed, text: joinText(committed) });
    }
  }

  protected halt() {
    this.#generation++;
    this.#stopping = false;
    this.#paused = false;
    this.#live = false;
    this.#capture?.close();
    this.#capture = null;
    this.#stream = null;
    const connection = this.#connection;
    this.#connection = null;
    connection?.close();
    this.#uncommitted = [];
    this.#uncommittedSamples = 0;
    this.#fatal = null;
    this.#pair = null;
    this.#onCommitted?.();
    this.#onCommitted = null;
  }

  async #token(): Promise<string> {
    if (this.options.getToken) return this.options.getToken();
    const what = 'The transcription token request';
    let response: Response;
    try {
      response = await fetch(this.options.endpoint ?? REALTIME_TOKEN_ENDPOINT, {
        method: 'POST',
        headers: this.options.headers,
        credentials: 'same-origin',
      });
    } catch (error) {
      throw asFailure(error, what);
    }
    const body = await response.text();
    if (!response.ok) throw transcriptionHttpError(response.status, body, what);
    try {
      const token = (JSON.parse(body) as { token?: unknown }).token;
      if (typeof token === 'string' && token) return token;
    } catch {
      // fall through
    }
    throw new TranscriptionFailure('network', 'The token route answered without a token.');
  }

  /** Opens a session with a fresh token; resolves once it started or failed for good. */
  async #connect(generation: number): Promise<void> {
    let token: string;
    try {
      token = await this.#token();
    } catch (error) {
      if (generation !== this.#generation) return;
      const failure = asFailure(error, 'The transcription token request');
      // A network blip while resuming: try again a few times; a refusal (auth, quota) is final.
      if (failure.code === 'network' && this.#sessions > 0 && ++this.#failedConnections < MAX_FAILED_CONNECTIONS) {
        await new Promise((resolve) => setTimeout(resolve, 200 * this.#failedConnections));
        return this.#connect(generation);
      }
      this.#end(failure);
      return;
    }
    if (generation !== this.#generation) return;
    let connection: RealtimeConnection;
    try {
      connection = Scribe.connect({
        token,
        modelId: this.options.modelId ?? 'scribe_v2_realtime',
        audioFormat: AudioFormat.PCM_16000,
        sampleRate: 16000,
        commitStrategy: this.options.commitStrategy === 'manual' ? CommitStrategy.MANUAL : CommitStrategy.VAD,
        includeTimestamps: true,
        ...(this.options.languageCode ? { languageCode: this.options.languageCode } : {}),
        ...(this.options.baseUri ? { baseUri: this.options.baseUri } : {}),
      });
    } catch (error) {
      this.#end(new TranscriptionFailure('invalid-request', `The realtime session could not open: ${String(error)}`));
      return;
    }
    this.#connection = connection;
    const current = () => generation === this.#generation && this.#connection === connection;
    return new Promise<void>((settle) => {
      connection.on(RealtimeEvents.SESSION_STARTED, () => {
        if (!current()) return;
        this.#live = true;
        this.#failedConnections = 0;
        this.#sessions++;
        this.#sendContext = this.#sessions > 1;
        if (!this.#stopping || this.#uncommittedSamples) {
          this.update({ status: this.#paused ? 'paused' : 'transcribing' });
        }
        // Audio spoken while (re)connecting, and what the last session did not commit.
        for (const chunk of this.#uncommitted) this.#send(chunk);
        if (this.#stopping && this.#uncommittedSamples) this.commit();
        settle();
      });
      connection.on(RealtimeEvents.PARTIAL_TRANSCRIPT, (message) => {
        if (current()) this.update({ partial: message.text ?? '' });
      });
      connection.on(RealtimeEvents.COMMITTED_TRANSCRIPT, (message) => {
        if (current()) this.#commitSegment({ text: message.text ?? '', words: [] }, 'plain');
      });
      connection.on(RealtimeEvents.COMMITTED_TRANSCRIPT_WITH_TIMESTAMPS, (message) => {
        if (!current()) return;
        const segment: SpeechTranscript = {
          text: message.text ?? '',
          words: toWords(message.words),
          ...(message.language_code ? { language_code: message.language_code } : {}),
        };
        this.#commitSegment(segment, 'stamped');
      });
      connection.on(RealtimeEvents.ERROR, (message) => {
        if (!current() || IGNORED.has(message.message_type)) return;
        const said = message.error ? ` ${message.error}` : '';
        if (QUOTA.has(message.message_type)) {
          this.#fatal = new TranscriptionFailure('quota', `The speech-to-text quota or rate limit is used up.${said}`);
        } else if (!RESUMABLE.has(message.message_type)) {
          this.#fatal = new TranscriptionFailure('invalid-request', `The realtime session was refused.${said}`);
        }
        // Every error ends this session; the close below decides between resuming and failing.
        connection.close();
        this.#closed(generation, connection, message.message_type, settle);
      });
      connection.on(RealtimeEvents.CLOSE, () => {
        if (current()) this.#closed(generation, connection, 'closed', settle);
      });
    });
  }

  /** This connection is gone: fail for good, or resume with a fresh token. */
  #closed(generation: number, connection: RealtimeConnection, why: string, settle: () => void) {
    if (generation !== this.#generation || this.#connection !== connection) return settle();
    this.#connection = null;
    const started = this.#live;
    this.#live = false;
    if (this.#fatal) {
      this.#end(this.#fatal);
      return settle();
    }
    if (!started) this.#failedConnections++;
    if (this.#failedConnections >= MAX_FAILED_CONNECTIONS) {
      const auth = why === 'auth_error';
      this.#end(
        new TranscriptionFailure(
          auth ? 'auth' : 'session',
          auth
            ? 'The realtime transcription token was refused.'
            : 'The realtime transcription service could not be reached; try again.',
        ),
      );
      return settle();
    }
    if (this.#stopping && !this.#uncommittedSamples) {
      this.#onCommitted?.();
      return settle();
    }
    // Nothing to send while paused: resume() opens the next session.
    if (this.#paused) return settle();
    // Resume: keep the committed text, drop the partial (its audio is resent), new token.
    this.update({ status: 'connecting', partial: '' });
    const delay = 200 * this.#failedConnections;
    setTimeout(() => {
      if (generation === this.#generation) void this.#connect(generation).then(settle);
      else settle();
    }, delay);
  }

  #end(error: TranscriptionFailure) {
    const generation = this.#generation;
    const committed = this.getSnapshot().committed;
    this.halt();
    this.#failure = error;
    this.#failedGeneration = generation;
    this.update({
      status: 'error',
      error: { code: error.code, message: error.message, status: error.status },
      committed,
    });
  }

  #failedGeneration = -1;
  #failureOf(generation: number) {
    return this.#failedGeneration === generation ? this.#failure : null;
  }

  #onAudio(chunk: Int16Array) {
    this.#uncommitted.push(chunk);
    this.#uncommittedSamples += chunk.length;
    while (this.#uncommittedSamples > MAX_UNCOMMITTED_SAMPLES && this.#uncommitted.length > 1) {
      this.#uncommittedSamples -= this.#uncommitted.shift()!.length;
    }
    if (this.#live) this.#send(chunk);
  }

  #send(chunk: Int16Array) {
    const connection = this.#connection;
    if (!connection) return;
    const context = this.#sendContext ? this.getSnapshot().text.slice(-50) : '';
    this.#sendContext = false;
    try {
      connection.send({ audioBase64: toBase64(chunk), ...(context ? { previousText: context } : {}) });
    } catch {
      // Closed under us: the close handler resumes and resends.
    }
  }

  /** A commit arrives as `committed_transcript` and, with timestamps, `committed_transcript_with_timestamps`. */
  #commitSegment(segment: SpeechTranscript, kind: 'plain' | 'stamped') {
    this.#uncommitted = [];
    this.#uncommittedSamples = 0;
    const committed = [...this.getSnapshot().committed];
    const last = committed.at(-1);
    const pairsWithLast = this.#pair !== null && this.#pair !== kind && last?.text === segment.text;
    if (pairsWithLast) {
      if (kind === 'stamped') committed[committed.length - 1] = segment;
      this.#pair = null;
    } else if (segment.text.trim()) {
      committed.push(segment);
      this.#pair = kind;
    } else {
      this.#pair = null;
    }
    this.update({ partial: '', committed, text: joinText(committed) });
    // stop() waits for the words too: they come in the timestamped message, which follows the plain one (a short
    // grace in case a service sends none).
    const settle = this.#onCommitted;
    if (kind === 'stamped') settle?.();
    else if (settle) setTimeout(settle, STAMPED_GRACE_MS);
  }
}

/** A batch or realtime transcriber. */
export function createTranscriber(
  mode: 'batch' | 'realtime',
  options: TranscriptionOptions = {},
): BatchTranscriber | RealtimeTranscriber {
  return mode === 'batch' ? new BatchTranscriber(options) : new RealtimeTranscriber(options);
}
