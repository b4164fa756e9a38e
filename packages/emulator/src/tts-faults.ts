// Faults for text-to-speech requests (REST and the stream-input WebSocket), for tests of how a player copes.
// The same names as the conversation faults where the meaning carries over.

export interface TtsFaults {
  /** Refuse as an account out of credits: REST 401 `quota_exceeded`; the WebSocket sends that error and closes 1008. */
  quota_exceeded?: boolean;
  /** Refuse with 429 `too_many_concurrent_requests` (the WebSocket: error and close 1008). */
  too_many_concurrent_requests?: boolean;
  /** Refuse with 429 `system_busy` (the WebSocket: error and close 1011). */
  system_busy?: boolean;
  /** Delay before the response starts (REST) or before the first audio message (WebSocket). */
  latency_ms?: number;
  /** Before each streamed chunk, wait a random extra 0…jitter_ms (order kept). */
  jitter_ms?: number;
  /**
   * Drop the TCP connection this many ms after the response started, and never finish it: a REST body is cut
   * mid-stream (a non-streaming body after half of it), a WebSocket closes without a close frame (1006).
   */
  drop_after_ms?: number;
  /** WebSocket only: send one frame that is not JSON this many ms after the connection opened. */
  malformed_frame_after_ms?: number;
}

export const TTS_FAULT_NAMES = [
  'quota_exceeded',
  'too_many_concurrent_requests',
  'system_busy',
  'latency_ms',
  'jitter_ms',
  'drop_after_ms',
  'malformed_frame_after_ms',
] as const satisfies readonly (keyof TtsFaults)[];

/** Checks a faults object from JSON; throws a sentence naming the bad field. */
export function parseTtsFaults(value: unknown): TtsFaults {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('Faults must be a JSON object.');
  for (const [key, v] of Object.entries(value)) {
    if (!(TTS_FAULT_NAMES as readonly string[]).includes(key)) {
      throw new Error(`Unknown text-to-speech fault "${key}"; known: ${TTS_FAULT_NAMES.join(', ')}.`);
    }
    const flag = key === 'quota_exceeded' || key === 'too_many_concurrent_requests' || key === 'system_busy';
    if (flag ? typeof v !== 'boolean' : !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new Error(`Fault "${key}" must be ${flag ? 'true or false' : 'a number of milliseconds ≥ 0'}.`);
    }
  }
  return value as TtsFaults;
}

/** Faults queued for the next request (to one voice or any), each taken once. */
export class TtsFaultQueue {
  readonly #pending: { faults: TtsFaults; voiceId?: string }[] = [];

  inject(faults: TtsFaults, voiceId?: string): void {
    this.#pending.push({ faults, voiceId });
  }

  /** The first queued faults for this voice (or any voice), removed from the queue; `{}` if none. */
  take(voiceId: string): TtsFaults {
    const i = this.#pending.findIndex((p) => !p.voiceId || p.voiceId === voiceId);
    return i >= 0 ? this.#pending.splice(i, 1)[0]!.faults : {};
  }
}
