// <Recorder.*>: the microphone recorder's controls as compound parts over one `RecorderApi`. Each part works on its
// own (`recorder={…}`) or inside <Recorder.Root recorder={…}>; each renders plain elements with `ek-*` class names
// and `data-state` (the recorder's status), styled by the optional styles.css.
import type {
  RecordedTake,
  RecorderApi,
  RecorderError,
  RecorderErrorReason,
  RecorderStatus,
  StopReason,
} from '@elevenkit/core';
import { useEffect, useLayoutEffect, useRef, type ComponentPropsWithoutRef, type ReactNode } from 'react';
import { useAudioPlayer } from '../use-audio-player.ts';
import { useAnimationFrames } from './animation-frame.ts';
import { AudioPlayer } from './audio-player.tsx';
import { classNames, composeHandlers } from './compose.ts';
import { formatTime, formatTimePhrase } from './format-time.ts';
import { DiscardIcon, PauseIcon, PlayIcon, RecordIcon, StopIcon } from './icons.tsx';
import { LevelMeter } from './level-meter.tsx';
import { LiveWaveform } from './live-waveform.tsx';
import { MicSelector } from './mic-selector.tsx';
import { RecorderContext, useResolvedRecorder, useRecorderSelector } from './recorder-context.ts';

const isLive = (status: RecorderStatus) => status === 'recording' || status === 'paused';

// useLayoutEffect warns during server rendering; effects do not run there anyway.
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

// ---- Root ------------------------------------------------------------------------------------------------------

export interface RecorderRootProps extends ComponentPropsWithoutRef<'div'> {
  recorder: RecorderApi;
  /** The group's accessible name (default "Recorder"). */
  label?: string;
}

/**
 * Gives its parts the recorder and groups them under one name. `data-state` is the status, `data-error` the error's
 * reason. When a press disables the focused button (Record once recording starts, Stop once it stops), focus moves
 * to the control that comes next (Stop, then Record again), so a keyboard user is not dropped to the page.
 */
export function RecorderRoot({ recorder, label = 'Recorder', children, onFocus, ...rest }: RecorderRootProps) {
  const status = useRecorderSelector(recorder, (s) => s.status, 'idle');
  const reason = useRecorderSelector(recorder, (s) => s.error?.reason ?? null, null);
  const root = useRef<HTMLDivElement>(null);
  const focused = useRef<HTMLElement | null>(null);

  useIsomorphicLayoutEffect(() => {
    const node = root.current;
    const was = focused.current as HTMLButtonElement | null;
    const active = document.activeElement;
    // Only when the focused control was just disabled and focus fell to the page (not moved elsewhere on purpose).
    if (!node || !was?.disabled || !node.contains(was) || (active && active !== was && active !== document.body))
      return;
    const next = isLive(status) ? ['.ek-recorder-stop', '.ek-recorder-pause'] : ['.ek-recorder-record'];
    for (const selector of next) {
      const target = node.querySelector<HTMLButtonElement>(`${selector}:not(:disabled)`);
      if (target) return void target.focus();
    }
  }, [status]);

  return (
    <RecorderContext.Provider value={recorder}>
      <div
        role="group"
        aria-label={label}
        {...rest}
        ref={root}
        className={classNames('ek-recorder', rest.className)}
        data-state={status}
        data-error={reason ?? undefined}
        onFocus={(event) => {
          onFocus?.(event);
          focused.current = event.target;
        }}
      >
        {children}
      </div>
    </RecorderContext.Provider>
  );
}

// ---- Buttons ---------------------------------------------------------------------------------------------------

interface ButtonProps extends Omit<ComponentPropsWithoutRef<'button'>, 'children'> {
  recorder?: RecorderApi;
  /** Custom content; the button then takes its name from it (pass `aria-label` if it is only an icon). */
  children?: ReactNode;
}

export interface RecorderRecordButtonLabels {
  /** Before the first recording. */
  record: string;
  /** After one (starting again replaces it). */
  again: string;
  /** After an error. */
  retry: string;
}

export interface RecorderRecordButtonProps extends ButtonProps {
  labels?: Partial<RecorderRecordButtonLabels>;
}

const RECORD_LABELS: RecorderRecordButtonLabels = { record: 'Record', again: 'Record again', retry: 'Try again' };

/**
 * Starts recording: asks for the microphone (the first time, the browser prompts) and records. Named "Record",
 * "Record again" after a take, "Try again" after an error; disabled while asking and while recording.
 */
