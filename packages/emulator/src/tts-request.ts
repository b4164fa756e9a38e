// Validation of text-to-speech requests (audio.md §1.2–1.4, §1.9–1.10), shared by the REST routes and the
// stream-input WebSocket. Schema problems come out as FastAPI's 422 list (`{"detail":[{type, loc, msg}]}`), as
// ElevenLabs' validation errors do; rule violations as ElevenLabs' `{"detail":{"status","message"}}`.
import { DEFAULT_MODEL_ID, findModel, type Model } from './models.ts';
import { DEFAULT_OUTPUT_FORMAT, parseOutputFormat, type OutputFormat } from './output-format.ts';
import { checkVoiceSettings, type Voice, type VoiceSettings } from './voices.ts';

/** One FastAPI validation problem. */
export interface FieldProblem {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

/** A refusal: the HTTP status, ElevenLabs' `detail.status` code and a sentence. */
export interface TtsRefusal {
  status: number;
  code: string;
  message: string;
}

export interface TtsRequest {
  voice: Voice;
  model: Model;
  text: string;
  format: OutputFormat;
  /** The voice's stored settings with the request's over them. */
  voiceSettings: VoiceSettings;
  /** Whether numbers are spelled out (`apply_text_normalization`, the model, `optimize_streaming_latency` 4). */
  normalize: boolean;
  languageCode: string | null;
  seed: number | null;
  enableLogging: boolean;
  optimizeStreamingLatency: number | null;
  previousText: string | null;
  nextText: string | null;
  previousRequestIds: string[];
  nextRequestIds: string[];
}

export type Parsed<T> =
  { ok: true; value: T } | { ok: false; problems: FieldProblem[] } | { ok: false; refusal: TtsRefusal };

export const refusal = (status: number, code: string, message: string): TtsRefusal => ({ status, code, message });

const BOOLEAN_TRUE = ['true', '1', 'yes', 'on', 't', 'y'];
const BOOLEAN_FALSE = ['false', '0', 'no', 'off', 'f', 'n'];

/** The query parameters every TTS endpoint shares; problems are pushed onto `problems`. */
export function readTtsQuery(query: URLSearchParams, problems: FieldProblem[]) {
  const bool = (name: string, fallback: boolean) => {
    const v = query.get(name);
    if (v === null) return fallback;
    if (BOOLEAN_TRUE.includes(v.toLowerCase())) return true;
    if (BOOLEAN_FALSE.includes(v.toLowerCase())) return false;
    problems.push({
      type: 'bool_parsing',
      loc: ['query', name],
      msg: 'Input should be a valid boolean, unable to interpret input',
      input: v,
    });
    return fallback;
  };
  const int = (name: string, min: number, max: number) => {
    const v = query.get(name);
    if (v === null || v === '') return null;
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) {
      problems.push({
        type: 'int_parsing',
        loc: ['query', name],
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: v,
      });
      return null;
    }
    if (n < min || n > max) {
      problems.push({
        type: n < min ? 'greater_than_equal' : 'less_than_equal',
        loc: ['query', name],
        msg: `Input should be ${n < min ? 'greater than or equal to' : 'less than or equal to'} ${n < min ? min : max}`,
        input: v,
      });
      return null;
    }
    return n;
  };
  const formatName = query.get('output_format') || DEFAULT_OUTPUT_FORMAT;
  const format = parseOutputFormat(formatName);
  if (!format) {
    problems.push({
      type: 'enum',
      loc: ['query', 'output_format'],
      msg: 'Input should be one of the output formats: mp3_44100_128, pcm_16000, ulaw_8000, … (see audio.md §1.2)',
      input: formatName,
    });
  }
  return {
    format,
    enableLogging: bool('enable_logging', true),
    optimizeStreamingLatency: int('optimize_streaming_latency', 0, 4),
  };
}

