// Faults for speech to text (REST and the realtime WebSocket), for tests of how a recorder copes.

/** The realtime error `message_type`s (scribe.asyncapi.yaml `ScribeErrorPayload`). */
export const SCRIBE_ERRORS = [
  'error',
  'auth_error',
  'quota_exceeded',
  'commit_throttled',
  'transcriber_error',
  'unaccepted_terms',
  'rate_limited',
  'input_error',
  'invalid_request',
  'queue_overflow',
  'resource_exhausted',
  'session_time_limit_exceeded',
  'chunk_size_exceeded',
  'insufficient_audio_activity',
] as const;
export type ScribeError = (typeof SCRIBE_ERRORS)[number];

export interface SttFaults {
  /** REST: 401 `quota_exceeded`. Realtime: a `quota_exceeded` error and close 1008 right after the socket opens. */
  quota_exceeded?: boolean;
  /** REST: wait this long before answering. */
  latency_ms?: number;
  /** Realtime: cut the TCP connection this many ms after the session started, without a close frame (1006). */
  drop_after_ms?: number;
  /** Realtime: send the error `error_type` this many ms after the session started, then close 1008. */
  error_after_ms?: number;
  /** Realtime: which error `error_after_ms` sends; default `session_time_limit_exceeded`. */
  error_type?: ScribeError;
}

/** Checks a faults object from JSON; throws a sentence naming the bad field. */
export function parseSttFaults(value: unknown): SttFaults {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('Faults must be a JSON object.');
  for (const [key, v] of Object.entries(value)) {
    if (key === 'quota_exceeded') {
      if (typeof v !== 'boolean') throw new Error('Fault "quota_exceeded" must be true or false.');
    } else if (key === 'error_type') {
      if (!(SCRIBE_ERRORS as readonly unknown[]).includes(v)) {
        throw new Error(`Fault "error_type" must be one of ${SCRIBE_ERRORS.join(', ')}.`);
      }
    } else if (key === 'latency_ms' || key === 'drop_after_ms' || key === 'error_after_ms') {
      if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
        throw new Error(`Fault "${key}" must be a number of milliseconds ≥ 0.`);
      }
    } else {
      throw new Error(
        `Unknown speech-to-text fault "${key}"; known: quota_exceeded, latency_ms, drop_after_ms, error_after_ms, error_type.`,
      );
    }
  }
  return value as SttFaults;
}
