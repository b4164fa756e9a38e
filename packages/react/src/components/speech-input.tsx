// SpeechInput: dictation into a text field. Press the microphone button (or Ctrl/⌘+Shift+Space in the field), speak,
// and the words appear at the caret as they are committed, with the words still firming up shown beside the field;
// press again to keep them, Esc to put the field back as it was. Controlled (`value` + `onChange`) or not
// (`defaultValue`). Realtime transcription through your server's token route (see useTranscription).
import { microphoneError, openMicrophone, type TranscriberApi, type TranscriptionOptions } from '@elevenkit/core';
import { CloseIcon, MicIcon } from './icons.tsx';
import { visuallyHidden } from './visually-hidden.ts';
import {
  useEffect,
  useId,
  useRef,
  useState,
  type ChangeEvent,
  type InputHTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
  type TextareaHTMLAttributes,
} from 'react';
import { useTranscription } from '../use-transcription.ts';

export interface SpeechInputMessages {
  /** The microphone button's name (it is a toggle: `aria-pressed` says whether dictation is on). */
  dictate: string;
  cancel: string;
  connecting: string;
  listening: string;
  reconnecting: string;
  /** Said when dictation ends with text added. */
  added: string;
  /** Said when dictation ends with nothing heard. */
  nothing: string;
  cancelled: string;
}

const DEFAULT_MESSAGES: SpeechInputMessages = {
  dictate: 'Dictate',
  cancel: 'Cancel dictation',
  connecting: 'Starting dictation…',
  listening: 'Listening. Speak now; press the button again to finish, Escape to cancel.',
  reconnecting: 'Connection lost; reconnecting. What you said is kept.',
  added: 'Dictation added.',
  nothing: 'Dictation ended; nothing was heard.',
  cancelled: 'Dictation cancelled.',
};

type FieldProps = Omit<
  InputHTMLAttributes<HTMLInputElement> & TextareaHTMLAttributes<HTMLTextAreaElement>,
  'value' | 'defaultValue' | 'onChange' | 'id'
>;

export interface SpeechInputProps extends Omit<TranscriptionOptions, 'commitStrategy'> {
  /** The field's visible label. Omit it only if you label the field yourself (`aria-label` / `aria-labelledby`). */
  label?: ReactNode;
  /** Controlled value; pair with `onChange`. */
  value?: string;
  /** Uncontrolled initial value. */
  defaultValue?: string;
  /** Every change: typing, each committed piece of dictation, and the restore on Esc. */
  onChange?: (value: string) => void;
  /** A `<textarea>` instead of an `<input>`. */
  multiline?: boolean;
  /** The field's id (default: generated). */
  id?: string;
  /** Anything else for the field (name, placeholder, rows, required, aria-*…). */
  fieldProps?: FieldProps;
  /**
   * Opens the microphone (default: the remembered choice, else the default one, with echo cancellation and noise
   * suppression). Its tracks are stopped when dictation ends.
   */
  getStream?: () => Promise<MediaStream>;
  /** Use this transcriber (a test double, or one shared with other components) instead of a realtime one. */
  transcriber?: TranscriberApi;
  /** Called when dictation ends with the text it added ('' when cancelled or nothing was heard). */
  onDictation?: (text: string) => void;
  messages?: Partial<SpeechInputMessages>;
  className?: string;
}

/** The microphone the person chose in a recorder or microphone list (`openMicrophone`), else the default one. */
const defaultStream = () => openMicrophone({ echoCancellation: true, noiseSuppression: true });

const isHotkey = (event: KeyboardEvent) =>
  (event.ctrlKey || event.metaKey) && event.shiftKey && (event.code === 'Space' || event.key === ' ');

/** Puts dictated text between what was before and after the caret, with a space where words would run together. */
export function insertDictation(before: string, after: string, dictated: string): string {
  if (!dictated) return before + after;
  const lead = before && !/\s$/.test(before) ? ' ' : '';
  const trail = after && !/^[\s.,;:!?)]/.test(after) ? ' ' : '';
  return before + lead + dictated + trail + after;
}

