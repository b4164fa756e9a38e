// Budgets for the one-file embed (issue 4): what a script-tag user downloads. The official embed 0.5.4 is
// 190.9 KB gzip; ours must stay at or under 50 KB gzip with everything in it, and WebSocket only.
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWidgetFiles } from '../packages/widget/build.mjs';

const GZIP_BUDGET = 50_000;
let files: Map<string, string>;

beforeAll(async () => {
  files = await buildWidgetFiles();
});

describe('the one-file embed', () => {
  it(`is at most ${GZIP_BUDGET / 1000} KB gzip`, () => {
    const gzip = gzipSync(files.get('elevenkit-widget.js')!, { level: 9 }).length;
    expect(gzip).toBeLessThanOrEqual(GZIP_BUDGET);
  });

  it('leaves WebRTC (livekit-client) to the sibling file that use-rtc loads', () => {
    const embed = files.get('elevenkit-widget.js')!;
    const rtc = files.get('elevenkit-widget-rtc.js')!;
    // A name only livekit-client's own code contains.
    expect(embed).not.toContain('RTCPeerConnection');
    expect(rtc).toContain('RTCPeerConnection');
    // The sibling hands livekit-client to the embed's stub; a build that tree-shook this line would load in vain.
    expect(rtc).toContain('__elevenkitLivekit=');
  });

  it('takes the resampler from beside itself, and records where it was loaded from before the client runs', () => {
    const embed = files.get('elevenkit-widget.js')!;
    expect(embed).toContain('`worklets/libsamplerate.worklet.js`,globalThis.__elevenkitBaseUrl');
    expect(embed.indexOf('__elevenkitBaseUrl=')).toBeGreaterThan(-1);
    expect(embed.indexOf('__elevenkitBaseUrl=')).toBeLessThan(embed.indexOf('worklets/libsamplerate.worklet.js'));
  });

  it('is self-contained: no import of another module and no eval', () => {
    const embed = files.get('elevenkit-widget.js')!;
    expect(embed).not.toMatch(/\bimport\s*\(|^import\s/m);
    expect(embed).not.toMatch(/\beval\(|new Function\(/);
  });

  it('ships the audio worklets for pages with a strict Content-Security-Policy', () => {
    for (const name of ['rawAudioProcessor.js', 'audioConcatProcessor.js']) {
      expect(files.get(`worklets/${name}`)).toContain('registerProcessor');
    }
    // libsamplerate-js 2.1.2, the version the client would fetch from its CDN (its WebAssembly inlined).
    expect(files.get('worklets/libsamplerate.worklet.js')!.length).toBeGreaterThan(1_000_000);
  });
});
