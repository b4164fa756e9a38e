// Attributes → settings. Every rule of "attribute > fetched widget config > default" lives here, as pure functions
// the element calls on each render (attributes stay live) and the unit tests call directly.

/** A `widget_config` as `GET /v1/convai/agents/{id}/widget` returns it (only the fields the widget reads). */
export interface WidgetConfig {
  variant?: string | null;
  placement?: string | null;
  avatar?: { type?: string; color_1?: string; color_2?: string; url?: string; custom_url?: string } | null;
  mic_muting_enabled?: boolean | null;
  transcript_enabled?: boolean | null;
  text_input_enabled?: boolean | null;
  default_expanded?: boolean | null;
  always_expanded?: boolean | null;
  dismissible?: boolean | null;
  strip_audio_tags?: boolean | null;
  show_conversation_id?: boolean | null;
  show_agent_status?: boolean | null;
  text_only?: boolean | null;
  supports_text_only?: boolean | null;
  use_rtc?: boolean | null;
  first_message?: string | null;
  language?: string | null;
  supported_language_overrides?: string[] | null;
  feedback_mode?: string | null;
  end_feedback?: { type?: string | null } | null;
  text_contents?: Record<string, string | null> | null;
  language_presets?: Record<string, { text_contents?: Record<string, string | null> | null } | null> | null;
  styles?: Record<string, string | number | null> | null;
  action_text?: string | null;
  start_call_text?: string | null;
  end_call_text?: string | null;
  expand_text?: string | null;
  listening_text?: string | null;
  speaking_text?: string | null;
}

export const VARIANTS = ['tiny', 'compact', 'full'] as const;
export const PLACEMENTS = ['top-left', 'top', 'top-right', 'bottom-left', 'bottom', 'bottom-right'] as const;
export type Variant = (typeof VARIANTS)[number];
export type Placement = (typeof PLACEMENTS)[number];

/** The UI strings, with the keys and defaults of the official widget's `text_contents`. */
export const DEFAULT_TEXT = {
  main_label: 'Need help?',
  start_call: 'Start a call',
  start_chat: 'Start a chat',
  new_call: 'New call',
  end_call: 'End',
  mute_microphone: 'Mute microphone',
  unmute_microphone: 'Unmute microphone',
  volume: 'Agent volume',
  collapse: 'Collapse',
  expand: 'Expand',
  dismiss: 'Dismiss',
  copied: 'Copied!',
  listening_status: 'Listening',
  speaking_status: 'Talk to interrupt',
  connecting_status: 'Connecting',
  chatting_status: 'Chatting with AI Agent',
  microphone_request: 'Your browser will ask to use the microphone.',
  input_label: 'Text message input',
  input_placeholder: 'Send a message',
  input_placeholder_text_only: 'Send a message',
  input_placeholder_new_conversation: 'Start a new conversation',
  send_message: 'Send',
  user_ended_conversation: 'You ended the conversation',
  agent_ended_conversation: 'The agent ended the conversation',
  conversation_id: 'ID',
  copy_id: 'Copy ID',
  error_occurred: 'An error occurred',
  try_again: 'Try again',
  chat_instead: 'Chat by text instead',
  transcript_label: 'Conversation',
  tool_running: 'Working…',
  tool_done: 'Completed',
  tool_error: 'Error occurred',
  feedback_question: 'Was this conversation helpful?',
  feedback_like: 'Helpful',
  feedback_dislike: 'Not helpful',
  feedback_thanks: 'Thanks for your feedback.',
  feedback_rating_question: 'How was this conversation?',
  /** `{n}` is the number of stars. */
  feedback_stars: '{n} of 5 stars',
};
export type TextContents = typeof DEFAULT_TEXT;

/** The six legacy `*-text` attributes and config fields, and the `text_contents` key each stands for. */
const LEGACY_TEXT = {
  action: 'main_label',
  start_call: 'start_call',
  end_call: 'end_call',
  expand: 'expand',
  listening: 'listening_status',
  speaking: 'speaking_status',
} as const;

/** The official widget's names for strings this one names otherwise (its end-of-call rating). */
const OFFICIAL_TEXT_KEYS: Record<string, keyof typeof DEFAULT_TEXT> = {
  initiate_feedback: 'feedback_rating_question',
  thanks_for_feedback: 'feedback_thanks',
};

/** `server-location` → the HTTP origin of config, feedback and (as ws/wss) the conversation socket. */
export const SERVER_LOCATIONS: Record<string, string> = {
  us: 'https://api.us.elevenlabs.io',
  global: 'https://api.elevenlabs.io',
  'eu-residency': 'https://api.eu.residency.elevenlabs.io',
  'in-residency': 'https://api.in.residency.elevenlabs.io',
};

/** Reports an attribute whose value was ignored; the element warns once per attribute and value. */
export type Warn = (attribute: string, message: string) => void;

