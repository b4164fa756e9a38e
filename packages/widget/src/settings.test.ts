import { describe, expect, it } from 'vitest';
import {
  configTarget,
  parseBoolean,
  resolveOrigin,
  resolveSettings,
  sessionOptions,
  type WidgetConfig,
} from './settings.ts';

/** Attributes as the element reads them, and the warnings it would print. */
function setup(attributes: Record<string, string> = {}) {
  const warnings: string[] = [];
  const attr = (name: string) => attributes[name] ?? null;
  const warn = (name: string, message: string) => warnings.push(`${name}: ${message}`);
  return { attr, warn, warnings };
}

const inputs = { userId: 'user-1', origin: { http: 'https://api.us.elevenlabs.io', ws: 'wss://api.us.elevenlabs.io' } };

describe('attribute > widget config > default', () => {
  it('uses the defaults with neither attributes nor config', () => {
    const { attr, warn, warnings } = setup();
    const settings = resolveSettings(attr, null, warn);
    expect(settings).toMatchObject({
      variant: 'compact',
      placement: 'bottom-right',
      transcript: false,
      textInput: false,
      expandable: false,
      micMuting: false,
      stripAudioTags: true,
      showConversationId: true,
      avatar: { type: 'orb', color1: '#2792dc', color2: '#9ce6e6' },
    });
    expect(settings.text.start_call).toBe('Start a call');
    expect(warnings).toEqual([]);
  });

  it('takes the fetched config over the defaults, and attributes over the config', () => {
    const config: WidgetConfig = {
      variant: 'full',
      placement: 'top-left',
      transcript_enabled: true,
      text_input_enabled: false,
      avatar: { type: 'orb', color_1: '#111111', color_2: '#222222' },
      text_contents: { start_call: 'Call us' },
    };
    const fromConfig = resolveSettings(setup().attr, config, () => {});
    expect(fromConfig).toMatchObject({ variant: 'full', placement: 'top-left', transcript: true, textInput: false });
    expect(fromConfig.text.start_call).toBe('Call us');

    const { attr, warn } = setup({
      variant: 'tiny',
      transcript: 'false',
      'text-input': 'true',
      'avatar-orb-color-1': 'red',
      'avatar-orb-color-2': 'blue',
      'text-contents': '{"start_call":"Talk now"}',
    });
    const fromAttributes = resolveSettings(attr, config, warn);
    expect(fromAttributes).toMatchObject({
      variant: 'tiny',
      placement: 'top-left',
      transcript: false,
      textInput: true,
      avatar: { type: 'orb', color1: 'red', color2: 'blue' },
    });
    expect(fromAttributes.text.start_call).toBe('Talk now');
  });

  it('ranks UI strings: text-contents > legacy attribute > language preset > config > legacy config field', () => {
    const config: WidgetConfig = {
      language: 'fr',
      start_call_text: 'legacy config',
      text_contents: { start_call: 'config', end_call: 'config end', main_label: 'config label' },
      language_presets: { fr: { text_contents: { start_call: 'Appeler', end_call: 'Raccrocher' } } },
    };
    expect(resolveSettings(setup().attr, config, () => {}).text).toMatchObject({
      start_call: 'Appeler',
      end_call: 'Raccrocher',
      main_label: 'config label',
    });
    const legacy = setup({ 'start-call-text': 'Legacy attribute', 'action-text': 'Questions?' });
    expect(resolveSettings(legacy.attr, config, legacy.warn).text).toMatchObject({
      start_call: 'Legacy attribute',
      main_label: 'Questions?',
    });
    const both = setup({ 'start-call-text': 'Legacy attribute', 'text-contents': '{"start_call":"JSON"}' });
    expect(resolveSettings(both.attr, config, both.warn).text.start_call).toBe('JSON');
  });

  it("reads the official widget's names for the end-of-call rating strings", () => {
    const config: WidgetConfig = {
      end_feedback: { type: 'rating' },
      text_contents: { initiate_feedback: '¿Qué tal?', thanks_for_feedback: '¡Gracias!' },
    };
    const settings = resolveSettings(setup().attr, config, () => {});
    expect(settings.feedback).toBe('rating');
    expect(settings.text).toMatchObject({ feedback_rating_question: '¿Qué tal?', feedback_thanks: '¡Gracias!' });
  });

  it('forces transcript and text input on, and muting off, for text-only agents', () => {
    const { attr, warn } = setup({ 'override-text-only': 'true', 'mic-muting': 'true', transcript: 'false' });
    expect(resolveSettings(attr, null, warn)).toMatchObject({
      textOnly: true,
      transcript: true,
      textInput: true,
      micMuting: false,
      expandable: true,
      stripAudioTags: false,
    });
  });

  it('prefers an avatar image over orb colours, and refuses non-http image URLs', () => {
    const image = setup({ 'avatar-image-url': 'https://example.com/a.png', 'avatar-orb-color-1': 'red' });
    expect(resolveSettings(image.attr, null, image.warn).avatar).toEqual({
      type: 'image',
      url: 'https://example.com/a.png',
    });
    const script = setup({ 'avatar-image-url': 'javascript:alert(1)' });
    expect(resolveSettings(script.attr, null, script.warn).avatar.type).toBe('orb');
    expect(script.warnings.some((w) => w.startsWith('avatar-image-url'))).toBe(true);
  });

  it('drops config colours that could escape a CSS declaration', () => {
    const config: WidgetConfig = {
      avatar: { type: 'orb', color_1: 'red;} body{display:none', color_2: '#fff' },
      styles: {
        accent: '#ff0000',
        base: 'url(https://evil.example/x)',
        base_hover: 'url(//evil.example/x)',
        base_border: 'image(//evil.example/x)',
        base_subtle: 'rgb(0 0 0 / 50%)',
        button_radius: 4,
      },
    };
    const settings = resolveSettings(setup().attr, config, () => {});
    expect(settings.avatar).toEqual({ type: 'orb', color1: '#2792dc', color2: '#fff' });
    expect(settings.styles).toEqual({
      '--el-accent': '#ff0000',
      '--el-base-subtle': 'rgb(0 0 0 / 50%)',
      '--el-button-radius': '4px',
    });
  });

  it('warns about an orb colour that is not a colour, and uses the config or default pair', () => {
    const { attr, warn, warnings } = setup({ 'avatar-orb-color-1': 'url(//x.example)', 'avatar-orb-color-2': 'blue' });
    expect(resolveSettings(attr, null, warn).avatar).toEqual({ type: 'orb', color1: '#2792dc', color2: '#9ce6e6' });
    expect(warnings).toEqual(['avatar-orb-color-1: expects a CSS colour; got "url(//x.example)".']);
  });
});

