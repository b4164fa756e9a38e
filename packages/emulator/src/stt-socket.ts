// The realtime speech-to-text WebSocket, `/v1/speech-to-text/realtime` (scribe.asyncapi.yaml, audio.md §2.5): PCM
// or μ-law arrives in `input_audio_chunk` messages; every 250 ms of audio (or more, see PARTIAL_COST_FACTOR) the
// uncommitted buffer is decoded again and a changed text goes out as `partial_transcript`; a commit (the chunk's
// `commit: true`, or with `commit_strategy=vad` enough silence after speech) sends `committed_transcript` (and, with
// `include_timestamps`, `committed_transcript_with_timestamps`, times from the start of the session's audio) and
// empties the buffer.
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { decodeMulaw, pcm16ToFloat } from './pcm.ts';
import { newId } from './signing.ts';
import type { Logger } from './store.ts';
import type { SttRecord } from './stt.ts';
import type { ScribeError, SttFaults } from './stt-faults.ts';
import { frameLevels, toWords, transcribeSegments, UNRECOGNIZED } from './transcript.ts';

export interface SttSocketOptions {
  req: IncomingMessage;
  url: URL;
  record: SttRecord;
  /** The faults for this session (taken once it is authorised). */
  faults: () => SttFaults;
  acceptsKey: (key: string) => boolean;
  consumeSingleUseToken: (token: string) => boolean;
  log: Logger;
  finished: () => void;
}

const AUDIO_FORMATS: Record<string, number> = {
  pcm_8000: 8000,
  pcm_16000: 16000,
  pcm_22050: 22050,
  pcm_24000: 24000,
  pcm_44100: 44100,
  pcm_48000: 48000,
  ulaw_8000: 8000,
};
const MODELS = ['scribe_v2_realtime'];
/** Audio between two partial transcripts, at least. */
const PARTIAL_EVERY_MS = 250;
/**
 * Decoding is synchronous and each partial decodes the whole uncommitted buffer again: a partial waits for at least
 * this many times as much audio as the last one took to decode, so a long buffer costs at most a quarter of real time.
 */
const PARTIAL_COST_FACTOR = 4;
/** Largest chunk accepted: more audio than this in one message is `chunk_size_exceeded`. */
const MAX_CHUNK_MS = 5000;
const FRAME_MS = 10;
const POLICY = 1008;

interface Config {
  model_id: string;
  audio_format: string;
  sample_rate: number;
  language_code: string | null;
  commit_strategy: 'manual' | 'vad';
  vad_silence_threshold_secs: number;
  vad_threshold: number;
  min_speech_duration_ms: number;
  min_silence_duration_ms: number;
  include_timestamps: boolean;
  include_language_detection: boolean;
  enable_logging: boolean;
  keyterms: string[];
  no_verbatim: boolean;
}

export class SttSocketSession {
  readonly #ws: WebSocket;
  readonly #o: SttSocketOptions;
  #config!: Config;
  #open = false;
  #chunks = 0;
  /** Uncommitted audio. */
  #buffer: Float32Array[] = [];
  #bufferSamples = 0;
  /** Samples committed before the buffer: where its times start. */
  #committedSamples = 0;
  #sincePartial = 0;
  #partialEveryMs = PARTIAL_EVERY_MS;
  #partial = '';
  #oddByte: number | null = null;
  // VAD: speech run (ms) and silence since the last speech (ms); whether the buffer has had enough speech.
  #speechRunMs = 0;
  #silenceMs = 0;
  #heardSpeech = false;
  #levelRest = new Float32Array(0);
  readonly #timers: ReturnType<typeof setTimeout>[] = [];
  readonly #texts: string[] = [];

  constructor(ws: WebSocket, options: SttSocketOptions) {
    this.#ws = ws;
    this.#o = options;
    ws.on('message', (data, isBinary) => this.#receive(data as Buffer, isBinary));
    ws.on('close', () => this.#closed());
    this.#start();
  }

  #send(message: Record<string, unknown>) {
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(JSON.stringify(message));
  }

  /** Sends an error message; `fatal` ones then close the socket with 1008. */
  #error(type: ScribeError, error: string, fatal: boolean) {
    this.#o.log(fatal ? 'warn' : 'info', `realtime speech to text: ${type}: ${error}`);
    this.#send({ message_type: type, error });
    if (!fatal) return;
    this.#end('refused', type);
    this.#ws.close(POLICY, error.slice(0, 120));
  }

