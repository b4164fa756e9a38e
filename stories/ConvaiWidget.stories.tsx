// <elevenlabs-convai> in React (React 19 passes attributes to custom elements as they are), talking to the emulator
// that Storybook's own dev server mounts. Its argTypes come from custom-elements.json, which is generated from the
// element's JSDoc: attributes, events, CSS custom properties and CSS parts are documented once, in the code.
import '@elevenkit/widget/define';
import manifest from '@elevenkit/widget/custom-elements.json';
import type { Meta, StoryObj } from '@storybook/react-vite';
import type { Package } from 'custom-elements-manifest/schema';
import { createElement, useEffect, useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { customElementArgTypes, elementProps, findElement, type ElementArgs } from './custom-element-args.ts';

const element = findElement(manifest as Package, 'elevenlabs-convai');

/** The element with the story's args as attributes, custom properties and event listeners. */
function ConvaiWidget(args: ElementArgs) {
  const [node, setNode] = useState<HTMLElement | null>(null);
  const { attributes, style, listeners } = elementProps(element, args);
  useEffect(() => {
    if (!node) return;
    const bound = listeners.map(([name, listener]) => {
      const handler = (event: Event) => listener((event as CustomEvent).detail);
      node.addEventListener(name, handler);
      return [name, handler] as const;
    });
    return () => bound.forEach(([name, handler]) => node.removeEventListener(name, handler));
  });
  return createElement('elevenlabs-convai', { ref: setNode, ...attributes, style });
}

const meta = {
  title: 'Widget/elevenlabs-convai',
  component: ConvaiWidget,
  argTypes: customElementArgTypes(element),
  args: {
    'agent-id': 'demo',
    // The emulator is mounted on the server that serves Storybook.
    origin: window.location.origin,
    // Every event reaches a spy: the Actions panel shows it, and play functions can assert on it.
    ...Object.fromEntries((element.events ?? []).map((event) => [event.name, fn()])),
  },
  parameters: {
    layout: 'fullscreen',
    // Names, descriptions and types from the manifest, not just the controls.
    controls: { expanded: true },
  },
} satisfies Meta<typeof ConvaiWidget>;

export default meta;
type Story = StoryObj<typeof meta>;

type Widget = HTMLElement & { updateComplete: Promise<boolean> };

/** The widget in the story and queries within its shadow root, once it has drawn. */
async function widgetIn(canvasElement: HTMLElement) {
  const host = await waitFor(() => {
    const found = canvasElement.querySelector<Widget>('elevenlabs-convai');
    if (!found?.shadowRoot) throw new Error('The widget has not upgraded yet.');
    return found;
  });
  await host.updateComplete;
  return { host, shadow: within(host.shadowRoot as unknown as HTMLElement) };
}

/** Waits for the agent's widget settings (which turn on transcript and text input for the demo agent). */
const settingsLoaded = (shadow: Awaited<ReturnType<typeof widgetIn>>['shadow']) =>
  shadow.findByRole('button', { name: 'Expand' }, { timeout: 5000 });

/** The launcher's box, for placement checks. */
async function launcherBox(canvasElement: HTMLElement) {
  const { host, shadow } = await widgetIn(canvasElement);
  await shadow.findByRole('button', { name: 'Start a call' });
  const launcher = host.shadowRoot!.querySelector('[part~="launcher"]');
  await expect(launcher).not.toBeNull();
  return launcher!.getBoundingClientRect();
}

// ---- states ----------------------------------------------------------------------------------------------------

/** What a visitor sees first: the launcher, which paints from attributes at once and completes with the settings. */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    const { shadow } = await widgetIn(canvasElement);
    await expect(shadow.getByRole('button', { name: 'Start a call' })).toBeVisible();
    await expect(await settingsLoaded(shadow)).toHaveAttribute('aria-expanded', 'false');
    await expect(shadow.queryByRole('alert')).toBeNull();
  },
};

