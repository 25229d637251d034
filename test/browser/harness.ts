import { createServer, type Server } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { startServerProcess, type RunningServer } from '../helpers/server-process.ts';

/**
 * What a browser suite needs: the production build (server and console), the built server on a
 * scratch SQLite file, Debian's Chromium driven by Playwright, and JSON calls for seeding and
 * checking through the API.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const ADMIN = { email: 'ada@example.com', password: 'correct horse battery', name: 'Ada' };
const TIMEOUT = 90_000;

export interface Harness {
  server: RunningServer;
  browser: Browser;
  workdir: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  const outdir = mkdtempSync(join(root, 'node_modules', '.cache', 'omi-browser-test-'));
  const workdir = mkdtempSync(join(tmpdir(), 'omi-browser-'));
  const children = new Set<ChildProcess>();
  await run(process.execPath, [join(root, 'scripts', 'build.mjs'), outdir], { cwd: root, timeout: TIMEOUT });
  const env = {
    ...process.env,
    OMI_DATABASE_URL: `sqlite:${join(workdir, 'omi.db')}`,
    OMI_LOG_LEVEL: 'info',
    OMI_REDIS_URL: '',
    OMI_ADMIN_EMAIL: ADMIN.email,
    OMI_ADMIN_PASSWORD: ADMIN.password,
    OMI_ADMIN_NAME: ADMIN.name,
    PORT: '0',
    HOST: '127.0.0.1',
  };
  const server = await startServerProcess([join(outdir, 'main.js')], { cwd: workdir, env }, children);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    server,
    browser,
    workdir,
    close: async () => {
      await browser.close().catch(() => {});
      for (const child of children) child.kill('SIGKILL');
      rmSync(outdir, { recursive: true, force: true });
      rmSync(workdir, { recursive: true, force: true });
    },
  };
}

export interface JsonResponse {
  status: number;
  body: any;
}

/** A JSON call to the running server, with a bearer token when given. */
export async function call(base: string, method: string, path: string, token?: string, body?: unknown): Promise<JsonResponse> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A page on another site (http://localhost:<port> while the server is http://127.0.0.1:<port>). */
export async function serveForeignPage(html: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
