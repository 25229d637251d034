import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Input } from '../../src/cli/context.ts';
import { runCli } from '../../src/cli/index.ts';
import { formatDuration, ProgressReporter } from '../../src/cli/progress.ts';
import { parseConfig } from '../../src/config/config.ts';
import { JobRunner } from '../../src/jobs/job-runner.ts';
import { systemClock } from '../../src/lib/time.ts';
import { createServices, type Services } from '../../src/services.ts';
import { openStorage } from '../../src/storage/index.ts';
import type { Storage } from '../../src/storage/storage.ts';
import { freshPostgres, POSTGRES_TEST_URL, type TestDatabase } from '../helpers/databases.ts';
import { FAKE_EMBEDDING_MODEL, startFakeEmbeddings } from '../helpers/fake-embeddings.ts';

/**
 * The operator's commands (`users list|delete|set-password|rename`, `mcp-keys …`, `jobs …`, progress
 * on long commands) in-process against a real database — a SQLite file, or a PostgreSQL schema of
 * its own when OMI_TEST_DATABASE_URL is set — checked through the same services the server uses.
 */
const PASSWORD = 'correct horse battery';
const silent = { info: () => {}, warn: () => {}, error: () => {} };

let dir: string;
let postgres: TestDatabase | undefined;
let env: Record<string, string>;
let storage: Storage;
let services: Services;
let counter = 0;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], extraEnv: Record<string, string> = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { ...env, ...extraEnv },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([]) as Input,
  });
  return { code, stdout, stderr };
}

async function ok(argv: string[]): Promise<string> {
  const result = await cli(argv);
  expect(result, argv.join(' ')).toMatchObject({ code: 0 });
  return result.stdout;
}

function expectOneLineError(result: Result, text: string): void {
  expect(result.code).not.toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe(`${text}\n`);
}

async function account(name = 'Operator Test') {
  const email = `op${++counter}@example.com`;
  const user = await services.accounts.createUser({ email, name, password: PASSWORD });
  return { email, user };
}

/** A job of a kind nothing handles, run once: it fails for good. */
async function failedJob(userId: string, dedupeKey?: string): Promise<string> {
  await storage.transaction((tx) => services.jobs.queue.enqueue(tx, { userId, kind: 'test.broken', payload: {}, maxAttempts: 1, dedupeKey }));
  await new JobRunner(storage, services.jobs.handlers, systemClock, silent).drain();
  const failed = (await storage.jobs.list({ userId, status: 'failed' })).at(-1);
  expect(failed).toBeDefined();
  return failed!.id;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'omi-operator-'));
  postgres = POSTGRES_TEST_URL ? await freshPostgres(POSTGRES_TEST_URL) : undefined;
  env = { OMI_DATABASE_URL: postgres?.url ?? `sqlite:${join(dir, 'omi.db')}`, OMI_LOG_LEVEL: 'silent' };
  const config = parseConfig(env);
  storage = await openStorage(config.databaseUrl);
  services = createServices(config, storage);
});

