// The demo a person opens with `npm run demo`: the same Vite config (emulator and token endpoint mounted), the page in
// Chromium, used the way a person would: read the emulator status, chat with the demo agent by keyboard, and chat with
// a private agent through a signed URL from the token endpoint (issue 3's proof; the widget does the same in issue 4).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, runAxe, startDemo, type DemoServer } from './support/demo-server.ts';

let demo: DemoServer;
let page: Page;

/** WebSocket URLs the page opened. */
const sockets: string[] = [];

beforeAll(async () => {
  demo = await startDemo();
  page = await demo.open('');
  page.on('websocket', (socket) => sockets.push(socket.url()));
});

afterAll(() => demo?.close());

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

  it('says why when the token endpoint refuses to sign', async () => {
    const agent = page.getByRole('textbox', { name: 'Agent id' });
    expect(await agent.inputValue()).toBe('demo-private');
    await agent.fill('someone-else');
    await page.getByRole('button', { name: 'Start private chat' }).click();
    await page
      .getByText(
        'Could not start the private chat: the token endpoint answered 403 (agent_not_allowed): This endpoint does not sign for that agent.',
      )
      .waitFor();
    expect(await agent.isEnabled()).toBe(true);
    await agent.fill('demo-private');
  });

  it('chats with a private agent through a signed URL from the token endpoint', async () => {
    const signed = page.waitForResponse((response) => response.url().includes('/api/elevenlabs/signed-url?'));
    await page.getByRole('button', { name: 'Start private chat' }).click();
    const response = await signed;
    expect(response.status()).toBe(200);
    const body = await response.text();
    // The page gets a signed URL, never the key it was minted with.
    expect(body).not.toContain('elevenkit-dev-key');
    const { signed_url } = JSON.parse(body) as { signed_url: string };
    expect(signed_url).toMatch(/\/v1\/convai\/conversation\?agent_id=demo-private&conversation_signature=/);

    const log = page.getByRole('log', { name: 'Text chat with a private agent' });
    await log.getByText(/you reached me with a signed URL/).waitFor();
    // The client adds its own parameters (source, version) to the signed URL.
    expect(sockets.some((url) => url.startsWith(signed_url))).toBe(true);
    const input = page.getByRole('textbox', { name: 'Write to the private agent' });
    expect(await input.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.type('what can you do');
    await page.keyboard.press('Enter');
    await log.getByText('You: what can you do').waitFor();
    await log.getByText(/I only talk to pages that bring a signed URL/).waitFor();
  });

  it('has no accessibility violations that axe-core can find', async () => {
    const results = await runAxe(page);
    expect(describeViolations(results)).toEqual([]);
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

  it('ends the private chat from its End button', async () => {
    await page.getByRole('button', { name: 'End private chat' }).click();
    await page.getByText('You ended the private chat.').waitFor();
    expect(await page.getByRole('textbox', { name: 'Write to the private agent' }).isDisabled()).toBe(true);
  });

  it('made no request outside 127.0.0.1', () => {
    expect(demo.outside).toEqual([]);
  });
});
