// One Conversational AI session on the emulator's WebSocket: the protocol state machine, turn taking,
// voice activity detection, the agent's replies (rules, client tools, end_call) and injected faults.
import type { ConversationInitiation } from '@elevenlabs/types';
import type { WebSocket } from 'ws';
import type { Agent, AudioFormat, ReplyRule } from './agents.ts';
import * as msg from './messages.ts';
import type { ServerMessage } from './messages.ts';
import { decodeAudio, encodeAudio, sampleRateOf } from './format.ts';
import { recognize, synthesize } from './speech.ts';
import { newId } from './signing.ts';
import { appendLogged, type ConversationRecord, type Logger } from './store.ts';

export interface SessionOptions {
  agent: Agent;
  record: ConversationRecord;
  log: Logger;
  /** ms between pings. */
  pingIntervalMs: number;
  /** Audio per `audio` event, in ms. */
  chunkMs: number;
  emit: (event: 'sent' | 'received', message: unknown) => void;
}

const FRAME_MS = 20;
const SPEECH_RMS = 0.01; // about -40 dBFS: above a quiet room, far below speech
const ONSET_FRAMES = 3;
const PRE_ROLL_FRAMES = 10;
const TENTATIVE_EVERY_MS = 600;
const MAX_UTTERANCE_MS = 30_000;
const STREAM_LEAD_MS = 400; // how far audio is sent ahead of playback, like a TTS faster than real time
const STILL_THERE = 'Are you still there?';

interface Speaking {
  turnId: number;
  text: string;
  startedAt: number;
  durationMs: number;
  charStarts: number[];
  timers: NodeJS.Timeout[];
  done: (interrupted: boolean) => void;
}

export class ConversationSession {
  readonly #ws: WebSocket;
  readonly #o: SessionOptions;
  readonly #agent: Agent;
  readonly #record: ConversationRecord;
  #state: 'waiting' | 'active' | 'closed' = 'waiting';
  readonly #timers = new Set<NodeJS.Timeout>();
  #sendAt = 0; // latency fault: keeps order while delaying
  #eventId = 0;
  #pingId = 0;
  readonly #pings = new Map<number, number>();
  #rttMs: number | null = null;

  #textOnly = false;
  #variables: Record<string, string | number | boolean> = {};
  #speed = 1;
  #inFormat: AudioFormat;
  #outFormat: AudioFormat;

  // Turn taking: a new user turn bumps the generation, which cancels any reply still being prepared.
  #generation = 0;
  #speaking: Speaking | null = null;
  #toolWaits = new Map<string, (result: { result: string; is_error: boolean } | null) => void>();
  #lastActivity = 0;
  #turnTimer: NodeJS.Timeout | undefined;

  // Voice activity detection over 20 ms frames of the user's audio.
  #frameRest = new Float32Array(0);
  #inSpeech = false;
  #speechRun = 0;
  #silenceRun = 0;
  #preRoll: Float32Array[] = [];
  #utterance: Float32Array[] = [];
  #utteranceMs = 0;
  #userTurnId = 0;
  #tentative = '';
  #sinceTentativeMs = 0;

