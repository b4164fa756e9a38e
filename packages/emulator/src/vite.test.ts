// The Vite plugin mounts the same routes and WebSocket on a Vite dev server, beside Vite's own HMR socket.
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createServer } from 'vite';
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { speechWav } from './speech.ts';
import { elevenlabsEmulator } from './vite.ts';

it('answers REST, the conversation and the speech-to-text WebSockets on the dev server', async () => {
  const plugin = elevenlabsEmulator({ log: () => {} });
  const server = await createServer({
    configFile: false,
    root: import.meta.dirname,
    logLevel: 'silent',
    plugins: [plugin],
    server: { host: '127.0.0.1', port: 0 },
  });
  await server.listen();
  try {
    const { port } = server.httpServer!.address() as AddressInfo;
    const health = await (await fetch(`http://127.0.0.1:${port}/_emulator/health`)).json();
    expect(health).toMatchObject({ ok: true, agents: ['demo'] });

    const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/convai/conversation?agent_id=demo`, ['convai']);
    await once(ws, 'open');
    ws.send(JSON.stringify({ type: 'conversation_initiation_client_data' }));
    const [first] = await once(ws, 'message');
    expect(JSON.parse(String(first)).type).toBe('conversation_initiation_metadata');
    expect(plugin.emulator.conversations).toHaveLength(1);
    ws.close();
    // A multipart upload to speech to text reaches the emulator with its body intact.
    const form = new FormData();
    form.set('model_id', 'scribe_v1');
    form.set('file', new Blob([new Uint8Array(speechWav('through vite', { sampleRate: 16_000 }))]), 'a.wav');
    const transcript = await fetch(`http://127.0.0.1:${port}/v1/speech-to-text`, {
      method: 'POST',
      headers: { 'xi-api-key': 'any' },
      body: form,
    });
    expect(await transcript.json()).toMatchObject({ text: 'through vite' });
    // The realtime speech-to-text socket upgrades there too.
    const stt = new WebSocket(`ws://127.0.0.1:${port}/v1/speech-to-text/realtime?model_id=scribe_v2_realtime`, {
      headers: { 'xi-api-key': 'any' },
    });
    const [started] = await once(stt, 'message');
    expect(JSON.parse(String(started)).message_type).toBe('session_started');
    stt.close();
    // Vite's HMR socket still works next to it.
    const hmr = new WebSocket(`ws://127.0.0.1:${port}/`, ['vite-hmr']);
    await once(hmr, 'open');
    hmr.close();
  } finally {
    await server.close();
  }
});
