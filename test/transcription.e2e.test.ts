// Speech to text in Chromium against the emulator, through the demo server's routes (the token endpoint holds the
// key): the fake microphone plays a WAV the emulator's synthesiser made. Realtime: partial then committed text equal
// to what was said, a dropped socket and a used token resumed with a fresh token (the text kept), and the typed
// errors when it cannot go on. Batch: a recorded take uploaded to the speech-to-text route comes back word for word
// with timings.
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SpeechTranscript } from '../packages/core/src/index.ts';
import { synthesize, toWav } from '../packages/emulator/src/index.ts';
import { wavFile } from './support/client-page.ts';
import { SPEECH_RETRY } from './support/speech-retry.ts';
import { describeViolations, runAxe, startDemo, type DemoServer } from './support/demo-server.ts';
import { launchBrowser, type WidgetBrowser } from './support/widget-site.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const RATE = 48_000;

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemo();
  // Warm up: Vite optimises the pages' dependencies on first sight and then reloads the page, which would wipe a
  // test's page state; let that happen here, once.
  const page = await demo.open('transcribe.html');
  await page.addScriptTag({
    type: 'module',
    content: `import * as core from '/@fs${repo}packages/core/src/index.ts'; window.core = core;`,
  });
  await page.waitForFunction(() => 'core' in window);
  await page.goto(new URL('recorder.html', demo.url).href);
  await page.getByRole('button', { name: 'Record', exact: true }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.close();
});
afterAll(() => demo?.close());

let browser: WidgetBrowser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

/** A fake microphone: silence, then each phrase in the emulator's voice with `gapMs` of silence after it. */
function micSaying(phrases: string[], { leadMs = 800, gapMs = 2500 } = {}) {
  const parts = phrases.map((phrase) => synthesize(phrase, RATE).samples);
  const gap = Math.round((gapMs * RATE) / 1000);
  const all = new Float32Array(parts.reduce((sum, part) => sum + part.length + gap, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length + gap;
  }
  return wavFile(toWav(all, RATE, { leadingSilenceMs: leadMs, trailingSilenceMs: 2000 }));
}

async function openWithMic(phrases: string[], options?: { leadMs?: number; gapMs?: number }): Promise<Page> {
  browser = await launchBrowser({ micWav: micSaying(phrases, options) });
  const page = await browser.open(demo.url);
  // The engine as the demo's Vite server serves it (a module script: evaluate's code cannot import).
  await page.addScriptTag({
    type: 'module',
    content: `import * as core from '/@fs${repo}packages/core/src/index.ts'; window.core = core;`,
  });
  await page.waitForFunction(() => 'core' in window);
  return page;
}

interface Seen {
  status: string;
  partial: string;
  text: string;
  committed: { text: string; words: { text: string; start: number; end: number; type: string }[] }[];
  error: { code: string; message: string } | null;
}

/**
 * Starts a RealtimeTranscriber in the page on the fake microphone; every snapshot lands in `window.seen`.
 * `badTokens`: how many of the first tokens are replaced by one the service refuses (as if it had expired).
 */
async function startRealtime(page: Page, options: { badTokens?: number; commitStrategy?: 'vad' | 'manual' } = {}) {
  await page.evaluate(
    async ({ badTokens, commitStrategy }) => {
      const w = window as unknown as Record<string, unknown>;
      const { RealtimeTranscriber } = w.core as typeof import('../packages/core/src/index.ts');
      const seen: unknown[] = [];
      let tokens = 0;
      const fresh = async () => {
        const res = await fetch('/api/elevenlabs/single-use-token/realtime_scribe', { method: 'POST' });
        return ((await res.json()) as { token: string }).token;
      };
      // The emulator refuses an unknown token as it refuses an expired or used one: auth_error, then close.
      const used = 'expired-single-use-token';
      const transcriber = new RealtimeTranscriber({
        baseUri: location.origin.replace(/^http/, 'ws'),
        commitStrategy,
        getToken: async () => (tokens++ < badTokens ? used : fresh()),
      });
      transcriber.subscribe(() => seen.push(transcriber.getSnapshot()));
      w.seen = seen;
      w.transcriber = transcriber;
      w.tokens = () => tokens;
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      w.stream = stream;
      w.started = transcriber.start(stream).then(
        () => 'ok',
        (error: { code: string }) => error.code,
      );
    },
    { badTokens: options.badTokens ?? 0, commitStrategy: options.commitStrategy ?? 'vad' },
  );
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: Seen[] }).seen);
const snapshot = async (page: Page) => (await seen(page)).at(-1)!;
const waitFor = async (page: Page, test: string, timeout = 20_000) => {
  try {
    await page.waitForFunction(`(() => { const s = window.seen.at(-1); return !!s && (${test}); })()`, undefined, {
      timeout,
      polling: 100,
    });
  } catch (error) {
    // Say what the transcriber went through, not only that the wait timed out.
    const lines = (await seen(page)).map(
      (s) => `${s.status} ${JSON.stringify(s.text)} ~${JSON.stringify(s.partial)} ${s.error?.message ?? ''}`,
    );
    throw new Error(`Waited for ${test}; the snapshots were:\n${[...new Set(lines)].join('\n')}`, { cause: error });
  }
};
const stop = (page: Page) =>
  page.evaluate(async () => {
    const w = window as unknown as { transcriber: { stop(): Promise<void> }; stream: MediaStream };
    await w.transcriber.stop();
    for (const track of w.stream.getTracks()) track.stop();
  });