export function RecorderRecordButton({
  recorder: recorderProp,
  labels,
  children,
  onClick,
  ...rest
}: RecorderRecordButtonProps) {
  const recorder = useResolvedRecorder(recorderProp, 'Recorder.RecordButton');
  const status = useRecorderSelector(recorder, (s) => s.status, 'idle');
  const names = { ...RECORD_LABELS, ...labels };
  const name = status === 'error' ? names.retry : status === 'stopped' ? names.again : names.record;
  return (
    <button
      type="button"
      aria-label={children === undefined ? name : undefined}
      disabled={status === 'requesting' || isLive(status)}
      {...rest}
      className={classNames('ek-button', 'ek-recorder-record', rest.className)}
      data-state={status}
      onClick={composeHandlers(onClick, () => void recorder.start())}
    >
      {children ?? <RecordIcon />}
    </button>
  );
}

export interface RecorderPauseButtonProps extends ButtonProps {
  labels?: Partial<{ pause: string; resume: string }>;
}

/** Pauses and resumes; named for what a press does ("Pause recording" / "Resume recording"). */
export function RecorderPauseButton({
  recorder: recorderProp,
  labels,
  children,
  onClick,
  ...rest
}: RecorderPauseButtonProps) {
  const recorder = useResolvedRecorder(recorderProp, 'Recorder.PauseButton');
  const status = useRecorderSelector(recorder, (s) => s.status, 'idle');
  const names = { pause: 'Pause recording', resume: 'Resume recording', ...labels };
  const paused = status === 'paused';
  return (
    <button
      type="button"
      aria-label={children === undefined ? (paused ? names.resume : names.pause) : undefined}
      disabled={!isLive(status)}
      {...rest}
      className={classNames('ek-button', 'ek-recorder-pause', rest.className)}
      data-state={status}
      data-action={paused ? 'resume' : 'pause'}
      onClick={composeHandlers(onClick, () => (paused ? recorder.resume() : recorder.pause()))}
    >
      {children ?? (paused ? <PlayIcon /> : <PauseIcon />)}
    </button>
  );
}

export interface RecorderStopButtonProps extends ButtonProps {
  /** The button's name (default "Stop recording"). */
  label?: string;
}

/** Stops, keeps the take and releases the microphone. Enabled while recording or paused. */
export function RecorderStopButton({
  recorder: recorderProp,
  label = 'Stop recording',
  children,
  onClick,
  ...rest
}: RecorderStopButtonProps) {
  const recorder = useResolvedRecorder(recorderProp, 'Recorder.StopButton');
  const status = useRecorderSelector(recorder, (s) => s.status, 'idle');
  return (
    <button
      type="button"
      aria-label={children === undefined ? label : undefined}
      disabled={!isLive(status)}
      {...rest}
      className={classNames('ek-button', 'ek-recorder-stop', rest.className)}
      data-state={status}
      onClick={composeHandlers(onClick, () => void recorder.stop())}
    >
      {children ?? <StopIcon />}
    </button>
  );
}

export interface RecorderCancelButtonProps extends ButtonProps {
  /** The button's name (default "Discard recording"). */
  label?: string;
}

/**
 * Throws the recording away (while recording, or the finished take) and releases the microphone. While the browser
 * asks for permission it gives up waiting: a microphone granted after that is let go at once.
 */
export function RecorderCancelButton({
  recorder: recorderProp,
  label = 'Discard recording',
  children,
  onClick,
  ...rest
}: RecorderCancelButtonProps) {
  const recorder = useResolvedRecorder(recorderProp, 'Recorder.CancelButton');
  const status = useRecorderSelector(recorder, (s) => s.status, 'idle');
  const hasTake = useRecorderSelector(recorder, (s) => s.take !== null, false);
  return (
    <button
      type="button"
      aria-label={children === undefined ? label : undefined}
      disabled={!isLive(status) && !hasTake && status !== 'requesting'}
      {...rest}
      className={classNames('ek-button', 'ek-recorder-cancel', rest.className)}
      data-state={status}
      onClick={composeHandlers(onClick, () => recorder.cancel())}
    >
      {children ?? <DiscardIcon />}
    </button>
  );
}

// ---- Timer -----------------------------------------------------------------------------------------------------

