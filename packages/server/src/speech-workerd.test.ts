// The speech routes in real workerd (Miniflare), as on Cloudflare Workers: the audio streamed out of the handler and
// the recording streamed into ElevenLabs' request with the platform's own fetch, streams and crypto.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize, toWav, type Emulator } from '../../emulator/src/index.ts';
import { startUpstream } from './test-helpers.ts';

const KEY = 'sk_workerd_speech_key_0123456789';
const index = fileURLToPath(new URL('./index.ts', import.meta.url));
let emulator: Emulator;
let mf: Miniflare;
let dir: string;

beforeAll(async () => {
  emulator = await startUpstream(KEY);
  dir = mkdtempSync(path.join(tmpdir(), 'elevenkit-workerd-'));
  const entry = path.join(dir, 'worker.ts');
  writeFileSync(
    entry,
    `import { createTokenHandler } from ${JSON.stringify(index)};
let handler;
export default {
  fetch(request, env) {
    handler ??= createTokenHandler({
      apiKey: env.ELEVENLABS_API_KEY,
      apiOrigin: env.ELEVENLABS_API_ORIGIN,
      agents: [],
      textToSpeech: { voices: () => true },
      speechToText: {},
    });
    return handler(request);
  },
};`,
  );
  const result = (await build({
    configFile: false,
    logLevel: 'silent',
    root: dir,
    build: { write: false, minify: false, lib: { entry, formats: ['es'], fileName: 'worker' } },
  })) as Rolldown.RolldownOutput[];
  mf = new Miniflare({
    modules: true,
    script: result[0]!.output[0].code,
    compatibilityDate: '2025-01-01',
    bindings: { ELEVENLABS_API_KEY: KEY, ELEVENLABS_API_ORIGIN: emulator.url },
    cf: { country: 'XX' },
  });
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the speech routes on Cloudflare Workers (workerd)', () => {
  it('text to speech streams the timed NDJSON', async () => {
    const text = 'Spoken from a Worker.';
    const response = await mf.dispatchFetch('http://worker.example/api/elevenlabs/text-to-speech', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, voice_id: 'JBFqnCBsd6RMkjVDRZzb', model_id: 'eleven_flash_v2_5' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const body = await response.text();
    expect(body).not.toContain(KEY);
    const chunks = body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(chunks.flatMap((c) => c.alignment?.characters ?? []).join('')).toBe(text);
  }, 30_000);

  it('speech to text passes the upload on and answers with the transcript', async () => {
    const phrase = 'hello from the edge';
    const wav = toWav(synthesize(phrase, 16_000).samples, 16_000);
    const form = new FormData();
    form.append('model_id', 'scribe_v1');
    form.append('file', new Blob([wav as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }), 'take.wav');
    // Through Node's Request, so workerd gets the multipart bytes and their Content-Type as a browser would send them.
    const request = new Request('http://worker.example/api/elevenlabs/speech-to-text', { method: 'POST', body: form });
    const response = await mf.dispatchFetch(request.url, {
      method: 'POST',
      headers: { 'content-type': request.headers.get('content-type')! },
      body: new Uint8Array(await request.arrayBuffer()),
    });
    const body = await response.text();
    expect(body).not.toContain(KEY);
    expect(response.status).toBe(200);
    expect(JSON.parse(body).text).toBe(phrase);
    expect(emulator.sttRequests.at(-1)).toMatchObject({ file_bytes: wav.length, status: 'done' });
  }, 30_000);
});
