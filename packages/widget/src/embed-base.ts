// The embed's first module, evaluated before @elevenlabs/client's: where the script was loaded from, so its sibling
// files (siblings.ts, and the resampler URL build.mjs rewrites in the client) load from beside it.
const script = document.currentScript as HTMLScriptElement | null;
if (script?.src) globalThis.__elevenkitBaseUrl = new URL('.', script.src).href;
