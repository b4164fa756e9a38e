// The microphone a person chose, remembered in localStorage and shared by every Recorder and MediaDevicesStore on
// the page (and across tabs, through the `storage` event); plus a nudge for device lists when permission arrives.

const KEY = 'elevenkit:microphone';

const choiceListeners = new Set<(deviceId: string) => void>();
const permissionListeners = new Set<() => void>();

/** The remembered deviceId ('' for the system default, also where storage is unavailable). */
export function rememberedDevice(): string {
  try {
    return globalThis.localStorage?.getItem(KEY) ?? '';
  } catch {
    return ''; // storage blocked (privacy settings, sandboxed iframes)
  }
}

export function rememberDevice(deviceId: string) {
  try {
    if (deviceId) globalThis.localStorage?.setItem(KEY, deviceId);
    else globalThis.localStorage?.removeItem(KEY);
  } catch {
    // not remembered, still used
  }
  for (const listener of [...choiceListeners]) listener(deviceId);
}

/** Calls `listener` when the choice changes here or in another tab. */
export function onDeviceChoice(listener: (deviceId: string) => void): () => void {
  choiceListeners.add(listener);
  const fromOtherTab = (event: StorageEvent) => {
    if (event.key === KEY) listener(event.newValue ?? '');
  };
  globalThis.addEventListener?.('storage', fromOtherTab);
  return () => {
    choiceListeners.delete(listener);
    globalThis.removeEventListener?.('storage', fromOtherTab);
  };
}

/** The recorder opened a microphone: device labels are readable now (no `devicechange` says so). */
export function microphoneOpened() {
  for (const listener of [...permissionListeners]) listener();
}

export function onMicrophoneOpened(listener: () => void): () => void {
  permissionListeners.add(listener);
  return () => void permissionListeners.delete(listener);
}

/**
 * Opens the remembered microphone (the one chosen in a recorder or microphone list), or the system default when
 * none is remembered or it is gone. For components that open the microphone themselves, such as dictation.
 */
export async function openMicrophone(audio: MediaTrackConstraints = {}): Promise<MediaStream> {
  const remembered = rememberedDevice();
  if (remembered) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: { ...audio, deviceId: { exact: remembered } },
      });
      microphoneOpened();
      return stream;
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'OverconstrainedError' && name !== 'NotFoundError') throw error;
    }
  }
  const stream = await navigator.mediaDevices.getUserMedia({ audio });
  microphoneOpened();
  return stream;
}
