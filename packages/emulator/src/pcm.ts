// Sample-format helpers for the emulator's audio paths (PCM16 LE, G.711 μ-law and A-law, naive resampling).

/** Float [-1, 1] → PCM16, scaled like @elevenlabs/client's worklet (asymmetric, clamped), but rounded. */
export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    out[i] = Math.round(s < 0 ? s * 32768 : s * 32767);
  }
  return out;
}

/** PCM16 → float. A Uint8Array is read as little-endian bytes (e.g. a Buffer from base64, any byteOffset). */
export function pcm16ToFloat(pcm: Int16Array | Uint8Array): Float32Array {
  if (pcm instanceof Int16Array) {
    const out = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) {
      const v = pcm[i] ?? 0;
      out[i] = v < 0 ? v / 32768 : v / 32767;
    }
    return out;
  }
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const out = new Float32Array(pcm.byteLength >> 1);
  for (let i = 0; i < out.length; i++) {
    const v = view.getInt16(i * 2, true);
    out[i] = v < 0 ? v / 32768 : v / 32767;
  }
  return out;
}

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

/** Float → G.711 μ-law bytes; the same algorithm as the client's worklet (wavefile's codec). */
export function encodeMulaw(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    let v = Math.round(s < 0 ? s * 32768 : s * 32767);
    const sign = v < 0 ? 0x80 : 0;
    if (sign) v = -v;
    v = Math.min(v + MULAW_BIAS, MULAW_CLIP);
    let exponent = 7;
    for (let mask = 0x4000; (v & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
    const mantissa = (v >> (exponent + 3)) & 0x0f;
    out[i] = ~(sign | (exponent << 4) | mantissa) & 0xff;
  }
  return out;
}

/** G.711 μ-law bytes → float. */
export function decodeMulaw(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const u = ~(bytes[i] ?? 0) & 0xff;
    const exponent = (u >> 4) & 0x07;
    const magnitude = ((((u & 0x0f) << 3) + MULAW_BIAS) << exponent) - MULAW_BIAS;
    out[i] = (u & 0x80 ? -magnitude : magnitude) / 32768;
  }
  return out;
}

/** Linear-interpolation resampler. No anti-alias filter: fine for the band-limited speech the emulator makes. */
export function resampleLinear(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return samples.slice();
  const length = Math.floor((samples.length * toRate) / fromRate);
  const out = new Float32Array(length);
  const step = fromRate / toRate;
  for (let i = 0; i < length; i++) {
    const pos = i * step;
    const j = Math.floor(pos);
    const frac = pos - j;
    const a = samples[j] ?? 0;
    const b = samples[j + 1] ?? a;
    out[i] = a + (b - a) * frac;
  }
  return out;
}

// G.711 A-law segment ends (13-bit magnitudes).
const ALAW_SEGMENT_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

/** Float → G.711 A-law bytes. */
export function encodeAlaw(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    let v = Math.round(s < 0 ? s * 32768 : s * 32767) >> 3; // 13 bits
    let mask = 0xd5;
    if (v < 0) {
      mask = 0x55;
      v = -v - 1;
    }
    const segment = ALAW_SEGMENT_ENDS.findIndex((end) => v <= end);
    if (segment < 0) {
      out[i] = 0x7f ^ mask;
      continue;
    }
    const mantissa = (segment < 2 ? v >> 1 : v >> segment) & 0x0f;
    out[i] = ((segment << 4) | mantissa) ^ mask;
  }
  return out;
}

/** G.711 A-law bytes → float. */
export function decodeAlaw(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const a = (bytes[i] ?? 0) ^ 0x55;
    const segment = (a & 0x70) >> 4;
    let t = ((a & 0x0f) << 4) + (segment === 0 ? 8 : 0x108);
    if (segment > 1) t <<= segment - 1;
    out[i] = (a & 0x80 ? t : -t) / 32768;
  }
  return out;
}
