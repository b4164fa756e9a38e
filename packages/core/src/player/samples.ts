// Decoded audio as the player keeps it: PCM16 and μ-law decoded chunk by chunk (a sample split across two network
// chunks is joined), a growing store of float samples, WAV files of it, and peaks for a waveform.
import type { Codec } from './format.ts';

/** Turns raw PCM16 LE or μ-law bytes into float samples as they arrive. */
export class SampleDecoder {
  readonly #codec: 'pcm' | 'ulaw';
  /** A PCM byte whose partner is in the next chunk. */
  #carry: number | null = null;

  constructor(codec: Exclude<Codec, 'mp3'>) {
    this.#codec = codec;
  }

  decode(bytes: Uint8Array): Float32Array {
    if (this.#codec === 'ulaw') return decodeMulaw(bytes);
    let offset = 0;
    const total = bytes.length + (this.#carry === null ? 0 : 1);
    const out = new Float32Array(total >> 1);
    let i = 0;
    if (this.#carry !== null && bytes.length) {
      out[i++] = pcm16(this.#carry | (bytes[0]! << 8));
      offset = 1;
      this.#carry = null;
    }
    for (; offset + 1 < bytes.length; offset += 2) out[i++] = pcm16(bytes[offset]! | (bytes[offset + 1]! << 8));
    if (offset < bytes.length) this.#carry = bytes[offset]!;
    return out;
  }
}

const pcm16 = (u: number) => (u >= 0x8000 ? u - 0x10000 : u) / 32768;

/** G.711 μ-law → float (the 16-bit value over 32768). */
export function decodeMulaw(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = MULAW[bytes[i]!]!;
  return out;
}

const MULAW = (() => {
  const table = new Float32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    const u = ~byte & 0xff;
    const exponent = (u >> 4) & 7;
    const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
    table[byte] = (u & 0x80 ? -magnitude : magnitude) / 32768;
  }
  return table;
})();

/** Float samples received so far, in arrival order, read back by range. */
export class SampleStore {
  readonly #chunks: Float32Array[] = [];
  /** Where each chunk starts. */
  readonly #starts: number[] = [];
  #length = 0;

  get length() {
    return this.#length;
  }

  push(samples: Float32Array) {
    if (!samples.length) return;
    this.#starts.push(this.#length);
    this.#chunks.push(samples);
    this.#length += samples.length;
  }

  /** A copy of samples [from, to). */
  slice(from: number, to = this.#length): Float32Array<ArrayBuffer> {
    from = Math.max(0, Math.min(this.#length, Math.floor(from)));
    to = Math.max(from, Math.min(this.#length, Math.floor(to)));
    const out = new Float32Array(to - from);
    let i = this.#chunkAt(from);
    for (let written = 0; written < out.length; i++) {
      const chunk = this.#chunks[i]!;
      const start = this.#starts[i]!;
      const a = Math.max(0, from + written - start);
      const b = Math.min(chunk.length, to - start);
      out.set(chunk.subarray(a, b), written);
      written += b - a;
    }
    return out;
  }

  /** The largest |sample| in each of `count` equal spans (0 where there are no samples yet). */
  peaks(count: number, total = this.#length): Float32Array {
    const out = new Float32Array(Math.max(0, Math.floor(count)));
    if (!out.length || !total) return out;
    const per = total / out.length;
    for (let c = 0; c < this.#chunks.length; c++) {
      const chunk = this.#chunks[c]!;
      const start = this.#starts[c]!;
      for (let i = 0; i < chunk.length; i++) {
        const bucket = Math.min(out.length - 1, Math.floor((start + i) / per));
        const v = Math.abs(chunk[i]!);
        if (v > out[bucket]!) out[bucket] = Math.min(1, v);
      }
    }
    return out;
  }

  clear() {
    this.#chunks.length = 0;
    this.#starts.length = 0;
    this.#length = 0;
  }

  #chunkAt(sample: number) {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#starts[middle]! <= sample) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

/** A mono 16-bit PCM WAV file of these samples. */
export function wavFile(samples: Float32Array, sampleRate: number): Blob {
  const bytes = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(bytes);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    view.setInt16(44 + i * 2, Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768))), true);
  }
  return new Blob([bytes], { type: 'audio/wav' });
}

/** Base64 → bytes (`Uint8Array.fromBase64` where the browser has it). */
export function base64Bytes(text: string): Uint8Array {
  const native = (Uint8Array as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native) return native(text);
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
