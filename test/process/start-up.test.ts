import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, describeDatabase, openStorage } from '../../src/storage/index.ts';
import { POSTGRES_TEST_URL } from '../helpers/databases.ts';
import { startServerProcess } from '../helpers/server-process.ts';

/**
 * What an operator sees when the server starts as a real process: the admin account, the docs,
 * the database and the rate-limit store in the log; an unreachable database as one clear line.
 */
const dir = mkdtempSync(join(tmpdir(), 'omi-start-up-'));
const database = join(dir, 'omi.db');
const children = new Set<ChildProcess>();
const PASSWORD = 'owner-password';

const baseEnv = (env: Record<string, string>) => ({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  OMI_LOG_LEVEL: 'info',
  OMI_REDIS_URL: '',
  OMI_ADMIN_NAME: '',
  ...env,
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A TCP port on which nothing listens: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('server start-up', () => {
  it('logs the admin account, the docs, the database and the rate-limit store; names the admin OMI_ADMIN_NAME', { timeout: 120_000 }, async () => {
    const env = baseEnv({
      OMI_DATABASE_URL: `sqlite:${database}`,
      OMI_ADMIN_EMAIL: 'owner@example.com',
      OMI_ADMIN_PASSWORD: PASSWORD,
      OMI_ADMIN_NAME: 'Dana Reyes',
    });
    const first = await startServerProcess(['--import', 'tsx', 'src/main.ts'], { env }, children);
    expect(first.logs).toContainEqual(
      expect.objectContaining({ level: 30, msg: 'admin account created', email: 'owner@example.com', name: 'Dana Reyes' }),
    );
    const listening = first.logs.find((entry) => entry.msg === 'omi-dev-api listening')!;
    expect(listening).toMatchObject({
      level: 30,
      docs: `${first.url}/docs`,
      database: { kind: 'sqlite', location: database },
      rateLimitStore: 'in-process',
    });
    expect((await fetch(String(listening.docs))).status).toBe(200);

    const login = await fetch(`${first.url}/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ email: 'owner@example.com', password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const me = await fetch(`${first.url}/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ email: 'owner@example.com', name: 'Dana Reyes' });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // Started again: the account exists and keeps its name, whatever OMI_ADMIN_NAME says now.
    const second = await startServerProcess(['--import', 'tsx', 'src/main.ts'], { env: { ...env, OMI_ADMIN_NAME: 'Someone Else' } }, children);
    expect(second.logs).toContainEqual(
      expect.objectContaining({ msg: 'admin account already exists', email: 'owner@example.com', name: 'Dana Reyes' }),
    );
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('fails with one line naming OMI_DATABASE_URL and the host:port when PostgreSQL cannot be reached', { timeout: 60_000 }, async () => {
    const port = await closedPort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: baseEnv({ OMI_DATABASE_URL: `postgres://omi:s3cret-pw@127.0.0.1:${port}/omi` }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `Failed to start: cannot open PostgreSQL at omi@127.0.0.1:${port}/omi (OMI_DATABASE_URL): ` +
        'connection refused (is PostgreSQL running and listening there?)',
    );
    expect(stderr).not.toContain('s3cret-pw');
  });
});

describe('openStorage › a database that cannot be opened', () => {
  it('names OMI_DATABASE_URL and the file when it is not a SQLite database', async () => {
    const file = join(dir, 'not-a-database.db');
    writeFileSync(file, 'this is not SQLite, but long enough to have a header of sorts\n'.repeat(20));
    await expect(openStorage(`sqlite:${file}`)).rejects.toThrow(
      new DatabaseUnavailableError(`cannot open the SQLite file ${file} (OMI_DATABASE_URL): the file is not a SQLite database`),
    );
  });

  it.skipIf(!POSTGRES_TEST_URL)('names OMI_DATABASE_URL and says to create the database when it does not exist', async () => {
    const url = new URL(POSTGRES_TEST_URL!);
    url.pathname = `/missing_${process.pid}`;
    url.search = '';
    const error = await openStorage(url.toString()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toBe(
      `cannot open PostgreSQL at ${describeDatabase(url.toString()).location} (OMI_DATABASE_URL): ` +
        'the database does not exist (create it first, see docs/DEPLOYMENT.md)',
    );
  });
});
