// One requestAnimationFrame loop per player, shared by every part that shows the current time (scrub bar, time,
// waveform progress). It runs only while the player plays or buffers; otherwise one frame after each snapshot
// change or seek. Parts write to the DOM in their callback: no React render per frame.
import type { PlayerSnapshot, SpeechPlayerApi } from '@elevenkit/core';
import { useEffect, useRef } from 'react';

export type FrameCallback = (currentTime: number, snapshot: PlayerSnapshot) => void;

const nextFrame = (callback: () => void): number =>
  typeof requestAnimationFrame === 'function'
    ? requestAnimationFrame(callback)
    : (setTimeout(callback, 16) as unknown as number);
const cancelFrame = (id: number) =>
  typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(id) : clearTimeout(id);

class FrameClock {
  readonly #player: SpeechPlayerApi;
  readonly #callbacks = new Set<FrameCallback>();
  #frame = 0;
  #unsubscribe: (() => void) | null = null;

  constructor(player: SpeechPlayerApi) {
    this.#player = player;
  }

  add(callback: FrameCallback): () => void {
    this.#callbacks.add(callback);
    this.#unsubscribe ??= this.#player.subscribe(this.request);
    this.request();
    return () => {
      this.#callbacks.delete(callback);
      if (this.#callbacks.size) return;
      this.#unsubscribe?.();
      this.#unsubscribe = null;
      if (this.#frame) cancelFrame(this.#frame);
      this.#frame = 0;
    };
  }

  /** Runs the callbacks on the next frame (once, unless the player is playing). */
  readonly request = () => {
    if (!this.#frame && this.#callbacks.size) this.#frame = nextFrame(this.#tick);
  };

  readonly #tick = () => {
    this.#frame = 0;
    const snapshot = this.#player.getSnapshot();
    const time = this.#player.getCurrentTime();
    for (const callback of [...this.#callbacks]) callback(time, snapshot);
    if (snapshot.status === 'playing' || snapshot.status === 'buffering') this.request();
  };
}

const clocks = new WeakMap<SpeechPlayerApi, FrameClock>();

function clockFor(player: SpeechPlayerApi): FrameClock {
  let clock = clocks.get(player);
  if (!clock) clocks.set(player, (clock = new FrameClock(player)));
  return clock;
}

/** Calls `callback(currentTime, snapshot)` on animation frames while the player plays, and after changes. */
export function usePlayerFrame(player: SpeechPlayerApi, callback: FrameCallback): void {
  const latest = useRef(callback);
  useEffect(() => {
    latest.current = callback;
  });
  useEffect(() => clockFor(player).add((time, snapshot) => latest.current(time, snapshot)), [player]);
}

/** Asks for a frame now, e.g. after a seek while paused (a seek need not change the snapshot). */
export function requestPlayerFrame(player: SpeechPlayerApi): void {
  clocks.get(player)?.request();
}
