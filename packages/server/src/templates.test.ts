// The templates in ../templates as people run them, with the emulator as ElevenLabs: Express and plain Node as child
// processes, the Worker bundled and run in real workerd (Miniflare). The Next.js, Deno and Bun modules are evaluated
// here and their exports called with web Requests; Deno and Bun also run for real when they are installed.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Miniflare } from 'miniflare';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Emulator } from '../../emulator/src/index.ts';
import { startUpstream } from './test-helpers.ts';

const templates = fileURLToPath(new URL('../templates/', import.meta.url));
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const KEY = 'sk_templates_test_key_0123456789';
let emulator: Emulator;
const children: ChildProcess[] = [];

beforeAll(async () => {
  emulator = await startUpstream(KEY);
});
afterAll(async () => {
  await Promise.all(children.filter((c) => c.exitCode === null).map((c) => (c.kill(), once(c, 'exit'))));
  await emulator.close();
});

/** The environment each template documents, pointed at the emulator. */
const env = () => ({
  ELEVENLABS_API_KEY: KEY,
  ELEVENLABS_AGENT_IDS: 'private, demo',
  ALLOWED_ORIGINS: 'https://app.example',
  ELEVENLABS_API_ORIGIN: emulator.url,
});

async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a command (stopped after the tests); returns its output so far, for waiting and the key-leak check. */
function start(command: string, args: string[], extraEnv: Record<string, string>) {
  const child = spawn(command, args, { cwd: repo, env: { ...process.env, ...extraEnv }, stdio: 'pipe' });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return () => output;
}

/** Starts a JS template in Node; `@elevenkit/server` (TypeScript sources) loads through Vite's module runner. */
async function startNodeTemplate(file: string) {
  const port = await freePort();
  const runner = "import { runnerImport } from 'vite'; await runnerImport(process.argv[1]);";
  const output = start(process.execPath, ['--input-type=module', '-e', runner, path.join(templates, file)], {
    ...env(),
    PORT: String(port),
  });
  await expect.poll(output, { timeout: 30_000 }).toContain(`Token endpoint on http://localhost:${port}/api/elevenlabs`);
  return { base: `http://127.0.0.1:${port}/api/elevenlabs`, output };
}

/** A signed URL is only proof when the private agent accepts it. */
async function expectOpensPrivateConversation(signedUrl: string) {
  const ws = new WebSocket(signedUrl, ['convai']);
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'conversation_initiation_client_data' }));
  const [first] = await once(ws, 'message');
  expect(JSON.parse(String(first)).type).toBe('conversation_initiation_metadata');
  ws.close();
}

async function json(response: Response) {
  const text = await response.text();
  expect(text).not.toContain(KEY);
  return JSON.parse(text);
}

