// The emulator: ElevenLabs REST routes and the Conversational AI WebSocket on a Node HTTP server,
// or mounted onto an existing one (Vite). Also the inspection API tests use.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { DEMO_AGENT, resolveAgent, type Agent, type AgentDefinition, type Faults } from './agents.ts';
import { ConversationSession } from './conversation.ts';
import { newId, Signer } from './signing.ts';
import { conversationDetails, MAX_CONVERSATIONS, newRecord, type ConversationRecord, type Logger } from './store.ts';
import { speechWav } from './speech.ts';
import { SpeechToText, type SttRecord } from './stt.ts';
import { parseSttFaults, type SttFaults } from './stt-faults.ts';
import { TextToSpeech, type TtsRecord } from './tts.ts';
import { parseTtsFaults, type TtsFaults } from './tts-faults.ts';
import type { Voice, VoiceDefinition } from './voices.ts';
import { widgetConfig } from './widget-config.ts';

export interface EmulatorOptions {
  /** Port for `createEmulator` (0 = any free port). Default 8787. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Agents besides the built-in `demo` agent (an agent with id `demo` replaces it). */
  agents?: AgentDefinition[];
  /** The key REST calls must send as `xi-api-key`. Unset: any non-empty key is accepted. */
  apiKey?: string;
  /** Lifetime of signed URLs and conversation tokens. Default 900 (15 minutes, as ElevenLabs). */
  signatureTtlSeconds?: number;
  /** Default 3000. */
  pingIntervalMs?: number;
  /** Audio per `audio` event. Default 200. */
  chunkMs?: number;
  /** Largest WebSocket frame accepted; bigger ones close the socket with 1009. Default 1 MiB. */
  maxFrameBytes?: number;
  /** Voices for text to speech besides the built-in ones (a voice with the same id replaces it). */
  voices?: VoiceDefinition[];
  /** Audio per streamed text-to-speech chunk and per stream-input `audio` message. Default 200. */
  ttsChunkMs?: number;
  /** How many times faster than real time text to speech is produced (and streamed). Default 4; Infinity = no waiting. */
  ttsGenerationSpeed?: number;
  /** Largest speech-to-text upload (bytes). Default 1 GB, as ElevenLabs (audio.md §2.3). */
  sttMaxFileBytes?: number;
  /** Longest speech-to-text upload (seconds of audio). Default 4.5 hours, as ElevenLabs. */
  sttMaxDurationSeconds?: number;
  /** Default: console with an `[emulator]` prefix. Pass `() => {}` for silence. */
  log?: Logger;
}

/** A refused connection: `code` and `reason` as sent; `detail` (why) only in the log and here. */
export interface Refusal {
  agentId: string | null;
  code: number;
  reason: string;
  detail: string;
}

export interface EmulatorEvents {
  /** A WebSocket conversation was accepted (before its first message). */
  session: [ConversationRecord];
  /** A connection was refused (unknown agent, auth, origin). */
  refused: [Refusal];
  sent: [{ conversationId: string; message: unknown }];
  received: [{ conversationId: string; message: unknown }];
  /** A text-to-speech request or stream-input connection ended (done, refused, dropped or aborted). */
  tts: [TtsRecord];
  /** A speech-to-text request or realtime session ended (done, refused, dropped or aborted). */
  stt: [SttRecord];
}

export interface WaitForOptions {
  timeoutMs?: number;
}

