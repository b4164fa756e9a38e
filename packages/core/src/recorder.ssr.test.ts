// @vitest-environment node
// On a server: importing and constructing the recorder, the device list and a level reader touches no browser API;
// starting says the browser is needed, as a typed error.
import { describe, expect, it } from 'vitest';
import { audioLevels } from './audio-levels.ts';
import { MediaDevicesStore } from './media-devices.ts';
import { Recorder } from './recorder.ts';

describe('the recorder on a server', () => {
  it('constructs and answers every getter; start() ends in a typed error', async () => {
    expect(typeof window).toBe('undefined');
    const recorder = new Recorder({ format: 'wav' });
    expect(recorder.getSnapshot()).toMatchObject({ status: 'idle', error: null, take: null });
    expect(recorder.getDuration()).toBe(0);
    expect(recorder.stream).toBeNull();
    recorder.pause();
    recorder.resume();
    expect(await recorder.stop()).toBeNull();
    await recorder.start();
    expect(recorder.getSnapshot()).toMatchObject({ status: 'error', error: { reason: 'unsupported' } });
    recorder.destroy();
  });

  it('lists no devices and reads silent levels', async () => {
    const devices = new MediaDevicesStore();
    expect(devices.getSnapshot()).toEqual({ devices: [], permission: 'unknown', selected: '' });
    await devices.refresh();
    devices.select('x'); // nowhere to remember it, and no error
    devices.destroy();
    const levels = audioLevels({ outputNode: null });
    expect(levels.getLevel()).toBe(0);
    expect([...levels.getBands(3)]).toEqual([0, 0, 0]);
    levels.release();
  });
});
