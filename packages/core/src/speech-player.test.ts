// The player's state logic in jsdom, where no audio plays: the whole-file path with an <audio> element whose
// answers the test gives (the browser refusing to start without a gesture, then allowing it), and a streamed
// request that the server refuses. Playback itself is tested in Chromium (test/player.browser.test.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpeechPlayer } from './speech-player.ts';

let element: HTMLAudioElement | null = null;
let allowed = false;

beforeEach(() => {
  element = null;
  allowed = false;
  URL.createObjectURL = vi.fn(() => 'blob:test-audio');
  URL.revokeObjectURL = vi.fn();
  const create = document.createElement.bind(document);
  vi.spyOn(document, 'createElement').mockImplementation((name: string) => {
    const created = create(name);
    if (name === 'audio') element = created as HTMLAudioElement;
    return created;
  });
  // jsdom has no media playback: the element answers as a browser would.
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() =>
    allowed ? Promise.resolve() : Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError')),
  );
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {});
  vi.spyOn(HTMLMediaElement.prototype, 'load').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SpeechPlayer (whole file, no Web Audio)', () => {
  it('waits for a user gesture when the browser refuses to start, then plays from unlock()', async () => {
    const player = new SpeechPlayer();
    const statuses: string[] = [];
    player.subscribe(() => {
      const { status } = player.getSnapshot();
      if (statuses.at(-1) !== status) statuses.push(status);
    });
    const blob = new Blob([new Uint8Array(8)], { type: 'audio/wav' });
    const loading = player.load({ type: 'blob', blob });
    await settle();
    expect(player.getSnapshot()).toMatchObject({ status: 'loading', path: 'file' });
    expect(element?.getAttribute('src')).toBe('blob:test-audio');

    element!.dispatchEvent(new Event('canplay'));
    await loading;
    await settle();
    expect(player.getSnapshot().status).toBe('needs-user-gesture');

    allowed = true;
    await player.unlock();
    expect(player.getSnapshot().status).toBe('playing');
    element!.dispatchEvent(new Event('waiting'));
    expect(player.getSnapshot().status).toBe('buffering');
    element!.dispatchEvent(new Event('playing'));
    player.pause();
    expect(player.getSnapshot().status).toBe('paused');
    await player.play();
    element!.dispatchEvent(new Event('ended'));
    expect(player.getSnapshot()).toMatchObject({ status: 'ended', complete: true });
    expect(player.download()).toBe(blob);
    expect(statuses).toEqual([
      'loading',
      'needs-user-gesture',
      'playing',
      'buffering',
      'playing',
      'paused',
      'playing',
      'ended',
    ]);

    player.destroy();
    expect(player.getSnapshot()).toMatchObject({ status: 'idle', path: null, complete: false });
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:test-audio');
    expect(player.download()).toBeNull();
  });

  it('does not autoplay when told not to, and ignores the element’s events of an earlier source', async () => {
    allowed = true;
    const player = new SpeechPlayer({ autoplay: false });
    const first = player.load({ type: 'blob', blob: new Blob([new Uint8Array(4)]) });
    await settle();
    const old = element!;
    const second = player.load({ type: 'blob', blob: new Blob([new Uint8Array(4)]) });
    await first;
    await settle();
    old.dispatchEvent(new Event('canplay'));
    expect(player.getSnapshot().status).toBe('paused'); // the same element, the new source's canplay
    await second;
    expect(HTMLMediaElement.prototype.play).not.toHaveBeenCalled();
  });

  it('reports a refused request as a typed error and keeps the request’s shape', async () => {
    const fetch = vi.fn(async () =>
      Response.json(
        { detail: { status: 'quota_exceeded', message: 'You have 0 credits remaining.' } },
        { status: 401 },
      ),
    );
    vi.stubGlobal('fetch', fetch);
    const player = new SpeechPlayer();
    const init = { method: 'POST', body: JSON.stringify({ text: 'Hi' }) };
    await player.load({ type: 'stream', url: '/api/tts', init, format: 'mp3_44100_128', timestamps: true });
    expect(fetch).toHaveBeenCalledWith('/api/tts', expect.objectContaining(init));
    expect(player.getSnapshot()).toMatchObject({
      status: 'error',
      path: 'file', // no MediaSource in jsdom: the whole-file fallback
      error: { code: 'quota', status: 401, message: expect.stringContaining('0 credits') },
    });
    // Nothing to play after an error until the next load.
    await player.play();
    expect(player.getSnapshot().status).toBe('error');
    vi.unstubAllGlobals();
  });

  it('keeps volume, rate and mute across loads and clamps them', () => {
    const player = new SpeechPlayer();
    player.setVolume(3);
    player.setRate(10);
    player.setMuted(true);
    expect(player.getSnapshot()).toMatchObject({ volume: 1, rate: 4, muted: true });
    player.setRate(Number.NaN);
    expect(player.getSnapshot().rate).toBe(1);
    player.destroy();
    expect(player.getSnapshot()).toMatchObject({ volume: 1, muted: true });
  });
});
