#!/usr/bin/env node
// Benchmark of the token endpoint's signed-URL route (`GET /api/elevenlabs/signed-url?agent_id=…`) next to the
// naive route from the ElevenLabs docs, in one run, against a local upstream stub. Each in its own process: the
// stub, the three servers under test, the load generator, and this one, which only coordinates. Loopback only.
// What is measured, and why, is in RESULTS.md.
//
//   node bench/server.mjs [--connections 32] [--seconds 3] [--warmup 1] [--rounds 6]
//                         [--latency-seconds 2] [--latency-warmup 0.5]
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { summary, VARIANTS } from './server/config.mjs';

const USAGE =
  'usage: node bench/server.mjs [--connections 32] [--seconds 3] [--warmup 1] [--rounds 6] [--latency-seconds 2] ' +
  '[--latency-warmup 0.5]';
let opts;
try {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '32' },
      seconds: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '6' },
      'latency-seconds': { type: 'string', default: '2' },
      'latency-warmup': { type: 'string', default: '0.5' },
    },
  });
  opts = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v)]));
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (!Object.values(opts).every((n) => n > 0) || !Number.isInteger(opts.connections) || !Number.isInteger(opts.rounds)) {
  console.error(USAGE);
  process.exit(2);
}
const GOAL = { overheadP99Ms: 1, ratio: 1 };
const THROUGHPUT = { connections: opts.connections, warmupMs: opts.warmup * 1000, seconds: opts.seconds };
const LATENCY = { connections: 1, warmupMs: opts['latency-warmup'] * 1000, seconds: opts['latency-seconds'] };

// Bounded: everything stops if the run takes much longer than planned.
const planned =
  opts.rounds * VARIANTS.length * (LATENCY.warmupMs / 1000 + LATENCY.seconds + opts.warmup + opts.seconds);
const children = new Set();
const stopAll = () => children.forEach((child) => child.kill());
const deadline = setTimeout(
  () => {
    console.error('\nbench/server: the run overran its time limit; stopping it.');
    stopAll();
    process.exit(1);
  },
  (planned * 1.5 + 120) * 1000,
);
process.on('exit', stopAll);

const start = (file, args = []) => {
  const child = fork(new URL(`./server/${file}`, import.meta.url), args);
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
};
/** The next message of this type from a child (rejects if the child exits first). */
const reply = (child, type) =>
  new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message.type !== type) return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve(message);
    };
    const onExit = (code) => reject(new Error(`a bench process exited (${code}) before sending ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
const ask = (child, type, answer = type) => (child.send({ type }), reply(child, answer));

/** Busy time of the whole machine since `before`, in % of one core (Linux /proc/stat; undefined elsewhere). */
function machineCpu(before) {
  let fields;
  try {
    fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  } catch {
    return undefined;
  }
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + fields[4];
  if (!before) return { total, idle };
  const dt = total - before.total;
  return dt > 0 ? ((dt - (idle - before.idle)) / dt) * cpus().length * 100 : undefined;
}
const cpuPercent = (after, before, seconds) =>
  (after.user + after.system - before.user - before.system) / 1e4 / seconds;

const began = Date.now();
const upstream = start('upstream.mjs');
const load = start('load.mjs');
const { port: upstreamPort } = await reply(upstream, 'ready');
const upstreamOrigin = `http://127.0.0.1:${upstreamPort}`;

/** One measured phase against a running server: load for warm-up + window, server and stub figures of the window. */
async function phase(target, port, path, { connections, warmupMs, seconds }, record) {
  const result = reply(load, 'result');
  load.send({ type: 'run', port, path, connections, warmupMs, seconds });
  await sleep(warmupMs);
  target.send({ type: 'mark', record });
  const before = { stub: await ask(upstream, 'count'), machine: machineCpu() };
  await sleep(seconds * 1000);
  const machine = machineCpu(before.machine);
  const server = await ask(target, 'collect', 'stats');
  const stub = await ask(upstream, 'count');
  const client = await result;
  const stubCpu = cpuPercent(stub.cpu, before.stub.cpu, seconds);
  return {
    ...client,
    server,
    stubRps: (stub.served - before.stub.served) / seconds,
    stubRefused: stub.refused - before.stub.refused,
    stubCpu,
    otherCpu: machine === undefined ? undefined : machine - server.cpuPercent - client.cpuPercent - stubCpu,
  };
}

// All three servers stay up for the whole run and take turns, in a different order each round, in short windows:
// on a shared machine, the load that other processes put on it then falls on every variant alike.
const targets = {};
for (const { name } of VARIANTS) {
  const target = start('target.mjs', [name, upstreamOrigin]);
  targets[name] = { target, port: (await reply(target, 'ready')).port };
}
// Not measured: 2 s of load on each server first, so that round 1 does not measure code the JIT has not compiled yet.
for (const { name, path } of VARIANTS) {
  const done = reply(load, 'result');
  load.send({ type: 'run', port: targets[name].port, path, connections: opts.connections, warmupMs: 0, seconds: 2 });
  await done;
}
const rounds = [];
for (let round = 0; round < opts.rounds; round++) {
  const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]); // a different one goes first
  const results = Object.fromEntries(VARIANTS.map(({ name }) => [name, {}]));
  process.stdout.write(`round ${round + 1}/${opts.rounds}:`);
  for (const [kind, settings] of [
    ['latency', LATENCY],
    ['throughput', THROUGHPUT],
  ]) {
    for (const { name, path } of order) {
      const { target, port } = targets[name];
      results[name][kind] = await phase(target, port, path, settings, kind === 'latency');
    }
  }
  rounds.push(results);
  process.stdout.write(
    ` ${VARIANTS.map(({ name }) => `${name} ${results[name].throughput.rps.toFixed(0)}`).join(', ')} req/s\n`,
  );
}
clearTimeout(deadline);
const wallSeconds = (Date.now() - began) / 1000;

