// Storybook args from a custom-elements manifest (custom-elements.json, generated from the element's JSDoc), so a
// story documents the element's attributes, events, CSS parts and CSS custom properties without writing them twice;
// and the props that put those args on the element. Not a library export.
import type { ArgTypes } from '@storybook/react-vite';
import type { Attribute, ClassDeclaration, CustomElement, Package } from 'custom-elements-manifest/schema';

export const CATEGORY = {
  attributes: 'attributes',
  events: 'events',
  cssProperties: 'CSS custom properties',
  cssParts: 'CSS parts',
} as const;

/** A custom element class in a manifest (the schema's own CustomElementDeclaration type leaves out CustomElement). */
export type CustomElementDeclaration = ClassDeclaration & CustomElement;

/** The declaration of `tagName` in the manifest; throws if the manifest has none (a stale or wrong manifest). */
export function findElement(manifest: Package, tagName: string): CustomElementDeclaration {
  for (const module of manifest.modules) {
    for (const declaration of module.declarations ?? []) {
      if (declaration.kind !== 'class' || !('customElement' in declaration)) continue;
      const element = declaration as CustomElementDeclaration;
      if (element.customElement && element.tagName === tagName) return element;
    }
  }
  throw new Error(`The custom-elements manifest has no <${tagName}>.`);
}

/** The backquoted values a description opens with: "`tiny`, `compact` (default) or `full`." → the three, and which is default. */
function listedChoices(description: string) {
  const list = description.match(/^((?:`[^`]+`(?: \(default\))?(?:, | or )?)+)\./)?.[1];
  if (!list) return null;
  const options = [...list.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
  const fallback = list.match(/`([^`]+)` \(default\)/)?.[1];
  return options.length > 1 ? { options, fallback } : null;
}

/** String literals of a union type such as `'tiny' | 'compact' | 'full'`. */
function unionChoices(type: string | undefined) {
  const parts = type?.split('|').map((part) => part.trim().match(/^(['"])(.*)\1$/)?.[2]);
  return parts && parts.length > 1 && parts.every((part) => part !== undefined) ? (parts as string[]) : null;
}

/**
 * A control for an attribute. The manifest's type wins when the JSDoc gives one (`@attr {'a' | 'b'} name`); without
 * one, the description's conventions decide: "`true` …" is a boolean, a list of backquoted values is a choice, "JSON"
 * is an object, "a–b" is a number range, "colour" is a colour; anything else is text.
 */
export function attributeControl(attribute: Attribute): ArgTypes[string] {
  const description = attribute.description ?? '';
  const type = attribute.type?.text;
  const table = { category: CATEGORY.attributes };
  const choices = unionChoices(type) ?? listedChoices(description)?.options;
  if (choices) {
    const fallback = attribute.default ?? listedChoices(description)?.fallback;
    return {
      control: 'select',
      options: choices,
      table: {
        ...table,
        type: { summary: choices.map((choice) => JSON.stringify(choice)).join(' | ') },
        ...(fallback ? { defaultValue: { summary: JSON.stringify(fallback) } } : {}),
      },
    };
  }
  if (type === 'boolean' || /^`(true|false)`/.test(description)) {
    return { control: 'boolean', table: { ...table, type: { summary: '"true" | "false"' } } };
  }
  if (/\bJSON\b/.test(description)) {
    return { control: 'object', table: { ...table, type: { summary: 'JSON' } } };
  }
  const range = description.match(/(\d+(?:\.\d+)?)–(\d+(?:\.\d+)?)/);
  if (type === 'number' || range) {
    const [min, max] = range ? [Number(range[1]), Number(range[2])] : [undefined, undefined];
    return {
      control: { type: 'number', min, max, step: max !== undefined && max <= 1 ? 0.05 : 0.1 },
      table: { ...table, type: { summary: range ? `number, ${range[1]}–${range[2]}` : 'number' } },
    };
  }
  if (/\bcolou?r\b/i.test(description)) {
    return { control: 'color', table: { ...table, type: { summary: 'CSS colour' } } };
  }
  return { control: 'text', table: { ...table, type: { summary: type ?? 'string' } } };
}

/** Custom properties of sizes and fonts take text; the rest of the `--el-*` theme are colours. */
const isTextProperty = (name: string) => /radius|padding|font|size|width|height|gap/.test(name);

/** argTypes for every attribute, event, CSS custom property and CSS part of the element, in that order. */
export function customElementArgTypes(element: CustomElementDeclaration): ArgTypes {
  const argTypes: ArgTypes = {};
  for (const attribute of element.attributes ?? []) {
    argTypes[attribute.name] = {
      name: attribute.name,
      description: attribute.description,
      ...attributeControl(attribute),
    };
  }
  for (const event of element.events ?? []) {
    argTypes[event.name] = {
      name: event.name,
      description: event.description,
      control: false,
      table: { category: CATEGORY.events, type: { summary: event.type?.text ?? 'CustomEvent' } },
    };
  }
  for (const property of element.cssProperties ?? []) {
    argTypes[property.name] = {
      name: property.name,
      description: property.description,
      control: isTextProperty(property.name) ? 'text' : 'color',
      table: {
        category: CATEGORY.cssProperties,
        type: { summary: isTextProperty(property.name) ? 'CSS value' : 'CSS colour' },
        ...(property.default ? { defaultValue: { summary: property.default } } : {}),
      },
    };
  }
  for (const part of element.cssParts ?? []) {
    argTypes[`::part(${part.name})`] = {
      name: `::part(${part.name})`,
      description: part.description,
      control: false,
      table: { category: CATEGORY.cssParts },
    };
  }
  return argTypes;
}

export type ElementArgs = Record<string, unknown>;

/**
 * What the args put on the element: attributes as strings (booleans as "true"/"false", objects as JSON, unset args
 * left off), custom properties as inline style, and the events that have a function arg.
 */
export function elementProps(element: CustomElementDeclaration, args: ElementArgs) {
  const attributes: Record<string, string> = {};
  for (const { name } of element.attributes ?? []) {
    const value = args[name];
    if (value === undefined || value === null || value === '') continue;
    attributes[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  const style: Record<string, string> = {};
  for (const { name } of element.cssProperties ?? []) {
    const value = args[name];
    if (typeof value === 'string' && value) style[name] = value;
  }
  /** Each event's arg is called with the event's `detail`. */
  const listeners: [string, (detail: unknown) => void][] = [];
  for (const { name } of element.events ?? []) {
    const listener = args[name];
    if (typeof listener === 'function') listeners.push([name, listener as (detail: unknown) => void]);
  }
  return { attributes, style, listeners };
}
