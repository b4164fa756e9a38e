import { ElevenLabsConvai } from './convai-widget.ts';

/**
 * Registers the element as `<elevenlabs-convai>` (or another name). If the name is taken, for instance because the
 * official widget's script is also on the page, it warns once and leaves the existing element alone. Importing this
 * module registers `<elevenlabs-convai>`; call it again for another name as well.
 */
export function defineConvaiWidget(tagName = 'elevenlabs-convai') {
  const existing = customElements.get(tagName);
  if (existing) {
    if (existing !== ElevenLabsConvai && !(existing.prototype instanceof ElevenLabsConvai)) {
      console.warn(
        `elevenkit: <${tagName}> is already defined on this page (another widget script?); keeping that one.`,
      );
    }
    return;
  }
  // A class is registered under one name only (this module already registered it as <elevenlabs-convai>).
  const element = tagName === 'elevenlabs-convai' ? ElevenLabsConvai : class extends ElevenLabsConvai {};
  customElements.define(tagName, element);
}

defineConvaiWidget();
