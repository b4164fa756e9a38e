// 16-bit PCM as it is captured (chunks of Int16 samples, never one growing array) and the WAV file made from it.
// The file is a Blob of a 44-byte header followed by the chunks themselves: encoding copies nothing in JavaScript.

/** The 44-byte RIFF/WAVE header of a mono 16-bit PCM file of `samples` samples. */
export function wavHeader(samples: number, sampleRate: number, channels = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(44);
  const view = new DataView(bytes.buffer);
  const dataBytes = samples * channels * 2;
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true); // bytes per second
  view.setUint16(32, channels * 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return bytes;
}

/** A WAV Blob of 16-bit mono chunks, in order. (WAV is little-endian, as every browser's typed arrays are.) */
export function encodeWav(chunks: readonly Int16Array[], sampleRate: number): Blob {
  const samples = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  return new Blob([wavHeader(samples, sampleRate), ...(chunks as Int16Array<ArrayBuffer>[])], { type: 'audio/wav' });
}

/**
 * Float samples (-1…1) to 16-bit, clipped; into `into` when given. Scaled by 32768 like the browsers' decoders, so
 * 16-bit audio survives the round trip exactly. (The capture worklet does the same inline.)
 */
export function toInt16(samples: Float32Array, into = new Int16Array(samples.length)): Int16Array {
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i]! * 32768);
    into[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return into;
}

/** The recorded PCM: chunks as the worklet sent them. An hour at 16 kHz is 115 MB, in chunks of a few kB. */
export class PcmChunks {
  readonly chunks: Int16Array[] = [];
  length = 0;

  constructor(readonly sampleRate: number) {}

  push(chunk: Int16Array) {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  get duration() {
    return this.length / this.sampleRate;
  }

  toWav(): Blob {
    return encodeWav(this.chunks, this.sampleRate);
  }
}
