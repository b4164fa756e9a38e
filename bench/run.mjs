#!/usr/bin/env node
// `npm run bench`: every benchmark in turn, each in its own process with its default settings (benchmarks take
// different options; run one directly to pass them, e.g. `node bench/emulator-load.mjs --sweep`).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benchmarks = [
  'emulator-load.mjs',
  'server.mjs',
  'widget.mjs',
  'player.mjs',
  'transcription.mjs',
  'recorder.mjs',
  'recorder-react.mjs',
];

let failed = 0;
for (const name of benchmarks) {
  console.log(`\n=== ${name}`);
  const { status } = spawnSync(process.execPath, [fileURLToPath(new URL(name, import.meta.url))], { stdio: 'inherit' });
  if (status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
