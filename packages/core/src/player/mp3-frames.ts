// Counts MPEG audio (Layer III) frames in a byte stream as it arrives, to know how many seconds of MP3 have been
// received without decoding them: frames split across network chunks are completed by the next chunk.

const KBPS_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const KBPS_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

interface Header {
  length: number;
  samples: number;
  sampleRate: number;
}

/** The frame header at `offset`, or null when there is none. */
function header(data: Uint8Array, offset: number): Header | null {
  const b0 = data[offset]!;
  const b1 = data[offset + 1]!;
  const b2 = data[offset + 2]!;
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  const bitrate = b2 >> 4;
  const rate = (b2 >> 2) & 3;
  if (version === 1 || layer !== 1 || rate === 3 || bitrate === 0 || bitrate === 15) return null;
  const v1 = version === 3;
  const sampleRate = RATES[version]![rate]!;
  const kbps = (v1 ? KBPS_V1 : KBPS_V2)[bitrate]!;
  const length = Math.floor(((v1 ? 144 : 72) * kbps * 1000) / sampleRate) + ((b2 >> 1) & 1);
  return { length, samples: v1 ? 1152 : 576, sampleRate };
}

export class Mp3FrameCounter {
  #pending = new Uint8Array(0);
  #started = false;
  /** Decoded samples in the complete frames so far. */
  samples = 0;
  sampleRate = 0;

  /** Seconds of audio in the complete frames so far. */
  get seconds() {
    return this.sampleRate ? this.samples / this.sampleRate : 0;
  }

  push(bytes: Uint8Array) {
    let data = bytes;
    if (this.#pending.length) {
      data = new Uint8Array(this.#pending.length + bytes.length);
      data.set(this.#pending);
      data.set(bytes, this.#pending.length);
    }
    let offset = 0;
    if (!this.#started) {
      // An ID3v2 tag before the first frame.
      if (data.length < 10) return void (this.#pending = data.slice());
      if (data[0] === 0x49 && data[1] === 0x44 && data[2] === 0x33) {
        const size =
          ((data[6]! & 0x7f) << 21) | ((data[7]! & 0x7f) << 14) | ((data[8]! & 0x7f) << 7) | (data[9]! & 0x7f);
        if (data.length < 10 + size) return void (this.#pending = data.slice());
        offset = 10 + size;
      }
      this.#started = true;
    }
    while (offset + 4 <= data.length) {
      const frame = header(data, offset);
      if (!frame) {
        offset++; // not a frame: look for the next sync word
        continue;
      }
      if (offset + frame.length > data.length) break;
      this.samples += frame.samples;
      this.sampleRate = frame.sampleRate;
      offset += frame.length;
    }
    this.#pending = data.slice(offset);
  }
}
