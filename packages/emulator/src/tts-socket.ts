// The text-to-speech input-streaming WebSocket, `/v1/text-to-speech/{voice_id}/stream-input` (audio.md §1.7):
// text arrives in pieces, is buffered until the chunk-length schedule, a `flush` or the end of input, and each
// generation streams back as `{audio, isFinal: false, normalizedAlignment, alignment}` messages (alignment in
// milliseconds relative to the message's audio), then `{isFinal: true}` once `{"text": ""}` ended the input.
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { DEFAULT_MODEL_ID, type Model } from './models.ts';
import type { OutputFormat } from './output-format.ts';
import { Pacer, sleep } from './pacer.ts';
import type { Logger } from './store.ts';
import type { TtsRecord } from './tts.ts';
import type { TtsFaults } from './tts-faults.ts';
import {
  checkLanguage,
  checkModel,
  checkTextLength,
  readTtsQuery,
  readVoiceSettings,
  textNormalization,
  type FieldProblem,
} from './tts-request.ts';
import { prepareUtterance, socketAlignment, speechChunks } from './utterance.ts';
import type { Voice, VoiceSettings } from './voices.ts';

export interface TtsSocketOptions {
  req: IncomingMessage;
  url: URL;
  voice: Voice | undefined;
  voiceId: string;
  record: TtsRecord;
  /** The faults for this connection (taken when it is authorised). */
  faults: () => TtsFaults;
  acceptsKey: (key: string) => boolean;
  consumeSingleUseToken: (token: string) => boolean;
  chunkMs: number;
  generationSpeed: number;
  log: Logger;
  /** Called once, when the record is final. */
  finished: () => void;
}

/** ElevenLabs' documented default (audio.md §1.7): generation starts at 120 buffered characters, then 160, … */
export const DEFAULT_CHUNK_LENGTH_SCHEDULE = [120, 160, 250, 290];
const DEFAULT_INACTIVITY_TIMEOUT_S = 20;

/** Close codes: 1008 for what the client did wrong, 1011 for the emulator's own failures (audio.md §1.7). */
const POLICY = 1008;
const INTERNAL = 1011;

export class TtsSocketSession {
  readonly #ws: WebSocket;
  readonly #o: TtsSocketOptions;
  #state: 'connecting' | 'awaiting-init' | 'open' | 'closing' | 'closed' = 'connecting';
  #authorized = false;
  #voice!: Voice;
  #model!: Model;
  #format!: OutputFormat;
  #normalize = false;
  #autoMode = false;
  #settings!: VoiceSettings;
  #schedule = DEFAULT_CHUNK_LENGTH_SCHEDULE;
  #generations = 0;
  #buffer = '';
  #queue: Promise<void> = Promise.resolve();
  #pacer!: Pacer;
  #faults: TtsFaults = {};
  #firstAudio = true;
  #inactivityMs = DEFAULT_INACTIVITY_TIMEOUT_S * 1000;
  #inactivity: ReturnType<typeof setTimeout> | undefined;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #closed = new AbortController();

