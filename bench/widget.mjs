#!/usr/bin/env node
// <elevenlabs-convai> side by side: ours (`elevenkit-widget.js`, built in memory) and the official
// `@elevenlabs/convai-widget-embed@0.5.4` (`dist/index.js` from node_modules), in one headless Chromium, both talking
// to the emulator on the page's own origin. Script sizes, launcher paint, click → connected, click → first agent
// audio, and main-thread CPU during a call with a fake microphone. What is measured, and why, is in RESULTS.md.
//
//   node bench/widget.mjs [--rounds 8] [--calls 2] [--call-seconds 30] [--transcript] [--ours-input-chunk-ms N]
//
// --transcript turns on transcript and text input in the agent's widget config (for both widgets; the official one
// then needs two clicks). --ours-input-chunk-ms is an experiment: ours sends microphone audio in chunks of N ms
// (set through its `elevenlabs-convai:call` event) instead of the client's default.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { runnerImport } from 'vite';
import { buildWidgetFiles } from '../packages/widget/build.mjs';
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';
import { AGENT_ID, BENCH_AGENT, LEADING_SILENCE_MS, micWav, REPLY, TURN_MS, UTTERANCE } from './widget/config.mjs';
import { installProbe } from './widget/page.mjs';

const USAGE =
  'usage: node bench/widget.mjs [--rounds 8] [--calls 2] [--call-seconds 30] [--transcript] [--ours-input-chunk-ms N]';
let opts;
try {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '8' },
      calls: { type: 'string', default: '2' },
      'call-seconds': { type: 'string', default: '30' },
      transcript: { type: 'boolean', default: false },
      'ours-input-chunk-ms': { type: 'string' },
    },
  });
  opts = {
    rounds: Number(values.rounds),
    calls: Number(values.calls),
    callSeconds: Number(values['call-seconds']),
    transcript: values.transcript,
    oursChunkMs: values['ours-input-chunk-ms'] === undefined ? undefined : Number(values['ours-input-chunk-ms']),
  };
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (
  !Number.isInteger(opts.rounds) ||
  opts.rounds < 1 ||
  !Number.isInteger(opts.calls) ||
  opts.calls < 0 ||
  opts.calls > opts.rounds ||
  !(opts.callSeconds > 0) ||
  (opts.oursChunkMs !== undefined && !(opts.oursChunkMs > 0))
) {
  console.error(USAGE);
  process.exit(2);
}
const GOAL = { sizeRatio: 3.5 }; // and ours faster (ratio > 1) on every timing, lower CPU
const TIMEOUT_MS = 20_000; // any single wait in a run

// Bounded: everything stops if the run takes much longer than planned.
const plannedSeconds = 30 + opts.rounds * 2 * 4 + opts.calls * 2 * opts.callSeconds;
const deadline = setTimeout(
  () => {
    console.error('\nbench/widget: the run overran its time limit; stopping it.');
    process.exit(1);
  },
  (plannedSeconds * 1.5 + 60) * 1000,
);
deadline.unref();
const began = Date.now();

