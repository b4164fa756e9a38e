// One server under test, alone in its process: `node target.mjs <variant> <upstream origin>`.
//   naive         the ElevenLabs docs' Express route: fetch with the key, forward `signed_url`
//   ours-express  createTokenHandler through toExpressMiddleware in the same kind of Express app
//   ours-node     createTokenHandler through toNodeListener on plain `http`
// While `record` is on, it measures the handler overhead of every request: the time from Node's `request` event
// to the response's `finish` event, minus the time spent in `fetch` to the upstream (call → response headers).
// It also reads how long the event-loop thread waited for a CPU in the same spans (Linux schedstat), so that the
// overhead can be given without the time other processes took the CPU away. Timing needs one request in flight
// at a time (the bench uses one connection then) and checks it.
import { openSync, readSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { runnerImport } from 'vite';
import { AGENT_ID, API_KEY, summary } from './config.mjs';

const [variant, upstream] = process.argv.slice(2);

/** Run-queue wait of this (the event loop's) thread so far, in ms; 0 where Linux schedstat is missing. */
const cpuWaitMs = (() => {
  let fd;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return () => 0;
  }
  const buffer = Buffer.alloc(64);
  return () => Number(buffer.toString('latin1', 0, readSync(fd, buffer, 0, 64, 0)).split(' ')[1]) / 1e6;
})();

let record = false;
let current = null; // the request being timed
let overlapped = 0; // timed requests that found another one in flight (should stay 0)
let overhead = [];
let onCpu = []; // overhead minus the thread's CPU wait in the same spans
let upstreamTime = [];

// The schedstat reads are placed inside the upstream spans or outside the request, so they add no overhead.
const realFetch = globalThis.fetch;
globalThis.fetch = function timedFetch(...args) {
  const timing = current;
  if (!timing) return realFetch(...args);
  const started = performance.now();
  const waited = cpuWaitMs();
  return realFetch(...args).finally(() => {
    timing.upstreamWait += cpuWaitMs() - waited;
    timing.upstream += performance.now() - started;
  });
};

/** Wraps a request listener to time each request while recording. */
const timed = (listener) => (req, res) => {
  if (record) {
    if (current) overlapped++;
    const waited = cpuWaitMs();
    const timing = (current = { started: performance.now(), upstream: 0, upstreamWait: 0 });
    res.on('finish', () => {
      const ms = performance.now() - timing.started - timing.upstream;
      overhead.push(ms);
      onCpu.push(ms - (cpuWaitMs() - waited - timing.upstreamWait));
      upstreamTime.push(timing.upstream);
      if (current === timing) current = null;
    });
  }
  listener(req, res);
};

async function app() {
  if (variant === 'naive') {
    // As in the ElevenLabs docs (Express guide, `backend/server.js`), minus `cors()` and `express.json()`,
    // which this GET does not need: the naive route gets every benefit of the doubt.
    const app = express();
    app.get('/api/signed-url', async (req, res) => {
      try {
        const response = await fetch(`${upstream}/v1/convai/conversation/get-signed-url?agent_id=${AGENT_ID}`, {
          headers: { 'xi-api-key': API_KEY },
        });
        if (!response.ok) throw new Error('Failed to get signed URL');
        const data = await response.json();
        res.json({ signedUrl: data.signed_url });
      } catch (error) {
        console.error('Error:', error);
        res.status(500).json({ error: 'Failed to generate signed URL' });
      }
    });
    return app;
  }
  const entry = fileURLToPath(new URL('handler-entry.mjs', import.meta.url));
  const { module } = await runnerImport(entry);
  const handler = module.createTokenHandler({ apiKey: API_KEY, agents: [AGENT_ID], apiOrigin: upstream });
  if (variant === 'ours-node') return module.toNodeListener(handler);
  if (variant === 'ours-express') return express().use(module.toExpressMiddleware(handler));
  throw new Error(`unknown variant ${variant}`);
}

const server = http.createServer(timed(await app()));
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));

let window;
process.on('message', (message) => {
  if (message.type === 'mark') {
    record = message.record;
    overhead = [];
    onCpu = [];
    upstreamTime = [];
    overlapped = 0;
    window = { at: performance.now(), cpu: process.cpuUsage(), wait: cpuWaitMs() };
  } else if (message.type === 'collect') {
    record = false;
    const seconds = (performance.now() - window.at) / 1000;
    const cpu = process.cpuUsage(window.cpu);
    process.send({
      type: 'stats',
      cpuPercent: (cpu.user + cpu.system) / 1e4 / seconds,
      cpuWaitPercent: (cpuWaitMs() - window.wait) / 10 / seconds,
      overhead: summary(overhead),
      overheadOnCpu: summary(onCpu),
      samples: { overhead, overheadOnCpu: onCpu }, // pooled over the rounds by bench/server.mjs
      upstream: summary(upstreamTime),
      overlapped,
    });
  }
});
process.on('disconnect', () => process.exit(0)); // never outlives bench/server.mjs