// ---- report
const f = (x, digits = 2) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** "median (min–max)" over the rounds. */
const spread = (xs, digits = 2) =>
  xs.length > 1
    ? `${f(median(xs), digits)} (${f(Math.min(...xs), digits)}–${f(Math.max(...xs), digits)})`
    : f(xs[0], digits);
const per = (name, pick) => rounds.map((r) => pick(r[name]));
const ratio = (name) => rounds.map((r) => r[name].throughput.rps / r.naive.throughput.rps);
/** Overhead percentiles over every timed request of the run: all rounds together give more samples than one. */
const pooled = (name, key) => summary(rounds.flatMap((r) => r[name].latency.server.samples[key]));
/** "all rounds (lowest–highest round)". */
const poolSpread = (name, key, p) => {
  const xs = per(name, (r) => r.latency.server[key][p]);
  return `${f(pooled(name, key)[p], 3)} (${f(Math.min(...xs), 3)}–${f(Math.max(...xs), 3)})`;
};

const c = opts.connections;
const cpuPerRequest = (p) => (p.server.cpuPercent * 1e4) / p.rps; // µs of server CPU per answer
const markdown = (header, rows) =>
  [header, header.map((h, i) => (i === 0 || h === 'variant' ? '---' : '--:')), ...rows]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n');

const table = markdown(
  [
    'variant',
    `req/s, ${c} conn.`,
    'p50 ms',
    'p99 ms',
    'server CPU µs/req',
    'p50 ms, 1 conn.',
    'p99 ms, 1 conn.',
    'overhead p50 ms',
    'overhead p99 ms',
    'overhead p99 ms, CPU wait removed',
    'req/s ÷ naive',
  ],
  VARIANTS.map(({ name, label }) => [
    label,
    spread(
      per(name, (r) => r.throughput.rps),
      0,
    ),
    spread(per(name, (r) => r.throughput.latency.p50)),
    spread(per(name, (r) => r.throughput.latency.p99)),
    spread(
      per(name, (r) => cpuPerRequest(r.throughput)),
      0,
    ),
    spread(per(name, (r) => r.latency.latency.p50)),
    spread(per(name, (r) => r.latency.latency.p99)),
    poolSpread(name, 'overhead', 'p50'),
    poolSpread(name, 'overhead', 'p99'),
    poolSpread(name, 'overheadOnCpu', 'p99'),
    name === 'naive' ? '1' : spread(ratio(name), 3),
  ]),
);