export interface EmulatorCore {
  /** Handles a request if its path is one of the emulator's; returns false otherwise (so middleware can fall through). */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Takes a WebSocket upgrade on `/v1/convai/conversation`, `…/stream-input` or `/v1/speech-to-text/realtime`; false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  readonly agents: Map<string, Agent>;
  /** Every conversation, newest last. */
  readonly conversations: ConversationRecord[];
  /** Every refused connection, newest last. */
  readonly refusals: Refusal[];
  readonly events: EventEmitter<EmulatorEvents>;
  addAgent(definition: AgentDefinition): Agent;
  /** Faults for the next connection to `agentId` (or any agent), on top of the agent's own. */
  injectFaults(faults: Faults, agentId?: string): void;
  /** Text-to-speech voices by id. */
  readonly voices: Map<string, Voice>;
  addVoice(definition: VoiceDefinition): Voice;
  /** Every text-to-speech request and stream-input connection, newest last (the newest 500). */
  readonly ttsRequests: TtsRecord[];
  /** Faults for the next text-to-speech request or stream-input connection to `voiceId` (or any voice). */
  injectTtsFaults(faults: TtsFaults, voiceId?: string): void;
  /** Every speech-to-text request and realtime session, newest last (the newest 500). */
  readonly sttRequests: SttRecord[];
  /** Faults for the next speech-to-text request or realtime session. */
  injectSttFaults(faults: SttFaults): void;
  /** A signature as `get-signed-url` would mint; `ttlSeconds` may be negative for an expired one. */
  sign(agentId: string, options?: { ttlSeconds?: number; singleUse?: boolean }): string;
  /** Consumes a token from `POST /v1/single-use-token/{type}`: true once, if it exists, is of `type` and has not expired. */
  consumeSingleUseToken(token: string, type: 'realtime_scribe' | 'tts_websocket'): boolean;
  /** Resolves with the first `sent`/`received` message matching, past or future. */
  waitFor(
    direction: 'sent' | 'received',
    predicate: (message: Record<string, unknown>, record: ConversationRecord) => boolean,
    options?: WaitForOptions,
  ): Promise<{ message: Record<string, unknown>; record: ConversationRecord }>;
  /** Ends every open session. */
  closeSessions(): void;
}

export interface Emulator extends EmulatorCore {
  /** `http://host:port` */
  url: string;
  /** `ws://host:port` — the origin for `@elevenlabs/client` and the widget. */
  wsUrl: string;
  port: number;
  close(): Promise<void>;
}

const defaultLog: Logger = (level, message) => console[level === 'info' ? 'log' : level](`[emulator] ${message}`);

