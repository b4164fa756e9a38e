// The official Scribe client (@elevenlabs/client's script-tag build) in Chromium, in microphone mode: its own
// getUserMedia + AudioWorklet pipeline (echo cancellation, noise suppression, auto gain, resampling to 16 kHz) streams
// Chromium's fake microphone, which plays the emulator's speech, to the emulator's realtime speech to text.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createEmulator, speechWav, type Emulator } from '../packages/emulator/src/index.ts';
import { openClientPage, wavFile, type ClientPage } from './support/client-page.ts';
import { SPEECH_RETRY } from './support/speech-retry.ts';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await createEmulator({ port: 0, log: () => {} });
});
afterAll(() => emulator.close());

let client: ClientPage | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const mintToken = async () => {
  const res = await fetch(`${emulator.url}/v1/single-use-token/realtime_scribe`, {
    method: 'POST',
    headers: { 'xi-api-key': 'any-key' },
  });
  return ((await res.json()) as { token: string }).token;
};

const TEXT = 'Spoken into the microphone.';

it(
  'microphone mode with VAD commits: partials, then the committed text equal to what was said',
  SPEECH_RETRY,
  async () => {
    client = await openClientPage({
      micWav: wavFile(speechWav(TEXT, { leadingSilenceMs: 800, trailingSilenceMs: 4000 })),
    });
    const result = await client.page.evaluate(
      async ({ baseUri, token }) => {
        const { Scribe, RealtimeEvents, CommitStrategy } = (
          window as unknown as { ElevenLabsClient: typeof import('@elevenlabs/client') }
        ).ElevenLabsClient;
        const connection = Scribe.connect({
          baseUri,
          token,
          modelId: 'scribe_v2_realtime',
          commitStrategy: CommitStrategy.VAD,
          vadSilenceThresholdSecs: 0.8,
          includeTimestamps: true,
          microphone: {},
        });
        const partials: string[] = [];
        const errors: unknown[] = [];
        connection.on(RealtimeEvents.PARTIAL_TRANSCRIPT, (m: { text: string }) => partials.push(m.text));
        connection.on(RealtimeEvents.ERROR, (e: unknown) => errors.push(e));
        const committed = await new Promise<{ text: string }>((resolve) =>
          connection.on(RealtimeEvents.COMMITTED_TRANSCRIPT, resolve),
        );
        const timed = await new Promise<{ words?: { text: string; start?: number }[] }>((resolve) =>
          connection.on(RealtimeEvents.COMMITTED_TRANSCRIPT_WITH_TIMESTAMPS, resolve),
        );
        connection.close();
        return { committed: committed.text, partials, errors, words: timed.words ?? [] };
      },
      { baseUri: emulator.wsUrl, token: await mintToken() },
    );
    expect(result.errors).toEqual([]);
    expect(result.committed).toBe(TEXT);
    expect(result.partials.length).toBeGreaterThan(1);
    for (const partial of result.partials) expect(TEXT.startsWith(partial)).toBe(true);
    expect(result.words.filter((w) => w.text.trim()).map((w) => w.text)).toEqual(TEXT.split(' '));
    expect(emulator.sttRequests.at(-1)).toMatchObject({ endpoint: 'realtime', audio_format: 'pcm_16000' });
  },
);
