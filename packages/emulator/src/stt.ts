// Speech to text (audio.md §2): `POST /v1/speech-to-text` (multipart upload of any common audio container, decoded
// with audio-decode) and the realtime WebSocket `/v1/speech-to-text/realtime` (handed to stt-socket.ts). Also
// what tests inspect: every request's record, and faults for the next requests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import decodeAudio from 'audio-decode';
import { WebSocketServer, type WebSocket } from 'ws';
import { sleep } from './pacer.ts';
import { pcm16ToFloat } from './pcm.ts';
import { newId } from './signing.ts';
import type { Logger } from './store.ts';
import type { SttFaults } from './stt-faults.ts';
import { SttSocketSession } from './stt-socket.ts';
import type { Route } from './tts.ts';
import type { FieldProblem } from './tts-request.ts';
import { toWords, transcribeSegments } from './transcript.ts';

/** Batch models (audio.md §1.9, §2.5); `scribe_v2_realtime` is the WebSocket's. */
export const STT_MODELS = ['scribe_v1', 'scribe_v1_experimental', 'scribe_v2'];
export const REALTIME_STT_MODELS = ['scribe_v2_realtime'];

/** What the emulator remembers about one transcription request or realtime session. */
export interface SttRecord {
  request_id: string;
  endpoint: 'convert' | 'realtime';
  model_id: string | null;
  /** REST: the file's MIME type (or `pcm_s16le_16`); realtime: `audio_format`. */
  audio_format: string | null;
  /** REST: bytes uploaded (or fetched from `cloud_storage_url`). */
  file_bytes: number;
  /** Audio received, in ms. */
  audio_ms: number;
  /** The transcript (realtime: the committed texts, joined by a space). */
  text: string;
  /** Realtime: commits answered. */
  commits: number;
  status: 'in-progress' | 'done' | 'refused' | 'dropped' | 'aborted';
  /** `detail.status` (REST, `validation_error` for a 422) or the error `message_type` (realtime). */
  error: string | null;
  faults: SttFaults;
  start_time_unix_ms: number;
  end_time_unix_ms: number | null;
}

export const MAX_STT_RECORDS = 500;

/** What stt.ts needs from the emulator around it. */
export interface SttContext {
  log: Logger;
  json(res: ServerResponse, status: number, body: unknown): void;
  fail(res: ServerResponse, status: number, code: string, message: string): void;
  authorized(req: IncomingMessage, res: ServerResponse): boolean;
  acceptsKey(key: string): boolean;
  consumeSingleUseToken(token: string, type: 'realtime_scribe'): boolean;
  finished(record: SttRecord): void;
  /** Largest upload accepted (bytes). */
  maxFileBytes: number;
  /** Longest audio accepted (seconds). */
  maxDurationSeconds: number;
  maxFrameBytes: number;
}

