// Vitest browser commands: run in Node, next to the emulator started by ./browser-setup.ts.
import type { BrowserCommand } from 'vitest/node';
import type { ConversationRecord, Emulator } from '../packages/emulator/src/index.ts';
import type { TtsRecord } from '../packages/emulator/src/tts.ts';
import type { SttRecord } from '../packages/emulator/src/stt.ts';
import type { SttFaults } from '../packages/emulator/src/stt-faults.ts';
import type { TtsFaults } from '../packages/emulator/src/tts-faults.ts';
import { createTokenHandler } from '../packages/server/src/handler.ts';
import { contractErrors } from './contract.ts';

const emulator = (): Emulator => {
  const e = globalThis.elevenkitTestEmulator;
  if (!e) throw new Error('The test emulator is not running (test/browser-setup.ts).');
  return e;
};

const signedUrl: BrowserCommand<[agentId: string, options?: { ttlSeconds?: number; singleUse?: boolean }]> = (
  _ctx,
  agentId,
  options,
) =>
  `${emulator().wsUrl}/v1/convai/conversation?agent_id=${agentId}&conversation_signature=${emulator().sign(agentId, options)}`;

/** The record of a conversation, without the message logs (checked by `contractViolations`). */
const conversation: BrowserCommand<[conversationId: string]> = (_ctx, id) => {
  const record = emulator().conversations.find((c) => c.conversation_id === id);
  if (!record) return null;
  const { sent, received, ...rest } = record;
  return { ...rest, sentTypes: sent.map((l) => (l.message as { type: string }).type), receivedCount: received.length };
};

/** Every message the emulator sent in a conversation that breaks the published AsyncAPI contract. */
const contractViolations: BrowserCommand<[conversationId: string]> = (_ctx, id) => {
  const record = emulator().conversations.find((c) => c.conversation_id === id);
  if (!record) return [`no conversation ${id}`];
  return record.sent.flatMap((l) => contractErrors(l.message));
};

/** The same over every conversation the emulator has held so far. */
const allContractViolations: BrowserCommand<[]> = () =>
  emulator().conversations.flatMap((c) => c.sent.flatMap((l) => contractErrors(l.message)));

const lastRefusal: BrowserCommand<[]> = () => emulator().refusals.at(-1) ?? null;

/** Faults for the next text-to-speech request or stream-input connection (to `voiceId`, or any voice). */
const injectTtsFaults: BrowserCommand<[faults: TtsFaults, voiceId?: string]> = (_ctx, faults, voiceId) => {
  emulator().injectTtsFaults(faults, voiceId);
};

/** Every text-to-speech request and stream-input connection so far (newest last). */
const ttsRecords: BrowserCommand<[]> = () => emulator().ttsRequests.map((record) => ({ ...record }));

/**
 * A stream-input WebSocket URL authorised by a single-use token, minted here in Node by @elevenkit/server's
 * `single-use-token/tts_websocket` route, which holds the key, so the page never sees it.
 */
const ttsSocketUrl: BrowserCommand<[voiceId: string, query?: Record<string, string>]> = async (
  _ctx,
  voiceId,
  query,
) => {
  const e = emulator();
  const handler = createTokenHandler({ apiKey: 'elevenkit-test-key', apiOrigin: e.url, agents: [] });
  const res = await handler(
    new Request('http://127.0.0.1/api/elevenlabs/single-use-token/tts_websocket', { method: 'POST' }),
  );
  const { token } = (await res.json()) as { token: string };
  const params = new URLSearchParams({ ...query, single_use_token: token });
  return `${e.wsUrl}/v1/text-to-speech/${encodeURIComponent(voiceId)}/stream-input?${params}`;
};

/** Faults for the next speech-to-text request or realtime session. */
const injectSttFaults: BrowserCommand<[faults: SttFaults]> = (_ctx, faults) => {
  emulator().injectSttFaults(faults);
};

/** Every speech-to-text request and realtime session so far (newest last). */
const sttRecords: BrowserCommand<[]> = () => emulator().sttRequests.map((record) => ({ ...record }));

/**
 * A realtime speech-to-text WebSocket URL authorised by a single-use `realtime_scribe` token minted here in Node,
 * so the page never sees the key; or the token alone, for `Scribe.connect({ token, baseUri })`.
 */
const sttSocketUrl: BrowserCommand<[query?: Record<string, string>]> = async (_ctx, query) => {
  const e = emulator();
  const res = await fetch(`${e.url}/v1/single-use-token/realtime_scribe`, {
    method: 'POST',
    headers: { 'xi-api-key': 'elevenkit-test-key' },
  });
  const { token } = (await res.json()) as { token: string };
  const params = new URLSearchParams({ model_id: 'scribe_v2_realtime', ...query, token });
  return { url: `${e.wsUrl}/v1/speech-to-text/realtime?${params}`, token, baseUri: e.wsUrl };
};

export const emulatorCommands = {
  signedUrl,
  conversation,
  contractViolations,
  allContractViolations,
  lastRefusal,
  injectTtsFaults,
  ttsRecords,
  ttsSocketUrl,
  injectSttFaults,
  sttRecords,
  sttSocketUrl,
};

export type TestConversation = Omit<ConversationRecord, 'sent' | 'received'> & {
  sentTypes: string[];
  receivedCount: number;
};

declare module 'vitest/browser' {
  interface BrowserCommands {
    signedUrl(agentId: string, options?: { ttlSeconds?: number; singleUse?: boolean }): Promise<string>;
    conversation(conversationId: string): Promise<TestConversation | null>;
    contractViolations(conversationId: string): Promise<string[]>;
    allContractViolations(): Promise<string[]>;
    lastRefusal(): Promise<{ agentId: string | null; code: number; reason: string; detail: string } | null>;
    injectTtsFaults(faults: TtsFaults, voiceId?: string): Promise<void>;
    ttsRecords(): Promise<TtsRecord[]>;
    ttsSocketUrl(voiceId: string, query?: Record<string, string>): Promise<string>;
    injectSttFaults(faults: SttFaults): Promise<void>;
    sttRecords(): Promise<SttRecord[]>;
    sttSocketUrl(query?: Record<string, string>): Promise<{ url: string; token: string; baseUri: string }>;
  }
}
