// `elevenkit-server`: the token endpoint as a standalone HTTP service, configured by environment variables.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import {
  API_ORIGINS,
  createTokenHandler,
  type Logger,
  type SingleUseTokenType,
  type TokenHandlerOptions,
} from './handler.ts';
import { toNodeListener } from './node.ts';

const HELP = `Usage: elevenkit-server

Runs the ElevenLabs token endpoint (signed URLs and tokens for the browser, and optionally text to speech and speech
to text) as a standalone HTTP service. Settings come from the environment:

  ELEVENLABS_API_KEY     required: your ElevenLabs API key; it stays in this process
  ELEVENLABS_AGENT_IDS   the agent ids it may sign for, comma-separated (required unless only the speech routes are on)
  ELEVENLABS_VOICE_IDS   turns text to speech on for these voice ids, comma-separated, or * for any (default: off)
  TTS_CHARACTER_LIMIT    characters of text to speech per client IP and window, e.g. 20000/1h (default: off)
  SPEECH_TO_TEXT         on: turns speech to text on (uploads up to 25 MB and 10 minutes; default: off)
  STT_SECONDS_LIMIT      seconds of audio transcribed per client IP and window, e.g. 600/1h (default: off)
  SINGLE_USE_TOKENS      token types to mint, comma-separated: realtime_scribe, tts_websocket (default: both, or
                         only realtime_scribe with ELEVENLABS_VOICE_IDS set: a tts_websocket token takes any voice)
  ALLOWED_ORIGINS        origins of the pages that may call it, comma-separated, or * (default: none)
  ELEVENLABS_API_ORIGIN  us (default), eu-residency, in-residency, or a URL (the emulator's, in development)
  PORT                   default 8788
  HOST                   default 127.0.0.1 (0.0.0.0 to accept other machines)
  BASE_PATH              default /api/elevenlabs
  RATE_LIMIT             requests per client IP and window, e.g. 20/60s (default), 100/15m, or off
  TRUST_PROXY            behind proxies you run: true, or how many append to X-Forwarded-For

Routes: GET {BASE_PATH}/signed-url?agent_id=…, GET {BASE_PATH}/conversation-token?agent_id=…,
POST {BASE_PATH}/single-use-token/realtime_scribe | tts_websocket, GET {BASE_PATH}/health, and when turned on
POST {BASE_PATH}/text-to-speech (JSON { text, voice_id, … } → streamed audio) and POST {BASE_PATH}/speech-to-text
(multipart file → transcript).`;

export interface ServerSettings {
  port: number;
  host: string;
  options: TokenHandlerOptions & { basePath: string };
}

type Env = Record<string, string | undefined>;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `20/60s` → 20 (requests, characters, seconds) per 60 000 ms; `off` → none. Throws one sentence on anything else. */
export function parseRateLimit(value: string, name = 'RATE_LIMIT'): { limit: number; windowMs: number } | undefined {
  if (/^(off|none|false|0)$/i.test(value.trim())) return undefined;
  const match = value.trim().match(/^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/);
  const limit = Number(match?.[1]);
  const windowMs = Number(match?.[2]) * UNITS[match?.[3] as keyof typeof UNITS];
  if (!match || !(limit > 0) || !(windowMs > 0)) {
    throw new Error(`${name} must look like 20/60s (amount/window in ms, s, m or h) or be off, got "${value}".`);
  }
  return { limit, windowMs };
}

