// Agent definitions: the JSON schema users write, its defaults, validation, and the built-in `demo` agent.
import type { ConversationInitiationMetadataEventAgentOutputAudioFormat as AudioFormat } from '@elevenlabs/types';

export type { AudioFormat };
export const AUDIO_FORMATS: readonly AudioFormat[] = [
  'pcm_8000',
  'pcm_16000',
  'pcm_22050',
  'pcm_24000',
  'pcm_44100',
  'pcm_48000',
  'ulaw_8000',
];

/** Server events the emulator can send; an agent's `client_events` selects among them, as on ElevenLabs. */
export const CLIENT_EVENTS = [
  'conversation_initiation_metadata',
  'ping',
  'audio',
  'interruption',
  'user_transcript',
  'tentative_user_transcript',
  'agent_response',
  'agent_response_correction',
  'agent_chat_response_part',
  'client_tool_call',
  'agent_tool_response',
  'vad_score',
] as const;
export type ClientEventName = (typeof CLIENT_EVENTS)[number];

/** A client tool the agent may call; the page implements it (`clientTools` in `@elevenlabs/client`). */
export interface ClientToolDefinition {
  name: string;
  description?: string;
  /** Wait for `client_tool_result` before speaking (ElevenLabs' "Wait for response"). Default true. */
  expects_response?: boolean;
  /** How long to wait for the result. Default 10. */
  timeout_seconds?: number;
}

/** One reply rule: the first rule whose `match` finds the user's words decides the agent's turn. */
export interface ReplyRule {
  /** A JavaScript regular expression, matched case-insensitively against what the user said or typed. */
  match: string;
  /** What the agent says. `{{variables}}`, `{{user_message}}`, `{{last_context}}` and (after a tool) `{{result}}` are filled in. */
  reply?: string;
  /** Call a client tool first; `reply` is spoken after its result arrives (or at once if it expects none). */
  tool?: { name: string; parameters?: Record<string, unknown> };
  /** Hang up after speaking, like the `end_call` system tool. */
  end_call?: boolean;
}

/** Which `conversation_config_override` fields a client may set (the agent's Security tab). */
export interface OverridePermissions {
  agent?: { first_message?: boolean; language?: boolean; prompt?: { prompt?: boolean; llm?: boolean } };
  tts?: { voice_id?: boolean; stability?: boolean; speed?: boolean; similarity_boost?: boolean };
  conversation?: { text_only?: boolean };
  custom_llm_extra_body?: boolean;
}

/** Faults to inject, for reliability tests. */
export interface Faults {
  /** Delay every message the emulator sends by this many ms (order is kept). */
  latency_ms?: number;
  /** Drop the TCP connection without a close frame this many ms after the session starts (the client sees 1006). */
  drop_after_ms?: number;
  /** Send one frame that is not JSON this many ms after the session starts. */
  malformed_frame_after_ms?: number;
  /** Refuse the conversation as an account out of credits would be refused. */
  quota_exceeded?: boolean;
}

/** An agent as written in an agents JSON file. Only `agent_id` is required. */
export interface AgentDefinition {
  agent_id: string;
  name?: string;
  /** Spoken when the conversation starts; empty means the agent waits for the user. Supports `{{variables}}`. */
  first_message?: string;
  language?: string;
  /** Languages a client may pick with the `language` override (besides `language`). */
  supported_languages?: string[];
  voice_id?: string;
  text_only?: boolean;
  /** Private agent: connections need a signed URL (ElevenLabs' "Enable authentication"). */
  auth_required?: boolean;
  /** Hostnames (with port where not default) allowed to connect, matched exactly against the Origin header. Empty = any. */
  allowlist?: string[];
  overrides?: OverridePermissions;
  /** Dynamic variables with their default values; `{{name}}` without a default must be sent by the client. */
  dynamic_variables?: Record<string, string | number | boolean>;
  client_events?: ClientEventName[];
  input_audio_format?: AudioFormat;
  output_audio_format?: AudioFormat;
  client_tools?: ClientToolDefinition[];
  rules?: ReplyRule[];
  /** Said when no rule matches. Default: repeats what it heard. */
  fallback_reply?: string;
  /** Said when the user's audio is not the emulator's own synthetic speech. */
  unrecognized_reply?: string;
  /** Silence after speech that ends the user's turn. Default 700. */
  end_of_turn_silence_ms?: number;
  /** After the agent spoke, silence this long makes it ask whether the user is still there; -1 disables. Default 7. */
  turn_timeout_seconds?: number;
  /** Default 600 (10 minutes). */
  max_duration_seconds?: number;
  /** Partial `widget_config` returned by `GET /v1/convai/agents/{id}/widget`. */
  widget?: Record<string, unknown>;
  faults?: Faults;
}

