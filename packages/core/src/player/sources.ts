// Where audio comes from: a streamed HTTP response (raw audio bytes, or newline-delimited JSON chunks with
// alignment), or the stream-input WebSocket fed text as it is written. Each hands the player audio bytes with the
// alignment that came with them, then says it is complete, or fails with a typed error.
import type { SpeechSource, SpeechTextInput } from '../speech-player-types.ts';
import { pickAlignment, type RestAlignment, type SocketAlignment } from '../word-timeline.ts';
import { describeBody, httpError, networkError, socketError, SpeechPlayerError } from './errors.ts';
import { base64Bytes } from './samples.ts';

export type ChunkAlignment =
  { kind: 'rest'; alignment: RestAlignment } | { kind: 'socket'; alignment: SocketAlignment };

export interface SourceSink {
  audio(bytes: Uint8Array, alignment: ChunkAlignment | null): void;
  complete(): void;
  fail(error: SpeechPlayerError): void;
  /** Seconds received so far (for error messages). */
  receivedSeconds(): number;
}

type StreamSource = Extract<SpeechSource, { type: 'stream' }>;
type SocketSource = Extract<SpeechSource, { type: 'websocket' }>;

/** Fetches a finished file (url source): its bytes as a Blob. */
export async function fetchFile(url: string, signal: AbortSignal): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (cause) {
    if (signal.aborted) throw cause;
    throw networkError(cause, 0);
  }
  if (!response.ok) throw httpError(response.status, await response.text().catch(() => ''));
  try {
    return await response.blob();
  } catch (cause) {
    if (signal.aborted) throw cause;
    throw networkError(cause, 0);
  }
}

/** Reads a streamed response into `sink` until it ends, fails or `signal` aborts. */
export async function readStream(source: StreamSource, sink: SourceSink, signal: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch(source.url, { ...source.init, signal });
  } catch (cause) {
    if (!signal.aborted) sink.fail(networkError(cause, 0));
    return;
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    if (!signal.aborted) sink.fail(httpError(response.status, body));
    return;
  }
  // The response says what it is; `timestamps` is the fallback for a server that does not.
  const type = response.headers.get('content-type') ?? '';
  const timestamps = /json|event-stream/i.test(type)
    ? true
    : /^audio\/|octet-stream/i.test(type)
      ? false
      : source.timestamps;
  const lines = timestamps ? new LineReader() : null;
  try {
    if (!response.body) throw new TypeError('The response has no body.');
    const reader = response.body.getReader();
    signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) return;
      if (done) break;
      if (!lines) sink.audio(value, null);
      else for (const line of lines.push(value)) timestampedChunk(line, sink);
    }
    if (lines) for (const line of lines.end()) timestampedChunk(line, sink);
    sink.complete();
  } catch (error) {
    if (signal.aborted) return;
    sink.fail(error instanceof SpeechPlayerError ? error : networkError(error, sink.receivedSeconds()));
  }
}

/** Splits UTF-8 bytes into lines; a line may arrive in many pieces. */
export class LineReader {
  readonly #decoder = new TextDecoder();
  #rest = '';

  push(bytes: Uint8Array): string[] {
    const text = this.#rest + this.#decoder.decode(bytes, { stream: true });
    const lines = text.split('\n');
    this.#rest = lines.pop() ?? '';
    return lines;
  }

  end(): string[] {
    const last = this.#rest + this.#decoder.decode();
    this.#rest = '';
    return last.trim() ? [last] : [];
  }
}

/** One line of `/stream/with-timestamps`: a JSON chunk, possibly as a server-sent event (`data: {…}`). */
export function timestampedChunk(line: string, sink: SourceSink) {
  let text = line.trim();
  if (!text || text.startsWith(':') || /^(event|id|retry):/.test(text)) return;
  if (text.startsWith('data:')) text = text.slice(5).trim();
  if (!text || text === '[DONE]') return;
  let chunk: Record<string, unknown>;
  try {
    chunk = JSON.parse(text);
    if (!chunk || typeof chunk !== 'object') throw new Error('not an object');
  } catch (cause) {
    throw new SpeechPlayerError('decode', 'The stream sent a line that is not a JSON audio chunk.', undefined, {
      cause,
    });
  }
  if (chunk.error !== undefined || (chunk.detail !== undefined && chunk.audio_base64 === undefined)) {
    const { code, message } = describeBody(text);
    throw socketError(code || 'internal_error', message || null, 1011);
  }
  const audio = typeof chunk.audio_base64 === 'string' ? decodeAudio(chunk.audio_base64) : new Uint8Array(0);
  const alignment = pickAlignment(
    chunk.alignment as RestAlignment | null | undefined,
    chunk.normalized_alignment as RestAlignment | null | undefined,
  );
  if (audio.length || alignment) sink.audio(audio, alignment ? { kind: 'rest', alignment } : null);
}

