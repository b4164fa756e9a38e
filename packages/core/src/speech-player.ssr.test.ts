// @vitest-environment node
// On a server: importing and constructing the player touches no browser API; loading says it needs a browser.
import { describe, expect, it } from 'vitest';
import { SpeechPlayer } from './speech-player.ts';

describe('SpeechPlayer on a server', () => {
  it('constructs, answers every getter and fails a load with a typed error', async () => {
    expect(typeof window).toBe('undefined');
    const player = new SpeechPlayer({ path: 'auto' });
    expect(player.getSnapshot()).toMatchObject({ status: 'idle', words: [], activeWord: -1, path: null });
    expect(player.getCurrentTime()).toBe(0);
    expect(player.getLevel()).toBe(0);
    expect(player.getFrequencyData()).toBeNull();
    expect([...player.getPeaks(3)]).toEqual([0, 0, 0]);
    expect(player.download()).toBeNull();
    expect(player.outputNode).toBeNull();
    player.pause();
    player.stop();
    player.seek(2);
    player.setRate(1.5);
    player.setVolume(0.5);
    await player.play();
    await player.unlock();
    await player.load({ type: 'url', url: '/hello.mp3' });
    expect(player.getSnapshot()).toMatchObject({
      status: 'error',
      error: { code: 'unsupported', message: expect.stringMatching(/browser/) },
      rate: 1.5,
      volume: 0.5,
    });
    player.destroy();
    expect(player.getSnapshot()).toMatchObject({ status: 'idle', error: null, rate: 1.5 });
  });
});