/** `voice_settings` from a body or WebSocket message, checked; problems are located under `loc`. */
export function readVoiceSettings(
  value: unknown,
  loc: (string | number)[],
  problems: FieldProblem[],
): Partial<VoiceSettings> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({
      type: 'model_type',
      loc,
      msg: 'Input should be a valid dictionary or instance of VoiceSettings',
      input: value,
    });
    return {};
  }
  const settings = value as Record<string, unknown>;
  const problem = checkVoiceSettings(settings);
  if (problem) {
    problems.push({
      type: 'value_error',
      loc: [...loc, problem.field],
      msg: `Value error, ${problem.field} must be ${problem.expected}`,
      input: problem.value,
    });
    return {};
  }
  const out: Partial<VoiceSettings> = {};
  for (const key of ['stability', 'similarity_boost', 'style', 'use_speaker_boost', 'speed'] as const) {
    if (settings[key] !== undefined && settings[key] !== null) Object.assign(out, { [key]: settings[key] });
  }
  return out;
}

/** Model rules: it must exist and do text to speech. */
export function checkModel(modelId: string): { model: Model } | { refusal: TtsRefusal } {
  const model = findModel(modelId);
  if (!model) return { refusal: refusal(400, 'model_not_found', `A model with model ID ${modelId} does not exist.`) };
  if (!model.can_do_text_to_speech) {
    return {
      refusal: refusal(
        400,
        'model_cannot_do_text_to_speech',
        `The model ${modelId} cannot do text to speech; see GET /v1/models (can_do_text_to_speech).`,
      ),
    };
  }
  return { model };
}

/** Whether to spell numbers out, or a refusal for `on` with a model that never normalises. */
export function textNormalization(
  mode: 'auto' | 'on' | 'off',
  model: Model,
  optimizeStreamingLatency: number | null,
): { normalize: boolean } | { refusal: TtsRefusal } {
  if (mode === 'on' && !model.normalizes_by_default) {
    return {
      refusal: refusal(
        400,
        'unsupported_text_normalization',
        `apply_text_normalization cannot be 'on' for ${model.model_id}.`,
      ),
    };
  }
  if (mode === 'off' || optimizeStreamingLatency === 4) return { normalize: false };
  return { normalize: mode === 'on' || model.normalizes_by_default };
}

/** `language_code` is enforced by models that can (then it must be one of theirs) and ignored by the others. */
export function checkLanguage(code: string | null, model: Model): TtsRefusal | undefined {
  if (code === null || !model.language_enforcement || model.languages.includes(code)) return undefined;
  return refusal(
    400,
    'unsupported_language',
    `The model ${model.model_id} does not support the language_code ${code}.`,
  );
}

/** Characters count as code points; the model's limit applies per request (or per WebSocket generation). */
export function checkTextLength(text: string, model: Model): TtsRefusal | undefined {
  const length = [...text].length;
  if (length <= model.maximum_text_length_per_request) return undefined;
  return refusal(
    400,
    'max_character_limit_exceeded',
    `You are sending ${length} characters in a single request, over the ${model.maximum_text_length_per_request} that ${model.model_id} allows. Split the text into smaller requests.`,
  );
}

/**
 * A REST request: the query, the raw JSON body and the voice (undefined = not found). Problems in the query and
 * body are all reported together (422) before the voice is looked up (404) and the model's rules apply (400).
 */
