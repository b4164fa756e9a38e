// The player's typed errors, from HTTP answers (ElevenLabs' `{detail: {status, message}}`, FastAPI's 422 list,
// @elevenkit/server's `{error: {code, message}}`), WebSocket error messages and close codes, and media failures.
import type { PlayerError, PlayerErrorCode } from '../speech-player-types.ts';

/** A `PlayerError` that is also an `Error` (what rejected promises carry). */
export class SpeechPlayerError extends Error implements PlayerError {
  override readonly name = 'SpeechPlayerError';
  constructor(
    readonly code: PlayerErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The service's own code (`quota_exceeded`, `voice_not_found`…) and sentence from an error body, if any. */
export function describeBody(body: string): { code: string; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { code: '', message: body.trim().slice(0, 300) };
  }
  const record = (json ?? {}) as Record<string, unknown>;
  const detail = record.detail ?? record.error ?? record;
  if (Array.isArray(detail)) {
    // FastAPI validation problems: [{loc, msg}]
    const message = detail
      .map((p: { loc?: unknown[]; msg?: string }) => [p.loc?.slice(1).join('.'), p.msg].filter(Boolean).join(': '))
      .join('; ');
    return { code: 'validation_error', message };
  }
  if (typeof detail === 'string') return { code: '', message: detail };
  const d = detail as Record<string, unknown>;
  const code = [d.status, d.code, d.error, record.code].find((v) => typeof v === 'string') as string | undefined;
  const message = [d.message, record.message].find((v) => typeof v === 'string') as string | undefined;
  return { code: code ?? '', message: message ?? '' };
}

/** Out of credits (ElevenLabs' `quota_exceeded`): retrying will not help until the account has credits again. */
const QUOTA = /quota|credit|insufficient/i;
/**
 * Too many requests right now: ElevenLabs' 429 `too_many_concurrent_requests` and `system_busy`, a proxy's own
 * rate limit. Retrying later helps.
 */
const RATE_LIMITED = /rate_?limit|too_many|concurren|system_busy|busy|throttl/i;
const AUTH = /api_key|unauthori[sz]ed|authori[sz]ation|forbidden|token|signature|not_allowed|permission/i;

const rateLimited = (said: string, status: number) =>
  new SpeechPlayerError(
    'rate-limited',
    `Too many text-to-speech requests right now; try again in a moment.${said}`,
    status,
  );

/** An HTTP failure (status + body text) as a typed error. */
export function httpError(status: number, body: string): SpeechPlayerError {
  const { code, message } = describeBody(body);
  const said = message ? ` ${message}` : '';
  // 429 is also ElevenLabs' answer to concurrency and load: only a body that says so is about the quota.
  if (QUOTA.test(code) && [401, 402, 403, 429].includes(status)) {
    return new SpeechPlayerError('quota', `The text-to-speech quota is used up.${said}`, status);
  }
  if (status === 429 || RATE_LIMITED.test(code)) return rateLimited(said, status);
  if (status === 401 || status === 403) {
    return new SpeechPlayerError('auth', `Text to speech was refused: not authorised.${said}`, status);
  }
  if (status >= 400 && status < 500) {
    return new SpeechPlayerError('invalid-request', `The text-to-speech request was refused.${said}`, status);
  }
  return new SpeechPlayerError('network', `The text-to-speech server failed (HTTP ${status}).${said}`, status);
}

/** A stream-input error message (`{message, error}`), or a close without one, as a typed error. */
export function socketError(error: string | null, message: string | null, closeCode: number): SpeechPlayerError {
  const said = message ? ` ${message}` : '';
  if (error) {
    if (QUOTA.test(error)) {
      return new SpeechPlayerError('quota', `The text-to-speech quota is used up.${said}`, closeCode);
    }
    if (RATE_LIMITED.test(error)) return rateLimited(said, closeCode);
    if (AUTH.test(error) || error === 'needs_authorization') {
      return new SpeechPlayerError('auth', `Text to speech was refused: not authorised.${said}`, closeCode);
    }
    if (closeCode === 1011 || /internal/i.test(error)) {
      return new SpeechPlayerError('network', `The text-to-speech service failed.${said}`, closeCode);
    }
    return new SpeechPlayerError('invalid-request', `The text-to-speech request was refused.${said}`, closeCode);
  }
  if (closeCode === 1008)
    return new SpeechPlayerError('invalid-request', `The service closed the stream.${said}`, closeCode);
  return new SpeechPlayerError(
    'network',
    closeCode === 1006
      ? 'The connection to the text-to-speech service dropped.'
      : `The text-to-speech connection closed early (code ${closeCode}).${said}`,
    closeCode,
  );
}

/** A failed `fetch` or body read. */
export const networkError = (cause: unknown, receivedSeconds: number) =>
  new SpeechPlayerError(
    'network',
    receivedSeconds > 0
      ? `The connection dropped after ${receivedSeconds.toFixed(1)} s of audio.`
      : 'The text-to-speech server could not be reached.',
    undefined,
    { cause },
  );

/** `HTMLMediaElement.error` as a typed error. */
export function mediaError(error: MediaError | null, streaming: boolean): SpeechPlayerError {
  switch (error?.code) {
    case 2:
      return new SpeechPlayerError('network', 'The audio could not be downloaded.');
    case 4:
      return streaming
        ? new SpeechPlayerError('decode', 'The audio stream could not be decoded.')
        : new SpeechPlayerError('unsupported', 'This browser cannot play this audio file.');
    default:
      return new SpeechPlayerError('decode', 'The audio could not be decoded.');
  }
}

export const isAbort = (error: unknown) => (error as { name?: string } | null)?.name === 'AbortError';
export const isNotAllowed = (error: unknown) => (error as { name?: string } | null)?.name === 'NotAllowedError';
