import type { RecorderError, RecorderErrorReason } from './recorder-types.ts';

/** What went wrong, as a stable code a UI can branch on. */
export type ElevenkitErrorCode =
  | 'microphone-denied'
  | 'microphone-not-found'
  | 'microphone-in-use'
  | 'insecure-context'
  | 'signed-url-failed'
  | 'config-failed'
  | 'connection-failed'
  | 'connection-lost'
  | 'not-authorized'
  | 'unknown-agent'
  | 'server-error'
  | 'invalid-option';

/** An error with a stable `code` and a sentence a person can act on. */
export class ElevenkitError extends Error {
  override readonly name = 'ElevenkitError';
  constructor(
    readonly code: ElevenkitErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A getUserMedia failure as an ElevenkitError with a sentence saying what to do. */
export function microphoneError(error: unknown): ElevenkitError {
  const name = (error as { name?: string } | null)?.name;
  if (typeof isSecureContext === 'boolean' && !isSecureContext) {
    return new ElevenkitError('insecure-context', 'The microphone needs a secure page (https).', { cause: error });
  }
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    return new ElevenkitError(
      'microphone-denied',
      'Microphone access is blocked. Allow it in your browser’s site settings (the icon next to the address), then try again.',
      { cause: error },
    );
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return new ElevenkitError('microphone-not-found', 'No microphone was found. Connect one and try again.', {
      cause: error,
    });
  }
  if (name === 'NotReadableError' || name === 'AbortError') {
    return new ElevenkitError('microphone-in-use', 'The microphone is in use by another app. Close it and try again.', {
      cause: error,
    });
  }
  return new ElevenkitError('microphone-denied', 'The microphone could not be opened.', { cause: error });
}

/** What a person can do about each reason the recorder cannot use the microphone. */
const RECORDER_MESSAGES: Record<RecorderErrorReason, string> = {
  denied:
    'Microphone access is blocked. Allow it in your browser’s site settings (the icon next to the address), then try again.',
  dismissed: 'The microphone prompt was closed. Try again and choose Allow.',
  'in-use':
    'The microphone is in use by another app or tab, or could not be started. Close the other app and try again.',
  'not-found': 'No microphone was found (or the chosen one was disconnected). Connect one and try again.',
  'insecure-context': 'The microphone needs a secure page (https, or localhost while developing).',
  unsupported: 'This browser cannot record audio here.',
  constraints: 'The microphone cannot record with the requested settings.',
  'audio-not-running': 'The browser did not start recording audio, so nothing was recorded. Try again.',
};

/** A RecorderError for a reason, with the standard sentence (or your own). */
export function recorderError(reason: RecorderErrorReason, message = RECORDER_MESSAGES[reason]): RecorderError {
  return { reason, message };
}

/**
 * A getUserMedia (or MediaRecorder) failure as a reason a UI can explain. `permission` is the Permissions API state
 * read after the failure, where known: a refusal that leaves it at `prompt` was a dismissed prompt, not a denial.
 */
export function recorderErrorReason(error: unknown, permission?: string): RecorderErrorReason {
  if (typeof isSecureContext === 'boolean' && !isSecureContext) return 'insecure-context';
  const { name, message, constraint } = (error ?? {}) as { name?: string; message?: string; constraint?: string };
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      // Chromium says "Permission dismissed" or "Permission denied"; elsewhere the permission state tells (a
      // refusal that leaves it at `prompt` was a prompt closed without an answer).
      if (/dismiss/i.test(message ?? '')) return 'dismissed';
      if (/denied/i.test(message ?? '')) return 'denied';
      return permission === 'prompt' ? 'dismissed' : 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return 'not-found';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use';
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      // An exact deviceId that no longer exists: the chosen microphone is gone.
      return constraint === 'deviceId' ? 'not-found' : 'constraints';
    case 'TypeError':
      return 'constraints';
    default:
      return 'unsupported';
  }
}
