// Keyboard and ARIA behaviour of the recorder's parts in jsdom, given a recorder in each state (TestRecorder).
// Recording itself is tested in the stories and the demo's e2e test, with the real Recorder and a fake microphone.
import type { RecorderErrorReason } from '@elevenkit/core';
import { act, Profiler } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LevelMeter } from './level-meter.tsx';
import { LiveWaveform } from './live-waveform.tsx';
import { MicSelector } from './mic-selector.tsx';
import { Recorder, RECORDER_ERROR_MESSAGES } from './recorder.tsx';
import { cleanup, render } from './test-render.tsx';
import { TestDevices, TestRecorder } from './test-recorder.ts';
import { AudioPlayer } from './audio-player.tsx';
import { TestPlayer } from './test-player.ts';

/** Lets animation frames run (jsdom's requestAnimationFrame is a timer). */
const frames = (ms = 40) => act(() => new Promise((resolve) => setTimeout(resolve, ms)));

// jsdom has no 2D canvas: the waveform tests give it a context that counts drawing.
beforeEach(() => void vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null));

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

const byLabel = <T extends HTMLElement>(container: HTMLElement, name: string) => {
  const found = container.querySelector<T>(`[aria-label="${name}"]`);
  if (!found) throw new Error(`Nothing is named ${name}`);
  return found;
};

/** Clicks like a keyboard user pressing Enter on the focused button. */
const press = async (button: HTMLElement) => {
  button.focus();
  await act(async () => button.click());
};

function Kit({ recorder, devices }: { recorder: TestRecorder; devices?: TestDevices }) {
  return (
    <Recorder.Root recorder={recorder}>
      <Recorder.RecordButton />
      <Recorder.PauseButton />
      <Recorder.StopButton />
      <Recorder.CancelButton />
      <Recorder.Timer />
      <Recorder.LevelMeter />
      <Recorder.LiveWaveform />
      <Recorder.MicSelector devices={devices ?? new TestDevices()} />
      <Recorder.Status />
    </Recorder.Root>
  );
}

