// <AudioPlayer.*>: the speech player's controls as compound parts over one `SpeechPlayerApi`. Each part works on
// its own (`player={…}`) or inside <AudioPlayer.Root player={…}>; each renders plain elements with `ek-*` class
// names and `data-state`, styled by the optional styles.css and themed with `--ek-*` custom properties.
import type { PlayerError, PlayerStatus, SpeechPlayerApi } from '@elevenkit/core';
import { useCallback, useRef, type ComponentPropsWithoutRef, type CSSProperties, type ReactNode } from 'react';
import { classNames, composeHandlers } from './compose.ts';
import { formatTime } from './format-time.ts';
import { requestPlayerFrame, usePlayerFrame } from './frame-clock.ts';
import { DownloadIcon, MutedIcon, PauseIcon, PlayIcon, ReplayIcon, SpinnerIcon, VolumeIcon } from './icons.tsx';
import { PlayerContext, useResolvedPlayer, usePlayerSelector } from './player-context.ts';
import { AudioPlayerScrubBar } from './scrub-bar.tsx';
import { visuallyHidden } from './visually-hidden.ts';

// ---- Root ------------------------------------------------------------------------------------------------------

export interface AudioPlayerRootProps extends ComponentPropsWithoutRef<'div'> {
  player: SpeechPlayerApi;
  /** The group's accessible name (default "Audio player"). */
  label?: string;
}

/** Gives its parts the player, and groups them under one name. `data-state` is the player's status. */
export function AudioPlayerRoot({ player, label = 'Audio player', children, ...rest }: AudioPlayerRootProps) {
  const status = usePlayerSelector(player, (s) => s.status);
  return (
    <PlayerContext.Provider value={player}>
      <div
        role="group"
        aria-label={label}
        {...rest}
        className={classNames('ek-audio-player', rest.className)}
        data-state={status}
      >
        {children}
      </div>
    </PlayerContext.Provider>
  );
}

// ---- Play / pause ----------------------------------------------------------------------------------------------

/** What pressing the play button does in each state. */
export type PlayAction = 'play' | 'pause' | 'replay' | 'unlock' | 'retry' | 'none';

/**
 * `playWhenReady` (the snapshot's): a player loading without autoplay waits for play, so a press plays. `canRetry`
 * (the snapshot's): after an error the network or a busy service caused, a press tries again.
 */
export function playActionFor(status: PlayerStatus, playWhenReady = true, canRetry = false): PlayAction {
  switch (status) {
    case 'loading':
      return playWhenReady ? 'pause' : 'play';
    case 'playing':
    case 'buffering':
      return 'pause';
    case 'paused':
      return 'play';
    case 'ended':
      return 'replay';
    case 'needs-user-gesture':
      return 'unlock';
    case 'error':
      return canRetry ? 'retry' : 'none';
    default:
      return 'none'; // idle: nothing loaded
  }
}

export interface AudioPlayerPlayButtonLabels {
  play: string;
  pause: string;
  replay: string;
  retry: string;
}

const PLAY_LABELS: AudioPlayerPlayButtonLabels = { play: 'Play', pause: 'Pause', replay: 'Replay', retry: 'Try again' };

export interface AudioPlayerPlayButtonProps extends Omit<ComponentPropsWithoutRef<'button'>, 'children'> {
  player?: SpeechPlayerApi;
  /** Accessible names of the default icon button (for other languages). */
  labels?: Partial<AudioPlayerPlayButtonLabels>;
  /**
   * Custom content. With children the button takes its name from them (pass `aria-label` if they are only an
   * icon); a function receives the action a press would take and the player's status.
   */
  children?: ReactNode | ((state: { action: PlayAction; status: PlayerStatus }) => ReactNode);
}

/**
 * Play, pause, replay after the end, `unlock()` when the browser wants a gesture before sound, and `retry()` after
 * an error the network or a busy service caused. Disabled while nothing is loaded and after other errors. Its name
 * says what a press does ("Play" / "Pause" / "Replay" / "Try again").
 */
