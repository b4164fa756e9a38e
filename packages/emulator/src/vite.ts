// A Vite plugin that mounts the emulator's routes and WebSocket onto the dev (and preview) server.
import type { Plugin, PreviewServer, ViteDevServer } from 'vite';
import { createEmulatorCore, type EmulatorCore, type EmulatorOptions } from './emulator.ts';

export interface EmulatorPlugin extends Plugin {
  /** The mounted emulator (its inspection API), once the server has started. */
  emulator: EmulatorCore;
}

export function elevenlabsEmulator(options: Omit<EmulatorOptions, 'port' | 'host'> = {}): EmulatorPlugin {
  const emulator = createEmulatorCore(options);
  const mount = (server: ViteDevServer | PreviewServer) => {
    server.middlewares.use((req, res, next) => {
      if (!emulator.handleRequest(req, res)) next();
    });
    // Vite's own HMR socket shares the server; take only the emulator's path.
    server.httpServer?.on('upgrade', (req, socket, head) => emulator.handleUpgrade(req, socket, head));
  };
  return {
    name: 'elevenkit-emulator',
    emulator,
    configureServer: mount,
    configurePreviewServer: mount,
  };
}