describe('Recorder', () => {
  it('names the group and every control; idle, only Record can be pressed and nothing asks for the microphone', () => {
    const recorder = new TestRecorder();
    const page = render(<Kit recorder={recorder} />);
    expect(page.querySelector('[role="group"]')?.getAttribute('aria-label')).toBe('Recorder');
    const names = [
      'Record',
      'Pause recording',
      'Stop recording',
      'Discard recording',
      'Microphone level',
      'Microphone',
    ];
    for (const name of names) byLabel(page, name);
    expect(byLabel<HTMLButtonElement>(page, 'Record').disabled).toBe(false);
    for (const name of ['Pause recording', 'Stop recording', 'Discard recording']) {
      expect(byLabel<HTMLButtonElement>(page, name).disabled).toBe(true);
    }
    expect(page.querySelector('[role="status"]')?.textContent).toBe('');
    expect(page.querySelector('[role="timer"]')?.textContent).toBe('0:00');
    expect(recorder.calls).toEqual([]);
  });

  it('record, pause, resume and stop: the names say what a press does, the status says what happens', async () => {
    const recorder = new TestRecorder();
    const page = render(<Kit recorder={recorder} />);
    const status = () => page.querySelector('[role="status"]')!;
    let pending!: () => void;
    recorder.start = () => {
      recorder.calls.push(['start']);
      recorder.set({ status: 'requesting' });
      return new Promise<void>((resolve) => (pending = resolve));
    };
    await press(byLabel(page, 'Record'));
    expect(recorder.calls).toEqual([['start']]);
    expect(status().textContent).toBe('Waiting for permission to use the microphone…');
    expect(byLabel<HTMLButtonElement>(page, 'Record').disabled).toBe(true);

    act(() => recorder.set({ status: 'recording', deviceId: 'mic-1' }));
    pending();
    expect(status().textContent).toBe('Recording');
    expect(page.querySelector('.ek-recorder')?.getAttribute('data-state')).toBe('recording');
    // The pressed Record button is disabled now: focus goes on to Stop, not to the page.
    expect(document.activeElement).toBe(byLabel(page, 'Stop recording'));

    await press(byLabel(page, 'Pause recording'));
    expect(status().textContent).toBe('Paused');
    await press(byLabel(page, 'Resume recording'));
    expect(status().textContent).toBe('Recording');

    recorder.duration = 3.4;
    await press(byLabel(page, 'Stop recording'));
    expect(recorder.calls).toEqual([['start'], ['pause'], ['resume'], ['stop']]);
    expect(status().textContent).toBe('Recording stopped. 3 seconds recorded.');
    expect(document.activeElement).toBe(byLabel(page, 'Record again'));
    await frames();
    expect(page.querySelector('[role="timer"]')?.textContent).toBe('0:03');

    await press(byLabel(page, 'Discard recording'));
    expect(recorder.calls.at(-1)).toEqual(['cancel']);
    expect(byLabel<HTMLButtonElement>(page, 'Record').disabled).toBe(false);
    await frames();
    expect(page.querySelector('[role="timer"]')?.textContent).toBe('0:00');

    // While the browser asks for the microphone, Discard gives up waiting.
    act(() => recorder.set({ status: 'requesting' }));
    expect(byLabel<HTMLButtonElement>(page, 'Discard recording').disabled).toBe(false);
    await press(byLabel(page, 'Discard recording'));
    expect(recorder.calls.at(-1)).toEqual(['cancel']);
  });

  it('says why the microphone could not be used, with what to do, and offers to try again', async () => {
    const reasons = Object.keys(RECORDER_ERROR_MESSAGES) as RecorderErrorReason[];
    for (const reason of reasons) {
      const recorder = new TestRecorder();
      recorder.nextError = { reason, message: `engine: ${reason}` };
      const page = render(<Kit recorder={recorder} />);
      await press(byLabel(page, 'Record'));
      const status = page.querySelector('[role="status"]')!;
      expect(status.getAttribute('data-error')).toBe(reason);
      expect(status.textContent).toBe(RECORDER_ERROR_MESSAGES[reason]);
      const retry = byLabel<HTMLButtonElement>(page, 'Try again');
      expect(retry.disabled).toBe(false);
      cleanup();
    }
    expect(RECORDER_ERROR_MESSAGES.denied).toMatch(/Allow it in the browser’s site settings/);
    expect(RECORDER_ERROR_MESSAGES.dismissed).toMatch(/Try again/);
  });

  it('says why it stopped by itself', () => {
    const recorder = new TestRecorder();
    const page = render(<Recorder.Status recorder={recorder} />);
    const take = { blob: new Blob(), mimeType: 'audio/wav', duration: 61 };
    act(() => recorder.set({ status: 'stopped', stopReason: 'max-duration', take }));
    expect(page.textContent).toBe('Recording stopped at the time limit. 1 minute, 1 second recorded.');
    act(() => recorder.set({ stopReason: 'silence' }));
    expect(page.textContent).toMatch(/^Recording stopped after a silence\./);
    act(() => recorder.set({ stopReason: 'device-lost' }));
    expect(page.textContent).toMatch(/^The microphone was disconnected/);
    // As the engine reports a microphone lost mid-take: an error, with its own sentence and the take kept.
    const error = { reason: 'denied', message: 'Microphone access was turned off while recording.' } as const;
    act(() => recorder.set({ status: 'error', error, stopReason: 'device-lost', take }));
    expect(page.textContent).toBe('Microphone access was turned off while recording. 1 minute, 1 second recorded.');
  });

  it('plays back a take a lost microphone ended, not only a stopped one', () => {
    const recorder = new TestRecorder();
    const page = render(<Recorder.Playback recorder={recorder} />);
    expect(page.querySelector('[role="group"]')).toBeNull();
    const take = { blob: new Blob([new Uint8Array(44)], { type: 'audio/wav' }), mimeType: 'audio/wav', duration: 2 };
    const error = { reason: 'not-found', message: 'The microphone was disconnected.' } as const;
    act(() => recorder.set({ status: 'error', error, stopReason: 'device-lost', take }));
    expect(page.querySelector('[role="group"]')?.getAttribute('aria-label')).toBe('Your recording');
  });

  it('translates: labels and messages', async () => {
    const recorder = new TestRecorder();
    recorder.nextError = { reason: 'denied', message: '' };
    const page = render(
      <Recorder.Root recorder={recorder} label="Aufnahme">
        <Recorder.RecordButton labels={{ record: 'Aufnehmen', retry: 'Erneut versuchen' }} />
        <Recorder.Status messages={{ errors: { ...RECORDER_ERROR_MESSAGES, denied: 'Mikrofon blockiert.' } }} />
      </Recorder.Root>,
    );
    byLabel(page, 'Aufnahme');
    await press(byLabel(page, 'Aufnehmen'));
    expect(page.querySelector('[role="status"]')?.textContent).toBe('Mikrofon blockiert.');
    byLabel(page, 'Erneut versuchen');
  });

  it('the timer runs every frame while recording without rendering React', async () => {
    const recorder = new TestRecorder({ status: 'recording' });
    let commits = 0;
    const page = render(
      <Profiler id="recorder" onRender={() => void commits++}>
        <Kit recorder={recorder} />
      </Profiler>,
    );
    const timer = page.querySelector('[role="timer"]')!;
    commits = 0;
    const shown: string[] = [];
    for (const seconds of [1, 2.5, 61, 62]) {
      recorder.duration = seconds;
      await frames();
      shown.push(timer.textContent!);
    }
    expect(shown).toEqual(['0:01', '0:02', '1:01', '1:02']);
    expect(commits).toBe(0);
  });

  it('throws a sentence when a part has no recorder', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<Recorder.StopButton />)).toThrow(/needs a recorder/);
  });
});