const BOOLEAN_TRUE = ['true', '1', 'yes', 'on'];
const BOOLEAN_FALSE = ['false', '0', 'no', 'off'];
/** Form fields besides the file: a small allowance on top of the file limit. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export class SpeechToText {
  readonly records: SttRecord[] = [];
  readonly #pending: { faults: SttFaults }[] = [];
  readonly #ctx: SttContext;
  readonly #sockets = new Set<WebSocket>();
  readonly #wss: WebSocketServer;

  constructor(ctx: SttContext) {
    this.#ctx = ctx;
    // The official Scribe client offers no subprotocol.
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: ctx.maxFrameBytes });
  }

  /** Faults for the next request or session. */
  injectFaults(faults: SttFaults): void {
    this.#pending.push({ faults });
  }

  #takeFaults(): SttFaults {
    return this.#pending.shift()?.faults ?? {};
  }

  readonly routes: Route[] = [
    ['POST', /^\/v1\/speech-to-text$/, (req, res, _m, url) => void this.#convert(req, res, url)],
  ];

  /** Takes the upgrade of `/v1/speech-to-text/realtime`; false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname !== '/v1/speech-to-text/realtime') return false;
    socket.on('error', (error) => this.#ctx.log('warn', `socket error: ${error.message}`));
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#sockets.add(ws);
      ws.on('close', () => this.#sockets.delete(ws));
      ws.on('error', (error) => this.#ctx.log('warn', `websocket error: ${error.message}`));
      const record = this.#record('realtime');
      new SttSocketSession(ws, {
        req,
        url,
        record,
        faults: () => this.#takeFaults(),
        acceptsKey: this.#ctx.acceptsKey,
        consumeSingleUseToken: (token) => this.#ctx.consumeSingleUseToken(token, 'realtime_scribe'),
        log: this.#ctx.log,
        finished: () => this.#ctx.finished(record),
      });
    });
    return true;
  }

  closeSockets(): void {
    this.#sockets.forEach((ws) => ws.close(1001, 'Emulator shutting down'));
  }

  #record(endpoint: SttRecord['endpoint']): SttRecord {
    const record: SttRecord = {
      request_id: newId('req'),
      endpoint,
      model_id: null,
      audio_format: null,
      file_bytes: 0,
      audio_ms: 0,
      text: '',
      commits: 0,
      status: 'in-progress',
      error: null,
      faults: {},
      start_time_unix_ms: Date.now(),
      end_time_unix_ms: null,
    };
    this.records.push(record);
    if (this.records.length > MAX_STT_RECORDS) this.records.shift();
    return record;
  }

  #finish(record: SttRecord, status: SttRecord['status'], error: string | null = null) {
    record.status = status;
    record.error = error;
    record.end_time_unix_ms = Date.now();
    this.#ctx.finished(record);
  }

  async #convert(req: IncomingMessage, res: ServerResponse, url: URL) {
    const ctx = this.#ctx;
    if (!ctx.authorized(req, res)) return;
    const record = this.#record('convert');
    const refuse = (status: number, code: string, message: string) => {
      ctx.fail(res, status, code, message);
      this.#finish(record, 'refused', code);
    };
    const limit = ctx.maxFileBytes;
    const tooLarge = () => refuse(413, 'payload_too_large', `The file size must be less than ${limit} bytes.`);
    if (Number(req.headers['content-length']) > limit + FORM_OVERHEAD_BYTES) {
      req.resume();
      return tooLarge();
    }
    let form: FormData;
    try {
      form = await readForm(req, limit + FORM_OVERHEAD_BYTES);
    } catch (error) {
      if ((error as Error).message === 'too large') return tooLarge();
      const problems: FieldProblem[] = [
        {
          type: 'value_error',
          loc: ['body'],
          msg: 'The body must be multipart/form-data (fields model_id, file or cloud_storage_url, …).',
        },
      ];
      ctx.json(res, 422, { detail: problems });
      return this.#finish(record, 'refused', 'validation_error');
    }
    const parsed = readSttForm(form, url.searchParams);
    if ('problems' in parsed) {
      ctx.json(res, 422, { detail: parsed.problems });
      return this.#finish(record, 'refused', 'validation_error');
    }
    const request = parsed.value;
    record.model_id = request.modelId;
    if (!STT_MODELS.includes(request.modelId)) {
      const realtime = REALTIME_STT_MODELS.includes(request.modelId);
      return refuse(
        400,
        'invalid_model_id',
        realtime
          ? `Model ${request.modelId} is for the realtime WebSocket; use one of ${STT_MODELS.join(', ')}.`
          : `Model ${request.modelId} cannot do speech to text; use one of ${STT_MODELS.join(', ')}.`,
      );
    }
    if (request.webhook)
      return refuse(400, 'not_emulated', 'The emulator does not send webhooks; leave webhook false.');
    if (request.additionalFormats) {
      return refuse(400, 'not_emulated', 'The emulator does not produce additional_formats.');
    }
    if (request.useMultiChannel) {
      return refuse(400, 'not_emulated', 'The emulator does not transcribe channels separately (use_multi_channel).');
    }
    const faults = this.#takeFaults();
    record.faults = faults;
    if (faults.quota_exceeded) {
      return refuse(401, 'quota_exceeded', 'This request exceeds your quota of speech-to-text hours.');
    }
    if (faults.latency_ms) await sleep(faults.latency_ms);

    let bytes: Uint8Array;
    if (request.file) {
      bytes = new Uint8Array(await request.file.arrayBuffer());
      record.audio_format = request.filePcm ? 'pcm_s16le_16' : request.file.type || null;
    } else {
      try {
        const fetched = await fetch(request.cloudStorageUrl!);
        if (!fetched.ok) throw new Error(`HTTP ${fetched.status}`);
        bytes = new Uint8Array(await fetched.arrayBuffer());
        record.audio_format = fetched.headers.get('content-type');
      } catch (error) {
        return refuse(
          400,
          'invalid_cloud_storage_url',
          `The file at cloud_storage_url could not be fetched: ${(error as Error).message}.`,
        );
      }
    }
    record.file_bytes = bytes.length;
    if (bytes.length > limit) return tooLarge();

    let audio: { samples: Float32Array; sampleRate: number };
    try {
      audio = request.filePcm ? { samples: pcm16ToFloat(bytes), sampleRate: 16_000 } : await decodeToMono(bytes);
    } catch (error) {
      return refuse(400, 'invalid_audio', `The file could not be decoded as audio: ${(error as Error).message}.`);
    }
    const seconds = audio.samples.length / audio.sampleRate;
    record.audio_ms = Math.round(seconds * 1000);
    if (seconds > ctx.maxDurationSeconds) {
      return refuse(
        400,
        'audio_too_long',
        `The audio is ${seconds.toFixed(1)} s long; at most ${ctx.maxDurationSeconds} s are supported.`,
      );
    }

    const segments = transcribeSegments(audio.samples, audio.sampleRate);
    const { text, words } = toWords(segments, {
      granularity: request.granularity,
      diarize: request.diarize,
      numSpeakers: request.numSpeakers ?? undefined,
      tagAudioEvents: request.tagAudioEvents,
    });
    const recognized = segments.some((s) => s.recognized);
    record.text = text;
    ctx.json(res, 200, {
      language_code: request.languageCode ?? 'eng',
      language_probability: request.languageCode ? 1 : recognized ? 0.99 : 0,
      text,
      words,
      transcription_id: record.request_id,
    });
    this.#finish(record, 'done');
  }
}

/** The body as FormData, parsed by the platform; rejects with "too large" past `limit` bytes. */
async function readForm(req: IncomingMessage, limit: number): Promise<FormData> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data|^application\/x-www-form-urlencoded/i.test(contentType)) {
    req.resume();
    throw new Error('not a form');
  }
  let size = 0;
  let failed = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (failed) return; // the rest is drained unread
        size += chunk.length;
        if (size > limit) {
          failed = true;
          controller.error(new Error('too large'));
        } else controller.enqueue(new Uint8Array(chunk));
      });
      req.on('end', () => failed || controller.close());
      req.on('error', (error) => failed || controller.error(error));
    },
  });
  const request = new Request('http://emulator/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
    duplex: 'half',
  } as RequestInit);
  try {
    return await request.formData();
  } catch (error) {
    if (size > limit) throw new Error('too large', { cause: error });
    throw error;
  }
}

