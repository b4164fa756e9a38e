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

export function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function errorResponse(error: ApiError, headers: Record<string, string> = {}) {
  return json(error.status, { error: { code: error.code, message: error.message } }, { ...headers, ...error.headers });
}
