#!/usr/bin/env node
// Realtime transcription latency against the emulator: from the end of speech to the committed text, ours
// (RealtimeTranscriber from @elevenkit/core: the recorder's capture worklet, Scribe from @elevenlabs/client fed PCM)
// and the official Scribe client's own microphone mode, side by side in one headless Chromium, with the same audio
// (the emulator's voice played into a stream) and the same emulator, served by the demo's Vite server (emulator,
// token route). Manual: stop pressed 250 ms after the end of speech (ours: stop(); official: commit()), timed from
// the press; VAD: the service commits after its silence threshold (1.5 s by default), timed from the end of speech.
// What is measured, and why, is in RESULTS.md.
//
//   node bench/transcription.mjs [--rounds 6]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';

const USAGE = 'usage: node bench/transcription.mjs [--rounds 6]';
let rounds;
try {
  rounds = Number(parseArgs({ options: { rounds: { type: 'string', default: '6' } } }).values.rounds);
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(USAGE);
  process.exit(2);
}
const PHRASE = 'please send the quarterly report to the whole team';
const repo = fileURLToPath(new URL('..', import.meta.url));

// Bounded: a round takes a few seconds; stop everything if the run overruns badly.
const deadline = setTimeout(
  () => {
    console.error('\nbench/transcription: the run overran its time limit; stopping it.');
    process.exit(1);
  },
  (60 + rounds * 4 * 15) * 1000,
);
deadline.unref();

delete process.env.ELEVENLABS_API_KEY; // the emulator, not ElevenLabs
const server = await createServer({
  configFile: `${repo}vite.config.ts`,
  root: `${repo}demo`,
  server: { port: 0, host: '127.0.0.1', watch: null },
  logLevel: 'error',
});
await server.listen();
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs });
const results = [];
try {
  const page = await browser.newPage();
  await page.goto(url);
  // Vite reloads the page when it optimises a dependency the bench page imports, or restarts when a file the config
  // imports changes (someone editing the repo during a run): load again and redo that round.
  const load = async () => {
    if (await page.evaluate(() => 'bench' in window).catch(() => false)) return;
    await page.addScriptTag({
      type: 'module',
      content: `import * as bench from '/@fs${repo}bench/transcription/page.ts'; window.bench = bench;`,
    });
    await page.waitForFunction(() => 'bench' in window, undefined, { timeout: 30_000 });
  };
  const run = async (kind, strategy, retries = 3) => {
    await load();
    try {
      return await page.evaluate(
        ([kind, strategy, text]) => window.bench.round(kind, strategy, text),
        [kind, strategy, PHRASE],
      );
    } catch (error) {
      if (!retries || !/context was destroyed|Timeout/.test(String(error))) throw error;
      await page.goto(url);
      return run(kind, strategy, retries - 1);
    }
  };
  // One warm-up each (module loading, JIT, the recogniser's first call), not counted.
  for (const kind of ['ours', 'official']) await run(kind, 'manual');
  for (let i = 0; i < rounds; i++) {
    // Alternate, so a slow stretch of the machine hits both alike.
    for (const strategy of ['manual', 'vad']) {
      for (const kind of i % 2 ? ['official', 'ours'] : ['ours', 'official']) {
        const result = await run(kind, strategy);
        results.push({ kind, strategy, ...result });
        process.stdout.write('.');
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (v) => `${Math.round(v)} ms`;
console.log(
  `\n\nRealtime transcription → committed text (${rounds} rounds each, "${PHRASE}"): manual from the stop press, VAD from the end of speech\n`,
);
console.log('| commit | client | median | p90 | ready (start → audio flowing), median | text exact |');
console.log('|---|---|---|---|---|---|');
const medians = {};
for (const strategy of ['manual', 'vad']) {
  for (const kind of ['ours', 'official']) {
    const rows = results.filter((r) => r.kind === kind && r.strategy === strategy);
    const latency = rows.map((r) => r.latencyMs);
    medians[`${kind} ${strategy}`] = quantile(latency, 0.5);
    const exact = rows.filter((r) => r.text === PHRASE).length;
    console.log(
      `| ${strategy} | ${kind} | ${ms(quantile(latency, 0.5))} | ${ms(quantile(latency, 0.9))} | ${ms(
        quantile(
          rows.map((r) => r.readyMs),
          0.5,
        ),
      )} | ${exact}/${rows.length} |`,
    );
  }
}
for (const strategy of ['manual', 'vad']) {
  const ratio = medians[`official ${strategy}`] / medians[`ours ${strategy}`];
  console.log(`\n${strategy}: official / ours median latency = ${ratio.toFixed(2)}x (above 1: ours is faster)`);
}
const wrong = results.filter((r) => r.text !== PHRASE);
if (wrong.length) {
  console.log(`\nNot exact: ${wrong.map((r) => `${r.kind} ${r.strategy}: ${JSON.stringify(r.text)}`).join('; ')}`);
  process.exitCode = 1;
}
