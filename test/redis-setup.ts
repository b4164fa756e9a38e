// Global setup of the `node` project: a throwaway `redis-server` (free port, no persistence, its own temp dir) for the
// Redis rate-limit store's tests, stopped at teardown. `npm test` installs redis-server first (scripts/setup.mjs
// --redis); without it, the Redis tests fail with `redisError` and every other test still runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findRedisServer } from '../scripts/redis.mjs';

export default async function setup(project: TestProject) {
  const executable = findRedisServer();
  if (!executable) {
    project.provide('redisUrl', '');
    project.provide(
      'redisError',
      'redis-server was not found: run `node scripts/setup.mjs --redis` (it installs Debian’s redis-server as root) or set REDIS_SERVER.',
    );
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'elevenkit-redis-'));
  const { child, port } = await startRedis(executable, dir).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
  project.provide('redisError', '');
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
}

/** Starts redis-server on a free port; another process can take the port between the probe and the start, so retry. */
async function startRedis(
  executable: string,
  dir: string,
  attempts = 3,
): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
    const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await ready(child);
      return { child, port };
    } catch (error) {
      child.kill('SIGKILL');
      if (attempt >= attempts) throw error;
    }
  }
}

/** Resolves once redis-server says it accepts connections; rejects with its output if it exits first. */
function ready(child: ChildProcess) {
  return new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) done();
    };
    const onExit = (code: number | null) => fail(new Error(`redis-server exited (${code}) while starting:\n${output}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      child.stdout!.resume(); // keep draining its log so it never blocks on a full pipe
      child.stderr!.resume();
    };
    const done = () => (cleanup(), resolve());
    const fail = (error: Error) => (cleanup(), reject(error));
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:<port>` of the throwaway redis-server; empty when it could not start. */
    redisUrl: string;
    /** Why there is no redis-server, or empty. */
    redisError: string;
  }
}
