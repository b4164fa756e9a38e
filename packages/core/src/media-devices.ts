// The microphones a page can use: listed without asking for permission (labels stay empty until it is granted),
// updated on `devicechange` and when permission arrives, with the Permissions API's state where the browser has
// one, and the remembered choice shared with every Recorder. Constructing it on a server does nothing.
import { onDeviceChoice, onMicrophoneOpened, rememberDevice, rememberedDevice } from './recorder/device-choice.ts';
import type { AudioDevice, MediaDevicesApi, MediaDevicesSnapshot } from './recorder-types.ts';
import { Store } from './store.ts';

export const INITIAL_MEDIA_DEVICES_SNAPSHOT: MediaDevicesSnapshot = {
  devices: [],
  permission: 'unknown',
  selected: '',
};

/**
 * ```ts
 * const devices = new MediaDevicesStore();
 * devices.subscribe(() => render(devices.getSnapshot().devices));
 * devices.select(id); // the next Recorder.start() uses it; recorder.setDevice(id) switches while recording
 * ```
 */
export class MediaDevicesStore extends Store<MediaDevicesSnapshot> implements MediaDevicesApi {
  readonly #cleanup: (() => void)[] = [];
  #destroyed = false;

  constructor() {
    super({ ...INITIAL_MEDIA_DEVICES_SNAPSHOT, selected: rememberedDevice() });
    const media = globalThis.navigator?.mediaDevices;
    if (!media) return; // a server, or an insecure page (no mediaDevices there)
    const refresh = () => void this.refresh();
    media.addEventListener?.('devicechange', refresh);
    this.#cleanup.push(() => media.removeEventListener?.('devicechange', refresh));
    this.#cleanup.push(onDeviceChoice((selected) => this.update({ selected })));
    this.#cleanup.push(onMicrophoneOpened(refresh));
    void this.#watchPermission();
    void this.refresh();
  }

  select(deviceId: string) {
    rememberDevice(deviceId);
  }

  async refresh(): Promise<void> {
    const media = globalThis.navigator?.mediaDevices;
    if (!media?.enumerateDevices || this.#destroyed) return;
    try {
      const all = await media.enumerateDevices();
      if (this.#destroyed) return;
      const devices: AudioDevice[] = all
        .filter((device) => device.kind === 'audioinput')
        .map(({ deviceId, label, groupId }) => ({ deviceId, label, groupId }));
      // Labels mean permission, also where the Permissions API cannot say.
      const labelled = devices.some((device) => device.label);
      const permission =
        labelled && this.getSnapshot().permission === 'unknown' ? 'granted' : this.getSnapshot().permission;
      if (!sameDevices(devices, this.getSnapshot().devices)) this.update({ devices, permission });
      else this.update({ permission });
    } catch {
      // enumerateDevices fails only in odd embeddings; the list stays as it was
    }
  }

  async #watchPermission() {
    try {
      const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
      if (this.#destroyed) return;
      const read = () => this.update({ permission: status.state });
      const changed = () => {
        read();
        void this.refresh();
      };
      read();
      status.addEventListener('change', changed);
      this.#cleanup.push(() => status.removeEventListener('change', changed));
    } catch {
      // no Permissions API for the microphone (older Firefox and Safari): 'unknown'
    }
  }

  destroy() {
    this.#destroyed = true;
    for (const cleanup of this.#cleanup.splice(0)) cleanup();
  }
}

function sameDevices(a: readonly AudioDevice[], b: readonly AudioDevice[]) {
  return (
    a.length === b.length &&
    a.every((d, i) => d.deviceId === b[i]!.deviceId && d.label === b[i]!.label && d.groupId === b[i]!.groupId)
  );
}
