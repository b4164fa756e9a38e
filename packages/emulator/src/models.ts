// The models `GET /v1/models` lists, with the per-request character limits text to speech enforces
// (audio.md §1.9). Only text-to-speech models synthesise; the others are listed so clients can tell them apart.

export interface Model {
  model_id: string;
  name: string;
  description: string;
  can_do_text_to_speech: boolean;
  can_do_voice_conversion: boolean;
  can_use_style: boolean;
  can_use_speaker_boost: boolean;
  /** Characters one text-to-speech request may carry. */
  maximum_text_length_per_request: number;
  /** `language_code` is honoured (ElevenLabs: only Turbo v2.5 and Flash v2.5); other models ignore it. */
  language_enforcement: boolean;
  /** `apply_text_normalization: "auto"` normalises (Flash and Turbo v2.5 skip it for latency, and refuse "on"). */
  normalizes_by_default: boolean;
  languages: string[];
  concurrency_group: 'standard' | 'turbo';
  character_cost_multiplier: number;
}

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  ja: 'Japanese',
  zh: 'Chinese',
  de: 'German',
  hi: 'Hindi',
  fr: 'French',
  ko: 'Korean',
  pt: 'Portuguese',
  it: 'Italian',
  es: 'Spanish',
  id: 'Indonesian',
  nl: 'Dutch',
  tr: 'Turkish',
  fil: 'Filipino',
  pl: 'Polish',
  sv: 'Swedish',
  bg: 'Bulgarian',
  ro: 'Romanian',
  ar: 'Arabic',
  cs: 'Czech',
  el: 'Greek',
  fi: 'Finnish',
  hr: 'Croatian',
  ms: 'Malay',
  sk: 'Slovak',
  da: 'Danish',
  ta: 'Tamil',
  uk: 'Ukrainian',
  ru: 'Russian',
  hu: 'Hungarian',
  no: 'Norwegian',
  vi: 'Vietnamese',
};
const V2_LANGUAGES = Object.keys(LANGUAGE_NAMES).filter((code) => !['hu', 'no', 'vi'].includes(code));
const V25_LANGUAGES = Object.keys(LANGUAGE_NAMES);

const tts = (
  model: Pick<Model, 'model_id' | 'name' | 'description' | 'maximum_text_length_per_request' | 'languages'> &
    Partial<Model>,
): Model => ({
  can_do_text_to_speech: true,
  can_do_voice_conversion: false,
  can_use_style: false,
  can_use_speaker_boost: true,
  language_enforcement: false,
  normalizes_by_default: true,
  concurrency_group: 'standard',
  character_cost_multiplier: 1,
  ...model,
});

export const MODELS: readonly Model[] = [
  tts({
    model_id: 'eleven_multilingual_v2',
    name: 'Eleven Multilingual v2',
    description: 'Most lifelike, emotionally rich speech in 29 languages.',
    maximum_text_length_per_request: 10_000,
    languages: V2_LANGUAGES,
    can_use_style: true,
  }),
  tts({
    model_id: 'eleven_flash_v2_5',
    name: 'Eleven Flash v2.5',
    description: 'Ultra-low latency speech in 32 languages.',
    maximum_text_length_per_request: 40_000,
    languages: V25_LANGUAGES,
    language_enforcement: true,
    normalizes_by_default: false,
    concurrency_group: 'turbo',
    character_cost_multiplier: 0.5,
  }),
  tts({
    model_id: 'eleven_flash_v2',
    name: 'Eleven Flash v2',
    description: 'Ultra-low latency English speech.',
    maximum_text_length_per_request: 30_000,
    languages: ['en'],
    concurrency_group: 'turbo',
    character_cost_multiplier: 0.5,
  }),
  tts({
    model_id: 'eleven_turbo_v2_5',
    name: 'Eleven Turbo v2.5',
    description: 'Low latency speech in 32 languages (outclassed by Flash v2.5).',
    maximum_text_length_per_request: 40_000,
    languages: V25_LANGUAGES,
    language_enforcement: true,
    normalizes_by_default: false,
    concurrency_group: 'turbo',
    character_cost_multiplier: 0.5,
  }),
  {
    model_id: 'eleven_multilingual_sts_v2',
    name: 'Eleven Multilingual v2 (speech to speech)',
    description: 'Voice changer: speech to speech in 29 languages.',
    can_do_text_to_speech: false,
    can_do_voice_conversion: true,
    can_use_style: true,
    can_use_speaker_boost: true,
    maximum_text_length_per_request: 10_000,
    language_enforcement: false,
    normalizes_by_default: false,
    languages: V2_LANGUAGES,
    concurrency_group: 'standard',
    character_cost_multiplier: 1,
  },
];

export const DEFAULT_MODEL_ID = 'eleven_multilingual_v2';

export const findModel = (id: string) => MODELS.find((m) => m.model_id === id);

/** The `GET /v1/models` entry (`ModelResponseModel`). */
export function modelJson(m: Model) {
  return {
    model_id: m.model_id,
    name: m.name,
    can_be_finetuned: false,
    can_do_text_to_speech: m.can_do_text_to_speech,
    can_do_voice_conversion: m.can_do_voice_conversion,
    can_use_style: m.can_use_style,
    can_use_speaker_boost: m.can_use_speaker_boost,
    serves_pro_voices: false,
    token_cost_factor: m.character_cost_multiplier,
    description: m.description,
    requires_alpha_access: false,
    max_characters_request_free_user: Math.min(2_500, m.maximum_text_length_per_request),
    max_characters_request_subscribed_user: m.maximum_text_length_per_request,
    maximum_text_length_per_request: m.maximum_text_length_per_request,
    languages: m.languages.map((language_id) => ({ language_id, name: LANGUAGE_NAMES[language_id] ?? language_id })),
    model_rates: { character_cost_multiplier: m.character_cost_multiplier },
    concurrency_group: m.concurrency_group,
  };
}
