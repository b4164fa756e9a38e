// Files that sit beside the one-file embed: `elevenkit-widget-rtc.js` (WebRTC) and `worklets/*` (the resampler
// some browsers need; build.mjs points the client at it). embed.ts records where it was loaded from; in bundler
// (ESM) builds nothing is recorded, so livekit-client is the real module and the client's own defaults apply.

declare global {
  var __elevenkitBaseUrl: string | undefined;
  var __elevenkitLivekit: unknown;
}

/** The URL of a file beside the embed script, or undefined outside the embed. */
export function siblingUrl(name: string): string | undefined {
  const base = globalThis.__elevenkitBaseUrl;
  return base ? new URL(name, base).href : undefined;
}

let loading: Promise<void> | undefined;

/**
 * WebRTC (livekit-client, ~570 KB) stays out of the embed, which aliases livekit-client to ./livekit-stub.ts; the
 * stub forwards to `globalThis.__elevenkitLivekit`, which the sibling file sets.
 */
export function loadWebRtc(): Promise<void> {
  const url = siblingUrl('elevenkit-widget-rtc.js');
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
