#!/usr/bin/env node
// The speech player (@elevenkit/core's SpeechPlayer, and @elevenkit/react's components) in headless Chromium against
// the emulator on the page's own origin (bench/player/page.tsx does the measuring, on one performance.now() clock):
//   (a) first response byte → first sound leaving the player, per path (mse, pcm-worklet, webaudio, file), beside a
//       naive baseline in the same run (the whole response, then `new Audio(blobUrl)`);
//   (b) underruns when each streamed chunk is delayed by a random 0–200 ms (emulator `jitter_ms`), playing from
//       300 ms of buffer;
//   (c) highlight drift: the active word shown in animation frames against when that word is heard;
//   (d) React commits per second while playing (AudioPlayer + TranscriptViewer under a Profiler) against frames.
// What is measured, and why, is in RESULTS.md ("speech player").
//
//   node bench/player.mjs [--rounds 5]
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createServer, runnerImport } from 'vite';
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Number(values.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error('usage: node bench/player.mjs [--rounds 5]');
  process.exit(2);
}
const GOAL = { firstAudioMs: 50, underruns: 0, driftMs: 30 };
const deadline = setTimeout(
  () => {
    console.error('\nbench/player: the run overran its time limit; stopping it.');
    process.exit(1);
  },
  (300 + ROUNDS * 240) * 1000,
);
deadline.unref();
const began = Date.now();