describe('Recorder.Playback', () => {
  it('shows the take in a player once stopped, and goes when it is discarded or a new recording starts', async () => {
    const recorder = new TestRecorder();
    const page = render(<Recorder.Playback recorder={recorder} />);
    expect(page.querySelector('[role="group"]')).toBeNull();
    recorder.duration = 2;
    await act(async () => void (await recorder.stop()));
    const group = page.querySelector('[role="group"]');
    expect(group?.getAttribute('aria-label')).toBe('Your recording');
    expect(group?.querySelector('.ek-play-button')).not.toBeNull(); // (jsdom cannot decode it: it stays loading)
    byLabel(page, 'Download recording');
    act(() => recorder.set({ status: 'recording' }));
    expect(page.querySelector('[role="group"]')).toBeNull();
  });
});

describe('LevelMeter', () => {
  it('a named meter whose bar follows the level every frame and whose spoken value changes at a low rate', async () => {
    let level = 0.5;
    let commits = 0;
    const page = render(
      <Profiler id="meter" onRender={() => void commits++}>
        <LevelMeter source={() => level} announceInterval={1000} />
      </Profiler>,
    );
    const meter = page.querySelector<HTMLElement>('[role="meter"]')!;
    expect(meter.getAttribute('aria-label')).toBe('Microphone level');
    expect(meter.getAttribute('aria-valuemin')).toBe('0');
    expect(meter.getAttribute('aria-valuemax')).toBe('100');
    expect(meter.dataset.state).toBe('live');
    commits = 0;
    await frames();
    expect(meter.style.getPropertyValue('--ek-level')).toBe('0.500');
    expect(meter.getAttribute('aria-valuenow')).toBe('50');
    expect(meter.getAttribute('aria-valuetext')).toBe('50%');
    // The bar moves at once; the spoken value waits out the interval.
    level = 0.8;
    await frames();
    expect(meter.style.getPropertyValue('--ek-level')).toBe('0.800');
    expect(meter.getAttribute('aria-valuenow')).toBe('50');
    await frames(1100);
    expect(meter.getAttribute('aria-valuenow')).toBe('80');
    level = 0.01;
    await frames();
    expect(meter.getAttribute('aria-valuetext')).toBe('Silent'); // silence is said at once
    expect(commits).toBe(0);
  });

  it('inside <AudioPlayer.Root> (as in Recorder.Playback) it shows the player', async () => {
    const player = TestPlayer.loaded(3);
    player.getLevel = () => 0.4;
    const page = render(
      <AudioPlayer.Root player={player}>
        <LevelMeter label="Playback level" />
      </AudioPlayer.Root>,
    );
    await frames();
    expect(byLabel(page, 'Playback level').style.getPropertyValue('--ek-level')).toBe('0.400');
  });

  it('without a source it is idle at zero', () => {
    const page = render(<LevelMeter source={null} label="Input level" />);
    const meter = page.querySelector('[role="meter"]')!;
    expect(meter.getAttribute('aria-label')).toBe('Input level');
    expect(meter.getAttribute('aria-valuenow')).toBe('0');
    expect(meter.getAttribute('data-state')).toBe('idle');
  });
});