/** `default-expanded`: the panel with the (empty) transcript and the text input is open from the start. */
export const Expanded: Story = {
  args: { 'default-expanded': true },
  play: async ({ canvasElement }) => {
    const { shadow } = await widgetIn(canvasElement);
    const log = await shadow.findByRole('log', { name: 'Conversation' }, { timeout: 5000 });
    await expect(log).toBeVisible();
    await expect(log).toHaveTextContent('');
    await expect(shadow.getByRole('textbox', { name: 'Text message input' })).toBeVisible();
    await expect(shadow.getByRole('button', { name: 'Send' })).toBeVisible();
  },
};

/** A text chat with the emulator's demo agent: typing while disconnected starts the conversation with that message. */
export const TextChat: Story = {
  args: { 'default-expanded': true },
  play: async ({ canvasElement, args }) => {
    const { shadow } = await widgetIn(canvasElement);
    const input = await shadow.findByRole('textbox', { name: 'Text message input' }, { timeout: 5000 });
    await userEvent.type(input, 'what can you do');
    await userEvent.keyboard('{Enter}');

    const log = shadow.getByRole('log', { name: 'Conversation' });
    await expect(
      await within(log).findByText(/I'm the elevenkit emulator's demo agent/, {}, { timeout: 5000 }),
    ).toBeVisible();
    await expect(await within(log).findByText(/I can answer a few phrases/, {}, { timeout: 5000 })).toBeVisible();
    await expect(within(log).getByText('what can you do')).toBeVisible();
    await expect(input).toHaveValue('');
    await expect(args['elevenlabs-convai:connect']).toHaveBeenCalledWith(
      expect.objectContaining({ conversationId: expect.stringMatching(/^conv_/) }),
    );
    // The text shows while it streams; the message event comes with the final reply.
    await waitFor(() =>
      expect(args['elevenlabs-convai:message']).toHaveBeenCalledWith(
        expect.objectContaining({ role: 'agent', message: expect.stringMatching(/I can answer a few phrases/) }),
      ),
    );

    await userEvent.click(shadow.getByRole('button', { name: 'End' }));
    await waitFor(() => expect(args['elevenlabs-convai:disconnect']).toHaveBeenCalledWith({ reason: 'user' }));
    await expect(shadow.getAllByText('You ended the conversation')[0]).toBeVisible();
  },
};

// ---- variants --------------------------------------------------------------------------------------------------

/** `variant="tiny"`: icon buttons only, each with a name. */
export const Tiny: Story = {
  args: { variant: 'tiny' },
  play: async ({ canvasElement }) => {
    const { host, shadow } = await widgetIn(canvasElement);
    await expect(shadow.getByRole('button', { name: 'Start a call' })).toBeVisible();
    await settingsLoaded(shadow);
    const launcher = host.shadowRoot!.querySelector<HTMLElement>('[part~="launcher"]')!;
    await expect(launcher.innerText.trim()).toBe('');
    await expect(host.shadowRoot!.querySelector('[part~="avatar"]')).toBeNull();
  },
};

/** `variant="compact"` (the default): avatar and labelled buttons. */
export const Compact: Story = {
  args: { variant: 'compact' },
  play: async ({ canvasElement }) => {
    const { host, shadow } = await widgetIn(canvasElement);
    await expect(shadow.getByRole('button', { name: 'Start a call' })).toHaveTextContent('Start a call');
    await expect(host.shadowRoot!.querySelector('[part~="avatar"]')).not.toBeNull();
  },
};

/** `variant="full"`: the label and the status too. */
export const Full: Story = {
  args: { variant: 'full' },
  play: async ({ canvasElement }) => {
    const { host, shadow } = await widgetIn(canvasElement);
    const launcher = within(host.shadowRoot!.querySelector<HTMLElement>('[part~="launcher"]')!);
    await expect(launcher.getByText('Need help?')).toBeVisible();
    await expect(shadow.getByRole('button', { name: 'Start a call' })).toHaveTextContent('Start a call');
  },
};

// ---- placements ------------------------------------------------------------------------------------------------

