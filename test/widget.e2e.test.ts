// The <elevenlabs-convai> widget as a CMS user pastes it: a plain HTML page with only the element and the one-file
// script tag, in real Chromium, against the emulator on the same origin (issue 4's proof). The fake microphone plays
// WAV files the emulator's own synthesiser made, so the words it hears are known exactly.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { synthesize, toWav, type AgentDefinition } from '../packages/emulator/src/index.ts';
import { buildWidgetFiles } from '../packages/widget/build.mjs';
import { wavFile } from './support/client-page.ts';
import {
  launchBrowser,
  scriptTagPage,
  startWidgetSite,
  type WidgetBrowser,
  type WidgetSite,
} from './support/widget-site.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const quiet = { turn_timeout_seconds: -1 };
/** The agents of this file: one per behaviour under test. */
const AGENTS: AgentDefinition[] = [
  {
    agent_id: 'w-voice',
    first_message: 'Hello from the widget.',
    rules: [{ match: 'what can you do', reply: 'I can answer you.' }],
    ...quiet,
  },
  {
    agent_id: 'w-long',
    first_message:
      'Let me tell you a very long story about the history of speech synthesis, from the first mechanical talking machines to the neural voices of today, in great detail.',
    rules: [{ match: 'stop', reply: 'Stopped.' }],
    ...quiet,
  },
  {
    agent_id: 'w-text',
    text_only: true,
    first_message: 'Hi, type to me.',
    rules: [{ match: 'what can you do', reply: 'I can chat with you in text.' }],
    ...quiet,
  },
  {
    // A voice agent that may also chat by text: typing starts a text-only conversation.
    agent_id: 'w-both',
    first_message: 'Hello, talk or type.',
    overrides: { conversation: { text_only: true } },
    widget: { transcript_enabled: true, text_input_enabled: true },
    rules: [{ match: 'what can you do', reply: 'I can talk and chat.' }],
    ...quiet,
  },
  {
    agent_id: 'w-tools',
    text_only: true,
    first_message: 'Ask me about the weather.',
    client_tools: [{ name: 'get_weather', expects_response: true, timeout_seconds: 5 }],
    rules: [
      {
        match: 'weather',
        tool: { name: 'get_weather', parameters: { city: 'Paris' } },
        reply: 'In Paris it is {{result}}.',
      },
    ],
    ...quiet,
  },
  {
    // Asks for stars after the conversation (widget_config.end_feedback), as the official widget does.
    agent_id: 'w-rated',
    text_only: true,
    first_message: 'Rate me after.',
    widget: { end_feedback: { type: 'rating' } },
    ...quiet,
  },
  {
    agent_id: 'w-thumbs',
    text_only: true,
    first_message: 'Thumbs after.',
    widget: { feedback_mode: 'end' },
    ...quiet,
  },
  {
    // Slow to answer: a conversation stays "connecting" for 1.5 s.
    agent_id: 'w-slow',
    text_only: true,
    first_message: 'Hi, slowly.',
    faults: { latency_ms: 1500 },
    ...quiet,
  },
  {
    // Colours and radii set in the dashboard: the widget_config.styles the widget themes itself with.
    agent_id: 'w-styled',
    first_message: 'Hello in colour.',
    widget: { styles: { base: '#fef3c7', accent: '#7c2d12', button_radius: 4 } },
    ...quiet,
  },
  {
    agent_id: 'w-private',
    auth_required: true,
    text_only: true,
    first_message: 'This is a private agent.',
    rules: [{ match: 'secret', reply: 'Only signed visitors hear this.' }],
    ...quiet,
  },
];

let site: WidgetSite;
beforeAll(async () => {
  site = await startWidgetSite(AGENTS, await buildWidgetFiles());
});
afterAll(() => site?.close());

/** What the page saw, recorded by an init script before any page script runs. */
interface PageLog {
  events: { type: string; id: string; detail: Record<string, unknown>; statusText?: string | null }[];
  getUserMedia: number;
  tracks: MediaStreamTrack[];
  csp: string[];
}

function recordPage() {
  const log: PageLog = { events: [], getUserMedia: 0, tracks: [], csp: [] };
  (window as unknown as { __log: PageLog }).__log = log;
  for (const type of ['call', 'connect', 'disconnect', 'status', 'mode', 'message', 'tool-call', 'error']) {
    document.addEventListener(`elevenlabs-convai:${type}`, async (event) => {
      const element = event.composedPath()[0] as HTMLElement & { updateComplete?: Promise<unknown> };
      const detail = type === 'call' ? {} : JSON.parse(JSON.stringify((event as CustomEvent).detail ?? {}));
      const entry: PageLog['events'][number] = { type, id: element.id, detail };
      log.events.push(entry);
      if (type === 'mode' || type === 'status') {
        // What the status line says once the widget has drawn this change.
        await new Promise((resolve) => setTimeout(resolve));
        await element.updateComplete;
        entry.statusText = element.shadowRoot?.querySelector('[role=status]')?.textContent?.trim() ?? null;
      }
    });
  }
  const devices = navigator.mediaDevices;
  if (devices?.getUserMedia) {
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      log.getUserMedia++;
      const stream = await getUserMedia(constraints);
      log.tracks.push(...stream.getTracks());
      return stream;
    };
  }
  document.addEventListener('securitypolicyviolation', (event) =>
    log.csp.push(`${event.violatedDirective} ${event.blockedURI}`),
  );
}

interface Opened {
  page: Page;
  /** console.error and console.warn lines, and uncaught page errors. */
  errors: string[];
  warnings: string[];
}

