import { execFile, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type RunningServer } from '../helpers/server-process.ts';

/**
 * The production build (`npm run build`, what `npm start` runs): the bundles start, serve the API,
 * the docs and MCP, and the CLI bundle works on the same database.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const PASSWORD = 'correct horse battery';
const TIMEOUT = 60_000;

// Inside the project, so that the bundles find the packages left external (better-sqlite3) in node_modules.
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const outdir = mkdtempSync(join(root, 'node_modules', '.cache', 'omi-build-test-'));
// The working directory of the processes: no `.env` of the developer's is read.
const workdir = mkdtempSync(join(tmpdir(), 'omi-build-'));
const env = {
  ...process.env,
  OMI_DATABASE_URL: `sqlite:${join(workdir, 'omi.db')}`,
  OMI_LOG_LEVEL: 'info',
  OMI_REDIS_URL: '',
};
const children = new Set<ChildProcess>();

const cli = (...args: string[]) => run(process.execPath, [join(outdir, 'cli.js'), ...args], { cwd: workdir, env, timeout: TIMEOUT });

function startServer(): Promise<RunningServer> {
  return startServerProcess([join(outdir, 'main.js')], { cwd: workdir, env: { ...env, PORT: '0', HOST: '127.0.0.1' } }, children);
}

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body };
}

beforeAll(async () => {
  await run(process.execPath, [join(root, 'scripts', 'build.mjs'), outdir], { cwd: root, timeout: TIMEOUT });
}, TIMEOUT);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(outdir, { recursive: true, force: true });
  rmSync(workdir, { recursive: true, force: true });
});

describe('production build', () => {
  it('cli.js prints the package version', { timeout: TIMEOUT }, async () => {
    const { stdout } = await cli('--version');
    expect(stdout.trim()).toBe(version);
  });

  it('main.js serves the API, the docs and MCP, and exits 0 on SIGTERM', { timeout: TIMEOUT }, async () => {
    const email = 'build@example.com';
    const created = await cli('users', 'create', '--email', email, '--name', 'Build', '--password', PASSWORD, '--json');
    expect(JSON.parse(created.stdout)).toMatchObject({ email });
    const keys = await cli('keys', 'create', '--email', email, '--name', 'build test', '--scopes', 'memories:read,memories:write', '--json');
    const key = JSON.parse(keys.stdout).key as string;
    expect(key).toMatch(/^omi_dev_/);

    const server = await startServer();
    expect((await json(`${server.url}/healthz`)).body).toEqual({ status: 'ok' });
    const openapi = await json(`${server.url}/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toBe('3.1.0');
    // The docs page's static assets are served from the installed @fastify/swagger-ui.
    const css = await fetch(`${server.url}/docs/static/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect((await css.text()).length).toBeGreaterThan(1000);

    const auth = { authorization: `Bearer ${key}` };
    const memory = await json(`${server.url}/v1/dev/user/memories`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ content: 'Built and bundled', category: 'system' }),
    });
    expect(memory.status).toBe(200);
    const list = await json(`${server.url}/v1/dev/user/memories`, { headers: auth });
    expect(list.status).toBe(200);
    expect(list.body.map((m: { id: string }) => m.id)).toContain(memory.body.id);

    // MCP, whose SDK is loaded on the first request.
    const login = await json(`${server.url}/v1/auth/login`, { method: 'POST', body: JSON.stringify({ email, password: PASSWORD }) });
    expect(login.status).toBe(200);
    const mcpKey = await json(`${server.url}/v1/mcp/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${login.body.token}` },
      body: JSON.stringify({ name: 'build test' }),
    });
    expect(mcpKey.status).toBe(200);
    const initialize = await json(`${server.url}/v1/mcp/sse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mcpKey.body.key}`, accept: 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'build test', version: '1' } },
      }),
    });
    expect(initialize.status).toBe(200);
    expect(initialize.headers.get('mcp-session-id')).toBeTruthy();
    expect(initialize.body).toMatchObject({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-03-26' } });

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});

describe('npm start: build only when the sources changed', () => {
  // A copy of the build's inputs inside node_modules/.cache (so the installed packages resolve),
  // where a source can be changed without touching the project's own.
  const copy = mkdtempSync(join(root, 'node_modules', '.cache', 'omi-build-stale-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));
  for (const input of ['src', 'web', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs']) {
    cpSync(join(root, input), join(copy, input), { recursive: true });
  }
  const bundle = join(copy, 'dist', 'main.js');
  const build = async (...args: string[]) =>
    (await run(process.execPath, [join(copy, 'scripts', 'build.mjs'), ...args], { cwd: copy, timeout: TIMEOUT })).stdout;

  it('builds when dist/ is missing, skips when nothing changed, builds again after a source change', { timeout: 3 * TIMEOUT }, async () => {
    expect(await build('--if-stale')).not.toContain('up to date');
    const built = statSync(bundle).mtimeMs;
    const stamp = readFileSync(join(copy, 'dist', '.build-stamp'), 'utf8');

    expect(await build('--if-stale')).toContain('dist is up to date');
    expect(statSync(bundle).mtimeMs).toBe(built);

    const mainTs = join(copy, 'src', 'main.ts');
    writeFileSync(mainTs, readFileSync(mainTs, 'utf8').replace("'omi-dev-api listening'", "'omi-dev-api listening (changed)'"));
    expect(await build('--if-stale')).not.toContain('up to date');
    expect(readFileSync(bundle, 'utf8')).toContain('omi-dev-api listening (changed)');
    expect(readFileSync(join(copy, 'dist', '.build-stamp'), 'utf8')).not.toBe(stamp);
    expect(await build('--if-stale')).toContain('dist is up to date');
  });

  it('npm run build always builds', { timeout: 2 * TIMEOUT }, async () => {
    await build('--if-stale');
    const before = statSync(bundle).mtimeMs;
    expect(await build()).not.toContain('up to date');
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(before);
  });

  it('a deleted bundle is built again', { timeout: 2 * TIMEOUT }, async () => {
    await build('--if-stale');
    rmSync(bundle);
    expect(await build('--if-stale')).not.toContain('up to date');
    expect(statSync(bundle).size).toBeGreaterThan(0);
  });
});
