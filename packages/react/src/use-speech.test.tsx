// The hooks in jsdom (no audio plays here): the request useSpeech makes, one load per source under StrictMode,
// reloading only when the source changes in value, typed errors in the snapshot, and cleanup on unmount.
import { act, StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SpeechSource } from '@elevenkit/core';
import { sourceKey, useAudioPlayer, type AudioPlayerState } from './use-audio-player.ts';
import { useSpeech, type SpeechOptions } from './use-speech.ts';
import { useWordTimeline } from './use-word-timeline.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let requests: { url: string; init: RequestInit }[] = [];
let answer: () => Promise<Response> = () => new Promise(() => {});

beforeEach(() => {
  requests = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit) => {
      requests.push({ url, init });
      return answer();
    }),
  );
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {});
  vi.spyOn(HTMLMediaElement.prototype, 'load').mockImplementation(() => {});
});
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function render(node: ReactNode) {
  const host = document.createElement('div');
  root ??= createRoot(host);
  act(() => root!.render(<StrictMode>{node}</StrictMode>));
}

const flush = () => act(() => new Promise((resolve) => setTimeout(resolve, 10)));

/** What the component under test last rendered with. */
const seen: { latest: AudioPlayerState | null } = { latest: null };
function Speaker(props: SpeechOptions) {
  const state = useSpeech(props);
  useEffect(() => {
    seen.latest = state;
  });
  const { words, activeWord } = useWordTimeline(state.player);
  return (
    <p data-status={state.snapshot.status}>
      {words.length} {activeWord}
    </p>
  );
}

describe('useSpeech', () => {
  it('posts { text, voice_id, model_id } to the default route, once under StrictMode', async () => {
    render(<Speaker text="Hello there." voiceId="JBFqnCBsd6RMkjVDRZzb" modelId="eleven_flash_v2_5" />);
    await flush();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('/api/elevenlabs/text-to-speech');
    expect(requests[0]!.init.method).toBe('POST');
    expect(new Headers(requests[0]!.init.headers).get('content-type')).toBe('application/json');
    expect(JSON.parse(requests[0]!.init.body as string)).toEqual({
      text: 'Hello there.',
      voice_id: 'JBFqnCBsd6RMkjVDRZzb',
      model_id: 'eleven_flash_v2_5',
    });
    expect(seen.latest!.snapshot.status).toBe('loading');
  });

  it('asks for nothing without text, adds output_format and body fields when given', async () => {
    render(<Speaker text="" voiceId="v" />);
    await flush();
    expect(requests).toHaveLength(0);
    expect(seen.latest!.snapshot.status).toBe('idle');
    render(<Speaker text="Hi" voiceId="v" endpoint="/tts" outputFormat="pcm_24000" body={{ seed: 1 }} />);
    await flush();
    expect(requests.map((r) => [r.url, JSON.parse(r.init.body as string)])).toEqual([
      ['/tts', { seed: 1, text: 'Hi', voice_id: 'v', output_format: 'pcm_24000' }],
    ]);
  });

  it('reloads when the text changes (aborting the old request), not on every render', async () => {
    render(<Speaker text="One." voiceId="v" />);
    await flush();
    render(<Speaker text="One." voiceId="v" />);
    await flush();
    expect(requests).toHaveLength(1);
    render(<Speaker text="Two." voiceId="v" />);
    await flush();
    expect(requests).toHaveLength(2);
    expect(requests[0]!.init.signal!.aborted).toBe(true);
    expect(requests[1]!.init.signal!.aborted).toBe(false);
  });

  it('shows a refusal as a typed error', async () => {
    answer = async () => Response.json({ error: { code: 'unauthorized', message: 'Sign in first.' } }, { status: 401 });
    render(<Speaker text="Hi" voiceId="v" />);
    await flush();
    expect(seen.latest!.snapshot).toMatchObject({ status: 'error', error: { code: 'auth', status: 401 } });
    answer = () => new Promise(() => {});
  });

  it('stops the request and frees the player on unmount', async () => {
    render(<Speaker text="Bye." voiceId="v" />);
    await flush();
    const { player } = seen.latest!;
    act(() => root!.unmount());
    root = null;
    expect(requests[0]!.init.signal!.aborted).toBe(true);
    expect(player.getSnapshot().status).toBe('idle');
  });
});

describe('useAudioPlayer', () => {
  it('keeps one player for the component and gives a websocket source’s text input once loaded', async () => {
    const players = new Set<unknown>();
    const sent: string[] = [];
    class FakeSocket extends EventTarget {
      static OPEN = 1;
      readyState = 0;
      onopen: (() => void) | null = null;
      onmessage = null;
      onclose = null;
      constructor() {
        super();
        setTimeout(() => {
          this.readyState = 1;
          this.onopen?.();
        });
      }
      send(data: string) {
        sent.push(data);
      }
      close() {}
    }
    vi.stubGlobal('WebSocket', FakeSocket);
    const source: SpeechSource = { type: 'websocket', url: 'wss://example.test/stream-input', format: 'pcm_16000' };
    function Socket() {
      const state = useAudioPlayer({ ...source });
      useEffect(() => {
        seen.latest = state;
        players.add(state.player);
      });
      return null;
    }
    render(<Socket />);
    expect(seen.latest!.input).toBeNull();
    await flush();
    expect(players.size).toBe(1);
    seen.latest!.input!.append('Hello ');
    expect(sent.map((d) => JSON.parse(d))).toEqual([{ text: ' ' }, { text: 'Hello ' }]);
  });

  it('gives equal sources equal keys', () => {
    const blob = new Blob(['x']);
    expect(sourceKey({ type: 'blob', blob })).toBe(sourceKey({ type: 'blob', blob }));
    expect(sourceKey({ type: 'blob', blob })).not.toBe(sourceKey({ type: 'blob', blob: new Blob(['x']) }));
    const stream = (body: string): SpeechSource => ({
      type: 'stream',
      url: '/tts',
      init: { method: 'POST', body, headers: { 'Content-Type': 'application/json' } },
      format: 'mp3_44100_128',
      timestamps: true,
    });
    expect(sourceKey(stream('{"text":"a"}'))).toBe(sourceKey(stream('{"text":"a"}')));
    expect(sourceKey(stream('{"text":"a"}'))).not.toBe(sourceKey(stream('{"text":"b"}')));
  });
});