// ---- the two scripts
const require = createRequire(import.meta.url);
const officialPath = require.resolve('@elevenlabs/convai-widget-embed'); // its `main`: dist/index.js, the only file
const officialVersion = JSON.parse(
  readFileSync(path.join(path.dirname(officialPath), '..', 'package.json'), 'utf8'),
).version;
const files = await buildWidgetFiles();
// What was built: the commit, and any uncommitted changes to the sources that go into the script.
const git = (...args) => {
  try {
    return execFileSync('git', args, {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
    }).trimEnd();
  } catch {
    return undefined;
  }
};
const builtFrom = {
  commit: git('rev-parse', '--short', 'HEAD'),
  dirty: git('status', '--porcelain', '--', 'packages/widget/src', 'packages/core/src')
    ?.split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3)),
};
const OURS_FILE = 'elevenkit-widget.js';
const OFFICIAL_FILE = 'convai-widget-embed.js';
files.set(OFFICIAL_FILE, readFileSync(officialPath, 'utf8'));
const sizes = Object.fromEntries(
  [
    ['ours', OURS_FILE],
    ['official', OFFICIAL_FILE],
  ].map(([kind, name]) => {
    const bytes = Buffer.from(files.get(name), 'utf8');
    return [
      kind,
      {
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
        brotli: brotliCompressSync(bytes, {
          params: {
            [zlib.BROTLI_PARAM_QUALITY]: 11,
            [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
            [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        }).length,
      },
    ];
  }),
);

// ---- the site: static pages + both scripts + the emulator, one origin (test/support/widget-site.ts)
const load = (file) => runnerImport(fileURLToPath(new URL(file, import.meta.url))).then((r) => r.module);
const [{ startWidgetSite }, speech] = await Promise.all([
  load('../test/support/widget-site.ts'),
  load('../packages/emulator/src/speech.ts'),
]);
const agent = opts.transcript
  ? { ...BENCH_AGENT, widget: { transcript_enabled: true, text_input_enabled: true } }
  : BENCH_AGENT;
const site = await startWidgetSite([agent], files);
const wsOrigin = site.origin.replace(/^http/, 'ws');
// The widget_config the emulator serves for the agent (what ours fetches), handed to the official one whole.
const widgetConfig = (await (await fetch(`${site.origin}/v1/convai/agents/${AGENT_ID}/widget`)).json()).widget_config;
const START_LABEL = widgetConfig.text_contents?.start_call ?? 'Start a call';

const attr = (value) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const pageHtml = (element, script) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Widget page</title></head>` +
  `<body><main><h1>Widget page</h1></main>${element}<script src="/${script}" async></script></body></html>`;
const WIDGETS = {
  ours: {
    label: 'ours',
    script: OURS_FILE,
    element: () =>
      `<elevenlabs-convai agent-id="${AGENT_ID}" origin="${site.origin}"></elevenlabs-convai>` +
      (opts.oursChunkMs
        ? `<script>document.addEventListener('elevenlabs-convai:call', (e) => { e.detail.config.inputChunkDurationMs = ${opts.oursChunkMs}; });</script>`
        : ''),
  },
  official: {
    label: `official ${officialVersion}`,
    script: OFFICIAL_FILE,
    // Recipe A (shared/research/official-widget.md §2e): a signed URL to the emulator and the whole config, no
    // agent-id. A fresh signature per page view, as a token endpoint would mint it.
    element: () => {
      const signed = `${wsOrigin}/v1/convai/conversation?agent_id=${AGENT_ID}&conversation_signature=${encodeURIComponent(site.emulator.sign(AGENT_ID))}`;
      return `<elevenlabs-convai signed-url="${attr(signed)}" override-config="${attr(JSON.stringify(widgetConfig))}"></elevenlabs-convai>`;
    },
  },
};

// ---- Chromium, its fake microphone playing the emulator's own speech
const micDir = mkdtempSync(path.join(tmpdir(), 'elevenkit-bench-mic-'));
const micFile = path.join(micDir, 'mic.wav');
writeFileSync(micFile, micWav(speech));
const browser = await chromium.launch({
  executablePath: findChromium() ?? '/usr/bin/chromium',
  headless: true,
  args: [...chromiumArgs, `--use-file-for-fake-audio-capture=${micFile}%noloop`],
});
const browserVersion = browser.version();
const browserCdp = await browser.newBrowserCDPSession();
const cleanUp = async () => {
  await browser.close().catch(() => {});
  await site.close().catch(() => {});
  rmSync(micDir, { recursive: true, force: true });
};

/** CPU seconds of every Chromium process by pid (browser, renderers, GPU, audio and network services). */
const chromiumCpu = async () =>
  new Map((await browserCdp.send('SystemInfo.getProcessInfo')).processInfo.map((p) => [p.id, p.cpuTime]));
const chromiumCpuSince = (before, after) =>
  [...after].reduce((sum, [pid, seconds]) => sum + seconds - (before.get(pid) ?? 0), 0);
/** Busy CPU seconds of the whole machine (Linux /proc/stat; undefined elsewhere). */
function machineBusy() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const ticks = fields.reduce((a, b) => a + b, 0) - fields[3] - fields[4]; // minus idle and iowait
    return ticks / 100; // USER_HZ
  } catch {
    return undefined;
  }
}
const pageMetrics = async (cdp) =>
  Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));

/** One fresh browser context and page: load, click to start a call, first audio; optionally hold the call. */
async function run(kind, holdSeconds) {
  const widget = WIDGETS[kind];
  const url = site.page(`/${kind}.html`, pageHtml(widget.element(), widget.script));
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  // Offline and fair: any request off 127.0.0.1 is refused (not answered) and counted.
  const blocked = [];
  await context.route(
    (address) => address.hostname !== '127.0.0.1',
    (route) => {
      blocked.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  await context.addInitScript(installProbe);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const outside = { machine: machineBusy(), node: process.cpuUsage(), chromium: await chromiumCpu(), at: Date.now() };
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__bench.launcher !== null, null, { timeout: TIMEOUT_MS });
    const loaded = await page.evaluate((src) => {
      const entry = performance.getEntriesByName(new URL(src, location.href).href)[0];
      // Ours fetches its widget_config from `origin`; the official one has it inline (override-config).
      const config = performance.getEntriesByType('resource').find((e) => e.name.includes('/v1/convai/agents/'));
      return {
        fetchStart: entry.startTime,
        configEnd: config?.responseEnd,
        responseEnd: entry.responseEnd,
        defined: window.__bench.defined,
        launcher: window.__bench.launcher,
      };
    }, `/${widget.script}`);

    // Click as a user would, until the widget starts a call: the start button, or whatever expands to it.
    let clicks = 0;
    for (;;) {
      const target = await page.evaluate((label) => window.__bench.nextTarget(label), START_LABEL);
      if (!target) throw new Error(`${kind}: no button left to click`);
      await page.mouse.click(target.x, target.y);
      clicks++;
      const outcome = await page.waitForFunction((label) => window.__bench.afterClick(label), START_LABEL, {
        timeout: TIMEOUT_MS,
      });
      if ((await outcome.jsonValue()) === 'call') break;
      if (clicks === 3) throw new Error(`${kind}: three clicks and no call`);
    }
    await page.waitForFunction(() => window.__bench.sockets[0]?.firstAudio != null, null, { timeout: TIMEOUT_MS });
    const state = await page.evaluate(() => {
      const b = window.__bench;
      return { clicks: b.clicks, getUserMedia: b.getUserMedia, sockets: b.sockets };
    });
    const socket = state.sockets[0];
    const firstClick = state.clicks[0];
    const startClick = state.clicks.at(-1);
    const result = {
      kind,
      clicks,
      loadMs: loaded.launcher - loaded.fetchStart,
      downloadMs: loaded.responseEnd - loaded.fetchStart,
      definedMs: loaded.defined - loaded.fetchStart,
      configMs: loaded.configEnd === undefined ? undefined : loaded.configEnd - loaded.fetchStart,
      connectMs: socket.metadata - firstClick,
      connectFromStartMs: socket.metadata - startClick,
      socketOpenMs: socket.open - startClick,
      micMs: state.getUserMedia[0] - startClick,
      audioMs: socket.firstAudio - firstClick,
      audioFromStartMs: socket.firstAudio - startClick,
      sockets: state.sockets.length,
      socketUrl: socket.url,
      blocked,
      errors,
    };

    if (holdSeconds) {
      // The call, from the first agent audio on: greeting, then the microphone's turns and the agent's replies.
      const before = {
        page: await pageMetrics(cdp),
        chromium: await chromiumCpu(),
        machine: machineBusy(),
        node: process.cpuUsage(),
        at: performance.now(),
      };
      await sleep(holdSeconds * 1000);
      const after = {
        page: await pageMetrics(cdp),
        chromium: await chromiumCpu(),
        machine: machineBusy(),
        node: process.cpuUsage(before.node),
        at: performance.now(),
      };
      const seconds = (after.at - before.at) / 1000;
      const pct = (cpuSeconds) => (cpuSeconds / seconds) * 100; // % of one core
      const delta = (name) => pct(after.page[name] - before.page[name]);
      const chromiumPct = pct(chromiumCpuSince(before.chromium, after.chromium));
      const nodePct = pct((after.node.user + after.node.system) / 1e6);
      const record = site.emulator.conversations.find((c) => c.conversation_id === socket.conversationId);
      const audio = await page.evaluate(() => window.__bench.sockets[0].audio);
      result.call = {
        seconds,
        threadPct: delta('ThreadTime'),
        taskPct: delta('TaskDuration'),
        scriptPct: delta('ScriptDuration'),
        layoutStylePct: delta('LayoutDuration') + delta('RecalcStyleDuration'),
        processPct: delta('ProcessTime'),
        chromiumPct,
        otherPct:
          before.machine === undefined ? undefined : pct(after.machine - before.machine) - chromiumPct - nodePct,
        nodePct,
        heapMb: after.page.JSHeapUsedSize / 2 ** 20,
        userTurns: record?.transcript.filter((t) => t.role === 'user').length ?? 0,
        heard: record?.transcript.filter((t) => t.role === 'user' && t.message === UTTERANCE).length ?? 0,
        replies: record?.transcript.filter((t) => t.role === 'agent' && t.message === REPLY).length ?? 0,
        interrupted: record?.transcript.filter((t) => t.interrupted).length ?? 0,
        chunks: record?.audio_chunks_received ?? 0,
        audioMessages: audio,
      };
    }
    const seconds = (Date.now() - outside.at) / 1000;
    const chromiumPct = (chromiumCpuSince(outside.chromium, await chromiumCpu()) / seconds) * 100;
    const nodeCpu = process.cpuUsage(outside.node);
    result.otherPct =
      outside.machine === undefined
        ? undefined
        : ((machineBusy() - outside.machine) / seconds) * 100 -
          chromiumPct -
          ((nodeCpu.user + nodeCpu.system) / 1e6 / seconds) * 100;
    return result;
  } finally {
    await context.close();
  }
}

const rounds = [];
try {
  // Not measured: one load and call of each, so Chromium's helper processes (GPU, audio, network) are running.
  process.stdout.write('widget: warm-up…');
  for (const kind of ['ours', 'official']) await run(kind, 0);
  process.stdout.write(' done\n');
  for (let round = 0; round < opts.rounds; round++) {
    const hold = round < opts.calls ? opts.callSeconds : 0;
    const order = round % 2 ? ['official', 'ours'] : ['ours', 'official']; // a different one goes first
    process.stdout.write(`round ${round + 1}/${opts.rounds}${hold ? ` (with a ${hold} s call each)` : ''}:`);
    const results = {};
    for (const kind of order) results[kind] = await run(kind, hold);
    rounds.push(results);
    process.stdout.write(
      ` ${order.map((k) => `${k} launcher ${f(results[k].loadMs, 0)} ms, audio ${f(results[k].audioMs, 0)} ms`).join('; ')}\n`,
    );
  }
} finally {
  clearTimeout(deadline);
  await cleanUp();
}
const wallSeconds = (Date.now() - began) / 1000;

// ---- report
function f(x, digits = 1) {
  return x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs, digits = 1) =>
  xs.length > 1
    ? `${f(median(xs), digits)} (${f(Math.min(...xs), digits)}–${f(Math.max(...xs), digits)})`
    : f(xs[0], digits);
const per = (kind, pick) =>
  rounds
    .map((r) => r[kind])
    .filter((r) => pick(r) !== undefined)
    .map(pick);
const calls = (kind, key) => per(kind, (r) => r.call?.[key]);
const markdown = (header, rows) =>
  [header, header.map((_, i) => (i === 0 ? '---' : '--:')), ...rows].map((c) => `| ${c.join(' | ')} |`).join('\n');
const met = (ok) => (ok ? 'met' : 'NOT met');

const kb = (n) => n.toLocaleString('en-US');
const sizeRows = ['official', 'ours'].map((kind) => [
  kind === 'ours' ? `ours, \`${OURS_FILE}\`` : `official ${officialVersion}, \`dist/index.js\``,
  kb(sizes[kind].raw),
  kb(sizes[kind].gzip),
  kb(sizes[kind].brotli),
]);
const sizeRatio = (key) => sizes.official[key] / sizes.ours[key];
sizeRows.push(['official ÷ ours', ...['raw', 'gzip', 'brotli'].map((k) => `${f(sizeRatio(k), 2)}×`)]);

// Timings: lower is better; the ratio official ÷ ours > 1 means ours is faster.
const TIMINGS = [
  ['script fetch start → launcher painted, ms', 'loadMs', true],
  ['  of which fetch start → element defined, ms', 'definedMs', false],
  ['  fetch start → widget_config fetched (ours only), ms', 'configMs', false],
  ['first click → connected, ms', 'connectMs', true],
  ['  from the click that started the call, ms', 'connectFromStartMs', false],
  ['  start click → getUserMedia called, ms', 'micMs', false],
  ['  start click → WebSocket open, ms', 'socketOpenMs', false],
  ['first click → first agent audio, ms', 'audioMs', true],
  ['  from the click that started the call, ms', 'audioFromStartMs', false],
];
const CPU = [
  ['main-thread CPU (ThreadTime), % of a core', 'threadPct', true],
  ['main-thread task time (TaskDuration), %', 'taskPct', false],
  ['  of which script (ScriptDuration), %', 'scriptPct', false],
  ['  of which layout + style, %', 'layoutStylePct', false],
  ['renderer process CPU (ProcessTime), %', 'processPct', false],
  ['all Chromium processes CPU, %', 'chromiumPct', false],
];
const ratioOf = (a, b) => (b > 0 && a >= 0 ? `${f(a / b, 2)}×` : '–');
const timingRows = [
  ...TIMINGS.map(([label, key]) => {
    const o = per('official', (r) => r[key]);
    const u = per('ours', (r) => r[key]);
    return [label, spread(o, 0), spread(u, 0), ratioOf(median(o), median(u))];
  }),
  ...(opts.calls
    ? CPU.map(([label, key]) => {
        const o = calls('official', key);
        const u = calls('ours', key);
        return [label, spread(o), spread(u), ratioOf(median(o), median(u))];
      })
    : []),
];
const timingTable = markdown(
  [
    `median of ${rounds.length} (min–max); CPU: ${opts.calls} × ${opts.callSeconds} s calls`,
    `official ${officialVersion}`,
    'ours',
    'official ÷ ours',
  ],
  timingRows,
);

const runRows = rounds.flatMap((r, i) =>
  ['official', 'ours'].map((kind) => {
    const x = r[kind];
    return [
      i + 1,
      kind,
      x.clicks,
      f(x.loadMs, 0),
      f(x.connectMs, 0),
      f(x.audioMs, 0),
      x.call ? f(x.call.threadPct) : '–',
      x.call ? f(x.call.chromiumPct) : '–',
      x.call ? `${x.call.heard}/${x.call.replies}/${x.call.interrupted}` : '–',
      f(x.call ? x.call.otherPct : x.otherPct, 0),
    ];
  }),
);
const runTable = markdown(
  [
    'round',
    'widget',
    'clicks',
    'launcher ms',
    'connected ms',
    'first audio ms',
    'main-thread CPU %',
    'Chromium CPU %',
    'heard/replies/interrupted',
    'other processes CPU %',
  ],
  runRows,
);

// Sanity: one socket per run to the emulator, offline, no page errors; the call heard and answered (the utterances
// that fit in the window, from the microphone file's schedule, less one for timing; each answered, the last perhaps
// after the window).
const expectedTurns = Math.floor((opts.callSeconds * 1000 - LEADING_SILENCE_MS) / TURN_MS);
const problems = [];
const blockedBy = { ours: new Set(), official: new Set() };
rounds.forEach((r, i) => {
  for (const kind of ['official', 'ours']) {
    const x = r[kind];
    const where = `round ${i + 1}, ${kind}`;
    x.blocked.forEach((u) => blockedBy[kind].add(u));
    if (x.sockets !== 1) problems.push(`${where}: ${x.sockets} WebSockets`);
    if (!x.socketUrl.startsWith(`${wsOrigin}/v1/convai/conversation?`))
      problems.push(`${where}: socket ${x.socketUrl}`);
    if (x.errors.length) problems.push(`${where}: page errors ${x.errors.join('; ')}`);
    if (x.call && (x.call.heard < expectedTurns - 1 || x.call.replies < x.call.heard - 1)) {
      problems.push(`${where}: the call heard ${x.call.heard} turns and got ${x.call.replies} replies`);
    }
  }
});
const clickCounts = (kind) => [...new Set(per(kind, (r) => r.clicks))].join('/');

const faster = (key) => median(per('official', (r) => r[key])) / median(per('ours', (r) => r[key]));
const verdict = [
  `Size at least ${GOAL.sizeRatio}× smaller: raw ${f(sizeRatio('raw'), 2)}× (${met(sizeRatio('raw') >= GOAL.sizeRatio)}), ` +
    `gzip -9 ${f(sizeRatio('gzip'), 2)}× (${met(sizeRatio('gzip') >= GOAL.sizeRatio)}), ` +
    `brotli q11 ${f(sizeRatio('brotli'), 2)}× (${met(sizeRatio('brotli') >= GOAL.sizeRatio)}).`,
  ...TIMINGS.filter(([, , headline]) => headline).map(
    ([label, key]) => `Faster, ${label.replace(/, ms$/, '')}: ${f(faster(key), 2)}× (${met(faster(key) > 1)}).`,
  ),
  ...(opts.calls
    ? [
        (() => {
          const r = median(calls('official', 'threadPct')) / median(calls('ours', 'threadPct'));
          return `Less main-thread CPU during the call: official uses ${f(r, 2)}× ours (${met(r > 1)}).`;
        })(),
      ]
    : []),
];

console.log(
  `\nwidget: ${rounds.length} rounds (fresh context per load, order alternating), ${opts.calls} of them with a ` +
    `${opts.callSeconds} s call each; widget config ${opts.transcript ? 'with' : 'without'} transcript/text input` +
    `${opts.oursChunkMs ? `; ours with ${opts.oursChunkMs} ms microphone chunks (experiment)` : ''}.\n`,
);
console.log(
  `Ours built from ${builtFrom.commit ?? 'an unknown commit'}` +
    (builtFrom.dirty?.length ? `, with uncommitted changes to ${builtFrom.dirty.join(', ')}` : '') +
    '.\n',
);
console.log(`${markdown(['script', 'raw B', 'gzip -9 B', 'brotli q11 B'], sizeRows)}\n`);
console.log(`${timingTable}\n\n${runTable}\n`);
console.log(`Clicks to start a call: official ${clickCounts('official')}, ours ${clickCounts('ours')}.`);
for (const kind of ['official', 'ours']) {
  const urls = [...blockedBy[kind]];
  console.log(`Requests off 127.0.0.1 refused for ${kind}: ${urls.length ? urls.join(', ') : 'none'}.`);
}
if (opts.calls) {
  const chunks = (kind) => spread(calls(kind, 'chunks'), 0);
  console.log(
    `Calls (emulator's record): microphone chunks received official ${chunks('official')}, ours ${chunks('ours')}; ` +
      `agent audio messages official ${spread(calls('official', 'audioMessages'), 0)}, ours ${spread(calls('ours', 'audioMessages'), 0)}; ` +
      `renderer JS heap at the end official ${spread(calls('official', 'heapMb'))} MB, ours ${spread(calls('ours', 'heapMb'))} MB.`,
  );
}
console.log(
  problems.length
    ? `PROBLEMS:\n- ${problems.join('\n- ')}\n`
    : 'Checks: one socket per run, to the emulator; no page errors.\n',
);
const others = rounds.flatMap((r) => ['official', 'ours'].map((k) => r[k].call?.otherPct ?? r[k].otherPct));
if (others.every((x) => x !== undefined)) {
  console.log(
    `Other processes on the machine used ${spread(others, 0)} % of a core during the runs (median (min–max)).`,
  );
}
console.log(verdict.join('\n'));
console.log(
  `(${wallSeconds.toFixed(0)} s in all; Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ` +
    `Chromium ${browserVersion}; load average at the end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')})`,
);
process.exit(problems.length ? 1 : 0);
