// An engine a component owns: made once, lazily, and destroyed when the component really unmounts.
import { useEffect, useRef, useState } from 'react';

/**
 * `create()` once for the component's lifetime (on its first render: it must not touch the browser), and
 * `destroy(value)` after the component unmounts. StrictMode unmounts and remounts a component at once, in the same
 * task: destroying waits a microtask to see whether it came back, so an engine that cannot be used after `destroy()`
 * (the Recorder) survives the rehearsal, and a real unmount still frees it.
 */
/** How many mounted components hold each owned value. */
const mounts = new WeakMap<object, number>();

export function useOwned<T extends object>(create: () => T, destroy: (value: T) => void): T {
  const [value] = useState(create);
  const latestDestroy = useRef(destroy);
  useEffect(() => {
    latestDestroy.current = destroy;
  });
  useEffect(() => {
    mounts.set(value, (mounts.get(value) ?? 0) + 1);
    return () => {
      mounts.set(value, (mounts.get(value) ?? 1) - 1);
      queueMicrotask(() => {
        if (!mounts.get(value)) latestDestroy.current(value);
      });
    };
  }, [value]);
  return value;
}