export interface RecorderTimerProps extends Omit<ComponentPropsWithoutRef<'span'>, 'children'> {
  recorder?: RecorderApi;
  /** Default `m:ss` (`h:mm:ss` from an hour). */
  format?: (seconds: number) => string;
}

/**
 * Seconds recorded (pauses not counted), written to the DOM every frame while recording: no React render per frame.
 * `role="timer"`, which screen readers do not announce as it ticks (the status says when recording starts and stops).
 */
export function RecorderTimer({ recorder: recorderProp, format = formatTime, ...rest }: RecorderTimerProps) {
  const recorder = useResolvedRecorder(recorderProp, 'Recorder.Timer');
  const status = useRecorderSelector(recorder, (s) => s.status, 'idle');
  const take = useRecorderSelector(recorder, (s) => s.take, null);
  const ref = useRef<HTMLSpanElement>(null);
  useAnimationFrames(
    status === 'recording',
    () => {
      const node = ref.current;
      if (!node) return;
      // After stop the take's length is the truth; after cancel (idle) back to zero.
      const seconds = status === 'stopped' && take ? take.duration : status === 'idle' ? 0 : recorder.getDuration();
      const text = format(seconds);
      if (node.textContent !== text) node.textContent = text;
    },
    `${status} ${take?.duration}`,
  );
  return (
    <span role="timer" {...rest} ref={ref} className={classNames('ek-time', 'ek-recorder-timer', rest.className)}>
      {format(0)}
    </span>
  );
}

// ---- Status ----------------------------------------------------------------------------------------------------

export interface RecorderStatusMessages {
  idle: string;
  requesting: string;
  recording: string;
  paused: string;
  /** After stop: why it stopped, and how long the take is. */
  stopped: (reason: StopReason | null, take: RecordedTake | null) => string;
  /**
   * A recording the browser ended (microphone unplugged or its permission taken back, recording failed): what
   * happened, and what was kept. By default the recorder's own sentence and the take's length.
   */
  lost: (error: RecorderError, take: RecordedTake | null) => string;
  /** A sentence per reason the microphone could not be used. */
  errors: Record<RecorderErrorReason, string>;
}

/** What a person can do about each reason (the default words of <Recorder.Status>). */
export const RECORDER_ERROR_MESSAGES: Record<RecorderErrorReason, string> = {
  denied:
    'Microphone access is blocked for this site. Allow it in the browser’s site settings (the icon next to the address), then press Try again.',
  dismissed: 'The microphone prompt was closed without an answer. Press Try again and choose Allow.',
  'in-use': 'Another app or tab is using the microphone. Close it, then press Try again.',
  'not-found': 'No microphone was found. Connect one (or pick another), then press Try again.',
  'insecure-context': 'The microphone only works on a secure page: open this site over https (or on localhost).',
  unsupported: 'This browser cannot record audio. Try a current version of Chrome, Edge, Firefox or Safari.',
  constraints:
    'The chosen microphone cannot record with these settings. Pick another microphone, then press Try again.',
  'audio-not-running': 'The browser did not start recording, so nothing was recorded. Press Try again.',
};

const STOP_MESSAGES: Record<StopReason, string> = {
  user: 'Recording stopped.',
  'max-duration': 'Recording stopped at the time limit.',
  silence: 'Recording stopped after a silence.',
  'device-lost': 'The microphone was disconnected, so recording stopped.',
};

const recordedPhrase = (take: RecordedTake | null) => (take ? ` ${formatTimePhrase(take.duration)} recorded.` : '');

export const RECORDER_STATUS_MESSAGES: RecorderStatusMessages = {
  idle: '',
  requesting: 'Waiting for permission to use the microphone…',
  recording: 'Recording',
  paused: 'Paused',
  stopped: (reason, take) => `${STOP_MESSAGES[reason ?? 'user']}${recordedPhrase(take)}`,
  lost: (error, take) => `${error.message}${recordedPhrase(take)}`,
  errors: RECORDER_ERROR_MESSAGES,
};

export interface RecorderStatusProps extends Omit<ComponentPropsWithoutRef<'p'>, 'children'> {
  recorder?: RecorderApi;
  /** Words for each state (for other languages). */
  messages?: Partial<RecorderStatusMessages>;
}

/** The sentence for an error: the reason's words, else the recorder's own message. */
export function recorderErrorMessage(
  error: RecorderError | null,
  errors: Partial<Record<RecorderErrorReason, string>> = RECORDER_ERROR_MESSAGES,
) {
  if (!error) return 'The microphone could not be used.';
  return errors[error.reason] ?? error.message;
}