const injectFaults = async (faults: Record<string, unknown>) => {
  const res = await fetch(new URL('/_emulator/stt-faults', demo.url), { method: 'POST', body: JSON.stringify(faults) });
  expect(res.status, await res.text()).toBe(200);
};
const sttRecords = async () => (await (await fetch(new URL('/_emulator/stt', demo.url))).json()) as unknown[];

describe('realtime transcription', SPEECH_RETRY, () => {
  it('shows the words as partial text, then commits exactly what was said, with word timings', async () => {
    const page = await openWithMic(['hello world', 'the second part']);
    await startRealtime(page);
    await waitFor(page, 's.committed.length >= 2', 30_000);
    await stop(page);
    const history = await seen(page);
    const last = history.at(-1)!;
    expect(last.status).toBe('done');
    expect(last.text).toBe('hello world the second part');
    expect(last.committed.map((c) => c.text)).toEqual(['hello world', 'the second part']);
    // Partial text came first, and grew into what was committed.
    const firstPartial = history.findIndex((s) => s.partial !== '');
    const firstCommit = history.findIndex((s) => s.committed.length > 0);
    expect(firstPartial).toBeGreaterThanOrEqual(0);
    expect(firstPartial).toBeLessThan(firstCommit);
    expect('hello world'.startsWith(history[firstPartial]!.partial)).toBe(true);
    // Timings: words in order, each with a start before its end, on the session's clock.
    const words = last.committed[0]!.words.filter((w) => w.type === 'word');
    expect(words.map((w) => w.text)).toEqual(['hello', 'world']);
    expect(words[0]!.start).toBeLessThan(words[0]!.end);
    expect(words[0]!.end).toBeLessThanOrEqual(words[1]!.start);
    expect(history.some((s) => s.status === 'transcribing')).toBe(true);
  });

  it('manual commit: nothing is committed until asked, then all of it', async () => {
    const page = await openWithMic(['press to commit'], { gapMs: 500 });
    await startRealtime(page, { commitStrategy: 'manual' });
    await waitFor(page, "s.partial === 'press to commit'");
    expect((await snapshot(page)).committed).toEqual([]);
    await page.evaluate(() => (window as unknown as { transcriber: { commit(): void } }).transcriber.commit());
    await waitFor(page, 's.committed.length === 1');
    expect((await snapshot(page)).text).toBe('press to commit');
  });

  it('a dropped socket is resumed with a fresh token, and no word is lost or doubled', async () => {
    // The first session is cut (no close frame) after the first phrase, before the second.
    await injectFaults({ drop_after_ms: 3500 });
    const before = (await sttRecords()).length;
    const page = await openWithMic(['before the drop', 'after the drop'], { gapMs: 2500 });
    await startRealtime(page);
    await waitFor(page, 's.committed.length >= 2', 40_000);
    await stop(page);
    const history = await seen(page);
    expect(history.at(-1)!.text).toBe('before the drop after the drop');
    // It went back to connecting once, keeping the committed text, and a second session carried on.
    const reconnecting = history.findIndex((s, i) => i > 0 && s.status === 'connecting');
    expect(reconnecting).toBeGreaterThan(0);
    expect(history[reconnecting]!.text).toBe(history[reconnecting - 1]!.text);
    expect(await page.evaluate(() => (window as unknown as { tokens(): number }).tokens())).toBe(2);
    expect((await sttRecords()).length - before).toBeGreaterThanOrEqual(2);
  });

  it('a session ended by the service (session time limit) is resumed too', async () => {
    await injectFaults({ error_after_ms: 3000, error_type: 'session_time_limit_exceeded' });
    const page = await openWithMic(['one more time', 'still here']);
    await startRealtime(page);
    await waitFor(page, 's.committed.length >= 2', 40_000);
    await stop(page);
    expect((await snapshot(page)).text).toBe('one more time still here');
    expect(await page.evaluate(() => (window as unknown as { tokens(): number }).tokens())).toBe(2);
  });

  it('paused: a session the service ends meanwhile is reopened on resume, not before; the text is kept', async () => {
    // The service ends the first session (session time limit) about 2.5 s after the first phrase, while paused.
    await injectFaults({ error_after_ms: 4500, error_type: 'session_time_limit_exceeded' });
    const before = (await sttRecords()).length;
    const page = await openWithMic(['before the pause', 'after the pause'], { gapMs: 4500 });
    await startRealtime(page);
    await waitFor(page, "(s.text + ' ' + s.partial).trim() === 'before the pause'");
    await page.evaluate(() => (window as unknown as { transcriber: { pause(): Promise<void> } }).transcriber.pause());
    await waitFor(page, "s.text === 'before the pause'");
    const first = async () => ((await sttRecords())[before] as { status: string } | undefined)?.status;
    await expect.poll(first, { timeout: 10_000 }).not.toBe('in-progress');
    // Ended while paused: still paused, and no new token until resume.
    expect((await snapshot(page)).status).toBe('paused');
    expect(await page.evaluate(() => (window as unknown as { tokens(): number }).tokens())).toBe(1);
    await page.evaluate(() => (window as unknown as { transcriber: { resume(): void } }).transcriber.resume());
    await waitFor(page, 's.committed.length >= 2', 30_000);
    await stop(page);
    expect((await snapshot(page)).text).toBe('before the pause after the pause');
    expect(await page.evaluate(() => (window as unknown as { tokens(): number }).tokens())).toBe(2);
  });

  it('stopping before the session has started still transcribes what was said meanwhile', async () => {
    const page = await openWithMic(['said while connecting'], { gapMs: 500 });
    await page.evaluate(async () => {
      const w = window as unknown as Record<string, unknown>;
      const { RealtimeTranscriber, capturePcm } = w.core as typeof import('../packages/core/src/index.ts');
      const seen: unknown[] = [];
      // The token route answers only once stop() has been asked for: the whole phrase is spoken while connecting.
      let requestStop = () => {};
      const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
      const transcriber = new RealtimeTranscriber({
        baseUri: location.origin.replace(/^http/, 'ws'),
        getToken: async () => {
          await stopRequested;
          const res = await fetch('/api/elevenlabs/single-use-token/realtime_scribe', { method: 'POST' });
          return ((await res.json()) as { token: string }).token;
        },
      });
      transcriber.subscribe(() => seen.push(transcriber.getSnapshot()));
      w.seen = seen;
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      void transcriber.start(stream);
      // Stop when the page has heard the phrase end (a second capture of the same microphone: sound, then 700 ms of
      // silence), not after a fixed time: on a busy machine the audio runs behind the clock.
      let heard = false;
      let quiet = 0;
      let phraseOver = () => {};
      const over = new Promise<void>((resolve) => (phraseOver = resolve));
      const watch = await capturePcm(stream, (chunk) => {
        if (chunk.some((sample) => Math.abs(sample) > 1000)) [heard, quiet] = [true, 0];
        else if (heard && (quiet += chunk.length) >= 0.7 * 16000) phraseOver();
      });
      await over;
      watch.close();
      w.statusAtStop = transcriber.getSnapshot().status;
      requestStop();
      await transcriber.stop();
      for (const track of stream.getTracks()) track.stop();
    });
    const history = await seen(page);
    expect(await page.evaluate(() => (window as unknown as { statusAtStop: string }).statusAtStop)).toBe('connecting');
    expect(history.at(-1)).toMatchObject({ status: 'done', text: 'said while connecting' });
    // stop() waited for the timestamped commit too: the words have their timings.
    const words = history
      .at(-1)!
      .committed.flatMap((c) => c.words)
      .filter((w) => w.type === 'word');
    expect(words.map((w) => w.text)).toEqual(['said', 'while', 'connecting']);
  });

  it('an expired token is replaced by a fresh one', async () => {
    const page = await openWithMic(['fresh token']);
    await startRealtime(page, { badTokens: 1 });
    await waitFor(page, 's.committed.length >= 1');
    expect((await snapshot(page)).text).toBe('fresh token');
    expect(await page.evaluate(() => (window as unknown as { started: Promise<string> }).started)).toBe('ok');
  });

  it('tokens that are always refused end in a typed auth error', async () => {
    const page = await openWithMic(['never heard']);
    await startRealtime(page, { badTokens: 99 });
    await waitFor(page, "s.status === 'error'");
    expect((await snapshot(page)).error?.code).toBe('auth');
    expect(await page.evaluate(() => (window as unknown as { started: Promise<string> }).started)).toBe('auth');
  });

  it('a used-up quota is a typed quota error, not a reconnection loop', async () => {
    await injectFaults({ quota_exceeded: true });
    const page = await openWithMic(['no quota']);
    await startRealtime(page);
    await waitFor(page, "s.status === 'error'");
    expect((await snapshot(page)).error?.code).toBe('quota');
    expect(await page.evaluate(() => (window as unknown as { tokens(): number }).tokens())).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { started: Promise<string> }).started)).toBe('quota');
  });
});

