import { describe, expect, it } from 'vitest';
import { MP3_ENCODER_DELAY_SAMPLES, Mp3StreamEncoder, readMp3Frames } from './mp3.ts';
import { renderSpeech, planSpeech } from './speech.ts';

describe('Mp3StreamEncoder', () => {
  it('encodes piece by piece into the same stream as all at once', () => {
    const samples = renderSpeech(planSpeech('MP3 in pieces'), 44100);
    const whole = new Mp3StreamEncoder(44100, 128);
    const once = Buffer.concat([whole.encode(samples), whole.end()]);
    const pieces = new Mp3StreamEncoder(44100, 128);
    const parts: Buffer[] = [];
    for (let i = 0; i < samples.length; i += 4410) parts.push(pieces.encode(samples.subarray(i, i + 4410)));
    parts.push(pieces.end());
    expect(Buffer.concat(parts).equals(once)).toBe(true);
    const frames = readMp3Frames(once);
    expect(frames).toMatchObject({ sampleRate: 44100, bitrates: [128], end: once.length });
    expect(frames.samples - samples.length - MP3_ENCODER_DELAY_SAMPLES).toBeGreaterThanOrEqual(0);
    expect(frames.samples - samples.length - MP3_ENCODER_DELAY_SAMPLES).toBeLessThan(2 * 1152);
  });
});

describe('readMp3Frames', () => {
  it('reads MPEG-2 frames (576 samples each), skips an ID3v2 tag and stops at a cut frame', () => {
    const encoder = new Mp3StreamEncoder(22050, 32);
    const mp3 = Buffer.concat([encoder.encode(new Float32Array(22050)), encoder.end()]);
    const all = readMp3Frames(mp3);
    expect(all).toMatchObject({ sampleRate: 22050, bitrates: [32], end: mp3.length });
    expect(all.samples % 576).toBe(0);
    const id3 = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5]);
    expect(readMp3Frames(Buffer.concat([id3, mp3])).frames).toBe(all.frames);
    const cut = readMp3Frames(mp3.subarray(0, mp3.length - 10));
    expect(cut.frames).toBe(all.frames - 1);
    expect(() => readMp3Frames(Buffer.from('not an mp3'))).toThrow(/No MPEG/);
  });
});
