#!/usr/bin/env node
// Load benchmark for @elevenkit/emulator: N concurrent voice sessions streaming real-time audio both ways.
// The emulator runs in one child process and the N clients in another, so client work is not counted as the
// server's. What is measured, and why, is in RESULTS.md.
//
//   node bench/emulator-load.mjs [--sessions 50] [--seconds 30] [--ramp 2] [--sweep] [--no-write]
//   (or BENCH_SESSIONS, BENCH_SECONDS, BENCH_RAMP in the environment)
import { execFileSync, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TARGET, WARMUP_MS } from './emulator-load/config.mjs';
import { summary } from './emulator-load/stats.mjs';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: process.env.BENCH_SESSIONS ?? String(TARGET.sessions) },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS },
    ramp: { type: 'string', default: process.env.BENCH_RAMP ?? '2' },
    sweep: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const counts = args.sweep ? [10, 25, 50, 75] : [Number(args.sessions)];
const seconds = Number(args.seconds ?? (args.sweep ? 10 : 30));
const rampMs = Number(args.ramp) * 1000;
if (!counts.every((n) => Number.isInteger(n) && n > 0) || !(seconds > 0) || !(rampMs >= 0)) {
  console.error('usage: node bench/emulator-load.mjs [--sessions N] [--seconds S] [--ramp S] [--sweep] [--no-write]');
  process.exit(2);
}
const f = (x, digits = 1) => (x === undefined ? '–' : x.toFixed(digits));
const BUSY_MACHINE = 20; // % of a core used by other processes above which figures include their interference

const here = new URL('./emulator-load/', import.meta.url);
const began = Date.now();
const results = [];
for (const n of counts) {
  process.stdout.write(
    `emulator-load: ${n} sessions, ${rampMs / 1000} s ramp + ${WARMUP_MS / 1000} s warm-up + ${seconds} s… `,
  );
  results.push({ n, ...(await runOnce(n)) });
  process.stdout.write('done\n');
}
const wallSeconds = (Date.now() - began) / 1000;

const table = render(results);
const notes = results.map(describe);
const headline = results.find((r) => r.n === TARGET.sessions);
console.log(`\n${table}\n\n${notes.join('\n')}\n`);
if (headline) console.log(verdict(headline));
console.log(`(${wallSeconds.toFixed(0)} s in all)`);
if (!args['no-write']) await writeResults();

/** One measured run, with fresh server and client processes so runs share no heap or JIT state. */
async function runOnce(n) {
  const server = fork(new URL('server.mjs', here), { serialization: 'advanced' }); // typed arrays over IPC
  const clients = fork(new URL('clients.mjs', here), { serialization: 'advanced' });
  const deadline = setTimeout(
    () => {
      console.error('\nemulator-load: a run overran its time limit; stopping it.');
      server.kill();
      clients.kill();
      process.exit(1);
    },
    rampMs + WARMUP_MS + seconds * 1000 + 60_000,
  );
  try {
    const [{ port }] = await Promise.all([reply(server, 'ready'), reply(clients, 'ready')]);
    clients.send({ type: 'start', port, sessions: n, rampMs });
    await sleep(rampMs + WARMUP_MS);
    server.send({ type: 'mark' });
    clients.send({ type: 'mark' });
    const before = machineCpu();
    await sleep(seconds * 1000);
    const machine = machineCpu(before);
    const client = await ask(clients, 'stop', 'result'); // clients first, so the server closing is no drop
    const result = await ask(server, 'stop', 'result');
    const other = machine === undefined ? undefined : Math.max(0, machine - result.cpuPercent - client.cpuPercent);
    return { client, server: result, otherCpu: other, inbound: inbound(client.chunks, result.vadSentAt) };
  } catch (error) {
    server.kill();
    clients.kill();
    throw error;
  } finally {
    clearTimeout(deadline);
  }
}

/** Chunk sent → emulator sends its vad_score: the round trip without the way back and the client's reading. */
function inbound(chunks, vadSentAt) {
  const delays = [];
  for (const { id, measured } of chunks) {
    const answered = vadSentAt[id] ?? [];
    for (let i = 0; i < measured.length; i += 2) delays.push(answered[measured[i]] - measured[i + 1]);
  }
  return summary(delays.filter(Number.isFinite));
}

function ask(child, type, answer) {
  const answered = reply(child, answer);
  child.send({ type });
  return answered;
}

function reply(child, type) {
  return new Promise((resolve, reject) => {
    // 'disconnect', not 'exit': it comes after the last message, which 'exit' may overtake.
    const onGone = () => reject(new Error(`${child.spawnargs.at(-1)} ended before "${type}"`));
    child.on('message', (message) => message.type === type && (child.off('disconnect', onGone), resolve(message)));
    child.once('disconnect', onGone);
  });
}

/** Busy CPU of the whole machine from /proc/stat (Linux), in % of one core. */
function machineCpu(before) {
  if (!existsSync('/proc/stat')) return undefined;
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const now = { idle: ticks[3] + ticks[4], total: ticks.reduce((a, b) => a + b, 0) };
  if (!before) return now;
  return (1 - (now.idle - before.idle) / (now.total - before.total)) * cpus().length * 100;
}

