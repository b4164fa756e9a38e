// Real Chromium (playwright-core) on a page that loads the official @elevenlabs/client build, optionally with a
// fake microphone playing a WAV file once. Served from 127.0.0.1 by a tiny static server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';

const require = createRequire(import.meta.url);
// The package's own script-tag build (its `unpkg` entry), as a CDN would serve it.
const clientBuild = readFileSync(path.join(path.dirname(require.resolve('@elevenlabs/client')), 'lib.iife.js'));
const html = '<!doctype html><html lang="en"><title>client</title><script src="/client.js"></script></html>';

export interface ClientPage {
  page: Page;
  /** Requests the page made to hosts other than 127.0.0.1. */
  foreignRequests: string[];
  close(): Promise<void>;
}

const MIC_DIR_PREFIX = path.join(tmpdir(), 'elevenkit-mic-');

/** Writes WAV bytes to a temporary file for `--use-file-for-fake-audio-capture` (removed when the page closes). */
export function wavFile(bytes: Uint8Array, name = 'mic.wav') {
  const file = path.join(mkdtempSync(MIC_DIR_PREFIX), name);
  writeFileSync(file, bytes);
  return file;
}

export async function openClientPage(options: { micWav?: string } = {}): Promise<ClientPage> {
  const server = createServer((req, res) => {
    if (req.url === '/client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(clientBuild);
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const mic = options.micWav ? [`--use-file-for-fake-audio-capture=${options.micWav}%noloop`] : [];
  const browser: Browser = await chromium.launch({
    executablePath: findChromium() ?? '/usr/bin/chromium',
    headless: true,
    args: [...chromiumArgs, ...mic],
  });
  const page = await browser.newPage();
  const foreignRequests: string[] = [];
  page.on('request', (request) => {
    const { hostname } = new URL(request.url());
    if (hostname !== '127.0.0.1' && !request.url().startsWith('data:')) foreignRequests.push(request.url());
  });
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  return {
    page,
    foreignRequests,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      if (options.micWav?.startsWith(MIC_DIR_PREFIX))
        rmSync(path.dirname(options.micWav), { recursive: true, force: true });
    },
  };
}