  constructor(ws: WebSocket, options: SessionOptions) {
    this.#ws = ws;
    this.#o = options;
    this.#agent = options.agent;
    this.#record = options.record;
    this.#inFormat = this.#agent.input_audio_format;
    this.#outFormat = this.#agent.output_audio_format;
    ws.on('message', (data, isBinary) => this.#onFrame(data as Buffer, isBinary));
    ws.on('close', (code, reason) => this.#onClosed(code, reason.toString()));
    ws.on('error', (error) => this.#o.log('warn', `socket error in ${this.#record.conversation_id}: ${error.message}`));
    const faults = this.#agent.faults;
    if (faults.drop_after_ms !== undefined) this.#after(faults.drop_after_ms, () => this.#ws.terminate());
    if (faults.malformed_frame_after_ms !== undefined) {
      this.#after(faults.malformed_frame_after_ms, () => this.#sendRaw('{"type":"audio","audio_event":'));
    }
  }

  // ---- inbound -------------------------------------------------------------------------------

  #onFrame(data: Buffer, isBinary: boolean) {
    if (this.#state === 'closed') return;
    if (isBinary) return this.#fail(1008, 'invalid_message', 'Binary frames are not supported; send JSON text.');
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      return this.#fail(1008, 'invalid_message', 'Invalid message received: not JSON.');
    }
    if (!message || typeof message !== 'object' || Array.isArray(message)) {
      return this.#fail(1008, 'invalid_message', 'Invalid message received: not a JSON object.');
    }
    if (typeof message.user_audio_chunk === 'string') {
      this.#record.audio_chunks_received++;
      if (this.#state === 'active') this.#onAudio(message.user_audio_chunk);
      return;
    }
    appendLogged(this.#record.received, message);
    this.#o.emit('received', message);
    const type = message.type;
    if (this.#state === 'waiting') {
      if (type !== 'conversation_initiation_client_data') {
        return this.#fail(1008, 'invalid_message', 'The first message must be conversation_initiation_client_data.');
      }
      return this.#initialize(message as unknown as ConversationInitiation);
    }
    switch (type) {
      case 'pong':
        return this.#onPong(message.event_id);
      case 'user_message':
        if (typeof message.text !== 'string')
          return this.#fail(1008, 'missing_fields', 'user_message needs a "text" string.');
        return this.#onUserMessage(message.text);
      case 'user_activity':
        this.#lastActivity = Date.now();
        return this.#armTurnTimeout();
      case 'contextual_update':
        if (typeof message.text !== 'string') {
          return this.#fail(1008, 'missing_fields', 'contextual_update needs a "text" string.');
        }
        this.#record.context_updates.push(message.text);
        return;
      case 'client_tool_result':
        return this.#onToolResult(message);
      case 'feedback':
        return this.#onFeedback(message);
      case 'conversation_initiation_client_data':
        return this.#fail(1008, 'invalid_message', 'conversation_initiation_client_data may only be sent once.');
      case 'mcp_tool_approval_result':
      case 'multimodal_message':
        return; // in the contract; this emulator's agents use neither
      default:
        return this.#fail(1008, 'invalid_message', `Invalid message received: unknown type ${JSON.stringify(type)}.`);
    }
  }

  #initialize(init: ConversationInitiation) {
    const agent = this.#agent;
    if (agent.faults.quota_exceeded) {
      return this.#fail(1002, 'http_exception', 'This request exceeds your quota. You have 0 credits remaining.');
    }
    const refused = checkOverrides(agent, init);
    if (refused) return this.#fail(1008, 'override_error', refused);
    const override = init.conversation_config_override ?? {};

    const given = init.dynamic_variables ?? {};
    for (const [name, value] of Object.entries(given)) {
      if (name.startsWith('system__')) {
        return this.#fail(1008, 'value_error', `Dynamic variable "${name}" uses the reserved prefix system__.`);
      }
      if (!['string', 'number', 'boolean'].includes(typeof value)) {
        return this.#fail(1008, 'value_error', `Dynamic variable "${name}" must be a string, number or boolean.`);
      }
    }
    const firstMessage = override.agent?.first_message ?? agent.first_message;
    this.#variables = { ...agent.dynamic_variables, ...(given as Record<string, string | number | boolean>) };
    const missing = [...new Set(requiredVariables([firstMessage, ...agent.rules.map((r) => r.reply ?? '')]))].filter(
      (name) => !(name in this.#variables) && !name.startsWith('system__') && !LOCAL_VARIABLES.has(name),
    );
    if (missing.length) {
      return this.#fail(1008, 'missing_dynamic_variable', `Missing required dynamic variables: ${missing.join(', ')}.`);
    }

    this.#textOnly = override.conversation?.text_only ?? agent.text_only;
    this.#speed = override.tts?.speed ?? 1;
    this.#record.user_id = init.user_id ?? null;
    this.#record.dynamic_variables = this.#variables;
    this.#record.text_only = this.#textOnly;
    this.#record.status = 'in-progress';
    this.#state = 'active';
    this.#send(msg.metadata(this.#record.conversation_id, this.#outFormat, this.#inFormat));

    this.#every(this.#o.pingIntervalMs, () => this.#ping());
    this.#after(agent.max_duration_seconds * 1000, () =>
      this.#fail(1000, 'max_duration_exceeded', 'The conversation reached its maximum duration.'),
    );
    if (firstMessage) {
      const turn = this.#nextEventId();
      void this.#speak(this.#fill(firstMessage, {}), turn, this.#generation).then(() => this.#armTurnTimeout());
    }
  }

  #onPong(eventId: unknown) {
    const sentAt = typeof eventId === 'number' ? this.#pings.get(eventId) : undefined;
    if (sentAt === undefined) return this.#o.log('warn', `pong for an unknown ping ${JSON.stringify(eventId)}`);
    this.#pings.delete(eventId as number);
    this.#rttMs = Date.now() - sentAt;
    this.#record.pongs++;
  }

  #onUserMessage(text: string) {
    const turn = this.#nextEventId();
    this.#interruptIfSpeaking(turn);
    this.#addTranscript('user', text);
    void this.#respond(text, true, this.#generation);
  }

  #onToolResult(message: Record<string, unknown>) {
    const id = message.tool_call_id;
    if (typeof id !== 'string' || typeof message.result !== 'string') {
      return this.#fail(1008, 'missing_fields', 'client_tool_result needs "tool_call_id" and a "result" string.');
    }
    const wait = this.#toolWaits.get(id);
    if (!wait) return this.#o.log('warn', `client_tool_result for an unknown or timed-out call ${id}`);
    wait({ result: message.result, is_error: message.is_error === true });
  }

