// Builds the script-tag files: `elevenkit-widget.js` (one self-contained IIFE, WebSocket only: livekit-client is
// aliased to a stub), `elevenkit-widget-rtc.js` (the real livekit-client, loaded by `use-rtc` from beside it) and
// `worklets/*.js` (the client's audio worklets, to self-host under a strict Content-Security-Policy, and the
// resampler that browsers which cannot capture at 16 kHz need).
// `node packages/widget/build.mjs` writes them to packages/widget/dist; the demo server and the tests build in memory.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(here, 'dist');
const require = createRequire(import.meta.url);
const clientWorklets = path.join(path.dirname(require.resolve('@elevenlabs/client')), '../worklets');
const resampler = require.resolve('@alexanderolsen/libsamplerate-js/dist/libsamplerate.worklet.js');
/** `worklets/<name>` → the file it is copied from. */
export const WORKLETS = {
  'rawAudioProcessor.js': path.join(clientWorklets, 'rawAudioProcessor.js'),
  'audioConcatProcessor.js': path.join(clientWorklets, 'audioConcatProcessor.js'),
  'scribeAudioProcessor.js': path.join(clientWorklets, 'scribeAudioProcessor.js'),
  // The resampler @elevenlabs/client otherwise loads from cdn.jsdelivr.net where capture at 16 kHz is unsupported.
  'libsamplerate.worklet.js': resampler,
};

/**
 * In the embed, the client's default resampler URL (cdn.jsdelivr.net) becomes the copy beside the script. The
 * client passes `libsampleratePath` to its microphone but not to its speaker, so the option alone would still
 * leave one third-party request in browsers that cannot run audio at 16 kHz.
 */
const selfHostedResampler = {
  name: 'elevenkit-self-hosted-resampler',
  transform(code, id) {
    if (!id.includes('addLibsamplerateModule')) return;
    const cdn = /"https:\/\/cdn\.jsdelivr\.net\/npm\/@alexanderolsen\/libsamplerate-js@[^"]+"/;
    if (!cdn.test(code)) throw new Error('@elevenlabs/client no longer names the resampler CDN: update build.mjs.');
    const sibling = `new URL("worklets/libsamplerate.worklet.js", globalThis.__elevenkitBaseUrl).href`;
    return code.replace(cdn, (url) => `(globalThis.__elevenkitBaseUrl ? ${sibling} : ${url})`);
  },
};

/** One IIFE bundle as a string. */
async function bundle(entry, fileName, alias = {}) {
  const output = await build({
    configFile: false,
    root: here,
    logLevel: 'warn',
    // Production builds of dependencies (Lit's dev build warns and is bigger), even inside a dev server.
    mode: 'production',
    resolve: { alias, conditions: ['module', 'browser', 'production'] },
    plugins: [selfHostedResampler],
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      lib: { entry: path.join(here, entry), formats: ['iife'], name: 'elevenkit', fileName: () => fileName },
    },
  });
  const chunk = [output].flat()[0].output.find((item) => item.type === 'chunk');
  return chunk.code;
}

/** Every file as `name → contents`. */
export async function buildWidgetFiles() {
  const [embed, rtc, ...worklets] = await Promise.all([
    bundle('src/embed.ts', 'elevenkit-widget.js', { 'livekit-client': path.join(here, 'src/livekit-stub.ts') }),
    bundle('src/webrtc-entry.ts', 'elevenkit-widget-rtc.js'),
    ...Object.values(WORKLETS).map((file) => readFile(file, 'utf8')),
  ]);
  const files = new Map([
    ['elevenkit-widget.js', embed],
    ['elevenkit-widget-rtc.js', rtc],
  ]);
  Object.keys(WORKLETS).forEach((name, i) => files.set(`worklets/${name}`, worklets[i]));
  return files;
}

export async function writeWidgetFiles(outDir = distDir) {
  const files = await buildWidgetFiles();
  for (const [name, contents] of files) {
    await mkdir(path.dirname(path.join(outDir, name)), { recursive: true });
    await writeFile(path.join(outDir, name), contents);
  }
  return files;
}

/**
 * A Vite plugin serving the built files at `/elevenkit-widget.js`, `/elevenkit-widget-rtc.js` and `/worklets/…` on
 * a dev server, as a CDN or your own server would. Rebuilt when the widget or core sources change.
 */
export function widgetAssets() {
  let files;
  return {
    name: 'elevenkit-widget-assets',
    configureServer(server) {
      server.watcher.on('change', (file) => {
        if (/packages[\\/](widget|core)[\\/]src/.test(file)) files = undefined;
      });
      server.middlewares.use(async (req, res, next) => {
        const name = (req.url ?? '').split('?')[0].replace(/^\//, '');
        if (name !== 'elevenkit-widget.js' && name !== 'elevenkit-widget-rtc.js' && !name.startsWith('worklets/')) {
          return next();
        }
        try {
          files ??= buildWidgetFiles();
          const contents = (await files).get(name);
          if (contents === undefined) return next();
          res.setHeader('content-type', 'text/javascript; charset=utf-8');
          res.setHeader('cache-control', 'no-cache');
          res.end(contents);
        } catch (error) {
          files = undefined;
          next(error);
        }
      });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await writeWidgetFiles();
  for (const [name, contents] of files) console.log(`${name}  ${contents.length} B`);
}