describe('invalid values', () => {
  it('fall back to config or default with a warning that names the attribute', () => {
    const { attr, warn, warnings } = setup({
      variant: 'huge',
      placement: 'middle',
      transcript: 'yes',
      'text-contents': '{not json',
    });
    const settings = resolveSettings(attr, { variant: 'full' }, warn);
    expect(settings.variant).toBe('full');
    expect(settings.placement).toBe('bottom-right');
    expect(settings.transcript).toBe(false);
    expect(warnings.map((w) => w.split(':')[0]).sort()).toEqual([
      'placement',
      'text-contents',
      'transcript',
      'variant',
    ]);
  });

  it('accept only "true", "false" and the bare attribute as booleans', () => {
    const warnings: string[] = [];
    const warn = (name: string) => warnings.push(name);
    expect(parseBoolean('x', 'true', warn)).toBe(true);
    expect(parseBoolean('x', 'FALSE', warn)).toBe(false);
    expect(parseBoolean('x', '', warn)).toBe(true);
    expect(parseBoolean('x', null, warn)).toBeUndefined();
    expect(parseBoolean('x', '1', warn)).toBeUndefined();
    expect(warnings).toEqual(['x']);
  });
});

describe('origin', () => {
  it('maps server-location as the official widget, and lets origin win', () => {
    expect(resolveOrigin(setup().attr, () => {})).toEqual({
      http: 'https://api.us.elevenlabs.io',
      ws: 'wss://api.us.elevenlabs.io',
    });
    expect(resolveOrigin(setup({ 'server-location': 'eu-residency' }).attr, () => {}).http).toBe(
      'https://api.eu.residency.elevenlabs.io',
    );
    const both = setup({ 'server-location': 'eu-residency', origin: 'http://127.0.0.1:5173/ignored/path' });
    expect(resolveOrigin(both.attr, both.warn)).toEqual({ http: 'http://127.0.0.1:5173', ws: 'ws://127.0.0.1:5173' });
  });

  it('warns about an unknown server-location or a malformed origin and uses ElevenLabs (us)', () => {
    const { attr, warn, warnings } = setup({ 'server-location': 'mars', origin: 'not a url' });
    expect(resolveOrigin(attr, warn).http).toBe('https://api.us.elevenlabs.io');
    expect(warnings.map((w) => w.split(':')[0])).toEqual(['origin', 'server-location']);
  });
});

