// The demo dev server (`npm run demo`: the emulator and the token endpoint mounted on it) and the Vitest projects
// (`npm test`).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { defineConfig, type Plugin } from 'vitest/config';
import { elevenlabsEmulator } from './packages/emulator/src/vite.ts';
import { createTokenHandler } from './packages/server/src/handler.ts';
import { toExpressMiddleware } from './packages/server/src/node.ts';
import { elevenlabsTokenEndpoint } from './packages/server/src/vite.ts';
import { widgetAssets } from './packages/widget/build.mjs';
import { DEMO_PRIVATE_AGENT } from './demo/agents.ts';
import { chromiumArgs, findChromium } from './scripts/chromium.mjs';
import { emulatorCommands } from './test/commands.ts';
import { microphoneWav } from './test/microphone-wav.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Browser mode in system Chromium; a fresh object per project, since Vitest names the instances it is given. */
const inBrowser = (extraArgs: string[] = []) => ({
  enabled: true,
  headless: true,
  provider: playwright({
    launchOptions: { executablePath: findChromium() ?? '/usr/bin/chromium', args: [...chromiumArgs, ...extraArgs] },
  }),
  instances: [{ browser: 'chromium' as const }],
});

/** The key the demo's emulator expects and its token endpoint sends: a development value, not a secret. */
const DEV_API_KEY = 'elevenkit-dev-key';
/** With ELEVENLABS_API_KEY set, the token endpoint signs with ElevenLabs for the agents in ELEVENLABS_AGENT_IDS. */
const realKey = process.env.ELEVENLABS_API_KEY?.trim();
const realAgents = (process.env.ELEVENLABS_AGENT_IDS ?? '')
  .split(',')
  .map((id) => id.trim())
  .filter(Boolean);
/** The premade voices demo/player.tsx offers: the only ones the demo's text-to-speech route speaks with. */
const DEMO_VOICES = ['21m00Tcm4TlvDq8ikWAM', 'JBFqnCBsd6RMkjVDRZzb', 'EXAVITQu4vr4xnSDxMaL'];
const tokenEndpoint = realKey
  ? elevenlabsTokenEndpoint({
      apiKey: realKey,
      agents: realAgents,
      apiOrigin: process.env.ELEVENLABS_API_ORIGIN?.trim() || 'https://api.elevenlabs.io',
      textToSpeech: { voices: DEMO_VOICES },
      speechToText: {},
    })
  : // No apiOrigin: the emulator mounted on this same server.
    elevenlabsTokenEndpoint({
      apiKey: DEV_API_KEY,
      agents: ['demo', DEMO_PRIVATE_AGENT.agent_id],
      textToSpeech: { voices: DEMO_VOICES },
      speechToText: {},
    });
const signsWith = realKey
  ? `ElevenLabs, for ${realAgents.join(', ') || 'no agent: set ELEVENLABS_AGENT_IDS'}`
  : 'the emulator, for demo and demo-private';

/** Says where the emulator and the token endpoint are once the demo server listens. */
const announce = (): Plugin => ({
  name: 'elevenkit-announce',
  configureServer(server) {
    if (process.env.VITEST) return;
    server.httpServer?.once('listening', () => {
      const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';
      const ws = url.replace(/^http/, 'ws').replace(/\/$/, '');
      setTimeout(() => {
        console.log(`  elevenkit demo:  ${url}`);
        console.log(`  emulator:        ${ws}/v1/convai/conversation?agent_id=demo  (REST under ${url}v1/)`);
        console.log(`  token endpoint:  ${url}api/elevenlabs  (signs with ${signsWith})`);
      }, 50);
    });
  },
});

/**
 * The browser tests' server routes: `createTokenHandler` against the test emulator (test/browser-setup.ts), built on
 * the first request, once the emulator runs. Any voice (the tests use unknown ones) and the models' own text limits.
 */
const testTokenEndpoint = (): Plugin => ({
  name: 'elevenkit-test-token-endpoint',
  configureServer(server) {
    let middleware: ReturnType<typeof toExpressMiddleware> | undefined;
    server.middlewares.use((req, res, next) => {
      const emulator = globalThis.elevenkitTestEmulator;
      if (!emulator) return next();
      middleware ??= toExpressMiddleware(
        createTokenHandler({
          apiKey: 'elevenkit-test-key',
          apiOrigin: emulator.url,
          agents: [],
          textToSpeech: { voices: () => true, maxTextLength: 40_000 },
        }),
      );
      middleware(req, res, next);
    });
  },
});

