// The sibling file `elevenkit-widget-rtc.js`: the real livekit-client, handed to the embed's stub.
import * as livekit from 'livekit-client';

globalThis.__elevenkitLivekit = livekit;
