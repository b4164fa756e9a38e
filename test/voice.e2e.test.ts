// Voice conformance: the official @elevenlabs/client in Chromium, its microphone fed a WAV file the emulator's own
// synthesiser made, against the emulator. Every message the emulator sends is checked against the AsyncAPI contract.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, synthesize, toWav, type Emulator } from '../packages/emulator/src/index.ts';
import { TEST_AGENTS } from './agents.ts';
import { contractErrors } from './contract.ts';
import { openClientPage, wavFile, type ClientPage } from './support/client-page.ts';

let emulator: Emulator;
const violations: string[] = [];
beforeAll(async () => {
  emulator = await createEmulator({ port: 0, log: () => {}, agents: TEST_AGENTS });
  emulator.events.on('sent', ({ message }) => violations.push(...contractErrors(message)));
});
afterAll(() => emulator.close());

let client: ClientPage | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

/** A fake microphone that is silent for `silenceMs`, says `text` in the emulator's voice, then stays silent. */
const micSaying = (text: string, silenceMs: number) => {
  const speech = synthesize(text, 48_000);
  return wavFile(toWav(speech.samples, 48_000, { leadingSilenceMs: silenceMs, trailingSilenceMs: 3000 }));
};

interface PageLog {
  events: [string, unknown][];
  id?: string;
}

/** Starts a voice session in the page; everything the client reports lands in `window.log`. */
async function startVoiceSession(page: ClientPage['page'], agentId: string) {
  await page.evaluate(
    async ({ agentId, origin }) => {
      const log: PageLog = { events: [] };
      const w = window as unknown as { log: PageLog; conversation: unknown; ElevenLabsClient: any };
      w.log = log;
      const push = (name: string) => (value: unknown) => log.events.push([name, value]);
      w.conversation = await w.ElevenLabsClient.Conversation.startSession({
        agentId,
        origin,
        connectionType: 'websocket',
        onConnect: push('connect'),
        onMessage: (m: { source: string; message: string }) =>
          log.events.push(['message', `${m.source}: ${m.message}`]),
        onModeChange: (m: { mode: string }) => log.events.push(['mode', m.mode]),
        onInterruption: push('interruption'),
        onAgentResponseCorrection: push('correction'),
        onDisconnect: (d: { reason: string }) => log.events.push(['disconnect', d.reason]),
        onError: push('error'),
      });
      log.id = (w.conversation as { getId(): string }).getId();
    },
    { agentId, origin: emulator.wsUrl },
  );
}

const events = (page: ClientPage['page']) => page.evaluate(() => (window as unknown as { log: PageLog }).log.events);
const waitForEvent = (page: ClientPage['page'], name: string, value: unknown, timeout = 20_000) =>
  page.waitForFunction(
    ([n, v]) =>
      (window as unknown as { log: PageLog }).log.events.some(([en, ev]) => en === n && (v === null || ev === v)),
    [name, value] as const,
    { timeout },
  );

