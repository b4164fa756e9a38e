// The official @elevenlabs/client, in Chromium, against the emulator: sessions without a microphone.
// (Voice sessions with a fake microphone are in voice.e2e.test.ts.)
import { Conversation, postOverallFeedback, SessionConnectionError } from '@elevenlabs/client';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { commands } from 'vitest/browser';

const origin = inject('emulatorWsUrl');
const open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.endSession()));
});

type Options = Parameters<typeof Conversation.startSession>[0];

/** Starts a session and records what the client reports, with a helper to wait for a callback. */
async function start(options: Partial<Options>) {
  const seen = {
    messages: [] as { source: string; message: string }[],
    parts: [] as { type: string; text: string }[],
    disconnect: null as null | { reason: string; closeCode?: number; closeReason?: string },
    pings: 0,
    errors: [] as string[],
  };
  const waiters: (() => void)[] = [];
  const notify = () => waiters.splice(0).forEach((w) => w());
  const conversation = await Conversation.startSession({
    origin,
    connectionType: 'websocket',
    ...options,
    onMessage: (m) => (seen.messages.push({ source: m.source, message: m.message }), notify()),
    onAgentChatResponsePart: (p) => (seen.parts.push(p), notify()),
    onDisconnect: (d) => ((seen.disconnect = d as typeof seen.disconnect), notify()),
    onPing: () => (seen.pings++, notify()),
    onError: (message) => (seen.errors.push(message), notify()),
  } as Options);
  open.push(conversation);
  const until = (check: () => boolean, what: string, timeoutMs = 8000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const test = () => (check() ? (clearTimeout(timer), resolve()) : waiters.push(test));
      test();
    });
  return { conversation, seen, until, id: conversation.getId() };
}

const startFailure = async (options: Partial<Options>) => {
  try {
    await start(options);
  } catch (error) {
    return error;
  }
  throw new Error('the session started, but it should have been refused');
};

describe('text-only session (chat mode)', () => {
  it('greets, streams reply parts, answers with agent_response and ends cleanly', async () => {
    const { conversation, seen, until, id } = await start({ agentId: 'text-agent', textOnly: true });
    expect(id).toMatch(/^conv_/);
    await until(() => seen.messages.length >= 1, 'the first message');
    expect(seen.messages[0]).toEqual({ source: 'ai', message: 'Hi, type to me.' });

    conversation.sendUserMessage('What can you do?');
    await until(() => seen.messages.some((m) => m.message === 'I can chat with you in text.'), 'the reply');
    const reply = seen.parts.slice(seen.parts.findLastIndex((p) => p.type === 'start'));
    expect(reply[0]!.type).toBe('start');
    expect(reply.at(-1)!.type).toBe('stop');
    expect(
      reply
        .filter((p) => p.type === 'delta')
        .map((p) => p.text)
        .join(''),
    ).toBe('I can chat with you in text.');

    await conversation.endSession();
    expect(seen.disconnect?.reason).toBe('user');
    await expect.poll(async () => (await commands.conversation(id))?.close?.code).toBe(1000);
    const record = (await commands.conversation(id))!;
    expect(record.text_only).toBe(true);
    expect(record.transcript.map((t) => [t.role, t.message])).toEqual([
      ['agent', 'Hi, type to me.'],
      ['user', 'What can you do?'],
      ['agent', 'I can chat with you in text.'],
    ]);
    expect(record.sentTypes).not.toContain('audio');
    expect(await commands.contractViolations(id)).toEqual([]);
  });
});

describe('private agents', () => {
  it('connect with a signed URL from the server', async () => {
    const signedUrl = await commands.signedUrl('private-agent');
    const { seen, until, id } = await start({ signedUrl, textOnly: true });
    await until(() => seen.messages.length >= 1, 'the first message');
    expect(seen.messages[0]!.message).toBe('This is a private agent.');
    expect(await commands.contractViolations(id)).toEqual([]);
  });

  it('are refused without a signature, with the real close code and reason', async () => {
    const error = await startFailure({ agentId: 'private-agent', textOnly: true });
    expect(error).toBeInstanceOf(SessionConnectionError);
    expect(error).toMatchObject({ closeCode: 3000, closeReason: 'Could not authorize the conversation.' });
    expect((await commands.lastRefusal())?.detail).toBe('the agent requires a signed URL');
  });

  it('are refused with an expired signature', async () => {
    const signedUrl = await commands.signedUrl('private-agent', { ttlSeconds: -1 });
    expect(await startFailure({ signedUrl, textOnly: true })).toMatchObject({ closeCode: 3000 });
    expect((await commands.lastRefusal())?.detail).toBe('signature expired');
  });

  it('refuse a reused single-use signature', async () => {
    const signedUrl = await commands.signedUrl('private-agent', { singleUse: true });
    const first = await start({ signedUrl, textOnly: true });
    await first.conversation.endSession();
    expect(await startFailure({ signedUrl, textOnly: true })).toMatchObject({ closeCode: 3000 });
    expect((await commands.lastRefusal())?.detail).toBe('signature reused');
  });
});

