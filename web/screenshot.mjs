#!/usr/bin/env node
// Retakes docs/console.png: starts the built server (dist/main.js, `npm run build` first) on a
// scratch SQLite file, adds a few memories through the API, signs in to the console in Debian's
// Chromium (Playwright) and captures the memories page.
//
//   node web/screenshot.mjs [out.png]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.argv[2] ?? join(root, 'docs', 'console.png'));
const account = { email: 'ada@example.com', password: 'correct horse battery', name: 'Ada Lovelace' };
const workdir = mkdtempSync(join(tmpdir(), 'omi-screenshot-'));
const server = spawn(process.execPath, [join(root, 'dist', 'main.js')], {
  cwd: workdir,
  env: {
    ...process.env,
    OMI_DATABASE_URL: `sqlite:${join(workdir, 'omi.db')}`,
    PORT: '0',
    HOST: '127.0.0.1',
    OMI_LOG_LEVEL: 'info',
    OMI_ADMIN_EMAIL: account.email,
    OMI_ADMIN_PASSWORD: account.password,
    OMI_ADMIN_NAME: account.name,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const base = await new Promise((resolveBase, reject) => {
    server.once('exit', (code) => reject(new Error(`server exited (${code})`)));
    createInterface({ input: server.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'omi-dev-api listening') resolveBase(entry.address);
      } catch {
        // not a log line
      }
    });
  });
  const call = async (method, path, token, body) => {
    const headers = { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) };
    const response = await fetch(`${base}${path}`, { method, headers, ...(body && { body: JSON.stringify(body) }) });
    return response.json();
  };
  const { token } = await call('POST', '/v1/auth/login', undefined, { email: account.email, password: account.password });
  const { key } = await call('POST', '/v1/dev/keys', token, { name: 'screenshot', scopes: ['memories:read', 'memories:write'] });
  for (const [content, category] of [
    ['Prefers green tea to coffee, every morning', 'interests'],
    ['Works on notes for the Analytical Engine with Charles Babbage', 'work'],
    ['Plays the harpsichord on Sunday afternoons', 'hobbies'],
    ['Is learning Italian before the trip to Turin', 'learnings'],
    ['Sends drafts to Charles on Fridays', 'habits'],
  ]) {
    await call('POST', '/v1/dev/user/memories', key, { content, category });
  }

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ baseURL: base, viewport: { width: 1200, height: 760 }, locale: 'en-GB', timezoneId: 'UTC' });
  await page.goto('/memories');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('list', { name: 'Memories' }).getByRole('listitem').nth(4).waitFor();
  await page.screenshot({ path: out });
  await browser.close();
  console.log(`wrote ${out}`);
} finally {
  server.kill();
  rmSync(workdir, { recursive: true, force: true });
}