export type Agent = Required<Omit<AgentDefinition, 'widget' | 'faults' | 'name'>> & {
  name: string;
  widget: Record<string, unknown>;
  faults: Faults;
};

export class AgentConfigError extends Error {
  override name = 'AgentConfigError';
}

const DEFAULT_CLIENT_EVENTS: ClientEventName[] = [...CLIENT_EVENTS];

/** Fills defaults and checks types, with an error naming the agent and field on bad input. */
export function resolveAgent(definition: AgentDefinition): Agent {
  const d = definition as unknown as Record<string, unknown>;
  if (!d || typeof d !== 'object') throw new AgentConfigError('Each agent must be a JSON object.');
  const id = d.agent_id;
  if (typeof id !== 'string' || !/^[\w-]{1,128}$/.test(id)) {
    throw new AgentConfigError(`Agent ids must be 1–128 letters, digits, "_" or "-"; got ${JSON.stringify(id)}.`);
  }
  const fail = (field: string, expected: string): never => {
    throw new AgentConfigError(`Agent "${id}": "${field}" must be ${expected}.`);
  };
  const str = (field: string, fallback: string) => {
    const v = d[field];
    if (v === undefined) return fallback;
    return typeof v === 'string' ? v : fail(field, 'a string');
  };
  const bool = (field: string, fallback: boolean) => {
    const v = d[field];
    if (v === undefined) return fallback;
    return typeof v === 'boolean' ? v : fail(field, 'true or false');
  };
  const num = (field: string, fallback: number) => {
    const v = d[field];
    if (v === undefined) return fallback;
    return typeof v === 'number' && Number.isFinite(v) ? v : fail(field, 'a number');
  };
  const strings = (field: string) => {
    const v = d[field];
    if (v === undefined) return [];
    return Array.isArray(v) && v.every((s) => typeof s === 'string')
      ? (v as string[])
      : fail(field, 'a list of strings');
  };
  const object = <T>(field: string): T | undefined => {
    const v = d[field];
    if (v === undefined) return undefined;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as T) : fail(field, 'an object');
  };
  const format = (field: string): AudioFormat => {
    const v = str(field, 'pcm_16000');
    return (AUDIO_FORMATS as readonly string[]).includes(v)
      ? (v as AudioFormat)
      : fail(field, AUDIO_FORMATS.join(' | '));
  };
  const clientEvents = d.client_events === undefined ? DEFAULT_CLIENT_EVENTS : strings('client_events');
  for (const e of clientEvents) {
    if (!(CLIENT_EVENTS as readonly string[]).includes(e))
      fail('client_events', `a list of: ${CLIENT_EVENTS.join(', ')}`);
  }
  const rules = (d.rules ?? []) as ReplyRule[];
  if (!Array.isArray(rules)) fail('rules', 'a list');
  rules.forEach((rule, i) => {
    if (!rule || typeof rule.match !== 'string') fail(`rules[${i}].match`, 'a regular expression string');
    try {
      new RegExp(rule.match, 'i');
    } catch {
      fail(`rules[${i}].match`, 'a valid regular expression');
    }
    if (rule.reply !== undefined && typeof rule.reply !== 'string') fail(`rules[${i}].reply`, 'a string');
    if (rule.tool !== undefined && typeof rule.tool?.name !== 'string') fail(`rules[${i}].tool.name`, 'a string');
  });
  const tools = (d.client_tools ?? []) as ClientToolDefinition[];
  if (!Array.isArray(tools) || !tools.every((t) => t && typeof t.name === 'string')) {
    fail('client_tools', 'a list of { "name": string, … }');
  }
  for (const rule of rules) {
    if (rule.tool && !tools.some((t) => t.name === rule.tool?.name)) {
      fail('rules', `naming only tools listed in "client_tools" (missing "${rule.tool.name}")`);
    }
  }
  const variables = object<Record<string, string | number | boolean>>('dynamic_variables') ?? {};
  return {
    agent_id: id,
    name: str('name', id),
    first_message: str('first_message', ''),
    language: str('language', 'en'),
    supported_languages: strings('supported_languages'),
    voice_id: str('voice_id', 'emulator-voice'),
    text_only: bool('text_only', false),
    auth_required: bool('auth_required', false),
    allowlist: strings('allowlist').map((h) => h.toLowerCase()),
    overrides: object<OverridePermissions>('overrides') ?? {},
    dynamic_variables: variables,
    client_events: clientEvents as ClientEventName[],
    input_audio_format: format('input_audio_format'),
    output_audio_format: format('output_audio_format'),
    client_tools: tools,
    rules,
    fallback_reply: str('fallback_reply', 'You said: {{user_message}}'),
    unrecognized_reply: str(
      'unrecognized_reply',
      'I heard you, but I am an emulator: I only understand my own synthetic speech and typed messages.',
    ),
    end_of_turn_silence_ms: num('end_of_turn_silence_ms', 700),
    turn_timeout_seconds: num('turn_timeout_seconds', 7),
    max_duration_seconds: num('max_duration_seconds', 600),
    widget: object<Record<string, unknown>>('widget') ?? {},
    faults: object<Faults>('faults') ?? {},
  };
}

