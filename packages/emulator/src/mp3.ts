// MP3 for text to speech: a streaming mono encoder (LAME, via @breezystack/lamejs) and a frame-header reader
// that tells how much audio a stream holds without decoding it (for tests and players' length checks).
import { Mp3Encoder } from '@breezystack/lamejs';
import { floatToPcm16 } from './pcm.ts';

/**
 * LAME's encoder delay: decoded MP3 starts with this many samples of silence before the first input sample
 * (plus the decoder's own 529), and the last frame is padded with silence. The emulator writes no gapless
 * (LAME/Xing) header, as ElevenLabs' streams carry none either, so players see the audio ≈25 ms late at 44.1 kHz.
 */
export const MP3_ENCODER_DELAY_SAMPLES = 576;

const BLOCK = 1152 * 16;

/** Encodes float samples as they come; `end()` flushes the last (padded) frame. */
export class Mp3StreamEncoder {
  readonly #encoder: Mp3Encoder;

  constructor(sampleRate: number, kbps: number) {
    this.#encoder = new Mp3Encoder(1, sampleRate, kbps);
  }

  /** Whole MP3 frames for these samples (possibly none yet: LAME holds back up to about two frames). */
  encode(samples: Float32Array): Buffer {
    const pcm = floatToPcm16(samples);
    const parts: Buffer[] = [];
    for (let i = 0; i < pcm.length; i += BLOCK)
      parts.push(bytes(this.#encoder.encodeBuffer(pcm.subarray(i, i + BLOCK))));
    return Buffer.concat(parts);
  }

  end(): Buffer {
    return bytes(this.#encoder.flush());
  }
}

// lamejs returns Int8Arrays.
const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export interface Mp3Frames {
  frames: number;
  /** Decoded samples the frames hold (frames × 1152 for MPEG-1, × 576 for MPEG-2/2.5), delay and padding included. */
  samples: number;
  sampleRate: number;
  /** Bit rates seen, in kbit/s. */
  bitrates: number[];
  /** Byte offset where reading stopped: the length of the input if it ends on a frame boundary. */
  end: number;
}

const BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/**
 * Walks MPEG audio Layer III frame headers from the start (an ID3v2 tag is skipped) and stops at the first
 * byte that is not a frame header or at a frame cut short. Throws if the first frame is not where expected.
 */
export function readMp3Frames(data: Uint8Array): Mp3Frames {
  let offset = 0;
  if (data[0] === 0x49 && data[1] === 0x44 && data[2] === 0x33 && data.length >= 10) {
    offset =
      10 + (((data[6]! & 0x7f) << 21) | ((data[7]! & 0x7f) << 14) | ((data[8]! & 0x7f) << 7) | (data[9]! & 0x7f));
  }
  const result: Mp3Frames = { frames: 0, samples: 0, sampleRate: 0, bitrates: [], end: offset };
  while (offset + 4 <= data.length) {
    const [b0, b1, b2] = [data[offset]!, data[offset + 1]!, data[offset + 2]!];
    const version = (b1 >> 3) & 3;
    const layer = (b1 >> 1) & 3;
    const bitrateIndex = b2 >> 4;
    const rateIndex = (b2 >> 2) & 3;
    if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0 || version === 1 || layer !== 1 || rateIndex === 3) break;
    if (bitrateIndex === 0 || bitrateIndex === 15) break;
    const v1 = version === 3;
    const kbps = (v1 ? BITRATES_V1_L3 : BITRATES_V2_L3)[bitrateIndex]!;
    const sampleRate = RATES[version]![rateIndex]!;
    const length = Math.floor(((v1 ? 144 : 72) * kbps * 1000) / sampleRate) + ((b2 >> 1) & 1);
    if (offset + length > data.length) break;
    if (result.frames && sampleRate !== result.sampleRate) break;
    result.frames++;
    result.samples += v1 ? 1152 : 576;
    result.sampleRate = sampleRate;
    if (!result.bitrates.includes(kbps)) result.bitrates.push(kbps);
    offset += length;
    result.end = offset;
  }
  if (!result.frames && data.length) throw new Error('No MPEG Layer III frame at the start of the data.');
  return result;
}