  #end(status: SttRecord['status'], error: string | null = null) {
    const record = this.#o.record;
    if (record.status !== 'in-progress') return;
    record.status = status;
    record.error = error;
    record.end_time_unix_ms = Date.now();
    this.#open = false;
    this.#timers.forEach(clearTimeout);
    this.#o.finished();
  }

  #closed() {
    this.#timers.forEach(clearTimeout);
    this.#end(this.#o.record.status === 'in-progress' && this.#open ? 'done' : 'aborted');
  }

  #start() {
    const { url, req } = this.#o;
    const q = url.searchParams;
    // Auth: a single-use `token` (browsers), else the `xi-api-key` header (servers).
    const token = q.get('token');
    const key = req.headers['xi-api-key'];
    if (token !== null) {
      if (!this.#o.consumeSingleUseToken(token)) {
        return this.#error('auth_error', 'The token is invalid, expired or already used.', true);
      }
    } else if (typeof key === 'string' && key) {
      if (!this.#o.acceptsKey(key)) return this.#error('auth_error', 'Invalid API key.', true);
    } else {
      return this.#error('auth_error', 'Provide a single-use token (token=…) or the xi-api-key header.', true);
    }
    const config = readConfig(q);
    if (typeof config === 'string') return this.#error('invalid_request', config, true);
    this.#config = config;
    Object.assign(this.#o.record, { model_id: config.model_id, audio_format: config.audio_format });
    const faults = this.#o.faults();
    this.#o.record.faults = faults;
    if (faults.quota_exceeded) {
      return this.#error('quota_exceeded', 'You have used up your quota of speech-to-text hours.', true);
    }
    this.#open = true;
    this.#send({
      message_type: 'session_started',
      session_id: newId('sess'),
      config: {
        sample_rate: config.sample_rate,
        audio_format: config.audio_format,
        language_code: config.language_code ?? undefined,
        timestamps_granularity: config.include_timestamps ? 'word' : 'none',
        vad_commit_strategy: config.commit_strategy,
        vad_silence_threshold_secs: config.vad_silence_threshold_secs,
        vad_threshold: config.vad_threshold,
        min_speech_duration_ms: config.min_speech_duration_ms,
        min_silence_duration_ms: config.min_silence_duration_ms,
        model_id: config.model_id,
        enable_logging: config.enable_logging,
        include_language_detection: config.include_language_detection,
        keyterms: config.keyterms,
        no_verbatim: config.no_verbatim,
      },
    });
    if (faults.drop_after_ms !== undefined) {
      this.#timers.push(
        setTimeout(() => {
          this.#end('dropped');
          this.#ws.terminate(); // no close frame: the client sees 1006
        }, faults.drop_after_ms),
      );
    }
    if (faults.error_after_ms !== undefined) {
      const type = faults.error_type ?? 'session_time_limit_exceeded';
      this.#timers.push(
        setTimeout(
          () => this.#error(type, `Injected fault: ${type.replaceAll('_', ' ')}.`, true),
          faults.error_after_ms,
        ),
      );
    }
  }

  #receive(data: Buffer, isBinary: boolean) {
    if (!this.#open) return;
    if (isBinary) return this.#error('input_error', 'Messages must be JSON text, not binary frames.', false);
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data.toString('utf8'));
      if (!message || typeof message !== 'object' || Array.isArray(message)) throw new Error('not an object');
    } catch {
      return this.#error('input_error', 'Messages must be JSON objects.', false);
    }
    if (message.message_type !== 'input_audio_chunk') {
      return this.#error(
        'input_error',
        `Unknown message_type ${JSON.stringify(message.message_type)}; send input_audio_chunk.`,
        false,
      );
    }
    const { audio_base_64: audio, commit, sample_rate: rate, previous_text: previous } = message;
    if (typeof audio !== 'string') return this.#error('input_error', 'audio_base_64 must be a base64 string.', false);
    if (commit !== undefined && typeof commit !== 'boolean') {
      return this.#error('input_error', 'commit must be true or false.', false);
    }
    if (rate !== undefined && rate !== this.#config.sample_rate) {
      return this.#error(
        'input_error',
        `sample_rate ${JSON.stringify(rate)} does not match audio_format ${this.#config.audio_format} (${this.#config.sample_rate} Hz).`,
        false,
      );
    }
    if (previous !== undefined && previous !== null) {
      if (typeof previous !== 'string') return this.#error('input_error', 'previous_text must be a string.', false);
      if (this.#chunks > 0) {
        return this.#error('input_error', 'previous_text can only be sent with the first audio chunk.', false);
      }
    }
    this.#chunks++;
    const samples = this.#decode(Buffer.from(audio, 'base64'));
    if ((samples.length * 1000) / this.#config.sample_rate > MAX_CHUNK_MS) {
      return this.#error('chunk_size_exceeded', `A chunk may hold at most ${MAX_CHUNK_MS / 1000} s of audio.`, false);
    }
    if (samples.length) this.#append(samples);
    if (commit === true) this.#commit();
  }

  #decode(bytes: Buffer): Float32Array {
    if (this.#config.audio_format === 'ulaw_8000') return decodeMulaw(bytes);
    // PCM16 may be split between chunks at an odd byte.
    let all: Uint8Array = bytes;
    if (this.#oddByte !== null) {
      all = new Uint8Array(bytes.length + 1);
      all[0] = this.#oddByte;
      all.set(bytes, 1);
      this.#oddByte = null;
    }
    if (all.length % 2) {
      this.#oddByte = all[all.length - 1]!;
      all = all.subarray(0, all.length - 1);
    }
    return pcm16ToFloat(all);
  }

  #append(samples: Float32Array) {
    const rate = this.#config.sample_rate;
    this.#buffer.push(samples);
    this.#bufferSamples += samples.length;
    this.#o.record.audio_ms = Math.round(((this.#committedSamples + this.#bufferSamples) * 1000) / rate);
    // VAD over whole 10 ms frames.
    const joined = new Float32Array(this.#levelRest.length + samples.length);
    joined.set(this.#levelRest);
    joined.set(samples, this.#levelRest.length);
    const levels = frameLevels(joined, rate);
    this.#levelRest = joined.slice(levels.length * Math.round((rate * FRAME_MS) / 1000));
    // vad_threshold 0.1…0.9 ↦ -55…-15 dBFS (0.4, the default: -40 dBFS, above a quiet room, far below speech).
    const threshold = 10 ** ((-60 + 50 * this.#config.vad_threshold) / 20);
    let vadCommit = false;
    for (const level of levels) {
      if (level >= threshold) {
        this.#speechRunMs += FRAME_MS;
        if (this.#speechRunMs >= this.#config.min_speech_duration_ms) this.#heardSpeech = true;
        this.#silenceMs = 0;
      } else {
        this.#speechRunMs = 0;
        this.#silenceMs += FRAME_MS;
        const needed = Math.max(this.#config.vad_silence_threshold_secs * 1000, this.#config.min_silence_duration_ms);
        if (this.#config.commit_strategy === 'vad' && this.#heardSpeech && this.#silenceMs >= needed) vadCommit = true;
      }
    }
    if (vadCommit) return this.#commit();
    this.#sincePartial += (samples.length * 1000) / rate;
    if (this.#sincePartial >= this.#partialEveryMs) {
      this.#sincePartial = 0;
      this.#sendPartial();
    }
  }

  #bufferAudio(): Float32Array {
    const all = new Float32Array(this.#bufferSamples);
    let offset = 0;
    for (const piece of this.#buffer) {
      all.set(piece, offset);
      offset += piece.length;
    }
    this.#buffer = [all];
    return all;
  }

  /** What has been heard so far; a sound still going on that is not (yet) recognised is left out. */
  #sendPartial() {
    const rate = this.#config.sample_rate;
    const audio = this.#bufferAudio();
    const began = performance.now();
    const segments = transcribeSegments(audio, rate).filter((s) => s.recognized || s.end < audio.length / rate - 0.2);
    const text = toWords(segments).text;
    this.#partialEveryMs = Math.max(PARTIAL_EVERY_MS, PARTIAL_COST_FACTOR * (performance.now() - began));
    if (!text || text === this.#partial) return;
    this.#partial = text;
    this.#send({ message_type: 'partial_transcript', text });
  }

  #commit() {
    const rate = this.#config.sample_rate;
    const audio = this.#bufferAudio();
    const segments = transcribeSegments(audio, rate);
    const { text, words } = toWords(segments, { offset: this.#committedSamples / rate });
    // Only the emulator's own synthetic voice is understood: say which stretch was not, to tell a voice from a glitch.
    for (const s of segments.filter((segment) => !segment.recognized)) {
      this.#o.log(
        'info',
        `realtime speech to text: sound not recognised at ${s.start.toFixed(2)}–${s.end.toFixed(2)} s of ${(audio.length / rate).toFixed(2)} s committed`,
      );
    }
    this.#send({ message_type: 'committed_transcript', text });
    if (this.#config.include_timestamps || this.#config.include_language_detection) {
      this.#send({
        message_type: 'committed_transcript_with_timestamps',
        text,
        language_code: this.#config.language_code ?? (text && text !== UNRECOGNIZED ? 'eng' : null),
        words: this.#config.include_timestamps
          ? words.map(({ text, start, end, type, logprob }) => ({ text, start, end, type, logprob }))
          : null,
      });
    }
    const record = this.#o.record;
    record.commits++;
    if (text) this.#texts.push(text);
    record.text = this.#texts.join(' ');
    this.#committedSamples += audio.length;
    this.#buffer = [];
    this.#bufferSamples = 0;
    this.#sincePartial = 0;
    this.#partialEveryMs = PARTIAL_EVERY_MS;
    this.#partial = '';
    this.#heardSpeech = false;
    this.#silenceMs = 0;
  }
}

/** The session's query parameters, or a sentence saying what is wrong with them. */
function readConfig(q: URLSearchParams): Config | string {
  const model = q.get('model_id');
  if (!model) return 'model_id is required (scribe_v2_realtime).';
  if (!MODELS.includes(model)) return `Unknown model_id ${model}; the realtime model is ${MODELS.join(', ')}.`;
  const format = q.get('audio_format') ?? 'pcm_16000';
  if (!(format in AUDIO_FORMATS)) {
    return `audio_format must be one of ${Object.keys(AUDIO_FORMATS).join(', ')}; got ${format}.`;
  }
  const strategy = q.get('commit_strategy') ?? 'manual';
  if (strategy !== 'manual' && strategy !== 'vad') return `commit_strategy must be manual or vad; got ${strategy}.`;
  const problems: string[] = [];
  const number = (name: string, fallback: number, min: number, max: number) => {
    const v = q.get(name);
    if (v === null) return fallback;
    const n = Number(v);
    if (v === '' || !Number.isFinite(n) || n < min || n > max)
      problems.push(`${name} must be between ${min} and ${max}`);
    return n;
  };
  const bool = (name: string, fallback: boolean) => {
    const v = q.get(name);
    if (v === null) return fallback;
    if (v !== 'true' && v !== 'false') problems.push(`${name} must be true or false`);
    return v === 'true';
  };
  // The ranges the official client checks before connecting.
  const config: Config = {
    model_id: model,
    audio_format: format,
    sample_rate: AUDIO_FORMATS[format]!,
    language_code: q.get('language_code') || null,
    commit_strategy: strategy,
    vad_silence_threshold_secs: number('vad_silence_threshold_secs', 1.5, 0.3, 3),
    vad_threshold: number('vad_threshold', 0.4, 0.1, 0.9),
    min_speech_duration_ms: number('min_speech_duration_ms', 100, 50, 2000),
    min_silence_duration_ms: number('min_silence_duration_ms', 100, 50, 2000),
    include_timestamps: bool('include_timestamps', false),
    include_language_detection: bool('include_language_detection', false),
    enable_logging: bool('enable_logging', true),
    keyterms: q.getAll('keyterms'),
    no_verbatim: bool('no_verbatim', false),
  };
  return problems.length ? `${problems.join('; ')}.` : config;
}