type Attributes = (name: string) => string | null;

/** `"true"` / `"false"` only, as the official widget; anything else is ignored with a warning. */
export function parseBoolean(name: string, value: string | null, warn: Warn): boolean | undefined {
  if (value === null) return undefined;
  const normalized = value.trim().toLowerCase();
  if (normalized === 'true' || normalized === '') return true;
  if (normalized === 'false') return false;
  warn(name, `expects "true" or "false"; got "${value}".`);
  return undefined;
}

export function parseJson(name: string, value: string | null, warn: Warn): Record<string, unknown> | undefined {
  if (value === null || !value.trim()) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  warn(name, 'expects a JSON object; the value was ignored.');
  return undefined;
}

export function parseChoice<T extends string>(
  name: string,
  value: string | null,
  choices: readonly T[],
  warn: Warn,
): T | undefined {
  if (value === null) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  warn(name, `expects one of ${choices.join(', ')}; got "${value}".`);
  return undefined;
}

export function parseNumber(name: string, value: string | null, min: number, max: number, warn: Warn) {
  if (value === null || !value.trim()) return undefined;
  const number = Number(value);
  if (Number.isFinite(number) && number >= min && number <= max) return number;
  warn(name, `expects a number from ${min} to ${max}; got "${value}".`);
  return undefined;
}

/** An http(s) origin, or undefined with a warning. */
export function parseOrigin(name: string, value: string | null, warn: Warn): string | undefined {
  if (value === null || !value.trim()) return undefined;
  try {
    const url = new URL(value);
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
      return `${url.protocol.replace(/^ws/, 'http')}//${url.host}`;
    }
  } catch {
    // reported below
  }
  warn(name, `expects an http(s) origin such as https://api.elevenlabs.io; got "${value}".`);
  return undefined;
}

/** A URL the avatar may show: http(s) or same-page relative; never `javascript:` and the like. */
export function safeImageUrl(name: string, value: string | null | undefined, warn: Warn): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value, globalThis.location?.href ?? 'http://localhost/');
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // reported below
  }
  warn(name, 'expects an http(s) image URL; the value was ignored.');
  return undefined;
}

const COLOR_FUNCTIONS = new Set(['rgb', 'rgba', 'hsl', 'hsla', 'hwb', 'lab', 'lch', 'oklab', 'oklch', 'color', 'var']);

/**
 * A CSS colour and nothing else: a colour's characters only (so nothing can end a declaration or a rule, since config
 * styles are written into a style sheet), and only colour functions (so no `url(//elsewhere)` request).
 */