const roundTable = markdown(
  [
    'round',
    'variant',
    'req/s',
    'p50 ms',
    'p99 ms',
    'overhead p99 ms',
    'same, CPU wait removed',
    'server waiting for CPU % (1 conn.)',
    'server CPU %',
    'server CPU µs/req',
    'server waiting for CPU %',
    'stub CPU %',
    'load CPU %',
    'other processes CPU %',
    'errors',
  ],
  rounds.flatMap((r, i) =>
    VARIANTS.map(({ name }) => {
      const { latency, throughput: t } = r[name];
      return [
        i + 1,
        name,
        f(t.rps, 0),
        f(t.latency.p50),
        f(t.latency.p99),
        f(latency.server.overhead.p99, 3),
        f(latency.server.overheadOnCpu.p99, 3),
        f(latency.server.cpuWaitPercent, 0),
        f(t.server.cpuPercent, 0),
        f(cpuPerRequest(t), 0),
        f(t.server.cpuWaitPercent, 0),
        f(t.stubCpu, 0),
        f(t.cpuPercent, 0),
        f(t.otherCpu, 0),
        t.errors + latency.errors,
      ];
    }),
  ),
);

// Sanity: every answer was a signed URL, every request reached the stub with the right key, timing was clean.
const problems = [];
rounds.forEach((r, i) => {
  for (const { name } of VARIANTS) {
    for (const [kind, p] of Object.entries(r[name])) {
      const where = `round ${i + 1}, ${name}, ${kind}`;
      if (p.errors) problems.push(`${where}: ${p.errors} failed requests`);
      if (p.stubRefused) problems.push(`${where}: the stub refused ${p.stubRefused} requests`);
      // The two counts' windows differ by a few ms and by the requests in flight at either edge.
      const { connections, seconds } = kind === 'latency' ? LATENCY : THROUGHPUT;
      if (Math.abs(p.stubRps - p.rps) > 0.02 * p.rps + (2 * connections + 2) / seconds) {
        problems.push(`${where}: the stub served ${f(p.stubRps, 0)}/s but clients got ${f(p.rps, 0)}/s`);
      }
      if (p.server.overlapped) problems.push(`${where}: ${p.server.overlapped} timed requests overlapped`);
    }
  }
});

const OURS = [
  ['ours-node', 'toNodeListener'],
  ['ours-express', 'toExpressMiddleware'],
];
const met = (ok) => (ok ? 'met' : 'NOT met');
const overheadVerdict = OURS.map(([name, label]) => {
  const wall = pooled(name, 'overhead').p99;
  const onCpu = pooled(name, 'overheadOnCpu').p99;
  return (
    `${label} ${f(wall, 3)} ms (${met(wall < GOAL.overheadP99Ms)}); ` +
    `${f(onCpu, 3)} ms with CPU wait removed (${met(onCpu < GOAL.overheadP99Ms)})`
  );
});
const throughputVerdict = OURS.map(([name, label]) => {
  const r = median(ratio(name));
  const cpu = median(rounds.map((x) => cpuPerRequest(x[name].throughput) / cpuPerRequest(x.naive.throughput)));
  return `${label} ${f(r, 3)}× (${met(r >= GOAL.ratio)}; server CPU per request ${f(cpu, 3)}× the naive's)`;
});
const verdict = [
  `Handler overhead p99 under ${GOAL.overheadP99Ms} ms, over all ${rounds.length} rounds' requests: ${overheadVerdict.join('; ')}.`,
  `Throughput at least the naive handler's, medians of ${rounds.length} same-run ratios: ${throughputVerdict.join('; ')}.`,
];

console.log(
  `\nSigned-URL route, ${c} keep-alive connections for ${opts.seconds} s after ${opts.warmup} s warm-up; 1 connection ` +
    `for ${LATENCY.seconds} s after ${LATENCY.warmupMs / 1000} s; ${rounds.length} rounds.\n` +
    "Median of the rounds (lowest–highest round); overhead over all rounds' timed requests (lowest–highest round).\n",
);
console.log(`${table}\n\n${roundTable}\n`);
console.log(
  problems.length
    ? `PROBLEMS:\n- ${problems.join('\n- ')}\n`
    : 'Checks: all answers were signed URLs; the stub served every request with the right key.\n',
);
console.log(verdict.join('\n'));
console.log(
  `(${wallSeconds.toFixed(0)} s in all; Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'})`,
);
process.exit(problems.length ? 1 : 0);
