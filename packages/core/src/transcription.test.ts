// The transcribers' typed errors from HTTP answers (the routes' and ElevenLabs' error bodies), and what each mode
// refuses. Transcription itself runs in Chromium against the emulator (test/transcription.e2e.test.ts).
import { describe, expect, it } from 'vitest';
import type { TranscriberApi } from './recorder-types.ts';
import { BatchTranscriber, RealtimeTranscriber, transcriptionHttpError } from './transcription.ts';

describe('transcriptionHttpError', () => {
  const code = (status: number, body: unknown) =>
    transcriptionHttpError(status, typeof body === 'string' ? body : JSON.stringify(body), 'Transcription').code;

  it('maps statuses and service codes to what a UI can say', () => {
    expect(code(413, { error: { code: 'payload_too_large', message: 'The file is too large.' } })).toBe('too-large');
    expect(code(400, { detail: { status: 'max_duration_exceeded', message: 'Too long.' } })).toBe('too-large');
    expect(code(401, { detail: { status: 'quota_exceeded', message: 'No hours left.' } })).toBe('quota');
    expect(code(429, { error: { code: 'rate_limited', message: 'Slow down.' } })).toBe('quota');
    expect(code(401, { detail: { status: 'invalid_api_key', message: 'Bad key.' } })).toBe('auth');
    expect(code(403, { error: { code: 'origin_not_allowed', message: 'No.' } })).toBe('auth');
    expect(code(422, { detail: [{ loc: ['body', 'model_id'], msg: 'field required' }] })).toBe('invalid-request');
    expect(code(400, 'not json')).toBe('invalid-request');
    expect(code(502, { error: { code: 'upstream_failed', message: 'Down.' } })).toBe('network');
  });

  it('keeps the service’s sentence', () => {
    const error = transcriptionHttpError(
      422,
      JSON.stringify({ detail: [{ loc: ['body', 'file'], msg: 'field required' }] }),
      'Transcription',
    );
    expect(error.message).toContain('file: field required');
    expect(error.status).toBe(422);
  });
});

describe('modes', () => {
  it('batch takes a recording, realtime a stream; each says so when given the other', async () => {
    await expect((new BatchTranscriber() as TranscriberApi).start({} as MediaStream)).rejects.toMatchObject({
      code: 'invalid-request',
    });
    await expect((new RealtimeTranscriber() as TranscriberApi).transcribe(new Blob())).rejects.toMatchObject({
      code: 'invalid-request',
    });
  });

  it('a failed upload is a network error in the snapshot', async () => {
    const transcriber = new BatchTranscriber({ endpoint: 'http://127.0.0.1:9/nothing-listens-here' });
    await expect(transcriber.transcribe(new Blob([new Uint8Array(4)], { type: 'audio/wav' }))).rejects.toMatchObject({
      code: 'network',
    });
    expect(transcriber.getSnapshot()).toMatchObject({ status: 'error', error: { code: 'network' } });
    transcriber.reset();
    expect(transcriber.getSnapshot()).toMatchObject({ status: 'idle', error: null, text: '' });
  });
});
