import { ElevenLabsConvai } from './convai-widget.ts';

/**
 * Registers the element as `<elevenlabs-convai>` (or another name). If the name is taken, for instance because the
 * official widget's script is also on the page, it warns once and leaves the existing element alone.
 */
export function defineConvaiWidget(tagName = 'elevenlabs-convai') {
  const existing = customElements.get(tagName);
  if (existing) {
    if (existing !== ElevenLabsConvai) {
      console.warn(
        `elevenkit: <${tagName}> is already defined on this page (another widget script?); keeping that one.`,
      );
    }
    return;
  }
  customElements.define(tagName, ElevenLabsConvai);
}

defineConvaiWidget();