/** Any container audio-decode knows, channels averaged to mono. */
export async function decodeToMono(bytes: Uint8Array): Promise<{ samples: Float32Array; sampleRate: number }> {
  const { channelData, sampleRate } = await decodeAudio(bytes);
  const channels = channelData.length;
  if (!channels || !sampleRate) throw new Error('no audio in the file');
  const samples = new Float32Array(channelData[0]!.length);
  for (const channel of channelData)
    for (let i = 0; i < samples.length; i++) samples[i]! += (channel[i] ?? 0) / channels;
  return { samples, sampleRate };
}

interface SttRequest {
  modelId: string;
  file: File | null;
  cloudStorageUrl: string | null;
  filePcm: boolean;
  languageCode: string | null;
  tagAudioEvents: boolean;
  numSpeakers: number | null;
  granularity: 'none' | 'word' | 'character';
  diarize: boolean;
  webhook: boolean;
  useMultiChannel: boolean;
  additionalFormats: boolean;
}

/** The multipart fields of audio.md §2.1, checked as FastAPI would (all problems at once). */
function readSttForm(form: FormData, query: URLSearchParams): { value: SttRequest } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const text = (name: string): string | null => {
    const v = form.get(name);
    if (v === null) return null;
    if (typeof v !== 'string') {
      problems.push({ type: 'string_type', loc: ['body', name], msg: 'Input should be a valid string' });
      return null;
    }
    return v;
  };
  const bool = (name: string, fallback: boolean, loc: 'body' | 'query' = 'body') => {
    const v = loc === 'body' ? text(name) : query.get(name);
    if (v === null || v === '') return fallback;
    if (BOOLEAN_TRUE.includes(v.toLowerCase())) return true;
    if (BOOLEAN_FALSE.includes(v.toLowerCase())) return false;
    problems.push({
      type: 'bool_parsing',
      loc: [loc, name],
      msg: 'Input should be a valid boolean, unable to interpret input',
      input: v,
    });
    return fallback;
  };
  const number = (name: string, min: number, max: number, integer: boolean) => {
    const v = text(name);
    if (v === null || v === '') return null;
    const n = Number(v);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      problems.push({
        type: integer ? 'int_parsing' : 'float_parsing',
        loc: ['body', name],
        msg: `Input should be a valid ${integer ? 'integer' : 'number'}, unable to parse string as ${integer ? 'an integer' : 'a number'}`,
        input: v,
      });
      return null;
    }
    if (n < min || n > max) {
      problems.push({
        type: n < min ? 'greater_than_equal' : 'less_than_equal',
        loc: ['body', name],
        msg: `Input should be ${n < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
        input: v,
      });
      return null;
    }
    return n;
  };

  const modelId = text('model_id');
  if (modelId === null && !problems.length) {
    problems.push({ type: 'missing', loc: ['body', 'model_id'], msg: 'Field required', input: null });
  }
  const fileValue = form.get('file');
  const file = fileValue === null || typeof fileValue === 'string' ? null : fileValue;
  if (typeof fileValue === 'string') {
    problems.push({ type: 'value_error', loc: ['body', 'file'], msg: "Expected UploadFile, received: <class 'str'>" });
  }
  const cloudStorageUrl = text('cloud_storage_url') || null;
  if (!problems.some((p) => p.loc[1] === 'file') && !file === !cloudStorageUrl) {
    problems.push({
      type: 'value_error',
      loc: ['body'],
      msg: 'Value error, Exactly one of the file or cloud_storage_url parameters must be provided.',
    });
  }
  if (cloudStorageUrl && !/^https?:\/\//i.test(cloudStorageUrl)) {
    problems.push({
      type: 'url_parsing',
      loc: ['body', 'cloud_storage_url'],
      msg: 'Input should be a valid URL',
      input: cloudStorageUrl,
    });
  }
  const enumOf = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const v = text(name);
    if (v === null || v === '') return fallback;
    if ((values as readonly string[]).includes(v)) return v as T;
    problems.push({
      type: 'enum',
      loc: ['body', name],
      msg: `Input should be ${values
        .map((x) => `'${x}'`)
        .join(', ')
        .replace(/, ([^,]*)$/, ' or $1')}`,
      input: v,
    });
    return fallback;
  };
  const granularity = enumOf('timestamps_granularity', ['none', 'word', 'character'] as const, 'word');
  const fileFormat = enumOf('file_format', ['pcm_s16le_16', 'other'] as const, 'other');
  const value: SttRequest = {
    modelId: modelId ?? '',
    file,
    cloudStorageUrl,
    filePcm: fileFormat === 'pcm_s16le_16',
    languageCode: text('language_code') || null,
    tagAudioEvents: bool('tag_audio_events', true),
    numSpeakers: number('num_speakers', 1, 32, true),
    granularity,
    diarize: bool('diarize', false),
    webhook: bool('webhook', false),
    useMultiChannel: bool('use_multi_channel', false),
    additionalFormats: !['', '[]'].includes((text('additional_formats') ?? '').trim()),
  };
  number('diarization_threshold', -Infinity, Infinity, false); // no range documented; no effect here
  number('temperature', 0, 2, false);
  number('seed', 0, 4294967295, true);
  bool('enable_logging', true, 'query');
  return problems.length ? { problems } : { value };
}