function decodeAudio(base64: string) {
  try {
    return base64Bytes(base64);
  } catch (cause) {
    throw new SpeechPlayerError('decode', 'The stream sent audio that is not base64.', undefined, { cause });
  }
}

/** How often an idle input-streaming socket is kept open (the service closes it after 20 s without text). */
const KEEP_ALIVE_MS = 15_000;

/**
 * Opens the input-streaming WebSocket. Text appended before it opens is sent once it does. Resolves `opened` when
 * the socket is open or has failed.
 */
export function openSocket(
  source: SocketSource,
  sink: SourceSink,
  signal: AbortSignal,
): { input: SpeechTextInput; opened: Promise<void> } {
  const queue: string[] = [];
  let socket: WebSocket | null = null;
  let ended = false;
  let final = false;
  let refusal: { error: string; message: string | null } | null = null;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let lastSent = Date.now();
  let settle!: () => void;
  const opened = new Promise<void>((resolve) => (settle = resolve));

  const send = (message: Record<string, unknown>) => {
    const data = JSON.stringify(message);
    if (socket?.readyState === WebSocket.OPEN) {
      socket.send(data);
      lastSent = Date.now();
    } else queue.push(data);
  };
  const stop = () => {
    clearInterval(keepAlive);
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000);
  };

  try {
    socket = new WebSocket(source.url);
  } catch (cause) {
    sink.fail(
      new SpeechPlayerError('invalid-request', `The WebSocket URL is not valid: ${source.url}`, undefined, { cause }),
    );
    settle();
    return { input: { append() {}, flush() {}, end() {} }, opened };
  }
  signal.addEventListener('abort', stop, { once: true });
  socket.onopen = () => {
    socket!.send(JSON.stringify({ text: ' ', ...source.init }));
    for (const data of queue.splice(0)) socket!.send(data);
    lastSent = Date.now();
    keepAlive = setInterval(() => {
      if (!ended && Date.now() - lastSent >= KEEP_ALIVE_MS) send({ text: ' ' });
    }, KEEP_ALIVE_MS / 3);
    settle();
  };
  socket.onmessage = (event: MessageEvent) => {
    if (signal.aborted || typeof event.data !== 'string') return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(event.data);
    } catch (cause) {
      sink.fail(new SpeechPlayerError('decode', 'The service sent a message that is not JSON.', undefined, { cause }));
      return stop();
    }
    if (typeof message.error === 'string') {
      refusal = { error: message.error, message: typeof message.message === 'string' ? message.message : null };
      return;
    }
    const audio = typeof message.audio === 'string' && message.audio ? base64Bytes(message.audio) : null;
    const alignment = pickAlignment(
      message.alignment as SocketAlignment | null | undefined,
      message.normalizedAlignment as SocketAlignment | null | undefined,
    );
    if (audio || alignment) sink.audio(audio ?? new Uint8Array(0), alignment ? { kind: 'socket', alignment } : null);
    if (message.isFinal === true) {
      final = true;
      sink.complete();
    }
  };
  socket.onclose = (event: CloseEvent) => {
    clearInterval(keepAlive);
    settle();
    if (signal.aborted || final) return;
    if (refusal) return sink.fail(socketError(refusal.error, refusal.message, event.code));
    // A clean close after end() without an isFinal message still means "all spoken".
    if (event.code === 1000 && ended) return sink.complete();
    sink.fail(socketError(null, event.reason || null, event.code));
  };

  const input: SpeechTextInput = {
    append(text: string) {
      if (ended)
        throw new SpeechPlayerError('invalid-request', 'end() was called: load a new source to speak more text.');
      if (text) send({ text });
    },
    flush() {
      if (!ended) send({ text: ' ', flush: true });
    },
    end() {
      if (ended) return;
      ended = true;
      send({ text: '' });
    },
  };
  return { input, opened };
}