export function AudioPlayerPlayButton({
  player: playerProp,
  labels,
  children,
  onClick,
  ...rest
}: AudioPlayerPlayButtonProps) {
  const player = useResolvedPlayer(playerProp, 'AudioPlayer.PlayButton');
  const status = usePlayerSelector(player, (s) => s.status);
  const playWhenReady = usePlayerSelector(player, (s) => s.playWhenReady);
  const canRetry = usePlayerSelector(player, (s) => s.canRetry);
  const action = playActionFor(status, playWhenReady, canRetry);
  const names = { ...PLAY_LABELS, ...labels };
  const name = action === 'pause' || action === 'replay' || action === 'retry' ? names[action] : names.play;

  const press = () => {
    if (action === 'pause') player.pause();
    else if (action === 'unlock') void player.unlock();
    else if (action === 'play') void player.play();
    else if (action === 'retry') void player.retry();
    else if (action === 'replay') {
      player.seek(0);
      void player.play();
    }
    requestPlayerFrame(player);
  };

  const content =
    typeof children === 'function' ? (
      children({ action, status })
    ) : children !== undefined ? (
      children
    ) : status === 'loading' || status === 'buffering' ? (
      <SpinnerIcon />
    ) : action === 'pause' ? (
      <PauseIcon />
    ) : action === 'replay' || action === 'retry' ? (
      <ReplayIcon />
    ) : (
      <PlayIcon />
    );

  return (
    <button
      type="button"
      aria-label={children === undefined ? name : undefined}
      disabled={action === 'none'}
      {...rest}
      className={classNames('ek-button', 'ek-play-button', rest.className)}
      data-state={status}
      data-action={action}
      onClick={composeHandlers(onClick, press)}
    >
      {content}
    </button>
  );
}

// ---- Time and duration -----------------------------------------------------------------------------------------

/** Writes text into an element without replacing the text node React rendered. */
function writeText(node: HTMLElement | null, text: string) {
  if (!node) return;
  const first = node.firstChild;
  if (first && first.nodeType === 3 && !first.nextSibling) {
    if (first.nodeValue !== text) first.nodeValue = text;
  } else if (node.textContent !== text) node.textContent = text;
}

export interface AudioPlayerTimeProps extends Omit<ComponentPropsWithoutRef<'span'>, 'children'> {
  player?: SpeechPlayerApi;
  /** Default `m:ss` (`h:mm:ss` from an hour). */
  format?: (seconds: number) => string;
}

/** The current position, updated every frame while playing (written to the DOM: no React render per frame). */
export function AudioPlayerTime({ player: playerProp, format = formatTime, ...rest }: AudioPlayerTimeProps) {
  const player = useResolvedPlayer(playerProp, 'AudioPlayer.Time');
  const ref = useRef<HTMLSpanElement>(null);
  usePlayerFrame(player, (time) => writeText(ref.current, format(time)));
  return (
    <span {...rest} ref={ref} className={classNames('ek-time', rest.className)}>
      {format(0)}
    </span>
  );
}

export interface AudioPlayerDurationProps extends Omit<ComponentPropsWithoutRef<'span'>, 'children'> {
  player?: SpeechPlayerApi;
  format?: (seconds: number) => string;
  /** While streaming, show the length estimated from the text so far as "~0:12" (default true). */
  estimate?: boolean;
  /** Shown while the length is not known, nor estimated (default "--:--"). */
  unknown?: ReactNode;
}

/**
 * The total length: "~0:12" while the audio streams in (estimated from the text so far), exact once all of it has
 * arrived. `data-state` is `known`, `estimated` or `unknown`.
 */
export function AudioPlayerDuration({
  player: playerProp,
  format = formatTime,
  estimate = true,
  unknown = '--:--',
  ...rest
}: AudioPlayerDurationProps) {
  const player = useResolvedPlayer(playerProp, 'AudioPlayer.Duration');
  const duration = usePlayerSelector(player, (s) => s.duration);
  const estimated = usePlayerSelector(player, (s) => (estimate ? s.estimatedDuration : null));
  const state =
    duration !== null && Number.isFinite(duration)
      ? 'known'
      : estimated !== null && Number.isFinite(estimated) && estimated > 0
        ? 'estimated'
        : 'unknown';
  return (
    <span {...rest} className={classNames('ek-time', 'ek-duration', rest.className)} data-state={state}>
      {state === 'known' ? (
        format(duration!)
      ) : state === 'estimated' ? (
        <>
          <span aria-hidden="true">~</span>
          <span style={visuallyHidden}>about </span>
          {format(estimated!)}
        </>
      ) : (
        unknown
      )}
    </span>
  );
}

// ---- Status ----------------------------------------------------------------------------------------------------

export type AudioPlayerStatusMessages = Record<Exclude<PlayerStatus, 'error'>, string> & {
  error: (error: PlayerError | null) => string;
};

const STATUS_MESSAGES: AudioPlayerStatusMessages = {
  idle: '',
  loading: 'Loading…',
  buffering: 'Buffering…',
  playing: 'Playing',
  paused: 'Paused',
  ended: 'Finished',
  'needs-user-gesture': 'Press play to hear the audio.',
  error: (error) => error?.message ?? 'The audio could not be played.',
};

