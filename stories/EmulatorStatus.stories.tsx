import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { EmulatorStatus } from './EmulatorStatus.tsx';

const meta = {
  title: 'Dev/Emulator status',
  component: EmulatorStatus,
} satisfies Meta<typeof EmulatorStatus>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The emulator mounted on Storybook's own server: its agents, and what the demo agent says first. */
export const Running: Story = {
  play: async ({ canvas }) => {
    await expect(await canvas.findByText(/^Running, with \d+ agents?/)).toBeVisible();
    const agents = canvas.getByRole('list', { name: 'Agents' });
    await expect(within(agents).getByText('demo')).toBeVisible();
    await expect(canvas.getByText(/I'm the elevenkit emulator's demo agent/)).toBeVisible();
  },
};

/** What a reader sees when nothing answers at the address (here a path the emulator does not serve). */
export const Unreachable: Story = {
  args: { baseUrl: '/no-emulator-here' },
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('Not reachable.')).toBeVisible();
    await expect(canvas.queryByRole('list', { name: 'Agents' })).toBeNull();
  },
};
