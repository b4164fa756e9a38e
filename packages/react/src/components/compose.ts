// Small helpers for parts that accept native props: the caller's handler runs first and can cancel ours.
import type { SyntheticEvent } from 'react';

export function composeHandlers<E extends SyntheticEvent>(
  theirs: ((event: E) => void) | undefined,
  ours: (event: E) => void,
): (event: E) => void {
  return (event) => {
    theirs?.(event);
    if (!event.defaultPrevented) ours(event);
  };
}

/** Class names joined, empty ones dropped. */
export const classNames = (...names: (string | false | null | undefined)[]) => names.filter(Boolean).join(' ');