const safeColor = (value: unknown) =>
  typeof value === 'string' &&
  /^[#a-zA-Z0-9(),./%\s-]{1,64}$/.test(value) &&
  [...value.matchAll(/([a-zA-Z-]*)\(/g)].every(([, name]) => COLOR_FUNCTIONS.has(name!.toLowerCase()))
    ? value
    : undefined;

export interface WidgetSettings {
  variant: Variant;
  placement: Placement;
  avatar: { type: 'orb'; color1: string; color2: string } | { type: 'image'; url: string };
  micMuting: boolean;
  transcript: boolean;
  textInput: boolean;
  textOnly: boolean;
  /** Typing while disconnected may start a text-only session (no microphone). */
  supportsTextOnly: boolean;
  /** The sheet (transcript and/or text input) exists. */
  expandable: boolean;
  defaultExpanded: boolean;
  alwaysExpanded: boolean;
  dismissible: boolean;
  stripAudioTags: boolean;
  showConversationId: boolean;
  showAgentStatus: boolean;
  /** After the call: stars when `end_feedback.type` is `rating` (as the official widget), thumbs for `feedback_mode: end`. */
  feedback: 'rating' | 'thumbs' | null;
  useRtc: boolean;
  text: TextContents;
  /** `widget_config.styles` as `--el-*` custom properties. */
  styles: Record<string, string>;
  /**
   * The `language` attribute, as the official widget takes it: the conversation's language too (sent as the
   * `agent.language` override) when the agent offers it (`supported_language_overrides`) and it is not the default.
   */
  conversationLanguage: string | undefined;
}

/** Attribute > config > default, for everything the element draws. */
export function resolveSettings(attr: Attributes, config: WidgetConfig | null, warn: Warn): WidgetSettings {
  const c = config ?? {};
  const bool = (name: string, configValue: boolean | null | undefined, fallback: boolean) =>
    parseBoolean(name, attr(name), warn) ?? configValue ?? fallback;

  const textOnly = bool('override-text-only', c.text_only, false);
  const transcript = textOnly || bool('transcript', c.transcript_enabled, false);
  const textInput = textOnly || bool('text-input', c.text_input_enabled, false);
  const alwaysExpanded = bool('always-expanded', c.always_expanded, false);

  const imageUrl = safeImageUrl('avatar-image-url', attr('avatar-image-url'), warn);
  const color1 = attr('avatar-orb-color-1');
  const color2 = attr('avatar-orb-color-2');
  const configAvatar = c.avatar ?? {};
  const configImage =
    configAvatar.type === 'image' || configAvatar.type === 'url'
      ? safeImageUrl('avatar', configAvatar.url ?? configAvatar.custom_url, warn)
      : undefined;
  let avatar: WidgetSettings['avatar'];
  if (imageUrl) avatar = { type: 'image', url: imageUrl };
  else if (safeColor(color1) && safeColor(color2)) avatar = { type: 'orb', color1: color1!, color2: color2! };
  else if (configImage) avatar = { type: 'image', url: configImage };
  else {
    avatar = {
      type: 'orb',
      color1: safeColor(configAvatar.color_1) ?? '#2792dc',
      color2: safeColor(configAvatar.color_2) ?? '#9ce6e6',
    };
  }
  if ((color1 === null) !== (color2 === null)) {
    warn('avatar-orb-color-1', 'needs avatar-orb-color-2 as well (and the other way round).');
  }
  for (const [name, value] of [
    ['avatar-orb-color-1', color1],
    ['avatar-orb-color-2', color2],
  ] as const) {
    if (value !== null && !safeColor(value)) warn(name, `expects a CSS colour; got "${value}".`);
  }

  return {
    variant: parseChoice('variant', attr('variant'), VARIANTS, warn) ?? asChoice(c.variant, VARIANTS) ?? 'compact',
    placement:
      parseChoice('placement', attr('placement'), PLACEMENTS, warn) ??
      asChoice(c.placement, PLACEMENTS) ??
      'bottom-right',
    avatar,
    micMuting: !textOnly && bool('mic-muting', c.mic_muting_enabled, false),
    transcript,
    textInput,
    textOnly,
    supportsTextOnly: textOnly || Boolean(c.supports_text_only),
    expandable: transcript || textInput || alwaysExpanded,
    defaultExpanded: bool('default-expanded', c.default_expanded, false),
    alwaysExpanded,
    dismissible: bool('dismissible', c.dismissible, false),
    stripAudioTags: bool('strip-audio-tags', c.strip_audio_tags, !textOnly),
    showConversationId: bool('show-conversation-id', c.show_conversation_id, true),
    showAgentStatus: bool('show-agent-status', c.show_agent_status, false),
    feedback: c.end_feedback?.type === 'rating' ? 'rating' : c.feedback_mode === 'end' ? 'thumbs' : null,
    useRtc: bool('use-rtc', c.use_rtc, false),
    text: resolveText(attr, c, warn),
    styles: resolveStyles(c.styles),
    conversationLanguage: offeredLanguage(attr('language')?.trim(), c),
  };
}

function offeredLanguage(language: string | undefined, c: WidgetConfig) {
  const offered = Array.isArray(c.supported_language_overrides) ? c.supported_language_overrides : [];
  return language && language !== c.language && offered.includes(language) ? language : undefined;
}

const asChoice = <T extends string>(value: unknown, choices: readonly T[]) =>
  (choices as readonly unknown[]).includes(value) ? (value as T) : undefined;

/** `text-contents` > legacy `*-text` attribute > language preset > config `text_contents` > legacy config > default. */
function resolveText(attr: Attributes, c: WidgetConfig, warn: Warn): TextContents {
  const text: Record<string, string> = { ...DEFAULT_TEXT };
  const layer = (values: Record<string, unknown> | null | undefined) => {
    for (const [name, value] of Object.entries(values ?? {})) {
      const key = OFFICIAL_TEXT_KEYS[name] ?? name;
      if (key in DEFAULT_TEXT && typeof value === 'string' && value.trim()) text[key] = value;
    }
  };
  for (const [legacy, key] of Object.entries(LEGACY_TEXT)) {
    const value = c[`${legacy}_text` as keyof WidgetConfig];
    if (typeof value === 'string' && value.trim()) text[key] = value;
  }
  layer(c.text_contents);
  const language = attr('override-language') ?? attr('language') ?? c.language;
  if (language) layer(c.language_presets?.[language]?.text_contents);
  for (const [legacy, key] of Object.entries(LEGACY_TEXT)) {
    const value = attr(`${legacy.replace('_', '-')}-text`);
    if (value?.trim()) text[key] = value;
  }
  layer(parseJson('text-contents', attr('text-contents'), warn));
  return text as TextContents;
}

function resolveStyles(styles: WidgetConfig['styles']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(styles ?? {})) {
    if (!/^[a-z_]{1,40}$/.test(key)) continue;
    const css = typeof value === 'number' ? `${value}px` : safeColor(value);
    if (css) result[`--el-${key.replaceAll('_', '-')}`] = css;
  }
  return result;
}

/** Where config, feedback and the conversation socket go: `origin` > `server-location` > ElevenLabs (us). */
export function resolveOrigin(attr: Attributes, warn: Warn): { http: string; ws: string } {
  const explicit = parseOrigin('origin', attr('origin'), warn);
  const location = attr('server-location');
  let http = explicit;
  if (!http) {
    if (location !== null && !(location in SERVER_LOCATIONS)) {
      warn('server-location', `expects one of ${Object.keys(SERVER_LOCATIONS).join(', ')}; got "${location}".`);
    }
    http = SERVER_LOCATIONS[location ?? 'us'] ?? SERVER_LOCATIONS.us!;
  }
  return { http, ws: http.replace(/^http/, 'ws') };
}

/** The agent the config belongs to and the signature that lets a private agent's config load. */
export function configTarget(attr: Attributes): { agentId: string; signature?: string } | null {
  const agentId = attr('agent-id')?.trim();
  const signedUrl = attr('signed-url');
  if (signedUrl) {
    try {
      const url = new URL(signedUrl);
      const fromUrl = url.searchParams.get('agent_id');
      const signature = url.searchParams.get('conversation_signature') ?? undefined;
      if (fromUrl) return { agentId: fromUrl, signature };
    } catch {
      // not a URL: the start of a call reports it
    }
  }
  return agentId ? { agentId } : null;
}

/** What the session is started with, before `elevenlabs-convai:call` listeners get their say. */
export interface SessionInputs {
  userId: string;
  origin: { http: string; ws: string };
}

export function sessionOptions(attr: Attributes, settings: WidgetSettings, inputs: SessionInputs, warn: Warn) {
  const agentId = attr('agent-id')?.trim() || undefined;
  const signedUrl = attr('signed-url')?.trim() || undefined;
  const endpoint = attr('signed-url-endpoint')?.trim() || undefined;
  const dynamicVariables = parseJson('dynamic-variables', attr('dynamic-variables'), warn) as
    Record<string, string | number | boolean> | undefined;
  const prompt = attr('override-prompt') ?? undefined;
  const llm = attr('override-llm') ?? undefined;
  const firstMessage = attr('override-first-message') ?? undefined;
  const language = attr('override-language') ?? settings.conversationLanguage;
  const voiceId = attr('override-voice-id') ?? undefined;
  const speed = parseNumber('override-speed', attr('override-speed'), 0.7, 5, warn);
  const stability = parseNumber('override-stability', attr('override-stability'), 0, 1, warn);
  const similarityBoost = parseNumber('override-similarity-boost', attr('override-similarity-boost'), 0, 1, warn);
  const textOnlyOverride = parseBoolean('override-text-only', attr('override-text-only'), () => {});

  const overrides = {
    agent: {
      ...(prompt !== undefined || llm !== undefined ? { prompt: { prompt, llm } } : {}),
      ...(firstMessage !== undefined ? { firstMessage } : {}),
      ...(language !== undefined ? { language: language as never } : {}),
    },
    tts: {
      ...(voiceId !== undefined ? { voiceId } : {}),
      ...(speed !== undefined ? { speed } : {}),
      ...(stability !== undefined ? { stability } : {}),
      ...(similarityBoost !== undefined ? { similarityBoost } : {}),
    },
    ...(textOnlyOverride !== undefined ? { conversation: { textOnly: textOnlyOverride } } : {}),
  };
  const raw = attr('worklet-path-raw-audio-processor') ?? undefined;
  const concat = attr('worklet-path-audio-concat-processor') ?? undefined;
  const libsamplerate = attr('worklet-path-libsamplerate') ?? undefined;
  const environment = attr('environment') ?? undefined;

  // As the official widget: agent-id wins over signed-url; the endpoint attribute needs an agent id to ask for.
  const target = endpoint
    ? { agentId: agentId ?? '', signedUrlEndpoint: endpoint, connectionType: 'websocket' as const }
    : agentId
      ? {
          agentId,
          origin: inputs.origin.ws,
          connectionType: settings.useRtc ? ('webrtc' as const) : ('websocket' as const),
        }
      : signedUrl
        ? { signedUrl, connectionType: 'websocket' as const }
        : null;
  if (!target) return null;
  return {
    ...target,
    ...(settings.textOnly ? { textOnly: true } : {}),
    overrides,
    ...(dynamicVariables ? { dynamicVariables } : {}),
    userId: inputs.userId,
    ...(environment ? { environment } : {}),
    ...(raw || concat ? { workletPaths: { rawAudioProcessor: raw, audioConcatProcessor: concat } } : {}),
    ...(libsamplerate ? { libsampleratePath: libsamplerate } : {}),
  };
}
