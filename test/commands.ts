// Vitest browser commands: run in Node, next to the emulator started by ./browser-setup.ts.
import type { BrowserCommand } from 'vitest/node';
import type { ConversationRecord, Emulator } from '../packages/emulator/src/index.ts';
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

export const emulatorCommands = { signedUrl, conversation, contractViolations, allContractViolations, lastRefusal };

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
  }
}
