// ElevenLabs audio format names (`pcm_16000`, `ulaw_8000`, …) to and from samples.
import type { AudioFormat } from './agents.ts';
import { decodeMulaw, encodeMulaw, floatToPcm16, pcm16ToFloat } from './pcm.ts';

export const sampleRateOf = (format: AudioFormat) => Number(format.split('_')[1]);

/** Bytes as sent in `user_audio_chunk` (PCM16 little-endian mono, or G.711 μ-law) to samples. */
export function decodeAudio(bytes: Uint8Array, format: AudioFormat): Float32Array {
  if (format.startsWith('ulaw')) return decodeMulaw(bytes);
  return pcm16ToFloat(bytes.subarray(0, bytes.length & ~1));
}

/** Samples to the bytes of an `audio` event. */
export function encodeAudio(samples: Float32Array, format: AudioFormat): Buffer {
  if (format.startsWith('ulaw')) return Buffer.from(encodeMulaw(samples));
  const pcm = floatToPcm16(samples);
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}