/** One Chromium for every page that needs no particular microphone (its fake one hears silence); a context each. */
let shared: { browser: WidgetBrowser; mic: string } | undefined;
/** Browsers of one test: a microphone saying something, or none allowed. */
const own: WidgetBrowser[] = [];
const pages: Page[] = [];
const mics: string[] = [];
afterEach(async () => {
  const foreign = [...(shared?.browser.foreign.splice(0) ?? []), ...own.flatMap((browser) => browser.foreign)];
  await Promise.all(pages.splice(0).map((page) => page.context().close()));
  await Promise.all(own.splice(0).map((browser) => browser.close()));
  for (const file of mics.splice(0)) rmSync(path.dirname(file), { recursive: true, force: true });
  // The size and privacy budget: nothing leaves the page's origin, in any test.
  expect(foreign).toEqual([]);
});
afterAll(async () => {
  await shared?.browser.close();
  if (shared) rmSync(path.dirname(shared.mic), { recursive: true, force: true });
});

let pageCount = 0;
/**
 * Serves `html` at a fresh path and opens it, recording as above: in the shared Chromium, or in one of its own when
 * the test needs its microphone to say something (`micWav`) or to be refused (`denyMicrophone`).
 */
async function open(
  html: string,
  options: {
    micWav?: string;
    denyMicrophone?: boolean;
    headers?: Record<string, string>;
    initScript?: string;
    /** Runs before the page loads (e.g. to route its requests). */
    beforeLoad?: (page: Page) => Promise<unknown>;
  } = {},
): Promise<Opened> {
  let browser: WidgetBrowser;
  if (options.micWav || options.denyMicrophone) {
    browser = await launchBrowser({ micWav: options.micWav, denyMicrophone: options.denyMicrophone });
    own.push(browser);
  } else {
    // Chromium's default fake microphone beeps, which the agent would answer; this one is silent.
    const mic = wavFile(toWav(new Float32Array(0), 48_000, { leadingSilenceMs: 500, trailingSilenceMs: 500 }));
    shared ??= { browser: await launchBrowser({ micWav: mic }), mic };
    if (shared.mic !== mic) rmSync(path.dirname(mic), { recursive: true, force: true });
    browser = shared.browser;
  }
  const page = await browser.open('about:blank');
  pages.push(page);
  const errors: string[] = [];
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.location().url.endsWith('/favicon.ico')) return; // Chromium asks every site for one
    if (message.type() === 'error') errors.push(message.text());
    if (message.type() === 'warning') warnings.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.addInitScript(recordPage);
  if (options.initScript) await page.addInitScript({ content: options.initScript });
  await options.beforeLoad?.(page);
  await page.goto(site.page(`/page-${++pageCount}`, html, options.headers));
  return { page, errors, warnings };
}

/** A fake microphone: `silenceMs` of silence, `text` in the emulator's voice, then `afterMs` of silence. */
function micSaying(text: string, silenceMs: number, afterMs = 3000) {
  const speech = synthesize(text, 48_000);
  const file = wavFile(toWav(speech.samples, 48_000, { leadingSilenceMs: silenceMs, trailingSilenceMs: afterMs }));
  mics.push(file);
  return file;
}

/** `<elevenlabs-convai>` with `origin` pointing at the test site, as its page would set it. */
const widget = (attributes: string, id = 'widget') =>
  `<elevenlabs-convai id="${id}" origin="${site.origin}" ${attributes}></elevenlabs-convai>`;

const log = (page: Page) => page.evaluate(() => (window as unknown as { __log: Omit<PageLog, 'tracks'> }).__log);
const events = async (page: Page, type: string, id = 'widget') =>
  (await log(page)).events.filter((event) => event.type === type && event.id === id);
const waitForEvent = (page: Page, type: string, detail: Record<string, unknown> = {}, id = 'widget') =>
  page.waitForFunction(
    ({ type, detail, id }) =>
      (window as unknown as { __log: PageLog }).__log.events.some(
        (event) =>
          event.type === type &&
          event.id === id &&
          Object.entries(detail).every(([key, value]) => event.detail[key] === value),
      ),
    { type, detail, id },
    { timeout: 30_000 },
  );

const record = (conversationId: string) =>
  site.emulator.conversations.find((conversation) => conversation.conversation_id === conversationId);

const conversationIdOf = async (page: Page, id = 'widget') => {
  await waitForEvent(page, 'connect', {}, id);
  const connects = await events(page, 'connect', id);
  return connects.at(-1)!.detail.conversationId as string;
};

/** Live microphone tracks the page holds (from every getUserMedia call). */
const liveTracks = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { __log: PageLog }).__log.tracks.filter((track) => track.readyState === 'live').length,
  );

interface AxeResults {
  violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
  passes: unknown[];
}

/** axe-core over the whole page, shadow roots included; one line per violation. */
async function axeViolations(page: Page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(() => (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run());
  expect(results.passes.length).toBeGreaterThan(0);
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
}

/** The `user_audio_chunk`s the page sends once `start()` is called: how much audio (pcm_16000), and its loudest sample. */
function audioSent(page: Page) {
  const sent = { ms: 0, peak: 0 };
  let counting = false;
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      if (!counting || typeof payload !== 'string' || !payload.includes('user_audio_chunk')) return;
      const bytes = Buffer.from((JSON.parse(payload) as { user_audio_chunk: string }).user_audio_chunk, 'base64');
      const samples = new Int16Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 2));
      sent.ms += samples.length / 16;
      for (const sample of samples) sent.peak = Math.max(sent.peak, Math.abs(sample));
    }),
  );
  return { sent, start: () => (counting = true) };
}

