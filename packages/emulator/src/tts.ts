// Text to speech over REST (audio.md §1.1–1.5): `POST /v1/text-to-speech/{voice_id}[/stream][/with-timestamps]`,
// `GET /v1/voices[/{voice_id}]`, `GET /v1/models`; the stream-input WebSocket is handed to tts-socket.ts.
// Also what tests inspect: every request's record, and faults for the next requests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MODELS, modelJson } from './models.ts';
import { Pacer, sleep } from './pacer.ts';
import { newId } from './signing.ts';
import type { Logger } from './store.ts';
import { TtsFaultQueue, type TtsFaults } from './tts-faults.ts';
import { parseTtsRequest, type TtsRequest } from './tts-request.ts';
import { TtsSocketSession } from './tts-socket.ts';
import { prepareUtterance, restAlignment, speechChunks } from './utterance.ts';
import { BUILT_IN_VOICES, resolveVoice, voiceJson, type Voice, type VoiceDefinition } from './voices.ts';

export type TtsEndpoint = 'convert' | 'stream' | 'with-timestamps' | 'stream/with-timestamps' | 'stream-input';

/** What the emulator remembers about one text-to-speech request or stream-input connection. */
export interface TtsRecord {
  request_id: string;
  endpoint: TtsEndpoint;
  voice_id: string;
  model_id: string | null;
  output_format: string | null;
  /** The text spoken (for stream-input: all text generated so far). */
  text: string;
  /** Characters generated (code points), what ElevenLabs bills. */
  characters: number;
  status: 'in-progress' | 'done' | 'refused' | 'dropped' | 'aborted';
  /** `detail.status` (REST) or `error` (WebSocket) of a refusal, `validation_error` for a 422. */
  error: string | null;
  /** Faults applied. */
  faults: TtsFaults;
  start_time_unix_ms: number;
  end_time_unix_ms: number | null;
  /** Audio bytes sent (REST: before base64). */
  audio_bytes: number;
  /** Chunks (streams) or audio messages (WebSocket) sent. */
  chunks: number;
}

export const MAX_TTS_RECORDS = 500;

/** What tts.ts needs from the emulator around it. */
export interface TtsContext {
  log: Logger;
  json(res: ServerResponse, status: number, body: unknown): void;
  fail(res: ServerResponse, status: number, code: string, message: string): void;
  /** The REST `xi-api-key` check; answers 401 itself and returns false when it fails. */
  authorized(req: IncomingMessage, res: ServerResponse): boolean;
  /** Whether a key (from a WebSocket header, query or first message) is the emulator's. */
  acceptsKey(key: string): boolean;
  consumeSingleUseToken(token: string, type: 'tts_websocket'): boolean;
  readBody(req: IncomingMessage, limit?: number): Promise<string>;
  /** A record is final (the emulator emits its `tts` event). */
  finished(record: TtsRecord): void;
  /** Audio per streamed chunk / WebSocket audio message. */
  chunkMs: number;
  /** How many times faster than real time speech is produced. */
  generationSpeed: number;
  maxFrameBytes: number;
}

export type Route = [
  method: string,
  pattern: RegExp,
  handler: (req: IncomingMessage, res: ServerResponse, m: string[], url: URL) => void,
];

const MAX_BODY_BYTES = 1024 * 1024;
const WHOLE_BODY_CHUNK_MS = 2000;
const STREAM_INPUT = /^\/v1\/text-to-speech\/([^/]+)\/stream-input$/;

export class TextToSpeech {
  readonly voices = new Map<string, Voice>();
  readonly records: TtsRecord[] = [];
  readonly faults = new TtsFaultQueue();
  readonly #ctx: TtsContext;
  readonly #sockets = new Set<WebSocket>();
  readonly #wss: WebSocketServer;

