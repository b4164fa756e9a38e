// Setup that `npm run demo`, `npm test`, `npm run storybook` and `npm run bench` do first:
// install dependencies when they are missing or stale, (--browser) find or install Chromium, and (--redis) find or
// install redis-server for the Redis rate-limit tests.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './chromium.mjs';
import { ensureRedisServer } from './redis.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const lock = `${root}package-lock.json`;
const installed = `${root}node_modules/.package-lock.json`;

if (!existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs + 1000)) {
  console.log('elevenkit: installing dependencies…');
  execSync(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund', {
    cwd: root,
    stdio: 'inherit',
  });
}

if (process.argv.includes('--browser')) ensureChromium();
if (process.argv.includes('--redis')) ensureRedisServer();