describe('voice sessions with the official client', () => {
  it('hears the exact words a fake microphone says, replies with audio, and ends cleanly', async () => {
    client = await openClientPage({ micWav: micSaying('what can you do', 3500) });
    const { page } = client;
    await startVoiceSession(page, 'public-voice');
    await waitForEvent(page, 'message', 'ai: Hello from the emulator.');
    await waitForEvent(page, 'message', 'user: what can you do');
    await waitForEvent(page, 'message', 'ai: I can answer you.');
    // The reply is heard: the client switches to speaking, then back to listening when its audio queue drains.
    await page.waitForFunction(
      () => {
        const e = (window as unknown as { log: PageLog }).log.events;
        const reply = e.findIndex(([n, v]) => n === 'message' && v === 'ai: I can answer you.');
        const modes = e
          .slice(reply)
          .filter(([n]) => n === 'mode')
          .map(([, v]) => v);
        return modes.join() === 'speaking,listening';
      },
      undefined,
      { timeout: 15_000 },
    );

    const id = await page.evaluate(() => (window as unknown as { log: PageLog }).log.id!);
    await page.evaluate(() =>
      (window as unknown as { conversation: { endSession(): Promise<void> } }).conversation.endSession(),
    );
    await waitForEvent(page, 'disconnect', 'user');
    await expect.poll(() => emulator.conversations.find((c) => c.conversation_id === id)?.close?.code).toBe(1000);

    const record = emulator.conversations.find((c) => c.conversation_id === id)!;
    expect(record.transcript.map((t) => `${t.role}: ${t.message}`)).toEqual([
      'agent: Hello from the emulator.',
      'user: what can you do',
      'agent: I can answer you.',
    ]);
    expect(record.audio_chunks_received).toBeGreaterThan(50);
    expect(record.vad_scores_sent).toBeGreaterThan(50); // one score answers each chunk
    const sent = record.sent.map((l) => (l.message as { type: string }).type);
    expect(sent).toEqual(expect.arrayContaining(['tentative_user_transcript', 'user_transcript', 'audio']));
    expect((await events(page)).filter(([n]) => n === 'error')).toEqual([]);
    expect(client.foreignRequests).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('is interrupted by the user: interruption, a corrected response, then the answer', async () => {
    client = await openClientPage({ micWav: micSaying('stop', 2500) });
    const { page } = client;
    await startVoiceSession(page, 'long-talker');
    await waitForEvent(page, 'interruption', null);
    await waitForEvent(page, 'message', 'user: stop');
    await waitForEvent(page, 'message', 'ai: Stopped.');

    const log = await events(page);
    const correction = log.find(([n]) => n === 'correction')![1] as Record<string, string>;
    const original = TEST_AGENTS.find((a) => a.agent_id === 'long-talker')!.first_message!;
    expect(correction.original_agent_response).toBe(original);
    expect(correction.corrected_agent_response.length).toBeLessThan(original.length);
    expect(original.startsWith(correction.corrected_agent_response)).toBe(true);
    // The mode goes back to listening at the interruption, before the answer.
    const interruptedAt = log.findIndex(([n]) => n === 'interruption');
    expect(log.slice(interruptedAt).find(([n]) => n === 'mode')?.[1]).toBe('listening');

    const id = await page.evaluate(() => (window as unknown as { log: PageLog }).log.id!);
    const record = emulator.conversations.find((c) => c.conversation_id === id)!;
    expect(record.transcript[0]).toMatchObject({
      role: 'agent',
      interrupted: true,
      message: correction.corrected_agent_response,
    });
    expect(violations).toEqual([]);
  });

  it('negotiates μ-law 8 kHz input and 44.1 kHz output as the agent is configured', async () => {
    emulator.addAgent({
      agent_id: 'ulaw-voice',
      input_audio_format: 'ulaw_8000',
      output_audio_format: 'pcm_44100',
      first_message: 'Telephone quality.',
      rules: [{ match: 'hello', reply: 'Hello on the phone.' }],
      turn_timeout_seconds: -1,
    });
    client = await openClientPage({ micWav: micSaying('hello there', 3000) });
    const { page } = client;
    await startVoiceSession(page, 'ulaw-voice');
    await waitForEvent(page, 'message', 'user: hello there');
    await waitForEvent(page, 'message', 'ai: Hello on the phone.');
    const id = await page.evaluate(() => (window as unknown as { log: PageLog }).log.id!);
    const metadata = emulator.conversations.find((c) => c.conversation_id === id)!.sent[0]!.message;
    expect(metadata).toEqual({
      type: 'conversation_initiation_metadata',
      conversation_initiation_metadata_event: {
        conversation_id: id,
        agent_output_audio_format: 'pcm_44100',
        user_input_audio_format: 'ulaw_8000',
      },
    });
    expect(violations).toEqual([]);
  });
});
