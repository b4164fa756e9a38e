// Express: the token endpoint as middleware, beside your own routes.
//
// Environment:
//   ELEVENLABS_API_KEY     your ElevenLabs API key; it stays on this server
//   ELEVENLABS_AGENT_IDS   the agent ids this endpoint may sign for, comma-separated
//   ALLOWED_ORIGINS        pages on other origins that may call it, comma-separated (default: same origin only)
//   ELEVENLABS_API_ORIGIN  optional: eu-residency, in-residency, or a URL (the emulator's, in development)
//   PORT                   default 3000
//
// Run: npm install express @elevenkit/server && node server.js
import express from 'express';
import { createTokenHandler } from '@elevenkit/server';
import { toExpressMiddleware } from '@elevenkit/server/node';

/** @param {string | undefined} value a comma-separated list */
const list = (value) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const handler = createTokenHandler({
  apiKey: process.env.ELEVENLABS_API_KEY,
  agents: list(process.env.ELEVENLABS_AGENT_IDS),
  allowedOrigins: list(process.env.ALLOWED_ORIGINS),
  apiOrigin: process.env.ELEVENLABS_API_ORIGIN,
  // Per client IP, in this process's memory. Behind a proxy you run, add `trustProxy: true`;
  // on several machines, share the count with `store: createRedisRateLimitStore(…)`.
  rateLimit: { limit: 20, windowMs: 60_000 },
});

const app = express();
// GET /api/elevenlabs/signed-url?agent_id=…, GET …/conversation-token?agent_id=…,
// POST …/single-use-token/realtime_scribe | tts_websocket, GET …/health. Other paths go on to your routes.
app.use(toExpressMiddleware(handler));
app.get('/', (_request, response) => void response.send('Your app here.'));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`Token endpoint on http://localhost:${port}/api/elevenlabs`));
