// Agents the demo server's emulator serves besides its built-in `demo` agent.
import type { AgentDefinition } from '../packages/emulator/src/index.ts';

/** Answers only connections that bring a signed URL, which the page gets from the token endpoint. */
export const DEMO_PRIVATE_AGENT: AgentDefinition = {
  agent_id: 'demo-private',
  name: 'elevenkit private demo agent',
  auth_required: true,
  first_message:
    "Hi! I'm a private agent: you reached me with a signed URL from this server's token endpoint, and the API key never left the server.",
  overrides: { conversation: { text_only: true } },
  rules: [
    {
      match: 'what can you do|help|private',
      reply: 'I only talk to pages that bring a signed URL, which only a server holding the API key can mint.',
    },
    { match: '\\b(good ?bye|bye)\\b', reply: 'Goodbye!', end_call: true },
  ],
  widget: { text_input_enabled: true, transcript_enabled: true, supports_text_only: true },
};