describe('LiveWaveform', () => {
  /** A 2D context that counts the bars drawn. */
  function countingCanvas() {
    const drawn = { frames: 0, bars: 0 };
    const context = {
      clearRect: () => void drawn.frames++,
      fillRect: () => void drawn.bars++,
      fillStyle: '',
    } as unknown as CanvasRenderingContext2D;
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(context as never);
    Object.defineProperty(HTMLCanvasElement.prototype, 'clientWidth', { configurable: true, get: () => 49 });
    Object.defineProperty(HTMLCanvasElement.prototype, 'clientHeight', { configurable: true, get: () => 20 });
    return drawn;
  }

  afterEach(() => {
    delete (HTMLCanvasElement.prototype as { clientWidth?: number }).clientWidth;
    delete (HTMLCanvasElement.prototype as { clientHeight?: number }).clientHeight;
  });

  it('decorative by default; an image with a name when given a label', () => {
    const page = render(
      <>
        <LiveWaveform source={null} />
        <LiveWaveform source={null} label="Your voice" />
      </>,
    );
    const [plain, named] = page.querySelectorAll<HTMLElement>('.ek-live-waveform');
    expect(plain!.getAttribute('aria-hidden')).toBe('true');
    expect(named!.getAttribute('role')).toBe('img');
    expect(named!.getAttribute('aria-label')).toBe('Your voice');
  });

  it('asks for one band per bar that fits and draws every frame, without rendering React', async () => {
    const drawn = countingCanvas();
    const asked: number[] = [];
    const source = {
      getLevel: () => 0.5,
      getBands: (count: number, into?: Float32Array) => (
        asked.push(count),
        (into ?? new Float32Array(count)).fill(0.5)
      ),
    };
    let commits = 0;
    const page = render(
      <Profiler id="waveform" onRender={() => void commits++}>
        <LiveWaveform source={source} barWidth={4} barGap={1} />
      </Profiler>,
    );
    commits = 0;
    await frames(100);
    expect(page.querySelector('.ek-live-waveform')?.getAttribute('data-state')).toBe('live');
    expect(asked.length).toBeGreaterThan(1);
    expect(asked.at(-1)).toBe(10); // (49 + 1) / (4 + 1)
    expect(drawn.frames).toBeGreaterThan(1);
    expect(commits).toBe(0);
  });

  it('under prefers-reduced-motion it redraws at most twice a second', async () => {
    const drawn = countingCanvas();
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query.includes('reduce') }));
    render(<LiveWaveform source={{ getLevel: () => 0.3 }} />);
    const before = drawn.frames;
    await frames(200);
    expect(drawn.frames - before).toBeLessThanOrEqual(1);
    vi.unstubAllGlobals();
  });
});

describe('MicSelector', () => {
  const devices = () =>
    new TestDevices({
      permission: 'granted',
      devices: [
        { deviceId: 'default', label: 'Default - Desk microphone', groupId: 'g1' },
        { deviceId: 'mic-1', label: 'Desk microphone', groupId: 'g1' },
        { deviceId: 'mic-2', label: 'Headset', groupId: 'g2' },
      ],
    });

  const options = (select: HTMLSelectElement) => [...select.options].map((option) => option.textContent);

  it('a named native select: the system default (by name) and each microphone once', () => {
    const page = render(<MicSelector devices={devices()} />);
    const select = byLabel<HTMLSelectElement>(page, 'Microphone');
    expect(select.tagName).toBe('SELECT');
    expect(options(select)).toEqual(['System default (Desk microphone)', 'Desk microphone', 'Headset']);
    expect(select.value).toBe('');
  });

  it('before permission the browser gives no names: numbered ones instead, and nothing is asked', () => {
    const store = new TestDevices({
      permission: 'prompt',
      devices: [
        { deviceId: 'a', label: '', groupId: '' },
        { deviceId: 'b', label: '', groupId: '' },
      ],
    });
    const page = render(<MicSelector devices={store} />);
    expect(options(byLabel(page, 'Microphone'))).toEqual(['System default', 'Microphone 1', 'Microphone 2']);
    expect(page.querySelector('select')?.dataset.permission).toBe('prompt');
    expect(store.calls).toEqual([]);
  });

  it('remembers a choice; while recording it shows the device in use and switches the recorder', async () => {
    const store = devices();
    const recorder = new TestRecorder();
    const page = render(<MicSelector devices={store} recorder={recorder} />);
    const select = byLabel<HTMLSelectElement>(page, 'Microphone');
    const choose = (value: string) =>
      act(() => {
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      });
    choose('mic-2');
    expect(store.calls).toEqual([['select', 'mic-2']]);
    expect(select.value).toBe('mic-2');

    // The recorder opened another device than the one remembered: the select shows the truth.
    await act(async () => recorder.set({ status: 'recording', deviceId: 'mic-1' }));
    expect(select.value).toBe('mic-1');
    expect(store.calls).toContainEqual(['refresh']); // names can be read now
    choose('mic-2');
    expect(recorder.calls).toContainEqual(['setDevice', 'mic-2']);
    expect(select.value).toBe('mic-2');
  });

  it('says so when switching fails (the recording goes on with the microphone it had)', async () => {
    const recorder = new TestRecorder({ status: 'recording', deviceId: 'mic-1' });
    recorder.setDevice = () => Promise.reject(new Error('Another app or tab is using that microphone.'));
    const page = render(<MicSelector devices={devices()} recorder={recorder} />);
    const select = byLabel<HTMLSelectElement>(page, 'Microphone');
    await act(async () => {
      select.value = 'mic-2';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(page.querySelector('[role="alert"]')?.textContent).toBe('Another app or tab is using that microphone.');
    expect(select.value).toBe('mic-1');
  });
});