const root = fileURLToPath(new URL('..', import.meta.url));
const load = async (file) => (await runnerImport(fileURLToPath(new URL(file, import.meta.url)))).module;
const [{ elevenlabsEmulator }, { createEmulatorCore }] = await Promise.all([
  load('../packages/emulator/src/vite.ts'),
  load('../packages/emulator/src/emulator.ts'),
]);
// A second emulator that produces speech at real time (the default emulator streams 4× faster than it plays), under
// /realtime on the same origin: there a late chunk can outrun the buffer, which is what (b) is about.
const realtime = createEmulatorCore({ apiKey: 'elevenkit-bench-key', ttsGenerationSpeed: 1, log: () => {} });
const realtimePlugin = {
  name: 'bench-realtime-emulator',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      if (!req.url?.startsWith('/realtime/')) return next();
      req.url = req.url.slice('/realtime'.length);
      if (!realtime.handleRequest(req, res)) next();
    });
  },
};
const server = await createServer({
  configFile: false,
  root,
  logLevel: 'error',
  plugins: [elevenlabsEmulator({ apiKey: 'elevenkit-bench-key', log: () => {} }), realtimePlugin],
  // No reloads: other work in the tree must not navigate the page mid-run.
  server: { host: '127.0.0.1', port: 0, hmr: false, watch: { ignored: ['**/*'] } },
  optimizeDeps: { entries: ['bench/player/page.tsx'], include: ['react', 'react-dom/client', 'react/jsx-dev-runtime'] },
});
await server.listen();
const origin = server.resolvedUrls.local[0].replace(/\/$/, '');
const browser = await chromium.launch({
  executablePath: findChromium() ?? '/usr/bin/chromium',
  headless: true,
  args: chromiumArgs,
});
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (error) => errors.push(error.message));
await page.goto(`${origin}/bench/player/index.html`);
await page.waitForFunction(() => document.title === 'ready', null, { timeout: 60_000 });
const bench = async (name, ...args) => {
  process.stderr.write(`${name} ${args.slice(0, 2).join(' ')} … `);
  const started = Date.now();
  const result = await page.evaluate(([n, a]) => window.playerBench[n](...a), [name, args]);
  process.stderr.write(`${Date.now() - started} ms\n`);
  return result;
};

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';
const LONG = Array.from({ length: 4 }, () => SENTENCE).join(' ');
const PATHS = [
  ['pcm-worklet', 'pcm_16000'],
  ['webaudio', 'pcm_16000'],
  ['mse', 'mp3_44100_128'],
  ['file', 'mp3_44100_128'],
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const f = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const spread = (xs, digits = 0) =>
  `${f(median(xs), digits)} (${f(Math.min(...xs), digits)}–${f(Math.max(...xs), digits)})`;
const markdown = (head, rows) => [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
const met = (ok) => (ok ? 'met' : 'NOT met');

// (a) first audio, rounds interleaved so a busy moment hits every path alike
const first = Object.fromEntries([...PATHS.map(([p]) => [p, []]), ['naive', []]]);
for (let round = 0; round < ROUNDS; round++) {
  for (const [path, format] of PATHS) first[path].push(await bench('firstAudio', path, format, SENTENCE));
  first.naive.push(await bench('naiveFirstAudio', 'mp3_44100_128', SENTENCE));
}
const heardOf = (r) => r.output ?? r.rendered + r.latency;
const naiveHeard = median(first.naive.map((r) => heardOf(r) - r.firstByte));
const firstRows = [...PATHS.map(([p, format]) => [p, format]), ['naive', 'mp3_44100_128']].map(([path, format]) => {
  const runs = first[path];
  const heard = runs.map((r) => heardOf(r) - r.firstByte);
  return [
    path === 'naive' ? 'naive: whole response, then `new Audio(blobUrl)`' : path,
    format,
    spread(runs.map((r) => r.firstByte)),
    spread(runs.map((r) => r.rendered - r.firstByte)),
    spread(heard),
    `${f(naiveHeard / median(heard), 1)}×`,
  ];
});
const firstTable = markdown(
  [
    'path',
    'format',
    'request → first byte, ms',
    'first byte → first sound through the graph, ms',
    'first byte → first sound at the output (getOutputTimestamp), ms',
    'naive ÷ this (output)',
  ],
  firstRows,
);
console.log(`\n(a) first audio, ${ROUNDS} rounds, "${SENTENCE}"\n\n${firstTable}\n`);
const pcmFirst = median(first['pcm-worklet'].map((r) => heardOf(r) - r.firstByte));
const pcmGraph = median(first['pcm-worklet'].map((r) => r.rendered - r.firstByte));
const latency = median(first['pcm-worklet'].map((r) => r.latency));

// (b) underruns, with and without jitter
const UNDERRUN_PATHS = PATHS.filter(([p]) => p !== 'file');
const under = {};
const SPEEDS = [
  ['4×', ''],
  ['1×', '/realtime'],
];
for (const [speed, base] of SPEEDS) {
  for (const jitter of [0, 200]) {
    for (const [path, format] of UNDERRUN_PATHS) {
      const key = `${path}|${speed}|${jitter}`;
      under[key] = [];
      for (let round = 0; round < 2; round++) {
        under[key].push(await bench('underruns', path, format, LONG, jitter, 'emulator-voice', base));
      }
    }
  }
}
const underTable = markdown(
  [
    'path',
    'speech produced at',
    'jitter per chunk',
    'runs',
    '"buffering" episodes (total)',
    'silent gaps ≥ 3 ms (total)',
    'gap time, ms (total)',
  ],
  Object.entries(under).map(([key, runs]) => {
    const [path, speed, jitter] = key.split('|');
    const sum = (k) => runs.reduce((s, r) => s + r[k], 0);
    return [path, `${speed} real time`, `0–${jitter} ms`, runs.length, sum('buffering'), sum('gaps'), sum('gapMs')];
  }),
);
console.log(`(b) underruns, playing from 300 ms of buffer (the sentence ×4)\n\n${underTable}\n`);
const underrunsAt = (path, speed) => under[`${path}|${speed}|200`].reduce((t, r) => t + r.buffering, 0);
const pcmJitter = SPEEDS.map(([speed]) => `${speed} ${underrunsAt('pcm-worklet', speed)}`).join(', ');
const pcmJitterTotal = SPEEDS.reduce((t, [speed]) => t + underrunsAt('pcm-worklet', speed), 0);
const allJitterTotal = UNDERRUN_PATHS.reduce(
  (t, [path]) => t + SPEEDS.reduce((u, [speed]) => u + underrunsAt(path, speed), 0),
  0,
);

// (c) drift
const drifts = {};
for (const [path, format] of PATHS) {
  drifts[path] = [];
  for (let round = 0; round < Math.max(2, Math.ceil(ROUNDS / 2)); round++) {
    drifts[path].push(await bench('drift', path, format, SENTENCE));
  }
}
const driftTable = markdown(
  [
    'path',
    'word changes seen',
    'highlight − word heard, ms: median',
    'p95 of the absolute value',
    'max of the absolute value',
    'getCurrentTime() − sound, ms: median',
    'p95 of the absolute value',
    'runs with an underrun',
  ],
  Object.entries(drifts).map(([path, runs]) => {
    const changes = runs.flatMap((r) => r.changes);
    const clock = runs.flatMap((r) => r.clock);
    return [
      path,
      `${changes.length} of ${runs.reduce((s, r) => s + r.words, 0)}`,
      f(median(changes)),
      f(quantile(changes.map(Math.abs), 0.95)),
      f(Math.max(...changes.map(Math.abs))),
      f(median(clock)),
      f(quantile(clock.map(Math.abs), 0.95)),
      runs.filter((r) => r.underran).length,
    ];
  }),
);
console.log(`(c) highlight drift (positive: the highlight comes after the sound)\n\n${driftTable}\n`);
const worstDriftP95 = Math.max(
  ...Object.values(drifts).map((runs) => quantile(runs.flatMap((r) => r.changes).map(Math.abs), 0.95)),
);

// (d) React renders
const renders = [];
for (let round = 0; round < Math.max(2, Math.ceil(ROUNDS / 2)); round++) {
  renders.push(await bench('renders', 'pcm-worklet', 'pcm_16000', LONG));
}
const renderTable = markdown(
  ['run', 'seconds playing', 'React commits', 'commits / s', 'animation frames / s', 'words'],
  renders.map((r, i) => [
    i + 1,
    f(r.seconds, 2),
    r.commits,
    f(r.commits / r.seconds),
    f(r.frames / r.seconds),
    r.words,
  ]),
);
console.log(`(d) React while playing (pcm-worklet, StrictMode, the sentence ×4)\n\n${renderTable}\n`);
const commitsPerSecond = median(renders.map((r) => r.commits / r.seconds));
const framesPerSecond = median(renders.map((r) => r.frames / r.seconds));

await browser.close();
await server.close();

console.log(
  [
    `First audio within ${GOAL.firstAudioMs} ms of the first byte on the PCM path: at the output ${f(pcmFirst)} ms (${met(pcmFirst <= GOAL.firstAudioMs)}), ` +
      `of which the browser's output latency is ${f(latency)} ms (baseLatency + outputLatency); through the player's graph ${f(pcmGraph)} ms.`,
    `No underruns ("buffering" episodes) at 0–200 ms jitter after 300 ms of buffer: pcm-worklet ${pcmJitter} (${met(pcmJitterTotal === 0)}); all paths ${allJitterTotal} (${met(allJitterTotal === 0)}).`,
    `Highlight drift under ${GOAL.driftMs} ms: worst path p95 ${f(worstDriftP95)} ms (${met(worstDriftP95 < GOAL.driftMs)}).`,
    `No per-frame renders: ${f(commitsPerSecond)} commits/s against ${f(framesPerSecond)} frames/s (${met(commitsPerSecond < framesPerSecond / 4)}).`,
  ].join('\n'),
);
if (errors.length) console.log(`PAGE ERRORS:\n- ${errors.join('\n- ')}`);
console.log(
  `(${((Date.now() - began) / 1000).toFixed(0)} s; Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ` +
    `Chromium ${browser.version()}; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')})`,
);
process.exit(errors.length ? 1 : 0);