/** Reads the settings from the environment; throws one sentence about the first one that is wrong. */
export function settingsFromEnv(env: Env): ServerSettings {
  const apiKey = env.ELEVENLABS_API_KEY?.trim();
  if (!apiKey) {
    throw new Error('Set ELEVENLABS_API_KEY to your ElevenLabs API key (it stays on this server, never in a page).');
  }
  const agents = list(env.ELEVENLABS_AGENT_IDS);
  const voices = env.ELEVENLABS_VOICE_IDS?.trim() === '*' ? '*' : list(env.ELEVENLABS_VOICE_IDS);
  const stt = env.SPEECH_TO_TEXT?.trim().toLowerCase();
  if (stt && !['on', 'off', 'true', 'false'].includes(stt)) {
    throw new Error(`SPEECH_TO_TEXT must be on or off, got "${env.SPEECH_TO_TEXT}".`);
  }
  const speechToText = stt === 'on' || stt === 'true';
  if (!agents.length && !voices.length && !speechToText) {
    throw new Error('Set ELEVENLABS_AGENT_IDS to the ids of the agents this server may sign for, comma-separated.');
  }
  const apiOrigin = env.ELEVENLABS_API_ORIGIN?.trim() || 'us';
  if (!(apiOrigin in API_ORIGINS) && !/^https?:\/\/[^/]+\/?$/.test(apiOrigin)) {
    throw new Error(
      `ELEVENLABS_API_ORIGIN must be ${Object.keys(API_ORIGINS).join(', ')} or an origin such as http://127.0.0.1:8787, got "${apiOrigin}".`,
    );
  }
  const port = Number(env.PORT ?? 8788);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}".`);
  }
  const basePath = env.BASE_PATH?.trim() || '/api/elevenlabs';
  if (!basePath.startsWith('/')) throw new Error(`BASE_PATH must start with "/", got "${basePath}".`);
  const trust = env.TRUST_PROXY?.trim().toLowerCase();
  const trustProxy = !trust || trust === 'false' ? false : trust === 'true' ? true : Number(trust);
  if (trustProxy !== true && trustProxy !== false && !(Number.isInteger(trustProxy) && trustProxy >= 0)) {
    throw new Error(`TRUST_PROXY must be true, false or a number of proxies, got "${env.TRUST_PROXY}".`);
  }
  const rateLimit = parseRateLimit(env.RATE_LIMIT ?? '20/60s');
  const characterLimit = parseRateLimit(env.TTS_CHARACTER_LIMIT ?? 'off', 'TTS_CHARACTER_LIMIT');
  const secondsLimit = parseRateLimit(env.STT_SECONDS_LIMIT ?? 'off', 'STT_SECONDS_LIMIT');
  const tokenTypes = env.SINGLE_USE_TOKENS === undefined ? undefined : list(env.SINGLE_USE_TOKENS);
  const unknownType = tokenTypes?.find((type) => type !== 'realtime_scribe' && type !== 'tts_websocket');
  if (unknownType) {
    throw new Error(`SINGLE_USE_TOKENS takes realtime_scribe and tts_websocket, got "${unknownType}".`);
  }
  const origins = env.ALLOWED_ORIGINS?.trim() === '*' ? '*' : list(env.ALLOWED_ORIGINS);
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    options: {
      apiKey,
      agents,
      apiOrigin,
      basePath,
      allowedOrigins: origins,
      ...(rateLimit ? { rateLimit: { ...rateLimit, trustProxy } } : {}),
      ...(tokenTypes ? { singleUseTokenTypes: tokenTypes as SingleUseTokenType[] } : {}),
      ...(voices.length
        ? {
            textToSpeech: {
              voices: voices === '*' ? () => true : voices,
              ...(characterLimit ? { characterLimit } : {}),
            },
          }
        : {}),
      ...(speechToText ? { speechToText: secondsLimit ? { secondsLimit } : {} } : {}),
    },
  };
}

/** One line per request and per failure on stdout/stderr; the handler never passes the key to it. */
const consoleLogger: Logger = {
  info: (message, fields) =>
    console.log(
      message === 'token request' && fields
        ? `${fields.method} ${fields.path} ${fields.status} ${fields.ms} ms`
        : `${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`,
    ),
  warn: (message, fields) => console.warn(`warning: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
  error: (message, fields) => console.error(`error: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
};

/** Starts the service; resolves with the listening server. SIGINT/SIGTERM close it. */
export async function main(argv: string[], env: Env = process.env): Promise<Server | undefined> {
  const { values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log(HELP);
  const { port, host, options } = settingsFromEnv(env);
  const handler = createTokenHandler({ ...options, logger: consoleLogger });
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const upstream = API_ORIGINS[options.apiOrigin as keyof typeof API_ORIGINS] ?? options.apiOrigin;
  console.log(`elevenkit-server: token endpoint on http://${shown}:${address.port}${options.basePath}`);
  console.log(`  agents: ${(options.agents as string[]).join(', ') || 'none'}; ElevenLabs at ${upstream}`);
  const speech = [options.textToSpeech && 'text-to-speech', options.speechToText && 'speech-to-text'].filter(Boolean);
  if (speech.length) console.log(`  speech routes: ${speech.join(', ')}`);
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
