// The demo a person opens with `npm run demo`: the same Vite config (emulator mounted), the page in Chromium,
// used the way a person would: read the emulator status, chat with the demo agent by keyboard.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResults {
  violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
  passes: unknown[];
}

let server: ViteDevServer;
let browser: Browser;
let page: Page;
/** Every request the page made to a host other than 127.0.0.1. */
const outside: string[] = [];

beforeAll(async () => {
  server = await createServer({
    configFile: `${repo}vite.config.ts`,
    root: `${repo}demo`,
    server: { port: 0, host: '127.0.0.1' },
    logLevel: 'error',
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('The demo server did not report its URL.');
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: run `npm test`, which installs it, or set CHROME_PATH.');
  browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs });
  page = await browser.newPage();
  page.on('request', (request) => {
    const address = new URL(request.url());
    if (address.protocol !== 'data:' && address.hostname !== '127.0.0.1') outside.push(request.url());
  });
  await page.goto(url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const transcript = () => page.getByRole('log', { name: 'Transcript' });

describe('the demo page', () => {
  it('shows that the emulator is up and serves the demo agent', async () => {
    await page.getByRole('list', { name: 'Agents' }).getByText('demo', { exact: true }).waitFor();
    expect(await page.title()).toBe('elevenkit demo');
    expect(await page.locator('#health').innerText()).toMatch(/^The emulator is running at ws:\/\/127\.0\.0\.1:\d+/);
  });

  it('chats in text with the demo agent, which asks the page for the time', async () => {
    await page.getByRole('button', { name: 'Start chat' }).click();
    await transcript()
      .getByText(/I'm the elevenkit emulator's demo agent/)
      .waitFor();
    const input = page.getByRole('textbox', { name: 'Message' });
    expect(await input.evaluate((element) => element === document.activeElement)).toBe(true);

    await page.keyboard.type('what can you do');
    await page.keyboard.press('Enter');
    await transcript().getByText('what can you do').waitFor();
    await transcript()
      .getByText(/I can answer a few phrases/)
      .waitFor();
    expect(await input.inputValue()).toBe('');

    await input.fill('what time is it');
    await page.keyboard.press('Enter');
    const reply = transcript().getByText(/Your device says it is /);
    await reply.waitFor();
    // The agent repeats the time that the page's get_local_time client tool reported.
    const told = await transcript()
      .getByText(/get_local_time client tool/)
      .innerText();
    const time = told.match(/\(([^)]+)\)/)?.[1];
    expect(time).toBeTruthy();
    expect(await reply.innerText()).toBe(`Agent: Your device says it is ${time}.`);
  });

  it('has no accessibility violations that axe-core can find', async () => {
    await page.addScriptTag({ path: axePath });
    const results = await page.evaluate(() => (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run());
    const violations = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
    expect(violations).toEqual([]);
    expect(results.passes.length).toBeGreaterThan(0);
  });

  it('ends when the agent hangs up, and gives focus back to Start chat', async () => {
    await page.getByRole('textbox', { name: 'Message' }).fill('goodbye');
    await page.keyboard.press('Enter');
    await page.getByText('The agent ended the chat.').waitFor();
    expect(await page.getByRole('button', { name: 'Start chat' }).evaluate((b) => b === document.activeElement)).toBe(
      true,
    );
  });

  it('made no request outside 127.0.0.1', () => {
    expect(outside).toEqual([]);
  });
});
