// What the speech routes (text to speech, speech to text) share: the ElevenLabs call whose body is left to stream,
// refusals mapped to typed errors a player or recorder can act on, and reading a request body with a cap.
import { ApiError, describe, upstreamMessage, upstreamStatus } from './errors.ts';
import type { Logger } from './handler.ts';
import { type Incoming, webRequest } from './incoming.ts';
import { redact } from './redact.ts';

/** What the handler gives a speech route. */
export interface SpeechContext {
  apiKey: string | undefined;
  apiOrigin: string;
  log: Logger | undefined;
  /**
   * Adds `cost` (characters, seconds) to the caller's usage; throws 429 when that passes the configured limit.
   * Resolves to a function that gives the cost back (for a request ElevenLabs refused, so it cost nothing).
   */
  charge(cost: number): Promise<() => Promise<void>>;
  /** Adds `cost` once it is known (after the answer), refusing nothing; a store failure is logged, not thrown. */
  add(cost: number): Promise<void>;
}

/**
 * POSTs to ElevenLabs with the key and resolves once its headers are in, leaving the body to stream. `timeoutMs`
 * covers the wait for the headers only: a long text streams for longer than any sensible timeout.
 */
export async function postUpstream(
  context: SpeechContext,
  path: string,
  init: { headers: Record<string, string>; body: BodyInit; timeoutMs: number; voiceId?: string },
): Promise<Response> {
  const { apiKey, log } = context;
  if (!apiKey) {
    log?.error('no ElevenLabs API key: set ELEVENLABS_API_KEY or the apiKey option');
    throw new ApiError(500, 'server_misconfigured', 'The server has no ElevenLabs API key (ELEVENLABS_API_KEY).');
  }
  const route = path.split('?')[0];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), init.timeoutMs);
  let response: Response;
  try {
    response = await fetch(`${context.apiOrigin}${path}`, {
      method: 'POST',
      headers: { ...init.headers, 'xi-api-key': apiKey },
      body: init.body,
      signal: controller.signal,
      // A stream as the body (an upload passed through) needs this on Node and in browsers alike.
      ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    if (!response.ok) {
      // A refusal is small; read it inside the timeout too.
      throw await refusal(context, response, route, init.voiceId);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const cause = (error as Error)?.cause;
    // An upload refused on our side (too large, wrong type) aborts the upstream request with that error.
    if (cause instanceof ApiError) throw cause;
    if (controller.signal.aborted) {
      log?.warn('elevenlabs request timed out', { path: route, timeoutMs: init.timeoutMs });
      throw new ApiError(504, 'upstream_timeout', `ElevenLabs did not answer within ${init.timeoutMs} ms.`);
    }
    log?.warn('elevenlabs unreachable', { path: route, error: redact(describe(error), apiKey) });
    throw new ApiError(502, 'upstream_unreachable', 'ElevenLabs could not be reached.');
  } finally {
    clearTimeout(timer);
  }
  return response;
}

/**
 * ElevenLabs' refusal as the error the browser gets. Refusals of the request itself keep their status (404 voice,
 * 400/422 invalid, 401 quota, 429) so a player maps them as it would ElevenLabs' own; a rejected key is the server's
 * fault (502).
 */
async function refusal(context: SpeechContext, response: Response, route: string | undefined, voiceId?: string) {
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // no JSON: no detail
  }
  const message = upstreamMessage(body);
  const detail = message === undefined ? undefined : redact(message, context.apiKey);
  const code = upstreamStatus(body);
  context.log?.warn('elevenlabs request failed', { status: response.status, path: route, code, detail });
  switch (response.status) {
    case 401:
    case 403:
      if (code === 'quota_exceeded') {
        return new ApiError(
          response.status,
          'upstream_quota_exceeded',
          'The ElevenLabs account behind this server is out of credits.',
        );
      }
      return new ApiError(502, 'upstream_auth', `ElevenLabs rejected this server's API key (${response.status}).`);
    case 404:
      if (voiceId)
        return new ApiError(404, 'voice_not_found', detail ?? `ElevenLabs does not know the voice ${voiceId}.`);
      return new ApiError(502, 'upstream_error', `ElevenLabs answered with status 404 for ${route}.`);
    case 429: {
      const retry = response.headers.get('retry-after');
      return new ApiError(
        429,
        'upstream_rate_limited',
        'ElevenLabs is rate limiting this server; try again later.',
        retry && /^[\w ,:]{1,40}$/.test(retry) ? { 'retry-after': retry } : {},
      );
    }
    case 400:
    case 413:
    case 415:
    case 422:
      if (code === 'payload_too_large' || response.status === 413) {
        return new ApiError(413, 'file_too_large', detail ?? 'The file is too large for ElevenLabs.');
      }
      if (code === 'audio_too_long') {
        return new ApiError(413, 'audio_too_long', detail ?? 'The recording is too long for ElevenLabs.');
      }
      if (code === 'max_character_limit_exceeded') {
        return new ApiError(response.status, 'text_too_long', detail ?? 'The text is too long for this model.');
      }
      return new ApiError(
        response.status,
        'upstream_invalid_request',
        detail ?? 'ElevenLabs refused the request as invalid.',
      );
    default:
      return new ApiError(502, 'upstream_error', `ElevenLabs answered with status ${response.status}.`);
  }
}

/**
 * The JSON object a route was sent, read up to `maxBytes`. Express's `req.body` is taken when `express.json()` ran
 * first. Only `application/json` is read: a cross-site form cannot send it without a CORS preflight.
 */
export async function readJson(request: Incoming, maxBytes: number): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the request as JSON (Content-Type: application/json).');
  }
  let body: unknown = request.parsedBody;
  if (body === undefined) {
    const stream = webRequest(request).body;
    if (!stream) throw new ApiError(400, 'invalid_body', 'The request has no body.');
    const text = await readText(stream, maxBytes);
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'invalid_body', 'The request body is not valid JSON.');
    }
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_body', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

async function readText(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.length;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ApiError(413, 'body_too_large', `The request body is over ${maxBytes} bytes.`);
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** A list of allowed ids, or your check; the request is built only when a check asks for it. */
export type Allowlist = readonly string[] | ((id: string, request: Request) => boolean | Promise<boolean>);

export const allowed = async (list: Allowlist, id: string, request: Incoming) =>
  typeof list === 'function' ? list(id, webRequest(request)) : list.includes(id);
