// Paces streamed speech as a TTS service produces it: each chunk goes out when it would be ready if audio were
// generated `speed` times faster than real time, plus optional random jitter that never reorders chunks.

export class Pacer {
  readonly #speed: number;
  readonly #jitterMs: number;
  #due = 0;
  #lastSend = 0;

  /** `speed` = Infinity sends chunk after chunk with only an event-loop turn between them. */
  constructor(speed: number, jitterMs = 0) {
    this.#speed = speed > 0 ? speed : 1;
    this.#jitterMs = jitterMs;
  }

  /** Resolves when the next chunk, holding `durationMs` of audio, is ready; at once if `signal` is aborted. */
  async next(durationMs: number, signal?: AbortSignal): Promise<void> {
    const now = performance.now();
    // Idle time (a WebSocket waiting for text) does not bank credit: generation restarts from now.
    this.#due = Math.max(this.#due, now) + (Number.isFinite(this.#speed) ? durationMs / this.#speed : 0);
    const sendAt = Math.max(this.#lastSend, this.#due + Math.random() * this.#jitterMs);
    this.#lastSend = sendAt;
    await sleep(sendAt - now, signal);
  }
}

/** setTimeout as a promise (setImmediate for 0, so a stream of chunks still yields to I/O between them). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      clearImmediate(immediate);
      resolve();
    };
    const timer = ms >= 1 ? setTimeout(done, ms) : undefined;
    const immediate = ms >= 1 ? undefined : setImmediate(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
