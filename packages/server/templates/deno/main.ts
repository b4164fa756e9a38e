// Deno (and Deno Deploy): `deno serve` serves this module's default export, under /api/elevenlabs.
//
// Environment:
//   ELEVENLABS_API_KEY     your ElevenLabs API key; it stays on this server
//   ELEVENLABS_AGENT_IDS   the agent ids this endpoint may sign for, comma-separated
//   ALLOWED_ORIGINS        pages on other origins that may call it, comma-separated (default: same origin only)
//   ELEVENLABS_API_ORIGIN  optional: eu-residency, in-residency, or a URL (the emulator's, in development)
//
// Run: deno task start   (deno.json maps @elevenkit/server to npm and runs `deno serve` on port 8000)
import { createTokenHandler } from '@elevenkit/server';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

// `deno serve` hands over the caller's address beside the request; the rate limit reads it from here.
const clientIps = new WeakMap<Request, string>();

const handler = createTokenHandler({
  apiKey: Deno.env.get('ELEVENLABS_API_KEY'),
  agents: list(Deno.env.get('ELEVENLABS_AGENT_IDS')),
  allowedOrigins: list(Deno.env.get('ALLOWED_ORIGINS')),
  apiOrigin: Deno.env.get('ELEVENLABS_API_ORIGIN'),
  // Per client IP, in this process's memory (one isolate on Deno Deploy: a brake, not a global limit).
  rateLimit: { limit: 20, windowMs: 60_000, clientIp: (request) => clientIps.get(request) },
});

export default {
  fetch(request, info) {
    if (info.remoteAddr.transport === 'tcp') clientIps.set(request, info.remoteAddr.hostname);
    return handler(request);
  },
} satisfies Deno.ServeDefaultExport;
