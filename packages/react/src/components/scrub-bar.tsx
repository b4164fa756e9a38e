// <AudioPlayer.ScrubBar>: a native range input over a track that shows what has arrived and what has played.
import type { SpeechPlayerApi } from '@elevenkit/core';
import { useRef, type ComponentPropsWithoutRef } from 'react';
import { classNames } from './compose.ts';
import { useResolvedPlayer, usePlayerSelector } from './player-context.ts';
import { useSeekSlider, type SeekSliderOptions } from './seek-slider.ts';

export interface AudioPlayerScrubBarProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'>, SeekSliderOptions {
  /** Default: the player of the nearest <AudioPlayer.Root>. */
  player?: SpeechPlayerApi;
  /** The slider's accessible name (default "Seek"). */
  label?: string;
}

/**
 * The seek slider: arrows move by `step` seconds, PageUp/PageDown by `pageStep`, Home/End to the ends; dragging
 * pauses the audio until the pointer is released. Its value is spoken as a phrase ("5 seconds of 12 seconds").
 * Styling hooks: `data-state` (the player's status), `data-scrubbing`, `--ek-progress` and `--ek-buffered` (0–1).
 */
export function AudioPlayerScrubBar({
  player: playerProp,
  label = 'Seek',
  step,
  pageStep,
  formatValueText,
  ...rest
}: AudioPlayerScrubBarProps) {
  const player = useResolvedPlayer(playerProp, 'AudioPlayer.ScrubBar');
  const status = usePlayerSelector(player, (s) => s.status);
  const complete = usePlayerSelector(player, (s) => s.complete);
  const root = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const slider = useSeekSlider(player, { rootRef: root, inputRef: input }, { step, pageStep, formatValueText });
  return (
    <div
      {...rest}
      ref={root}
      className={classNames('ek-scrub-bar', rest.className)}
      style={{ ...slider.rootStyle, ...rest.style }}
      data-state={status}
      data-complete={complete ? '' : undefined}
      data-scrubbing={slider.scrubbing ? '' : undefined}
    >
      <div className="ek-scrub-bar-track" aria-hidden="true">
        <div className="ek-scrub-bar-buffered" />
        <div className="ek-scrub-bar-progress" />
      </div>
      <input {...slider.inputProps} ref={input} className="ek-scrub-bar-input" aria-label={label} />
    </div>
  );
}
