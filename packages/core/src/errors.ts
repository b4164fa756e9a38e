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
