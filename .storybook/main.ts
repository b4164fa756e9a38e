// Storybook: React-Vite (it renders Lit elements too), with the emulator mounted on its dev server so stories
// talk to a local ElevenLabs. `viteFinal` also applies to the story tests (the `storybook` Vitest project).
import type { StorybookConfig } from '@storybook/react-vite';
import { mergeConfig } from 'vite';
import { elevenlabsEmulator } from '../packages/emulator/src/vite.ts';

const config: StorybookConfig = {
  framework: { name: '@storybook/react-vite', options: {} },
  stories: ['../stories/**/*.stories.@(ts|tsx)', '../packages/*/src/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-vitest'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  typescript: { reactDocgen: 'react-docgen-typescript' },
  viteFinal: (viteConfig) => mergeConfig(viteConfig, { plugins: [elevenlabsEmulator({ log: () => {} })] }),
};

export default config;