/**
 * The recorder's state in words, in a polite live region: waiting for permission, recording, paused, stopped (with
 * why and how long), and for an error what to do about it. `data-state` is the status; `data-error` the reason.
 */
export function RecorderStatus({ recorder: recorderProp, messages, ...rest }: RecorderStatusProps) {
  const recorder = useResolvedRecorder(recorderProp, 'Recorder.Status');
  const status = useRecorderSelector(recorder, (s) => s.status, 'idle');
  const error = useRecorderSelector(recorder, (s) => s.error, null);
  const stopReason = useRecorderSelector(recorder, (s) => s.stopReason, null);
  const take = useRecorderSelector(recorder, (s) => s.take, null);
  const words = { ...RECORDER_STATUS_MESSAGES, ...messages };
  const text =
    status === 'error' && stopReason === 'device-lost' && error
      ? words.lost(error, take)
      : status === 'error'
        ? recorderErrorMessage(error, { ...RECORDER_ERROR_MESSAGES, ...messages?.errors })
        : status === 'stopped'
          ? words.stopped(stopReason, take)
          : words[status];
  return (
    <p
      role="status"
      {...rest}
      className={classNames('ek-status', 'ek-recorder-status', rest.className)}
      data-state={status}
      data-error={status === 'error' ? (error?.reason ?? 'unknown') : undefined}
    >
      {text}
    </p>
  );
}

// ---- Playback of the take --------------------------------------------------------------------------------------

export interface RecorderPlaybackProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'> {
  recorder?: RecorderApi;
  /** The player group's accessible name (default "Your recording"). */
  label?: string;
  /** The player's parts (default: play, time, scrub bar, duration, download, status). */
  children?: ReactNode;
}

/**
 * The finished take in an <AudioPlayer> (a `{ type: 'blob' }` source; nothing until there is a take). It loads
 * without playing; a new take replaces it, and it empties when the take is discarded or a new recording starts.
 * Custom `children` are the player's parts; a <LevelMeter> or <LiveWaveform> among them shows the playback.
 */
export function RecorderPlayback({
  recorder: recorderProp,
  label = 'Your recording',
  children,
  ...rest
}: RecorderPlaybackProps) {
  const recorder = useResolvedRecorder(recorderProp, 'Recorder.Playback');
  // A take a lost microphone ended is kept too (status `error`, stopReason `device-lost`).
  const take = useRecorderSelector(
    recorder,
    (s) => (s.status === 'stopped' || s.status === 'error' ? s.take : null),
    null,
  );
  const { player } = useAudioPlayer(take ? { type: 'blob', blob: take.blob } : null, { autoplay: false });
  if (!take) return null;
  return (
    <AudioPlayer.Root
      player={player}
      label={label}
      {...rest}
      className={classNames('ek-recorder-playback', rest.className)}
    >
      {/* Parts in here belong to the player: a LevelMeter or LiveWaveform shows what plays, not the microphone. */}
      <RecorderContext.Provider value={null}>
        {children ?? (
          <>
            <AudioPlayer.PlayButton />
            <AudioPlayer.Time />
            <AudioPlayer.ScrubBar />
            <AudioPlayer.Duration />
            <AudioPlayer.Download filename="recording" label="Download recording" />
            <AudioPlayer.Status />
          </>
        )}
      </RecorderContext.Provider>
    </AudioPlayer.Root>
  );
}

// ---- The compound ----------------------------------------------------------------------------------------------

/**
 * The recorder's parts:
 *
 * ```tsx
 * const { recorder } = useRecorder();
 * <Recorder.Root recorder={recorder}>
 *   <Recorder.RecordButton /> <Recorder.PauseButton /> <Recorder.StopButton /> <Recorder.Timer />
 *   <Recorder.LevelMeter /> <Recorder.LiveWaveform /> <Recorder.MicSelector />
 *   <Recorder.Status /> <Recorder.Playback />
 * </Recorder.Root>
 * ```
 */
export const Recorder = {
  Root: RecorderRoot,
  RecordButton: RecorderRecordButton,
  PauseButton: RecorderPauseButton,
  StopButton: RecorderStopButton,
  CancelButton: RecorderCancelButton,
  Timer: RecorderTimer,
  Status: RecorderStatus,
  LevelMeter,
  LiveWaveform,
  MicSelector,
  Playback: RecorderPlayback,
} as const;
