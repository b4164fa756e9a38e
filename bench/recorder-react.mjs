#!/usr/bin/env node
// React renders while recording: the whole @elevenkit/react recorder kit (bench/recorder-react/page.tsx) on a real
// Recorder in headless Chromium with its fake microphone, under a Profiler. Goal (issue #6): zero per-frame renders —
// the timer, level meter and waveforms move every frame without React; commits come only from snapshot changes.
//
//   node bench/recorder-react.mjs [--rounds 3] [--seconds 5]
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '5' } },
});
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || !(SECONDS > 0)) {
  console.error('usage: node bench/recorder-react.mjs [--rounds 3] [--seconds 5]');
  process.exit(2);
}
const deadline = setTimeout(
  () => {
    console.error('\nbench/recorder-react: the run overran its time limit; stopping it.');
    process.exit(1);
  },
  (90 + ROUNDS * (SECONDS + 20)) * 1000,
);
deadline.unref();

const root = fileURLToPath(new URL('..', import.meta.url));
const server = await createServer({
  configFile: false,
  root,
  logLevel: 'error',
  // No reloads: other work in the tree must not navigate the page mid-run.
  server: { host: '127.0.0.1', port: 0, hmr: false, watch: { ignored: ['**/*'] } },
  optimizeDeps: {
    entries: ['bench/recorder-react/page.tsx'],
    include: ['react', 'react-dom/client', 'react/jsx-dev-runtime'],
  },
});
await server.listen();
const origin = server.resolvedUrls.local[0].replace(/\/$/, '');
const browser = await chromium.launch({
  executablePath: findChromium() ?? '/usr/bin/chromium',
  headless: true,
  args: chromiumArgs,
});
const errors = [];
const runs = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    // A fresh page per round: the same start-up (permission, device list) each time.
    const page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/bench/recorder-react/index.html`);
    await page.waitForFunction(() => document.title === 'ready', null, { timeout: 60_000 });
    process.stderr.write(`round ${round + 1}: recording ${SECONDS} s … `);
    const result = await page.evaluate((s) => window.recorderBench.rendersWhileRecording(s), SECONDS);
    process.stderr.write(`${result.commits} commits, ${result.frames} frames\n`);
    runs.push(result);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const f = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const rows = runs.map((r, i) => [
  i + 1,
  r.startupCommits,
  r.commits,
  f(r.commits / r.seconds, 2),
  r.frames,
  f(r.frames / r.seconds, 0),
  r.timerTexts,
  r.levelChanges,
]);
const head = [
  'round',
  'commits in the first second (start, permission, devices)',
  `commits while recording (${SECONDS} s)`,
  'commits/s',
  'frames',
  'frames/s',
  'timer values shown',
  'frames the level bar changed in',
];
const table = [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
const worst = Math.max(...runs.map((r) => r.commits / r.seconds));
console.log(`\n### React recorder kit: renders while recording\n`);
console.log(
  `${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; Chromium's fake microphone; the kit without StrictMode under one Profiler.\n`,
);
console.log(table);
console.log(
  `\nGoal: zero per-frame renders — ${worst === 0 ? 'met' : worst < 1 ? 'met (commits are not per frame)' : 'NOT met'}: at most ${f(worst, 2)} commits/s while ${f(Math.min(...runs.map((r) => r.frames / r.seconds)), 0)}+ frames/s were drawn.`,
);
if (errors.length) {
  console.error(`Page errors:\n${errors.join('\n')}`);
  process.exit(1);
}