interface Session {
  /** The field's text when dictation began, split at the caret. */
  before: string;
  after: string;
  stream: MediaStream | null;
  cancelled: boolean;
  /** A session is live (said once; a reconnection says so). */
  listening: boolean;
  /** What dictation last wrote into the field (or would have, before any words). */
  written: string | null;
}

/**
 * A text field with dictation. Keyboard: the button toggles dictation (Enter/Space), Ctrl/⌘+Shift+Space toggles it
 * from the field, Esc cancels and restores the field. Screen readers hear the status (starting, listening,
 * reconnecting, added, cancelled, errors) through a polite live region; the words firming up are shown, not spoken.
 */
export function SpeechInput(props: SpeechInputProps) {
  const {
    label,
    value,
    defaultValue = '',
    onChange,
    multiline = false,
    id: givenId,
    fieldProps,
    getStream = defaultStream,
    transcriber: given,
    onDictation,
    messages: givenMessages,
    className,
    ...transcription
  } = props;
  const messages = { ...DEFAULT_MESSAGES, ...givenMessages };
  const generatedId = useId();
  const id = givenId ?? `ek-speech-input-${generatedId}`;
  const { transcriber, snapshot } = useTranscription({
    ...transcription,
    mode: 'realtime',
    commitStrategy: 'vad',
    ...(given ? { transcriber: given } : {}),
  });
  const [ownValue, setOwnValue] = useState(defaultValue);
  const current = value ?? ownValue;
  const [announcement, setAnnouncement] = useState('');
  const [micError, setMicError] = useState<string | null>(null);
  const [active, setActive] = useState(false);
  const session = useRef<Session | null>(null);
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const lastCaret = useRef<[number, number] | null>(null);
  const setValue = (next: string) => {
    if (value === undefined) setOwnValue(next);
    onChange?.(next);
  };

  const release = () => {
    const s = session.current;
    for (const track of s?.stream?.getTracks() ?? []) track.stop();
    if (s) s.stream = null;
  };

  const finish = (outcome: 'stop' | 'cancel' | 'error') => {
    const s = session.current;
    release();
    session.current = null;
    setActive(false);
    if (!s) return;
    if (outcome === 'cancel') {
      setValue(s.before + s.after);
      setAnnouncement(messages.cancelled);
      onDictation?.('');
      return;
    }
    const { text, error } = transcriber.getSnapshot();
    setValue(insertDictation(s.before, s.after, text));
    // An error ends dictation; the words committed before it stay in the field.
    setAnnouncement(outcome === 'error' ? (error?.message ?? '') : text ? messages.added : messages.nothing);
    onDictation?.(text);
  };

  // The transcriber's changes, while dictating: the field follows the committed text; the status is said when it
  // changes (not every word); an error ends dictation. Read through a ref: the callback outlives renders.
  const latest = useRef({ setValue, finish, messages });
  useEffect(() => {
    latest.current = { setValue, finish, messages };
  });
  useEffect(
    () =>
      transcriber.subscribe(() => {
        const s = session.current;
        if (!s || s.cancelled) return;
        const { status, text } = transcriber.getSnapshot();
        const { setValue: write, finish: end, messages: m } = latest.current;
        if (status === 'error') return end('error');
        if (status === 'transcribing' && !s.listening) {
          s.listening = true;
          setAnnouncement(m.listening);
        } else if (status === 'connecting' && s.listening) {
          s.listening = false;
          setAnnouncement(m.reconnecting);
        }
        const next = insertDictation(s.before, s.after, text);
        if (next !== s.written) {
          s.written = next;
          write(next);
        }
      }),
    [transcriber],
  );

  // Unmount: let go of the microphone (the transcriber is released by useTranscription).
  useEffect(
    () => () => {
      for (const track of session.current?.stream?.getTracks() ?? []) track.stop();
    },
    [],
  );

  const start = async () => {
    if (session.current) return;
    // Where the words go: the caret (or selection) in the field, or where it was when the field lost focus to the
    // button; at the end of the text if the field was never used.
    const element = field.current;
    const live = element && element === element.ownerDocument.activeElement;
    const [from, to] = live
      ? [element.selectionStart ?? 0, element.selectionEnd ?? 0]
      : (lastCaret.current ?? [current.length, current.length]);
    const caret = Math.min(from, current.length);
    const end = Math.min(Math.max(to, caret), current.length);
    // Dictation replaces a selection, as typing would.
    const s: Session = {
      before: current.slice(0, caret),
      after: current.slice(end),
      stream: null,
      cancelled: false,
      listening: false,
      written: null,
    };
    // A selection stays visible until the first words replace it.
    s.written = s.before + s.after;
    session.current = s;
    transcriber.reset();
    setMicError(null);
    setActive(true);
    setAnnouncement(messages.connecting);
    let stream: MediaStream;
    try {
      stream = await getStream();
    } catch (error) {
      if (session.current === s) {
        session.current = null;
        setActive(false);
        const message = microphoneError(error).message;
        setMicError(message);
        setAnnouncement(message);
      }
      return;
    }
    if (session.current !== s) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    s.stream = stream;
    // Errors land in the snapshot (and end dictation through the subscription above).
    await transcriber.start(stream).catch(() => {});
  };

  const stop = async () => {
    const s = session.current;
    if (!s) return;
    release();
    await transcriber.stop();
    if (session.current === s) finish('stop');
  };

  const cancel = () => {
    const s = session.current;
    if (!s) return;
    s.cancelled = true;
    transcriber.reset();
    finish('cancel');
    field.current?.focus();
  };

  const toggle = () => void (session.current ? stop() : start());

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && session.current) {
      event.preventDefault();
      cancel();
    } else if (isHotkey(event)) {
      event.preventDefault();
      toggle();
    }
  };

  const error = micError ?? (snapshot.error && !active ? snapshot.error.message : null);
  const errorId = `${id}-error`;
  const partialId = `${id}-partial`;
  const state = active ? (snapshot.status === 'transcribing' ? 'listening' : 'connecting') : error ? 'error' : 'idle';
  const Field = multiline ? 'textarea' : 'input';
  const describedBy = [fieldProps?.['aria-describedby'], error ? errorId : null].filter(Boolean).join(' ') || undefined;

  return (
    <div className={['ek-speech-input', className].filter(Boolean).join(' ')} data-state={state} onKeyDown={onKeyDown}>
      {label !== undefined && (
        <label className="ek-speech-input-label" htmlFor={id}>
          {label}
        </label>
      )}
      <div className="ek-speech-input-row">
        <Field
          {...fieldProps}
          ref={field}
          id={id}
          className="ek-speech-input-field"
          value={current}
          // Typing during dictation would fight the words arriving; the field is read-only until it ends.
          readOnly={active || fieldProps?.readOnly}
          aria-describedby={describedBy}
          onChange={(event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setValue(event.target.value)}
          onBlur={(event) => {
            lastCaret.current = [event.target.selectionStart ?? 0, event.target.selectionEnd ?? 0];
            fieldProps?.onBlur?.(event as never);
          }}
        />
        <button
          type="button"
          className="ek-button ek-speech-input-mic"
          aria-label={messages.dictate}
          aria-pressed={active}
          aria-controls={id}
          aria-keyshortcuts="Control+Shift+Space Meta+Shift+Space"
          data-state={state}
          onClick={toggle}
        >
          <MicIcon />
        </button>
        {active && (
          <button
            type="button"
            className="ek-button ek-speech-input-cancel"
            aria-label={messages.cancel}
            aria-keyshortcuts="Escape"
            onClick={cancel}
          >
            <CloseIcon />
          </button>
        )}
      </div>
      {/* The words still firming up: shown, not announced (the live region says what matters). */}
      <p
        className="ek-speech-input-partial"
        id={partialId}
        aria-hidden="true"
        data-empty={!(active && snapshot.partial) || undefined}
      >
        {active ? snapshot.partial : ''}
      </p>
      {error && (
        <p className="ek-speech-input-error" id={errorId}>
          {error}
        </p>
      )}
      <p className="ek-speech-input-status" role="status" style={visuallyHidden}>
        {announcement}
      </p>
    </div>
  );
}
