// <LiveWaveform>: the sound as it happens, drawn on a canvas in requestAnimationFrame from a level reader — bars of
// frequency bands, or a scrolling history of the level. Sizes and colours are read on resize, not per frame; no
// React render per frame; under prefers-reduced-motion it redraws twice a second instead of every frame.
import type { RecorderApi } from '@elevenkit/core';
import { useCallback, useEffect, useRef, type ComponentPropsWithoutRef } from 'react';
import { prefersReducedMotion, useAnimationFrames } from './animation-frame.ts';
import { classNames } from './compose.ts';
import { useLevelInput } from './recorder-context.ts';
import { useAudioLevels, type LevelInput } from '../use-audio-levels.ts';

export interface LiveWaveformProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'> {
  /**
   * What to draw: a stream, a player, or a getter. Default: the stream of the recorder (prop or <Recorder.Root>),
   * else the player of the nearest <AudioPlayer.Root>.
   */
  source?: LevelInput;
  recorder?: RecorderApi;
  /** `bars` (default): frequency bands, low to high. `scrolling`: the level over the last seconds, newest right. */
  mode?: 'bars' | 'scrolling';
  /** Bar width and gap in CSS pixels (default 3 and 2). */
  barWidth?: number;
  barGap?: number;
  /**
   * A name makes it an image (`role="img"`) for assistive technology; without one it is decorative (`aria-hidden`),
   * which suits a waveform next to a level meter or status that says the same in words.
   */
  label?: string;
}

interface Canvas {
  context: CanvasRenderingContext2D;
  width: number;
  height: number;
  scale: number;
  colour: string;
}

function drawBars(canvas: Canvas, values: Float32Array, bar: number, pitch: number) {
  const { context, width, height, colour } = canvas;
  context.clearRect(0, 0, width, height);
  context.fillStyle = colour;
  const middle = height / 2;
  for (let i = 0; i < values.length; i++) {
    const value = Math.min(Math.max(values[i] ?? 0, 0), 1);
    const h = Math.max(value * height, bar); // silence is a row of dots, so the waveform stays visible
    context.fillRect(i * pitch, middle - h / 2, bar, h);
  }
}

/**
 * A live waveform of a stream, player or getter. `data-state` is `live` while it has a source, `idle` otherwise;
 * `--ek-live-waveform-color` (or the canvas's CSS `color`) colours it. It never opens the microphone.
 */
export function LiveWaveform({
  source,
  recorder: recorderProp,
  mode = 'bars',
  barWidth = 3,
  barGap = 2,
  label,
  ...rest
}: LiveWaveformProps) {
  const input = useLevelInput(source, recorderProp);
  const live = Boolean(input);
  const levels = useAudioLevels(input);
  const ref = useRef<HTMLCanvasElement>(null);
  const canvas = useRef<Canvas | null>(null);
  const values = useRef(new Float32Array(0));
  const state = useRef({ lastDraw: -Infinity, lastSample: -Infinity, reduced: false });

  /** Sizes the canvas to its box at the device's pixel ratio and reads its colour: on mount and resize only. */
  const measure = useCallback(() => {
    const node = ref.current;
    const context = node?.getContext('2d');
    if (!node || !context) return void (canvas.current = null);
    const scale = (typeof devicePixelRatio === 'number' && devicePixelRatio) || 1;
    const width = Math.round(node.clientWidth * scale);
    const height = Math.round(node.clientHeight * scale);
    if (node.width !== width) node.width = width;
    if (node.height !== height) node.height = height;
    canvas.current = { context, width, height, scale, colour: getComputedStyle(node).color };
    const count = Math.max(0, Math.floor((node.clientWidth + barGap) / (barWidth + barGap)));
    if (values.current.length !== count) values.current = new Float32Array(count);
    state.current.reduced = prefersReducedMotion();
  }, [barWidth, barGap]);

  const draw = useCallback(() => {
    const target = canvas.current;
    if (!target) return;
    drawBars(target, values.current, barWidth * target.scale, (barWidth + barGap) * target.scale);
  }, [barWidth, barGap]);

  useEffect(() => {
    measure();
    draw();
    const node = ref.current;
    if (!node || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(() => {
      measure();
      draw();
    });
    observer.observe(node);
    return () => observer.disconnect();
    // Measured again when it goes live or idle: the colour may differ (styles.css dims an idle waveform).
  }, [measure, draw, live]);

  useAnimationFrames(
    live,
    (now) => {
      const s = state.current;
      const bars = values.current;
      if (!input) {
        if (mode === 'bars') bars.fill(0); // the source went away: back to a row of dots (a history stays)
      } else if (mode === 'bars') {
        if (s.reduced && now - s.lastDraw < 500) return;
        levels.getBands(bars.length, bars);
      } else {
        // One new column every 50 ms (twice a second under reduced motion), shifted in from the right.
        if (now - s.lastSample < (s.reduced ? 500 : 50)) return;
        s.lastSample = now;
        bars.copyWithin(0, 1);
        if (bars.length) bars[bars.length - 1] = levels.getLevel();
      }
      s.lastDraw = now;
      draw();
    },
    mode,
  );

  return (
    <div
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })}
      {...rest}
      className={classNames('ek-live-waveform', rest.className)}
      data-state={live ? 'live' : 'idle'}
      data-mode={mode}
    >
      <canvas ref={ref} className="ek-live-waveform-canvas" />
    </div>
  );
}
