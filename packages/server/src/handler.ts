// The token endpoint: one web-standard `Request → Response` handler that mints ElevenLabs signed URLs and tokens
// so the browser never holds the API key. Adapters for Node and Express are in ./node.ts.
import { clientIp } from './client-ip.ts';
import { ApiError, errorResponse, json } from './errors.ts';
import { MemoryRateLimitStore, type RateLimitStore } from './rate-limit.ts';

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
  /** Believe `X-Forwarded-For` / `X-Real-IP` (set this behind a proxy you run). Default false. */
  trustProxy?: boolean;
  /** The client IP for anonymous callers, if the defaults do not fit your platform (see ./client-ip.ts). */
  clientIp?: (request: Request) => string | undefined;
}

export interface TokenHandlerOptions {
  /** Default: `process.env.ELEVENLABS_API_KEY` where `process` exists. */
  apiKey?: string;
  /** Agents this endpoint may sign for: a list of ids, or a check. Required: otherwise anyone could spend your key on any agent. */
  agents: readonly string[] | ((agentId: string, request: Request) => boolean | Promise<boolean>);
  /** Routes live under this path. Default `/api/elevenlabs`. */
  basePath?: string;
  /** Origins allowed to call from a browser (CORS and an `Origin` check). Default: same-origin requests only. */
  allowedOrigins?: readonly string[] | '*' | ((origin: string) => boolean);
  /** Your own user check. */
  authorize?: (request: Request) => AuthorizeResult | Promise<AuthorizeResult>;
  /** Per user or client IP. Default: none. */
  rateLimit?: RateLimitOptions;
  /** `us` (default), `global`, `eu-residency`, `in-residency`, or an origin such as the emulator's URL. */
  apiOrigin?: keyof typeof API_ORIGINS | (string & {});
  /** Mint single-use signed URLs (`include_conversation_id`). Default false. */
  singleUseSignedUrls?: boolean;
  /** Which single-use token types may be minted. Default both. */
  singleUseTokenTypes?: readonly SingleUseTokenType[];
  /** Upstream timeout. Default 10 000. */
  timeoutMs?: number;
  /** Receives one line per request and per failure; never the API key. Default: none. */
  logger?: Logger;
}

const AGENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Creates the handler. Routes: GET signed-url, GET conversation-token, POST single-use-token/{type}, GET health. */
export function createTokenHandler(options: TokenHandlerOptions): (request: Request) => Promise<Response> {
  if (!options || !options.agents) {
    throw new TypeError('createTokenHandler: `agents` is required (the agent ids this endpoint may sign for).');
  }
  const apiKey = options.apiKey ?? (typeof process !== 'undefined' ? process.env?.ELEVENLABS_API_KEY : undefined);
  const basePath = (options.basePath ?? '/api/elevenlabs').replace(/\/+$/, '');
  const apiOrigin = (
    API_ORIGINS[options.apiOrigin as keyof typeof API_ORIGINS] ??
    options.apiOrigin ??
    API_ORIGINS.us
  ).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const tokenTypes = options.singleUseTokenTypes ?? SINGLE_USE_TYPES;
  const rateLimit = options.rateLimit && { store: new MemoryRateLimitStore(), ...options.rateLimit };
  const log = options.logger;

  const agentAllowed = async (agentId: string, request: Request) =>
    typeof options.agents === 'function' ? options.agents(agentId, request) : options.agents.includes(agentId);

  /** The caller's origin if it may call; `null` when the request is not cross-origin; throws 403 otherwise. */
  const checkOrigin = (request: Request): string | null => {
    const origin = request.headers.get('origin');
    if (!origin || origin === new URL(request.url).origin) return null;
    const allowed = options.allowedOrigins;
    const ok = allowed === '*' || (typeof allowed === 'function' ? allowed(origin) : (allowed ?? []).includes(origin));
    if (!ok) throw new ApiError(403, 'origin_not_allowed', `Requests from ${origin} are not allowed.`);
    return origin;
  };

  const corsHeaders = (origin: string | null): Record<string, string> =>
    origin ? { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-allow-credentials': 'true' } : {};

  const identify = async (request: Request): Promise<string | undefined> => {
    if (!options.authorize) return undefined;
    const result = await options.authorize(request);
    if (!result) throw new ApiError(401, 'unauthorized', 'You must be signed in to start a conversation.');
    if (result === true) return undefined;
    return typeof result === 'string' ? result : result.userId;
  };

  const limit = async (request: Request, userId: string | undefined) => {
    if (!rateLimit) return;
    const ip = rateLimit.clientIp ? rateLimit.clientIp(request) : clientIp(request, rateLimit.trustProxy);
    const key = userId ? `user:${userId}` : `ip:${ip ?? 'unknown'}`;
    const { count, resetMs } = await rateLimit.store.hit(key, rateLimit.windowMs);
    if (count > rateLimit.limit) {
      const retryAfter = Math.max(1, Math.ceil(resetMs / 1000));
      throw new ApiError(429, 'rate_limited', `Too many requests; try again in ${retryAfter} s.`, {
        'retry-after': String(retryAfter),
      });
    }
  };

  /** Calls ElevenLabs with the key and returns its JSON, mapping every failure to an honest, key-free error. */
  const upstream = async (method: 'GET' | 'POST', path: string): Promise<Record<string, unknown>> => {
    if (!apiKey) {
      throw new ApiError(500, 'server_misconfigured', 'The server has no ElevenLabs API key (ELEVENLABS_API_KEY).');
    }
    let response: Response;
    try {
      response = await fetch(`${apiOrigin}${path}`, {
        method,
        headers: { 'xi-api-key': apiKey, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ApiError(504, 'upstream_timeout', `ElevenLabs did not answer within ${timeoutMs} ms.`);
      }
      throw new ApiError(502, 'upstream_unreachable', 'ElevenLabs could not be reached.');
    }
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (response.ok && body && typeof body === 'object') return body;
    const message = upstreamMessage(body);
    const detail = message && apiKey ? message.split(apiKey).join('[redacted]') : message;
    log?.warn('elevenlabs request failed', { status: response.status, path: path.split('?')[0], detail });
    if (response.ok) {
      throw new ApiError(502, 'upstream_invalid_response', 'ElevenLabs answered with something other than JSON.');
    }
    switch (response.status) {
      case 401:
      case 403:
        throw new ApiError(502, 'upstream_auth', "ElevenLabs rejected this server's API key.");
      case 404:
        throw new ApiError(404, 'upstream_not_found', detail ?? 'ElevenLabs does not know this agent.');
      case 422:
        throw new ApiError(422, 'upstream_invalid_request', detail ?? 'ElevenLabs refused the request as invalid.');
      case 429: {
        const retry = response.headers.get('retry-after');
        throw new ApiError(
          429,
          'upstream_rate_limited',
          'ElevenLabs is rate limiting this server; try again later.',
          retry ? { 'retry-after': retry } : {},
        );
      }
      default:
        throw new ApiError(502, 'upstream_error', `ElevenLabs answered with status ${response.status}.`);
    }
  };

  const agentIdFrom = async (url: URL, request: Request) => {
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

  type Route = (request: Request, url: URL, userId: string | undefined, param?: string) => Promise<unknown>;
  const routes: Record<string, { method: 'GET' | 'POST'; run: Route; limited: boolean }> = {
    health: { method: 'GET', limited: false, run: async () => ({ status: 'ok' }) },
    'signed-url': {
      method: 'GET',
      limited: true,
      run: async (request, url) => {
        const agentId = await agentIdFrom(url, request);
        const query = new URLSearchParams({ agent_id: agentId });
        if (options.singleUseSignedUrls) query.set('include_conversation_id', 'true');
        const body = await upstream('GET', `/v1/convai/conversation/get-signed-url?${query}`);
        if (typeof body.signed_url !== 'string') {
          throw new ApiError(502, 'upstream_invalid_response', 'ElevenLabs answered without a signed_url.');
        }
        return { signed_url: body.signed_url };
      },
    },
    'conversation-token': {
      method: 'GET',
      limited: true,
      run: async (request, url, userId) => {
        const agentId = await agentIdFrom(url, request);
        const query = new URLSearchParams({ agent_id: agentId });
        if (userId) query.set('participant_name', userId);
        const body = await upstream('GET', `/v1/convai/conversation/token?${query}`);
        if (typeof body.token !== 'string') {
          throw new ApiError(502, 'upstream_invalid_response', 'ElevenLabs answered without a token.');
        }
        return { token: body.token };
      },
    },
    'single-use-token': {
      method: 'POST',
      limited: true,
      run: async (_request, _url, _userId, type) => {
        if (!type || !(tokenTypes as readonly string[]).includes(type)) {
          throw new ApiError(404, 'not_found', `No single-use token type ${JSON.stringify(type ?? '')} here.`);
        }
        const body = await upstream('POST', `/v1/single-use-token/${type}`);
        if (typeof body.token !== 'string') {
          throw new ApiError(502, 'upstream_invalid_response', 'ElevenLabs answered without a token.');
        }
        return { token: body.token };
      },
    },
  };

  return async function handleTokenRequest(request: Request): Promise<Response> {
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
      if (!route || extra !== undefined || (param !== undefined && name !== 'single-use-token')) {
        throw new ApiError(404, 'not_found', 'No such route.');
      }
      origin = checkOrigin(request);
      if (request.method === 'OPTIONS') {
        status = 204;
        return new Response(null, {
          status,
          headers: {
            ...corsHeaders(origin),
            'access-control-allow-methods': `${route.method}, OPTIONS`,
            'access-control-allow-headers': request.headers.get('access-control-request-headers') ?? 'content-type',
            'access-control-max-age': '600',
            'cache-control': 'no-store',
          },
        });
      }
      if (request.method !== route.method && !(route.method === 'GET' && request.method === 'HEAD')) {
        throw new ApiError(405, 'method_not_allowed', `Use ${route.method} here.`, {
          allow: `${route.method}, OPTIONS`,
        });
      }
      const userId = route.limited ? await identify(request) : undefined;
      if (route.limited) await limit(request, userId);
      const body = await route.run(request, url, userId, param);
      status = 200;
      return json(200, body, corsHeaders(origin));
    } catch (error) {
      const failure =
        error instanceof ApiError ? error : new ApiError(500, 'internal_error', 'The token endpoint failed.');
      if (!(error instanceof ApiError)) log?.error('token endpoint failed', { error: redact(error, apiKey) });
      status = failure.status;
      // A refused origin gets no CORS headers, so the browser hides the answer from the page.
      return errorResponse(failure, failure.code === 'origin_not_allowed' ? {} : corsHeaders(origin));
    } finally {
      log?.info('token request', { method: request.method, path: url.pathname, status, ms: Date.now() - started });
    }
  };
}

/** ElevenLabs' `{ detail: { message } }` or FastAPI's `{ detail: [{ msg }] }`, if any. */
function upstreamMessage(body: unknown): string | undefined {
  const detail = (body as { detail?: unknown })?.detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail))
    return (
      detail
        .map((d) => (d as { msg?: string })?.msg)
        .filter(Boolean)
        .join('; ') || undefined
    );
  const message = (detail as { message?: unknown })?.message;
  return typeof message === 'string' ? message : undefined;
}

/** A description of an unexpected error with the key cut out, should a library have put it there. */
function redact(error: unknown, apiKey: string | undefined) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return apiKey ? text.split(apiKey).join('[redacted]') : text;
}
