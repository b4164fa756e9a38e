import {
  ConversationSession,
  ElevenkitError,
  fetchSignedUrl,
  stripAudioTags,
  type ConversationSnapshot,
} from '@elevenkit/core';
import { postOverallFeedback, type PartialOptions } from '@elevenlabs/client';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { icons } from './icons.ts';
import {
  configTarget,
  parseBoolean,
  parseJson,
  resolveOrigin,
  resolveSettings,
  sessionOptions,
  type WidgetConfig,
  type WidgetSettings,
} from './settings.ts';
import { widgetStyles } from './styles.ts';
import { styleProperties } from './style-properties.ts';
import { loadWebRtc } from './siblings.ts';

/** Every attribute the element reads; all are live. */
export const ATTRIBUTES = [
  'agent-id',
  'signed-url',
  'signed-url-endpoint',
  'origin',
  'server-location',
  'variant',
  'placement',
  'avatar-image-url',
  'avatar-orb-color-1',
  'avatar-orb-color-2',
  'dynamic-variables',
  'language',
  'override-prompt',
  'override-llm',
  'override-first-message',
  'override-language',
  'override-voice-id',
  'override-speed',
  'override-stability',
  'override-similarity-boost',
  'override-text-only',
  'override-config',
  'mic-muting',
  'transcript',
  'text-input',
  'text-contents',
  'action-text',
  'start-call-text',
  'end-call-text',
  'expand-text',
  'listening-text',
  'speaking-text',
  'default-expanded',
  'always-expanded',
  'dismissible',
  'strip-audio-tags',
  'user-id',
  'use-rtc',
  'worklet-path-raw-audio-processor',
  'worklet-path-audio-concat-processor',
  'worklet-path-libsamplerate',
  'show-conversation-id',
  'show-agent-status',
  'allow-events',
  'environment',
] as const;

/** Attributes that change which widget config applies. */
const CONFIG_ATTRIBUTES = new Set([
  'agent-id',
  'signed-url',
  'signed-url-endpoint',
  'override-config',
  'origin',
  'server-location',
]);
const USER_ID_KEY = 'elevenlabs_convai_user_id';
const warned = new Set<string>();

type ClientTools = NonNullable<PartialOptions['clientTools']>;

