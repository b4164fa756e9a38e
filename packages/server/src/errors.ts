// Every answer is never cached; errors are `{ "error": { "code", "message" } }` with a stable code. Answers are JSON
// but for the speech routes, whose audio streams through as it arrives.

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** An answer before it is a `Response`; the Node adapter writes it as it is (see ./incoming.ts). */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** A stream is written through as it arrives (the text-to-speech audio), never collected first. */
  body: string | ReadableStream<Uint8Array> | null;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorAnswer(error: ApiError, headers: Record<string, string> = {}) {
  return json(error.status, { error: { code: error.code, message: error.message } }, { ...headers, ...error.headers });
}

export const toResponse = ({ status, headers, body }: Answer) => new Response(body, { status, headers });

/** ElevenLabs' `{ detail: { message } }` or FastAPI's `{ detail: [{ msg }] }`, if any. */
export function upstreamMessage(body: unknown): string | undefined {
  const detail = (body as { detail?: unknown })?.detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail))
    return (
      detail
        .map((d) => (d as { msg?: string })?.msg)
        .filter(Boolean)
        .join('; ') || undefined
    );
  const message = (detail as { message?: unknown })?.message;
  return typeof message === 'string' ? message : undefined;
}

/** ElevenLabs' machine-readable `{ detail: { status } }`, if any. */
export function upstreamStatus(body: unknown): string | undefined {
  const status = ((body as { detail?: unknown })?.detail as { status?: unknown })?.status;
  return typeof status === 'string' ? status : undefined;
}

/** An unexpected error as one line (its cause too: fetch puts the reason there). Redact before logging. */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}
