// The recorder hooks in jsdom (no microphone here): one Recorder per component that survives StrictMode's rehearsal
// unmount and is destroyed (the microphone let go) on a real unmount; nothing asks for the microphone on mount; the
// devices hook binds a shared store; the levels hook reads getters without rendering.
import { Recorder, type RecorderApi } from '@elevenkit/core';
import { act, useEffect, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from './components/test-render.tsx';
import { TestDevices } from './components/test-recorder.ts';
import { useAudioLevels, type LevelGetters, type LevelInput } from './use-audio-levels.ts';
import { useMediaDevices, type MediaDevicesState } from './use-media-devices.ts';
import { useRecorder, type RecorderState } from './use-recorder.ts';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

describe('useRecorder', () => {
  it('one recorder for the component, idle, without asking for the microphone; destroyed on unmount', async () => {
    const getUserMedia = vi.fn();
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getUserMedia } });
    const destroy = vi.spyOn(Recorder.prototype, 'destroy');
    const seen = new Set<RecorderApi>();
    let last: RecorderState | null = null;
    function Probe() {
      const state = useRecorder({ format: 'wav' });
      useEffect(() => {
        seen.add(state.recorder);
        last = state;
      });
      return null;
    }
    render(<Probe />);
    await settle();
    // StrictMode unmounted and remounted it: the same recorder lives on.
    expect(seen.size).toBe(1);
    expect(destroy).not.toHaveBeenCalled();
    expect(last!.snapshot.status).toBe('idle');
    expect(getUserMedia).not.toHaveBeenCalled();
    cleanup();
    await settle();
    expect(destroy).toHaveBeenCalledTimes(1);
    expect(destroy.mock.contexts[0]).toBe([...seen][0]);
  });
});

describe('useMediaDevices', () => {
  it('binds a shared store: its devices and choice, and select() remembers', async () => {
    const store = new TestDevices({ devices: [{ deviceId: 'a', label: 'Headset', groupId: 'g' }], selected: 'a' });
    let state: MediaDevicesState | null = null;
    function Probe() {
      const devices = useMediaDevices(store);
      useEffect(() => void (state = devices));
      return null;
    }
    render(<Probe />);
    expect(state!.devices.map((device) => device.label)).toEqual(['Headset']);
    expect(state!.selected).toBe('a');
    act(() => state!.select(''));
    expect(store.calls).toEqual([['select', '']]);
    expect(state!.selected).toBe('');
    cleanup();
    expect(store.calls).not.toContainEqual(['destroy']); // shared: its owner destroys it
  });
});

describe('useAudioLevels', () => {
  it('one object for the component that reads the current source, and silence without one', async () => {
    const readers = new Set<LevelGetters>();
    let renders = 0;
    function Probe({ source }: { source: LevelInput }) {
      renders++;
      const levels = useAudioLevels(source);
      useEffect(() => void readers.add(levels));
      return null;
    }
    let level = 0.25;
    const getter = () => level;
    let setSource: (source: LevelInput) => void = () => {};
    function Host() {
      const [source, set] = useState<LevelInput>(() => getter);
      setSource = set;
      return <Probe source={source} />;
    }
    render(<Host />);
    const [levels] = [...readers];
    expect(levels!.getLevel()).toBe(0.25);
    expect([...levels!.getBands(3)]).toEqual([0.25, 0.25, 0.25]);
    const before = renders;
    level = 0.75;
    expect(levels!.getLevel()).toBe(0.75); // read when asked: no render
    expect(renders).toBe(before);
    act(() => setSource(null));
    expect(levels!.getLevel()).toBe(0);
    expect(readers.size).toBe(1);
  });
});
