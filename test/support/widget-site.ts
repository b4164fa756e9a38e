// A website a CMS user would have: static HTML pages that paste the widget's script tag, served from 127.0.0.1
// together with the script-tag files (built once), the emulator (same origin) and the token endpoint under
// /api/elevenlabs. Plus Chromium, optionally with a fake microphone playing a WAV file.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createEmulatorCore, type AgentDefinition, type EmulatorCore } from '../../packages/emulator/src/index.ts';
import { createTokenHandler } from '../../packages/server/src/index.ts';
import { toNodeListener } from '../../packages/server/src/node.ts';
import { buildWidgetFiles } from '../../packages/widget/build.mjs';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';

export interface WidgetSite {
  /** http://127.0.0.1:PORT */
  origin: string;
  emulator: EmulatorCore;
  /** The built script-tag files by name (`elevenkit-widget.js`, `worklets/…`). */
  files: Map<string, string>;
  /** Serves `html` at `path`, with extra response headers (e.g. a Content-Security-Policy). */
  page(path: string, html: string, headers?: Record<string, string>): string;
  /** Requests the server saw, newest last. */
  requests: { url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

const API_KEY = 'widget-test-key';

export async function startWidgetSite(agents: AgentDefinition[], files?: Map<string, string>): Promise<WidgetSite> {
  const built = files ?? (await buildWidgetFiles());
  const emulator = createEmulatorCore({ agents, apiKey: API_KEY, log: () => {} });
  const pages = new Map<string, { html: string; headers: Record<string, string> }>();
  const requests: WidgetSite['requests'] = [];
  let tokens: ReturnType<typeof toNodeListener> = () => {};
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '/', headers: req.headers });
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/api/elevenlabs/')) return tokens(req, res);
    if (emulator.handleRequest(req, res)) return;
    const file = built.get(path.slice(1));
    if (file !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return res.end(file);
    }
    const page = pages.get(path);
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers });
      return res.end(page.html);
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  server.on('upgrade', (req, socket, head) => emulator.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tokens = toNodeListener(
    createTokenHandler({ apiKey: API_KEY, agents: agents.map((agent) => agent.agent_id), apiOrigin: origin }),
  );
  return {
    origin,
    emulator,
    files: built,
    requests,
    page(path, html, headers = {}) {
      pages.set(path, { html, headers });
      return `${origin}${path}`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      emulator.closeSessions();
    },
  };
}

/** The page a CMS user pastes: the element and the script tag, nothing else. */
export const scriptTagPage = (element: string, body = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Widget page</title></head>` +
  `<body><main><h1>Widget page</h1>${body}</main>${element}<script src="/elevenkit-widget.js" async></script></body></html>`;

export interface WidgetBrowser {
  browser: Browser;
  /** A new page; requests it makes to any host but 127.0.0.1 land in `foreign`. */
  open(url: string, options?: { permissions?: string[] }): Promise<Page>;
  foreign: string[];
  close(): Promise<void>;
}

export async function launchBrowser(
  options: { micWav?: string; denyMicrophone?: boolean } = {},
): Promise<WidgetBrowser> {
  const mic = options.micWav ? [`--use-file-for-fake-audio-capture=${options.micWav}%noloop`] : [];
  // --use-fake-ui-for-media-stream answers every prompt with "allow"; without it the context's permissions decide.
  const args = chromiumArgs.filter((arg) => !(options.denyMicrophone && arg === '--use-fake-ui-for-media-stream'));
  const browser = await chromium.launch({
    executablePath: findChromium() ?? '/usr/bin/chromium',
    headless: true,
    args: [...args, ...mic],
  });
  const foreign: string[] = [];
  return {
    browser,
    foreign,
    async open(url, { permissions } = {}) {
      const context = await browser.newContext(permissions ? { permissions } : {});
      const page = await context.newPage();
      page.on('request', (request) => {
        const address = new URL(request.url());
        if (!['data:', 'blob:'].includes(address.protocol) && address.hostname !== '127.0.0.1') {
          foreign.push(request.url());
        }
      });
      await page.goto(url);
      return page;
    },
    close: () => browser.close(),
  };
}
