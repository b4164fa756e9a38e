// WebRTC (livekit-client, ~570 KB) stays out of the one-file embed. The embed build aliases livekit-client to
// ./livekit-stub.ts, which forwards to `globalThis.__elevenkitLivekit`; this loads the sibling file that sets it.
// In bundler (ESM) builds livekit-client is real and the embed never set a sibling URL, so there is nothing to do.

declare global {
  var __elevenkitRtcUrl: string | undefined;
  var __elevenkitLivekit: unknown;
}

let loading: Promise<void> | undefined;

export function loadWebRtc(): Promise<void> {
  const url = globalThis.__elevenkitRtcUrl;
  if (!url || globalThis.__elevenkitLivekit) return Promise.resolve();
  loading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => {
      loading = undefined;
      reject(new Error(`WebRTC support could not be loaded from ${url}.`));
    };
    document.head.append(script);
  });
  return loading;
}
