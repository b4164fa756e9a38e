// Helpers for this package's tests (not exported): the handler mounted through each adapter on a real HTTP server,
// a tiny upstream stub for answers the emulator cannot give, and a logger that records every line.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createEmulator } from '../../emulator/src/index.ts';
import type { Logger, TokenHandler } from './handler.ts';
import { toExpressMiddleware, toNodeListener } from './node.ts';

const servers = new Set<Server>();

/** The emulator as ElevenLabs for these tests: it accepts only `apiKey` and has one private agent, `private`. */
export const startUpstream = (apiKey: string) =>
  createEmulator({
    port: 0,
    apiKey,
    log: () => {},
    agents: [{ agent_id: 'private', auth_required: true, text_only: true, turn_timeout_seconds: -1 }],
  });

/** Listens on a free port; returns `http://127.0.0.1:<port>`. */
export async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes every server `listen` started (call in `afterAll`). */
export async function closeServers() {
  await Promise.all(
    [...servers].map((server) => {
      servers.delete(server);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
}

/** Calls the handler at a path such as `/api/elevenlabs/health?x=1`, as a browser would. */
export type Call = (path: string, init?: RequestInit) => Promise<Response>;
const over = (origin: string): Call => {
  return (path, init) => fetch(`${origin}${path}`, init);
};

/**
 * The ways to deploy the handler. Each returns a `Call`; the HTTP ones also serve other routes around it, so the
 * test can see the middleware pass on what is not its own.
 */
export const ADAPTERS: Record<string, (handler: TokenHandler) => Promise<Call>> = {
  // Workers, Deno, Bun, Next.js: the handler is the whole adapter.
  'web-standard': async (handler) => (path, init) => handler(new Request(`http://127.0.0.1${path}`, init)),
  node: async (handler) => over(await listen(toNodeListener(handler))),
  express: async (handler) => {
    const app = express();
    app.use(express.json()); // an app-wide body parser runs before the middleware and consumes POST bodies
    app.use(toExpressMiddleware(handler));
    app.get('/other', (_req, res) => void res.json({ other: true }));
    return over(await listen(app));
  },
  // Mounted under a prefix: Express strips `/api` from req.url, so the adapter must read req.originalUrl.
  'express under /api': async (handler) => {
    const app = express();
    app.use(express.json());
    app.use('/api', toExpressMiddleware(handler));
    app.get('/api/other', (_req, res) => void res.json({ other: true }));
    return over(await listen(app));
  },
};

/** A logger that keeps every line it receives, as text, in `lines`. */
export function recordingLogger(lines: string[] = []): Logger & { lines: string[] } {
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}
