// <LevelMeter>: how loud the microphone (or a player) is, as a bar whose length is written every frame through a
// custom property (no React render), and a `meter` whose value assistive technology reads, updated a few times a
// second at most so it is not a stream of changes.
import type { RecorderApi } from '@elevenkit/core';
import { useRef, type ComponentPropsWithoutRef } from 'react';
import { useAnimationFrames } from './animation-frame.ts';
import { classNames } from './compose.ts';
import { useLevelInput } from './recorder-context.ts';
import { useAudioLevels, type LevelInput } from '../use-audio-levels.ts';

export interface LevelMeterProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'> {
  /**
   * What to measure: a stream, a player, or a getter. Default: the stream of the recorder (prop or <Recorder.Root>),
   * else the player of the nearest <AudioPlayer.Root>.
   */
  source?: LevelInput;
  recorder?: RecorderApi;
  /** The meter's accessible name (default "Microphone level"). */
  label?: string;
  /** The spoken value for a level in percent (default "Silent" below 5 %, else "40%"). */
  formatValueText?: (percent: number) => string;
  /** How often the meter's ARIA value may change, in ms (default 250: four times a second). */
  announceInterval?: number;
}

/** Below this many percent the meter reads "Silent". */
const SILENT = 5;
const valueText = (percent: number) => (percent < SILENT ? 'Silent' : `${percent}%`);

/**
 * A level meter: `role="meter"` 0–100 named "Microphone level", its bar `--ek-level` (0–1) set each frame while
 * there is a source. `data-state` is `live` while it measures, `idle` otherwise. It never opens the microphone.
 */
export function LevelMeter({
  source,
  recorder: recorderProp,
  label = 'Microphone level',
  formatValueText = valueText,
  announceInterval = 250,
  ...rest
}: LevelMeterProps) {
  const input = useLevelInput(source, recorderProp);
  const levels = useAudioLevels(input);
  const ref = useRef<HTMLDivElement>(null);
  const last = useRef({ at: -Infinity, percent: 0 });

  useAnimationFrames(Boolean(input), (now) => {
    const node = ref.current;
    if (!node) return;
    const level = input ? Math.min(1, Math.max(0, levels.getLevel())) : 0;
    node.style.setProperty('--ek-level', level.toFixed(3));
    const percent = Math.round(level * 100);
    // The ARIA value at a low rate (and at once when it falls silent): a screen reader reads it on demand.
    const silenced = percent < SILENT && last.current.percent >= SILENT;
    if (percent !== last.current.percent && (now - last.current.at >= announceInterval || silenced)) {
      last.current = { at: now, percent };
      node.setAttribute('aria-valuenow', String(percent));
      node.setAttribute('aria-valuetext', formatValueText(percent));
    }
  });

  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={0}
      aria-valuetext={formatValueText(0)}
      {...rest}
      ref={ref}
      className={classNames('ek-level-meter', rest.className)}
      data-state={input ? 'live' : 'idle'}
    >
      <div className="ek-level-meter-bar" />
    </div>
  );
}
