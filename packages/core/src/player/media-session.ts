// Media Session: what the OS shows (lock screen, notification, media keys) for the player that is playing, and
// the keys it answers. Only the player that last started playing holds it; it lets go when it unloads.

export interface MediaSessionControls {
  play(): void;
  pause(): void;
  stop(): void;
  seek(seconds: number): void;
  currentTime(): number;
}

const ACTIONS = ['play', 'pause', 'stop', 'seekto', 'seekbackward', 'seekforward'] as const;

let holder: object | null = null;

const session = () => (typeof navigator !== 'undefined' ? navigator.mediaSession : undefined);

export function claimMediaSession(
  owner: object,
  metadata: { title?: string; artist?: string; album?: string },
  controls: MediaSessionControls,
) {
  const media = session();
  if (!media) return;
  holder = owner;
  try {
    if (typeof MediaMetadata === 'function') media.metadata = new MediaMetadata(metadata);
    const handlers: Record<(typeof ACTIONS)[number], MediaSessionActionHandler> = {
      play: () => controls.play(),
      pause: () => controls.pause(),
      stop: () => controls.stop(),
      seekto: (details) => controls.seek(details.seekTime ?? 0),
      seekbackward: (details) => controls.seek(controls.currentTime() - (details.seekOffset ?? 10)),
      seekforward: (details) => controls.seek(controls.currentTime() + (details.seekOffset ?? 10)),
    };
    for (const action of ACTIONS) {
      try {
        media.setActionHandler(action, handlers[action]);
      } catch {
        // an action this browser does not know
      }
    }
  } catch {
    // Media Session is a nicety: never let it break playback
  }
}

export function updateMediaSession(
  owner: object,
  state: 'playing' | 'paused' | 'none',
  position?: { duration: number; position: number; playbackRate: number },
) {
  const media = session();
  if (!media || holder !== owner) return;
  try {
    media.playbackState = state;
    if (position && Number.isFinite(position.duration) && position.duration > 0) {
      media.setPositionState({
        duration: position.duration,
        playbackRate: position.playbackRate,
        position: Math.min(position.duration, Math.max(0, position.position)),
      });
    }
  } catch {
    // see above
  }
}

export function releaseMediaSession(owner: object) {
  const media = session();
  if (!media || holder !== owner) return;
  holder = null;
  try {
    media.metadata = null;
    media.playbackState = 'none';
    for (const action of ACTIONS) {
      try {
        media.setActionHandler(action, null);
      } catch {
        // see above
      }
    }
  } catch {
    // see above
  }
}
