// POST {base}/speech-to-text: the browser uploads a recording as multipart/form-data, the server adds the key and
// passes it on to ElevenLabs' `/v1/speech-to-text` as it arrives — never collected first. While it passes, the file's
// declared type, its size, and (for WAV) its length are checked, and the upload is cut off with an error as soon as one
// is over its limit. The transcript comes back as ElevenLabs sends it.
import { ApiError, type Answer } from './errors.ts';
import { type Incoming, webRequest } from './incoming.ts';
import { boundaryOf, MultipartReader, type PartEvent, type PartHeaders } from './multipart.ts';
import type { UsageLimit } from './rate-limit.ts';
import { type Allowlist, allowed, postUpstream, type SpeechContext } from './speech-upstream.ts';

export interface SpeechToTextOptions {
  /** The largest file, in bytes. Default 25 MB; over it: 413, and the upload to ElevenLabs is cut off. */
  maxBytes?: number;
  /** The file types accepted (the part's declared Content-Type, without parameters); others: 415. */
  mimeTypes?: readonly string[];
  /**
   * The longest recording, in seconds. Default 600. Enforced where it can be known while the upload passes: from a
   * WAV file's header and size, and from a `duration` field sent before the file (a browser's own measure, used only
   * to refuse early). For compressed formats (WebM, Ogg, MP4, MP3, FLAC) only `maxBytes` bounds the length.
   */
  maxDurationSeconds?: number;
  /** Models the upload may name in `model_id` (ElevenLabs requires one). Default: any. */
  models?: Allowlist;
  /**
   * Seconds of audio per user (or client IP) per window, e.g. `{ limit: 600, windowMs: 3_600_000 }`. Counted after
   * the answer: a WAV file's length, else the end of the last word ElevenLabs heard. A caller already over it is
   * refused (429) before uploading. Default: none.
   */
  secondsLimit?: UsageLimit;
  /** How long to wait for ElevenLabs' answer (the upload and the transcription). Default 120 000 ms. */
  timeoutMs?: number;
}

export const DEFAULT_STT_MIME_TYPES = [
  'audio/webm',
  'audio/ogg',
  'audio/mp4',
  'audio/mpeg',
  'audio/wav',
  'audio/x-wav',
  'audio/flac',
];
/** Fields passed on to ElevenLabs; any other field (webhook, cloud_storage_url, …) is dropped. */
const PASSED_ON = ['model_id', 'language_code', 'timestamps_granularity', 'diarize', 'tag_audio_events'];
/** All the parts but the file, together: fields are a few short values. */
const MAX_FIELD_BYTES = 64 * 1024;
/** What multipart framing adds around the file, at most, before Content-Length says the file is too large. */
const FRAMING_BYTES = 64 * 1024;

