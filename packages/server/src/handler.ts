// The token endpoint: one web-standard `Request → Response` handler that mints ElevenLabs signed URLs and tokens
// so the browser never holds the API key. Adapters for Node and Express are in ./node.ts.
import { ipGroup, ipOf } from './client-ip.ts';
import {
  type Answer,
  ApiError,
  describe,
  errorAnswer,
  json,
  toResponse,
  upstreamMessage,
  upstreamStatus,
} from './errors.ts';
import { answerers, type Incoming, webRequest } from './incoming.ts';
import { MemoryRateLimitStore, type RateLimitHit, type RateLimitStore, type UsageLimit } from './rate-limit.ts';
import { redact } from './redact.ts';
import type { SpeechContext } from './speech-upstream.ts';
import { speechToText, type SpeechToTextOptions } from './speech-to-text.ts';
import { textToSpeech, type TextToSpeechOptions } from './text-to-speech.ts';

export type SingleUseTokenType = 'realtime_scribe' | 'tts_websocket';
const SINGLE_USE_TYPES: readonly SingleUseTokenType[] = ['realtime_scribe', 'tts_websocket'];

/** ElevenLabs API origins by name; any other value is used as an origin as it is (a proxy, the emulator). */
export const API_ORIGINS = {
  us: 'https://api.elevenlabs.io',
  global: 'https://api.elevenlabs.io',
  'eu-residency': 'https://api.eu.residency.elevenlabs.io',
  'in-residency': 'https://api.in.residency.elevenlabs.io',
} as const;

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What `authorize` returns: `false`/`null`/`undefined` refuses (401); `true` allows; a string or `{ userId }` allows that user. */
export type AuthorizeResult = boolean | string | { userId: string } | null | undefined;

export interface RateLimitOptions {
  /** Requests allowed per window for one user (from `authorize`) or, without one, one client IP. */
  limit: number;
  windowMs: number;
  /** Where counts live. Default: in memory (one process). Use `createRedisRateLimitStore` for many machines. */
  store?: RateLimitStore;
  /**
   * Behind your own proxies: `true` (one) or how many append to `X-Forwarded-For`; the client IP is then the entry
   * that many hops from the right (entries further left are whatever the caller sent). Default false: the socket.
   */
  trustProxy?: boolean | number;
  /** The client IP for anonymous callers, if the defaults do not fit your platform (see ./client-ip.ts). */
  clientIp?: (request: Request) => string | undefined;
}

/** The request handler, with the path its routes live under (the Express adapter mounts it there). */
export interface TokenHandler {
  (request: Request): Promise<Response>;
  readonly basePath: string;
}

export interface TokenHandlerOptions {
  /** Default: `process.env.ELEVENLABS_API_KEY` where `process` exists. */
  apiKey?: string;
  /** Agents this endpoint may sign for: a list of ids, or a check. Required: otherwise anyone could spend your key on any agent. */
  agents: readonly string[] | ((agentId: string, request: Request) => boolean | Promise<boolean>);
  /** Routes live under this path. Default `/api/elevenlabs`. */
  basePath?: string;
  /**
   * Origins allowed to call from a browser (CORS and an `Origin` check). Default: same-origin requests only.
   * `'*'`: any origin, without cookies (`Access-Control-Allow-Origin: *`, no credentials).
   */
  allowedOrigins?: readonly string[] | '*' | ((origin: string) => boolean);
  /** Your own user check. */
  authorize?: (request: Request) => AuthorizeResult | Promise<AuthorizeResult>;
  /** Per user or client IP. Default: none. */
  rateLimit?: RateLimitOptions;
  /** `us` (default), `global`, `eu-residency`, `in-residency`, or an origin such as the emulator's URL. */
  apiOrigin?: keyof typeof API_ORIGINS | (string & {});
  /** Mint single-use signed URLs (`include_conversation_id`). Default false. */
  singleUseSignedUrls?: boolean;
  /** Which single-use token types may be minted. Default both; only `realtime_scribe` when `textToSpeech` is set. */
  singleUseTokenTypes?: readonly SingleUseTokenType[];
  /** Upstream timeout. Default 10 000. */
  timeoutMs?: number;
  /** Receives one line per request and per failure; never the API key. Default: none. */
  logger?: Logger;
  /** Turns on `POST {basePath}/text-to-speech` (see ./text-to-speech.ts). Default: off (404). */
  textToSpeech?: TextToSpeechOptions;
  /** Turns on `POST {basePath}/speech-to-text` (see ./speech-to-text.ts). Default: off (404). */
  speechToText?: SpeechToTextOptions;
}

const AGENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Creates the handler. Routes: GET signed-url, GET conversation-token, POST single-use-token/{type}, GET health, and
 * POST text-to-speech and POST speech-to-text when `textToSpeech` / `speechToText` are set.
 */
export function createTokenHandler(options: TokenHandlerOptions): TokenHandler {
  if (!options || !options.agents) {
    throw new TypeError('createTokenHandler: `agents` is required (the agent ids this endpoint may sign for).');
  }
  if (options.rateLimit && !(Number.isInteger(options.rateLimit.limit) && options.rateLimit.limit > 0)) {
    throw new TypeError('createTokenHandler: `rateLimit.limit` must be a whole number of requests, at least 1.');
  }
  if (options.rateLimit && !(options.rateLimit.windowMs > 0)) {
    throw new TypeError('createTokenHandler: `rateLimit.windowMs` must be a positive number of milliseconds.');
  }
  if (options.textToSpeech && !options.textToSpeech.voices) {
    throw new TypeError(
      'createTokenHandler: `textToSpeech.voices` is required (the voice ids it may speak with, or `() => true`).',
    );
  }
  checkUsageLimit('textToSpeech.characterLimit', options.textToSpeech?.characterLimit);
  checkUsageLimit('speechToText.secondsLimit', options.speechToText?.secondsLimit);
  // Trimmed: a key read from a file or a secret store often ends in a newline, which no header can carry.
  const apiKey = (
    options.apiKey ?? (typeof process !== 'undefined' ? process.env?.ELEVENLABS_API_KEY : undefined)
  )?.trim();
  const basePath = (options.basePath ?? '/api/elevenlabs').replace(/\/+$/, '');
  const apiOrigin = (
    API_ORIGINS[options.apiOrigin as keyof typeof API_ORIGINS] ??
    options.apiOrigin ??
    API_ORIGINS.us
  ).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  // A tts_websocket token is bound to no voice, model or length: where `textToSpeech` limits those, it would be the
  // way around them, so there it is minted only when `singleUseTokenTypes` names it.
  const tokenTypes =
    options.singleUseTokenTypes ?? (options.textToSpeech ? (['realtime_scribe'] as const) : SINGLE_USE_TYPES);
  const rateLimit = options.rateLimit && {
    ...options.rateLimit,
    store: options.rateLimit.store ?? new MemoryRateLimitStore(),
  };
  const log = options.logger;
  let warnedUnknownIp = false;

  const agentAllowed = async (agentId: string, request: Incoming) =>
    typeof options.agents === 'function'
      ? options.agents(agentId, webRequest(request))
      : options.agents.includes(agentId);

  /**
   * The caller's origin if it may call; `null` when the request is not cross-origin; throws 403 otherwise.
   * Same origin means same host: behind a proxy that ends TLS the request URL says `http:` while the page is `https:`.
   */
  const checkOrigin = (request: Incoming, url: URL): string | null => {
    const origin = request.headers.get('origin');
    if (!origin || hostOf(origin) === url.host) return null;
    const allowed = options.allowedOrigins;
    const ok = allowed === '*' || (typeof allowed === 'function' ? allowed(origin) : (allowed ?? []).includes(origin));
    if (!ok) throw new ApiError(403, 'origin_not_allowed', `Requests from ${origin} are not allowed.`);
    return origin;
  };

  /** CORS for an allowed cross-origin caller. `'*'` means any page, but never with the user's cookies. */
  const corsHeaders = (origin: string | null): Record<string, string> => {
    if (!origin) return {};
    // Readable from script: when to retry, and ElevenLabs' id of a text-to-speech request (for a support ticket).
    const expose = { 'access-control-expose-headers': 'Retry-After, request-id' };
    return options.allowedOrigins === '*'
      ? { 'access-control-allow-origin': '*', ...expose }
      : {
          'access-control-allow-origin': origin,
          'access-control-allow-credentials': 'true',
          vary: 'Origin',
          ...expose,
        };
  };

  const identify = async (request: Incoming): Promise<string | undefined> => {
    if (!options.authorize) return undefined;
    const result = await options.authorize(webRequest(request));
    if (!result) throw new ApiError(401, 'unauthorized', 'You must be signed in to start a conversation.');
    if (result === true) return undefined;
    return typeof result === 'string' ? result : result.userId;
  };

  /** Whose requests and usage are counted together: the user from `authorize`, else the client IP. */
  const callerKey = (request: Incoming, userId: string | undefined) => {
    if (userId) return `user:${userId}`;
    const ip = rateLimit?.clientIp ? rateLimit.clientIp(webRequest(request)) : ipOf(request, rateLimit?.trustProxy);
    if (!ip && !warnedUnknownIp) {
      warnedUnknownIp = true;
      log?.warn(
        'rate limit: the client IP is unknown here, so anonymous callers share one limit; set rateLimit.clientIp',
      );
    }
    return `ip:${ip ? ipGroup(ip) : 'unknown'}`;
  };

  /** Adds `cost` to a count; fails closed, since without counts nothing is limited and anyone could spend the key. */
  const hit = async (store: RateLimitStore, key: string, windowMs: number, cost: number): Promise<RateLimitHit> => {
    try {
      return await store.hit(key, windowMs, cost);
    } catch (error) {
      log?.error('rate limit store failed', { error: redact(describe(error), apiKey) });
      throw new ApiError(503, 'rate_limit_unavailable', 'The rate limiter is unavailable; try again shortly.');
    }
  };

  const tooMany = (message: string, resetMs: number) => {
    const retryAfter = Math.max(1, Math.ceil(resetMs / 1000));
    return new ApiError(429, 'rate_limited', `${message}; try again in ${retryAfter} s.`, {
      'retry-after': String(retryAfter),
    });
  };

  const limit = async (request: Incoming, userId: string | undefined) => {
    if (!rateLimit) return;
    const { count, resetMs } = await hit(rateLimit.store, callerKey(request, userId), rateLimit.windowMs, 1);
    if (count > rateLimit.limit) throw tooMany('Too many requests', resetMs);
  };

  /**
   * A speech route's usage meter: `cost` units (`unit`: characters, seconds) against `usage`, per caller. `charge`
   * refuses a request that would pass the budget and gives its cost back, so a refused request spends nothing; `add`
   * counts a cost known only afterwards.
   */
  const usageMeter = (
    request: Incoming,
    userId: string | undefined,
    usage: Required<UsageLimit> | undefined,
    unit: string,
  ): Pick<SpeechContext, 'charge' | 'add'> => {
    // Only with a budget: without one, nothing needs the caller's IP (nor a warning that it is unknown).
    const key = usage ? `${unit}:${callerKey(request, userId)}` : '';
    return {
      charge: async (cost) => {
        if (!usage) return async () => {};
        const { store, windowMs } = usage;
        const { count, resetMs } = await hit(store, key, windowMs, cost);
        const refund = async () => void (await store.hit(key, windowMs, -cost).catch(() => {}));
        if (count > usage.limit) {
          await refund();
          throw tooMany(`This would pass the ${usage.limit} ${unit} allowed per window`, resetMs);
        }
        return refund;
      },
      add: async (cost) => {
        if (!usage || !(cost > 0)) return;
        await usage.store.hit(key, usage.windowMs, cost).catch((error: unknown) => {
          log?.error('rate limit store failed', { error: redact(describe(error), apiKey) });
        });
      },
    };
  };

  /**
   * Calls ElevenLabs with the key and returns its JSON, mapping every failure to an honest, key-free error.
   * `agentId` is set for the agent routes, where a 404 means ElevenLabs does not know the agent.
   */
  const upstream = async (method: 'GET' | 'POST', path: string, agentId?: string): Promise<Record<string, unknown>> => {
    if (!apiKey) {
      log?.error('no ElevenLabs API key: set ELEVENLABS_API_KEY or the apiKey option');
      throw new ApiError(500, 'server_misconfigured', 'The server has no ElevenLabs API key (ELEVENLABS_API_KEY).');
    }
    const route = path.split('?')[0];
    let response: Response;
    let text: string;
    // Not `AbortSignal.timeout`: its timer stays in the heap until it fires or a full garbage collection finds the
    // signal unused, so at a high request rate thousands pile up. This one is cleared as soon as the answer is read.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      response = await fetch(`${apiOrigin}${path}`, {
        method,
        headers: { 'xi-api-key': apiKey, accept: 'application/json' },
        signal: controller.signal,
      });
      text = await response.text(); // inside the timeout too: an answer can stall after its headers
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        log?.warn('elevenlabs request timed out', { path: route, timeoutMs });
        throw new ApiError(504, 'upstream_timeout', `ElevenLabs did not answer within ${timeoutMs} ms.`);
      }
      log?.warn('elevenlabs unreachable', { path: route, error: redact(describe(error), apiKey) });
      throw new ApiError(502, 'upstream_unreachable', 'ElevenLabs could not be reached.');
    } finally {
      clearTimeout(timer);
    }
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // handled below
    }
    if (response.ok && body && typeof body === 'object') return body as Record<string, unknown>;
    const message = upstreamMessage(body);
    const detail = message === undefined ? undefined : redact(message, apiKey);
    log?.warn('elevenlabs request failed', { status: response.status, path: route, detail });
    if (response.ok) {
      throw new ApiError(502, 'upstream_invalid_response', 'ElevenLabs answered with something other than JSON.');
    }
    switch (response.status) {
      case 401:
      case 403:
        // ElevenLabs answers 401 for an account out of credits too; that is not the key's fault.
        if (upstreamStatus(body) === 'quota_exceeded') {
          throw new ApiError(
            502,
            'upstream_quota_exceeded',
            'The ElevenLabs account behind this server is out of credits.',
          );
        }
        throw new ApiError(502, 'upstream_auth', `ElevenLabs rejected this server's API key (${response.status}).`);
      case 404:
        if (agentId) throw new ApiError(404, 'agent_not_found', `ElevenLabs does not know the agent ${agentId}.`);
        throw new ApiError(502, 'upstream_error', `ElevenLabs answered with status 404 for ${route}.`);
      case 422:
        throw new ApiError(422, 'upstream_invalid_request', detail ?? 'ElevenLabs refused the request as invalid.');
      case 429: {
        const retry = response.headers.get('retry-after');
        throw new ApiError(
          429,
          'upstream_rate_limited',
          'ElevenLabs is rate limiting this server; try again later.',
          retry && /^[\w ,:]{1,40}$/.test(retry) ? { 'retry-after': retry } : {},
        );
      }
      default:
        throw new ApiError(502, 'upstream_error', `ElevenLabs answered with status ${response.status}.`);
    }
  };

  /** The string field an answer must carry. */
  const field = (body: Record<string, unknown>, name: string, path: string) => {
    const value = body[name];
    if (typeof value === 'string') return value;
    log?.warn('elevenlabs answered without a field', { path: path.split('?')[0], field: name });
    throw new ApiError(502, 'upstream_invalid_response', `ElevenLabs answered without a ${name}.`);
  };

  const agentIdFrom = async (url: URL, request: Incoming) => {
    const agentId = url.searchParams.get('agent_id');
    if (!agentId) throw new ApiError(400, 'missing_agent_id', 'The query parameter agent_id is required.');
    if (!AGENT_ID.test(agentId)) {
      throw new ApiError(400, 'invalid_agent_id', 'agent_id must be 1–128 letters, digits, "_" or "-".');
    }
    if (!(await agentAllowed(agentId, request))) {
      throw new ApiError(403, 'agent_not_allowed', 'This endpoint does not sign for that agent.');
    }
    return agentId;
  };

  /** What a speech route needs from here, for one request. */
  const speechContext = (
    request: Incoming,
    userId: string | undefined,
    usage: Required<UsageLimit> | undefined,
    unit: string,
  ) =>
    ({ apiKey, apiOrigin, log, timeoutMs, ...usageMeter(request, userId, usage, unit) }) satisfies SpeechContext & {
      timeoutMs: number;
    };

  type Route = (request: Incoming, url: URL, userId: string | undefined, param?: string) => Promise<unknown>;
  /** `limited`: behind `authorize` and the rate limit. `params`: the values of the one more path segment it takes. */
  const routes: Record<string, { method: 'GET' | 'POST'; run: Route; limited: boolean; params?: readonly string[] }> = {
    health: { method: 'GET', limited: false, run: async () => ({ status: 'ok' }) },
    'signed-url': {
      method: 'GET',
      limited: true,
      run: async (request, url) => {
        const agentId = await agentIdFrom(url, request);
        // The id is letters, digits, "_" and "-" (checked above), so it needs no encoding.
        const single = options.singleUseSignedUrls ? '&include_conversation_id=true' : '';
        const path = `/v1/convai/conversation/get-signed-url?agent_id=${agentId}${single}`;
        return { signed_url: field(await upstream('GET', path, agentId), 'signed_url', path) };
      },
    },
    'conversation-token': {
      method: 'GET',
      limited: true,
      run: async (request, url, userId) => {
        const agentId = await agentIdFrom(url, request);
        const query = new URLSearchParams({ agent_id: agentId });
        if (userId) query.set('participant_name', userId);
        const path = `/v1/convai/conversation/token?${query}`;
        return { token: field(await upstream('GET', path, agentId), 'token', path) };
      },
    },
    'single-use-token': {
      method: 'POST',
      limited: true,
      params: tokenTypes,
      run: async (_request, _url, _userId, type) => {
        const path = `/v1/single-use-token/${type}`;
        return { token: field(await upstream('POST', path), 'token', path) };
      },
    },
  };
  /** A usage budget with its store: its own, else the request limit's, else one in memory. */
  const usageLimit = (usage: UsageLimit | undefined): Required<UsageLimit> | undefined =>
    usage && { ...usage, store: usage.store ?? rateLimit?.store ?? new MemoryRateLimitStore() };
  const tts = options.textToSpeech;
  const characterLimit = usageLimit(tts?.characterLimit);
  if (tts) {
    routes['text-to-speech'] = {
      method: 'POST',
      limited: true,
      run: async (request, _url, userId) =>
        new AsIs(await textToSpeech(speechContext(request, userId, characterLimit, 'characters'), tts, request)),
    };
  }
  const stt = options.speechToText;
  const secondsLimit = usageLimit(stt?.secondsLimit);
  if (stt) {
    routes['speech-to-text'] = {
      method: 'POST',
      limited: true,
      run: async (request, _url, userId) =>
        new AsIs(await speechToText(speechContext(request, userId, secondsLimit, 'seconds'), stt, request)),
    };
  }

  const answer = async (request: Incoming): Promise<Answer> => {
    const started = Date.now();
    const url = new URL(request.url);
    let origin: string | null = null;
    let status = 500;
    try {
      if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
        throw new ApiError(404, 'not_found', 'No such route.');
      }
      const [name, param, extra] = url.pathname.slice(basePath.length + 1).split('/');
      const route = name ? routes[name] : undefined;
      if (!route || extra !== undefined || (route.params ? !route.params.includes(param!) : param !== undefined)) {
        throw new ApiError(404, 'not_found', 'No such route.');
      }
      origin = checkOrigin(request, url);
      if (request.method === 'OPTIONS') {
        status = 204;
        return {
          status,
          headers: {
            ...corsHeaders(origin),
            'access-control-allow-methods': `${route.method}, OPTIONS`,
            'access-control-allow-headers': request.headers.get('access-control-request-headers') ?? 'content-type',
            'access-control-max-age': '600',
            'cache-control': 'no-store',
          },
          body: null,
        };
      }
      if (request.method !== route.method && !(route.method === 'GET' && request.method === 'HEAD')) {
        throw new ApiError(405, 'method_not_allowed', `Use ${route.method} here.`, {
          allow: `${route.method}, OPTIONS`,
        });
      }
      const userId = route.limited ? await identify(request) : undefined;
      if (route.limited) await limit(request, userId);
      const body = await route.run(request, url, userId, param);
      if (body instanceof AsIs) {
        status = body.answer.status;
        return { ...body.answer, headers: { ...body.answer.headers, ...corsHeaders(origin) } };
      }
      status = 200;
      return json(200, body, corsHeaders(origin));
    } catch (error) {
      const failure =
        error instanceof ApiError ? error : new ApiError(500, 'internal_error', 'The token endpoint failed.');
      if (!(error instanceof ApiError)) log?.error('token endpoint failed', { error: redact(describe(error), apiKey) });
      status = failure.status;
      // A refused origin gets no CORS headers, so the browser hides the answer from the page.
      return errorAnswer(failure, failure.code === 'origin_not_allowed' ? {} : corsHeaders(origin));
    } finally {
      log?.info('token request', { method: request.method, path: url.pathname, status, ms: Date.now() - started });
    }
  };
  const handleTokenRequest = async (request: Request) => toResponse(await answer(request));
  answerers.set(handleTokenRequest, answer);
  return Object.assign(handleTokenRequest, { basePath });
}

/** A route's whole answer (a stream, or JSON as ElevenLabs sent it), not a value to send as JSON. */
class AsIs {
  constructor(readonly answer: Answer) {}
}

function checkUsageLimit(name: string, usage: UsageLimit | undefined) {
  if (usage && !(usage.limit > 0 && usage.windowMs > 0)) {
    throw new TypeError(`createTokenHandler: \`${name}\` needs a positive limit and windowMs.`);
  }
}

/** The host of an `Origin` header value; `undefined` for `null` and anything else unparsable. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
