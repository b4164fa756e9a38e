// Speech to text of what a browser really uploads: the emulator's speech recorded by Chromium's MediaRecorder (WebM
// and MP4, both Opus: this Chromium has no AAC encoder and records no Ogg), and Opus packets from Chromium's
// WebCodecs encoder put in an Ogg file (RFC 7845) here. Each is decoded by the emulator back to the very text. And the
// official Scribe client in the page, with a token minted in Node (test/commands.ts), against the realtime socket.
import { AudioFormat, RealtimeEvents, Scribe } from '@elevenlabs/client';
import { describe, expect, inject, it } from 'vitest';
import { commands } from 'vitest/browser';
import { synthesize } from './speech.ts';
import type { SttRecord } from './stt.ts';
import type { SttFaults } from './stt-faults.ts';

// Provided by test/browser-setup.ts and test/commands.ts (declared here too, so this package type-checks on its own).
declare module 'vitest' {
  export interface ProvidedContext {
    emulatorUrl: string;
  }
}
declare module 'vitest/browser' {
  interface BrowserCommands {
    injectSttFaults(faults: SttFaults): Promise<void>;
    sttRecords(): Promise<SttRecord[]>;
    sttSocketUrl(query?: Record<string, string>): Promise<{ url: string; token: string; baseUri: string }>;
  }
}

const RATE = 48_000;
const TEXT = 'Recorded in the browser.';

/** The emulator's speech for `text`, 300 ms in, recorded by MediaRecorder as `mimeType`. */
async function record(text: string, mimeType: string): Promise<Blob> {
  const context = new AudioContext({ sampleRate: RATE });
  const { samples } = synthesize(text, RATE);
  // Silence after the speech is part of the buffer: once nothing plays, Chromium's stream delivers no more audio,
  // and the encoder's last frames would be lost.
  const buffer = context.createBuffer(1, samples.length + RATE / 2, RATE);
  buffer.copyToChannel(new Float32Array(samples), 0);
  const source = context.createBufferSource();
  source.buffer = buffer;
  const destination = context.createMediaStreamDestination();
  source.connect(destination);
  const recorder = new MediaRecorder(destination.stream, { mimeType });
  const parts: Blob[] = [];
  recorder.ondataavailable = (event) => parts.push(event.data);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  recorder.start();
  source.start(context.currentTime + 0.3);
  await new Promise((resolve) => (source.onended = resolve));
  await new Promise((resolve) => setTimeout(resolve, 100));
  recorder.stop();
  await stopped;
  await context.close();
  return new Blob(parts, { type: recorder.mimeType });
}

/** The emulator's speech for `text` as Opus packets (WebCodecs), muxed into an Ogg Opus file. */
async function oggOpus(text: string): Promise<Blob> {
  const { samples } = synthesize(text, RATE);
  const padded = new Float32Array(samples.length + RATE * 0.6);
  padded.set(samples, RATE * 0.3);
  const packets: Uint8Array[] = [];
  const encoder = new AudioEncoder({
    output: (chunk) => {
      const bytes = new Uint8Array(chunk.byteLength);
      chunk.copyTo(bytes);
      packets.push(bytes);
    },
    error: (error) => {
      throw error;
    },
  });
  encoder.configure({ codec: 'opus', sampleRate: RATE, numberOfChannels: 1, bitrate: 64_000 });
  const data = new AudioData({
    format: 'f32',
    sampleRate: RATE,
    numberOfFrames: padded.length,
    numberOfChannels: 1,
    timestamp: 0,
    data: padded,
  });
  encoder.encode(data);
  await encoder.flush();
  encoder.close();
  return oggFile(packets, 960);
}

/** An Ogg Opus file: the OpusHead and OpusTags pages, then one page per packet (`frames` samples each). */
function oggFile(packets: Uint8Array[], frames: number): Blob {
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
  const head = new Uint8Array(19);
  head.set(ascii('OpusHead'));
  const hv = new DataView(head.buffer);
  hv.setUint8(8, 1); // version
  hv.setUint8(9, 1); // channels
  hv.setUint16(10, 312, true); // pre-skip: the encoder's look-ahead
  hv.setUint32(12, RATE, true);
  const vendor = ascii('elevenkit test');
  const tags = new Uint8Array([...ascii('OpusTags'), vendor.length, 0, 0, 0, ...vendor, 0, 0, 0, 0]);
  const pages = [page(head, 0, 0, 2), page(tags, 0, 1, 0)];
  packets.forEach((packet, i) => {
    pages.push(page(packet, (i + 1) * frames, i + 2, i === packets.length - 1 ? 4 : 0));
  });
  return new Blob(pages as BlobPart[], { type: 'audio/ogg' });
}

