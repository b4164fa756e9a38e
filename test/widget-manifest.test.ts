// custom-elements.json is generated from the widget's JSDoc; this keeps the committed file equal to what the
// analyzer makes now, so the manifest (and the Storybook docs built from it) never drift from the code.
import { readFile } from 'node:fs/promises';
import type { Package, VariableDeclaration } from 'custom-elements-manifest/schema';
import { describe, expect, it } from 'vitest';
import { analyze, generateManifest, manifestPath } from '../packages/widget/scripts/manifest.mjs';
import { CATEGORY, customElementArgTypes, elementProps, findElement } from '../stories/custom-element-args.ts';

describe('custom-elements.json', () => {
  it('is what the analyzer makes from the JSDoc now (run `node packages/widget/scripts/manifest.mjs`)', async () => {
    expect(await readFile(manifestPath, 'utf8')).toBe(await generateManifest());
  }, 30_000);

  it('documents every attribute the element observes, every event and the theming hooks', async () => {
    const manifest: Package = await analyze();
    const declarations = manifest.modules.flatMap((module) => module.declarations ?? []);
    const element = findElement(manifest, 'elevenlabs-convai');
    // ATTRIBUTES (what the element observes) as the analyzer read it from the source.
    const observed = declarations.find((d): d is VariableDeclaration => d.name === 'ATTRIBUTES')?.default ?? '';
    const names = [...observed.matchAll(/'([a-z0-9-]+)'/g)].map((match) => match[1]);
    expect(names.length).toBeGreaterThan(40);
    const documented = element.attributes?.map((attribute) => attribute.name) ?? [];
    expect(documented.toSorted()).toEqual(names.toSorted());
    expect(element.attributes?.every((attribute) => attribute.description)).toBe(true);

    const events = element.events?.map((event) => event.name) ?? [];
    expect(events).toContain('elevenlabs-convai:call');
    expect(events.every((name) => name.startsWith('elevenlabs-convai:'))).toBe(true);
    expect(element.cssParts?.map((part) => part.name)).toContain('launcher');
    expect(element.cssProperties?.map((property) => property.name)).toContain('--el-accent');
    // Only the public API: no #private fields or @state()s.
    expect(element.members?.every((member) => !member.name.startsWith('#') && member.privacy !== 'private')).toBe(true);
  });
});

describe('Storybook args from custom-elements.json', () => {
  it('gives each attribute a control that fits it, from the JSDoc alone', async () => {
    const argTypes = customElementArgTypes(findElement(await analyze(), 'elevenlabs-convai'));
    expect(argTypes['variant']).toMatchObject({ control: 'select', options: ['tiny', 'compact', 'full'] });
    expect(argTypes['variant']?.table?.defaultValue).toEqual({ summary: '"compact"' });
    expect(argTypes['placement']?.options).toHaveLength(6);
    expect(argTypes['server-location']?.options).toEqual(['us', 'global', 'eu-residency', 'in-residency']);
    expect(argTypes['override-text-only']?.control).toBe('boolean');
    expect(argTypes['show-conversation-id']?.control).toBe('boolean');
    expect(argTypes['override-config']?.control).toBe('object');
    expect(argTypes['override-speed']?.control).toMatchObject({ type: 'number', min: 0.7, max: 5 });
    expect(argTypes['avatar-orb-color-1']?.control).toBe('color');
    expect(argTypes['agent-id']).toMatchObject({
      control: 'text',
      description: expect.stringContaining('public agent'),
    });
    expect(argTypes['elevenlabs-convai:connect']).toMatchObject({
      control: false,
      table: { category: CATEGORY.events },
    });
    expect(argTypes['--el-accent']).toMatchObject({ control: 'color', table: { category: CATEGORY.cssProperties } });
    expect(argTypes['--el-button-radius']?.control).toBe('text');
    expect(argTypes['::part(launcher)']).toMatchObject({ control: false, table: { category: CATEGORY.cssParts } });
  });

  it('puts args on the element as attribute strings, inline custom properties and listeners', async () => {
    const element = findElement(await analyze(), 'elevenlabs-convai');
    const listener = () => {};
    const props = elementProps(element, {
      'agent-id': 'demo',
      'signed-url': '',
      'override-text-only': true,
      'show-conversation-id': false,
      'override-speed': 1.2,
      'dynamic-variables': { name: 'Ada' },
      '--el-accent': '#0f766e',
      'elevenlabs-convai:connect': listener,
      'not-an-attribute': 'x',
    });
    expect(props.attributes).toEqual({
      'agent-id': 'demo',
      'override-text-only': 'true',
      'show-conversation-id': 'false',
      'override-speed': '1.2',
      'dynamic-variables': '{"name":"Ada"}',
    });
    expect(props.style).toEqual({ '--el-accent': '#0f766e' });
    expect(props.listeners).toEqual([['elevenlabs-convai:connect', listener]]);
  });
});
