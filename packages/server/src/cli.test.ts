// `elevenkit-server` as a user runs it: a child process configured by environment variables, the emulator as
// ElevenLabs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Emulator } from '../../emulator/src/index.ts';
import { startUpstream } from './test-helpers.ts';
import { parseRateLimit, settingsFromEnv } from './cli.ts';

const bin = fileURLToPath(new URL('../bin/elevenkit-server.mjs', import.meta.url));
const KEY = 'sk_cli_test_key_0123456789';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startUpstream(KEY);
});
afterAll(() => emulator.close());

/** Runs the bin with `env` as its only settings (the developer's own ELEVENLABS_* variables are left out). */
function run(env: Record<string, string>, args: string[] = []) {
  const base = { ...process.env };
  for (const name of Object.keys(base)) {
    if (
      /^(ELEVENLABS_|ALLOWED_ORIGINS$|RATE_LIMIT$|BASE_PATH$|TRUST_PROXY$|PORT$|HOST$|TTS_|STT_|SPEECH_TO_TEXT$)/.test(
        name,
      )
    )
      delete base[name];
  }
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output: () => output, exited };
}

describe('the command', () => {
  it('serves signed URLs on the port from the environment, logging one line per request and never the key', async () => {
    const { child, output, exited } = run({
      ELEVENLABS_API_KEY: KEY,
      ELEVENLABS_AGENT_IDS: 'private,demo',
      ELEVENLABS_API_ORIGIN: emulator.url,
      ALLOWED_ORIGINS: 'https://app.example',
      BASE_PATH: '/tokens',
      RATE_LIMIT: '3/60s',
      PORT: '0',
    });
    try {
      await expect.poll(output, { timeout: 20_000 }).toMatch(/token endpoint on http:\/\/127\.0\.0\.1:\d+\/tokens/);
      const base = output().match(/on (http:\/\/127\.0\.0\.1:\d+\/tokens)/)![1];
      expect(output()).toContain(`agents: private, demo; ElevenLabs at ${emulator.url}`);

      const signed = await fetch(`${base}/signed-url?agent_id=private`, { headers: { origin: 'https://app.example' } });
      expect(signed.status).toBe(200);
      expect(signed.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const ws = new WebSocket(((await signed.json()) as { signed_url: string }).signed_url, ['convai']);
      await once(ws, 'open');
      ws.send(JSON.stringify({ type: 'conversation_initiation_client_data' }));
      const [first] = await once(ws, 'message');
      expect(JSON.parse(String(first)).type).toBe('conversation_initiation_metadata');
      ws.close();

      // RATE_LIMIT=3/60s: two more pass, the fourth is refused.
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${base}/conversation-token?agent_id=demo`)).status);
      expect(statuses).toEqual([200, 200, 429]);
      const refused = await fetch(`${base}/signed-url?agent_id=demo`, { headers: { origin: 'https://evil.example' } });
      expect(refused.status).toBe(403);

      await expect.poll(output).toMatch(/GET \/tokens\/signed-url 200 \d+ ms/);
      expect(output()).toMatch(/GET \/tokens\/conversation-token 429 \d+ ms/);
      expect(output()).not.toContain(KEY);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('speaks with the voices in ELEVENLABS_VOICE_IDS, counting characters per TTS_CHARACTER_LIMIT', async () => {
    const { child, output } = run({
      ELEVENLABS_API_KEY: KEY,
      ELEVENLABS_VOICE_IDS: 'JBFqnCBsd6RMkjVDRZzb',
      TTS_CHARACTER_LIMIT: '10/1h',
      ELEVENLABS_API_ORIGIN: emulator.url,
      PORT: '0',
    });
    try {
      await expect.poll(output, { timeout: 20_000 }).toMatch(/speech routes: text-to-speech/);
      const base = output().match(/on (http:\/\/127\.0\.0\.1:\d+\/api\/elevenlabs)/)![1];
      const speak = (text: string, voice = 'JBFqnCBsd6RMkjVDRZzb') =>
        fetch(`${base}/text-to-speech`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text, voice_id: voice }),
        });
      const spoken = await speak('Hello.');
      expect(spoken.status).toBe(200);
      expect(await spoken.text()).toContain('audio_base64');
      expect((await speak('Hello.', '21m00Tcm4TlvDq8ikWAM')).status).toBe(403);
      expect((await speak('Hello again.')).status).toBe(429);
      expect(output()).not.toContain(KEY);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('stops with one clear sentence when the key is missing', async () => {
    const { output, exited } = run({ ELEVENLABS_AGENT_IDS: 'demo' });
    expect(await exited).toBe(1);
    expect(output().trim()).toBe(
      'elevenkit-server: Set ELEVENLABS_API_KEY to your ElevenLabs API key (it stays on this server, never in a page).',
    );
  });

  it('prints its settings with --help', async () => {
    const { output, exited } = run({}, ['--help']);
    expect(await exited).toBe(0);
    expect(output()).toMatch(/ELEVENLABS_AGENT_IDS[\s\S]*RATE_LIMIT/);
  });
});

describe('settings', () => {
  const required = { ELEVENLABS_API_KEY: KEY, ELEVENLABS_AGENT_IDS: 'a, b' };

  it('has safe defaults: localhost, 20 requests a minute per IP, same-origin pages only', () => {
    expect(settingsFromEnv(required)).toEqual({
      port: 8788,
      host: '127.0.0.1',
      options: {
        apiKey: KEY,
        agents: ['a', 'b'],
        apiOrigin: 'us',
        basePath: '/api/elevenlabs',
        allowedOrigins: [],
        rateLimit: { limit: 20, windowMs: 60_000, trustProxy: false },
      },
    });
    expect(settingsFromEnv({ ...required, ALLOWED_ORIGINS: '*', TRUST_PROXY: '2' }).options).toMatchObject({
      allowedOrigins: '*',
      rateLimit: { trustProxy: 2 },
    });
  });

  it('turns the speech routes on only when asked', () => {
    const speech = settingsFromEnv({
      ELEVENLABS_API_KEY: KEY,
      ELEVENLABS_VOICE_IDS: 'v1, v2',
      TTS_CHARACTER_LIMIT: '20000/1h',
      SPEECH_TO_TEXT: 'on',
      STT_SECONDS_LIMIT: '600/1h',
    }).options;
    expect(speech).toMatchObject({
      agents: [],
      textToSpeech: { voices: ['v1', 'v2'], characterLimit: { limit: 20_000, windowMs: 3_600_000 } },
      speechToText: { secondsLimit: { limit: 600, windowMs: 3_600_000 } },
    });
    const any = settingsFromEnv({ ...required, ELEVENLABS_VOICE_IDS: '*' }).options.textToSpeech!.voices;
    expect(typeof any === 'function' && any('anyone', new Request('http://x/'))).toBe(true);
    expect(settingsFromEnv(required).options).not.toHaveProperty('textToSpeech');
    expect(settingsFromEnv(required).options).not.toHaveProperty('speechToText');
    expect(() => settingsFromEnv({ ...required, SPEECH_TO_TEXT: 'yes please' })).toThrow('SPEECH_TO_TEXT must be');
    expect(() => settingsFromEnv({ ...required, TTS_CHARACTER_LIMIT: 'lots' })).toThrow(
      'TTS_CHARACTER_LIMIT must look',
    );
  });

  it('reads SINGLE_USE_TOKENS as the token types to mint', () => {
    expect(settingsFromEnv(required).options).not.toHaveProperty('singleUseTokenTypes');
    const both = { ...required, ELEVENLABS_VOICE_IDS: 'v1', SINGLE_USE_TOKENS: 'realtime_scribe, tts_websocket' };
    expect(settingsFromEnv(both).options.singleUseTokenTypes).toEqual(['realtime_scribe', 'tts_websocket']);
    expect(settingsFromEnv({ ...required, SINGLE_USE_TOKENS: '' }).options.singleUseTokenTypes).toEqual([]);
    expect(() => settingsFromEnv({ ...required, SINGLE_USE_TOKENS: 'batch_scribe' })).toThrow(
      'SINGLE_USE_TOKENS takes realtime_scribe and tts_websocket, got "batch_scribe".',
    );
  });

  it('reads RATE_LIMIT as requests/window', () => {
    expect(parseRateLimit('20/60s')).toEqual({ limit: 20, windowMs: 60_000 });
    expect(parseRateLimit('100 / 15m')).toEqual({ limit: 100, windowMs: 900_000 });
    expect(parseRateLimit('5/500ms')).toEqual({ limit: 5, windowMs: 500 });
    expect(parseRateLimit('off')).toBeUndefined();
    expect(() => parseRateLimit('20 per minute')).toThrow('RATE_LIMIT must look like 20/60s');
  });

  it('names the setting that is wrong', () => {
    expect(() => settingsFromEnv({ ELEVENLABS_API_KEY: KEY })).toThrow('Set ELEVENLABS_AGENT_IDS');
    expect(() => settingsFromEnv({ ...required, ELEVENLABS_API_ORIGIN: 'api.elevenlabs.io' })).toThrow(
      'ELEVENLABS_API_ORIGIN must be us, global, eu-residency, in-residency or an origin',
    );
    expect(() => settingsFromEnv({ ...required, PORT: 'eighty' })).toThrow('PORT must be a port number');
    expect(() => settingsFromEnv({ ...required, BASE_PATH: 'api' })).toThrow('BASE_PATH must start with "/"');
    expect(() => settingsFromEnv({ ...required, TRUST_PROXY: 'yes' })).toThrow('TRUST_PROXY must be');
  });
});
