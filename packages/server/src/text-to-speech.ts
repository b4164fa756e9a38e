// POST {base}/text-to-speech: the browser sends text and a voice, the server adds the key and streams ElevenLabs'
// `/stream/with-timestamps` (NDJSON) or `/stream` (audio) back as it arrives, never collected first.
import { ApiError, type Answer } from './errors.ts';
import type { Incoming } from './incoming.ts';
import type { UsageLimit } from './rate-limit.ts';
import { type Allowlist, allowed, postUpstream, readJson, type SpeechContext } from './speech-upstream.ts';

export interface TextToSpeechOptions {
  /**
   * Voices this route may speak with: a list of ids, or a check. Required, like `agents`: a key can speak with every
   * voice of its account, cloned voices of real people included. To allow any, say so: `voices: () => true`.
   */
  voices: Allowlist;
  /** Models it may use (checked against `model_id`, or ElevenLabs' default `eleven_multilingual_v2`). Default: any. */
  models?: Allowlist;
  /** The longest text, in characters (Unicode code points, as ElevenLabs counts). Default 5 000; over it: 413. */
  maxTextLength?: number;
  /** Characters per user (or client IP) per window, e.g. `{ limit: 20_000, windowMs: 3_600_000 }`. Default: none. */
  characterLimit?: UsageLimit;
}

/** ElevenLabs' default model, which an allowlist of models is checked against when the request names none. */
const DEFAULT_MODEL = 'eleven_multilingual_v2';
const VOICE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MODEL_ID = /^[A-Za-z0-9_.-]{1,128}$/;
const OUTPUT_FORMAT = /^[a-z0-9_]{1,32}$/;
/** Body fields passed on as they are (ElevenLabs validates them); anything else is dropped. */
const PASSED_ON = [
  'language_code',
  'voice_settings',
  'pronunciation_dictionary_locators',
  'seed',
  'previous_text',
  'next_text',
  'previous_request_ids',
  'next_request_ids',
  'apply_text_normalization',
  'apply_language_text_normalization',
];

export async function textToSpeech(
  context: SpeechContext & { timeoutMs: number },
  options: TextToSpeechOptions,
  request: Incoming,
): Promise<Answer> {
  const maxTextLength = options.maxTextLength ?? 5_000;
  // Room for the text in UTF-8 (up to 4 bytes a character) plus the other fields.
  const body = await readJson(request, maxTextLength * 4 + 64 * 1024);
  const { text, voice_id: voiceId, model_id: modelId, output_format: format, timestamps = true } = body;

  if (typeof text !== 'string' || !text.trim()) {
    throw new ApiError(400, 'invalid_text', 'text must be a string with something to say.');
  }
  if (typeof voiceId !== 'string' || !VOICE_ID.test(voiceId)) {
    throw new ApiError(400, 'invalid_voice_id', 'voice_id must be 1–128 letters, digits, "_" or "-".');
  }
  if (modelId !== undefined && (typeof modelId !== 'string' || !MODEL_ID.test(modelId))) {
    throw new ApiError(400, 'invalid_model_id', 'model_id must be 1–128 letters, digits, ".", "_" or "-".');
  }
  if (format !== undefined && (typeof format !== 'string' || !OUTPUT_FORMAT.test(format))) {
    throw new ApiError(400, 'invalid_output_format', 'output_format must be a format name such as mp3_44100_128.');
  }
  if (typeof timestamps !== 'boolean')
    throw new ApiError(400, 'invalid_timestamps', 'timestamps must be true or false.');
  const characters = [...text].length;
  if (characters > maxTextLength) {
    throw new ApiError(
      413,
      'text_too_long',
      `The text is ${characters} characters; this server speaks at most ${maxTextLength} at a time.`,
    );
  }
  if (!(await allowed(options.voices, voiceId, request))) {
    throw new ApiError(403, 'voice_not_allowed', 'This endpoint does not speak with that voice.');
  }
  const model = modelId ?? DEFAULT_MODEL;
  if (options.models && !(await allowed(options.models, model, request))) {
    throw new ApiError(403, 'model_not_allowed', `This endpoint does not use the model ${model}.`);
  }

  const forwarded: Record<string, unknown> = { text, model_id: model };
  for (const name of PASSED_ON) if (body[name] !== undefined) forwarded[name] = body[name];
  const query = format ? `?output_format=${format}` : '';
  const path = `/v1/text-to-speech/${voiceId}/stream${timestamps ? '/with-timestamps' : ''}${query}`;

  const refund = await context.charge(characters);
  let upstream: Response;
  try {
    upstream = await postUpstream(context, path, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forwarded),
      timeoutMs: context.timeoutMs,
      voiceId,
    });
  } catch (error) {
    await refund(); // nothing was spoken
    throw error;
  }
  const type = upstream.headers.get('content-type') ?? '';
  const requestId = upstream.headers.get('request-id');
  return {
    status: 200,
    headers: {
      // Lines of JSON with timestamps (ElevenLabs labels them text/event-stream); the audio's own type otherwise.
      'content-type': timestamps
        ? 'application/x-ndjson; charset=utf-8'
        : /^audio\/|octet-stream/i.test(type)
          ? type
          : 'application/octet-stream',
      'cache-control': 'no-store',
      // Asks proxies such as nginx not to hold the stream back.
      'x-accel-buffering': 'no',
      // For request stitching (`previous_request_ids`).
      ...(requestId && /^[\w-]{1,128}$/.test(requestId) ? { 'request-id': requestId } : {}),
    },
    body: upstream.body,
  };
}
