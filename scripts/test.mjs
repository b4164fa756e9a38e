// `npm test`: the Vitest projects in five phases, one after another, each phase's files in parallel. Audio in Chromium
// glitches when a 2-core machine also runs Node tests and other browsers at the same time, so the projects that
// listen to real audio do not share the machine with the rest. Every phase runs even when an earlier one failed;
// the exit code says whether all passed. Arguments go to each phase (e.g. `npm test -- -t "seek"`).
import { spawnSync } from 'node:child_process';

const phases = [['unit', 'node'], ['browser'], ['microphone'], ['storybook'], ['e2e']];
const extra = process.argv.slice(2);
const failed = [];
for (const projects of phases) {
  const args = ['vitest', 'run', ...projects.flatMap((name) => ['--project', name]), ...extra];
  console.log(`\nelevenkit: npx ${args.join(' ')}`);
  const { status } = spawnSync('npx', args, { stdio: 'inherit' });
  if (status !== 0) failed.push(projects.join(' + '));
}
if (failed.length) {
  console.error(`\nelevenkit: failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\nelevenkit: every phase passed');
