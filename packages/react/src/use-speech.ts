// useSpeech / useTextToSpeech: text, voice and model in, a playing SpeechPlayer out, through your server's
// text-to-speech route (the API key stays on the server).
import {
  defaultSpeechFormat,
  type AudioFormat,
  type PlaybackPath,
  type PlayerOptions,
  type SpeechSource,
} from '@elevenkit/core';
import { useMemo } from 'react';
import { useAudioPlayer, type AudioPlayerState } from './use-audio-player.ts';

export interface SpeechOptions {
  /** What to say. Nothing is requested while it is empty: set it when the text is final (on submit), not per keystroke. */
  text: string | null | undefined;
  /** An ElevenLabs voice id (your route may restrict which). */
  voiceId: string;
  /** An ElevenLabs model id, e.g. `eleven_flash_v2_5` (fastest); your route's default when omitted. */
  modelId?: string;
  /** Your text-to-speech route. Default `/api/elevenlabs/text-to-speech`. */
  endpoint?: string;
  /**
   * The format your route streams. Default `mp3_44100_128` (ElevenLabs' default), which streams through
   * MediaSource; where there is none that plays MP3 (iPhone Safari before iOS 17.1), `pcm_24000`, which streams
   * through Web Audio (`defaultSpeechFormat`). `pcm_16000`–`pcm_24000` start faster (the AudioWorklet path) at more
   * bytes per second. Sent as `output_format` when you set it or when it is not MP3.
   */
  outputFormat?: AudioFormat;
  /** Extra headers (e.g. your own session's CSRF token). */
  headers?: Record<string, string>;
  /** Extra fields for the request body (e.g. `voice_settings`), if your route accepts them. */
  body?: Record<string, unknown>;
  /** Start as soon as audio can play (default true). */
  autoplay?: boolean;
  /** Force a playback path (default `auto`). */
  path?: PlaybackPath | 'auto';
  metadata?: PlayerOptions['metadata'];
  workletUrl?: string;
}

/**
 * Speaks `text` with live word timing, streamed from your server's text-to-speech route. Returns the player and its
 * snapshot (`status`, `words`, `activeWord`…); pair it with `useWordTimeline` or the player components.
 *
 * The request it makes (what `@elevenkit/server`'s route answers):
 *
 * ```http
 * POST /api/elevenlabs/text-to-speech
 * Content-Type: application/json
 *
 * { "text": "Hello!", "voice_id": "JBFqnCBsd6RMkjVDRZzb", "model_id": "eleven_flash_v2_5" }
 * ```
 *
 * (`output_format` is added when you set `outputFormat`, and your `body` fields are merged in.) The route should
 * answer with ElevenLabs' `/v1/text-to-speech/{voice_id}/stream/with-timestamps` passed through: newline-delimited
 * JSON chunks `{ "audio_base64", "alignment", "normalized_alignment" }` (any `application/json`,
 * `application/x-ndjson` or `text/event-stream` type). A route that streams raw audio (`audio/*`, as
 * `/stream` does) plays too, without word timing. Errors are read from `{ "error": { "code", "message" } }` or
 * ElevenLabs' `{ "detail": … }` and the HTTP status.
 *
 * On iPhone, audio starts only from a tap: call `player.unlock()` in the click handler that sets the text, or show
 * a button for the `needs-user-gesture` status.
 */
export function useSpeech(options: SpeechOptions): AudioPlayerState {
  const {
    text,
    voiceId,
    modelId,
    endpoint = '/api/elevenlabs/text-to-speech',
    outputFormat,
    headers,
    body,
    autoplay,
    path,
    metadata,
    workletUrl,
  } = options;
  const headersKey = JSON.stringify(headers ?? {});
  const bodyKey = JSON.stringify(body ?? {});
  const source = useMemo((): SpeechSource | null => {
    if (!text) return null;
    const format = outputFormat ?? defaultSpeechFormat(path);
    return {
      type: 'stream',
      url: endpoint,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...JSON.parse(headersKey) },
        body: JSON.stringify({
          ...JSON.parse(bodyKey),
          text,
          voice_id: voiceId,
          ...(modelId ? { model_id: modelId } : {}),
          ...(format !== 'mp3_44100_128' || outputFormat ? { output_format: format } : {}),
        }),
      },
      format,
      timestamps: true,
      text,
    };
  }, [text, voiceId, modelId, endpoint, outputFormat, path, headersKey, bodyKey]);
  return useAudioPlayer(source, { autoplay, path, metadata, workletUrl });
}

/** The same as `useSpeech`. */
export const useTextToSpeech = useSpeech;