export interface AudioPlayerStatusProps extends Omit<ComponentPropsWithoutRef<'p'>, 'children'> {
  player?: SpeechPlayerApi;
  /** Words for each state (for other languages); the error's own sentence by default. */
  messages?: Partial<AudioPlayerStatusMessages>;
}

/**
 * The player's state in words, in a polite live region: loading, buffering, the typed error's sentence, or that
 * the browser wants a press of play. `data-state` is the status; `data-error` the error code.
 */
export function AudioPlayerStatus({ player: playerProp, messages, ...rest }: AudioPlayerStatusProps) {
  const player = useResolvedPlayer(playerProp, 'AudioPlayer.Status');
  const status = usePlayerSelector(player, (s) => s.status);
  const error = usePlayerSelector(player, (s) => s.error);
  const words = { ...STATUS_MESSAGES, ...messages };
  const text = status === 'error' ? words.error(error) : words[status];
  return (
    <p
      role="status"
      {...rest}
      className={classNames('ek-status', rest.className)}
      data-state={status}
      data-error={status === 'error' ? (error?.code ?? 'unknown') : undefined}
    >
      {text}
    </p>
  );
}

// ---- Rate ------------------------------------------------------------------------------------------------------

export interface AudioPlayerRateProps extends Omit<
  ComponentPropsWithoutRef<'select'>,
  'children' | 'value' | 'defaultValue'
> {
  player?: SpeechPlayerApi;
  /** Speeds offered (default 0.5, 0.75, 1, 1.25, 1.5, 2). The player's current rate is always listed. */
  rates?: readonly number[];
  /** The select's accessible name (default "Playback speed"). */
  label?: string;
  format?: (rate: number) => string;
}

const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/** A native select of playback speeds. */
export function AudioPlayerRate({
  player: playerProp,
  rates = RATES,
  label = 'Playback speed',
  format = (rate) => `${rate}×`,
  onChange,
  ...rest
}: AudioPlayerRateProps) {
  const player = useResolvedPlayer(playerProp, 'AudioPlayer.Rate');
  const rate = usePlayerSelector(player, (s) => s.rate);
  const options = rates.includes(rate) ? rates : [...rates, rate].sort((a, b) => a - b);
  return (
    <select
      aria-label={label}
      {...rest}
      className={classNames('ek-select', 'ek-rate', rest.className)}
      value={String(rate)}
      onChange={composeHandlers(onChange, (event) => player.setRate(Number(event.currentTarget.value)))}
    >
      {options.map((option) => (
        <option key={option} value={String(option)}>
          {format(option)}
        </option>
      ))}
    </select>
  );
}

// ---- Volume and mute -------------------------------------------------------------------------------------------

export interface AudioPlayerVolumeProps extends Omit<
  ComponentPropsWithoutRef<'input'>,
  'children' | 'value' | 'defaultValue' | 'type'
> {
  player?: SpeechPlayerApi;
  /** The slider's accessible name (default "Volume"). */
  label?: string;
}

/**
 * A native range 0–1 whose value is spoken as a percentage ("Muted" while muted); moving it unmutes. Arrows move
 * 5 %, PageUp / PageDown 20 %, Home / End to silent / full.
 */
export function AudioPlayerVolume({
  player: playerProp,
  label = 'Volume',
  onChange,
  onKeyDown,
  ...rest
}: AudioPlayerVolumeProps) {
  const player = useResolvedPlayer(playerProp, 'AudioPlayer.Volume');
  const volume = usePlayerSelector(player, (s) => s.volume);
  const muted = usePlayerSelector(player, (s) => s.muted);
  const shown = muted ? 0 : volume;
  const change = useCallback(
    (value: number) => {
      player.setVolume(value);
      if (player.getSnapshot().muted && value > 0) player.setMuted(false);
    },
    [player],
  );
  return (
    <input
      type="range"
      min={0}
      max={1}
      step={0.05}
      aria-label={label}
      aria-valuetext={muted ? 'Muted' : `${Math.round(volume * 100)}%`}
      {...rest}
      className={classNames('ek-volume', rest.className)}
      style={{ '--ek-volume': shown, ...rest.style } as CSSProperties}
      value={shown}
      onChange={composeHandlers(onChange, (event) => change(Number(event.currentTarget.value)))}
      onKeyDown={composeHandlers(onKeyDown, (event) => {
        // The same keys in every browser (and under synthetic events): arrows 5 %, PageUp/PageDown 20 %, Home/End.
        const moves: Record<string, number> = {
          ArrowRight: shown + 0.05,
          ArrowUp: shown + 0.05,
          ArrowLeft: shown - 0.05,
          ArrowDown: shown - 0.05,
          PageUp: shown + 0.2,
          PageDown: shown - 0.2,
          Home: 0,
          End: 1,
        };
        if (!(event.key in moves) || event.altKey || event.ctrlKey || event.metaKey) return;
        event.preventDefault();
        change(Math.round(Math.min(1, Math.max(0, moves[event.key]!)) * 100) / 100);
      })}
    />
  );
}