afterAll(async () => {
  await storage?.close();
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('operator commands --help', () => {
  it('<command> --help › exits 0 and offers --json for every operator command, even with a bad config', async () => {
    for (const argv of [
      ['users', 'list'],
      ['users', 'delete'],
      ['users', 'set-password'],
      ['users', 'rename'],
      ['mcp-keys', 'create'],
      ['mcp-keys', 'list'],
      ['mcp-keys', 'revoke'],
      ['jobs', 'list'],
      ['jobs', 'retry'],
    ]) {
      const result = await cli([...argv, '--help'], { OMI_DATABASE_URL: 'mysql://nope' });
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout).toContain('--json');
    }
    for (const argv of [['migrate-data'], ['reindex']]) expect((await cli([...argv, '--help'])).stdout).toContain('--progress');
  });
});

describe('omi-dev-api users', () => {
  it('users list › prints every account as a table, and --json as {"id","email","name","created_at"}', async () => {
    const { email, user } = await account('Lister');
    expect(await ok(['users', 'list'])).toMatch(new RegExp(`^ID +EMAIL +NAME +CREATED\\n[^]*${user.id} +${email} +Lister `));
    const list = JSON.parse(await ok(['users', 'list', '--json'])) as { id: string }[];
    expect(list).toContainEqual({ id: user.id, email, name: 'Lister', created_at: user.createdAt });
  });

  it('users rename › changes the display name; a blank name is refused with one line', async () => {
    const { email, user } = await account('Before');
    expect(await ok(['users', 'rename', '--email', email, '--name', '  After  '])).toBe(`Renamed ${email} to After\n`);
    expect((await services.accounts.findByEmail(email))?.name).toBe('After');
    expect(JSON.parse(await ok(['users', 'rename', '--email', email, '--name', 'Again', '--json']))).toMatchObject({ id: user.id, name: 'Again' });
    expectOneLineError(await cli(['users', 'rename', '--email', email, '--name', '   ']), 'name must not be empty');
  });

  it('users set-password › the new password works, the old one and every session stop working', async () => {
    const { email } = await account();
    const session = await services.accounts.login(email, PASSWORD);
    expect(await ok(['users', 'set-password', '--email', email, '--password', 'a brand new secret'])).toBe(
      `Password set for ${email}; its sessions have ended\n`,
    );
    expect(await services.accounts.authenticate(session.token)).toBeUndefined();
    await expect(services.accounts.login(email, PASSWORD)).rejects.toThrow('Invalid email or password');
    expect((await services.accounts.login(email, 'a brand new secret')).user.email).toBe(email);
  });

  it('users set-password › reads OMI_NEW_USER_PASSWORD; refuses a short password and a missing one with one line', async () => {
    const { email } = await account();
    expect((await cli(['users', 'set-password', '--email', email, '--json'], { OMI_NEW_USER_PASSWORD: 'from the environment' })).code).toBe(0);
    expect((await services.accounts.login(email, 'from the environment')).user.email).toBe(email);
    expectOneLineError(await cli(['users', 'set-password', '--email', email, '--password', 'short']), 'password must be at least 8 characters');
    expectOneLineError(
      await cli(['users', 'set-password', '--email', email]),
      'No password given: pass --password, set OMI_NEW_USER_PASSWORD, or run in a terminal',
    );
  });

  it('users delete › needs --yes, then removes the account and its data and leaves other accounts alone', async () => {
    const doomed = await account();
    const other = await account();
    for (const { user } of [doomed, other]) await services.memories.create(user.id, { content: `memory of ${user.email}` });
    expectOneLineError(await cli(['users', 'delete', '--email', doomed.email]), `Deleting ${doomed.email} removes all of its data; add --yes to confirm`);
    expect(JSON.parse(await ok(['users', 'delete', '--email', doomed.email, '--yes', '--json']))).toEqual({ id: doomed.user.id, email: doomed.email, deleted: true });
    expect(await services.accounts.findByEmail(doomed.email)).toBeUndefined();
    expect(await storage.memories.list(doomed.user.id, { limit: 10, offset: 0 })).toEqual([]);
    expect(await storage.memories.list(other.user.id, { limit: 10, offset: 0 })).toHaveLength(1);
    expectOneLineError(await cli(['users', 'delete', '--email', doomed.email, '--yes']), `No account with email ${doomed.email}`);
  });
});

describe('omi-dev-api mcp-keys', () => {
  it('mcp-keys create|list|revoke › a key that authenticates until it is revoked', async () => {
    const { email, user } = await account();
    const created = await cli(['mcp-keys', 'create', '--email', email, '--name', 'Claude Desktop']);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^omi_mcp_[0-9a-f]{32}$/);
    expect(created.stderr).toBe('Store this key now: it cannot be shown again.\n');
    const principal = await services.mcpKeys.authenticate(secret);
    expect(principal.userId).toBe(user.id);

    const listed = JSON.parse(await ok(['mcp-keys', 'list', '--email', email, '--json'])) as { id: string; name: string; key?: string }[];
    expect(listed).toEqual([expect.objectContaining({ id: principal.keyId, name: 'Claude Desktop', app_id: 'mcp-api' })]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(await ok(['mcp-keys', 'list', '--email', email])).toContain(principal.keyId);

    expect(await ok(['mcp-keys', 'revoke', '--email', email, principal.keyId])).toBe(`Revoked ${principal.keyId}\n`);
    await expect(services.mcpKeys.authenticate(secret)).rejects.toThrow();
    expectOneLineError(await cli(['mcp-keys', 'revoke', '--email', email, principal.keyId]), `No MCP key ${principal.keyId} for ${email}`);
    expect(await ok(['mcp-keys', 'list', '--email', email])).toBe(`No MCP keys for ${email}\n`);
  });

  it('mcp-keys create --json › prints the McpApiKeyCreated object; another account’s key id is unknown', async () => {
    const owner = await account();
    const stranger = await account();
    const body = JSON.parse(await ok(['mcp-keys', 'create', '--email', owner.email, '--name', 'k', '--json'])) as { id: string; key: string };
    expect(body.key).toMatch(/^omi_mcp_/);
    expectOneLineError(await cli(['mcp-keys', 'revoke', '--email', stranger.email, body.id]), `No MCP key ${body.id} for ${stranger.email}`);
  });
});

describe('omi-dev-api jobs', () => {
  it('jobs list|retry <id> › lists a failed job and queues it again with fresh attempts', async () => {
    const { user } = await account();
    const id = await failedJob(user.id);
    const failed = JSON.parse(await ok(['jobs', 'list', '--status', 'failed', '--json'])) as { id: string }[];
    expect(failed).toContainEqual(expect.objectContaining({ id, kind: 'test.broken', status: 'failed', user_id: user.id, attempts: 1 }));
    expect(await ok(['jobs', 'list', '--status', 'failed'])).toMatch(new RegExp(`${id} +test.broken +failed +1/1 .*no handler for job kind`));

    expect(await ok(['jobs', 'retry', id])).toBe('Queued 1 failed job again\n');
    const pending = JSON.parse(await ok(['jobs', 'list', '--status', 'pending', '--json'])) as { id: string }[];
    expect(pending).toContainEqual(expect.objectContaining({ id, status: 'queued', attempts: 0 }));
    expectOneLineError(await cli(['jobs', 'retry', id]), `No failed job ${id}`);
  });

  it('jobs retry --all › queues every failed job; one whose identical twin is already queued is dropped', async () => {
    const { user } = await account();
    await failedJob(user.id);
    const twinned = await failedJob(user.id, `twin-${user.id}`);
    await storage.transaction((tx) => services.jobs.queue.enqueue(tx, { userId: user.id, kind: 'test.broken', payload: {}, dedupeKey: `twin-${user.id}` }));
    const counts = JSON.parse(await ok(['jobs', 'retry', '--all', '--json'])) as { queued: number; superseded: number };
    expect(counts.superseded).toBe(1);
    expect(counts.queued).toBeGreaterThanOrEqual(1);
    expect(await storage.jobs.list({ status: 'failed' })).toEqual([]);
    expect((await storage.jobs.list({ userId: user.id })).map((job) => job.id)).not.toContain(twinned);
  });

  it('jobs › refuses bad arguments with one line', async () => {
    expectOneLineError(await cli(['jobs', 'retry']), 'Give either a job id or --all');
    expectOneLineError(await cli(['jobs', 'retry', 'some-id', '--all']), 'Give either a job id or --all');
    expectOneLineError(await cli(['jobs', 'list', '--status', 'dead']), '--status must be one of failed, pending, all, got "dead"');
    expectOneLineError(await cli(['jobs']), "error: missing command; run 'omi-dev-api jobs --help' for usage");
  });
});

describe('progress on long commands', () => {
  it('migrate-data --progress › a line per batch on stderr with counts, rate and ETA; --json output unchanged', async () => {
    await account();
    const quiet = await cli(['migrate-data', '--from', env.OMI_DATABASE_URL!, '--to', `sqlite:${join(dir, 'quiet.db')}`, '--json']);
    expect(quiet.stderr).toBe('');
    const loud = await cli(['migrate-data', '--from', env.OMI_DATABASE_URL!, '--to', `sqlite:${join(dir, 'loud.db')}`, '--json', '--progress', '--batch-size', '2']);
    expect(loud.code).toBe(0);
    expect(JSON.parse(loud.stdout)).toEqual(JSON.parse(quiet.stdout));
    const lines = loud.stderr.trimEnd().split('\n');
    const users = lines.filter((line) => line.startsWith('users: '));
    expect(users.length).toBeGreaterThan(1);
    for (const line of lines) expect(line).toMatch(/^[a-z_]+: [\d,]+\/[\d,]+ rows(, [\d,]+ rows\/s(, ETA \d+[smh][ \d]*[sm]?)?)?, [\d,]+ copied$/);
  });

  it('reindex --progress › reports the keyword index on stderr; without it (not a terminal) stderr stays empty', async () => {
    const loud = await cli(['reindex', '--progress', '--json']);
    expect(loud.code).toBe(0);
    expect(loud.stderr).toMatch(/^keyword index: [\d,]+\/[\d,]+ documents/);
    const quiet = await cli(['reindex', '--json']);
    expect(quiet.stderr).toBe('');
    expect(Object.keys(JSON.parse(quiet.stdout))).toEqual(Object.keys(JSON.parse(loud.stdout)));
  });

  it('reindex --reembed --progress › a line per embedded batch with the users done, against an embeddings server', async () => {
    const { user } = await account();
    await services.memories.create(user.id, { content: 'Reindexing needs at least one memory to embed' });
    const fake = await startFakeEmbeddings();
    try {
      const result = await cli(['reindex', '--reembed', '--progress', '--json'], { OMI_EMBEDDINGS_BASE_URL: fake.url, OMI_EMBEDDINGS_MODEL: FAKE_EMBEDDING_MODEL });
      expect(result.code).toBe(0);
      const { embedded } = JSON.parse(result.stdout) as { embedded: number };
      expect(embedded).toBeGreaterThan(0);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^keyword index: /);
      const last = lines.at(-1)!;
      expect(last).toMatch(/^embeddings: [\d,]+ documents(, [\d,]+ documents\/s)?, user \d+ of \d+$/);
      expect(last).toContain(`embeddings: ${embedded.toLocaleString('en-US')} documents`);
    } finally {
      await fake.close();
    }
  });

  it('ProgressReporter › rate and ETA from the clock; the next label starts where the last line left off', () => {
    let now = 0;
    let out = '';
    const progress = new ProgressReporter({ write: (text: string) => (out += text) }, () => now);
    now = 2000;
    progress.report('users', 1000, 4000, 'rows');
    now = 3000;
    progress.report('users', 2500, 4000, 'rows');
    now = 4000;
    progress.report('memories', 500, undefined, 'rows', 'note');
    expect(out.split('\n')).toEqual([
      'users: 1,000/4,000 rows, 500 rows/s, ETA 6s',
      'users: 2,500/4,000 rows, 833 rows/s, ETA 2s',
      'memories: 500 rows, 500 rows/s, note',
      '',
    ]);
    expect([formatDuration(59.4), formatDuration(185), formatDuration(3720)]).toEqual(['59s', '3m 05s', '1h 02m']);
  });
});

describe('as a real process', () => {
  it('node bin/omi-dev-api.js jobs retry › exits non-zero with one line; users list --json exits 0', async () => {
    const bin = fileURLToPath(new URL('../../bin/omi-dev-api.js', import.meta.url));
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const failed = await run(['jobs', 'retry']);
    expect(failed).toEqual({ code: 1, stdout: '', stderr: 'Give either a job id or --all\n' });
    const listed = await run(['users', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBeGreaterThan(0);
  }, 120_000);
});
