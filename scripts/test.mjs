// `npm test`: the Vitest projects in five phases, one after another, each phase's files in parallel. Audio in Chromium
// glitches when a 2-core machine also runs Node tests and other browsers at the same time, so the projects that
// listen to real audio do not share the machine with the rest. Every phase runs even when an earlier one failed;
// the exit code says whether all passed. Arguments go to each phase (e.g. `npm test -- -t "seek"`).
// The failed and retried tests are listed again at the very end, so a log cut to its last lines still names them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const phases = [['unit', 'node'], ['browser'], ['microphone'], ['storybook'], ['e2e']];
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
  const { status } = spawnSync('npx', args, { stdio: 'inherit' });
  if (status !== 0) failed.push(name);
  summary.push(...outcomes(name, json));
}
rmSync(results, { recursive: true, force: true });
if (summary.length) console.error(`\nelevenkit: tests that failed or needed a retry\n${summary.join('\n')}`);
if (failed.length) {
  console.error(`\nelevenkit: failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\nelevenkit: every phase passed');

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
