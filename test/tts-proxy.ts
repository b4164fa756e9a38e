// A same-origin stand-in for the server's text-to-speech route, for the `browser` project: the page calls it, and
// it adds the API key on the Node side and streams the emulator's answer through without buffering (so a dropped
// upstream connection drops the page's response too). The key never reaches browser code.
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Plugin } from 'vite';

/** The test emulator accepts any key; this one stands for the server's secret. */
const KEY = 'elevenkit-test-key';

const emulatorUrl = () => {
  const emulator = globalThis.elevenkitTestEmulator;
  if (!emulator) throw new Error('The test emulator is not running (test/browser-setup.ts).');
  return emulator.url;
};

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });

/** Forwards to the emulator with the key and pipes the answer back as it arrives. */
function forward(res: ServerResponse, method: string, path: string, body: Buffer | null) {
  const upstream = request(
    `${emulatorUrl()}${path}`,
    { method, headers: { 'xi-api-key': KEY, ...(body ? { 'content-type': 'application/json' } : {}) } },
    (answer) => {
      const headers = { ...answer.headers };
      delete headers['access-control-allow-origin'];
      res.writeHead(answer.statusCode ?? 502, headers);
      res.flushHeaders();
      answer.on('data', (part: Buffer) => res.write(part));
      answer.on('end', () => (answer.complete ? res.end() : res.destroy()));
      answer.on('aborted', () => res.destroy());
      answer.on('error', () => res.destroy());
    },
  );
  upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
  res.on('close', () => upstream.destroy());
  upstream.end(body ?? undefined);
}

export function ttsTestProxy(): Plugin {
  return {
    name: 'elevenkit-test-tts-proxy',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://test');
        // What useSpeech posts by default: { text, voice_id, model_id, output_format? } → stream with timestamps.
        if (url.pathname === '/api/elevenlabs/text-to-speech' && req.method === 'POST') {
          void readBody(req).then((raw) => {
            const { voice_id, output_format, ...body } = JSON.parse(raw.toString('utf8') || '{}');
            const query = output_format ? `?output_format=${encodeURIComponent(output_format)}` : '';
            const path = `/v1/text-to-speech/${encodeURIComponent(voice_id ?? '')}/stream/with-timestamps${query}`;
            forward(res, 'POST', path, Buffer.from(JSON.stringify(body)));
          });
          return;
        }
        // Any emulator route, key added: /api/test-tts/v1/text-to-speech/{voice}/stream?output_format=…
        if (url.pathname.startsWith('/api/test-tts/')) {
          const path = url.pathname.slice('/api/test-tts'.length) + url.search;
          if (req.method === 'GET' || req.method === 'HEAD') return forward(res, req.method, path, null);
          void readBody(req).then((body) => forward(res, req.method ?? 'POST', path, body));
          return;
        }
        next();
      });
    },
  };
}
