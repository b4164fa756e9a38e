#!/usr/bin/env node
// Runs the TypeScript sources through Vite's module runner, so the CLI works from a fresh clone without a build.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const { module } = await runnerImport(fileURLToPath(new URL('../src/cli.ts', import.meta.url)));
try {
  await module.main(process.argv.slice(2));
} catch (error) {
  console.error(`elevenkit-server: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
