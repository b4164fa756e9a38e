// useMediaDevices: the microphones the browser offers (labels once the page may use the microphone), kept up to date
// on `devicechange`, and the remembered choice. It never asks for permission: a recorder's start() does.
import { MediaDevicesStore, type MediaDevicesApi, type MediaDevicesSnapshot } from '@elevenkit/core';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';

export interface MediaDevicesState extends MediaDevicesSnapshot {
  /** Remembers a microphone for the next recording ('' for the system default). */
  select(deviceId: string): void;
  /** Lists the devices again (e.g. after permission was given elsewhere). */
  refresh(): Promise<void>;
  /** The store itself, for <MicSelector devices={…}>; null until mounted (and on the server). */
  store: MediaDevicesApi | null;
}

const EMPTY: MediaDevicesSnapshot = Object.freeze({ devices: [], permission: 'unknown', selected: '' });

/**
 * The audio inputs and the remembered choice, re-rendering when they change. Its store is made after mount (the list
 * fills in once the browser answers) and destroyed on unmount; pass one to share it instead.
 *
 * ```tsx
 * const { devices, selected, select } = useMediaDevices();
 * ```
 */
export function useMediaDevices(shared?: MediaDevicesApi | null): MediaDevicesState {
  // Its own store only when none is shared. Made after mount, not during render: it listens to the browser from its
  // constructor, and StrictMode's second render would leave one listening. The server render shows no devices.
  const [own, setOwn] = useState<MediaDevicesApi | null>(null);
  const wantsOwn = !shared;
  useEffect(() => {
    if (!wantsOwn) return;
    const made = new MediaDevicesStore();
    setOwn(made); // eslint-disable-line react-hooks/set-state-in-effect -- see above
    return () => {
      made.destroy();
      setOwn(null);
    };
  }, [wantsOwn]);
  const store = shared ?? own;
  const snapshot = useMediaDevicesSnapshot(store);
  const select = useCallback((deviceId: string) => store?.select(deviceId), [store]);
  const refresh = useCallback(async () => store?.refresh(), [store]);
  return { ...snapshot, select, refresh, store };
}

/** The snapshot of a devices store (an empty list while there is none). */
export function useMediaDevicesSnapshot(store: MediaDevicesApi | null): MediaDevicesSnapshot {
  const subscribe = useCallback((listener: () => void) => store?.subscribe(listener) ?? (() => {}), [store]);
  const read = () => store?.getSnapshot() ?? EMPTY;
  // Hydration starts from no devices, as the server rendered.
  return useSyncExternalStore(subscribe, read, () => EMPTY);
}
