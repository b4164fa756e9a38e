#!/usr/bin/env node
// The recorder engine (@elevenkit/core) in headless Chromium with its fake microphone: click → first captured
// audio, WAV encoding of 10 minutes, and memory for a 60-minute take. What is measured, and why, is in RESULTS.md.
//
//   node bench/recorder.mjs [--rounds 10] [--minutes 60]
//
// React renders per second while recording: measured with the React kit (the page exposes the engine it loaded as
// `window.bench.core`). Realtime transcription latency: added with the transcription engine.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '10' }, minutes: { type: 'string', default: '60' } },
});
const rounds = Number(values.rounds);
const minutes = Number(values.minutes);
if (!(rounds >= 1) || !(minutes >= 1)) {
  console.error('usage: node bench/recorder.mjs [--rounds 10] [--minutes 60]');
  process.exit(2);
}
const GOAL = { firstAudioMs: 150, encodeMs: 200, memoryRatio: 1.5 };
const repo = fileURLToPath(new URL('..', import.meta.url));
const began = Date.now();
// Bounded: everything stops if the run takes much longer than planned.
const deadline = setTimeout(
  () => {
    console.error('\nbench/recorder: the run overran its time limit; stopping it.');
    process.exit(1);
  },
  (120 + rounds * 20 + minutes * 5) * 1000,
);
deadline.unref();

const server = await createServer({
  configFile: false,
  root: repo,
  server: { host: '127.0.0.1', port: 0, watch: null },
  logLevel: 'error',
});
await server.listen();
const url = new URL('bench/recorder/index.html', server.resolvedUrls.local[0]).href;
// The default fake microphone (a beep) is enough here: what counts is when audio arrives, not what it says.
const browser = await chromium.launch({
  executablePath: findChromium() ?? '/usr/bin/chromium',
  headless: true,
  args: [...chromiumArgs, '--js-flags=--expose-gc'],
});

const stats = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9), min: sorted[0], max: sorted.at(-1) };
};
const ms = (x) => `${x.toFixed(1)} ms`;

try {
  // ---- click → first captured audio. A fresh page per round; the first click of a page loads the worklet.
  const firstAudio = { wav: [], compressed: [] };
  const toRecording = { wav: [], compressed: [] };
  for (let round = 0; round < rounds; round++) {
    for (const format of ['wav', 'compressed']) {
      const context = await browser.newContext({ permissions: ['microphone'] });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => 'bench' in window);
      const result = page.evaluate((f) => window.bench.armClick(f), format);
      await page.click('#record');
      const { recordingMs, firstAudioMs } = await result;
      firstAudio[format].push(firstAudioMs);
      toRecording[format].push(recordingMs);
      await context.close();
    }
  }

  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => 'bench' in window);

  // ---- WAV encoding of 10 minutes (the best of 5, after one to warm up).
  const encodes = [];
  for (let i = 0; i < 6; i++) encodes.push(await page.evaluate(() => window.bench.encodeTenMinutes()));
  const encodeBytes = encodes[0].bytes;
  const built = stats(encodes.slice(1).map((e) => e.encodedMs));
  const readable = stats(encodes.slice(1).map((e) => e.readableMs));

  // ---- memory for an hour: the page's JS heap plus ArrayBuffer memory, after a full GC, around the take.
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    await page.evaluate(() => window.gc?.());
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    return {
      used: usage.usedSize,
      backing: usage.backingStorageSize ?? NaN,
      embedder: usage.embedderHeapUsedSize ?? 0,
    };
  };
  const before = await heap();
  const hour = await page.evaluate((m) => window.bench.recordHour(m), minutes);
  const during = await heap();
  await page.evaluate(() => window.bench.dropHour());
  const after = await heap();
  const total = (h) => h.used + (Number.isNaN(h.backing) ? 0 : h.backing) + h.embedder;
  const held = total(during) - total(before);
  const ratio = held / hour.bytes;

  const wav = stats(firstAudio.wav);
  const compressed = stats(firstAudio.compressed);
  const lines = [
    `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`node bench/recorder.mjs --rounds ${rounds} --minutes ${minutes}\`, ${Math.round((Date.now() - began) / 1000)} s wall time; ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${browser.version()} headless.`,
    '',
    '| measure | result | goal |',
    '| --- | --- | --- |',
    `| click → first captured audio, wav (${rounds} fresh pages) | median ${ms(wav.median)}, p90 ${ms(wav.p90)} (min ${ms(wav.min)}, max ${ms(wav.max)}) | < ${GOAL.firstAudioMs} ms: ${wav.median < GOAL.firstAudioMs ? 'MET' : 'NOT MET'} (median) |`,
    `| click → first captured audio, compressed | median ${ms(compressed.median)}, p90 ${ms(compressed.p90)} (min ${ms(compressed.min)}, max ${ms(compressed.max)}) | < ${GOAL.firstAudioMs} ms: ${compressed.median < GOAL.firstAudioMs ? 'MET' : 'NOT MET'} (median) |`,
    `| click → status \`recording\`, wav / compressed | median ${ms(stats(toRecording.wav).median)} / ${ms(stats(toRecording.compressed).median)} | |`,
    `| WAV encoding of 10 min (16 kHz, ${(encodeBytes / 1e6).toFixed(1)} MB, 5 runs): the WAV Blob built (\`encodeWav\`, what \`take.blob\` is) | median ${ms(built.median)} (min ${ms(built.min)}, max ${ms(built.max)}) | < ${GOAL.encodeMs} ms: ${built.median < GOAL.encodeMs ? 'MET' : 'NOT MET'} |`,
    `| … and its bytes read back (\`blob.arrayBuffer()\`) | median ${ms(readable.median)} from the start (min ${ms(readable.min)}, max ${ms(readable.max)}) | |`,
    `| memory held by a ${minutes}-minute take (${hour.chunks} chunks, ${(hour.bytes / 1e6).toFixed(1)} MB of 16-bit PCM) | ${(held / 1e6).toFixed(1)} MB = ${ratio.toFixed(3)} × the PCM (JS heap ${((during.used - before.used) / 1e6).toFixed(1)} MB + ArrayBuffers ${((during.backing - before.backing) / 1e6).toFixed(1)} MB); ${((total(after) - total(before)) / 1e6).toFixed(1)} MB after the take is dropped | ≤ ${GOAL.memoryRatio} ×: ${ratio <= GOAL.memoryRatio ? 'MET' : 'NOT MET'} |`,
    `| feeding ${minutes} min through the capture worklet (OfflineAudioContext, 48 → 16 kHz) | ${(hour.feedMs / 1000).toFixed(1)} s (${((minutes * 60000) / hour.feedMs).toFixed(0)} × real time) | |`,
  ];
  const block = lines.join('\n');
  console.log(`\n${block}\n`);
  const results = fileURLToPath(new URL('RESULTS.md', import.meta.url));
  const text = readFileSync(results, 'utf8');
  const begin = '<!-- recorder:latest:begin -->';
  const end = '<!-- recorder:latest:end -->';
  if (text.includes(begin) && text.includes(end)) {
    writeFileSync(results, text.replace(new RegExp(`${begin}[\\s\\S]*${end}`), `${begin}\n\n${block}\n${end}`));
    console.log('bench/recorder: wrote the latest run into bench/RESULTS.md');
  }
} finally {
  await browser.close();
  await server.close();
  clearTimeout(deadline);
}
