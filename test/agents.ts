// Agents the conformance tests talk to, one per behaviour under test.
import type { AgentDefinition } from '../packages/emulator/src/index.ts';

const quiet = { turn_timeout_seconds: -1 };

export const TEST_AGENTS: AgentDefinition[] = [
  {
    agent_id: 'public-voice',
    first_message: 'Hello from the emulator.',
    rules: [{ match: 'what can you do', reply: 'I can answer you.' }],
    ...quiet,
  },
  {
    agent_id: 'long-talker',
    first_message:
      'Let me tell you a very long story about the history of speech synthesis, from the first mechanical talking machines to the neural voices of today, in great detail.',
    rules: [{ match: 'stop', reply: 'Stopped.' }],
    ...quiet,
  },
  {
    agent_id: 'text-agent',
    text_only: true,
    first_message: 'Hi, type to me.',
    rules: [{ match: 'what can you do', reply: 'I can chat with you in text.' }],
    ...quiet,
  },
  {
    agent_id: 'private-agent',
    auth_required: true,
    first_message: 'This is a private agent.',
    overrides: { conversation: { text_only: true } },
    ...quiet,
  },
  {
    agent_id: 'allowlisted',
    allowlist: ['example.com'],
    first_message: 'Only example.com may talk to me.',
    ...quiet,
  },
  {
    agent_id: 'tool-agent',
    first_message: 'Ask me about the weather.',
    overrides: { conversation: { text_only: true } },
    client_tools: [{ name: 'get_weather', expects_response: true, timeout_seconds: 5 }],
    rules: [
      {
        match: 'weather',
        tool: { name: 'get_weather', parameters: { city: 'Paris' } },
        reply: 'In Paris it is {{result}}.',
      },
      { match: 'bye', reply: 'Goodbye!', end_call: true },
    ],
    ...quiet,
  },
  {
    agent_id: 'strict-agent',
    first_message: 'Hello {{user_name}}.',
    overrides: {},
    ...quiet,
  },
];