interface BatchResult {
  result?: SpeechTranscript;
  error?: { code: string; message: string };
  snapshot: Seen;
}

/** Records `ms` of the fake microphone with MediaRecorder (WebM/Opus, as the recorder's compressed take), or uploads `bytes`. */
async function transcribeInPage(page: Page, what: { recordMs: number } | { bytes: number[]; type: string }) {
  return page.evaluate(async (what): Promise<BatchResult> => {
    const w = window as unknown as { core: typeof import('../packages/core/src/index.ts') };
    let take: Blob;
    if ('recordMs' in what) {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const recorder = new MediaRecorder(stream, { mimeType: 'audio/webm;codecs=opus' });
      const parts: Blob[] = [];
      recorder.ondataavailable = (event) => parts.push(event.data);
      const stopped = new Promise((resolve) => (recorder.onstop = resolve));
      recorder.start();
      await new Promise((resolve) => setTimeout(resolve, what.recordMs));
      recorder.stop();
      await stopped;
      for (const track of stream.getTracks()) track.stop();
      take = new Blob(parts, { type: recorder.mimeType });
    } else {
      take = new Blob([new Uint8Array(what.bytes)], { type: what.type });
    }
    const transcriber = new w.core.BatchTranscriber();
    try {
      const result = await transcriber.transcribe(take);
      return { result, snapshot: transcriber.getSnapshot() as Seen };
    } catch (error) {
      const { code, message } = error as { code: string; message: string };
      return { error: { code, message }, snapshot: transcriber.getSnapshot() as Seen };
    }
  }, what);
}

