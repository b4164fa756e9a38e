// The recorder components' input in jsdom tests: objects implementing `RecorderApi` and `MediaDevicesApi` whose
// state the test sets. Not a stand-in for the engine's behaviour (stories, the demo and its e2e test use the real
// Recorder with Chromium's fake microphone); it lets keyboard and ARIA tests put the components in each state.
import {
  Store,
  type MediaDevicesApi,
  type MediaDevicesSnapshot,
  type RecordedTake,
  type RecorderApi,
  type RecorderError,
  type RecorderSnapshot,
} from '@elevenkit/core';

export const IDLE: RecorderSnapshot = {
  status: 'idle',
  error: null,
  deviceId: null,
  deviceLabel: null,
  mimeType: null,
  take: null,
  stopReason: null,
};

export class TestRecorder extends Store<RecorderSnapshot> implements RecorderApi {
  readonly calls: [string, ...unknown[]][] = [];
  duration = 0;
  stream: MediaStream | null = null;
  /** What the next start() ends in: recording (default), or this error. */
  nextError: RecorderError | null = null;
  /** The device start() reports in use. */
  device = { deviceId: 'mic-1', deviceLabel: 'Desk microphone' };

  constructor(patch: Partial<RecorderSnapshot> = {}) {
    super({ ...IDLE, ...patch });
  }

  set(patch: Partial<RecorderSnapshot>) {
    this.update(patch);
  }

  start = async () => {
    this.calls.push(['start']);
    this.update({ ...IDLE, status: 'requesting' });
    await Promise.resolve();
    if (this.nextError) this.update({ status: 'error', error: this.nextError });
    else this.update({ status: 'recording', mimeType: 'audio/webm;codecs=opus', ...this.device });
  };
  pause = () => {
    this.calls.push(['pause']);
    this.update({ status: 'paused' });
  };
  resume = () => {
    this.calls.push(['resume']);
    this.update({ status: 'recording' });
  };
  stop = async () => {
    this.calls.push(['stop']);
    const take: RecordedTake = {
      blob: new Blob([new Uint8Array(8)], { type: 'audio/webm' }),
      mimeType: 'audio/webm',
      duration: this.duration,
    };
    this.update({ status: 'stopped', take, stopReason: 'user', deviceId: null, deviceLabel: null });
    return take;
  };
  cancel = () => {
    this.calls.push(['cancel']);
    this.update({ ...IDLE });
  };
  setDevice = async (deviceId: string) => {
    this.calls.push(['setDevice', deviceId]);
    if (this.getSnapshot().status === 'recording') this.update({ deviceId, deviceLabel: `Device ${deviceId}` });
  };
  getDuration = () => this.duration;
  onChunk = () => () => {};
  destroy = () => void this.calls.push(['destroy']);
}

export class TestDevices extends Store<MediaDevicesSnapshot> implements MediaDevicesApi {
  readonly calls: [string, ...unknown[]][] = [];

  constructor(patch: Partial<MediaDevicesSnapshot> = {}) {
    super({ devices: [], permission: 'prompt', selected: '', ...patch });
  }

  set(patch: Partial<MediaDevicesSnapshot>) {
    this.update(patch);
  }

  select = (deviceId: string) => {
    this.calls.push(['select', deviceId]);
    this.update({ selected: deviceId });
  };
  refresh = async () => void this.calls.push(['refresh']);
  destroy = () => void this.calls.push(['destroy']);
}
