// `elevenkit-emulator`: run the emulator as a standalone server.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseAgentsJson } from './agents.ts';
import { createEmulator } from './emulator.ts';

const HELP = `Usage: elevenkit-emulator [--port 8787] [--host 127.0.0.1] [--agents agents.json] [--api-key KEY]

A local ElevenLabs: the conversation WebSocket, widget config, signed URLs and tokens, text to speech and speech to text.
The built-in agent "demo" is always there; --agents adds agents from a JSON file (see the package README).
--api-key (or ELEVENLABS_EMULATOR_API_KEY) is the xi-api-key REST calls must send; without it any key is accepted.`;

export async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      agents: { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(HELP);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, got ${values.port}.`);
  const agents = values.agents ? parseAgentsJson(readFileSync(values.agents, 'utf8'), values.agents) : [];
  const emulator = await createEmulator({
    port,
    host: values.host,
    agents,
    apiKey: values['api-key'] ?? process.env.ELEVENLABS_EMULATOR_API_KEY,
  });
  console.log(`ElevenLabs emulator on ${emulator.url} (WebSocket origin ${emulator.wsUrl})`);
  console.log(`Agents: ${[...emulator.agents.keys()].join(', ')}`);
  console.log(`Voices: ${[...emulator.voices.values()].map((v) => `${v.name} (${v.voice_id})`).join(', ')}`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
