// Text-to-speech `output_format` names (`codec_sampleRate[_kbps]`, audio.md §1.2) and streaming encoders for them.
import { Mp3StreamEncoder } from './mp3.ts';
import { encodeAlaw, encodeMulaw, floatToPcm16 } from './pcm.ts';
import { toWav } from './speech.ts';

/** Every `output_format` ElevenLabs accepts on the REST endpoints (the OpenAPI enum, plus the later `wav_*`). */
export const OUTPUT_FORMATS = [
  'mp3_22050_32',
  'mp3_24000_48',
  'mp3_44100_32',
  'mp3_44100_64',
  'mp3_44100_96',
  'mp3_44100_128',
  'mp3_44100_192',
  'pcm_8000',
  'pcm_16000',
  'pcm_22050',
  'pcm_24000',
  'pcm_32000',
  'pcm_44100',
  'pcm_48000',
  'ulaw_8000',
  'alaw_8000',
  'opus_48000_32',
  'opus_48000_64',
  'opus_48000_96',
  'opus_48000_128',
  'opus_48000_192',
  'wav_8000',
  'wav_16000',
  'wav_22050',
  'wav_24000',
  'wav_32000',
  'wav_44100',
  'wav_48000',
] as const;
export type OutputFormatName = (typeof OUTPUT_FORMATS)[number];

export const DEFAULT_OUTPUT_FORMAT: OutputFormatName = 'mp3_44100_128';

export type Codec = 'mp3' | 'pcm' | 'ulaw' | 'alaw' | 'wav' | 'opus';

export interface OutputFormat {
  name: OutputFormatName;
  codec: Codec;
  sampleRate: number;
  /** kbit/s, for mp3 and opus. */
  kbps?: number;
  /** The response's Content-Type. */
  contentType: string;
  /** False for opus: a valid name the emulator has no encoder for. */
  supported: boolean;
}

const CONTENT_TYPES: Record<Codec, string> = {
  mp3: 'audio/mpeg',
  pcm: 'audio/pcm',
  ulaw: 'audio/basic',
  alaw: 'audio/x-alaw-basic',
  wav: 'audio/wav',
  opus: 'audio/ogg',
};

/** The format a name stands for, or undefined if the name is not in the enum. */
export function parseOutputFormat(name: string): OutputFormat | undefined {
  if (!(OUTPUT_FORMATS as readonly string[]).includes(name)) return undefined;
  const [codec, rate, kbps] = name.split('_') as [Codec, string, string | undefined];
  return {
    name: name as OutputFormatName,
    codec,
    sampleRate: Number(rate),
    ...(kbps ? { kbps: Number(kbps) } : {}),
    contentType: CONTENT_TYPES[codec],
    supported: codec !== 'opus',
  };
}

/** Turns samples into the format's bytes as they are produced; the concatenated output is one valid file/stream. */
export interface AudioEncoder {
  encode(samples: Float32Array): Buffer;
  /** The rest (MP3's last frames). */
  end(): Buffer;
}

/** An encoder for one utterance of `totalSamples` (WAV writes them into its header up front). */
export function createAudioEncoder(format: OutputFormat, totalSamples: number): AudioEncoder {
  const raw = (encode: (samples: Float32Array) => Uint8Array | Int16Array): AudioEncoder => ({
    encode: (samples) => {
      const out = encode(samples);
      return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    },
    end: () => Buffer.alloc(0),
  });
  switch (format.codec) {
    case 'mp3': {
      const mp3 = new Mp3StreamEncoder(format.sampleRate, format.kbps ?? 128);
      return { encode: (samples) => mp3.encode(samples), end: () => mp3.end() };
    }
    case 'ulaw':
      return raw(encodeMulaw);
    case 'alaw':
      return raw(encodeAlaw);
    case 'wav': {
      // toWav's header with the data size of the whole utterance, then plain PCM.
      let header: Buffer | null = Buffer.from(toWav(new Float32Array(0), format.sampleRate)).subarray(0, 44);
      header.writeUInt32LE(36 + totalSamples * 2, 4);
      header.writeUInt32LE(totalSamples * 2, 40);
      const pcm = raw(floatToPcm16);
      return {
        encode: (samples) => {
          const body = pcm.encode(samples);
          if (!header) return body;
          const first = Buffer.concat([header, body]);
          header = null;
          return first;
        },
        end: () => header ?? Buffer.alloc(0),
      };
    }
    case 'pcm':
      return raw(floatToPcm16);
    case 'opus':
      throw new Error('The emulator has no Opus encoder.');
  }
}
