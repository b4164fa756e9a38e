// One conversation with an agent, as a store over the official `@elevenlabs/client`: status, mode, transcript and
// errors in an immutable snapshot; levels through getters (read them in requestAnimationFrame).
import { Conversation, type PartialOptions } from '@elevenlabs/client';
import { ElevenkitError, microphoneError } from './errors.ts';
import { fetchSignedUrl } from './signed-url.ts';
import { Store } from './store.ts';
import {
  withAgentPart,
  withCorrection,
  withMessage,
  withNotice,
  withTentativeUser,
  withTool,
  type Transcript,
} from './transcript.ts';

type ClientConversation = Awaited<ReturnType<typeof Conversation.startSession>>;

export type SessionStatus = 'idle' | 'connecting' | 'connected' | 'disconnecting' | 'disconnected' | 'error';

export interface ConversationSnapshot {
  readonly status: SessionStatus;
  readonly mode: 'listening' | 'speaking';
  /** Whether the current (or last) session is text only: no microphone, no audio. */
  readonly textOnly: boolean;
  readonly conversationId: string | null;
  readonly transcript: Transcript;
  readonly error: ElevenkitError | null;
  readonly muted: boolean;
  readonly volume: number;
  /** Why the last session ended. */
  readonly endReason: 'user' | 'agent' | 'error' | null;
}

/** The options of `Conversation.startSession`, plus what the session adds. */
export type SessionOptions = PartialOptions & {
  /** Fetch a fresh signed URL from this endpoint before connecting (see `fetchSignedUrl`). */
  signedUrlEndpoint?: string;
  /** Sent as the user's first message once connected (typing while disconnected starts a session). */
  initialMessage?: string;
  /**
   * Last look at the options before connecting; may change them or return replacements (the widget fires
   * `elevenlabs-convai:call` here).
   */
  beforeConnect?: (options: PartialOptions) => PartialOptions | void | Promise<PartialOptions | void>;
};

const INITIAL: ConversationSnapshot = {
  status: 'idle',
  mode: 'listening',
  textOnly: false,
  conversationId: null,
  transcript: [],
  error: null,
  muted: false,
  volume: 1,
  endReason: null,
};

/** As the client decides: the top-level `textOnly` wins over the override. */
const isTextOnly = (config: PartialOptions) => Boolean(config.textOnly ?? config.overrides?.conversation?.textOnly);

/** A close reason or start failure as a typed error. */
function connectionError(message: string, closeCode?: number): ElevenkitError {
  if (closeCode === 3000 || /authori[sz]/i.test(message)) {
    return new ElevenkitError('not-authorized', `The agent refused the conversation: ${message}`);
  }
  if (/does not exist|not found|unknown agent/i.test(message)) {
    return new ElevenkitError('unknown-agent', `This agent does not exist: ${message}`);
  }
  return new ElevenkitError('connection-lost', message || 'The connection was closed.');
}

export class ConversationSession extends Store<ConversationSnapshot> {
  #conversation: ClientConversation | null = null;
  /** Typed while connecting: sent once the conversation is open. */
  #queued: string[] = [];
  /** Bumped by every start and end, so a start that finishes after `end()` closes itself. */
  #generation = 0;

  constructor() {
    super(INITIAL);
  }

  get conversationId() {
    return this.getSnapshot().conversationId;
  }

  /** Microphone level, 0–1 (0 when no voice session runs). */
  getInputVolume = () => this.#voice()?.getInputVolume() ?? 0;
  /** Agent speech level, 0–1. */
  getOutputVolume = () => this.#voice()?.getOutputVolume() ?? 0;
  getInputFrequencyData = () => this.#voice()?.getInputByteFrequencyData() ?? null;
  getOutputFrequencyData = () => this.#voice()?.getOutputByteFrequencyData() ?? null;

