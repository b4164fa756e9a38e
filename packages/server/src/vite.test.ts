// The Vite plugin beside the emulator's, as the demo mounts them: one dev server, the endpoint calling the emulator
// on the server's own origin with the same development key.
import { once } from 'node:events';
import { createServer } from 'vite';
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { elevenlabsEmulator } from '../../emulator/src/vite.ts';
import { elevenlabsTokenEndpoint } from './vite.ts';

it('mints signed URLs from the emulator on the same dev server', async () => {
  const apiKey = 'dev-key-for-this-test';
  const server = await createServer({
    configFile: false,
    root: import.meta.dirname,
    logLevel: 'silent',
    plugins: [
      elevenlabsEmulator({ apiKey, log: () => {}, agents: [{ agent_id: 'private', auth_required: true }] }),
      elevenlabsTokenEndpoint({ apiKey, agents: ['private'] }),
    ],
    server: { host: '127.0.0.1', port: 0 },
  });
  await server.listen();
  try {
    const origin = new URL(server.resolvedUrls!.local[0]!).origin;
    const response = await fetch(`${origin}/api/elevenlabs/signed-url?agent_id=private`);
    expect(response.status).toBe(200);
    const { signed_url } = (await response.json()) as { signed_url: string };
    expect(signed_url.startsWith(`${origin.replace('http', 'ws')}/v1/convai/conversation?agent_id=private&`)).toBe(
      true,
    );
    const ws = new WebSocket(signed_url, ['convai']);
    await once(ws, 'open');
    ws.send(JSON.stringify({ type: 'conversation_initiation_client_data' }));
    const [first] = await once(ws, 'message');
    expect(JSON.parse(String(first)).type).toBe('conversation_initiation_metadata');
    ws.close();

    const refused = await fetch(`${origin}/api/elevenlabs/signed-url?agent_id=demo`);
    expect(refused.status).toBe(403);
    // Everything else still reaches the emulator and Vite.
    expect((await fetch(`${origin}/_emulator/health`)).status).toBe(200);
  } finally {
    await server.close();
  }
});