/**
 * A voice and text conversation with an ElevenLabs agent: a drop-in for the official `<elevenlabs-convai>` widget,
 * with the same attributes and events, no third-party requests, and a WebSocket-only one-file build.
 *
 * @tag elevenlabs-convai
 * @summary Voice calls, text chat and a live transcript with an ElevenLabs agent.
 *
 * @attr agent-id - The public agent to talk to (wins over `signed-url`, as in the official widget).
 * @attr signed-url - A signed WebSocket URL for a private agent, minted by your server.
 * @attr signed-url-endpoint - Your endpoint answering `{ "signed_url" }` (e.g. `/api/elevenlabs/signed-url`); fetched fresh at the start of every call. Needs `agent-id`.
 * @attr origin - Where config, feedback and the conversation socket go (a residency region, a proxy, the emulator). Wins over `server-location`.
 * @attr server-location - `us` (default), `global`, `eu-residency` or `in-residency`.
 * @attr variant - `tiny`, `compact` (default) or `full`.
 * @attr placement - `top-left`, `top`, `top-right`, `bottom-left`, `bottom` or `bottom-right` (default).
 * @attr avatar-image-url - An http(s) image shown as the avatar.
 * @attr avatar-orb-color-1 - First colour of the avatar gradient (needs `avatar-orb-color-2`).
 * @attr avatar-orb-color-2 - Second colour of the avatar gradient.
 * @attr dynamic-variables - JSON object of dynamic variables for the agent.
 * @attr language - Language whose `language_presets` strings are shown.
 * @attr override-prompt - Replaces the agent's system prompt (if the agent allows the override).
 * @attr override-llm - Replaces the agent's LLM.
 * @attr override-first-message - Replaces the agent's first message.
 * @attr override-language - The conversation language.
 * @attr override-voice-id - The agent's voice.
 * @attr override-speed - Speech speed, 0.7–5.
 * @attr override-stability - Voice stability, 0–1.
 * @attr override-similarity-boost - Voice similarity boost, 0–1.
 * @attr override-text-only - `true`: chat by text only; the microphone is never requested.
 * @attr override-config - A whole `widget_config` as JSON; no config request is made.
 * @attr mic-muting - `true` shows a mute button during calls.
 * @attr transcript - `true` shows the conversation as text.
 * @attr text-input - `true` lets people type messages.
 * @attr text-contents - JSON object of UI strings (`text_contents` keys, e.g. `{"start_call":"Call us"}`).
 * @attr action-text - Legacy: the label (`main_label`).
 * @attr start-call-text - Legacy: the start button (`start_call`).
 * @attr end-call-text - Legacy: the end button (`end_call`).
 * @attr expand-text - Legacy: the expand button (`expand`).
 * @attr listening-text - Legacy: the listening status (`listening_status`).
 * @attr speaking-text - Legacy: the speaking status (`speaking_status`).
 * @attr default-expanded - `true` opens the conversation panel at first.
 * @attr always-expanded - `true` keeps the panel open, with no launcher.
 * @attr dismissible - `true` lets people hide the widget while no call runs.
 * @attr strip-audio-tags - `true` (default for voice agents) hides `[audio tags]` in agent messages.
 * @attr user-id - Your user id, sent as `user_id`; otherwise a random id kept in localStorage.
 * @attr use-rtc - `true` talks over WebRTC; the one-file build loads `elevenkit-widget-rtc.js` from beside itself when needed.
 * @attr worklet-path-raw-audio-processor - Self-hosted microphone worklet (for a strict Content-Security-Policy).
 * @attr worklet-path-audio-concat-processor - Self-hosted playback worklet.
 * @attr worklet-path-libsamplerate - Self-hosted resampler, for browsers that cannot capture at 16 kHz.
 * @attr show-conversation-id - `false` hides the conversation id after a call (errors always show it).
 * @attr show-agent-status - `true` shows tool calls in the transcript.
 * @attr allow-events - `true` (or the bare attribute) accepts `elevenlabs-agent:user-message`, `:user-activity` and `:contextual-update` events on the element.
 * @attr environment - Passed to ElevenLabs as `environment`.
 *
 * @fires elevenlabs-convai:call - Before every session; `detail.config` (the session options) may be changed or replaced, e.g. to add `clientTools`.
 * @fires elevenlabs-convai:connect - Connected; `detail.conversationId`.
 * @fires elevenlabs-convai:disconnect - Ended; `detail.reason` is `user`, `agent` or `error`, with `detail.message` for errors.
 * @fires elevenlabs-convai:status - `detail.status`: idle, connecting, connected, disconnecting, disconnected or error.
 * @fires elevenlabs-convai:mode - `detail.mode`: speaking or listening.
 * @fires elevenlabs-convai:message - A final message; `detail.role` (user or agent) and `detail.message`.
 * @fires elevenlabs-convai:tool-call - The agent called a client tool; `detail.name` and `detail.parameters`.
 * @fires elevenlabs-convai:error - `detail.code` and `detail.message`.
 *
 * @csspart launcher - The collapsed widget: avatar, label and buttons.
 * @csspart avatar - The avatar (orb gradient or image); it grows with the voice level.
 * @csspart sheet - The expanded panel with the transcript and text input.
 * @csspart transcript - The message log.
 * @csspart message - One message bubble.
 * @csspart input - The text input.
 * @csspart button - Every button.
 * @csspart error - An error with its retry button.
 *
 * @cssprop --el-base - Background.
 * @cssprop --el-base-hover - Background of hovered buttons and agent messages.
 * @cssprop --el-base-primary - Text colour.
 * @cssprop --el-base-subtle - Secondary text colour.
 * @cssprop --el-base-border - Borders.
 * @cssprop --el-base-error - Error text.
 * @cssprop --el-accent - Primary buttons and user messages.
 * @cssprop --el-accent-hover - Hovered primary buttons.
 * @cssprop --el-accent-primary - Text on the accent colour.
 * @cssprop --el-focus-color - Focus rings.
 * @cssprop --el-button-radius - Button radius.
 * @cssprop --el-sheet-radius - Panel radius.
 * @cssprop --el-bubble-radius - Message radius.
 * @cssprop --el-overlay-padding - Distance from the viewport edge.
 * @cssprop --el-font-family - Font.
 */
export class ElevenLabsConvai extends LitElement {
  static override styles = widgetStyles;

  static override get observedAttributes() {
    return [...super.observedAttributes, ...ATTRIBUTES];
  }

  #clientTools: ClientTools = {};

  /** Client tools the agent may call, merged under any that `elevenlabs-convai:call` listeners add. */
  get clientTools(): ClientTools {
    return this.#clientTools;
  }
  set clientTools(tools: ClientTools) {
    this.#clientTools = tools ?? {};
  }

  constructor() {
    super();
    // An inline script may set `clientTools` before the async script tag upgraded the element; that value is an
    // own property hiding the accessor (a plain field would have overwritten it). Move it behind the accessor.
    if (Object.hasOwn(this, 'clientTools')) {
      const tools = (this as { clientTools?: ClientTools }).clientTools;
      delete (this as { clientTools?: ClientTools }).clientTools;
      this.clientTools = tools ?? {};
    }
  }

