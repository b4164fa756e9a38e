// Next.js App Router: this file at app/api/elevenlabs/[...route]/route.ts serves the token endpoint under
// /api/elevenlabs: GET signed-url?agent_id=…, GET conversation-token?agent_id=…,
// POST single-use-token/realtime_scribe | tts_websocket, GET health.
//
// Environment (.env.local in development, your host's settings in production):
//   ELEVENLABS_API_KEY     your ElevenLabs API key; it stays on the server (no NEXT_PUBLIC_ prefix!)
//   ELEVENLABS_AGENT_IDS   the agent ids this endpoint may sign for, comma-separated
//   ALLOWED_ORIGINS        pages on other origins that may call it, comma-separated (default: same origin only)
//   ELEVENLABS_API_ORIGIN  optional: eu-residency, in-residency, or a URL (the emulator's, in development)
//
// Run: npm install @elevenkit/server && next dev
import { createTokenHandler } from '@elevenkit/server';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const handler = createTokenHandler({
  apiKey: process.env.ELEVENLABS_API_KEY,
  agents: list(process.env.ELEVENLABS_AGENT_IDS),
  allowedOrigins: list(process.env.ALLOWED_ORIGINS),
  apiOrigin: process.env.ELEVENLABS_API_ORIGIN,
  // Per client IP, in each server instance's memory. Vercel and most hosts set X-Forwarded-For, so it is
  // trusted here; if clients reach `next start` directly, remove `trustProxy`. For one limit across
  // instances, add `store: createRedisRateLimitStore(…)`.
  rateLimit: { limit: 20, windowMs: 60_000, trustProxy: true },
});

// The handler is a web-standard (Request) => Promise<Response>; it reads the route from the request's URL.
export const GET = handler;
export const POST = handler;
export const OPTIONS = handler;
// Tokens must never be cached or prerendered. Runs on the Node.js and the Edge runtime alike.
export const dynamic = 'force-dynamic';