describe('express/server.js', () => {
  it('serves the endpoint as middleware beside the app’s own routes', async () => {
    const { base, output } = await startNodeTemplate('express/server.js');
    const signed = await fetch(`${base}/signed-url?agent_id=private`, { headers: { origin: 'https://app.example' } });
    expect(signed.status).toBe(200);
    expect(signed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    await expectOpensPrivateConversation((await json(signed)).signed_url);

    const refused = await fetch(`${base}/signed-url?agent_id=someone-else`);
    expect([refused.status, (await json(refused)).error.code]).toEqual([403, 'agent_not_allowed']);
    expect(await (await fetch(base.replace('/api/elevenlabs', '/'))).text()).toBe('Your app here.');
    expect(output()).not.toContain(KEY);
  });
});

describe('node/server.js', () => {
  it('serves every route over node:http', async () => {
    const { base, output } = await startNodeTemplate('node/server.js');
    const signed = await fetch(`${base}/signed-url?agent_id=private`);
    await expectOpensPrivateConversation((await json(signed)).signed_url);
    expect((await json(await fetch(`${base}/conversation-token?agent_id=private`))).token).toBeTruthy();
    const single = await fetch(`${base}/single-use-token/realtime_scribe`, { method: 'POST' });
    expect((await json(single)).token).toMatch(/^sutkn_/);
    expect(await json(await fetch(`${base}/health`))).toEqual({ status: 'ok' });
    const elsewhere = await fetch(base.replace('/api/elevenlabs', '/index.html'));
    expect([elsewhere.status, (await json(elsewhere)).error.code]).toEqual([404, 'not_found']);
    expect(output()).not.toContain(KEY);
  });
});

describe('cloudflare-workers (real workerd through Miniflare)', () => {
  /** wrangler.toml's `main`, `compatibility_date` and `[vars]`: enough TOML for this file. */
  function readWranglerToml() {
    const text = readFileSync(path.join(templates, 'cloudflare-workers/wrangler.toml'), 'utf8');
    const value = (key: string) => text.match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm'))?.[1];
    const vars: Record<string, string> = {};
    const section = text.split(/^\[vars\]$/m)[1]?.split(/^\[/m)[0] ?? '';
    for (const [, key, val] of section.matchAll(/^(\w+)\s*=\s*"([^"]*)"/gm)) vars[key!] = val!;
    return { main: value('main')!, compatibilityDate: value('compatibility_date')!, vars };
  }

  let mf: Miniflare | undefined;
  afterAll(() => mf?.dispose());

  it('bundles worker.ts with the handler, runs it in workerd and fetches from the emulator', async () => {
    const toml = readWranglerToml();
    expect(toml.vars).toHaveProperty('ELEVENLABS_AGENT_IDS');
    // One ES module, as wrangler would upload it.
    const result = (await build({
      configFile: false,
      logLevel: 'silent',
      root: templates,
      build: {
        write: false,
        minify: false,
        lib: { entry: path.join(templates, 'cloudflare-workers', toml.main), formats: ['es'], fileName: 'worker' },
      },
    })) as Rolldown.RolldownOutput[];
    const script = result[0]!.output[0].code;

    mf = new Miniflare({
      modules: true,
      script,
      compatibilityDate: toml.compatibilityDate,
      bindings: { ...toml.vars, ...env() },
      // A fixed `request.cf` (Cloudflare's request metadata), so Miniflare downloads nothing.
      cf: { country: 'XX' },
    });
    // The worker's own fetch() to the emulator on 127.0.0.1 leaves workerd through Miniflare's default outbound.
    const signed = await mf.dispatchFetch('http://worker.example/api/elevenlabs/signed-url?agent_id=private');
    expect(signed.status).toBe(200);
    const text = await signed.text();
    expect(text).not.toContain(KEY);
    await expectOpensPrivateConversation(JSON.parse(text).signed_url);

    const preflight = await mf.dispatchFetch('http://worker.example/api/elevenlabs/signed-url', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toEqual([
      204,
      'https://app.example',
    ]);
    await preflight.arrayBuffer();
  });

  it('limits each client IP (CF-Connecting-IP) to 20 a minute', async () => {
    const tokenFor = async (ip: string) => {
      const url = 'http://worker.example/api/elevenlabs/conversation-token?agent_id=demo';
      const response = await mf!.dispatchFetch(url, { headers: { 'cf-connecting-ip': ip } });
      await response.arrayBuffer();
      return response.status;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push(await tokenFor('203.0.113.7'));
    expect(statuses).toEqual([...Array(20).fill(200), 429]);
    expect(await tokenFor('203.0.113.8')).toBe(200);
  });
});

describe('modules evaluated here (their platforms are not run)', () => {
  beforeAll(() => {
    for (const [name, value] of Object.entries(env())) vi.stubEnv(name, value);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    delete (globalThis as { Deno?: unknown }).Deno;
  });

  it('nextjs route.ts exports GET, POST and OPTIONS that answer web Requests', async () => {
    const route = await import('../templates/nextjs/app/api/elevenlabs/[...route]/route.ts');
    expect(route.dynamic).toBe('force-dynamic');
    const origin = 'http://localhost:3000/api/elevenlabs';
    // Next.js calls them as (request, { params }); the second argument is ignored.
    const signed = await route.GET(new Request(`${origin}/signed-url?agent_id=private`));
    await expectOpensPrivateConversation((await json(signed)).signed_url);
    const token = await route.POST(new Request(`${origin}/single-use-token/tts_websocket`, { method: 'POST' }));
    expect((await json(token)).token).toMatch(/^sutkn_/);
    const preflight = await route.OPTIONS(
      new Request(`${origin}/signed-url`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
      }),
    );
    expect(preflight.status).toBe(204);
  });

  it('bun/server.ts exports { port, fetch } and rate-limits by server.requestIP()', async () => {
    vi.stubEnv('PORT', '4321');
    const { default: app } = await import('../templates/bun/server.ts');
    expect(app.port).toBe(4321);
    const from = (address: string) => ({ requestIP: () => ({ address }) });
    const request = (route: string) => new Request(`http://localhost:4321/api/elevenlabs/${route}`);
    const signed = await app.fetch(request('signed-url?agent_id=private'), from('10.0.0.1'));
    await expectOpensPrivateConversation((await json(signed)).signed_url);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await app.fetch(request('health'), from('10.0.0.2'))).status);
    for (let i = 0; i < 21; i++) {
      statuses.push((await app.fetch(request('conversation-token?agent_id=demo'), from('10.0.0.2'))).status);
    }
    // health is never limited; 20 tokens a minute per address are.
    expect(statuses).toEqual([...Array(41).fill(200), 429]);
    expect((await app.fetch(request('conversation-token?agent_id=demo'), from('10.0.0.3'))).status).toBe(200);
  });

  it('deno/main.ts exports { fetch } for deno serve, reading Deno.env', async () => {
    const values: Record<string, string> = env();
    (globalThis as { Deno?: unknown }).Deno = { env: { get: (name: string) => values[name] } };
    // Imported by a computed path so that tsc, which has no Deno types here, does not check it (deno check does).
    const main = pathToFileURL(path.join(templates, 'deno/main.ts')).href;
    const { default: app } = await import(/* @vite-ignore */ main);
    const info = { remoteAddr: { transport: 'tcp', hostname: '10.0.0.4', port: 50000 } };
    const signed = await app.fetch(
      new Request('http://localhost:8000/api/elevenlabs/signed-url?agent_id=private'),
      info,
    );
    await expectOpensPrivateConversation((await json(signed)).signed_url);
  });
});

/** A runtime binary from `DENO_BIN` / `BUN_BIN` or the PATH. */
const installed = (name: string) =>
  process.env[`${name.toUpperCase()}_BIN`] ??
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, name))
    .find((file) => existsSync(file));
