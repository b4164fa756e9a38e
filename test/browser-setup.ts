// Global setup of the `browser` project: one emulator in Node for every browser test file.
// Browser tests reach its Node-side API (minting signatures, reading records) through the commands in ./commands.ts.
import type { TestProject } from 'vitest/node';
import { createEmulator, type Emulator } from '../packages/emulator/src/index.ts';
import { TEST_AGENTS } from './agents.ts';

declare global {
  var elevenkitTestEmulator: Emulator | undefined;
}

export default async function setup(project: TestProject) {
  const emulator = await createEmulator({ port: 0, log: () => {}, agents: TEST_AGENTS, pingIntervalMs: 400 });
  globalThis.elevenkitTestEmulator = emulator;
  project.provide('emulatorUrl', emulator.url);
  project.provide('emulatorWsUrl', emulator.wsUrl);
  return async () => {
    globalThis.elevenkitTestEmulator = undefined;
    await emulator.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    emulatorUrl: string;
    emulatorWsUrl: string;
  }
}