/** Reads `{ "agents": [...] }` or a bare list, as in an agents JSON file. */
export function parseAgentsJson(json: string, source = 'agents JSON'): AgentDefinition[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new AgentConfigError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(value) ? value : (value as { agents?: unknown })?.agents;
  if (!Array.isArray(list)) throw new AgentConfigError(`${source} must be a list of agents or { "agents": [...] }.`);
  return list as AgentDefinition[];
}

/** The built-in agent: explains itself, answers a few phrases, shows a client tool and hangs up on "goodbye". */
export const DEMO_AGENT: AgentDefinition = {
  agent_id: 'demo',
  name: 'elevenkit demo agent',
  first_message:
    "Hi! I'm the elevenkit emulator's demo agent, running on your own machine. Ask me what I can do, or what time it is.",
  supported_languages: ['es', 'fr', 'de'],
  overrides: {
    agent: { first_message: true, language: true, prompt: { prompt: true } },
    tts: { voice_id: true, speed: true },
    conversation: { text_only: true },
  },
  client_tools: [
    { name: 'get_local_time', description: "Reads the time on the user's device.", expects_response: true },
  ],
  rules: [
    {
      match: 'what can you do|help',
      reply:
        'I can answer a few phrases, ask your page for the time with a client tool, and hang up when you say goodbye. Everything stays on your computer.',
    },
    { match: '\\btime\\b', tool: { name: 'get_local_time' }, reply: 'Your device says it is {{result}}.' },
    { match: 'looking at|this page', reply: 'Your page told me: {{last_context}}.' },
    { match: '\\b(good ?bye|bye)\\b', reply: 'Goodbye!', end_call: true },
    { match: '\\b(hello|hi|hey)\\b', reply: 'Hello! Ask me what I can do.' },
  ],
  widget: { text_input_enabled: true, transcript_enabled: true, mic_muting_enabled: true, supports_text_only: true },
};
