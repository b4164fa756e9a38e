// Finds a Chromium for tests and benchmarks; installs Debian's `chromium` when it can.
import { existsSync } from 'node:fs';
import { aptInstall, canUseApt } from './apt.mjs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** The first browser found: `CHROME_PATH`, then the usual install locations; `undefined` if none. */
export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH is set to ${fromEnv}, but no file is there.`);
    return fromEnv;
  }
  return CANDIDATES.find((path) => existsSync(path));
}

/** Finds Chromium, or installs Debian's package as root; otherwise exits with one sentence saying what to install. */
export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  if (canUseApt()) {
    console.log('elevenkit: no Chromium found; installing Debian’s `chromium` with apt-get (about 30 s)…');
    aptInstall('chromium');
    const installed = findChromium();
    if (installed) return installed;
  }
  console.error(
    'elevenkit: no Chromium or Chrome was found; install one (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROME_PATH to its executable, then run the command again.',
  );
  process.exit(1);
}

/** Flags that keep headless Chromium offline and quiet on a closed network, with a fake microphone. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];
