// The emulator alone in this process, so its CPU, memory and event-loop figures are its own.
// Driven over IPC by ../emulator-load.mjs: `mark` starts the measurement window, `stop` reports and exits.
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { runnerImport } from 'vite';
import { AUDIO_EVENT_MS, BENCH_AGENT } from './config.mjs';
import { clock, cpuWaitMs } from './stats.mjs';

const src = fileURLToPath(new URL('../../packages/emulator/src/index.ts', import.meta.url));
const { module } = await runnerImport(src);
const emulator = await module.createEmulator({
  port: 0,
  host: '127.0.0.1',
  log: () => {},
  agents: [BENCH_AGENT],
  chunkMs: AUDIO_EVENT_MS,
});

// When each vad_score left the emulator, per conversation: splits the clients' round trips into the part
// before the emulator answered (network in, queueing, processing) and the part after (network out, client).
const vadSentAt = new Map();
emulator.events.on('sent', ({ conversationId, message }) => {
  if (message.type !== 'vad_score') return;
  if (!vadSentAt.has(conversationId)) vadSentAt.set(conversationId, []);
  vadSentAt.get(conversationId).push(clock());
});

const mb = (bytes) => bytes / 2 ** 20;
const ms = (ns) => ns / 1e6;
const startRss = process.memoryUsage().rss;
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let peakRss = startRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
let window;

process.on('message', (message) => {
  if (message.type === 'mark') {
    loopDelay.enable();
    window = {
      at: performance.now(),
      cpu: process.cpuUsage(),
      elu: performance.eventLoopUtilization(),
      wait: cpuWaitMs(),
    };
  } else if (message.type === 'stop') {
    loopDelay.disable();
    clearInterval(sampler);
    const seconds = (performance.now() - window.at) / 1000;
    const cpu = process.cpuUsage(window.cpu);
    const memory = process.memoryUsage();
    const result = {
      type: 'result',
      cpuPercent: (cpu.user + cpu.system) / 1e4 / seconds,
      cpuWaitPercent: (cpuWaitMs() - window.wait) / 10 / seconds,
      elu: performance.eventLoopUtilization(window.elu).utilization,
      loopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
      rssMb: { start: mb(startRss), peak: mb(Math.max(peakRss, memory.rss)), end: mb(memory.rss) },
      heapMb: mb(memory.heapUsed),
      // What the emulator keeps per conversation for its inspection API (never trimmed).
      logged: emulator.conversations.reduce((n, c) => n + c.sent.length + c.received.length, 0),
      vadSentAt: Object.fromEntries([...vadSentAt].map(([id, times]) => [id, Float64Array.from(times)])),
    };
    // Disconnecting before the send completes can lose the message.
    process.send(result, () => emulator.close().then(() => process.disconnect()));
  }
});

process.on('disconnect', () => process.exit()); // also when the orchestrator dies
process.send({ type: 'ready', port: emulator.port });
