// Inline CSS properties written through the CSSOM only. Lit's `styleMap` writes a `style` attribute on the first
// render, which a strict Content-Security-Policy (no 'unsafe-inline' for style-src-attr) blocks, so the avatar's
// colours and the config's `--el-*` styles were lost on such pages; `element.style.setProperty` is not blocked.
import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

class StyleProperties extends Directive {
  #names = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('styleProperties goes on an element: <div ${…}>.');
  }

  /** Declares the argument; everything happens in `update`, on the live element. */
  render(properties: Record<string, string>) {
    void properties;
    return noChange;
  }

  override update(part: ElementPart, [properties]: [Record<string, string>]) {
    const { style } = part.element as HTMLElement;
    for (const name of this.#names) if (!(name in properties)) style.removeProperty(name);
    for (const [name, value] of Object.entries(properties)) style.setProperty(name, value);
    this.#names = new Set(Object.keys(properties));
    return noChange;
  }
}

/** Sets CSS properties (dash-case names, custom properties included) on the element it is placed on. */
export const styleProperties = directive(StyleProperties);
