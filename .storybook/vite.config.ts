// Storybook's own Vite config. Without it, Storybook would load the repo's vite.config.ts, which is the demo server's
// (token endpoint, script-tag files, Vitest projects): its token endpoint cannot run in Storybook's middleware-mode
// server and failed every request. main.ts's viteFinal mounts what stories need, the emulator.
import { defineConfig } from 'vite';

export default defineConfig({});
