// Cloudflare Workers: the token endpoint as a Worker, under /api/elevenlabs (see ../wrangler.toml).
//
// Environment (bindings):
//   ELEVENLABS_API_KEY     a secret: `npx wrangler secret put ELEVENLABS_API_KEY` (for `wrangler dev`: .dev.vars)
//   ELEVENLABS_AGENT_IDS   the agent ids this endpoint may sign for, comma-separated ([vars] in wrangler.toml)
//   ALLOWED_ORIGINS        pages on other origins that may call it, comma-separated (default: same origin only)
//   ELEVENLABS_API_ORIGIN  optional: eu-residency, in-residency, or a URL (the emulator's, in development)
//
// Run: npm install @elevenkit/server && npx wrangler dev      Deploy: npx wrangler deploy
import { createTokenHandler } from '@elevenkit/server';

interface Env {
  ELEVENLABS_API_KEY: string;
  ELEVENLABS_AGENT_IDS: string;
  ALLOWED_ORIGINS?: string;
  ELEVENLABS_API_ORIGIN?: string;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

// Bindings arrive with the first request; the handler is built then and reused while the isolate lives.
let handler: ((request: Request) => Promise<Response>) | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    handler ??= createTokenHandler({
      apiKey: env.ELEVENLABS_API_KEY,
      agents: list(env.ELEVENLABS_AGENT_IDS),
      allowedOrigins: list(env.ALLOWED_ORIGINS),
      apiOrigin: env.ELEVENLABS_API_ORIGIN,
      // Per client IP (CF-Connecting-IP), counted in this isolate's memory: a brake, not a global limit.
      // For one limit everywhere, use Cloudflare's rate limiting rules or `store: createRedisRateLimitStore(…)`.
      rateLimit: { limit: 20, windowMs: 60_000 },
    });
    return handler(request);
  },
};
