// Stands in for livekit-client in the one-file embed (see siblings.ts). @elevenlabs/client imports these five names
// and only uses them once a WebRTC session starts, by which time the sibling file has set the real module.
type Livekit = Record<string, never>;

function livekit(): Livekit {
  const real = globalThis.__elevenkitLivekit as Livekit | undefined;
  if (!real) throw new Error('WebRTC is not loaded: set use-rtc on the widget, or use the WebSocket connection.');
  return real;
}

const forward = (name: string) =>
  new Proxy({}, { get: (_, key) => (livekit()[name] as unknown as Record<string | symbol, unknown>)[key] });

export const RoomEvent = forward('RoomEvent');
export const Track = forward('Track');
export const ConnectionState = forward('ConnectionState');
export class Room {
  constructor(...args: unknown[]) {
    const RealRoom = livekit().Room as unknown as new (...args: unknown[]) => object;
    return new RealRoom(...args) as Room;
  }
}
export function createLocalAudioTrack(...args: unknown[]) {
  return (livekit().createLocalAudioTrack as unknown as (...args: unknown[]) => unknown)(...args);
}
