// What the recorder stories share: microphone failures injected through the Recorder's `getUserMedia` seam (for the
// reasons Chromium's fake device cannot produce), a pixel check for canvases, and a frame counter. The microphone
// itself is Chromium's fake device (the Vitest browser runs with --use-fake-device-for-media-stream and
// --use-fake-ui-for-media-stream: a beeping input, permission granted). Not a library export.
import '../packages/react/src/styles.css';
import type { RecorderErrorReason, RecorderOptions } from '@elevenkit/core';

/** How getUserMedia fails for each reason, the way browsers report it. */
const FAILURES: Record<
  Exclude<MicrophoneScenario, 'fake-microphone' | 'never-answers' | 'insecure-context'>,
  [name: string, message: string]
> = {
  denied: ['NotAllowedError', 'Permission denied'],
  dismissed: ['NotAllowedError', 'Permission dismissed'],
  'in-use': ['NotReadableError', 'Could not start audio source'],
  'not-found': ['NotFoundError', 'Requested device not found'],
  constraints: ['OverconstrainedError', 'Constraints could not be satisfied'],
  unsupported: ['NotSupportedError', 'Not supported'],
};

/** `audio-not-running` is not a microphone failure (the recorder's AudioContext did not run), so it is not here. */
export type MicrophoneScenario =
  'fake-microphone' | 'never-answers' | Exclude<RecorderErrorReason, 'audio-not-running'>;

/**
 * The Recorder's `getUserMedia` for a scenario: Chromium's own (its fake microphone), a prompt that is never answered,
 * or a failure. `insecure-context` fails as a page served over http would (see `insecureContext`).
 */
export function microphoneFor(scenario: MicrophoneScenario): RecorderOptions['getUserMedia'] {
  if (scenario === 'fake-microphone') return undefined;
  if (scenario === 'never-answers') return () => new Promise<MediaStream>(() => {});
  if (scenario === 'insecure-context')
    return () => Promise.reject(new DOMException('Only secure origins', 'SecurityError'));
  const [name, message] = FAILURES[scenario];
  return () => Promise.reject(new DOMException(message, name));
}

/**
 * Makes the page look like plain http for the story (`isSecureContext` false) and puts it back afterwards: a story's
 * `beforeEach`.
 */
export function insecureContext() {
  const own = Object.getOwnPropertyDescriptor(window, 'isSecureContext');
  Object.defineProperty(window, 'isSecureContext', { configurable: true, get: () => false });
  return () => {
    if (own) Object.defineProperty(window, 'isSecureContext', own);
    else delete (window as { isSecureContext?: boolean }).isSecureContext;
  };
}

/** The tallest drawn column as a share of the canvas's height: a row of dots is low, sound is taller. */
export function drawnHeight(canvas: HTMLCanvasElement): number {
  const context = canvas.getContext('2d')!;
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  let tallest = 0;
  for (let x = 0; x < width; x++) {
    let top = -1;
    let bottom = -1;
    for (let y = 0; y < height; y++) {
      if (data[(y * width + x) * 4 + 3]! > 0) {
        if (top < 0) top = y;
        bottom = y;
      }
    }
    if (top >= 0) tallest = Math.max(tallest, bottom - top + 1);
  }
  return tallest / (height || 1);
}

/** Counts animation frames for `ms` milliseconds. */
export function countFrames(ms: number): Promise<number> {
  return new Promise((resolve) => {
    let frames = 0;
    const start = performance.now();
    const tick = (now: number) => {
      frames++;
      if (now - start < ms) requestAnimationFrame(tick);
      else resolve(frames);
    };
    requestAnimationFrame(tick);
  });
}