  #voice() {
    const conversation = this.#conversation;
    return conversation && conversation.type === 'voice' ? conversation : null;
  }

  /** Starts a session; resolves when connected. Failures land in the snapshot's `error` (and reject). */
  async start(options: SessionOptions): Promise<void> {
    const { status } = this.getSnapshot();
    if (status === 'connecting' || status === 'connected') return;
    const generation = ++this.#generation;
    const { signedUrlEndpoint, initialMessage, beforeConnect, ...config } = options;
    this.update({
      status: 'connecting',
      mode: 'listening',
      error: null,
      endReason: null,
      textOnly: isTextOnly(config),
      muted: false,
    });
    if (initialMessage) this.update({ transcript: withMessage(this.getSnapshot().transcript, 'user', initialMessage) });
    // Typed during a start that failed: shown again (a retry starts from an empty transcript) and sent this time.
    for (const text of this.#queued)
      this.update({ transcript: withMessage(this.getSnapshot().transcript, 'user', text) });
    try {
      if (signedUrlEndpoint) {
        const agentId = 'agentId' in config ? config.agentId : undefined;
        const signedUrl = await fetchSignedUrl(signedUrlEndpoint, agentId);
        Object.assign(config, { signedUrl, agentId: undefined, connectionType: 'websocket' });
      }
      const final = (await beforeConnect?.(config)) ?? config;
      if (generation !== this.#generation) return;
      const textOnly = isTextOnly(final);
      this.update({ textOnly });
      if (!textOnly) await this.#askForMicrophone();
      if (generation !== this.#generation) return;
      const conversation = await Conversation.startSession(this.#withCallbacks(final, generation));
      if (generation !== this.#generation) return void conversation.endSession();
      this.#conversation = conversation;
      if (conversation.type === 'voice') conversation.setVolume({ volume: this.getSnapshot().volume });
      // Shown in the transcript when typed; sent once the socket is open.
      if (initialMessage) conversation.sendUserMessage(initialMessage);
      for (const text of this.#queued.splice(0)) conversation.sendUserMessage(text);
    } catch (cause) {
      if (generation !== this.#generation) return;
      const error =
        cause instanceof ElevenkitError
          ? cause
          : connectionError(cause instanceof Error ? cause.message : String(cause));
      this.#fail(error);
      throw error;
    }
  }

  /** Ends the session (also one still connecting) and releases the microphone. */
  async end(): Promise<void> {
    this.#generation++;
    this.#queued = [];
    const conversation = this.#conversation;
    this.#conversation = null;
    const { status } = this.getSnapshot();
    if (status === 'connecting' || status === 'connected') {
      this.update({ status: 'disconnecting' });
    }
    await conversation?.endSession();
    if (this.getSnapshot().status === 'disconnecting') this.update({ status: 'disconnected', endReason: 'user' });
  }

  /** Sends a typed message (shown in the transcript at once; while connecting, sent once connected, in order). */
  sendMessage(text: string) {
    if (this.getSnapshot().status === 'connecting') {
      this.#queued.push(text);
      this.update({ transcript: withMessage(this.getSnapshot().transcript, 'user', text) });
      return;
    }
    const conversation = this.#requireOpen();
    conversation.sendUserMessage(text);
    this.update({ transcript: withMessage(this.getSnapshot().transcript, 'user', text) });
  }

  sendContextualUpdate(text: string) {
    this.#requireOpen().sendContextualUpdate(text);
  }

  sendUserActivity() {
    this.#conversation?.sendUserActivity();
  }

  setMuted(muted: boolean) {
    this.#voice()?.setMicMuted(muted);
    this.update({ muted });
  }

  setVolume(volume: number) {
    const clamped = Math.min(1, Math.max(0, Number.isFinite(volume) ? volume : 1));
    this.#voice()?.setVolume({ volume: clamped });
    this.update({ volume: clamped });
  }

  /** Empties the transcript (between conversations). */
  clearTranscript() {
    this.update({ transcript: [] });
  }

  #requireOpen() {
    const conversation = this.#conversation;
    if (!conversation || this.getSnapshot().status !== 'connected') {
      throw new ElevenkitError('connection-lost', 'There is no conversation to send to. Start one first.');
    }
    return conversation;
  }

  /** Asks for the microphone ourselves so a refusal becomes a typed error before any socket opens. */
  async #askForMicrophone() {
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new ElevenkitError(
        typeof isSecureContext === 'boolean' && !isSecureContext ? 'insecure-context' : 'microphone-not-found',
        typeof isSecureContext === 'boolean' && !isSecureContext
          ? 'The microphone needs a secure page (https).'
          : 'This browser cannot use a microphone.',
      );
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      for (const track of stream.getTracks()) track.stop();
    } catch (error) {
      throw microphoneError(error);
    }
  }

  #fail(error: ElevenkitError) {
    this.#conversation = null;
    this.update({
      status: 'error',
      error,
      endReason: 'error',
      transcript: withNotice(this.getSnapshot().transcript, 'error', error.message),
    });
  }

  #withCallbacks(config: PartialOptions, generation: number): PartialOptions {
    const current = () => generation === this.#generation;
    const transcript = () => this.getSnapshot().transcript;
    const clientTools = Object.fromEntries(
      Object.entries(config.clientTools ?? {}).map(([name, tool]) => [
        name,
        async (parameters: unknown) => {
          const id = `tool-${name}-${Math.random().toString(36).slice(2)}`;
          this.update({ transcript: withTool(transcript(), id, name, 'running') });
          try {
            const result = await tool(parameters);
            if (current()) this.update({ transcript: withTool(transcript(), id, name, 'done') });
            return result;
          } catch (error) {
            if (current()) this.update({ transcript: withTool(transcript(), id, name, 'error') });
            throw error;
          }
        },
      ]),
    );
    return {
      ...config,
      clientTools,
      onConnect: (props) => {
        if (!current()) return;
        this.update({ status: 'connected', conversationId: props.conversationId });
        config.onConnect?.(props);
      },
      onDisconnect: (details) => {
        config.onDisconnect?.(details);
        if (!current()) return;
        this.#conversation = null;
        if (details.reason === 'error') {
          return this.#fail(connectionError(details.message || details.closeReason || '', details.closeCode));
        }
        this.update({ status: 'disconnected', endReason: details.reason, mode: 'listening' });
      },
      onError: (message, context) => {
        config.onError?.(message, context);
        if (!current()) return;
        const error = new ElevenkitError('server-error', message);
        this.update({ error, transcript: withNotice(transcript(), 'error', message) });
      },
      onModeChange: (props) => {
        config.onModeChange?.(props);
        if (current()) this.update({ mode: props.mode });
      },
      onMessage: (props) => {
        config.onMessage?.(props);
        if (current())
          this.update({ transcript: withMessage(transcript(), props.role, props.message, props.event_id) });
      },
      onAgentChatResponsePart: (part) => {
        config.onAgentChatResponsePart?.(part);
        if (current()) this.update({ transcript: withAgentPart(transcript(), part) });
      },
      onAgentResponseCorrection: (event) => {
        config.onAgentResponseCorrection?.(event);
        if (!current()) return;
        this.update({
          transcript: withCorrection(transcript(), event.original_agent_response, event.corrected_agent_response),
        });
      },
      onAgentToolRequest: (event) => {
        config.onAgentToolRequest?.(event);
        if (current() && event.tool_name !== 'end_call') {
          this.update({ transcript: withTool(transcript(), event.tool_call_id, event.tool_name, 'running') });
        }
      },
      onAgentToolResponse: (event) => {
        config.onAgentToolResponse?.(event);
        // Client tools have their own entry (above); `end_call` is the hang-up, not a tool the user cares about.
        if (!current() || event.tool_name === 'end_call' || event.tool_type === 'client') return;
        const status = event.is_error ? 'error' : 'done';
        this.update({ transcript: withTool(transcript(), event.tool_call_id, event.tool_name, status) });
      },
      onDebug: (event) => {
        config.onDebug?.(event);
        // The client passes events it does not handle here; the user's words while they speak are one of them.
        const tentative = (event as { tentative_user_transcription_event?: { user_transcript?: unknown } } | null)
          ?.tentative_user_transcription_event?.user_transcript;
        if (current() && typeof tentative === 'string') {
          this.update({ transcript: withTentativeUser(transcript(), tentative) });
        }
      },
    };
  }
}