/** Where the launcher sits, as thirds of the viewport. */
function expectPlaced(box: DOMRect, vertical: 'top' | 'bottom', horizontal: 'left' | 'center' | 'right') {
  const { innerWidth: width, innerHeight: height } = window;
  if (vertical === 'top') expect(box.top).toBeLessThan(height / 3);
  else expect(box.bottom).toBeGreaterThan((height * 2) / 3);
  const middle = box.left + box.width / 2;
  if (horizontal === 'left') expect(middle).toBeLessThan(width / 2);
  else if (horizontal === 'right') expect(middle).toBeGreaterThan(width / 2);
  else expect(Math.abs(middle - width / 2)).toBeLessThan(2);
}

export const TopLeft: Story = {
  args: { placement: 'top-left' },
  play: async ({ canvasElement }) => expectPlaced(await launcherBox(canvasElement), 'top', 'left'),
};

export const Top: Story = {
  args: { placement: 'top' },
  play: async ({ canvasElement }) => expectPlaced(await launcherBox(canvasElement), 'top', 'center'),
};

export const TopRight: Story = {
  args: { placement: 'top-right' },
  play: async ({ canvasElement }) => expectPlaced(await launcherBox(canvasElement), 'top', 'right'),
};

export const BottomLeft: Story = {
  args: { placement: 'bottom-left' },
  play: async ({ canvasElement }) => expectPlaced(await launcherBox(canvasElement), 'bottom', 'left'),
};

export const Bottom: Story = {
  args: { placement: 'bottom' },
  play: async ({ canvasElement }) => expectPlaced(await launcherBox(canvasElement), 'bottom', 'center'),
};

export const BottomRight: Story = {
  args: { placement: 'bottom-right' },
  play: async ({ canvasElement }) => expectPlaced(await launcherBox(canvasElement), 'bottom', 'right'),
};

// ---- theming ---------------------------------------------------------------------------------------------------

/** Theming by CSS custom properties, set here as args on the element. */
export const Themed: Story = {
  args: {
    variant: 'full',
    '--el-accent': '#0f766e',
    '--el-accent-hover': '#115e59',
    '--el-accent-primary': '#ffffff',
    '--el-button-radius': '6px',
    '--el-sheet-radius': '12px',
  },
  play: async ({ canvasElement }) => {
    const { shadow } = await widgetIn(canvasElement);
    const start = shadow.getByRole('button', { name: 'Start a call' });
    await expect(getComputedStyle(start).backgroundColor).toBe('rgb(15, 118, 110)');
    await expect(getComputedStyle(start).borderTopLeftRadius).toBe('6px');
  },
};

// ---- errors ----------------------------------------------------------------------------------------------------

/** An agent id the server does not know: a clear message, and a launcher that still works on attributes. */
export const UnknownAgent: Story = {
  args: { 'agent-id': 'no-such-agent' },
  play: async ({ canvasElement }) => {
    const { shadow } = await widgetIn(canvasElement);
    const alert = await shadow.findByRole('alert', {}, { timeout: 5000 });
    await expect(alert).toHaveTextContent('no-such-agent');
    await expect(shadow.getByRole('button', { name: 'Start a call' })).toBeEnabled();
  },
};

/** No `agent-id` (nor `signed-url`): the widget says what to set instead of failing silently. */
export const MissingAgentId: Story = {
  args: { 'agent-id': '' },
  play: async ({ canvasElement, args }) => {
    const { host, shadow } = await widgetIn(canvasElement);
    await expect(host.hasAttribute('agent-id')).toBe(false);
    const alert = await shadow.findByRole('alert');
    await expect(alert).toHaveTextContent('Set agent-id or signed-url to choose an agent.');
    // Starting anyway reports the same, as an error event.
    await userEvent.click(shadow.getByRole('button', { name: 'Start a call' }));
    await waitFor(() =>
      expect(args['elevenlabs-convai:error']).toHaveBeenCalledWith(
        expect.objectContaining({ message: 'Set agent-id or signed-url to choose an agent.' }),
      ),
    );
  },
};
