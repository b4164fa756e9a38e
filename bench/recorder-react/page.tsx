// The page bench/recorder-react.mjs drives: the whole React recorder kit (every Recorder part, the level meter, the
// live waveform in both modes, the microphone list) on a real Recorder fed by Chromium's fake microphone, under a
// Profiler that counts React commits. Frames are counted with requestAnimationFrame on the same page.
import { Recorder as RecorderEngine } from '../../packages/core/src/index.ts';
import { Recorder, useRecorder } from '../../packages/react/src/index.ts';
import { Profiler, useEffect } from 'react';
import { createRoot } from 'react-dom/client';

const commits = { count: 0 };
let recorder: RecorderEngine | null = null;

function Kit() {
  const state = useRecorder({ format: 'compressed' });
  useEffect(() => {
    recorder = state.recorder;
  }, [state.recorder]);
  return (
    <Recorder.Root recorder={state.recorder}>
      <Recorder.RecordButton />
      <Recorder.PauseButton />
      <Recorder.StopButton />
      <Recorder.CancelButton />
      <Recorder.Timer />
      <Recorder.LevelMeter />
      <Recorder.MicSelector />
      <Recorder.LiveWaveform />
      <Recorder.LiveWaveform mode="scrolling" />
      <Recorder.Status />
      <Recorder.Playback />
    </Recorder.Root>
  );
}

// No StrictMode: its doubled renders are a development aid, not what a page costs.
createRoot(document.getElementById('app')!).render(
  <Profiler id="recorder-kit" onRender={() => void commits.count++}>
    <Kit />
  </Profiler>,
);

const until = (check: () => boolean, timeout = 10_000) =>
  new Promise<void>((resolve, reject) => {
    const start = performance.now();
    const poll = () => {
      if (check()) resolve();
      else if (performance.now() - start > timeout) reject(new Error('timed out'));
      else setTimeout(poll, 20);
    };
    poll();
  });

/** Counts animation frames, and what the timer and meter showed, for `ms`. */
function watchFrames(ms: number) {
  const timer = document.querySelector('[role="timer"]')!;
  const meter = document.querySelector<HTMLElement>('[role="meter"]')!;
  return new Promise<{ frames: number; timerTexts: number; levelChanges: number }>((resolve) => {
    let frames = 0;
    const texts = new Set<string>();
    let levelChanges = 0;
    let lastLevel = '';
    const start = performance.now();
    const tick = (now: number) => {
      frames++;
      texts.add(timer.textContent ?? '');
      const level = meter.style.getPropertyValue('--ek-level');
      if (level !== lastLevel) levelChanges++;
      lastLevel = level;
      if (now - start < ms) requestAnimationFrame(tick);
      else resolve({ frames, timerTexts: texts.size, levelChanges });
    };
    requestAnimationFrame(tick);
  });
}

declare global {
  interface Window {
    recorderBench: { rendersWhileRecording(seconds: number): Promise<Record<string, number>> };
  }
}

window.recorderBench = {
  /** Records for 1 s (start-up: permission, device names), then counts commits and frames for `seconds`. */
  async rendersWhileRecording(seconds) {
    const started = commits.count;
    const record = document.querySelector<HTMLButtonElement>('.ek-recorder-record')!;
    record.click();
    await until(() => recorder?.getSnapshot().status === 'recording');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const startupCommits = commits.count - started;
    commits.count = 0;
    const watched = await watchFrames(seconds * 1000);
    const during = commits.count;
    await recorder!.stop();
    await until(() => document.querySelector('[aria-label="Your recording"]') !== null);
    return { seconds, startupCommits, commits: during, ...watched };
  },
};

document.title = 'ready';