/** The emulator's routes without a server of its own, for mounting (see `./vite.ts`). */
export function createEmulatorCore(options: EmulatorOptions = {}): EmulatorCore {
  const log = options.log ?? defaultLog;
  const signer = new Signer();
  const ttl = options.signatureTtlSeconds ?? 900;
  const agents = new Map<string, Agent>();
  const conversations: ConversationRecord[] = [];
  const refusals: Refusal[] = [];
  const events = new EventEmitter<EmulatorEvents>();
  events.setMaxListeners(0);
  const pendingFaults: { faults: Faults; agentId?: string }[] = [];
  const singleUseTokens = new Map<string, { type: string; expiresAt: number }>();
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes ?? 1024 * 1024,
    // @elevenlabs/client drops a connection whose subprotocol is not `convai`.
    handleProtocols: (protocols) => (protocols.has('convai') ? 'convai' : false),
  });

  const addAgent = (definition: AgentDefinition) => {
    const agent = resolveAgent(definition);
    agents.set(agent.agent_id, agent);
    return agent;
  };
  addAgent(DEMO_AGENT);
  for (const definition of options.agents ?? []) addAgent(definition);

  const sign = (agentId: string, o: { ttlSeconds?: number; singleUse?: boolean } = {}) =>
    signer.sign({
      a: agentId,
      e: Date.now() + (o.ttlSeconds ?? ttl) * 1000,
      n: newId('n'),
      ...(o.singleUse ? { c: newId('conv') } : {}),
    });

  // ---- REST -----------------------------------------------------------------------------------------

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'access-control-allow-origin': '*',
    });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string) =>
    json(res, status, { detail: { status: code, message } });

  /** `xi-api-key` check; answers 401 itself and returns false when it fails. */
  const authorized = (req: IncomingMessage, res: ServerResponse) => {
    const key = req.headers['xi-api-key'];
    if (typeof key !== 'string' || !key) {
      fail(
        res,
        401,
        'needs_authorization',
        'Neither authorization header nor xi-api-key received, please provide one.',
      );
      return false;
    }
    if (options.apiKey !== undefined && key !== options.apiKey) {
      fail(res, 401, 'invalid_api_key', 'Invalid API key');
      return false;
    }
    return true;
  };

  const agentFrom = (res: ServerResponse, id: string | null) => {
    if (!id) return void fail(res, 422, 'invalid_request', 'Field required: agent_id');
    const agent = agents.get(id);
    if (!agent) return void fail(res, 404, 'agent_not_found', `Agent with id ${id} was not found.`);
    return agent;
  };

  const readBody = (req: IncomingMessage, limit = 64 * 1024) =>
    new Promise<string>((resolve, reject) => {
      let size = 0;
      const parts: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) reject(new Error('too large'));
        else parts.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
      req.on('error', reject);
    });

  const consumeSingleUseToken = (token: string, type: 'realtime_scribe' | 'tts_websocket') => {
    const entry = singleUseTokens.get(token);
    singleUseTokens.delete(token);
    return !!entry && entry.type === type && entry.expiresAt > Date.now();
  };

  const tts = new TextToSpeech(
    {
      log,
      json,
      fail,
      authorized,
      acceptsKey: (key) => !!key && (options.apiKey === undefined || key === options.apiKey),
      consumeSingleUseToken,
      readBody,
      finished: (record) => events.emit('tts', record),
      chunkMs: options.ttsChunkMs ?? 200,
      generationSpeed: options.ttsGenerationSpeed ?? 4,
      maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024,
    },
    options.voices,
  );

  const stt = new SpeechToText({
    log,
    json,
    fail,
    authorized,
    acceptsKey: (key) => !!key && (options.apiKey === undefined || key === options.apiKey),
    consumeSingleUseToken,
    finished: (record) => events.emit('stt', record),
    maxFileBytes: options.sttMaxFileBytes ?? 1_000_000_000,
    maxDurationSeconds: options.sttMaxDurationSeconds ?? 4.5 * 3600,
    maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024,
  });

  const routes: [string, RegExp, (req: IncomingMessage, res: ServerResponse, m: string[], url: URL) => void][] = [
    [
      'GET',
      /^\/v1\/convai\/agents\/([^/]+)\/widget$/,
      (req, res, [id], url) => {
        const agent = agentFrom(res, decodeURIComponent(id!));
        if (!agent) return;
        // Private agents answer only with a valid signature, as the official widget passes it.
        if (agent.auth_required) {
          const signature = url.searchParams.get('conversation_signature');
          const check = signature ? signer.verify(signature, agent.agent_id) : null;
          // Reading the config must not consume a single-use signature.
          if (!check?.ok && !(check && check.reason === 'reused') && !req.headers['xi-api-key']) {
            return fail(res, 403, 'unauthorized', 'This agent requires authentication.');
          }
        }
        json(res, 200, { agent_id: agent.agent_id, widget_config: widgetConfig(agent) });
      },
    ],
    [
      'GET',
      /^\/v1\/convai\/conversation\/get[-_]signed[-_]url$/,
      (req, res, _m, url) => {
        if (!authorized(req, res)) return;
        const agent = agentFrom(res, url.searchParams.get('agent_id'));
        if (!agent) return;
        const single = url.searchParams.get('include_conversation_id') === 'true';
        const signature = sign(agent.agent_id, { singleUse: single });
        const wsOrigin = `${req.headers['x-forwarded-proto'] === 'https' ? 'wss' : 'ws'}://${req.headers.host}`;
        const signed_url = `${wsOrigin}/v1/convai/conversation?agent_id=${encodeURIComponent(agent.agent_id)}&conversation_signature=${signature}`;
        const conversation_id = single ? signer.peek(signature)?.c : undefined;
        json(res, 200, conversation_id ? { signed_url, conversation_id } : { signed_url });
      },
    ],
    [
      'GET',
      /^\/v1\/convai\/conversation\/token$/,
      (req, res, _m, url) => {
        const agent = agentFrom(res, url.searchParams.get('agent_id'));
        if (!agent) return;
        // Public agents get a token without a key (the SDK's WebRTC path asks for one); private ones need the key.
        if (agent.auth_required && !authorized(req, res)) return;
        json(res, 200, { token: sign(agent.agent_id) });
      },
    ],
    [
      'POST',
      /^\/v1\/single-use-token\/([^/]+)$/,
      (req, res, [type]) => {
        if (!authorized(req, res)) return;
        if (type !== 'realtime_scribe' && type !== 'tts_websocket') {
          return fail(res, 422, 'invalid_request', 'token_type must be realtime_scribe or tts_websocket.');
        }
        const token = newId('sutkn');
        singleUseTokens.set(token, { type, expiresAt: Date.now() + ttl * 1000 });
        json(res, 200, { token });
      },
    ],
    [
      'POST',
      /^\/v1\/convai\/conversations\/([^/]+)\/feedback$/,
      (req, res, [id]) => {
        const record = conversations.find((c) => c.conversation_id === decodeURIComponent(id!));
        void readBody(req)
          .then((text) => {
            if (!record) return fail(res, 404, 'conversation_not_found', `Conversation ${id} was not found.`);
            // Thumbs ({ feedback }) or, from the widget's end-of-call stars, { rating, comment }.
            const shape = 'Body must be JSON: { "feedback": "like" | "dislike" } or { "rating": 1–5, "comment"? }.';
            let body: { feedback?: unknown; rating?: unknown; comment?: unknown };
            try {
              body = JSON.parse(text);
            } catch {
              return fail(res, 422, 'invalid_request', shape);
            }
            if (body?.feedback === 'like' || body?.feedback === 'dislike') {
              record.overall_feedback = body.feedback;
            } else if (Number.isInteger(body?.rating) && (body.rating as number) >= 1 && (body.rating as number) <= 5) {
              const comment = typeof body.comment === 'string' ? body.comment.slice(0, 10_000) : '';
              record.rating = { rating: body.rating as number, comment };
            } else {
              return fail(res, 422, 'invalid_request', shape);
            }
            json(res, 200, {});
          })
          .catch(() => fail(res, 413, 'payload_too_large', 'The request body is too large.'));
      },
    ],
    [
      'GET',
      /^\/v1\/convai\/conversations\/([^/]+)$/,
      (req, res, [id]) => {
        if (!authorized(req, res)) return;
        const record = conversations.find((c) => c.conversation_id === decodeURIComponent(id!));
        if (!record) return fail(res, 404, 'conversation_not_found', `Conversation ${id} was not found.`);
        json(res, 200, conversationDetails(record));
      },
    ],
    ...tts.routes,
    ...stt.routes,
    [
      'GET',
      /^\/_emulator\/health$/,
      (_req, res) => json(res, 200, { ok: true, agents: [...agents.keys()], conversations: conversations.length }),
    ],
    [
      'GET',
      /^\/_emulator\/conversations$/,
      (_req, res) =>
        json(
          res,
          200,
          conversations.map((c) => ({ ...c, received: c.received.length, sent: c.sent.length })),
        ),
    ],
    [
      'POST',
      /^\/_emulator\/faults$/,
      (req, res, _m, url) => {
        void readBody(req)
          .then((text) => {
            const faults = JSON.parse(text) as Faults;
            injectFaults(faults, url.searchParams.get('agent_id') ?? undefined);
            json(res, 200, { ok: true });
          })
          .catch(() => fail(res, 422, 'invalid_request', 'Body must be a JSON faults object.'));
      },
    ],
    ['GET', /^\/_emulator\/tts$/, (_req, res) => json(res, 200, tts.records)],
    ['GET', /^\/_emulator\/stt$/, (_req, res) => json(res, 200, stt.records)],
    [
      'GET',
      /^\/_emulator\/speech\.wav$/,
      (_req, res, _m, url) => {
        // The emulator's speech for `text` as a WAV, for a page to upload or play (speech to text hears it back).
        const text = url.searchParams.get('text') ?? '';
        const sampleRate = Number(url.searchParams.get('sample_rate') ?? 48_000);
        if (!text || !(sampleRate >= 8000 && sampleRate <= 48_000)) {
          return fail(res, 422, 'invalid_request', 'Query: text (not empty) and sample_rate (8000–48000).');
        }
        const wav = speechWav(text, { sampleRate });
        res.writeHead(200, {
          'content-type': 'audio/wav',
          'content-length': String(wav.length),
          'access-control-allow-origin': '*',
        });
        res.end(wav);
      },
    ],
    [
      'POST',
      /^\/_emulator\/stt-faults$/,
      (req, res) => {
        void readBody(req)
          .then((text) => {
            try {
              stt.injectFaults(parseSttFaults(JSON.parse(text)));
            } catch (error) {
              return fail(res, 422, 'invalid_request', (error as Error).message);
            }
            json(res, 200, { ok: true });
          })
          .catch(() => fail(res, 413, 'payload_too_large', 'The request body is too large.'));
      },
    ],
    [
      'POST',
      /^\/_emulator\/tts-faults$/,
      (req, res, _m, url) => {
        void readBody(req)
          .then((text) => {
            let faults: TtsFaults;
            try {
              faults = parseTtsFaults(JSON.parse(text));
            } catch (error) {
              return fail(res, 422, 'invalid_request', (error as Error).message);
            }
            tts.faults.inject(faults, url.searchParams.get('voice_id') ?? undefined);
            json(res, 200, { ok: true });
          })
          .catch(() => fail(res, 413, 'payload_too_large', 'The request body is too large.'));
      },
    ],
  ];

  const handleRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (!/^\/(v1|v2|_emulator)\//.test(url.pathname)) return false;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type, xi-api-key, authorization',
        'access-control-max-age': '600',
      });
      res.end();
      return true;
    }
    const matching = routes.filter(([, pattern]) => pattern.test(url.pathname));
    if (!matching.length) {
      fail(res, 404, 'not_found', `No emulated endpoint at ${req.method} ${url.pathname}.`);
      return true;
    }
    const route = matching.find(([method]) => method === req.method);
    if (!route) {
      fail(res, 405, 'method_not_allowed', `Method ${req.method} is not allowed on ${url.pathname}.`);
      return true;
    }
    try {
      route[2](req, res, url.pathname.match(route[1])!.slice(1), url);
    } catch (error) {
      log('error', `${req.method} ${url.pathname} failed: ${(error as Error).message}`);
      if (!res.headersSent) fail(res, 500, 'internal_error', 'The emulator failed to handle this request.');
    }
    return true;
  };

  // ---- WebSocket --------------------------------------------------------------------------------------

  const injectFaults = (faults: Faults, agentId?: string) => pendingFaults.push({ faults, agentId });

  /**
   * Refusals follow what the real service does: authorization failures close with 3000
   * "Could not authorize the conversation." (no detail, so a stranger learns nothing), an unknown agent with
   * 1008 "The AI agent you are trying to reach does not exist.". The detail goes to the log and `refused` events.
   */
  const refuse = (ws: WebSocket, agentId: string | null, code: number, reason: string, detail: string) => {
    log('warn', `refused a conversation with ${agentId ?? 'no agent'}: ${detail}`);
    const refusal = { agentId, code, reason, detail };
    refusals.push(refusal);
    events.emit('refused', refusal);
    ws.close(code, reason);
  };

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (tts.handleUpgrade(req, socket, head)) return true;
    if (stt.handleUpgrade(req, socket, head)) return true;
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname !== '/v1/convai/conversation') return false;
    socket.on('error', (error) => log('warn', `socket error: ${error.message}`));
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', (error) => log('warn', `websocket error: ${error.message}`));
      if (ws.protocol !== 'convai') log('warn', 'a client connected without the `convai` subprotocol');
      const agentId = url.searchParams.get('agent_id');
      const agent = agentId ? agents.get(agentId) : undefined;
      if (!agentId || !agent) {
        return refuse(
          ws,
          agentId,
          1008,
          'The AI agent you are trying to reach does not exist.',
          `unknown agent ${agentId}`,
        );
      }
      const unauthorized = 'Could not authorize the conversation.';
      const origin = req.headers.origin ?? null;
      if (agent.allowlist.length) {
        const host = origin ? safeHost(origin) : null;
        if (!host || !agent.allowlist.includes(host)) {
          return refuse(ws, agentId, 3000, unauthorized, `origin ${origin ?? '(none)'} is not in the allowlist`);
        }
      }
      const signature = url.searchParams.get('conversation_signature');
      let conversationId = newId('conv');
      if (signature) {
        const check = signer.verify(signature, agentId);
        if (!check.ok) return refuse(ws, agentId, 3000, unauthorized, `signature ${check.reason}`);
        if (check.payload.c) conversationId = check.payload.c;
      } else if (agent.auth_required) {
        return refuse(ws, agentId, 3000, unauthorized, 'the agent requires a signed URL');
      }
      const queued = pendingFaults.findIndex((f) => !f.agentId || f.agentId === agentId);
      const extra = queued >= 0 ? pendingFaults.splice(queued, 1)[0]!.faults : {};
      url.searchParams.delete('conversation_signature');
      const record = newRecord(conversationId, agentId, origin, url.search);
      conversations.push(record);
      if (conversations.length > MAX_CONVERSATIONS) {
        const oldestDone = conversations.findIndex((c) => c.status === 'done');
        if (oldestDone >= 0) conversations.splice(oldestDone, 1);
      }
      events.emit('session', record);
      new ConversationSession(ws, {
        agent: { ...agent, faults: { ...agent.faults, ...extra } },
        record,
        log,
        pingIntervalMs: options.pingIntervalMs ?? 3000,
        chunkMs: options.chunkMs ?? 200,
        emit: (direction, message) => events.emit(direction, { conversationId, message }),
      });
    });
    return true;
  };

  const waitFor: EmulatorCore['waitFor'] = (direction, predicate, { timeoutMs = 10_000 } = {}) =>
    new Promise((resolve, reject) => {
      for (const record of conversations) {
        for (const logged of record[direction]) {
          const message = logged.message as Record<string, unknown>;
          if (predicate(message, record)) return resolve({ message, record });
        }
      }
      const listener = ({ conversationId, message }: { conversationId: string; message: unknown }) => {
        const record = conversations.find((c) => c.conversation_id === conversationId)!;
        if (!predicate(message as Record<string, unknown>, record)) return;
        cleanup();
        resolve({ message: message as Record<string, unknown>, record });
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No ${direction} message matched within ${timeoutMs} ms.`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        events.off(direction, listener);
      };
      events.on(direction, listener);
    });

  return {
    handleRequest,
    handleUpgrade,
    agents,
    conversations,
    refusals,
    events,
    addAgent,
    injectFaults,
    sign,
    consumeSingleUseToken,
    voices: tts.voices,
    addVoice: (definition) => tts.addVoice(definition),
    ttsRequests: tts.records,
    injectTtsFaults: (faults, voiceId) => tts.faults.inject(faults, voiceId),
    sttRequests: stt.records,
    injectSttFaults: (faults) => stt.injectFaults(faults),
    waitFor,
    closeSessions: () => {
      sockets.forEach((ws) => ws.close(1001, 'Emulator shutting down'));
      tts.closeSockets();
      stt.closeSockets();
    },
  };
}

/** Starts the emulator on its own HTTP server. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const core = createEmulatorCore(options);
  const server = createServer((req, res) => {
    if (!core.handleRequest(req, res)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: { status: 'not_found', message: `No emulated endpoint at ${req.url}.` } }));
    }
  });
  server.on('upgrade', (req, socket, head) => {
    if (!core.handleUpgrade(req, socket, head)) socket.destroy();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const hostname = host.includes(':') ? `[${host}]` : host;
  return {
    ...core,
    url: `http://${hostname}:${port}`,
    wsUrl: `ws://${hostname}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        core.closeSessions();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function safeHost(origin: string) {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}
