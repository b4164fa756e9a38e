// The recorder where the microphone is refused: Chromium without the flag that answers every prompt with "allow",
// and with the one that answers "block" (--deny-permission-prompts), on the demo server's page. The snapshot says
// `denied` with a sentence, and nothing was left open.
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';
import { startDemo, type DemoServer } from './support/demo-server.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));

let demo: DemoServer;
let browser: Browser;
beforeAll(async () => {
  demo = await startDemo();
  browser = await chromium.launch({
    executablePath: findChromium() ?? '/usr/bin/chromium',
    headless: true,
    args: [...chromiumArgs.filter((arg) => arg !== '--use-fake-ui-for-media-stream'), '--deny-permission-prompts'],
  });
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

it('says the microphone was denied, and why, when the browser blocks it', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(demo.url);
  // The engine as the demo's Vite server serves it (a module script: evaluate's code cannot import).
  await page.addScriptTag({
    type: 'module',
    content: `import * as core from '/@fs${repo}packages/core/src/index.ts'; window.core = core;`,
  });
  await page.waitForFunction(() => 'core' in window);
  const result = await page.evaluate(async () => {
    const { Recorder, MediaDevicesStore } = (
      window as unknown as { core: typeof import('../packages/core/src/index.ts') }
    ).core;
    const devices = new MediaDevicesStore();
    const recorder = new Recorder({ format: 'wav' });
    const statuses: string[] = [];
    recorder.subscribe(() => statuses.push(recorder.getSnapshot().status));
    await recorder.start();
    await devices.refresh();
    return {
      snapshot: recorder.getSnapshot(),
      statuses,
      stream: recorder.stream,
      labels: devices.getSnapshot().devices.map((d) => d.label),
    };
  });
  expect(result.statuses).toEqual(['requesting', 'error']);
  expect(result.snapshot.error?.reason).toBe('denied');
  expect(result.snapshot.error?.message).toMatch(/site settings/);
  expect(result.stream).toBeNull();
  // No permission, no labels.
  expect(result.labels.every((label) => label === '')).toBe(true);
});