  constructor(ctx: TtsContext, voices: VoiceDefinition[] = []) {
    this.#ctx = ctx;
    for (const v of [...BUILT_IN_VOICES, ...voices]) this.addVoice(v);
    // No subprotocol is required; one offered is echoed (ws picks the first), as browsers expect.
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: ctx.maxFrameBytes });
  }

  addVoice(definition: VoiceDefinition): Voice {
    const voice = resolveVoice(definition);
    this.voices.set(voice.voice_id, voice);
    return voice;
  }

  readonly routes: Route[] = [
    ['GET', /^\/v1\/voices$/, (req, res) => this.#voices(req, res)],
    ['GET', /^\/v2\/voices$/, (req, res) => this.#voices(req, res, true)],
    [
      'GET',
      /^\/v1\/voices\/([^/]+)$/,
      (req, res, [id]) => {
        if (!this.#ctx.authorized(req, res)) return;
        const voice = this.voices.get(decodeURIComponent(id!));
        if (!voice)
          return this.#ctx.fail(res, 404, 'voice_not_found', `A voice with the voice_id ${id} was not found.`);
        this.#ctx.json(res, 200, voiceJson(voice));
      },
    ],
    [
      'GET',
      /^\/v1\/models$/,
      (req, res) => {
        if (this.#ctx.authorized(req, res)) this.#ctx.json(res, 200, MODELS.map(modelJson));
      },
    ],
    ...(
      [
        ['stream/with-timestamps', /^\/v1\/text-to-speech\/([^/]+)\/stream\/with-timestamps$/],
        ['with-timestamps', /^\/v1\/text-to-speech\/([^/]+)\/with-timestamps$/],
        ['stream', /^\/v1\/text-to-speech\/([^/]+)\/stream$/],
        ['convert', /^\/v1\/text-to-speech\/([^/]+)$/],
      ] as const
    ).map(([endpoint, pattern]): Route => [
      'POST',
      pattern,
      (req, res, [id], url) => void this.#speak(endpoint, req, res, decodeURIComponent(id!), url),
    ]),
  ];

  /** Takes the upgrade of `/v1/text-to-speech/{voice_id}/stream-input`; false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const match = url.pathname.match(STREAM_INPUT);
    if (!match) return false;
    socket.on('error', (error) => this.#ctx.log('warn', `socket error: ${error.message}`));
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#sockets.add(ws);
      ws.on('close', () => this.#sockets.delete(ws));
      ws.on('error', (error) => this.#ctx.log('warn', `websocket error: ${error.message}`));
      const voiceId = decodeURIComponent(match[1]!);
      const record = this.#record('stream-input', voiceId);
      new TtsSocketSession(ws, {
        req,
        url,
        voice: this.voices.get(voiceId),
        voiceId,
        record,
        faults: () => ({ ...this.voices.get(voiceId)?.faults, ...this.faults.take(voiceId) }),
        acceptsKey: this.#ctx.acceptsKey,
        consumeSingleUseToken: (token) => this.#ctx.consumeSingleUseToken(token, 'tts_websocket'),
        chunkMs: this.#ctx.chunkMs,
        generationSpeed: this.#ctx.generationSpeed,
        log: this.#ctx.log,
        finished: () => this.#ctx.finished(record),
      });
    });
    return true;
  }

  closeSockets(): void {
    this.#sockets.forEach((ws) => ws.close(1001, 'Emulator shutting down'));
  }

  #voices(req: IncomingMessage, res: ServerResponse, v2 = false) {
    if (!this.#ctx.authorized(req, res)) return;
    const voices = [...this.voices.values()].map(voiceJson);
    this.#ctx.json(
      res,
      200,
      v2 ? { voices, has_more: false, total_count: voices.length, next_page_token: null } : { voices },
    );
  }

  #record(endpoint: TtsEndpoint, voiceId: string): TtsRecord {
    const record: TtsRecord = {
      request_id: newId('req'),
      endpoint,
      voice_id: voiceId,
      model_id: null,
      output_format: null,
      text: '',
      characters: 0,
      status: 'in-progress',
      error: null,
      faults: {},
      start_time_unix_ms: Date.now(),
      end_time_unix_ms: null,
      audio_bytes: 0,
      chunks: 0,
    };
    this.records.push(record);
    if (this.records.length > MAX_TTS_RECORDS) this.records.shift();
    return record;
  }

  #finish(record: TtsRecord, status: TtsRecord['status'], error: string | null = null) {
    record.status = status;
    record.error = error;
    record.end_time_unix_ms = Date.now();
    this.#ctx.finished(record);
  }

  async #speak(endpoint: TtsEndpoint, req: IncomingMessage, res: ServerResponse, voiceId: string, url: URL) {
    const ctx = this.#ctx;
    if (!ctx.authorized(req, res)) return;
    let body: string;
    try {
      body = await ctx.readBody(req, MAX_BODY_BYTES);
    } catch {
      return ctx.fail(res, 413, 'payload_too_large', 'The request body is over 1 MiB.');
    }
    const record = this.#record(endpoint, voiceId);
    const parsed = parseTtsRequest(url.searchParams, body, voiceId, this.voices.get(voiceId));
    if (!parsed.ok) {
      if ('problems' in parsed) {
        ctx.json(res, 422, { detail: parsed.problems });
        return this.#finish(record, 'refused', 'validation_error');
      }
      ctx.fail(res, parsed.refusal.status, parsed.refusal.code, parsed.refusal.message);
      return this.#finish(record, 'refused', parsed.refusal.code);
    }
    const request = parsed.value;
    Object.assign(record, {
      model_id: request.model.model_id,
      output_format: request.format.name,
      text: request.text,
      characters: [...request.text].length,
    });
    const faults = { ...request.voice.faults, ...this.faults.take(voiceId) };
    record.faults = faults;
    const refusal = faultRefusal(faults, record.characters);
    if (refusal) {
      ctx.fail(res, refusal.status, refusal.code, refusal.message);
      return this.#finish(record, 'refused', refusal.code);
    }

    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    if (faults.latency_ms) await sleep(faults.latency_ms, aborted.signal);
    const drop = () => {
      if (aborted.signal.aborted || record.status !== 'in-progress') return;
      res.socket?.destroy();
      this.#finish(record, 'dropped');
    };
    const dropAfter = faults.drop_after_ms;
    try {
      if (endpoint === 'stream' || endpoint === 'stream/with-timestamps') {
        // The drop comes when its time comes; a stream that would finish first holds back its last chunk for it.
        const dropping = dropAfter === undefined ? null : sleep(dropAfter, aborted.signal).then(drop);
        await this.#stream(
          request,
          endpoint === 'stream/with-timestamps',
          res,
          record,
          faults,
          aborted.signal,
          dropping,
        );
      } else {
        const dropping = dropAfter === undefined ? null : () => sleep(dropAfter, aborted.signal).then(drop);
        await this.#whole(request, endpoint === 'with-timestamps', res, record, aborted.signal, dropping);
      }
      if (record.status === 'in-progress') this.#finish(record, aborted.signal.aborted ? 'aborted' : 'done');
    } catch (error) {
      ctx.log('error', `text to speech failed: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) ctx.fail(res, 500, 'internal_error', 'The emulator failed to synthesise this text.');
      else res.destroy();
      if (record.status === 'in-progress') this.#finish(record, 'aborted', 'internal_error');
    }
  }

  #headers(request: TtsRequest, record: TtsRecord, contentType: string) {
    return {
      'content-type': contentType,
      'cache-control': 'no-store',
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'request-id, x-character-count',
      'request-id': record.request_id,
      'x-character-count': String(record.characters),
      'x-output-format': request.format.name,
    };
  }

  /** Streams chunk by chunk as they are "generated"; a drop fault holds back the last chunk and cuts the connection. */
  async #stream(
    request: TtsRequest,
    withTimestamps: boolean,
    res: ServerResponse,
    record: TtsRecord,
    faults: TtsFaults,
    signal: AbortSignal,
    dropping: Promise<void> | null,
  ): Promise<void> {
    const contentType = withTimestamps ? 'text/event-stream' : request.format.contentType;
    res.writeHead(200, this.#headers(request, record, contentType));
    res.flushHeaders();
    const utterance = prepareUtterance(request.text, {
      speed: request.voiceSettings.speed,
      normalize: request.normalize,
    });
    const pacer = new Pacer(this.#ctx.generationSpeed, faults.jitter_ms);
    for (const chunk of speechChunks(utterance, request.format, this.#ctx.chunkMs)) {
      if (chunk.last && dropping) return dropping;
      await pacer.next(chunk.durationMs, signal);
      if (signal.aborted) return;
      const data = withTimestamps
        ? `${JSON.stringify({
            audio_base64: chunk.audio.toString('base64'),
            alignment: restAlignment(chunk.alignment),
            normalized_alignment: restAlignment(chunk.normalizedAlignment),
          })}\n`
        : chunk.audio;
      if (!data.length) continue;
      record.chunks++;
      record.audio_bytes += chunk.audio.length;
      if (!res.write(data)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
    }
    res.end();
  }

  /**
   * The whole audio (or JSON) in one body, sent once generation (paced like a stream) is complete; a drop fault
   * sends half the body and cuts the connection `drop_after_ms` later.
   */
  async #whole(
    request: TtsRequest,
    withTimestamps: boolean,
    res: ServerResponse,
    record: TtsRecord,
    signal: AbortSignal,
    dropping: (() => Promise<void>) | null,
  ): Promise<void> {
    const utterance = prepareUtterance(request.text, {
      speed: request.voiceSettings.speed,
      normalize: request.normalize,
    });
    const pacer = new Pacer(this.#ctx.generationSpeed);
    const parts: Buffer[] = [];
    for (const chunk of speechChunks(utterance, request.format, WHOLE_BODY_CHUNK_MS)) {
      await pacer.next(chunk.durationMs, signal); // also yields, so a long text does not block the event loop
      if (signal.aborted) return;
      parts.push(chunk.audio);
    }
    const audio = Buffer.concat(parts);
    record.chunks = 1;
    record.audio_bytes = audio.length;
    const body = withTimestamps
      ? Buffer.from(
          JSON.stringify({
            audio_base64: audio.toString('base64'),
            alignment: restAlignment(utterance.alignment),
            normalized_alignment: restAlignment(utterance.normalizedAlignment),
          }),
        )
      : audio;
    res.writeHead(200, {
      ...this.#headers(request, record, withTimestamps ? 'application/json' : request.format.contentType),
      'content-length': String(body.length),
    });
    if (dropping) {
      await new Promise((resolve) => res.write(body.subarray(0, body.length >> 1), resolve));
      return dropping();
    }
    res.end(body);
  }
}

/** The refusal a fault stands for, if any (REST status, code, message). */
export function faultRefusal(faults: TtsFaults, characters: number) {
  if (faults.quota_exceeded) {
    return {
      status: 401,
      code: 'quota_exceeded',
      message: `This request exceeds your quota. You have 0 credits remaining, while ${characters} credits are required for this request.`,
    };
  }
  if (faults.too_many_concurrent_requests) {
    return {
      status: 429,
      code: 'too_many_concurrent_requests',
      message: 'Too many concurrent requests for your subscription; wait for one to finish and retry.',
    };
  }
  if (faults.system_busy) {
    return {
      status: 429,
      code: 'system_busy',
      message: 'The system is experiencing heavy traffic; retry later with exponential backoff.',
    };
  }
  return undefined;
}