  #onFeedback(message: Record<string, unknown>) {
    const score = message.score;
    const eventId = message.event_id;
    if ((score !== 'like' && score !== 'dislike' && score !== null) || typeof eventId !== 'number') {
      return this.#fail(
        1008,
        'missing_fields',
        'feedback needs "score" (like, dislike or null) and a numeric "event_id".',
      );
    }
    const entry = this.#record.transcript.find((t) => t.role === 'agent' && t.event_id === eventId);
    if (!entry) return this.#o.log('warn', `feedback for event ${eventId}, which is no agent response`);
    entry.feedback = score === null ? null : { score, time_in_call_secs: this.#secondsInCall() };
  }

  // ---- voice input: VAD, interruption, end of turn ------------------------------------------------

  #onAudio(base64: string) {
    if (this.#textOnly) return;
    const rate = sampleRateOf(this.#inFormat);
    const samples = decodeAudio(Buffer.from(base64, 'base64'), this.#inFormat);
    const frame = Math.round((rate * FRAME_MS) / 1000);
    let all = samples;
    if (this.#frameRest.length) {
      all = new Float32Array(this.#frameRest.length + samples.length);
      all.set(this.#frameRest);
      all.set(samples, this.#frameRest.length);
    }
    const frames: [Float32Array, number][] = [];
    let offset = 0;
    for (; offset + frame <= all.length; offset += frame) {
      const f = all.slice(offset, offset + frame);
      frames.push([f, rms(f)]);
    }
    this.#frameRest = all.slice(offset);
    // The score goes out before turn taking runs, so it never waits behind recognition.
    if (this.#agent.client_events.includes('vad_score')) {
      const peak = frames.reduce((max, [, level]) => Math.max(max, level), 0);
      const db = 20 * Math.log10(Math.max(peak, 1e-6)); // 0 at -50 dBFS, 1 at -20 dBFS and above
      this.#send(msg.vadScore(Math.round(Math.min(1, Math.max(0, (db + 50) / 30)) * 1000) / 1000));
    }
    for (const [f, level] of frames) this.#onFrameLevel(f, level);
  }

  #onFrameLevel(frame: Float32Array, level: number) {
    const speech = level > SPEECH_RMS;
    if (!this.#inSpeech) {
      this.#preRoll.push(frame);
      if (this.#preRoll.length > PRE_ROLL_FRAMES) this.#preRoll.shift();
      this.#speechRun = speech ? this.#speechRun + 1 : 0;
      if (this.#speechRun >= ONSET_FRAMES) this.#startUserTurn();
      return;
    }
    this.#utterance.push(frame);
    this.#utteranceMs += FRAME_MS;
    this.#sinceTentativeMs += FRAME_MS;
    this.#silenceRun = speech ? 0 : this.#silenceRun + FRAME_MS;
    if (this.#silenceRun >= this.#agent.end_of_turn_silence_ms || this.#utteranceMs >= MAX_UTTERANCE_MS) {
      this.#endUserTurn();
    } else if (this.#sinceTentativeMs >= TENTATIVE_EVERY_MS) {
      this.#sinceTentativeMs = 0;
      const turn = this.#userTurnId;
      const audio = concat(this.#utterance);
      queueRecognition(() => {
        if (turn !== this.#userTurnId || !this.#inSpeech || this.#state !== 'active') return;
        const heard = recognize(audio, sampleRateOf(this.#inFormat));
        if (heard.recognized && heard.text.trim() && heard.text !== this.#tentative) {
          this.#tentative = heard.text;
          this.#send(msg.tentativeUserTranscript(heard.text, turn));
        }
      });
    }
  }

  #startUserTurn() {
    this.#inSpeech = true;
    this.#utterance = [...this.#preRoll];
    this.#utteranceMs = this.#preRoll.length * FRAME_MS;
    this.#preRoll = [];
    this.#silenceRun = 0;
    this.#sinceTentativeMs = 0;
    this.#tentative = '';
    this.#userTurnId = this.#nextEventId();
    clearTimeout(this.#turnTimer);
    this.#interruptIfSpeaking(this.#userTurnId);
    this.#generation++; // a reply still being prepared (waiting for a tool) is dropped
  }

  #endUserTurn() {
    const audio = concat(this.#utterance);
    const turn = this.#userTurnId;
    const generation = this.#generation;
    const seconds = (this.#utteranceMs - this.#silenceRun) / 1000;
    this.#inSpeech = false;
    this.#speechRun = 0;
    this.#utterance = [];
    queueRecognition(() => {
      if (this.#state !== 'active') return;
      const heard = recognize(audio, sampleRateOf(this.#inFormat));
      const text = heard.recognized ? heard.text : `[unrecognized speech, ${seconds.toFixed(1)} s]`;
      if (heard.recognized && text !== this.#tentative) this.#send(msg.tentativeUserTranscript(text, turn));
      this.#send(msg.userTranscript(text, turn));
      this.#addTranscript('user', text, turn);
      void this.#respond(text, heard.recognized, generation);
    });
  }

  #interruptIfSpeaking(userTurnId: number) {
    const s = this.#speaking;
    if (!s) return;
    const playedMs = Date.now() - s.startedAt;
    if (playedMs >= s.durationMs) return; // already finished playing
    s.timers.forEach(clearTimeout);
    this.#speaking = null;
    // Alignment counts code points, not UTF-16 units.
    const played = s.charStarts.filter((start) => start < playedMs).length;
    const spoken = Array.from(s.text).slice(0, played).join('').trimEnd();
    this.#send(msg.interruption(userTurnId));
    this.#send(msg.agentResponseCorrection(s.text, spoken, s.turnId));
    const entry = this.#record.transcript.findLast((t) => t.role === 'agent' && t.event_id === s.turnId);
    if (entry) {
      entry.message = spoken;
      entry.interrupted = true;
    }
    s.done(true);
  }

  // ---- the agent's turn ---------------------------------------------------------------------------

  async #respond(userText: string, recognized: boolean, generation: number) {
    const current = () => generation === this.#generation && this.#state === 'active';
    await this.#waitForQuietUser();
    if (!current()) return;
    const rule = recognized ? this.#agent.rules.find((r) => new RegExp(r.match, 'i').test(userText)) : undefined;
    const turn = this.#nextEventId();
    const locals: Record<string, string> = { user_message: userText };
    if (rule?.tool) {
      const result = await this.#callTool(rule, turn, current);
      if (!current()) return;
      locals.result = result;
    }
    const reply = rule ? (rule.reply ?? '') : recognized ? this.#agent.fallback_reply : this.#agent.unrecognized_reply;
    if (reply) {
      const interrupted = await this.#speak(this.#fill(reply, locals), turn, generation);
      if (interrupted || !current()) return;
    }
    if (rule?.end_call) return this.#endCall(turn);
    this.#armTurnTimeout();
  }

  async #callTool(rule: ReplyRule, turn: number, current: () => boolean): Promise<string> {
    const name = rule.tool!.name;
    const tool = this.#agent.client_tools.find((t) => t.name === name)!;
    const expects = tool.expects_response ?? true;
    const id = newId('toolu');
    const waiting = expects
      ? new Promise<{ result: string; is_error: boolean } | null>((resolve) => {
          this.#toolWaits.set(id, resolve);
          this.#after((tool.timeout_seconds ?? 10) * 1000, () => resolve(null));
        })
      : Promise.resolve({ result: '', is_error: false });
    this.#send(msg.clientToolCall(name, id, rule.tool!.parameters ?? {}, turn, expects));
    const outcome = await waiting;
    this.#toolWaits.delete(id);
    this.#record.tool_calls.push({ tool_name: name, tool_call_id: id, outcome });
    if (!current()) return '';
    this.#send(msg.agentToolResponse(name, id, 'client', !outcome || outcome.is_error, turn));
    if (!outcome) return 'unknown, because the page did not answer in time';
    return outcome.is_error ? `unknown, because the page reported an error: ${outcome.result}` : outcome.result;
  }

  /** Streams a reply as audio (or text parts in a text-only session); resolves true when interrupted. */
  #speak(text: string, turnId: number, generation: number): Promise<boolean> {
    this.#addTranscript('agent', text, turnId);
    if (this.#textOnly) return this.#streamText(text, turnId, generation);
    const rate = sampleRateOf(this.#outFormat);
    const speech = synthesize(text, rate, { speed: this.#speed });
    const { chars, char_start_times_ms: starts, char_durations_ms: durations } = speech.alignment;
    const chunkSamples = Math.round((rate * this.#o.chunkMs) / 1000);
    return new Promise<boolean>((resolve) => {
      const startedAt = Date.now();
      const speaking: Speaking = {
        turnId,
        text,
        startedAt,
        durationMs: speech.durationMs,
        charStarts: starts,
        timers: [],
        done: resolve,
      };
      this.#speaking = speaking;
      this.#send(msg.agentResponse(text, turnId));
      for (let i = 0, offset = 0; offset < speech.samples.length; i++, offset += chunkSamples) {
        const from = (i * this.#o.chunkMs) | 0;
        const to = from + this.#o.chunkMs;
        const idx = starts.flatMap((s, k) => (s >= from && s < to ? [k] : []));
        const alignment = {
          chars: idx.map((k) => chars[k]!),
          char_start_times_ms: idx.map((k) => starts[k]! - from),
          char_durations_ms: idx.map((k) => durations[k]!),
        };
        const payload = encodeAudio(speech.samples.subarray(offset, offset + chunkSamples), this.#outFormat);
        const send = () => this.#send(msg.audio(payload.toString('base64'), turnId, alignment));
        const delay = Math.max(0, from - STREAM_LEAD_MS);
        if (delay === 0) send();
        else speaking.timers.push(this.#after(delay, send));
      }
      speaking.timers.push(
        this.#after(speech.durationMs, () => {
          if (this.#speaking === speaking) this.#speaking = null;
          resolve(false);
        }),
      );
    });
  }

  async #streamText(text: string, turnId: number, generation: number): Promise<boolean> {
    this.#send(msg.chatResponsePart('start', '', turnId));
    for (const piece of text.match(/\S+\s*/g) ?? []) {
      await new Promise((r) => this.#after(15, r));
      if (generation !== this.#generation || this.#state !== 'active') return true;
      this.#send(msg.chatResponsePart('delta', piece, turnId));
    }
    this.#send(msg.chatResponsePart('stop', '', turnId));
    this.#send(msg.agentResponse(text, turnId));
    return false;
  }

  #endCall(turn: number) {
    this.#send(msg.agentToolResponse('end_call', newId('toolu'), 'system', false, turn));
    // The SDK ends the session on that event; close ourselves if it does not.
    this.#after(1000, () => this.#close(1000, 'Agent ended the conversation'));
  }

  /** ElevenLabs: the agent does not start speaking within 2 s of `user_activity`. */
  async #waitForQuietUser() {
    const wait = this.#lastActivity + 2000 - Date.now();
    if (wait > 0) await new Promise((r) => this.#after(wait, r));
  }

  #armTurnTimeout() {
    clearTimeout(this.#turnTimer);
    const seconds = this.#agent.turn_timeout_seconds;
    if (seconds < 0 || this.#textOnly || this.#state !== 'active') return;
    const wait =
      (this.#speaking ? this.#speaking.startedAt + this.#speaking.durationMs - Date.now() : 0) + seconds * 1000;
    this.#turnTimer = this.#after(wait, () => {
      if (this.#inSpeech || this.#speaking) return this.#armTurnTimeout();
      const turn = this.#nextEventId();
      void this.#speak(STILL_THERE, turn, this.#generation);
    });
  }

  // ---- outbound ------------------------------------------------------------------------------------

  #send(message: ServerMessage) {
    if (this.#state === 'closed') return;
    const type = message.type;
    if (type !== 'error' && type !== 'conversation_initiation_metadata' && !this.#agent.client_events.includes(type)) {
      return;
    }
    // One vad_score answers every audio chunk: counted, not kept, like the chunks themselves.
    if (type === 'vad_score') this.#record.vad_scores_sent++;
    else appendLogged(this.#record.sent, type === 'audio' ? withoutAudio(message) : message);
    this.#o.emit('sent', message);
    this.#sendRaw(JSON.stringify(message));
  }

  #sendRaw(text: string) {
    const latency = this.#agent.faults.latency_ms ?? 0;
    if (!latency) {
      if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(text);
      return;
    }
    this.#sendAt = Math.max(Date.now() + latency, this.#sendAt);
    this.#after(this.#sendAt - Date.now(), () => this.#ws.readyState === this.#ws.OPEN && this.#ws.send(text));
  }

  #ping() {
    const id = ++this.#pingId;
    this.#pings.set(id, Date.now());
    this.#send(msg.ping(id, this.#rttMs));
  }

  /** Sends an `error` event and closes with its code, as ElevenLabs does when it ends a session on an error. */
  #fail(code: 1000 | 1002 | 1008 | 1011, type: Parameters<typeof msg.error>[1], message: string) {
    this.#o.log(code === 1000 ? 'info' : 'warn', `${this.#record.conversation_id}: ${message}`);
    this.#send(msg.error(code, type, message));
    this.#close(code, message);
  }

  #close(code: number, reason: string) {
    if (this.#state === 'closed') return;
    this.#ws.close(code, truncateReason(reason));
    this.#onClosed(code, reason);
  }

  #onClosed(code: number, reason: string) {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#timers.forEach(clearTimeout);
    this.#timers.clear();
    clearTimeout(this.#turnTimer);
    for (const wait of this.#toolWaits.values()) wait(null);
    this.#record.status = 'done';
    this.#record.end_time_unix_ms = Date.now();
    this.#record.close = { code, reason };
  }

  // ---- helpers -------------------------------------------------------------------------------------

  #nextEventId() {
    return ++this.#eventId;
  }

  #after(ms: number, fn: (value?: unknown) => void): NodeJS.Timeout {
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        fn();
      },
      Math.max(0, ms),
    );
    this.#timers.add(timer);
    return timer;
  }

  #every(ms: number, fn: () => void) {
    const tick = () => {
      fn();
      this.#after(ms, tick);
    };
    this.#after(ms, tick);
  }

  #secondsInCall() {
    return Math.round((Date.now() - this.#record.start_time_unix_ms) / 1000);
  }

  #addTranscript(role: 'user' | 'agent', message: string, event_id = this.#eventId) {
    this.#record.transcript.push({
      role,
      message,
      event_id,
      time_in_call_secs: this.#secondsInCall(),
      interrupted: false,
      feedback: null,
    });
  }

  #fill(template: string, locals: Record<string, string>) {
    const system: Record<string, string> = {
      system__agent_id: this.#agent.agent_id,
      system__current_agent_id: this.#agent.agent_id,
      system__conversation_id: this.#record.conversation_id,
      system__time_utc: new Date().toISOString(),
      system__call_duration_secs: String(this.#secondsInCall()),
    };
    const lastContext = this.#record.context_updates.at(-1) ?? 'nothing yet';
    const values = { ...system, last_context: lastContext, ...this.#variables, ...locals };
    return template.replace(/\{\{\s*([\w-]+)\s*\}\}/g, (all, name: string) =>
      name in values ? String(values[name as keyof typeof values]) : all,
    );
  }
}

/**
 * Recognition takes milliseconds; run one job per turn of the event loop, so audio waiting on every session's
 * socket is handled between two decodes and a burst of turn ends never blocks the loop for long.
 */
const recognitionJobs: (() => void)[] = [];
function queueRecognition(job: () => void) {
  recognitionJobs.push(job);
  if (recognitionJobs.length === 1) setImmediate(runRecognitionJob);
}
function runRecognitionJob() {
  const job = recognitionJobs.shift();
  try {
    job?.();
  } catch (error) {
    console.error('[emulator] recognition failed:', error); // one bad utterance must not end the process
  } finally {
    if (recognitionJobs.length) setImmediate(runRecognitionJob);
  }
}

/** Variables a template uses, `{{name}}`. */
function requiredVariables(templates: string[]): string[] {
  return templates.flatMap((t) => [...t.matchAll(/\{\{\s*([\w-]+)\s*\}\}/g)].map((m) => m[1]!));
}
const LOCAL_VARIABLES = new Set(['user_message', 'result', 'last_context']);

/**
 * The real service refuses an override the agent's Security tab does not allow, closing with
 * "Override for field '<name>' is not allowed by config.". An override equal to the agent's own value changes
 * nothing and is accepted (the SDK sends `text_only: true` for text-only agents; the official widget always sends
 * `language`).
 */
export function checkOverrides(agent: Agent, init: ConversationInitiation): string | undefined {
  const o = init.conversation_config_override ?? {};
  const allowed = agent.overrides;
  const given: [string, unknown, boolean | undefined, unknown][] = [
    ['first_message', o.agent?.first_message, allowed.agent?.first_message, agent.first_message],
    ['language', o.agent?.language, allowed.agent?.language, agent.language],
    ['prompt', o.agent?.prompt?.prompt, allowed.agent?.prompt?.prompt, undefined],
    ['llm', o.agent?.prompt?.llm, allowed.agent?.prompt?.llm, undefined],
    ['voice_id', o.tts?.voice_id, allowed.tts?.voice_id, agent.voice_id],
    ['stability', o.tts?.stability, allowed.tts?.stability, undefined],
    ['speed', o.tts?.speed, allowed.tts?.speed, 1],
    ['similarity_boost', o.tts?.similarity_boost, allowed.tts?.similarity_boost, undefined],
    ['text_only', o.conversation?.text_only, allowed.conversation?.text_only, agent.text_only],
    ['custom_llm_extra_body', init.custom_llm_extra_body, allowed.custom_llm_extra_body, undefined],
  ];
  for (const [field, value, permitted, own] of given) {
    if (value === undefined || value === null || permitted || value === own) continue;
    return `Override for field '${field}' is not allowed by config.`;
  }
  const language = o.agent?.language;
  if (language && language !== agent.language && !agent.supported_languages.includes(language)) {
    return `Language '${language}' is not supported by this agent.`;
  }
  const speed = o.tts?.speed;
  if (typeof speed === 'number' && (speed < 0.7 || speed > 1.2)) return 'tts.speed must be between 0.7 and 1.2.';
  return undefined;
}

function rms(frame: Float32Array) {
  let sum = 0;
  for (const s of frame) sum += s * s;
  return Math.sqrt(sum / Math.max(1, frame.length));
}

function concat(parts: Float32Array[]) {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function withoutAudio(message: ServerMessage): ServerMessage {
  if (message.type !== 'audio') return message;
  return { ...message, audio_event: { ...message.audio_event, audio_base_64: '' } };
}

/** WebSocket close reasons are limited to 123 bytes. */
function truncateReason(reason: string) {
  const bytes = Buffer.from(reason);
  return bytes.length <= 123
    ? reason
    : bytes
        .subarray(0, 120)
        .toString('utf8')
        .replace(/\uFFFD$/, '') + '…';
}