export interface AudioPlayerMuteProps extends Omit<ComponentPropsWithoutRef<'button'>, 'children'> {
  player?: SpeechPlayerApi;
  /** The toggle's accessible name (default "Mute"); `aria-pressed` says whether it is on. */
  label?: string;
  children?: ReactNode;
}

/** A toggle button: pressed while muted. */
export function AudioPlayerMute({
  player: playerProp,
  label = 'Mute',
  children,
  onClick,
  ...rest
}: AudioPlayerMuteProps) {
  const player = useResolvedPlayer(playerProp, 'AudioPlayer.Mute');
  const muted = usePlayerSelector(player, (s) => s.muted);
  return (
    <button
      type="button"
      aria-label={children === undefined ? label : undefined}
      aria-pressed={muted}
      {...rest}
      className={classNames('ek-button', 'ek-mute', rest.className)}
      data-state={muted ? 'muted' : 'unmuted'}
      onClick={composeHandlers(onClick, () => player.setMuted(!muted))}
    >
      {children ?? (muted ? <MutedIcon /> : <VolumeIcon />)}
    </button>
  );
}

// ---- Download --------------------------------------------------------------------------------------------------

const EXTENSIONS: Record<string, string> = {
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/wav': 'wav',
  'audio/wave': 'wav',
  'audio/x-wav': 'wav',
  'audio/ogg': 'ogg',
  'audio/webm': 'webm',
  'audio/mp4': 'm4a',
};

export interface AudioPlayerDownloadProps extends Omit<ComponentPropsWithoutRef<'button'>, 'children'> {
  player?: SpeechPlayerApi;
  /** The file's name without extension (default "speech"); the extension follows the audio's type. */
  filename?: string;
  /** The button's accessible name (default "Download audio"). */
  label?: string;
  children?: ReactNode;
}

/** Saves the received audio as a file; enabled once the whole audio has arrived. */
export function AudioPlayerDownload({
  player: playerProp,
  filename = 'speech',
  label = 'Download audio',
  children,
  onClick,
  ...rest
}: AudioPlayerDownloadProps) {
  const player = useResolvedPlayer(playerProp, 'AudioPlayer.Download');
  const complete = usePlayerSelector(player, (s) => s.complete);
  const save = () => {
    const blob = player.download();
    if (!blob) return;
    const type = blob.type.split(';')[0]!.trim().toLowerCase();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${filename}.${EXTENSIONS[type] ?? 'bin'}`;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    // The click has started the download by the time timers run; the URL can go.
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  };
  return (
    <button
      type="button"
      aria-label={children === undefined ? label : undefined}
      disabled={!complete}
      {...rest}
      className={classNames('ek-button', 'ek-download', rest.className)}
      onClick={composeHandlers(onClick, save)}
    >
      {children ?? <DownloadIcon />}
    </button>
  );
}

// ---- The compound ----------------------------------------------------------------------------------------------

/**
 * The player's parts:
 *
 * ```tsx
 * <AudioPlayer.Root player={player}>
 *   <AudioPlayer.PlayButton />
 *   <AudioPlayer.Time /> <AudioPlayer.ScrubBar /> <AudioPlayer.Duration />
 *   <AudioPlayer.Rate /> <AudioPlayer.Mute /> <AudioPlayer.Volume /> <AudioPlayer.Download />
 *   <AudioPlayer.Status />
 * </AudioPlayer.Root>
 * ```
 */
export const AudioPlayer = {
  Root: AudioPlayerRoot,
  PlayButton: AudioPlayerPlayButton,
  ScrubBar: AudioPlayerScrubBar,
  Time: AudioPlayerTime,
  Duration: AudioPlayerDuration,
  Status: AudioPlayerStatus,
  Rate: AudioPlayerRate,
  Volume: AudioPlayerVolume,
  Mute: AudioPlayerMute,
  Download: AudioPlayerDownload,
} as const;
