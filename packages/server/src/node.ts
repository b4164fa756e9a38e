// Adapters: Node's `http` (and anything built on it) and Express. Web-standard platforms (Next.js App Router,
// Cloudflare Workers, Deno, Bun, Vercel and Netlify functions) call the handler directly.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { clientAddresses } from './client-ip.ts';

export type FetchHandler = (request: Request) => Promise<Response>;

/** A Node `IncomingMessage` as a web `Request` (the socket's address is kept for rate limiting). */
export function toRequest(req: IncomingMessage & { originalUrl?: string }): Request {
  const protocol = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  const url = new URL(req.originalUrl ?? req.url ?? '/', `${protocol}://${req.headers.host ?? 'localhost'}`);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const request = new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
  if (req.socket.remoteAddress) clientAddresses.set(request, req.socket.remoteAddress);
  return request;
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

/** For `http.createServer(toNodeListener(handler))`. */
export function toNodeListener(handler: FetchHandler) {
  return (req: IncomingMessage, res: ServerResponse) => {
    void handler(toRequest(req))
      .then((response) => writeResponse(response, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end('{"error":{"code":"internal_error","message":"The token endpoint failed."}}');
      });
  };
}

/** Express (or Connect) middleware: answers under `basePath`, passes everything else on. */
export function toExpressMiddleware(handler: FetchHandler, basePath = '/api/elevenlabs') {
  const listener = toNodeListener(handler);
  const base = basePath.replace(/\/+$/, '');
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: (error?: unknown) => void) => {
    const path = (req.originalUrl ?? req.url ?? '/').split('?')[0]!;
    if (path !== base && !path.startsWith(`${base}/`)) return next();
    listener(req, res);
  };
}
