#!/usr/bin/env node
// Runs the TypeScript sources through Vite's module runner, so the CLI works from a fresh clone without a build.
import { runnerImport } from 'vite';

const { module } = await runnerImport(new URL('../src/cli.ts', import.meta.url).pathname);
try {
  await module.main(process.argv.slice(2));
} catch (error) {
  console.error(`elevenkit-emulator: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
