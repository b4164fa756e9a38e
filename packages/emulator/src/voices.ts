// The voices text to speech can use and `GET /v1/voices` lists. The built-in ones carry the ids of ElevenLabs'
// premade voices, so code written against the emulator keeps working with a real key; every voice speaks the
// same deterministic signal (see speech.ts), only its stored settings differ.
import type { TtsFaults } from './tts-faults.ts';

/** `voice_settings` (audio.md §1.4); all optional in a request. */
export interface VoiceSettings {
  stability: number;
  similarity_boost: number;
  style: number;
  use_speaker_boost: boolean;
  /** 0.7–1.2; the emulator's speech gets slower or faster with it (character slots of 100 ms … 58 ms). */
  speed: number;
}

/** A voice as given in `EmulatorOptions.voices`. Only `voice_id` is required. */
export interface VoiceDefinition {
  voice_id: string;
  name?: string;
  description?: string;
  labels?: Record<string, string>;
  /** Stored settings; a request's `voice_settings` override them field by field. */
  settings?: Partial<VoiceSettings>;
  /** Faults on every request to this voice (see `TtsFaults`). */
  faults?: TtsFaults;
}

export type Voice = Required<Omit<VoiceDefinition, 'settings' | 'faults'>> & {
  settings: VoiceSettings;
  faults: TtsFaults;
};

export const DEFAULT_VOICE_SETTINGS: VoiceSettings = {
  stability: 0.5,
  similarity_boost: 0.75,
  style: 0,
  use_speaker_boost: true,
  speed: 1,
};

export const BUILT_IN_VOICES: readonly VoiceDefinition[] = [
  {
    voice_id: '21m00Tcm4TlvDq8ikWAM',
    name: 'Rachel',
    description: 'Calm young American woman; narration.',
    labels: { accent: 'american', gender: 'female', age: 'young', use_case: 'narration' },
  },
  {
    voice_id: 'JBFqnCBsd6RMkjVDRZzb',
    name: 'George',
    description: 'Warm middle-aged British man; narration.',
    labels: { accent: 'british', gender: 'male', age: 'middle_aged', use_case: 'narration' },
  },
  {
    voice_id: 'EXAVITQu4vr4xnSDxMaL',
    name: 'Sarah',
    description: 'Soft young American woman; news.',
    labels: { accent: 'american', gender: 'female', age: 'young', use_case: 'news' },
  },
  {
    voice_id: 'emulator-voice',
    name: 'Emulator',
    description: 'The default voice of emulated agents.',
    labels: { use_case: 'testing' },
  },
];

export class VoiceConfigError extends Error {
  override name = 'VoiceConfigError';
}

/** Fills defaults; throws a sentence naming the voice and field on bad input. */
export function resolveVoice(definition: VoiceDefinition): Voice {
  const id = definition?.voice_id;
  if (typeof id !== 'string' || !/^[\w-]{1,128}$/.test(id)) {
    throw new VoiceConfigError(`Voice ids must be 1–128 letters, digits, "_" or "-"; got ${JSON.stringify(id)}.`);
  }
  const settings = { ...DEFAULT_VOICE_SETTINGS, ...definition.settings };
  const problem = checkVoiceSettings(settings);
  if (problem) throw new VoiceConfigError(`Voice "${id}": settings.${problem.field} must be ${problem.expected}.`);
  return {
    voice_id: id,
    name: definition.name ?? id,
    description: definition.description ?? '',
    labels: definition.labels ?? {},
    settings,
    faults: definition.faults ?? {},
  };
}

/** The first out-of-range field of (partial) voice settings, if any. */
export function checkVoiceSettings(
  settings: Record<string, unknown>,
): { field: keyof VoiceSettings; expected: string; value: unknown } | undefined {
  for (const field of ['stability', 'similarity_boost', 'style', 'speed'] as const) {
    const v = settings[field];
    if (v === undefined || v === null) continue;
    const [min, max] = field === 'speed' ? [0.7, 1.2] : [0, 1];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      return { field, expected: `a number from ${min} to ${max}`, value: v };
    }
  }
  const boost = settings.use_speaker_boost;
  if (boost !== undefined && boost !== null && typeof boost !== 'boolean') {
    return { field: 'use_speaker_boost', expected: 'true or false', value: boost };
  }
  return undefined;
}

/** The `GET /v1/voices` entry (`VoiceResponseModel`, the fields the emulator can fill). */
export function voiceJson(v: Voice) {
  return {
    voice_id: v.voice_id,
    name: v.name,
    samples: null,
    category: 'premade',
    fine_tuning: null,
    labels: v.labels,
    description: v.description,
    preview_url: null,
    available_for_tiers: [],
    settings: v.settings,
    sharing: null,
    high_quality_base_model_ids: ['eleven_multilingual_v2', 'eleven_flash_v2_5', 'eleven_turbo_v2_5'],
    verified_languages: [],
    safety_control: null,
    voice_verification: null,
    permission_on_resource: null,
    is_owner: false,
    is_legacy: false,
    is_mixed: false,
    favorited_at_unix: null,
    created_at_unix: null,
  };
}
