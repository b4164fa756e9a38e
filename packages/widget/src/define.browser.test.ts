// defineConvaiWidget: the module registers <elevenlabs-convai>; another name works as well, and twice is harmless.
import { expect, it, vi } from 'vitest';
import { ElevenLabsConvai } from './convai-widget.ts';
import { defineConvaiWidget } from './define.ts';

it('registers <elevenlabs-convai> on import, and the same element under another name when asked', async () => {
  expect(customElements.get('elevenlabs-convai')).toBe(ElevenLabsConvai);
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  defineConvaiWidget('acme-voice');
  defineConvaiWidget('acme-voice');
  defineConvaiWidget();
  expect(warn).not.toHaveBeenCalled();
  const element = document.createElement('acme-voice');
  expect(element).toBeInstanceOf(ElevenLabsConvai);
  element.setAttribute('override-config', JSON.stringify({ variant: 'compact', text_contents: {} }));
  document.body.append(element);
  await (element as ElevenLabsConvai).updateComplete;
  expect(element.shadowRoot?.querySelector('aside')).not.toBeNull();
  element.remove();
  warn.mockRestore();
});