function render(rows) {
  const head = [
    'sessions',
    'held',
    'chunk→vad_score p50 / p99 / max',
    'of which until the emulator sent it, p99',
    'agent audio late p99 / max',
    'transcripts exact',
    'server CPU',
    'server RSS peak',
    'server waiting for a CPU',
    'other processes CPU',
  ];
  const lines = rows.map(({ n, client: c, server: s, otherCpu, inbound }) => [
    n,
    `${c.held}/${n}`,
    `${f(c.rtt.p50)} / ${f(c.rtt.p99)} / ${f(c.rtt.max)} ms`,
    `${f(inbound.p99)} ms`,
    `${f(c.audioLate.p99)} / ${f(c.audioLate.max)} ms`,
    `${c.correct}/${c.transcripts}`,
    `${f(s.cpuPercent, 0)} %`,
    `${f(s.rssMb.peak, 0)} MB`,
    `${f(s.cpuWaitPercent, 0)} %`,
    `${f(otherCpu, 0)} %`,
  ]);
  return [head, head.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function describe({ n, client: c, server: s }) {
  const problems = [
    c.dropped.length && `closed early (codes): ${c.dropped.join(', ')}`,
    c.connected < n && `${n - c.connected} never got conversation_initiation_metadata`,
    c.errors.length && `errors: ${c.errors.join('; ')}`,
    c.wrong.length && `wrong transcripts: ${JSON.stringify(c.wrong)}`,
    c.unmatchedVad && `${c.unmatchedVad} vad_score without a chunk`,
  ].filter(Boolean);
  return (
    `${n} sessions: ${c.rtt.count} chunk round trips, ${c.turns} turns, ${c.audioLate.count} agent audio events, ` +
    `${c.interruptions} interruptions. Server: event-loop utilisation ${f(s.elu * 100, 0)} %, loop delay p99 / max ` +
    `${f(s.loopDelayMs.p99)} / ${f(s.loopDelayMs.max)} ms, heap ${f(s.heapMb, 0)} MB, ${s.logged} messages logged. ` +
    `Clients: CPU ${f(c.cpuPercent, 0)} %, waiting for a CPU ${f(c.cpuWaitPercent, 0)} %, send lag p99 ` +
    `${f(c.sendLag.p99)} ms, loop delay p99 / max ${f(c.loopDelayMs.p99)} / ${f(c.loopDelayMs.max)} ms.` +
    (problems.length ? ` ${problems.join('. ')}.` : '')
  );
}

function verdict(r) {
  const met = r.client.held === r.n && r.client.rtt.p99 < TARGET.p99Ms;
  const busy =
    r.otherCpu > BUSY_MACHINE
      ? ` Other processes used ${f(r.otherCpu, 0)} % of a core meanwhile, so these figures include their interference.`
      : '';
  return (
    `Target (${TARGET.sessions} sessions held, chunk→vad_score p99 < ${TARGET.p99Ms} ms): ${met ? 'MET' : 'NOT MET'}` +
    ` — ${r.client.held}/${r.n} held, p99 ${f(r.client.rtt.p99)} ms.${busy}`
  );
}

/** Replaces the generated block of RESULTS.md (the latest run) and leaves the hand-written rest alone. */
async function writeResults() {
  const file = new URL('./RESULTS.md', import.meta.url);
  const [begin, end] = ['<!-- emulator-load:latest:begin -->', '<!-- emulator-load:latest:end -->'];
  // Which emulator was measured: others change it often.
  const src = new URL('../packages/emulator/src/', import.meta.url);
  const hash = createHash('sha256');
  for (const name of readdirSync(src).sort()) hash.update(name).update(readFileSync(new URL(name, src)));
  const git = (...a) => execFileSync('git', a, { cwd: new URL('..', import.meta.url), encoding: 'utf8' }).trim();
  let commit = 'unknown commit';
  try {
    commit =
      git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', 'packages/emulator/src') ? '+changes' : '');
  } catch {
    // not a git checkout
  }
  const command = ['node bench/emulator-load.mjs', ...process.argv.slice(2)].join(' ');
  const block = [
    begin,
    `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`${command}\`, ${wallSeconds.toFixed(0)} s ` +
      `wall time; ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; emulator ${commit}, sources ` +
      `sha256 ${hash.digest('hex').slice(0, 12)}.`,
    '',
    table,
    '',
    ...notes.map((note) => `- ${note}`),
    ...(headline ? ['', verdict(headline)] : []),
    end,
  ].join('\n');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmark results\n\n${begin}\n${end}\n`;
  const [at, to] = [text.indexOf(begin), text.indexOf(end)];
  let next = at >= 0 && to > at ? text.slice(0, at) + block + text.slice(to + end.length) : `${text}\n${block}\n`;
  // Formatted as `npm run check` expects, so a bench run does not fail the repository's Prettier check.
  try {
    const prettier = await import('prettier');
    const options = await prettier.resolveConfig(fileURLToPath(file));
    next = await prettier.format(next, { ...options, filepath: fileURLToPath(file) });
  } catch {
    // without Prettier the block is still valid Markdown
  }
  writeFileSync(file, next);
  console.log('updated bench/RESULTS.md');
}
