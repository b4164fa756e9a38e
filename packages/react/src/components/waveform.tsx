// <Waveform>: bars of the audio's peaks (from the player: `getPeaks`), a second copy in the progress colour clipped
// to what has played (`--ek-progress`, written per frame without redrawing), and a native range input over both
// for seeking by pointer and keyboard. The canvases are redrawn only when audio arrives or the size changes.
import type { SpeechPlayerApi } from '@elevenkit/core';
import { useCallback, useEffect, useRef, type ComponentPropsWithoutRef } from 'react';
import { classNames } from './compose.ts';
import { useResolvedPlayer, usePlayerSelector } from './player-context.ts';
import { seekableLength, useSeekSlider, type SeekSliderOptions } from './seek-slider.ts';

export interface WaveformProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'>, SeekSliderOptions {
  /** Default: the player of the nearest <AudioPlayer.Root>. */
  player?: SpeechPlayerApi;
  /** Bar width and gap in CSS pixels (default 3 and 2). */
  barWidth?: number;
  barGap?: number;
  /** Seek by clicking, dragging and the keyboard (default true). Otherwise the waveform is decorative. */
  seekable?: boolean;
  /** The seek slider's accessible name (default "Seek in waveform"). */
  label?: string;
}

interface Drawing {
  barWidth: number;
  barGap: number;
}

/** Draws `peaks` as centred bars in the canvas's CSS `color`. */
function drawBars(canvas: HTMLCanvasElement, peaks: Float32Array, { barWidth, barGap }: Drawing, alpha: number) {
  const context = canvas.getContext('2d');
  if (!context) return;
  const { width, height } = canvas;
  const scale = (typeof devicePixelRatio === 'number' && devicePixelRatio) || 1;
  context.clearRect(0, 0, width, height);
  context.fillStyle = getComputedStyle(canvas).color;
  context.globalAlpha = alpha;
  const bar = barWidth * scale;
  const pitch = (barWidth + barGap) * scale;
  const middle = height / 2;
  for (let i = 0; i < peaks.length; i++) {
    const peak = Math.min(Math.max(peaks[i] ?? 0, 0), 1);
    const h = Math.max(peak * height, bar); // silence shows as a dot, so the scale stays readable
    const x = i * pitch;
    if (typeof context.roundRect === 'function') {
      context.beginPath();
      context.roundRect(x, middle - h / 2, bar, h, bar / 2);
      context.fill();
    } else context.fillRect(x, middle - h / 2, bar, h);
  }
}

/**
 * A waveform of the received audio with the played part in the progress colour. Seekable by default: a native
 * range input lies over the bars (same keys and spoken value as the scrub bar). Colours: `--ek-waveform-color`
 * and `--ek-waveform-progress-color` (styles.css), or the canvases' CSS `color`. `data-state` is the status.
 */
export function Waveform({
  player: playerProp,
  barWidth = 3,
  barGap = 2,
  seekable = true,
  label = 'Seek in waveform',
  step,
  pageStep,
  formatValueText,
  ...rest
}: WaveformProps) {
  const player = useResolvedPlayer(playerProp, 'Waveform');
  const status = usePlayerSelector(player, (s) => s.status);
  const buffered = usePlayerSelector(player, (s) => s.buffered);
  const complete = usePlayerSelector(player, (s) => s.complete);
  const root = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  // The bars span what has arrived, so the slider does too (not the estimated whole).
  const slider = useSeekSlider(
    player,
    { rootRef: root, inputRef: input },
    { step, pageStep, formatValueText },
    seekableLength,
  );
  const base = useRef<HTMLCanvasElement>(null);
  const played = useRef<HTMLCanvasElement>(null);

  const draw = useCallback(() => {
    const canvases = [base.current, played.current];
    const first = canvases[0];
    if (!first || !canvases[1]) return;
    const scale = (typeof devicePixelRatio === 'number' && devicePixelRatio) || 1;
    const width = first.clientWidth;
    const height = first.clientHeight;
    const count = Math.max(0, Math.floor((width + barGap) / (barWidth + barGap)));
    const peaks = count > 0 ? player.getPeaks(count) : new Float32Array(0);
    // Without styles both canvases share one colour: then the unplayed bars are drawn fainter.
    const sameColour = getComputedStyle(first).color === getComputedStyle(canvases[1]).color;
    canvases.forEach((canvas, i) => {
      if (!canvas) return;
      const w = Math.round(width * scale);
      const h = Math.round(height * scale);
      if (canvas.width !== w) canvas.width = w;
      if (canvas.height !== h) canvas.height = h;
      drawBars(canvas, peaks, { barWidth, barGap }, i === 0 && sameColour ? 0.35 : 1);
    });
  }, [player, barWidth, barGap]);

  // New audio (more received, or all of it), new bar sizes: redraw.
  useEffect(draw, [draw, buffered, complete]);

  useEffect(() => {
    const node = base.current?.parentElement;
    if (!node || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(() => draw());
    observer.observe(node);
    return () => observer.disconnect();
  }, [draw]);

  return (
    <div
      {...rest}
      ref={root}
      className={classNames('ek-waveform', rest.className)}
      style={{ ...slider.rootStyle, ...rest.style }}
      data-state={status}
      data-complete={complete ? '' : undefined}
      data-scrubbing={slider.scrubbing ? '' : undefined}
    >
      <canvas ref={base} className="ek-waveform-bars" aria-hidden="true" />
      <canvas ref={played} className="ek-waveform-bars ek-waveform-played" aria-hidden="true" />
      {seekable && <input {...slider.inputProps} ref={input} className="ek-waveform-input" aria-label={label} />}
    </div>
  );
}
