// The CLI as a user runs it: a child process with an agents file.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// Each test starts Node and Vite's module runner in a child process: seconds on a busy 2-core machine.

const bin = fileURLToPath(new URL('../bin/elevenkit-emulator.mjs', import.meta.url));

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output: () => output, exited };
}

it('serves the agents of a JSON file on the given port', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'emulator-cli-'));
  const file = path.join(dir, 'agents.json');
  writeFileSync(file, JSON.stringify({ agents: [{ agent_id: 'support', first_message: 'How can I help?' }] }));
  const { child, output, exited } = run(['--port', '0', '--agents', file]);
  try {
    await expect.poll(output, { timeout: 20_000 }).toMatch(/on (http:\/\/127\.0\.0\.1:\d+)/);
    const url = output().match(/on (http:\/\/127\.0\.0\.1:\d+)/)![1];
    expect(output()).toContain('Agents: demo, support');
    const res = await fetch(`${url}/v1/convai/agents/support/widget`);
    expect(((await res.json()) as { widget_config: { first_message: string } }).widget_config.first_message).toBe(
      'How can I help?',
    );
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);

it('stops with one clear sentence on a broken agents file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'emulator-cli-'));
  const file = path.join(dir, 'agents.json');
  writeFileSync(file, '[{"agent_id": "x", "text_only": "maybe"}]');
  const { output, exited } = run(['--port', '0', '--agents', file]);
  expect(await exited).toBe(1);
  rmSync(dir, { recursive: true, force: true });
  expect(output().trim()).toBe('elevenkit-emulator: Agent "x": "text_only" must be true or false.');
}, 30_000);
