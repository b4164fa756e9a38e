// The demo a person opens with `npm run demo`, for tests: the same Vite config (emulator, token endpoint and the
// widget's script-tag files mounted) on a free port, Chromium, and axe-core run in a page.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface DemoServer {
  /** `http://127.0.0.1:PORT/`, the demo's index page. */
  url: string;
  browser: Browser;
  /** A new page at `path` (relative to the demo); requests it makes to any host but 127.0.0.1 land in `outside`. */
  open(path: string): Promise<Page>;
  /** Every request a page made to a host other than 127.0.0.1. */
  outside: string[];
  close(): Promise<void>;
}

export async function startDemo(): Promise<DemoServer> {
  // The demo signs with ElevenLabs when a key is set; these tests are about the emulator.
  delete process.env.ELEVENLABS_API_KEY;
  const server: ViteDevServer = await createServer({
    configFile: `${repo}vite.config.ts`,
    root: `${repo}demo`,
    // No file watching: an edit elsewhere in the repo (vite.config.ts imports the emulator and the token endpoint)
    // would restart the server and reload the page mid-test.
    server: { port: 0, host: '127.0.0.1', watch: null },
    logLevel: 'error',
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('The demo server did not report its URL.');
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: run `npm test`, which installs it, or set CHROME_PATH.');
  const browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs });
  const outside: string[] = [];
  return {
    url,
    browser,
    outside,
    async open(path) {
      const page = await browser.newPage();
      page.on('request', (request) => {
        const address = new URL(request.url());
        if (!['data:', 'blob:'].includes(address.protocol) && address.hostname !== '127.0.0.1') {
          outside.push(request.url());
        }
      });
      await page.goto(new URL(path, url).href);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export interface AxeResults {
  violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
  passes: { id: string; nodes: { target: unknown[] }[] }[];
}

/** axe-core on the whole page, open shadow roots included (axe walks them by default). */
export async function runAxe(page: Page): Promise<AxeResults> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(() => (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run());
}

/** Violations as one line each, so a failing test says what and where. */
export const describeViolations = (results: AxeResults) =>
  results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);

/** axe names a node inside a shadow root by a path of selectors: host first, then the node within. */
export const checkedInsideShadowRoots = (results: AxeResults) =>
  results.passes.some((rule) => rule.nodes.some((node) => Array.isArray(node.target[0])));
