// The demo's recorder page, used as a person would, in Chromium whose fake microphone plays a phrase the emulator's
// synthesiser spoke: Record, watch the level and the timer, Stop, play the take back. The take is downloaded and sent
// to the demo server's speech-to-text route, which recognises the emulator's voice exactly: the recording holds
// what was said. axe-core checks the page before, while and after recording; nothing leaves 127.0.0.1.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize, toWav } from '../packages/emulator/src/index.ts';
import { wavFile } from './support/client-page.ts';
import { describeViolations, runAxe, startDemo, type DemoServer } from './support/demo-server.ts';
import { launchBrowser, type WidgetBrowser } from './support/widget-site.ts';

/** What the fake microphone says, after a second of silence (Chromium's capture rate, so it plays as written). */
const PHRASE = 'Testing the recorder page one two three';
const RATE = 48_000;

let demo: DemoServer;
let browser: WidgetBrowser;
let page: Page;

beforeAll(async () => {
  demo = await startDemo();
  const wav = toWav(synthesize(PHRASE, RATE).samples, RATE, { leadingSilenceMs: 1000, trailingSilenceMs: 1000 });
  browser = await launchBrowser({ micWav: wavFile(wav, 'recorder-page.wav') });
  page = await browser.open(new URL('recorder.html', demo.url).href);
  await page.getByRole('button', { name: 'Record', exact: true }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function expectNoAxeViolations() {
  expect(describeViolations(await runAxe(page))).toEqual([]);
}

const recorder = () => page.getByRole('group', { name: 'Recorder', exact: true });
const status = () => recorder().getByRole('status').first();
/** The timer in seconds. */
const timerSeconds = async () => {
  const [m, s] = (await recorder().getByRole('timer').textContent())!.split(':').map(Number);
  return m! * 60 + s!;
};

/** Downloads the take, sends it to the demo's speech-to-text route, and returns the text (lower case, no punctuation). */
async function transcribeDownload(name: RegExp): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download recording', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(name);
  const bytes = await readFile((await file.path())!);
  const form = new FormData();
  // The route accepts audio types only: the one the file's extension says.
  const types: Record<string, string> = { webm: 'audio/webm', wav: 'audio/wav', m4a: 'audio/mp4', ogg: 'audio/ogg' };
  const type = types[file.suggestedFilename().split('.').pop()!]!;
  form.append('file', new Blob([bytes], { type }), file.suggestedFilename());
  form.append('model_id', 'scribe_v1');
  const response = await fetch(new URL('api/elevenlabs/speech-to-text', demo.url), { method: 'POST', body: form });
  expect(response.status).toBe(200);
  const transcript = (await response.json()) as { text: string };
  return transcript.text
    .trim()
    .toLowerCase()
    .replace(/[.,!?]/g, '');
}

describe('the recorder page', () => {
  it('is linked from the hub and has no accessibility violations before recording', async () => {
    const hub = await browser.open(demo.url);
    expect(await hub.getByRole('link', { name: 'The recorder', exact: true }).getAttribute('href')).toBe(
      './recorder.html',
    );
    await hub.close();
    expect(await page.title()).toBe('elevenkit: the recorder');
    expect(await recorder().getAttribute('data-state')).toBe('idle');
    await expectNoAxeViolations();
  });

  it('records what the microphone hears: the status, the timer and the level meter follow', async () => {
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(() => status().textContent(), { timeout: 10_000 }).toBe('Recording');
    // The pressed button is disabled now; focus went on to Stop.
    expect(
      await page
        .getByRole('button', { name: 'Stop recording', exact: true })
        .evaluate((b) => b === document.activeElement),
    ).toBe(true);
    const meter = recorder().getByRole('meter', { name: 'Microphone level', exact: true });
    await expect
      .poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 10_000 })
      .toBeGreaterThan(5);
    expect(
      await page
        .getByRole('combobox', { name: 'Microphone', exact: true })
        .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent),
    ).toMatch(/Fake/);
    await expectNoAxeViolations();
    // The phrase is about three seconds after a second of silence.
    await expect.poll(timerSeconds, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
  });

  it('stops, says how long the take is, and plays it back to the end with its level moving', async () => {
    await page.getByRole('button', { name: 'Stop recording', exact: true }).click();
    await expect.poll(() => status().textContent()).toMatch(/^Recording stopped\. \d+ seconds recorded\.$/);
    const take = page.getByRole('group', { name: 'Your recording', exact: true });
    await expect.poll(() => take.locator('.ek-duration').textContent(), { timeout: 10_000 }).toMatch(/^0:0[5-9]$/);
    const playbackLevel = take.getByRole('meter', { name: 'Playback level', exact: true });
    await page.evaluate(() => {
      // The loudest the playback meter shows while the take plays.
      const w = window as unknown as { loudest: number };
      w.loudest = 0;
      const meter = document.querySelector<HTMLElement>('[aria-label="Playback level"]')!;
      const watch = () => {
        w.loudest = Math.max(w.loudest, Number(meter.style.getPropertyValue('--ek-level') || 0));
        requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    });
    await take.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => take.getByRole('status').textContent(), { timeout: 20_000 }).toBe('Finished');
    expect(await playbackLevel.count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { loudest: number }).loudest)).toBeGreaterThan(0.2);
    await expectNoAxeViolations();
  });

  it('the take holds what was said: downloaded and transcribed by the server route, word for word', async () => {
    expect(await transcribeDownload(/^recording\.(webm|m4a|ogg)$/)).toBe(PHRASE.toLowerCase());
  });

  it('discards the take and makes no request outside 127.0.0.1', async () => {
    await page.getByRole('button', { name: 'Discard recording', exact: true }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Your recording', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Record', exact: true }).isEnabled()).toBe(true);
    expect(browser.foreign).toEqual([]);
  });

  it('records WAV too: the same phrase, word for word', async () => {
    await page.getByLabel('Format').selectOption('wav');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(() => status().textContent(), { timeout: 10_000 }).toBe('Recording');
    await expect.poll(timerSeconds, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    await page.getByRole('button', { name: 'Stop recording', exact: true }).click();
    await expect.poll(() => status().textContent()).toMatch(/^Recording stopped\./);
    expect(await transcribeDownload(/^recording\.wav$/)).toBe(PHRASE.toLowerCase());
    expect(browser.foreign).toEqual([]);
  });
});
