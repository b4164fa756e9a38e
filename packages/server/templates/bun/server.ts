// Bun: `bun server.ts` serves this module's default export (Bun calls Bun.serve with it), under /api/elevenlabs.
//
// Environment:
//   ELEVENLABS_API_KEY     your ElevenLabs API key; it stays on this server
//   ELEVENLABS_AGENT_IDS   the agent ids this endpoint may sign for, comma-separated
//   ALLOWED_ORIGINS        pages on other origins that may call it, comma-separated (default: same origin only)
//   ELEVENLABS_API_ORIGIN  optional: eu-residency, in-residency, or a URL (the emulator's, in development)
//   PORT                   default 3000
//
// Run: bun add @elevenkit/server && bun server.ts
import { createTokenHandler } from '@elevenkit/server';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

// Bun hands over the server beside the request; its requestIP() is the caller's address, for the rate limit.
const clientIps = new WeakMap<Request, string>();

const handler = createTokenHandler({
  apiKey: process.env.ELEVENLABS_API_KEY,
  agents: list(process.env.ELEVENLABS_AGENT_IDS),
  allowedOrigins: list(process.env.ALLOWED_ORIGINS),
  apiOrigin: process.env.ELEVENLABS_API_ORIGIN,
  // Per client IP, in this process's memory; on several machines, add `store: createRedisRateLimitStore(…)`.
  rateLimit: { limit: 20, windowMs: 60_000, clientIp: (request) => clientIps.get(request) },
});

export default {
  port: Number(process.env.PORT ?? 3000),
  fetch(request: Request, server: { requestIP(request: Request): { address: string } | null }) {
    const ip = server.requestIP(request)?.address;
    if (ip) clientIps.set(request, ip);
    return handler(request);
  },
};
