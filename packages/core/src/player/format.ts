// Output formats as the player needs them (codec and sample rate), what this browser can play, and the path
// a source takes: chosen from both, or forced.
import type { AudioFormat, PlaybackPath } from '../speech-player-types.ts';
import { SpeechPlayerError } from './errors.ts';

export type Codec = 'mp3' | 'pcm' | 'ulaw';

export interface FormatInfo {
  codec: Codec;
  sampleRate: number;
}

/** `mp3_44100_128` → `{ codec: 'mp3', sampleRate: 44100 }`; other ElevenLabs names the same way. */
export function formatInfo(format: AudioFormat | string): FormatInfo {
  const [codec, rate] = String(format).split('_');
  const sampleRate = Number(rate);
  if ((codec === 'mp3' || codec === 'pcm' || codec === 'ulaw') && Number.isInteger(sampleRate) && sampleRate > 0) {
    return { codec, sampleRate };
  }
  throw new SpeechPlayerError(
    'unsupported',
    `The player cannot play the output format "${format}"; use an mp3_*, pcm_* or ulaw_8000 format.`,
  );
}

/** What this browser offers the player (all false on a server). */
export interface Capabilities {
  mse: boolean;
  worklet: boolean;
  webaudio: boolean;
}

type MediaSourceLike = { isTypeSupported(type: string): boolean };

/** `ManagedMediaSource` (Safari, iOS 17.1+) where present, else `MediaSource`; null where neither exists. */
export function mediaSourceClass(): (MediaSourceLike & (new () => MediaSource)) | null {
  const g = globalThis as { ManagedMediaSource?: unknown; MediaSource?: unknown };
  return ((g.ManagedMediaSource ?? g.MediaSource) as (MediaSourceLike & (new () => MediaSource)) | undefined) ?? null;
}

export function audioContextClass(): typeof AudioContext | null {
  const g = globalThis as { AudioContext?: typeof AudioContext; webkitAudioContext?: typeof AudioContext };
  return g.AudioContext ?? g.webkitAudioContext ?? null;
}

export function detectCapabilities(): Capabilities {
  const mediaSource = mediaSourceClass();
  const webaudio = audioContextClass() !== null;
  return {
    mse: !!mediaSource && safe(() => mediaSource.isTypeSupported('audio/mpeg')),
    // AudioWorklet exists only in secure contexts (https, localhost).
    worklet: webaudio && typeof AudioWorkletNode === 'function' && globalThis.isSecureContext !== false,
    webaudio,
  };
}

const safe = (check: () => boolean) => {
  try {
    return check();
  } catch {
    return false;
  }
};

/**
 * The path for a codec: MP3 streams through MSE, PCM and μ-law through the AudioWorklet, else Web Audio; the whole
 * file where nothing streams. A forced path the codec or browser cannot take is an `unsupported` error.
 */
/**
 * The format to ask a text-to-speech route for when the page does not say: ElevenLabs' default MP3 where
 * MediaSource streams it, else 24 kHz PCM, which streams through Web Audio (iPhone Safari before iOS 17.1 has no
 * MediaSource: MP3 there would wait for the whole file). A forced `mse` or `file` path keeps MP3.
 */
export function defaultSpeechFormat(path: PlaybackPath | 'auto' = 'auto', can = detectCapabilities()): AudioFormat {
  if (path === 'mse' || path === 'file' || can.mse || !can.webaudio) return 'mp3_44100_128';
  return 'pcm_24000';
}

export function choosePath(codec: Codec, requested: PlaybackPath | 'auto', can: Capabilities): PlaybackPath {
  if (requested === 'auto') {
    if (codec === 'mp3') return can.mse ? 'mse' : 'file';
    return can.worklet ? 'pcm-worklet' : can.webaudio ? 'webaudio' : 'file';
  }
  if (requested === 'file') return 'file';
  if (requested === 'mse') {
    if (codec !== 'mp3') throw unsupported(`The mse path plays MP3; this source is ${codec}.`);
    if (!can.mse) throw unsupported('This browser has no MediaSource that plays MP3 (audio/mpeg).');
    return 'mse';
  }
  if (codec === 'mp3') throw unsupported(`The ${requested} path plays PCM and μ-law; this source is MP3.`);
  if (requested === 'pcm-worklet' && !can.worklet) {
    throw unsupported('This browser has no AudioWorklet (it needs a secure page: https or localhost).');
  }
  if (!can.webaudio) throw unsupported('This browser has no Web Audio.');
  return requested;
}

const unsupported = (message: string) => new SpeechPlayerError('unsupported', message);