const deno = installed('deno');
const bun = installed('bun');

describe('Deno and Bun for real (skipped when not installed; set DENO_BIN / BUN_BIN)', () => {
  async function expectServes(base: string, output: () => string) {
    await expect
      .poll(
        () =>
          fetch(`${base}/health`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 30_000 },
      )
      .toBe(200);
    await expectOpensPrivateConversation((await json(await fetch(`${base}/signed-url?agent_id=private`))).signed_url);
    expect(output()).not.toContain(KEY);
  }

  it.skipIf(!bun)('bun runs bun/server.ts', async () => {
    const port = await freePort();
    const output = start(bun!, [path.join(templates, 'bun/server.ts')], { ...env(), PORT: String(port) });
    await expectServes(`http://127.0.0.1:${port}/api/elevenlabs`, output);
  });

  it.skipIf(!deno)('deno serve runs deno/main.ts', async () => {
    // deno.json maps @elevenkit/server to npm, where it is not published yet; map it to the sources here instead.
    const dir = mkdtempSync(path.join(tmpdir(), 'elevenkit-deno-'));
    try {
      const config = path.join(dir, 'deno.json');
      const sources = pathToFileURL(path.join(repo, 'packages/server/src/index.ts')).href;
      writeFileSync(config, JSON.stringify({ imports: { '@elevenkit/server': sources } }));
      const port = await freePort();
      const args = ['serve', '--allow-net', '--allow-env', '--port', String(port), '--config', config];
      const output = start(deno!, [...args, path.join(templates, 'deno/main.ts')], {
        ...env(),
        DENO_NO_UPDATE_CHECK: '1',
      });
      await expectServes(`http://127.0.0.1:${port}/api/elevenlabs`, output);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