describe('a voice call', () => {
  it('hears the exact words the microphone says, shows and plays the reply, and ends', async () => {
    const { page, errors } = await open(scriptTagPage(widget('agent-id="w-voice" transcript="true"')), {
      micWav: micSaying('what can you do', 4000),
    });
    await page.getByRole('button', { name: 'Start a call' }).click();
    const transcript = page.getByRole('log', { name: 'Conversation' });
    await transcript.getByText('Hello from the widget.').waitFor();
    const conversationId = await conversationIdOf(page);
    await transcript
      .getByText('what can you do', { exact: true })
      .waitFor({ timeout: 30_000 })
      .catch((error) => {
        // What the emulator heard instead, for whoever reads the failure.
        console.log(JSON.stringify(record(conversationId)?.transcript));
        throw error;
      });
    await transcript.getByText('I can answer you.').waitFor();

    // The reply is heard: the emulator sent audio, the widget said "Talk to interrupt", then "Listening" again.
    await page.waitForFunction(() => {
      const all = (window as unknown as { __log: PageLog }).__log.events;
      const reply = all.findIndex((e) => e.type === 'message' && e.detail.message === 'I can answer you.');
      return reply >= 0 && all.slice(reply).filter((e) => e.type === 'mode' && e.statusText).length >= 2;
    });
    const all = (await log(page)).events;
    const reply = all.findIndex((e) => e.type === 'message' && e.detail.message === 'I can answer you.');
    const modes = all.slice(reply).filter((e) => e.type === 'mode');
    expect(modes.slice(0, 2).map((e) => [e.detail.mode, e.statusText])).toEqual([
      ['speaking', 'Talk to interrupt'],
      ['listening', 'Listening'],
    ]);
    expect(
      record(conversationId)!.sent.filter((l) => (l.message as { type: string }).type === 'audio').length,
    ).toBeGreaterThan(0);

    // Connected, with its call controls: axe finds nothing.
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'End' }).click();
    await waitForEvent(page, 'disconnect', { reason: 'user' });
    await expect.poll(() => record(conversationId)?.close?.code, { timeout: 10_000 }).toBe(1000);
    expect((await events(page, 'status')).map((e) => e.detail.status)).toEqual([
      'connecting',
      'connected',
      'disconnecting',
      'disconnected',
    ]);
    await page.getByRole('status').filter({ hasText: 'You ended the conversation' }).waitFor({ state: 'attached' });
    expect(record(conversationId)!.transcript.map((t) => `${t.role}: ${t.message}`)).toEqual([
      'agent: Hello from the widget.',
      'user: what can you do',
      'agent: I can answer you.',
    ]);
    expect(await liveTracks(page)).toBe(0);
    expect(errors).toEqual([]);
  });

  it('is interrupted: the agent stops, its message shows only what was said, and it listens', async () => {
    const { page } = await open(scriptTagPage(widget('agent-id="w-long" transcript="true"')), {
      micWav: micSaying('stop', 2500),
    });
    await page.getByRole('button', { name: 'Start a call' }).click();
    const conversationId = await conversationIdOf(page);
    const transcript = page.getByRole('log', { name: 'Conversation' });
    await transcript.getByText('Stopped.').waitFor({ timeout: 30_000 });

    const spoken = record(conversationId)!.transcript[0]!;
    const original = AGENTS.find((agent) => agent.agent_id === 'w-long')!.first_message!;
    expect(spoken).toMatchObject({ role: 'agent', interrupted: true });
    expect(spoken.message.length).toBeLessThan(original.length);
    // The agent's bubble was corrected to what was actually spoken, before "stop" and the answer.
    const bubbles = await transcript
      .locator('.message')
      .evaluateAll((nodes) =>
        nodes.map(
          (node) =>
            `${node.classList.contains('interrupted') ? '(interrupted) ' : ''}${node.textContent!.replace(/\s+/g, ' ').trim()}`,
        ),
      );
    expect(bubbles).toEqual([`(interrupted) Agent: ${spoken.message}`, 'You: stop', 'Agent: Stopped.']);
    // Interrupted, the widget went back to listening before the answer.
    const all = (await log(page)).events;
    const userTurn = all.findIndex((e) => e.type === 'message' && e.detail.role === 'user');
    const lastModeBefore = all
      .slice(0, userTurn)
      .filter((e) => e.type === 'mode')
      .at(-1);
    expect(lastModeBefore?.detail.mode).toBe('listening');
  });

  it('mutes: while muted the agent hears silence, not the words the microphone says', async () => {
    const { page } = await open(scriptTagPage(widget('agent-id="w-voice" mic-muting="true"')), {
      micWav: micSaying('what can you do', 4000, 1000),
    });
    const audio = audioSent(page);
    await page.getByRole('button', { name: 'Start a call' }).click();
    const conversationId = await conversationIdOf(page);
    const mute = page.getByRole('button', { name: 'Mute microphone' });
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    await mute.click();
    const unmute = page.getByRole('button', { name: 'Unmute microphone' });
    expect(await unmute.getAttribute('aria-pressed')).toBe('true');

    // Wait until more muted audio went to the agent than the whole WAV lasts (speech included): all silence.
    audio.start();
    const wavMs = 4000 + synthesize('what can you do', 16_000).durationMs + 1000;
    await expect.poll(() => audio.sent.ms, { timeout: 30_000, interval: 200 }).toBeGreaterThan(wavMs);
    expect(audio.sent.peak).toBe(0);
    expect(record(conversationId)!.audio_chunks_received).toBeGreaterThan(0);
    expect(record(conversationId)!.transcript.map((t) => t.role)).toEqual(['agent']);

    await unmute.click();
    expect(await page.getByRole('button', { name: 'Mute microphone' }).getAttribute('aria-pressed')).toBe('false');
    await page.getByRole('button', { name: 'End' }).click();
    await waitForEvent(page, 'disconnect', { reason: 'user' });
  });
});