describe('batch transcription', () => {
  it('a recorded take comes back word for word, with timings that match the speech', async () => {
    const phrase = 'send the report on friday';
    const page = await openWithMic([phrase], { leadMs: 600, gapMs: 500 });
    const speechMs = synthesize(phrase, RATE).durationMs;
    const { result, snapshot, error } = await transcribeInPage(page, { recordMs: 600 + speechMs + 1200 });
    expect(error).toBeUndefined();
    expect(result!.text).toBe(phrase);
    expect(snapshot).toMatchObject({ status: 'done', text: phrase, partial: '' });
    const words = result!.words.filter((w) => w.type === 'word');
    expect(words.map((w) => w.text)).toEqual(phrase.split(' '));
    for (const [i, word] of words.entries()) {
      expect(word.start).toBeLessThan(word.end);
      if (i) expect(word.start).toBeGreaterThanOrEqual(words[i - 1]!.end);
    }
    // From the first word's start to the last one's end is the length of the speech (the synthesiser's own plan).
    const span = words.at(-1)!.end - words[0]!.start;
    expect(Math.abs(span * 1000 - speechMs)).toBeLessThan(250);
  });

  it('something that is not audio is refused as an invalid request', async () => {
    const page = await openWithMic(['unused']);
    const { error, snapshot } = await transcribeInPage(page, {
      bytes: [...new TextEncoder().encode('not audio at all')],
      type: 'audio/wav',
    });
    expect(error?.code).toBe('invalid-request');
    expect(snapshot.status).toBe('error');
  });

  it('a used-up quota is a typed quota error', async () => {
    await injectFaults({ quota_exceeded: true });
    const page = await openWithMic(['unused']);
    const wav = [...toWav(synthesize('quota', 16_000).samples, 16_000)];
    const { error } = await transcribeInPage(page, { bytes: wav, type: 'audio/wav' });
    expect(error?.code).toBe('quota');
  });
});

