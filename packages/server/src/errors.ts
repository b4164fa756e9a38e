// Every answer is JSON and never cached; errors are `{ "error": { "code", "message" } }` with a stable code.

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
  body: string | null;
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
