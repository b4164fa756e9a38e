// Adapters: Node's `http` (and anything built on it) and Express. Web-standard platforms (Next.js App Router,
// Cloudflare Workers, Deno, Bun, Vercel and Netlify functions) call the handler directly.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { TLSSocket } from 'node:tls';
import { clientAddresses } from './client-ip.ts';
import type { Answer } from './errors.ts';
import { answerers, type Incoming } from './incoming.ts';

/** A web-standard handler; `basePath` (as `createTokenHandler` sets it) tells the Express adapter where it answers. */
export type FetchHandler = ((request: Request) => Promise<Response>) & { readonly basePath?: string };

/**
 * The request's URL as text. Express mounts (`app.use('/api', …)`) strip their prefix from `req.url`, so
 * `originalUrl` is preferred. The host comes from the `Host` header only.
 */
function urlOf(req: IncomingMessage & { originalUrl?: string }) {
  const protocol = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  // Joined as text, never resolved: `new URL('//evil.example/…', base)` would take the host from the request line.
  const target = req.originalUrl ?? req.url ?? '/';
  return `${protocol}://${req.headers.host ?? 'localhost'}${target.startsWith('/') ? '' : '/'}${target}`;
}

/**
 * A Node `IncomingMessage` as a web `Request` (the socket's address is kept for rate limiting). Throws when the
 * request line and `Host` header make no URL.
 */
export function toRequest(req: IncomingMessage & { originalUrl?: string }): Request {
  const method = req.method ?? 'GET';
  // A body parser mounted earlier (`app.use(express.json())`) may have read the body already; the token routes need
  // none, so such a request simply arrives without one.
  const hasBody = method !== 'GET' && method !== 'HEAD' && !req.readableDidRead && !req.readableEnded;
  const request = new Request(urlOf(req), {
    method,
    // Node's parsed headers, as the rest of the app sees them: `Request` copies a plain object more cheaply than a
    // `Headers` built from `rawHeaders`, which it would iterate and copy again.
    headers: req.headers as Record<string, string>,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
  if (req.socket.remoteAddress) clientAddresses.set(request, req.socket.remoteAddress);
  return request;
}

/**
 * What `createTokenHandler`'s handler reads of a Node request, without building a `Request` unless a callback asks
 * for one (see ./incoming.ts). Its headers answer as the `Request` built from them would. Throws where `Request`
 * would: a URL that does not parse or carries credentials.
 */
function toIncoming(req: IncomingMessage & { originalUrl?: string }): Incoming {
  const url = urlOf(req);
  const parsed = new URL(url);
  if (parsed.username || parsed.password) throw new TypeError('A request URL cannot carry credentials.');
  const { headers } = req;
  let request: Request | undefined;
  // Express's `req.body`, when a parser consumed the stream (then `toRequest` has no body to give).
  const bodyRead = req.readableDidRead || req.readableEnded ? (req as { body?: unknown }).body : undefined;
  const incoming: Incoming = {
    url,
    method: req.method ?? 'GET',
    parsedBody: bodyRead,
    headers: {
      get: (name) => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : String(value);
      },
    },
    toRequest: () => (request ??= toRequest(req)),
  };
  if (req.socket.remoteAddress) clientAddresses.set(incoming, req.socket.remoteAddress);
  return incoming;
}

/** Writes a web `Response` to a Node response, streaming the body. */
export async function writeResponse(response: Response, res: ServerResponse) {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => {}));
  for (;;) {
    const { done, value } = await reader.read();
    if (done || res.destroyed) break;
    res.write(value);
  }
  res.end();
}

/** Writes an answer of `createTokenHandler` in one write, with its length; a stream as it arrives. */
async function writeAnswer({ status, headers, body }: Answer, res: ServerResponse) {
  if (body === null) return void res.writeHead(status, headers).end();
  if (typeof body !== 'string') {
    res.writeHead(status, headers).flushHeaders();
    // pipeline destroys the response if the stream fails (the browser sees a cut, not a clean end) and cancels the
    // stream, and so the upstream request, when the browser goes away.
    return pipeline(Readable.fromWeb(body as NodeReadableStream), res).catch(() => {});
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(status, headers).end(body);
}

/** For `http.createServer(toNodeListener(handler))`. */
export function toNodeListener(handler: FetchHandler) {
  // A handler from `createTokenHandler` is answered without a `Request` or `Response` (see ./incoming.ts).
  const answer = answerers.get(handler);
  return (req: IncomingMessage, res: ServerResponse) => {
    let request: Incoming;
    try {
      request = answer ? toIncoming(req) : toRequest(req);
    } catch {
      // A request line or Host header that makes no URL; answering beats an uncaught exception in the server.
      return sendError(res, 400, 'bad_request', 'The request URL or Host header is malformed.');
    }
    const written = answer
      ? answer(request).then((a) => writeAnswer(a, res))
      : handler(request as Request).then((response) => writeResponse(response, res));
    void written.catch(() => sendError(res, 500, 'internal_error', 'The token endpoint failed.'));
  };
}

function sendError(res: ServerResponse, status: number, code: string, message: string) {
  if (!res.headersSent) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  }
  res.end(JSON.stringify({ error: { code, message } }));
}

/**
 * Express (or Connect) middleware: answers under the handler's `basePath` (the full path as the browser sees it,
 * wherever the middleware is mounted), passes everything else on.
 */
export function toExpressMiddleware(handler: FetchHandler, basePath = handler.basePath ?? '/api/elevenlabs') {
  const listener = toNodeListener(handler);
  const base = basePath.replace(/\/+$/, '');
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: (error?: unknown) => void) => {
    const path = (req.originalUrl ?? req.url ?? '/').split('?')[0]!;
    if (path !== base && !path.startsWith(`${base}/`)) return next();
    listener(req, res);
  };
}