describe('the demo page (demo/transcribe.html)', SPEECH_RETRY, () => {
  const openDemo = async (phrases: string[]) => {
    browser = await launchBrowser({ micWav: micSaying(phrases, { leadMs: 600, gapMs: 2500 }) });
    return browser.open(new URL('transcribe.html', demo.url).href);
  };

  it('transcribes both ways: live while recording, then the recording with word timings', async () => {
    const phrase = 'water the plants';
    const page = await openDemo([phrase]);
    expect(describeViolations(await runAxe(page))).toEqual([]);
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.getByTestId('live-committed').getByText(phrase, { exact: true }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByText(/^Recorded \d/).waitFor();
    await page.getByRole('button', { name: 'Transcribe the recording' }).click();
    await page.getByTestId('batch-text').getByText(phrase, { exact: true }).waitFor({ timeout: 20_000 });
    const words = page.getByRole('list', { name: 'Words with timings' }).getByRole('listitem');
    expect(await words.allInnerTexts()).toEqual(
      phrase.split(' ').map((w) => expect.stringMatching(new RegExp(`^${w} \\d+\\.\\d\\d s–\\d+\\.\\d\\d s$`))),
    );
    expect(describeViolations(await runAxe(page))).toEqual([]);
    expect(demo.outside).toEqual([]);
  });

  it('dictates into a field: the words land in the message, and it sends', async () => {
    const phrase = 'see you at noon';
    const page = await openDemo([phrase]);
    const field = page.getByRole('textbox', { name: 'Message' });
    const mic = page.getByRole('button', { name: 'Dictate' });
    await mic.click();
    expect(await mic.getAttribute('aria-pressed')).toBe('true');
    await page.waitForFunction(
      (expected) => (document.querySelector('textarea') as HTMLTextAreaElement).value === expected,
      phrase,
      { timeout: 20_000 },
    );
    expect(describeViolations(await runAxe(page))).toEqual([]);
    await mic.click();
    await page.getByRole('status').getByText('Dictation added.').waitFor();
    expect(await field.inputValue()).toBe(phrase);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(`Sent: ${phrase}`).waitFor();
    expect(await field.inputValue()).toBe('');
    expect(describeViolations(await runAxe(page))).toEqual([]);
  });
});

describe('the recorder demo page (demo/recorder.html)', SPEECH_RETRY, () => {
  it('pausing the recording pauses the live words: what is said meanwhile is not transcribed', async () => {
    browser = await launchBrowser({ micWav: micSaying(['first part', 'said while paused', 'after the pause']) });
    const page = await browser.open(new URL('recorder.html', demo.url).href);
    const live = page.getByTestId('recorder-live');
    const committed = live.locator('[aria-live]');
    const meter = page.getByRole('meter', { name: 'Microphone level', exact: true });
    const level = async () => Number(await meter.getAttribute('aria-valuenow'));
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(() => live.textContent(), { timeout: 20_000 }).toContain('first part');
    await page.getByRole('button', { name: 'Pause recording', exact: true }).click();
    await expect.poll(() => committed.textContent()).toBe('first part');
    // The microphone still hears the second phrase (the meter moves), but nothing of it is sent.
    await expect.poll(level, { timeout: 10_000 }).toBeGreaterThan(5);
    await expect.poll(level, { timeout: 10_000 }).toBe(0);
    await page.getByRole('button', { name: 'Resume recording', exact: true }).click();
    await expect.poll(() => committed.textContent(), { timeout: 20_000 }).toBe('first part after the pause');
    await page.getByRole('button', { name: 'Stop recording', exact: true }).click();
    expect(await committed.textContent()).toBe('first part after the pause');
    expect(describeViolations(await runAxe(page))).toEqual([]);
  });

  it('switching microphones while recording: the live words follow the new one, the text so far kept', async () => {
    // Each fake device plays the file from its start when opened: the new microphone says the phrase again.
    const phrase = 'one microphone then another';
    browser = await launchBrowser({ micWav: micSaying([phrase], { leadMs: 800, gapMs: 6000 }) });
    const page = await browser.open(new URL('recorder.html', demo.url).href);
    const committed = page.getByTestId('recorder-live').locator('[aria-live]');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(() => committed.textContent(), { timeout: 20_000 }).toBe(phrase);
    await page.getByRole('combobox', { name: 'Microphone', exact: true }).selectOption({ label: 'Fake Audio Input 2' });
    await expect.poll(() => committed.textContent(), { timeout: 20_000 }).toBe(`${phrase} ${phrase}`);
    await page.getByRole('button', { name: 'Stop recording', exact: true }).click();
    expect(await committed.textContent()).toBe(`${phrase} ${phrase}`);
  });

  it('shows the words live while recording, transcribes the take after, and offers dictation', async () => {
    const phrase = 'pick up the keys';
    browser = await launchBrowser({ micWav: micSaying([phrase], { leadMs: 600, gapMs: 2500 }) });
    const page = await browser.open(new URL('recorder.html', demo.url).href);
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.getByTestId('recorder-live').getByText(phrase, { exact: true }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Stop recording', exact: true }).click();
    await page.getByRole('button', { name: 'Transcribe the recording' }).click();
    await page.getByText(`Transcript: ${phrase}`, { exact: true }).waitFor({ timeout: 20_000 });
    const words = page.getByRole('list', { name: 'Words with timings' }).getByRole('listitem');
    expect((await words.allInnerTexts()).map((text) => text.split(' ')[0])).toEqual(phrase.split(' '));
    await page.getByRole('textbox', { name: 'Dictate a note' }).waitFor();
    expect(await page.getByRole('button', { name: 'Dictate' }).getAttribute('aria-pressed')).toBe('false');
    expect(describeViolations(await runAxe(page))).toEqual([]);
  });
});