  constructor(ws: WebSocket, options: TtsSocketOptions) {
    this.#ws = ws;
    this.#o = options;
    ws.on('message', (data, isBinary) => this.#receive(data as Buffer, isBinary));
    ws.on('close', (code) => this.#onClose(code));
    this.#open();
  }

  #open() {
    const { req, url } = this.#o;
    const query = url.searchParams;
    // Handshake credentials: a single-use token, the xi-api-key header, or an `authorization` bearer (query or header).
    const token = query.get('single_use_token');
    const bearer = (query.get('authorization') ?? req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const key = req.headers['xi-api-key'];
    if (token !== null) {
      if (!this.#o.consumeSingleUseToken(token)) {
        return this.#fail('invalid_api_key', 'The single-use token is invalid, expired or already used.');
      }
      this.#authorized = true;
    } else if (typeof key === 'string' && key) {
      if (!this.#o.acceptsKey(key)) return this.#fail('invalid_api_key', 'Invalid API key');
      this.#authorized = true;
    } else if (bearer) {
      if (!this.#o.acceptsKey(bearer)) return this.#fail('invalid_api_key', 'Invalid authorization bearer token');
      this.#authorized = true;
    }

    const problems: FieldProblem[] = [];
    const q = readTtsQuery(query, problems);
    const timeout = query.get('inactivity_timeout');
    if (timeout !== null) {
      const seconds = Number(timeout);
      if (!/^\d+$/.test(timeout) || seconds < 1 || seconds > 180) {
        problems.push({
          type: 'value_error',
          loc: ['query', 'inactivity_timeout'],
          msg: 'inactivity_timeout must be a whole number of seconds from 1 to 180',
          input: timeout,
        });
      } else this.#inactivityMs = seconds * 1000;
    }
    const mode = query.get('apply_text_normalization') ?? 'auto';
    if (mode !== 'auto' && mode !== 'on' && mode !== 'off') {
      problems.push({
        type: 'enum',
        loc: ['query', 'apply_text_normalization'],
        msg: "Input should be 'auto', 'on' or 'off'",
        input: mode,
      });
    }
    const flag = (name: string) => ['true', '1'].includes(query.get(name)?.toLowerCase() ?? '');
    this.#autoMode = flag('auto_mode');
    if (problems.length || !q.format) {
      return this.#fail('invalid_request', problems.map((p) => `${p.loc.join('.')}: ${p.msg}`).join('; '));
    }
    if (!this.#o.voice)
      return this.#fail('voice_not_found', `A voice with the voice_id ${this.#o.voiceId} was not found.`);
    this.#voice = this.#o.voice;
    const checked = checkModel(query.get('model_id') || DEFAULT_MODEL_ID);
    if ('refusal' in checked) return this.#fail(checked.refusal.code, checked.refusal.message);
    this.#model = checked.model;
    if (!['mp3', 'pcm', 'ulaw', 'alaw'].includes(q.format.codec)) {
      return this.#fail(
        'unsupported_output_format',
        `${q.format.name} is not available on the WebSocket; use mp3, pcm, ulaw or alaw.`,
      );
    }
    this.#format = q.format;
    const language = checkLanguage(query.get('language_code'), this.#model);
    if (language) return this.#fail(language.code, language.message);
    const normalization = textNormalization(mode as 'auto' | 'on' | 'off', this.#model, q.optimizeStreamingLatency);
    if ('refusal' in normalization) return this.#fail(normalization.refusal.code, normalization.refusal.message);
    this.#normalize = normalization.normalize;
    this.#settings = { ...this.#voice.settings };
    Object.assign(this.#o.record, { model_id: this.#model.model_id, output_format: this.#format.name });
    this.#state = 'awaiting-init';
    if (this.#authorized) this.#authorizedStart();
    if (this.#state === 'awaiting-init') this.#armInactivity();
  }

  /** Faults apply once the connection is authorised (a stranger learns nothing from them). */
  #authorizedStart() {
    const faults = this.#o.faults();
    this.#faults = faults;
    this.#o.record.faults = faults;
    this.#pacer = new Pacer(this.#o.generationSpeed, faults.jitter_ms);
    if (faults.quota_exceeded) {
      return this.#fail('quota_exceeded', 'This request exceeds your quota. You have 0 credits remaining.');
    }
    if (faults.too_many_concurrent_requests) {
      return this.#fail('too_many_concurrent_requests', 'Too many concurrent requests for your subscription.');
    }
    if (faults.system_busy) {
      return this.#fail('system_busy', 'The system is experiencing heavy traffic; retry later.', INTERNAL);
    }
    if (faults.drop_after_ms !== undefined) this.#after(faults.drop_after_ms, () => this.#drop());
    if (faults.malformed_frame_after_ms !== undefined) {
      this.#after(faults.malformed_frame_after_ms, () => this.#sendRaw('{"audio":"'));
    }
  }

  #receive(data: Buffer, isBinary: boolean) {
    if (this.#state !== 'awaiting-init' && this.#state !== 'open') return;
    this.#armInactivity();
    if (isBinary) return this.#fail('invalid_request', 'Binary frames are not accepted; send JSON text messages.');
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data.toString('utf8'));
      if (!message || typeof message !== 'object' || Array.isArray(message)) throw new Error('not an object');
    } catch {
      return this.#fail('invalid_request', 'Messages must be JSON objects such as {"text": "Hello "}.');
    }
    if (!this.#authorized) {
      const key = message.xi_api_key ?? message.authorization;
      const credential = typeof key === 'string' ? key.replace(/^Bearer\s+/i, '') : '';
      if (!credential) {
        return this.#fail(
          'needs_authorization',
          'Send the xi-api-key header, a single_use_token, or xi_api_key in the first message.',
        );
      }
      if (!this.#o.acceptsKey(credential)) return this.#fail('invalid_api_key', 'Invalid API key');
      this.#authorized = true;
      this.#authorizedStart();
      if (this.#state !== 'awaiting-init') return;
    }
    const text = message.text;
    if (typeof text !== 'string') return this.#fail('invalid_request', 'Every message needs a "text" string.');
    if (!this.#settingsFrom(message)) return;

    if (this.#state === 'awaiting-init') {
      if (text === '') return this.#end();
      if (text !== ' ') {
        return this.#fail(
          'invalid_request',
          'The first message initialises the connection and its text must be a single space (" ").',
        );
      }
      this.#state = 'open';
      return;
    }
    if (text === '') return this.#end();
    this.#buffer += text;
    this.#generateReady(message.flush === true);
  }

  /** `voice_settings` and `generation_config` from a message (init or later); false after failing the connection. */
  #settingsFrom(message: Record<string, unknown>): boolean {
    const problems: FieldProblem[] = [];
    Object.assign(this.#settings, readVoiceSettings(message.voice_settings, ['voice_settings'], problems));
    const config = message.generation_config as { chunk_length_schedule?: unknown } | undefined;
    if (config !== undefined && config !== null) {
      const schedule = config?.chunk_length_schedule;
      if (schedule !== undefined) {
        if (
          !Array.isArray(schedule) ||
          !schedule.length ||
          !schedule.every((n) => Number.isInteger(n) && n >= 50 && n <= 500)
        ) {
          problems.push({
            type: 'value_error',
            loc: ['generation_config', 'chunk_length_schedule'],
            msg: 'chunk_length_schedule must be a list of whole numbers from 50 to 500',
            input: schedule,
          });
        } else this.#schedule = schedule as number[];
      }
    }
    if (!problems.length) return true;
    this.#fail('invalid_request', problems.map((p) => `${p.loc.join('.')}: ${p.msg}`).join('; '));
    return false;
  }

  /**
   * Generates what the buffer allows: everything on `flush`; in `auto_mode`, up to the last complete word; else,
   * once the buffer reaches the schedule's next length, up to the last complete word (words are never cut).
   */
  #generateReady(flush: boolean) {
    if (flush) return this.#generate(this.#buffer.length);
    const cut =
      Math.max(this.#buffer.lastIndexOf(' '), this.#buffer.lastIndexOf('\n'), this.#buffer.lastIndexOf('\t')) + 1;
    if (this.#autoMode) return this.#generate(cut);
    const threshold = this.#schedule[Math.min(this.#generations, this.#schedule.length - 1)] ?? 0;
    if ([...this.#buffer].length >= threshold) this.#generate(cut);
  }

  /** Speaks the first `length` UTF-16 units of the buffer (whitespace alone is a keep-alive and is dropped). */
  #generate(length: number) {
    const text = this.#buffer.slice(0, length);
    if (!text) return;
    this.#buffer = this.#buffer.slice(length);
    if (!text.trim()) return;
    const tooLong = checkTextLength(text, this.#model);
    if (tooLong) return this.#fail(tooLong.code, tooLong.message);
    this.#generations++;
    const record = this.#o.record;
    record.text += text;
    record.characters += [...text].length;
    const settings = { ...this.#settings };
    this.#enqueue(() => this.#speak(text, settings));
  }

  async #speak(text: string, settings: VoiceSettings) {
    if (this.#firstAudio) {
      this.#firstAudio = false;
      if (this.#faults.latency_ms) await sleep(this.#faults.latency_ms, this.#closed.signal);
    }
    const utterance = prepareUtterance(text, { speed: settings.speed, normalize: this.#normalize });
    for (const chunk of speechChunks(utterance, this.#format, this.#o.chunkMs)) {
      await this.#pacer.next(chunk.durationMs, this.#closed.signal);
      if (this.#state === 'closed') return;
      this.#o.record.chunks++;
      this.#o.record.audio_bytes += chunk.audio.length;
      this.#send({
        audio: chunk.audio.toString('base64'),
        isFinal: false,
        normalizedAlignment: socketAlignment(chunk.normalizedAlignment, chunk.startMs),
        alignment: socketAlignment(chunk.alignment, chunk.startMs),
      });
    }
  }

  #enqueue(task: () => Promise<void>) {
    this.#queue = this.#queue.then(task).catch((error: Error) => {
      this.#o.log('error', `stream-input generation failed: ${error.stack ?? error.message}`);
      this.#fail('internal_error', 'The emulator failed to synthesise this text.', INTERNAL);
    });
  }

  /** `{"text": ""}`: the rest of the buffer is spoken, then `isFinal`, then close 1000. */
  #end() {
    if (this.#state === 'awaiting-init' || this.#state === 'open') {
      this.#generate(this.#buffer.length);
    }
    if (this.#state === 'closed') return;
    this.#state = 'closing';
    clearTimeout(this.#inactivity);
    this.#enqueue(async () => {
      if (this.#state !== 'closing') return;
      this.#send({ isFinal: true });
      this.#finish('done');
      this.#ws.close(1000);
    });
  }

  #armInactivity() {
    clearTimeout(this.#inactivity);
    this.#inactivity = setTimeout(() => {
      const seconds = Math.round(this.#inactivityMs / 1000);
      this.#fail(
        'input_timeout_exceeded',
        `Have not received new text for ${seconds} seconds. Closing the connection.`,
      );
    }, this.#inactivityMs);
  }

  /** Sends an error message (`{message, error, code}`) and closes with `code` (the reason is the message, cut to fit). */
  #fail(error: string, message: string, code = POLICY) {
    if (this.#state === 'closed') return;
    this.#o.log('warn', `stream-input ${this.#o.voiceId}: ${error}: ${message}`);
    this.#send({ message, error, code });
    this.#finish(this.#o.record.chunks ? 'aborted' : 'refused', error);
    this.#state = 'closed';
    this.#ws.close(code, truncate(message, 123));
    this.#cleanup();
  }

  #drop() {
    if (this.#state === 'closed') return;
    this.#finish('dropped');
    this.#state = 'closed';
    this.#ws.terminate();
    this.#cleanup();
  }

  #onClose(code: number) {
    if (this.#state !== 'closed') {
      this.#o.log('info', `stream-input ${this.#o.voiceId}: the client closed (${code})`);
      this.#finish(this.#o.record.status === 'in-progress' ? 'aborted' : this.#o.record.status);
    }
    this.#state = 'closed';
    this.#cleanup();
  }

  #finish(status: TtsRecord['status'], error: string | null = null) {
    const record = this.#o.record;
    if (record.end_time_unix_ms !== null) return;
    record.status = status;
    record.error = error;
    record.end_time_unix_ms = Date.now();
    this.#o.finished();
  }

  #cleanup() {
    clearTimeout(this.#inactivity);
    this.#timers.forEach(clearTimeout);
    this.#timers.clear();
    this.#closed.abort();
  }

  #after(ms: number, fn: () => void) {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  #send(message: unknown) {
    this.#sendRaw(JSON.stringify(message));
  }

  #sendRaw(data: string) {
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(data);
  }
}

function truncate(text: string, bytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > bytes) out = out.slice(0, -2) + '…';
  return out;
}
