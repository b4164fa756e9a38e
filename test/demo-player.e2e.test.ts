// The demo's speech player page, used as a person would: type text, press Speak, and the audio streams from the demo
// server's text-to-speech route (@elevenkit/server, the emulator behind it), plays, and each word lights up in turn.
// axe-core checks the page before, while and after it plays; nothing leaves 127.0.0.1 and the key never reaches it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, runAxe, startDemo, type DemoServer } from './support/demo-server.ts';

/** The development key the demo's route holds (vite.config.ts). */
const DEV_API_KEY = 'elevenkit-dev-key';
const TEXT = 'Every word lights up in order while the voice speaks it.';

let demo: DemoServer;
let page: Page;

beforeAll(async () => {
  demo = await startDemo();
  page = await demo.open('player.html');
  await page.getByRole('button', { name: 'Speak' }).waitFor();
});

afterAll(() => demo?.close());

async function expectNoAxeViolations() {
  expect(describeViolations(await runAxe(page))).toEqual([]);
}

const status = () => page.getByRole('status').first().getAttribute('data-state');

describe('the speech player page', () => {
  it('has no accessibility violations before anything plays', async () => {
    expect(await page.title()).toBe('elevenkit: the speech player');
    await expectNoAxeViolations();
  });

  it('speaks the typed text through the server route; the words light up in order as it plays', async () => {
    await page.getByLabel('Text').fill(TEXT);
    // Every word the page marks as the current one, by its place in the transcript (a word's text may still be
    // growing while the first of its characters' timing has arrived).
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { currentWords: number[] }).currentWords = seen;
      new MutationObserver(() => {
        const words = [...document.querySelectorAll('.ek-word')];
        const index = words.findIndex((word) => word.getAttribute('aria-current') === 'true');
        if (index >= 0 && seen.at(-1) !== index) seen.push(index);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/elevenlabs/text-to-speech');
    await page.getByRole('button', { name: 'Speak' }).click();

    const response = await answer;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^application\/x-ndjson/);
    const request = response.request().postDataJSON();
    expect(request).toMatchObject({ text: TEXT, voice_id: '21m00Tcm4TlvDq8ikWAM' });

    await expect.poll(status, { timeout: 20_000 }).toBe('playing');

    await expect.poll(status, { timeout: 30_000 }).toBe('ended');
    const words = (await page.locator('.ek-word').allTextContents()).map((word) => word.trim());
    expect(words.join(' ')).toBe(TEXT);
    const current = await page.evaluate(() => (window as unknown as { currentWords: number[] }).currentWords);
    expect(current).toEqual(words.map((_, index) => index));
    // The scrub bar went all the way: the whole audio played.
    const slider = page.getByRole('slider', { name: 'Seek', exact: true });
    expect(Number(await slider.getAttribute('max'))).toBeGreaterThan(1);
    expect(await slider.getAttribute('aria-valuetext')).toMatch(/^(\d+ seconds?) of \1$/);
    // What the page can read of the route, its headers included, never holds the key.
    const seen = await page.evaluate(async () => {
      const answer = await fetch('/api/elevenlabs/text-to-speech', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Key?', voice_id: '21m00Tcm4TlvDq8ikWAM' }),
      });
      return `${JSON.stringify([...answer.headers])} ${await answer.text()}`;
    });
    expect(seen).toContain('audio_base64');
    expect(seen).not.toContain(DEV_API_KEY);
  });

  it('has no accessibility violations while playing (replayed: axe holds the page up long enough to skip a word)', async () => {
    await page.getByRole('button', { name: 'Replay' }).click();
    await expect.poll(status, { timeout: 10_000 }).toBe('playing');
    await expectNoAxeViolations();
  });

  it('has no accessibility violations after playing', async () => {
    await expect.poll(status, { timeout: 30_000 }).toBe('ended');
    await expectNoAxeViolations();
    expect(demo.outside).toEqual([]);
  });
});
