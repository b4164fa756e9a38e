// `npm test`: the Vitest projects in six phases, one after another, each phase's files in parallel. Audio in Chromium
// glitches when a 2-core machine also runs Node tests and other browsers at the same time, so the projects that
// listen to real audio do not share the machine with the rest. Every phase runs even when an earlier one failed;
// the exit code says whether all passed. Arguments go to each phase (e.g. `npm test -- -t "seek"`).
// The failed and retried tests are listed again at the very end, so a log cut to its last lines still names them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const phases = [['unit', 'node'], ['browser'], ['microphone'], ['storybook'], ['storybook-speech'], ['e2e']];
const extra = process.argv.slice(2);
const results = mkdtempSync(path.join(tmpdir(), 'elevenkit-test-'));
const failed = [];
const summary = [];
for (const projects of phases) {
  const name = projects.join(' + ');
  const json = path.join(results, `${projects.join('-')}.json`);
  const reporters = extra.some((arg) => arg.startsWith('--reporter'))
    ? []
    : ['--reporter=default', '--reporter=json', `--outputFile.json=${json}`];
  const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), ...reporters, ...extra];
  console.log(`\nelevenkit: npx ${args.join(' ')}`);
  const { status, tail } = await run(args);
  const tests = outcomes(name, json);
  summary.push(...tests);
  if (status === 0) continue;
  failed.push(name);
  // Failed with no failed test: an unhandled error, or Vitest could not start. Keep what it said.
  if (!tests.some((line) => line.endsWith(': FAILED'))) summary.push(...unexplained(name, tail));
}
rmSync(results, { recursive: true, force: true });
if (summary.length) console.error(`\nelevenkit: tests that failed or needed a retry\n${summary.join('\n')}`);
if (failed.length) {
  console.error(`\nelevenkit: failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\nelevenkit: every phase passed');

/** Runs `npx args`, its output passed through as it comes; resolves with its exit status and the end of its output. */
function run(args) {
  return new Promise((resolve) => {
    const env = process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env;
    const child = spawn('npx', args, { stdio: ['inherit', 'pipe', 'pipe'], env });
    let tail = '';
    const pass = (out) => (chunk) => {
      out.write(chunk);
      tail = (tail + chunk).slice(-30_000);
    };
    child.stdout.on('data', pass(process.stdout));
    child.stderr.on('data', pass(process.stderr));
    child.on('close', (status) => resolve({ status, tail }));
  });
}

/** The unhandled errors a failed phase reported (or its last lines, when it reported none). */
function unexplained(phase, tail) {
  // eslint-disable-next-line no-control-regex
  const lines = tail.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const start = lines.findIndex((line) => /Unhandled (Error|Rejection)/.test(line));
  const shown = start >= 0 ? lines.slice(start, start + 40) : lines.slice(-20);
  return [`  ${phase}: failed with no failed test; it said:`, ...shown.map((line) => `      ${line}`)];
}

/** One line per failed or retried test of a phase's JSON report, with the first line of each failure. */
function outcomes(phase, file) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const lines = [];
  for (const suite of report.testResults ?? []) {
    const where = path.relative(process.cwd(), suite.name);
    if (suite.status === 'failed' && !suite.assertionResults?.length) {
      lines.push(`  ${phase} · ${where}: ${firstLine(suite.message)}`);
    }
    for (const test of suite.assertionResults ?? []) {
      // A test that passed after a retry keeps the errors of its failed tries.
      const messages = test.failureMessages ?? [];
      if (test.status !== 'failed' && !messages.length) continue;
      const verdict = test.status === 'failed' ? 'FAILED' : 'passed on a retry';
      lines.push(`  ${phase} · ${where} › ${test.fullName}: ${verdict}`);
      for (const message of messages) lines.push(`      ${firstLine(message)}`);
    }
  }
  return lines;
}

function firstLine(text = '') {
  return (
    String(text)
      .split('\n')
      .find((line) => line.trim()) ?? ''
  );
}