  @state() private config: WidgetConfig | null = null;
  @state() private configError: string | null = null;
  @state() private expanded = false;
  @state() private dismissed = false;
  @state() private announcement = '';
  @state() private feedbackSent = false;

  readonly #session = new ConversationSession();
  #snapshot: ConversationSnapshot = this.#session.getSnapshot();
  #unsubscribe?: () => void;
  #configAbort?: AbortController;
  #configLoaded = false;
  #configReady: Promise<void> = Promise.resolve();
  #frame = 0;
  #atBottom = true;
  /** Repeats what failed: the retry button. */
  #retry: (() => void) | null = null;
  #micDenied = false;
  /** The agent's `widget_config.styles`, as a `:host` rule of their own (see #applyConfigStyles). */
  #configSheet: CSSStyleSheet | null = null;

  /** The current conversation's id, or null. */
  get conversationId() {
    return this.#snapshot.conversationId;
  }

  /** The session's state (status, mode, transcript…), for integrators who render their own UI around it. */
  get session(): ConversationSnapshot {
    return this.#snapshot;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.#unsubscribe = this.#session.subscribe(() => this.#onSnapshot());
    document.addEventListener('elevenlabs-agent:expand', this.#onExpandEvent);
    this.addEventListener('elevenlabs-agent:expand', this.#onExpandEvent);
    this.addEventListener('elevenlabs-agent:user-message', this.#onInboundEvent);
    this.addEventListener('elevenlabs-agent:user-activity', this.#onInboundEvent);
    this.addEventListener('elevenlabs-agent:contextual-update', this.#onInboundEvent);
    if (!this.#configLoaded) this.#loadConfig();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    document.removeEventListener('elevenlabs-agent:expand', this.#onExpandEvent);
    this.removeEventListener('elevenlabs-agent:expand', this.#onExpandEvent);
    this.removeEventListener('elevenlabs-agent:user-message', this.#onInboundEvent);
    this.removeEventListener('elevenlabs-agent:user-activity', this.#onInboundEvent);
    this.removeEventListener('elevenlabs-agent:contextual-update', this.#onInboundEvent);
    this.#configAbort?.abort();
    this.#configLoaded = false;
    cancelAnimationFrame(this.#frame);
    // Removing the element ends its call and releases the microphone.
    void this.#session.end();
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null) {
    super.attributeChangedCallback(name, old, value);
    if (old === value) return;
    this.requestUpdate();
    // Only once connectedCallback has loaded it: an upgrade reports every attribute first, and loading once per
    // attribute would send (and abort) as many config and signed-URL requests.
    if (CONFIG_ATTRIBUTES.has(name) && this.#configLoaded) this.#loadConfig();
  }

  /** Starts a voice call (or a text chat for text-only agents). */
  async start(): Promise<void> {
    await this.#start();
  }

  /** Ends the conversation. */
  async end(): Promise<void> {
    await this.#session.end();
  }

  /** Sends a text message; starts a conversation with it when none runs. */
  async sendMessage(text: string): Promise<void> {
    const message = text.trim();
    if (!message) return;
    // Connecting: the session shows it now and sends it once connected.
    const running = () => ['connected', 'connecting'].includes(this.#snapshot.status);
    if (running()) return this.#session.sendMessage(message);
    await this.#configSettled();
    if (running()) return this.#session.sendMessage(message);
    const settings = this.#settings();
    const textOnly = settings.supportsTextOnly || this.#micDenied;
    await this.#start({ initialMessage: message, ...(textOnly ? { textOnly: true } : {}) });
  }

  /** Tells the agent something without a reply (e.g. what the user is looking at). */
  sendContextualUpdate(text: string) {
    this.#session.sendContextualUpdate(text);
  }

  /** Tells the agent the user is active (typing), so it holds its turn. */
  sendUserActivity() {
    this.#session.sendUserActivity();
  }

  // —— state ——

  #attr = (name: string) => this.getAttribute(name);

  #warn = (attribute: string, message: string) => {
    const key = `${attribute}\n${message}`;
    if (warned.has(key)) return;
    warned.add(key);
    console.warn(`<elevenlabs-convai>: attribute "${attribute}" ${message}`);
  };

  #settings(): WidgetSettings {
    return resolveSettings(this.#attr, this.config, this.#warn);
  }

  #userId() {
    const explicit = this.#attr('user-id')?.trim();
    if (explicit) return explicit;
    try {
      const stored = localStorage.getItem(USER_ID_KEY);
      if (stored) return stored;
      const id = crypto.randomUUID();
      localStorage.setItem(USER_ID_KEY, id);
      return id;
    } catch {
      return crypto.randomUUID(); // storage blocked: an id for this page only
    }
  }

  #loadConfig() {
    this.#configLoaded = true;
    this.#configReady = this.#fetchConfig().catch(() => {});
  }

  /**
   * The agent's settings decide what a start does (text only, WebRTC, the first message…): wait for them, but no
   * more than 3 s, so a slow settings request does not hold up a call the attributes can already start.
   */
  #configSettled() {
    return Promise.race([this.#configReady, new Promise((resolve) => setTimeout(resolve, 3000))]);
  }

  async #fetchConfig() {
    this.#configAbort?.abort();
    const override = parseJson('override-config', this.#attr('override-config'), this.#warn);
    if (override) {
      this.config = override as WidgetConfig;
      this.configError = null;
      this.#applyDefaults();
      return;
    }
    const target = configTarget(this.#attr);
    if (!target) {
      this.config = null;
      this.configError = this.#attr('signed-url-endpoint')
        ? 'Set agent-id: the agent the signed-url-endpoint signs for.'
        : 'Set agent-id or signed-url to choose an agent.';
      this.#applyDefaults();
      return;
    }
    const abort = (this.#configAbort = new AbortController());
    const { http } = resolveOrigin(this.#attr, this.#warn);
    let signature = target.signature;
    const endpoint = this.#attr('signed-url-endpoint')?.trim();
    if (!signature && endpoint) {
      // A private agent's settings load only with a conversation signature (the official widget passes the one in
      // `signed-url`): borrow one from the endpoint; public agents ignore it. If the endpoint fails, the request
      // below still serves public agents, and starting a call reports the endpoint's error with a retry.
      try {
        const signed = new URL(await fetchSignedUrl(endpoint, target.agentId, abort.signal));
        signature = signed.searchParams.get('conversation_signature') ?? undefined;
      } catch {
        if (abort.signal.aborted) return;
      }
    }
    const url = new URL(`/v1/convai/agents/${encodeURIComponent(target.agentId)}/widget`, http);
    if (signature) url.searchParams.set('conversation_signature', signature);
    try {
      const response = await fetch(url, { signal: abort.signal });
      if (response.status === 404) throw new Error(`There is no agent "${target.agentId}".`);
      if (!response.ok) throw new Error(`The agent's settings could not be loaded (HTTP ${response.status}).`);
      const body = (await response.json()) as { widget_config?: WidgetConfig };
      if (!body.widget_config || typeof body.widget_config !== 'object') {
        throw new Error('The agent settings response had no widget_config.');
      }
      this.config = body.widget_config;
      this.configError = null;
      this.#applyDefaults();
    } catch (error) {
      if (abort.signal.aborted) return;
      // The launcher keeps working on attributes and defaults; the message says why it may look different.
      this.configError =
        error instanceof TypeError ? "The agent's settings could not be loaded." : String((error as Error).message);
      this.#applyDefaults();
    }
  }

  /** Expanded state that follows the config, until the user changes it. */
  #applyDefaults() {
    const settings = this.#settings();
    if (settings.defaultExpanded && settings.expandable) this.expanded = true;
  }

  #onSnapshot() {
    const previous = this.#snapshot;
    const next = this.#session.getSnapshot();
    this.#snapshot = next;
    if (next.status !== previous.status) {
      this.#emit('status', { status: next.status });
      this.announcement = this.#statusText(next);
      if (next.status === 'connected' && !next.textOnly) this.#animateLevels();
      if (next.status === 'connected') this.feedbackSent = false;
    }
    if (next.mode !== previous.mode) {
      this.#emit('mode', { mode: next.mode });
      if (next.status === 'connected') this.announcement = this.#statusText(next);
    }
    if (next.error && next.error !== previous.error) {
      this.#emit('error', { code: next.error.code, message: next.error.message });
      this.announcement = next.error.message;
      if (next.error.code === 'microphone-denied') this.#micDenied = true;
      if (this.#settings().expandable && next.status === 'error') this.expanded = true;
    }
    this.requestUpdate();
  }

  #emit(name: string, detail: Record<string, unknown>) {
    this.dispatchEvent(new CustomEvent(`elevenlabs-convai:${name}`, { bubbles: true, composed: true, detail }));
  }

  async #start(extra: { initialMessage?: string; textOnly?: boolean } = {}) {
    await this.#configSettled();
    // Already starting: a second start would clear the transcript and be ignored by the session.
    if (this.#snapshot.status === 'connecting') return;
    const settings = this.#settings();
    const origin = resolveOrigin(this.#attr, this.#warn);
    const options = sessionOptions(this.#attr, settings, { userId: this.#userId(), origin }, this.#warn);
    this.#retry = () => void this.#start(extra);
    if (!options) {
      const error = new ElevenkitError('invalid-option', 'Set agent-id or signed-url to choose an agent.');
      this.#emit('error', { code: error.code, message: error.message });
      this.configError = error.message;
      return;
    }
    if (settings.expandable && (settings.transcript || extra.initialMessage)) this.expanded = true;
    if (this.#snapshot.status !== 'connected') this.#session.clearTranscript();
    this.#micDenied = false;
    const session = { ...options, ...extra };
    const tools = this.clientTools;
    await this.#session
      .start({
        ...session,
        clientTools: Object.fromEntries(
          Object.entries(tools).map(([name, tool]) => [name, this.#announcedTool(name, tool)]),
        ),
        onConnect: ({ conversationId }) => this.#emit('connect', { conversationId }),
        onDisconnect: (details) =>
          this.#emit('disconnect', {
            reason: details.reason,
            ...(details.reason === 'error' ? { message: details.message } : {}),
          }),
        onMessage: ({ role, message, event_id }) => this.#emit('message', { role, message, eventId: event_id }),
        beforeConnect: async (config) => {
          // The official widget's hook: listeners may change or replace `detail.config`.
          const detail = { config };
          this.#emit('call', detail);
          const final = detail.config ?? config;
          if (final.connectionType === 'webrtc') await loadWebRtc();
          final.clientTools = Object.fromEntries(
            Object.entries(final.clientTools ?? {}).map(([name, tool]) => [
              name,
              tools[name] && config.clientTools?.[name] === tool ? tool : this.#announcedTool(name, tool),
            ]),
          );
          return final;
        },
      })
      .catch(() => {}); // the snapshot carries the error to the UI and the error event
  }

  /** Wraps a client tool so integrators see `elevenlabs-convai:tool-call`. */
  #announcedTool(name: string, tool: ClientTools[string]): ClientTools[string] {
    return (parameters: unknown) => {
      this.#emit('tool-call', { name, parameters });
      return tool(parameters);
    };
  }

  /** The avatar follows the agent's voice while it speaks and the user's while it listens: a CSS variable, no render. */
  #animateLevels() {
    cancelAnimationFrame(this.#frame);
    let shown = -1;
    const tick = () => {
      const avatars = this.renderRoot.querySelectorAll<HTMLElement>('.avatar');
      const { status, mode } = this.#snapshot;
      if (status !== 'connected') {
        for (const avatar of avatars) avatar.style.removeProperty('--_level');
        return;
      }
      const level = mode === 'speaking' ? this.#session.getOutputVolume() : this.#session.getInputVolume();
      // Only on the avatars (a property on the host would restyle the whole widget every frame), and only when the
      // level visibly changed; the CSS turns it into transform and opacity, which need no layout or paint.
      const rounded = Math.round(Math.min(1, level * 2) * 20) / 20;
      if (rounded !== shown) {
        shown = rounded;
        for (const avatar of avatars) avatar.style.setProperty('--_level', String(rounded));
      }
      this.#frame = requestAnimationFrame(tick);
    };
    this.#frame = requestAnimationFrame(tick);
  }

  #onExpandEvent = (event: Event) => {
    const detail = (event as CustomEvent<{ action?: string; _convaiEventHandled?: boolean }>).detail;
    if (!detail || detail._convaiEventHandled) return;
    detail._convaiEventHandled = true;
    if (!this.#settings().expandable) return;
    if (detail.action === 'expand') this.expanded = true;
    else if (detail.action === 'collapse') this.expanded = false;
    else if (detail.action === 'toggle') this.expanded = !this.expanded;
  };

  #onInboundEvent = (event: Event) => {
    // Like every boolean attribute: `allow-events`, `allow-events="true"` (a bad value warns and counts as off).
    if (!parseBoolean('allow-events', this.#attr('allow-events'), this.#warn)) return;
    const message = (event as CustomEvent<{ message?: unknown } | null>).detail?.message;
    try {
      if (event.type === 'elevenlabs-agent:user-activity') this.sendUserActivity();
      else if (typeof message !== 'string') return;
      else if (event.type === 'elevenlabs-agent:user-message') void this.sendMessage(message);
      else this.sendContextualUpdate(message);
    } catch (error) {
      this.#warn('allow-events', `could not deliver ${event.type}: ${(error as Error).message}`);
    }
  };

  // —— rendering ——

  #statusText(snapshot: ConversationSnapshot) {
    const { text } = this.#settings();
    switch (snapshot.status) {
      case 'connecting':
        return snapshot.textOnly ? text.connecting_status : `${text.connecting_status}. ${text.microphone_request}`;
      case 'connected':
        if (snapshot.textOnly) return text.chatting_status;
        return snapshot.mode === 'speaking' ? text.speaking_status : text.listening_status;
      case 'disconnected':
        return snapshot.endReason === 'agent' ? text.agent_ended_conversation : text.user_ended_conversation;
      case 'error':
        return snapshot.error?.message ?? text.error_occurred;
      default:
        return '';
    }
  }

  protected override willUpdate(changed: PropertyValues) {
    super.willUpdate(changed);
    const log = this.renderRoot?.querySelector?.('.log');
    if (log) this.#atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
  }

  protected override updated(changed: PropertyValues) {
    super.updated(changed);
    if (changed.has('config')) this.#applyConfigStyles(this.#settings().styles);
    const log = this.renderRoot.querySelector('.log');
    if (log && this.#atBottom) log.scrollTop = log.scrollHeight;
  }

  /**
   * The theme's `--_*` values are worked out on `:host` from `--el-*`, so the config's `--el-*` must be set there too:
   * as a rule in the shadow root's own style sheet, which page CSS on the element still overrides (outer rules win
   * over `:host` ones), and which a strict CSP allows (a constructed sheet, not a style attribute or element).
   */
  #applyConfigStyles(styles: Record<string, string>) {
    const root = this.renderRoot as ShadowRoot;
    if (!('adoptedStyleSheets' in root)) return;
    const rule = `:host{${Object.entries(styles)
      .map(([name, value]) => `${name}:${value}`)
      .join(';')}}`;
    if (!this.#configSheet) {
      this.#configSheet = new CSSStyleSheet();
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.#configSheet];
    }
    this.#configSheet.replaceSync(rule);
  }

  /** Landmarks need distinct names: the second widget on a page is "Need help? (2)". */
  #landmarkLabel(label: string) {
    const widgets = [...document.querySelectorAll(this.localName)];
    const index = widgets.indexOf(this);
    return index > 0 ? `${label} (${index + 1})` : label;
  }

  override render() {
    const settings = this.#settings();
    const { text } = settings;
    const styles = this.#orbColors(settings);
    if (this.dismissed) {
      return html`<aside
        class="overlay ${settings.placement}"
        ${styleProperties(styles)}
        aria-label=${this.#landmarkLabel(text.main_label)}
      >
        <button part="button" class="icon" aria-label=${text.expand} @click=${() => (this.dismissed = false)}>
          ${icons.chat}
        </button>
      </aside>`;
    }
    const open = settings.alwaysExpanded || (settings.expandable && this.expanded);
    // A labelled landmark, so the widget is findable and nothing on the page sits outside a landmark.
    return html`<aside
      class=${classMap({ overlay: true, [settings.placement]: true, always: settings.alwaysExpanded })}
      ${styleProperties(styles)}
      aria-label=${this.#landmarkLabel(text.main_label)}
    >
      ${open ? this.#renderSheet(settings) : nothing} ${this.#renderError(settings)}
      ${settings.alwaysExpanded ? nothing : this.#renderLauncher(settings, open)}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    </aside>`;
  }

  #orbColors(settings: WidgetSettings): Record<string, string> {
    return settings.avatar.type === 'orb'
      ? { '--_orb-1': settings.avatar.color1, '--_orb-2': settings.avatar.color2 }
      : {};
  }

  #renderAvatar(settings: WidgetSettings) {
    const image: Record<string, string> =
      settings.avatar.type === 'image' ? { 'background-image': `url("${encodeURI(settings.avatar.url)}")` } : {};
    return html`<div part="avatar" class="avatar" ${styleProperties(image)} aria-hidden="true"></div>`;
  }

  #isVoiceCall() {
    const { status, textOnly } = this.#snapshot;
    return !textOnly && (status === 'connected' || status === 'connecting');
  }

  #renderCallButtons(settings: WidgetSettings, compact: boolean) {
    const { text } = settings;
    const { status, muted, textOnly } = this.#snapshot;
    const active = status === 'connected' || status === 'connecting';
    const buttons: TemplateResult[] = [];
    if (active) {
      if (!textOnly && settings.micMuting) {
        const label = muted ? text.unmute_microphone : text.mute_microphone;
        buttons.push(
          html`<button
            part="button"
            class="icon"
            aria-label=${label}
            aria-pressed=${muted ? 'true' : 'false'}
            ?disabled=${status !== 'connected'}
            @click=${() => this.#session.setMuted(!muted)}
          >
            ${muted ? icons.micOff : icons.mic}
          </button>`,
        );
      }
      buttons.push(
        html`<button
          part="button end-call"
          class=${compact ? 'icon primary' : 'primary'}
          aria-label=${text.end_call}
          @click=${() => void this.end()}
        >
          ${icons.phoneOff}${compact ? nothing : html`<span>${text.end_call}</span>`}
        </button>`,
      );
    } else if (!settings.textOnly) {
      const label = status === 'disconnected' || status === 'error' ? text.new_call : text.start_call;
      buttons.push(
        html`<button
          part="button start-call"
          class=${compact ? 'icon primary' : 'primary'}
          aria-label=${label}
          @click=${() => void this.start()}
        >
          ${icons.phone}${compact ? nothing : html`<span>${label}</span>`}
        </button>`,
      );
    }
    return buttons;
  }

  #renderLauncher(settings: WidgetSettings, open: boolean) {
    const { text } = settings;
    const tiny = settings.variant === 'tiny';
    const statusText = this.#statusText(this.#snapshot);
    const active = this.#snapshot.status === 'connected' || this.#snapshot.status === 'connecting';
    return html`<div part="launcher" class="launcher ${settings.variant}">
      ${tiny ? nothing : this.#renderAvatar(settings)}
      ${
        settings.variant === 'full'
          ? html`<div class="label">${text.main_label}</div>
              <div class="status">${statusText}</div>`
          : settings.variant === 'compact' && active
            ? html`<span class="status">${statusText}</span>`
            : nothing
      }
      <div class="actions">
        ${open ? nothing : this.#renderCallButtons(settings, tiny)}
        ${
          settings.expandable
            ? html`<button
                part="button toggle"
                class=${tiny ? 'icon' : ''}
                aria-expanded=${open ? 'true' : 'false'}
                aria-label=${open ? text.collapse : settings.textOnly ? text.start_chat : text.expand}
                @click=${() => this.#toggle()}
              >
                ${open ? icons.chevronDown : icons.chat}${
                  tiny || open ? nothing : html`<span>${settings.textOnly ? text.start_chat : text.expand}</span>`
                }
              </button>`
            : nothing
        }
        ${
          settings.dismissible && !active
            ? html`<button
                part="button"
                class="icon"
                aria-label=${text.dismiss}
                @click=${() => (this.dismissed = true)}
              >
                ${icons.close}
              </button>`
            : nothing
        }
      </div>
    </div>`;
  }

  async #toggle() {
    this.expanded = !this.expanded;
    if (!this.expanded) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  }

  #renderSheet(settings: WidgetSettings) {
    const { text } = settings;
    const snapshot = this.#snapshot;
    const active = snapshot.status === 'connected' || snapshot.status === 'connecting';
    const showId = snapshot.conversationId && (settings.showConversationId || snapshot.status === 'error');
    return html`<section part="sheet" class="sheet" aria-label=${this.#landmarkLabel(text.transcript_label)}>
      <header>
        ${this.#renderAvatar(settings)}
        <div class="title">
          <h2>${text.main_label}</h2>
          <div class="status">${this.#statusText(snapshot)}</div>
        </div>
        ${
          settings.alwaysExpanded
            ? nothing
            : html`<button
                part="button"
                class="icon"
                aria-label=${text.collapse}
                @click=${() => (this.expanded = false)}
              >
                ${icons.chevronDown}
              </button>`
        }
      </header>
      ${
        settings.transcript || settings.textInput
          ? html`<div
              part="transcript"
              class="log"
              role="log"
              aria-live="polite"
              aria-label=${text.transcript_label}
              tabindex="0"
              @scroll=${(event: Event) => {
                const log = event.currentTarget as HTMLElement;
                this.#atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
              }}
            >
              ${snapshot.transcript.map((entry) => this.#renderEntry(entry, settings))}
            </div>`
          : html`<div class="log"></div>`
      }
      ${
        showId
          ? html`<div class="conversation-id">
              <span>${text.conversation_id}</span><code>${snapshot.conversationId}</code>
              <button part="button" @click=${() => this.#copyId()}>${text.copy_id}</button>
            </div>`
          : nothing
      }
      ${
        settings.feedback && snapshot.status === 'disconnected' && snapshot.conversationId
          ? this.#renderFeedback(settings)
          : nothing
      }
      ${settings.textInput ? this.#renderComposer(settings, active) : nothing}
      ${
        settings.textOnly && !active
          ? nothing
          : html`<div class="controls">
              ${this.#renderCallButtons(settings, false)}
              ${
                this.#isVoiceCall()
                  ? html`<label class="visually-hidden" for="volume">${text.volume}</label
                      ><input
                        id="volume"
                        type="range"
                        min="0"
                        max="1"
                        step="0.05"
                        .value=${String(snapshot.volume)}
                        @input=${(event: Event) =>
                          this.#session.setVolume(Number((event.target as HTMLInputElement).value))}
                      />`
                  : nothing
              }
            </div>`
      }
    </section>`;
  }

  #renderEntry(entry: ConversationSnapshot['transcript'][number], settings: WidgetSettings) {
    const { text } = settings;
    if (entry.kind === 'message') {
      const content = entry.role === 'agent' && settings.stripAudioTags ? stripAudioTags(entry.text) : entry.text;
      return html`<div
        part="message ${entry.role}"
        class=${classMap({ message: true, [entry.role]: true, tentative: entry.state === 'tentative', interrupted: !!entry.interrupted })}
      >
        <span class="visually-hidden">${entry.role === 'user' ? 'You: ' : 'Agent: '}</span
        ><span class="text">${content}</span>
      </div>`;
    }
    if (entry.kind === 'tool') {
      if (!settings.showAgentStatus) return nothing;
      const status =
        entry.status === 'running' ? text.tool_running : entry.status === 'done' ? text.tool_done : text.tool_error;
      return html`<div class="tool">${entry.name}: ${status}</div>`;
    }
    return html`<div class="notice ${entry.tone}">${entry.text}</div>`;
  }

  #renderError(settings: WidgetSettings) {
    const { text } = settings;
    const error = this.#snapshot.status === 'error' ? this.#snapshot.error : null;
    const message = error?.message ?? (this.#snapshot.status === 'idle' ? this.configError : null);
    if (!message) return nothing;
    const chatInstead = error?.code === 'microphone-denied' && settings.textInput;
    // Without the panel (which opens on an error and shows it), the id support asks for goes here.
    const id = error && !settings.expandable ? this.#snapshot.conversationId : null;
    return html`<p part="error" class="error" role="alert">
      <span>${message}</span>
      ${
        id
          ? html`<span class="conversation-id">${text.conversation_id} <code>${id}</code></span>
              <button part="button" @click=${() => this.#copyId()}>${text.copy_id}</button>`
          : nothing
      }
      ${error ? html`<button part="button" @click=${() => this.#retry?.()}>${text.try_again}</button>` : nothing}
      ${
        chatInstead
          ? html`<button part="button" @click=${() => this.#chatInstead()}>${text.chat_instead}</button>`
          : nothing
      }
    </p>`;
  }

  async #chatInstead() {
    this.#micDenied = true;
    this.expanded = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  }

  #renderComposer(settings: WidgetSettings, active: boolean) {
    const { text } = settings;
    const placeholder = active
      ? settings.textOnly
        ? text.input_placeholder_text_only
        : text.input_placeholder
      : text.input_placeholder_new_conversation;
    const submit = (form: HTMLFormElement) => {
      const input = form.elements.namedItem('message') as HTMLTextAreaElement;
      const value = input.value;
      if (!value.trim()) return;
      input.value = '';
      void this.sendMessage(value);
    };
    return html`<form
      @submit=${(event: SubmitEvent) => {
        event.preventDefault();
        submit(event.currentTarget as HTMLFormElement);
      }}
    >
      <textarea
        part="input"
        name="message"
        rows="1"
        aria-label=${text.input_label}
        placeholder=${placeholder}
        @input=${() => {
          if (this.#snapshot.status === 'connected') this.sendUserActivity();
        }}
        @keydown=${(event: KeyboardEvent) => {
          // Enter sends; Shift+Enter is a new line; Enter that ends an IME composition is not a send.
          if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
          event.preventDefault();
          submit((event.target as HTMLTextAreaElement).form!);
        }}
      ></textarea>
      <button part="button" class="icon primary" type="submit" aria-label=${text.send_message}>${icons.send}</button>
    </form>`;
  }

  #renderFeedback(settings: WidgetSettings) {
    const { text } = settings;
    if (this.feedbackSent) return html`<div class="feedback">${text.feedback_thanks}</div>`;
    const send = (feedback: boolean | { rating: number; comment: string }) => {
      const id = this.#snapshot.conversationId;
      if (!id) return;
      this.feedbackSent = true;
      const origin = resolveOrigin(this.#attr, this.#warn).http;
      const posted =
        typeof feedback === 'boolean'
          ? postOverallFeedback(id, feedback, origin)
          : postOverallFeedback(id, feedback, origin);
      void posted.catch(() => {});
    };
    if (settings.feedback === 'rating') {
      return html`<div class="feedback" role="group" aria-label=${text.feedback_rating_question}>
        <span aria-hidden="true">${text.feedback_rating_question}</span>
        ${[1, 2, 3, 4, 5].map(
          (rating) =>
            html`<button
              part="button"
              class="icon star"
              aria-label=${text.feedback_stars.replace('{n}', String(rating))}
              @click=${() => send({ rating, comment: '' })}
            >
              ${icons.star}
            </button>`,
        )}
      </div>`;
    }
    return html`<div class="feedback">
      <span>${text.feedback_question}</span>
      <button part="button" class="icon" aria-label=${text.feedback_like} @click=${() => send(true)}>
        ${icons.thumbUp}
      </button>
      <button part="button" class="icon" aria-label=${text.feedback_dislike} @click=${() => send(false)}>
        ${icons.thumbDown}
      </button>
    </div>`;
  }

  async #copyId() {
    const id = this.#snapshot.conversationId;
    if (!id) return;
    try {
      await navigator.clipboard.writeText(id);
      this.announcement = this.#settings().text.copied;
    } catch {
      this.announcement = id; // no clipboard permission: at least read it out
    }
  }
}