export async function speechToText(
  context: SpeechContext,
  options: SpeechToTextOptions,
  request: Incoming,
): Promise<Answer> {
  const maxBytes = options.maxBytes ?? 25_000_000;
  const maxSeconds = options.maxDurationSeconds ?? 600;
  const mimeTypes = options.mimeTypes ?? DEFAULT_STT_MIME_TYPES;

  const boundary = boundaryOf(request.headers.get('content-type') ?? '');
  if (!boundary) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'Send the recording as multipart/form-data, the audio in a field named file.',
    );
  }
  const tooLarge = () => new ApiError(413, 'file_too_large', `The file is over ${maxBytes} bytes, the most accepted.`);
  if (Number(request.headers.get('content-length')) > maxBytes + FRAMING_BYTES) throw tooLarge();
  const input = webRequest(request).body;
  if (!input) throw new ApiError(400, 'invalid_body', 'The request has no body (did a body parser read it first?).');
  // A caller already over their seconds is refused before the upload; the cost is counted once it is known.
  await context.charge(0);

  const encoder = new TextEncoder();
  const ours = `elevenkit-${crypto.randomUUID()}`;
  const reader = new MultipartReader(boundary);
  const wav = new WavProbe();
  let part: { headers: PartHeaders; role: 'file' | 'field' | 'skip'; chunks: Uint8Array[] } | undefined;
  let fileBytes = 0;
  let fieldBytes = 0;
  let sawFile = false;

  /** One event of the upload in, what to send ElevenLabs out (if anything yet). */
  const handle = async (event: PartEvent): Promise<Uint8Array | undefined> => {
    if (event.kind === 'headers') {
      const { name, filename, type } = event.headers;
      const role =
        name === 'file'
          ? 'file'
          : filename === undefined && [...PASSED_ON, 'duration'].includes(name)
            ? 'field'
            : 'skip';
      part = { headers: event.headers, role, chunks: [] };
      if (role !== 'file') return undefined;
      if (sawFile) throw new ApiError(400, 'invalid_body', 'Send one file.');
      sawFile = true;
      if (!type || !mimeTypes.includes(type)) {
        throw new ApiError(
          415,
          'unsupported_media_type',
          `The file is ${type ? `of type ${type}` : 'of no declared type'}; this server accepts ${mimeTypes.join(', ')}.`,
        );
      }
      if (type !== 'audio/wav' && type !== 'audio/x-wav') wav.byteRate = null;
      const safeName = (filename ?? '').replace(/[^\w.-]/g, '_').slice(0, 100) || 'audio';
      return encoder.encode(
        `--${ours}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\nContent-Type: ${type}\r\n\r\n`,
      );
    }
    if (!part) return undefined;
    if (event.kind === 'data') {
      if (part.role === 'file') {
        fileBytes += event.bytes.length;
        if (fileBytes > maxBytes) throw tooLarge();
        wav.push(event.bytes);
        const seconds = wav.seconds(fileBytes);
        if (seconds !== undefined && seconds > maxSeconds) throw tooLong(seconds, maxSeconds);
        return event.bytes;
      }
      fieldBytes += event.bytes.length;
      if (fieldBytes > MAX_FIELD_BYTES) {
        throw new ApiError(413, 'body_too_large', `The fields besides the file are over ${MAX_FIELD_BYTES} bytes.`);
      }
      if (part.role === 'field') part.chunks.push(event.bytes);
      return undefined;
    }
    // The end of a part.
    const { role, headers, chunks } = part;
    part = undefined;
    if (role === 'file') return encoder.encode('\r\n');
    if (role === 'skip') return undefined;
    const value = new TextDecoder().decode(concat(chunks));
    if (headers.name === 'duration') {
      const seconds = Number(value);
      if (seconds > maxSeconds) throw tooLong(seconds, maxSeconds);
      return undefined;
    }
    if (value.includes(ours) || value.length > 1024) {
      throw new ApiError(400, 'invalid_body', `The field ${headers.name} is not a short value.`);
    }
    if (headers.name === 'model_id' && options.models && !(await allowed(options.models, value, request))) {
      throw new ApiError(403, 'model_not_allowed', `This endpoint does not use the model ${value.slice(0, 64)}.`);
    }
    return encoder.encode(`--${ours}\r\nContent-Disposition: form-data; name="${headers.name}"\r\n\r\n${value}\r\n`);
  };

  // Pulled by the upstream request: one piece of the upload is read only when ElevenLabs takes the last one.
  let failure: ApiError | undefined;
  const source = input.getReader();
  const upload = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const { done, value } = await source.read();
          if (done) {
            reader.end();
            if (!sawFile) throw new ApiError(400, 'missing_file', 'The upload has no file (a field named file).');
            controller.enqueue(encoder.encode(`--${ours}--\r\n`));
            controller.close();
            return;
          }
          let sent = false;
          for (const event of reader.push(value)) {
            const out = await handle(event);
            if (out?.length) {
              controller.enqueue(out);
              sent = true;
            }
          }
          if (sent) return;
        }
      } catch (error) {
        // Cuts the upload to ElevenLabs off: it never gets a complete request, so it transcribes (and bills) nothing.
        failure = error instanceof ApiError ? error : new ApiError(400, 'invalid_body', 'The upload broke off.');
        void source.cancel().catch(() => {});
        controller.error(failure);
      }
    },
    cancel: (reason) => void source.cancel(reason).catch(() => {}),
  });

  let response: Response;
  try {
    response = await postUpstream(context, '/v1/speech-to-text', {
      headers: { 'content-type': `multipart/form-data; boundary=${ours}` },
      body: upload,
      timeoutMs: options.timeoutMs ?? 120_000,
    });
  } catch (error) {
    throw failure ?? error;
  }
  if (failure) throw failure;
  const text = await response.text();
  let transcript: unknown;
  try {
    transcript = JSON.parse(text);
  } catch {
    context.log?.warn('elevenlabs answered with something other than JSON', { path: '/v1/speech-to-text' });
    throw new ApiError(502, 'upstream_invalid_response', 'ElevenLabs answered with something other than JSON.');
  }
  await context.add(Math.max(wav.seconds(fileBytes) ?? 0, lastWordEnd(transcript)));
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: text,
  };
}

const tooLong = (seconds: number, max: number) =>
  new ApiError(
    413,
    'audio_too_long',
    `The recording is ${Math.round(seconds)} s long; this server takes at most ${max} s.`,
  );

/** The end of the last word (or sound) in a transcript, in seconds; 0 if it has none. */
function lastWordEnd(transcript: unknown): number {
  const words = (transcript as { words?: { end?: unknown }[] })?.words;
  if (!Array.isArray(words)) return 0;
  return words.reduce((end, word) => (typeof word?.end === 'number' && word.end > end ? word.end : end), 0);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** A WAV file's bytes per second, read from its `fmt ` chunk as the first bytes pass; `null` when it is not WAV. */
class WavProbe {
  byteRate: number | null | undefined = undefined;
  #head: Uint8Array = new Uint8Array(0);

  push(bytes: Uint8Array) {
    if (this.byteRate !== undefined) return;
    this.#head = concat([this.#head, bytes.subarray(0, 4096)]);
    const h = this.#head;
    const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
    const tag = (at: number) => String.fromCharCode(...h.subarray(at, at + 4));
    if (h.length < 12) return;
    if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return void (this.byteRate = null);
    for (let at = 12; at + 8 <= h.length; at += 8 + view.getUint32(at + 4, true) + (view.getUint32(at + 4, true) & 1)) {
      if (tag(at) !== 'fmt ') continue;
      if (at + 20 > h.length) return; // the rest of the chunk is on its way
      const rate = view.getUint32(at + 16, true);
      this.byteRate = rate > 0 ? rate : null;
      return;
    }
    if (h.length >= 4096) this.byteRate = null; // no fmt chunk near the start: not a file we can measure
  }

  /** Seconds in `bytes` of this file, if it is a WAV file whose header has arrived. */
  seconds(bytes: number): number | undefined {
    return this.byteRate ? bytes / this.byteRate : undefined;
  }
}
