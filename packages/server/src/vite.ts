// A Vite plugin that mounts the token endpoint on the dev (and preview) server, so pages fetch signed URLs from
// their own origin in development, as they will from your server in production.
import type { Plugin, PreviewServer, ViteDevServer } from 'vite';
import { createTokenHandler, type TokenHandlerOptions } from './handler.ts';
import { toExpressMiddleware } from './node.ts';

export interface TokenEndpointPluginOptions extends Omit<TokenHandlerOptions, 'apiOrigin'> {
  /**
   * Where ElevenLabs is. Default: this dev server's own origin, for the emulator mounted on it with
   * `elevenlabsEmulator()` from `@elevenkit/emulator/vite` (give both the same `apiKey`).
   */
  apiOrigin?: TokenHandlerOptions['apiOrigin'];
}

/** Mounts `createTokenHandler(options)` under `options.basePath` (default `/api/elevenlabs`). */
export function elevenlabsTokenEndpoint(options: TokenEndpointPluginOptions): Plugin {
  const mount = (server: ViteDevServer | PreviewServer) => {
    let middleware: ReturnType<typeof toExpressMiddleware> | undefined;
    server.middlewares.use((req, res, next) => {
      // Built on the first request: only then is the server's own address known (the port may have been 0).
      middleware ??= toExpressMiddleware(
        createTokenHandler({ ...options, apiOrigin: options.apiOrigin ?? ownOrigin(server) }),
      );
      middleware(req, res, next);
    });
  };
  return { name: 'elevenkit-token-endpoint', configureServer: mount, configurePreviewServer: mount };
}

/** The origin the server says it listens on, e.g. `http://127.0.0.1:5173` (known once it listens). */
function ownOrigin(server: ViteDevServer | PreviewServer): string {
  const url = server.resolvedUrls?.local[0];
  if (!url) {
    throw new Error('elevenlabsTokenEndpoint: this server has no address of its own (middleware mode); set apiOrigin.');
  }
  return new URL(url).origin;
}