describe('refusals', () => {
  it('an unknown agent', async () => {
    expect(await startFailure({ agentId: 'no-such-agent', textOnly: true })).toMatchObject({
      closeCode: 1008,
      closeReason: 'The AI agent you are trying to reach does not exist.',
    });
  });

  it('an origin outside the agent allowlist', async () => {
    expect(await startFailure({ agentId: 'allowlisted', textOnly: true })).toMatchObject({ closeCode: 3000 });
    expect((await commands.lastRefusal())?.detail).toMatch(
      /^origin http:\/\/(127\.0\.0\.1|localhost):\d+ is not in the allowlist$/,
    );
  });

  it('an override the agent does not allow', async () => {
    const error = await startFailure({
      agentId: 'strict-agent',
      textOnly: false,
      dynamicVariables: { user_name: 'Ada' },
      overrides: { agent: { firstMessage: 'Hijacked!' } },
    });
    expect(error).toMatchObject({
      closeCode: 1008,
      closeReason: "Override for field 'first_message' is not allowed by config.",
    });
  });

  it('a missing dynamic variable', async () => {
    const error = await startFailure({ agentId: 'strict-agent' });
    expect(error).toMatchObject({ closeCode: 1008, closeReason: 'Missing required dynamic variables: user_name.' });
  });
});

describe('client tools', () => {
  it('round trip: client_tool_call → the page runs the tool → client_tool_result → the agent speaks the result', async () => {
    const calls: unknown[] = [];
    const { conversation, seen, until, id } = await start({
      agentId: 'tool-agent',
      textOnly: true,
      clientTools: {
        get_weather: (parameters: unknown) => {
          calls.push(parameters);
          return 'sunny';
        },
      },
    });
    await until(() => seen.messages.length >= 1, 'the first message');
    conversation.sendUserMessage('How is the weather?');
    await until(() => seen.messages.some((m) => m.message === 'In Paris it is sunny.'), 'the tool result spoken');
    expect(calls).toEqual([{ city: 'Paris' }]);
    const record = (await commands.conversation(id))!;
    expect(record.tool_calls).toEqual([
      expect.objectContaining({ tool_name: 'get_weather', outcome: { result: 'sunny', is_error: false } }),
    ]);
    expect(record.sentTypes).toEqual(expect.arrayContaining(['client_tool_call', 'agent_tool_response']));
    expect(await commands.contractViolations(id)).toEqual([]);
  });

  it('end_call ends the conversation from the agent side', async () => {
    const { conversation, seen, until } = await start({ agentId: 'tool-agent', textOnly: true });
    await until(() => seen.messages.length >= 1, 'the first message');
    conversation.sendUserMessage('bye');
    await until(() => seen.disconnect !== null, 'the agent hanging up');
    expect(seen.messages.at(-1)).toEqual({ source: 'ai', message: 'Goodbye!' });
    expect(seen.disconnect!.reason).toBe('agent');
  });
});

describe('keep-alive and feedback', () => {
  it('answers pings with pongs the emulator matches', async () => {
    const { seen, until, id } = await start({ agentId: 'text-agent', textOnly: true });
    await until(() => seen.pings >= 2, 'two pings');
    await expect.poll(async () => (await commands.conversation(id))?.pongs).toBeGreaterThanOrEqual(2);
  });

  it('records per-response feedback over the socket and overall feedback over REST', async () => {
    const { conversation, seen, until, id } = await start({ agentId: 'text-agent', textOnly: true });
    await until(() => seen.messages.length >= 1, 'the first message');
    conversation.sendFeedback(true);
    await expect.poll(async () => (await commands.conversation(id))?.transcript[0]?.feedback?.score).toBe('like');
    await postOverallFeedback(id, false, inject('emulatorUrl'));
    expect((await commands.conversation(id))?.overall_feedback).toBe('dislike');
  });
});

describe('the published contract', () => {
  it('covers every message the emulator sent in this file, error events included', async () => {
    expect(await commands.allContractViolations()).toEqual([]);
  });
});