function page(packet: Uint8Array, granule: number, sequence: number, flags: number): Uint8Array {
  const lacing = [...Array(Math.floor(packet.length / 255)).fill(255), packet.length % 255];
  const bytes = new Uint8Array(27 + lacing.length + packet.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4f, 0x67, 0x67, 0x53]); // OggS
  view.setUint8(5, flags);
  view.setBigUint64(6, BigInt(granule), true);
  view.setUint32(14, 0x454b, true); // stream serial number
  view.setUint32(18, sequence, true);
  view.setUint8(26, lacing.length);
  bytes.set(lacing, 27);
  bytes.set(packet, 27 + lacing.length);
  view.setUint32(22, oggCrc(bytes), true);
  return bytes;
}

/** Ogg's CRC-32: polynomial 0x04c11db7, no reflection, initial 0 (over the page with its CRC field zero). */
function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

async function transcribe(file: Blob, name: string) {
  const form = new FormData();
  form.set('model_id', 'scribe_v1');
  form.set('file', file, name);
  const res = await fetch(`${inject('emulatorUrl')}/v1/speech-to-text`, {
    method: 'POST',
    headers: { 'xi-api-key': 'elevenkit-test-key' },
    body: form,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { text: string; words: { text: string; start: number; end: number; type: string }[] };
}

describe('speech to text of browser recordings', { timeout: 30_000 }, () => {
  it('which containers this Chromium records', () => {
    expect(MediaRecorder.isTypeSupported('audio/webm;codecs=opus')).toBe(true);
    expect(MediaRecorder.isTypeSupported('audio/mp4')).toBe(true);
  });

  it('WebM/Opus from MediaRecorder', async () => {
    const file = await record(TEXT, 'audio/webm;codecs=opus');
    const result = await transcribe(file, 'take.webm');
    expect(result.text).toBe(TEXT);
    // The words last as long as the speech says (the recording's start is wherever the recorder began).
    const words = result.words.filter((w) => w.type === 'word');
    const duration = words.at(-1)!.end - words[0]!.start;
    const { alignment } = synthesize(TEXT, 8000);
    const planned =
      (alignment.char_start_times_ms.at(-1)! +
        alignment.char_durations_ms.at(-1)! -
        alignment.char_start_times_ms[0]!) /
      1000;
    expect(Math.abs(duration - planned)).toBeLessThan(0.03);
  });

  it('MP4 from MediaRecorder (Opus in MP4 here)', async () => {
    const file = await record(TEXT, 'audio/mp4');
    expect(file.type).toMatch(/^audio\/mp4/);
    expect((await transcribe(file, 'take.mp4')).text).toBe(TEXT);
  });

  it('Ogg/Opus: WebCodecs Opus packets in an Ogg file', async () => {
    const file = await oggOpus(TEXT);
    expect((await transcribe(file, 'take.ogg')).text).toBe(TEXT);
  });
});

describe('the official Scribe client in the page', { timeout: 30_000 }, () => {
  it('streams PCM chunks and commits: the committed text is what was said; an injected error closes it', async () => {
    const { token, baseUri } = await commands.sttSocketUrl();
    const connection = Scribe.connect({
      baseUri,
      token,
      modelId: 'scribe_v2_realtime',
      audioFormat: AudioFormat.PCM_16000,
      sampleRate: 16000,
    });
    await new Promise((resolve) => connection.on(RealtimeEvents.SESSION_STARTED, resolve));
    const { samples } = synthesize('In the page.', 16_000);
    const pcm = new Int16Array(samples.length + 8000);
    samples.forEach((s, i) => (pcm[i + 4000] = Math.round(s * 32767)));
    const bytes = new Uint8Array(pcm.buffer);
    for (let i = 0; i < bytes.length; i += 3200) {
      connection.send({ audioBase64: btoa(String.fromCharCode(...bytes.subarray(i, i + 3200))) });
    }
    const committed = new Promise<{ text: string }>((resolve) =>
      connection.on(RealtimeEvents.COMMITTED_TRANSCRIPT, resolve),
    );
    connection.commit();
    expect((await committed).text).toBe('In the page.');
    connection.close();
    expect((await commands.sttRecords()).at(-1)).toMatchObject({ endpoint: 'realtime', text: 'In the page.' });

    await commands.injectSttFaults({ error_after_ms: 50, error_type: 'resource_exhausted' });
    const next = await commands.sttSocketUrl();
    const faulty = Scribe.connect({
      baseUri: next.baseUri,
      token: next.token,
      modelId: 'scribe_v2_realtime',
      audioFormat: AudioFormat.PCM_16000,
      sampleRate: 16000,
    });
    const error = new Promise<{ message_type: string }>((resolve) =>
      faulty.on(RealtimeEvents.RESOURCE_EXHAUSTED, resolve),
    );
    const closed = new Promise<CloseEvent>((resolve) => faulty.on(RealtimeEvents.CLOSE, resolve));
    expect((await error).message_type).toBe('resource_exhausted');
    expect((await closed).code).toBe(1008);
  });
});
