// Storybook: React-Vite (it renders Lit elements too), with the emulator mounted on its dev server so stories
// talk to a local ElevenLabs. `viteFinal` also applies to the story tests (the `storybook` Vitest project).
import type { StorybookConfig } from '@storybook/react-vite';
import { mergeConfig, type Plugin } from 'vite';
import { elevenlabsEmulator } from '../packages/emulator/src/vite.ts';

/**
 * `storybook dev` runs Vite in middleware mode, where the emulator plugin finds no `httpServer` to take its
 * WebSocket upgrades from: conversations would hang at "Connecting". Storybook hands its own HTTP server to Vite as
 * the HMR server, so take the emulator's upgrades there (only its path; Vite's and Storybook's sockets pass by).
 */
function emulatorWebSocketInMiddlewareMode(emulator: ReturnType<typeof elevenlabsEmulator>): Plugin {
  return {
    name: 'elevenkit-emulator-websocket-in-middleware-mode',
    configureServer(server) {
      if (server.httpServer) return; // the emulator plugin took them itself
      const hmr = server.config.server.hmr;
      const httpServer = typeof hmr === 'object' ? hmr.server : undefined;
      httpServer?.on('upgrade', (req, socket, head) => emulator.emulator.handleUpgrade(req, socket, head));
    },
  };
}

const config: StorybookConfig = {
  // Not the repo's vite.config.ts, which is the demo server's: see .storybook/vite.config.ts.
  framework: { name: '@storybook/react-vite', options: { builder: { viteConfigPath: '.storybook/vite.config.ts' } } },
  stories: ['../stories/**/*.stories.@(ts|tsx)', '../packages/*/src/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-vitest'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  typescript: { reactDocgen: 'react-docgen-typescript' },
  viteFinal: (viteConfig) => {
    // Quiet while browsing stories; under Vitest its warnings (and unrecognised speech) go to the test output.
    const emulator = elevenlabsEmulator(process.env.VITEST ? {} : { log: () => {} });
    return mergeConfig(viteConfig, { plugins: [emulator, emulatorWebSocketInMiddlewareMode(emulator)] });
  },
};

export default config;