/** The address the script-tag demo pages name in `origin="…"`, as a site owner would name their own server. */
const DEMO_ORIGIN = 'http://127.0.0.1:5173';
/**
 * Those pages are static HTML, so they cannot know the port this server ended up on (5173 unless taken or a test
 * asks for any free port): the server writes its own origin over DEMO_ORIGIN before the page goes out.
 */
const ownOrigin = (): Plugin => ({
  name: 'elevenkit-demo-origin',
  transformIndexHtml(html, context) {
    const url = context.server?.resolvedUrls?.local[0];
    return url ? html.replaceAll(`origin="${DEMO_ORIGIN}"`, `origin="${new URL(url).origin}"`) : html;
  },
});

export default defineConfig({
  plugins: [
    elevenlabsEmulator({ apiKey: DEV_API_KEY, agents: [DEMO_PRIVATE_AGENT] }),
    tokenEndpoint,
    // /elevenkit-widget.js and friends, built in memory, for the script-tag pages.
    widgetAssets(),
    ownOrigin(),
    announce(),
  ],
  // What demo/private-chat.ts asks the token endpoint for.
  define: {
    __ELEVENKIT_DEMO_TOKEN_ENDPOINT__: JSON.stringify({
      agentId: realKey ? (realAgents[0] ?? '') : DEMO_PRIVATE_AGENT.agent_id,
      upstream: realKey ? 'elevenlabs' : 'emulator',
    }),
  },
  server: { host: '127.0.0.1', port: 5173 },
  test: {
    passWithNoTests: true,
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['packages/{core,widget,react}/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.browser.test.*', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['packages/{emulator,server}/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.browser.test.*', '**/*.e2e.test.ts', '**/node_modules/**'],
          // A throwaway redis-server for the Redis rate-limit store's tests.
          globalSetup: ['test/redis-setup.ts'],
          // Real servers, encoders and child processes: slow on a busy 2-core machine, and speed is bench/'s concern.
          testTimeout: 30_000,
        },
      },
      {
        // Whole-system tests that drive Chromium with playwright-core, each with its own fake microphone file.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/**/*.e2e.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The page reaches the emulator's text to speech through @elevenkit/server's route, which holds the key.
        plugins: [testTokenEndpoint()],
        test: {
          name: 'browser',
          include: ['packages/*/src/**/*.browser.test.{ts,tsx}', 'test/**/*.browser.test.{ts,tsx}'],
          exclude: ['**/*.mic.browser.test.*', '**/node_modules/**'],
          globalSetup: ['test/browser-setup.ts'],
          testTimeout: 30_000,
          // One file at a time: pages playing audio side by side starve Chromium's audio thread.
          fileParallelism: false,
          browser: { ...inBrowser(), commands: emulatorCommands },
        },
      },
      {
        // Microphone tests: Chromium's fake microphone says test/microphone.ts's MIC_TEXT once per capture (the WAV
        // is written before Chromium starts, which is when it reads the flag).
        test: {
          name: 'microphone',
          include: ['packages/*/src/**/*.mic.browser.test.{ts,tsx}', 'test/**/*.mic.browser.test.{ts,tsx}'],
          testTimeout: 30_000,
          fileParallelism: false,
          browser: inBrowser(process.env.VITEST ? [`--use-file-for-fake-audio-capture=${microphoneWav()}%noloop`] : []),
        },
      },
      {
        plugins: [storybookTest({ configDir: path.join(here, '.storybook'), tags: { exclude: ['speech'] } })],
        test: { name: 'storybook', testTimeout: 30_000, browser: inBrowser() },
      },
      {
        // Stories tagged `speech` have the emulator recognise speech captured in the page: one retry, for the reason
        // test/support/speech-retry.ts gives (npm test lists every retried test at its end).
        plugins: [storybookTest({ configDir: path.join(here, '.storybook'), tags: { include: ['speech'] } })],
        test: { name: 'storybook-speech', testTimeout: 30_000, retry: 1, browser: inBrowser() },
      },
    ],
  },
});
