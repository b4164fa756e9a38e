// A requestAnimationFrame loop for parts that draw or write text outside React (the recorder's timer, the level
// meter, the live waveform): it runs only while `active`, calls the latest callback, and stops on unmount.
import { useEffect, useRef } from 'react';

const nextFrame = (callback: (now: number) => void): number =>
  typeof requestAnimationFrame === 'function'
    ? requestAnimationFrame(callback)
    : (setTimeout(() => callback(performance.now()), 16) as unknown as number);
const cancelFrame = (id: number) =>
  typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(id) : clearTimeout(id);

/**
 * Calls `callback(now)` every animation frame while `active`, and once on the next frame whenever `active` or
 * `key` changes (so a display shows its final value). Never renders: the callback writes to the DOM itself.
 */
export function useAnimationFrames(active: boolean, callback: (now: number) => void, key?: unknown): void {
  const latest = useRef(callback);
  useEffect(() => {
    latest.current = callback;
  });
  useEffect(() => {
    let frame = 0;
    const tick = (now: number) => {
      latest.current(now);
      if (active) frame = nextFrame(tick);
    };
    frame = nextFrame(tick);
    return () => cancelFrame(frame);
  }, [active, key]);
}

/** Whether the reader asked for less motion (false on the server and where matchMedia is missing). */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
