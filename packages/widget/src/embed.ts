// The one-file script-tag build. It remembers where it was loaded from, so `use-rtc` can fetch
// `elevenkit-widget-rtc.js` from beside it.
const script = document.currentScript as HTMLScriptElement | null;
if (script?.src) globalThis.__elevenkitRtcUrl = new URL('elevenkit-widget-rtc.js', script.src).href;

import './define.ts';