export function parseTtsRequest(
  query: URLSearchParams,
  body: string,
  voiceId: string,
  voice: Voice | undefined,
): Parsed<TtsRequest> {
  const problems: FieldProblem[] = [];
  const q = readTtsQuery(query, problems);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    problems.push({ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} });
    return { ok: false, problems };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    problems.push({
      type: 'model_attributes_type',
      loc: ['body'],
      msg: 'Input should be a valid dictionary or object to extract fields from',
      input: json,
    });
    return { ok: false, problems };
  }
  const b = json as Record<string, unknown>;
  const string = (name: string, nullable = true): string | null => {
    const v = b[name];
    if (v === undefined || (v === null && nullable)) return null;
    if (typeof v === 'string') return v;
    problems.push({ type: 'string_type', loc: ['body', name], msg: 'Input should be a valid string', input: v });
    return null;
  };
  const boolean = (name: string) => {
    const v = b[name];
    if (v === undefined || v === null || typeof v === 'boolean') return;
    problems.push({ type: 'bool_type', loc: ['body', name], msg: 'Input should be a valid boolean', input: v });
  };
  const ids = (name: string): string[] => {
    const v = b[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
      problems.push({
        type: 'list_type',
        loc: ['body', name],
        msg: 'Input should be a valid list of strings',
        input: v,
      });
      return [];
    }
    if (v.length > 3) {
      problems.push({
        type: 'too_long',
        loc: ['body', name],
        msg: `List should have at most 3 items after validation, not ${v.length}`,
        input: v,
      });
    }
    return v as string[];
  };

  if (b.text === undefined) problems.push({ type: 'missing', loc: ['body', 'text'], msg: 'Field required', input: b });
  const text = string('text', false) ?? '';
  const modelId = string('model_id') ?? DEFAULT_MODEL_ID;
  const languageCode = string('language_code');
  const previousText = string('previous_text');
  const nextText = string('next_text');
  const settings = readVoiceSettings(b.voice_settings, ['body', 'voice_settings'], problems);
  const previousRequestIds = ids('previous_request_ids');
  const nextRequestIds = ids('next_request_ids');
  boolean('apply_language_text_normalization');
  boolean('use_pvc_as_ivc');
  const locators = b.pronunciation_dictionary_locators;
  if (locators !== undefined && locators !== null) {
    if (!Array.isArray(locators) || !locators.every((l) => typeof l?.pronunciation_dictionary_id === 'string')) {
      problems.push({
        type: 'list_type',
        loc: ['body', 'pronunciation_dictionary_locators'],
        msg: 'Input should be a list of { pronunciation_dictionary_id, version_id }',
        input: locators,
      });
    } else if (locators.length > 3) {
      problems.push({
        type: 'too_long',
        loc: ['body', 'pronunciation_dictionary_locators'],
        msg: `List should have at most 3 items after validation, not ${locators.length}`,
        input: locators,
      });
    }
  }
  let seed: number | null = null;
  if (b.seed !== undefined && b.seed !== null) {
    if (typeof b.seed !== 'number' || !Number.isInteger(b.seed) || b.seed < 0 || b.seed > 4294967295) {
      problems.push({
        type: 'int_type',
        loc: ['body', 'seed'],
        msg: 'Input should be an integer from 0 to 4294967295',
        input: b.seed,
      });
    } else seed = b.seed;
  }
  const mode = b.apply_text_normalization ?? 'auto';
  if (mode !== 'auto' && mode !== 'on' && mode !== 'off') {
    problems.push({
      type: 'enum',
      loc: ['body', 'apply_text_normalization'],
      msg: "Input should be 'auto', 'on' or 'off'",
      input: mode,
    });
  }
  if (problems.length || !q.format) return { ok: false, problems };

  if (!voice)
    return {
      ok: false,
      refusal: refusal(404, 'voice_not_found', `A voice with the voice_id ${voiceId} was not found.`),
    };
  const checked = checkModel(modelId);
  if ('refusal' in checked) return { ok: false, refusal: checked.refusal };
  const { model } = checked;
  if (!q.format.supported) {
    return {
      ok: false,
      refusal: refusal(
        400,
        'unsupported_output_format',
        `The emulator cannot encode ${q.format.name} (no Opus encoder); use mp3, pcm, ulaw, alaw or wav.`,
      ),
    };
  }
  if (!text.trim())
    return {
      ok: false,
      refusal: refusal(400, 'empty_text', 'The text is empty; send at least one character to speak.'),
    };
  const tooLong = checkTextLength(text, model);
  if (tooLong) return { ok: false, refusal: tooLong };
  const language = checkLanguage(languageCode, model);
  if (language) return { ok: false, refusal: language };
  const normalization = textNormalization(mode as 'auto' | 'on' | 'off', model, q.optimizeStreamingLatency);
  if ('refusal' in normalization) return { ok: false, refusal: normalization.refusal };

  return {
    ok: true,
    value: {
      voice,
      model,
      text,
      format: q.format,
      voiceSettings: { ...voice.settings, ...settings },
      normalize: normalization.normalize,
      languageCode,
      seed,
      enableLogging: q.enableLogging,
      optimizeStreamingLatency: q.optimizeStreamingLatency,
      previousText,
      nextText,
      previousRequestIds,
      nextRequestIds,
    },
  };
}