describe('text chat', () => {
  it('Enter sends, Shift+Enter is a new line, and typing while disconnected starts the chat without a microphone', async () => {
    const { page, errors } = await open(scriptTagPage(widget('agent-id="w-text"')));
    // A text-only agent: the launcher offers a chat, never a call.
    expect(await page.getByRole('button', { name: 'Start a call' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Start a chat' }).click();
    const input = page.getByRole('textbox', { name: 'Text message input' });
    expect(await input.evaluate((element) => element === (element.getRootNode() as ShadowRoot).activeElement)).toBe(
      true,
    );
    expect(await input.getAttribute('placeholder')).toBe('Start a new conversation');

    await page.keyboard.type('what can you do');
    await page.keyboard.press('Enter');
    const transcript = page.getByRole('log', { name: 'Conversation' });
    await transcript.getByText('I can chat with you in text.').waitFor();
    const conversationId = await conversationIdOf(page);
    expect(await input.inputValue()).toBe('');

    await input.pressSequentially('first line');
    await page.keyboard.press('Shift+Enter');
    await input.pressSequentially('second line');
    expect(await input.inputValue()).toBe('first line\nsecond line');
    await page.keyboard.press('Enter');
    await transcript.getByText('You said: first line\nsecond line').waitFor();

    const conversation = record(conversationId)!;
    expect(conversation.text_only).toBe(true);
    expect(conversation.transcript.map((t) => `${t.role}: ${t.message}`)).toEqual([
      'agent: Hi, type to me.',
      'user: what can you do',
      'agent: I can chat with you in text.',
      'user: first line\nsecond line',
      'agent: You said: first line\nsecond line',
    ]);
    // The status line says it is a chat; the microphone was never asked for.
    await page.getByRole('status').filter({ hasText: 'Chatting with AI Agent' }).waitFor({ state: 'attached' });
    expect((await log(page)).getUserMedia).toBe(0);
    expect(conversation.audio_chunks_received).toBe(0);
    expect(errors).toEqual([]);
  });

  it('what is typed while the chat is connecting is sent once it connects, in order, with nothing cleared', async () => {
    const { page, errors } = await open(scriptTagPage(widget('agent-id="w-slow"')));
    await page.getByRole('button', { name: 'Start a chat' }).click();
    const input = page.getByRole('textbox', { name: 'Text message input' });
    await input.fill('first');
    await page.keyboard.press('Enter');
    const status = () =>
      page.evaluate(
        () => (document.querySelector('#widget') as HTMLElement & { session: { status: string } }).session.status,
      );
    await expect.poll(status).toBe('connecting');
    await input.fill('second');
    await page.keyboard.press('Enter');
    expect(await status()).toBe('connecting');
    const transcript = page.getByRole('log', { name: 'Conversation' });
    await transcript.getByText('You said: second').waitFor();
    await transcript.getByText('You said: first').waitFor();
    const conversation = record(await conversationIdOf(page))!;
    expect(conversation.transcript.filter((t) => t.role === 'user').map((t) => t.message)).toEqual(['first', 'second']);
    expect(site.emulator.conversations.filter((c) => c.agent_id === 'w-slow')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("a click before the agent's settings arrive waits for them: a text-only agent never asks for the microphone", async () => {
    let answer = () => {};
    const { page, errors } = await open(scriptTagPage(widget('agent-id="w-text"')), {
      // The settings are held back until the click has happened.
      beforeLoad: (page) =>
        page.route('**/v1/convai/agents/w-text/widget', (route) => {
          answer = () => void route.continue();
        }),
    });
    // Without the settings, the launcher looks like a voice agent's.
    await page.getByRole('button', { name: 'Start a call' }).click();
    await page.waitForTimeout(300); // the click is being held, not acted on
    expect((await events(page, 'status')).map((event) => event.detail.status)).toEqual([]);
    answer();
    await page.getByRole('log', { name: 'Conversation' }).getByText('Hi, type to me.').waitFor();
    const conversation = record(await conversationIdOf(page))!;
    expect(conversation.text_only).toBe(true);
    expect((await log(page)).getUserMedia).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a voice agent that chats too: typing before any call starts a text-only chat, no microphone prompt', async () => {
    const { page } = await open(scriptTagPage(widget('agent-id="w-both"')));
    await page.getByRole('button', { name: 'Expand' }).click();
    await page.getByRole('textbox', { name: 'Text message input' }).fill('what can you do');
    await page.keyboard.press('Enter');
    const transcript = page.getByRole('log', { name: 'Conversation' });
    await transcript.getByText('I can talk and chat.').waitFor();
    const conversationId = await conversationIdOf(page);
    expect(record(conversationId)!.text_only).toBe(true);
    expect((await log(page)).getUserMedia).toBe(0);
  });
});

describe('the page talking to the widget', () => {
  it('allow-events: the page opens the panel, sends a message and context through events on the element', async () => {
    const { page, errors } = await open(scriptTagPage(widget('agent-id="w-text" allow-events')));
    const dispatch = (type: string, detail: unknown, on: 'document' | 'element' = 'element') =>
      page.evaluate(
        ({ type, detail, on }) =>
          (on === 'document' ? document : document.querySelector('#widget')!).dispatchEvent(
            new CustomEvent(type, { detail }),
          ),
        { type, detail, on },
      );
    await page.getByRole('button', { name: 'Start a chat' }).waitFor();
    await dispatch('elevenlabs-agent:expand', { action: 'expand' }, 'document');
    await page.getByRole('textbox', { name: 'Text message input' }).waitFor();
    await dispatch('elevenlabs-agent:user-message', { message: 'what can you do' });
    const transcript = page.getByRole('log', { name: 'Conversation' });
    await transcript.getByText('I can chat with you in text.').waitFor();
    const conversationId = await conversationIdOf(page);
    await dispatch('elevenlabs-agent:contextual-update', { message: 'The visitor opened the pricing page.' });
    await expect
      .poll(() =>
        record(conversationId)!.received.some(
          (logged) => (logged.message as { text?: string }).text === 'The visitor opened the pricing page.',
        ),
      )
      .toBe(true);
    expect(errors).toEqual([]);
  });

  it('without allow-events, messages sent to the element are ignored', async () => {
    const { page } = await open(scriptTagPage(widget('agent-id="w-text"')));
    await page.getByRole('button', { name: 'Start a chat' }).waitFor();
    await page.evaluate(() =>
      document
        .querySelector('#widget')!
        .dispatchEvent(new CustomEvent('elevenlabs-agent:user-message', { detail: { message: 'what can you do' } })),
    );
    await page.waitForTimeout(500);
    expect(await events(page, 'status')).toEqual([]);
  });

  it('a signed-url attribute alone (no agent-id): the private agent, its settings and a chat', async () => {
    const response = await fetch(`${site.origin}/api/elevenlabs/signed-url?agent_id=w-private`);
    const { signed_url } = (await response.json()) as { signed_url: string };
    // `origin` only for the settings request (the socket goes where the signed URL says), as on ElevenLabs' host.
    const element = `<elevenlabs-convai id="widget" origin="${site.origin}" signed-url="${signed_url}"></elevenlabs-convai>`;
    const { page, errors } = await open(scriptTagPage(element));
    await page.getByRole('button', { name: 'Start a chat' }).click();
    await page.getByRole('textbox', { name: 'Text message input' }).fill('tell me the secret');
    await page.keyboard.press('Enter');
    await page.getByRole('log', { name: 'Conversation' }).getByText('Only signed visitors hear this.').waitFor();
    expect(record(await conversationIdOf(page))!.agent_id).toBe('w-private');
    expect(errors).toEqual([]);
  });
});

describe('feedback after the conversation', () => {
  /** Chats once with `agent`, ends it, and returns the page and the conversation id. */
  async function chatAndEnd(agent: string) {
    const { page, errors } = await open(scriptTagPage(widget(`agent-id="${agent}"`)));
    await page.getByRole('button', { name: 'Start a chat' }).click();
    await page.getByRole('textbox', { name: 'Text message input' }).fill('hello');
    await page.keyboard.press('Enter');
    await page.getByRole('log', { name: 'Conversation' }).getByText('You said: hello').waitFor();
    const id = await conversationIdOf(page);
    await page.getByRole('button', { name: 'End', exact: true }).first().click();
    return { page, errors, id };
  }

  it('stars, when the agent asks for a rating (end_feedback): the rating reaches the service', async () => {
    const { page, errors, id } = await chatAndEnd('w-rated');
    const stars = page.getByRole('group', { name: 'How was this conversation?' });
    expect(await stars.getByRole('button').count()).toBe(5);
    await stars.getByRole('button', { name: '4 of 5 stars' }).click();
    await page.getByText('Thanks for your feedback.').waitFor();
    await expect.poll(() => record(id)!.rating).toEqual({ rating: 4, comment: '' });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('thumbs, with feedback_mode "end": like or dislike reaches the service', async () => {
    const { page, errors, id } = await chatAndEnd('w-thumbs');
    await page.getByRole('button', { name: 'Not helpful' }).click();
    await page.getByText('Thanks for your feedback.').waitFor();
    await expect.poll(() => record(id)!.overall_feedback).toBe('dislike');
    expect(errors).toEqual([]);
  });
});

describe('client tools', () => {
  const weather = `city => 'sunny in ' + city`;

  it('runs a tool added in elevenlabs-convai:call (detail.config.clientTools) and announces the call', async () => {
    const listener = `<script>
      document.addEventListener('elevenlabs-convai:call', (event) => {
        event.detail.config.clientTools = { get_weather: ({ city }) => (${weather})(city) };
      });
    </script>`;
    const { page } = await open(scriptTagPage(widget('agent-id="w-tools" show-agent-status="true"') + listener));
    await page.getByRole('button', { name: 'Start a chat' }).click();
    await page.getByRole('textbox', { name: 'Text message input' }).fill('what is the weather?');
    await page.keyboard.press('Enter');
    const transcript = page.getByRole('log', { name: 'Conversation' });
    await transcript.getByText('In Paris it is sunny in Paris.').waitFor();
    await transcript.getByText('get_weather: Completed').waitFor();
    expect((await events(page, 'tool-call')).map((e) => e.detail)).toEqual([
      { name: 'get_weather', parameters: { city: 'Paris' } },
    ]);
    expect((await events(page, 'call')).length).toBe(1);
  });

  it('runs a tool set as the clientTools property, even before the script upgraded the element', async () => {
    // Set by an inline script right after the element: the async widget script has not run yet.
    const property = `<script>
      document.getElementById('widget').clientTools = { get_weather: ({ city }) => (${weather})(city) };
    </script>`;
    const { page } = await open(scriptTagPage(widget('agent-id="w-tools"') + property));
    await page.getByRole('button', { name: 'Start a chat' }).click();
    await page.getByRole('textbox', { name: 'Text message input' }).fill('what is the weather?');
    await page.keyboard.press('Enter');
    await page.getByRole('log', { name: 'Conversation' }).getByText('In Paris it is sunny in Paris.').waitFor();
    expect((await events(page, 'tool-call')).map((e) => e.detail)).toEqual([
      { name: 'get_weather', parameters: { city: 'Paris' } },
    ]);
  });
});

describe('a private agent', () => {
  it('connects with a signed URL the widget fetches from the token endpoint (signed-url-endpoint)', async () => {
    const before = site.requests.length;
    const { page, errors } = await open(
      scriptTagPage(widget('agent-id="w-private" signed-url-endpoint="/api/elevenlabs/signed-url"')),
    );
    await page.getByRole('button', { name: 'Start a chat' }).click();
    await page.getByRole('textbox', { name: 'Text message input' }).fill('tell me a secret');
    await page.keyboard.press('Enter');
    await page.getByRole('log', { name: 'Conversation' }).getByText('Only signed visitors hear this.').waitFor();
    const conversationId = await conversationIdOf(page);
    expect(record(conversationId)!.agent_id).toBe('w-private');
    const asked = site.requests.slice(before).filter((r) => r.url.startsWith('/api/elevenlabs/signed-url'));
    // One signature to load the private agent's settings, a fresh one for the conversation.
    expect(asked.map((r) => r.url)).toEqual(Array(2).fill('/api/elevenlabs/signed-url?agent_id=w-private'));
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe('errors a person can act on', () => {
  it('an unknown agent: a clear message, and Try again works once the agent exists', async () => {
    const { page } = await open(scriptTagPage(widget('agent-id="w-later" transcript="true"')));
    // The settings request failed, and the launcher still paints and says why.
    const alert = page.getByRole('alert');
    await alert.getByText('There is no agent "w-later".').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Start a call' }).click();
    await alert.getByText('This agent does not exist').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect((await events(page, 'error')).map((e) => e.detail.code)).toContain('unknown-agent');

    site.emulator.addAgent({ agent_id: 'w-later', first_message: 'Here I am.', ...quiet });
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('log', { name: 'Conversation' }).getByText('Here I am.').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('button', { name: 'End' }).click();
    await waitForEvent(page, 'disconnect', { reason: 'user' });
  });

  it('the microphone denied: how to allow it, and text chat instead', async () => {
    const { page } = await open(scriptTagPage(widget('agent-id="w-both"')), { denyMicrophone: true });
    await page.getByRole('button', { name: 'Start a call' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText(/^Microphone access is blocked\. Allow it in your browser’s site settings/).waitFor();
    expect(await alert.getByRole('button', { name: 'Try again' }).count()).toBe(1);
    expect((await events(page, 'error')).map((e) => e.detail.code)).toEqual(['microphone-denied']);
    expect(await axeViolations(page)).toEqual([]);

    await alert.getByRole('button', { name: 'Chat by text instead' }).click();
    const input = page.getByRole('textbox', { name: 'Text message input' });
    expect(await input.evaluate((element) => element === (element.getRootNode() as ShadowRoot).activeElement)).toBe(
      true,
    );
    const asked = (await log(page)).getUserMedia;
    await page.keyboard.type('what can you do');
    await page.keyboard.press('Enter');
    await page.getByRole('log', { name: 'Conversation' }).getByText('I can talk and chat.').waitFor();
    const conversationId = await conversationIdOf(page);
    expect(record(conversationId)!.text_only).toBe(true);
    expect((await log(page)).getUserMedia).toBe(asked); // no second prompt
  });

  it('the socket dropped mid-call: a clear message, and Try again reconnects', async () => {
    const { page } = await open(scriptTagPage(widget('agent-id="w-voice" transcript="true"')));
    site.emulator.injectFaults({ drop_after_ms: 1500 }, 'w-voice');
    await page.getByRole('button', { name: 'Start a call' }).click();
    const first = await conversationIdOf(page);
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    await alert.getByText('The connection was closed by the server.').waitFor();
    expect((await events(page, 'disconnect')).map((e) => e.detail.reason)).toEqual(['error']);
    expect((await events(page, 'error')).map((e) => e.detail.code)).toEqual(['connection-lost']);
    expect(await liveTracks(page)).toBe(0);

    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.waitForFunction(
      () => (window as unknown as { __log: PageLog }).__log.events.filter((e) => e.type === 'connect').length === 2,
    );
    const second = await conversationIdOf(page);
    expect(second).not.toBe(first);
    await page.getByRole('log', { name: 'Conversation' }).getByText('Hello from the widget.').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('button', { name: 'End' }).click();
    await waitForEvent(page, 'disconnect', { reason: 'user' });
  });

  it('without a panel, the error itself gives the conversation id to quote to support', async () => {
    const { page } = await open(scriptTagPage(widget('agent-id="w-voice"')));
    site.emulator.injectFaults({ drop_after_ms: 1500 }, 'w-voice');
    await page.getByRole('button', { name: 'Start a call' }).click();
    const id = await conversationIdOf(page);
    const alert = page.getByRole('alert');
    await alert.getByText('The connection was closed by the server.').waitFor({ timeout: 30_000 });
    expect(await alert.locator('code').textContent()).toBe(id);
    await alert.getByRole('button', { name: 'Copy ID' }).waitFor();
  });

  it('the signed-URL endpoint failing: what it answered, and Try again asks it again', async () => {
    const signedUrlRequests = () => site.requests.filter((r) => r.url.includes('agent_id=w-private')).length;
    const { page } = await open(
      scriptTagPage(widget('agent-id="w-private" signed-url-endpoint="/api/elevenlabs/no-such-route"')),
    );
    await page.getByRole('button', { name: 'Start a call' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('The signed-URL endpoint answered 404. No such route.').waitFor();
    expect((await events(page, 'error')).map((e) => e.detail.code)).toEqual(['signed-url-failed']);

    // Not a dead button: every try asks the endpoint again.
    const asked = signedUrlRequests();
    await alert.getByRole('button', { name: 'Try again' }).click();
    await waitForEvent(page, 'status', { status: 'connecting' });
    await expect.poll(() => events(page, 'error').then((e) => e.length), { timeout: 10_000 }).toBe(2);
    expect(signedUrlRequests()).toBe(asked + 1);
    await alert.getByText('The signed-URL endpoint answered 404. No such route.').waitFor();

    // The page fixes the attribute; the next try connects.
    await page.evaluate(() =>
      document.getElementById('widget')!.setAttribute('signed-url-endpoint', '/api/elevenlabs/signed-url'),
    );
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('log', { name: 'Conversation' }).getByText('This is a private agent.').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('the endpoint refusing an agent it does not sign for: its reason, not a dead button', async () => {
    // Added after the token endpoint was set up, so it is not on the endpoint's list of agents.
    if (!site.emulator.agents.has('w-unlisted')) {
      site.emulator.addAgent({ agent_id: 'w-unlisted', auth_required: true, first_message: 'Unlisted.', ...quiet });
    }
    const { page } = await open(
      scriptTagPage(widget('agent-id="w-unlisted" signed-url-endpoint="/api/elevenlabs/signed-url"')),
    );
    await page.getByRole('button', { name: 'Start a call' }).click();
    const alert = page.getByRole('alert');
    await alert
      .getByText('The signed-URL endpoint answered 403. This endpoint does not sign for that agent.')
      .waitFor();
    expect(await alert.getByRole('button', { name: 'Try again' }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'New call' }).isEnabled()).toBe(true);
  });
});

describe('on one page', () => {
  it('two widgets talk to their own agents independently', async () => {
    const { page } = await open(
      scriptTagPage(
        widget('agent-id="w-text" placement="bottom-left"', 'chat') +
          widget('agent-id="w-voice" transcript="true"', 'call'),
      ),
    );
    const chat = page.locator('#chat');
    const call = page.locator('#call');
    await call.getByRole('button', { name: 'Start a call' }).click();
    await call.getByRole('log', { name: 'Conversation' }).getByText('Hello from the widget.').waitFor();

    await chat.getByRole('button', { name: 'Start a chat' }).click();
    await chat.getByRole('textbox', { name: 'Text message input' }).fill('what can you do');
    await page.keyboard.press('Enter');
    await chat.getByRole('log', { name: 'Conversation' }).getByText('I can chat with you in text.').waitFor();
    const chatId = await conversationIdOf(page, 'chat');
    const callId = await conversationIdOf(page, 'call');
    expect(record(chatId)!.agent_id).toBe('w-text');
    expect(record(callId)!.agent_id).toBe('w-voice');
    expect(await call.getByText('I can chat with you in text.').count()).toBe(0);
    expect(await chat.getByText('Hello from the widget.').count()).toBe(0);

    // Ending the call leaves the chat going.
    await call.getByRole('button', { name: 'End' }).click();
    await waitForEvent(page, 'disconnect', { reason: 'user' }, 'call');
    await chat.getByRole('textbox', { name: 'Text message input' }).fill('still there');
    await page.keyboard.press('Enter');
    await chat.getByRole('log', { name: 'Conversation' }).getByText('You said: still there').waitFor();
    expect(await events(page, 'disconnect', 'chat')).toEqual([]);
  });

  it('removing the element mid-call ends the conversation and releases the microphone', async () => {
    const { page } = await open(scriptTagPage(widget('agent-id="w-voice"')));
    await page.getByRole('button', { name: 'Start a call' }).click();
    const conversationId = await conversationIdOf(page);
    expect(await liveTracks(page)).toBeGreaterThan(0);
    await page.evaluate(() => document.getElementById('widget')!.remove());
    await expect.poll(() => liveTracks(page), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => record(conversationId)?.close, { timeout: 10_000 }).not.toBeNull();
    expect(record(conversationId)!.close!.code).toBe(1000);
  });
});

describe('the page around it', () => {
  it('axe-core finds nothing while idle, expanded and connected, in light and dark', async () => {
    const { page } = await open(scriptTagPage(widget('agent-id="w-text"')));
    await page.getByRole('button', { name: 'Start a chat' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Start a chat' }).click();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('textbox', { name: 'Text message input' }).fill('what can you do');
    await page.keyboard.press('Enter');
    await page.getByRole('log', { name: 'Conversation' }).getByText('I can chat with you in text.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('under a strict Content-Security-Policy, with self-hosted worklets, a call works and nothing is blocked', async () => {
    const attributes =
      'agent-id="w-voice" transcript="true" worklet-path-raw-audio-processor="/worklets/rawAudioProcessor.js" ' +
      'worklet-path-audio-concat-processor="/worklets/audioConcatProcessor.js"';
    const { page, errors } = await open(scriptTagPage(widget(attributes)), {
      headers: { 'Content-Security-Policy': "default-src 'self'; connect-src 'self' ws: wss:" },
    });
    await page.getByRole('button', { name: 'Start a call' }).click();
    const conversationId = await conversationIdOf(page);
    await page.getByRole('log', { name: 'Conversation' }).getByText('Hello from the widget.').waitFor();
    // The agent's audio played through the self-hosted playback worklet: speaking, then listening again.
    await waitForEvent(page, 'mode', { mode: 'speaking' });
    await page
      .waitForFunction(() => {
        const modes = (window as unknown as { __log: PageLog }).__log.events.filter((e) => e.type === 'mode');
        return modes.at(-1)?.detail.mode === 'listening';
      })
      .catch(async (error) => {
        console.log(JSON.stringify(await log(page)), errors); // what the page saw, for whoever reads the failure
        throw error;
      });
    // The microphone worklet sends audio.
    await expect.poll(() => record(conversationId)!.audio_chunks_received, { timeout: 10_000 }).toBeGreaterThan(0);
    const workletRequests = site.requests.filter((r) => r.url.startsWith('/worklets/')).map((r) => r.url);
    expect(workletRequests).toEqual(
      expect.arrayContaining(['/worklets/rawAudioProcessor.js', '/worklets/audioConcatProcessor.js']),
    );
    // Inline styles are not allowed, yet the avatar has its colours (set through the CSSOM, not a style attribute).
    const orb = await page
      .locator('#widget [part="avatar"]')
      .first()
      .evaluate((avatar) => getComputedStyle(avatar).getPropertyValue('--_orb-1').trim());
    expect(orb).toBe('#2792dc');
    expect((await log(page)).csp).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("themes itself with the agent's dashboard styles; the page's CSS on the element still wins", async () => {
    const css = '<style>#themed { --el-accent: rgb(0, 128, 0); }</style>';
    const { page, errors } = await open(
      scriptTagPage(widget('agent-id="w-styled"') + widget('agent-id="w-styled"', 'themed'), css),
      // <style> elements allowed (the page's own CSS), style attributes not: the config must not need them.
      { headers: { 'Content-Security-Policy': "default-src 'self'; style-src-elem 'self' 'unsafe-inline'" } },
    );
    const look = (id: string) =>
      page.locator(`#${id} [part~="start-call"]`).evaluate((button) => {
        const style = getComputedStyle(button);
        return { background: style.backgroundColor, radius: style.borderTopLeftRadius };
      });
    await expect.poll(() => look('widget')).toEqual({ background: 'rgb(124, 45, 18)', radius: '4px' });
    expect(await look('themed')).toEqual({ background: 'rgb(0, 128, 0)', radius: '4px' });
    expect((await log(page)).csp).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('where the browser cannot capture at 16 kHz, loads the resampler from beside the script, not a CDN', async () => {
    // As in browsers without the sampleRate constraint (Firefox), where the client resamples with libsamplerate.
    const initScript = `{
      const supported = navigator.mediaDevices.getSupportedConstraints.bind(navigator.mediaDevices);
      navigator.mediaDevices.getSupportedConstraints = () => ({ ...supported(), sampleRate: false });
    }`;
    const { page, errors } = await open(scriptTagPage(widget('agent-id="w-voice" transcript="true"')), { initScript });
    await page.getByRole('button', { name: 'Start a call' }).click();
    const conversationId = await conversationIdOf(page);
    await expect.poll(() => record(conversationId)!.audio_chunks_received, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(site.requests.map((r) => r.url)).toContain('/worklets/libsamplerate.worklet.js');
    expect(errors).toEqual([]);
    // afterEach checks that nothing went to cdn.jsdelivr.net, the client's default.
  });

  it('fits a 320 px wide screen: the open panel and its controls stay on screen', async () => {
    const { page } = await open(
      scriptTagPage(widget('agent-id="w-voice" transcript="true" text-input="true" default-expanded="true"')),
    );
    await page.setViewportSize({ width: 320, height: 568 });
    await page.getByRole('textbox', { name: 'Text message input' }).waitFor();
    for (const name of ['Text message input', 'Send', 'Start a call', 'Collapse']) {
      const box = (await page
        .getByRole(name === 'Text message input' ? 'textbox' : 'button', { name })
        .first()
        .boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(320);
      expect(box.y + box.height).toBeLessThanOrEqual(568);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  });

  it('loads WebRTC support only when use-rtc asks for it, from beside the script', async () => {
    const { page } = await open(scriptTagPage(widget('agent-id="w-voice" transcript="true"')));
    await page.getByRole('button', { name: 'Start a call' }).click();
    await conversationIdOf(page);
    await page.getByRole('button', { name: 'End' }).click();
    expect(site.requests.map((r) => r.url)).not.toContain('/elevenkit-widget-rtc.js');

    const rtc = await open(scriptTagPage(widget('agent-id="w-voice" use-rtc="true"')));
    await rtc.page.getByRole('button', { name: 'Start a call' }).click();
    // LiveKit itself cannot run offline: the WebRTC token comes from a wss:// origin only, so the call fails with a
    // clear message after the sibling file has loaded; nothing went to ElevenLabs or LiveKit (checked after each test).
    await rtc.page.getByRole('alert').getByRole('button', { name: 'Try again' }).waitFor();
    expect(site.requests.map((r) => r.url)).toContain('/elevenkit-widget-rtc.js');
    expect(
      await rtc.page.evaluate(() => typeof (globalThis as { __elevenkitLivekit?: unknown }).__elevenkitLivekit),
    ).toBe('object');
  });

  it('with the official widget already defined, warns once and does not throw', async () => {
    const official = `<script>
      customElements.define('elevenlabs-convai', class OfficialWidget extends HTMLElement {
        connectedCallback() { this.textContent = 'the official widget'; }
      });
    </script>`;
    const { page, errors, warnings } = await open(scriptTagPage(widget('agent-id="w-voice"'), official));
    expect(warnings.filter((w) => w.includes('already defined'))).toHaveLength(1);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => customElements.get('elevenlabs-convai')!.name)).toBe('OfficialWidget');
    expect(await page.locator('#widget').textContent()).toBe('the official widget');
  });
});