describe('session options', () => {
  it('speaks the `language` attribute when the agent offers it, as the official widget does', () => {
    const config: WidgetConfig = { language: 'en', supported_language_overrides: ['es', 'fr'] };
    const agent = (attributes: Record<string, string>) => {
      const { attr, warn } = setup({ 'agent-id': 'agent_1', ...attributes });
      return sessionOptions(attr, resolveSettings(attr, config, warn), inputs, warn)?.overrides?.agent;
    };
    expect(agent({ language: 'es' })).toEqual({ language: 'es' });
    expect(agent({ language: 'de' })).toEqual({}); // not offered: the UI may change, the agent does not
    expect(agent({ language: 'en' })).toEqual({}); // the agent's own
    expect(agent({ language: 'es', 'override-language': 'fr' })).toEqual({ language: 'fr' });
  });

  it('talks to a public agent by id over WebSocket at the origin, with the overrides the attributes set', () => {
    const { attr, warn } = setup({
      'agent-id': 'agent_1',
      'dynamic-variables': '{"user_name":"Ada"}',
      'override-prompt': 'Be brief.',
      'override-first-message': 'Hi Ada',
      'override-language': 'fr',
      'override-voice-id': 'voice_1',
      'override-speed': '1.1',
      'override-stability': '0.5',
      'override-similarity-boost': '2',
      environment: 'staging',
      'worklet-path-raw-audio-processor': '/worklets/rawAudioProcessor.js',
    });
    const warnings: string[] = [];
    const options = sessionOptions(attr, resolveSettings(attr, null, warn), inputs, (name) => warnings.push(name));
    expect(options).toEqual({
      agentId: 'agent_1',
      origin: 'wss://api.us.elevenlabs.io',
      connectionType: 'websocket',
      overrides: {
        agent: { prompt: { prompt: 'Be brief.', llm: undefined }, firstMessage: 'Hi Ada', language: 'fr' },
        tts: { voiceId: 'voice_1', speed: 1.1, stability: 0.5 },
      },
      dynamicVariables: { user_name: 'Ada' },
      userId: 'user-1',
      environment: 'staging',
      workletPaths: { rawAudioProcessor: '/worklets/rawAudioProcessor.js', audioConcatProcessor: undefined },
    });
    expect(warnings).toEqual(['override-similarity-boost']);
  });

  it('prefers agent-id over signed-url, as the official widget, and uses signed-url alone', () => {
    const both = setup({ 'agent-id': 'a', 'signed-url': 'wss://x.example/v1/convai/conversation?agent_id=b' });
    expect(sessionOptions(both.attr, resolveSettings(both.attr, null, both.warn), inputs, both.warn)).toMatchObject({
      agentId: 'a',
    });
    const signed = setup({
      'signed-url': 'wss://x.example/v1/convai/conversation?agent_id=b&conversation_signature=s',
    });
    expect(
      sessionOptions(signed.attr, resolveSettings(signed.attr, null, signed.warn), inputs, signed.warn),
    ).toMatchObject({
      signedUrl: 'wss://x.example/v1/convai/conversation?agent_id=b&conversation_signature=s',
      connectionType: 'websocket',
    });
    expect(configTarget(signed.attr)).toEqual({ agentId: 'b', signature: 's' });
  });

  it('asks the signed-URL endpoint when one is named, and WebRTC only for agent ids', () => {
    const endpoint = setup({
      'agent-id': 'private',
      'signed-url-endpoint': '/api/elevenlabs/signed-url',
      'use-rtc': 'true',
    });
    expect(
      sessionOptions(endpoint.attr, resolveSettings(endpoint.attr, null, endpoint.warn), inputs, endpoint.warn),
    ).toMatchObject({
      agentId: 'private',
      signedUrlEndpoint: '/api/elevenlabs/signed-url',
      connectionType: 'websocket',
    });
    const rtc = setup({ 'agent-id': 'a', 'use-rtc': 'true' });
    expect(sessionOptions(rtc.attr, resolveSettings(rtc.attr, null, rtc.warn), inputs, rtc.warn)).toMatchObject({
      connectionType: 'webrtc',
    });
  });

  it('is null without an agent to talk to', () => {
    const { attr, warn } = setup();
    expect(sessionOptions(attr, resolveSettings(attr, null, warn), inputs, warn)).toBeNull();
  });

  it('sends text-only sessions as text only', () => {
    const { attr, warn } = setup({ 'agent-id': 'a', 'override-text-only': 'true' });
    expect(sessionOptions(attr, resolveSettings(attr, null, warn), inputs, warn)).toMatchObject({
      textOnly: true,
      overrides: { conversation: { textOnly: true } },
    });
  });
});
