import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import type { Input } from '../../src/cli/context.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { expectSpecResponse } from '../helpers/spec.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PASSWORD = 'correct horse battery';

let dir: string;
let env: Record<string, string>;
let http: TestContext;
let emailCounter = 0;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output and a stdin that is not a terminal. */
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

function expectOneLineError(result: Result, text: string): void {
  expect(result.code).not.toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe(`${text}\n`);
}

async function newAccount(): Promise<string> {
  const email = `cli${++emailCounter}@example.com`;
  const result = await cli(['users', 'create', '--email', email, '--name', 'CLI User', '--password', PASSWORD]);
  expect(result.code).toBe(0);
  return email;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'omi-cli-'));
  env = { OMI_DATABASE_URL: `sqlite:${join(dir, 'omi.db')}`, OMI_LOG_LEVEL: 'silent' };
  // The migrate tests need the file not to exist yet, so the HTTP app opens it afterwards.
  const first = await cli(['migrate']);
  expect(first).toEqual({ code: 0, stdout: 'Applied 0001-foundation\nApplied 0002-conversations\nApplied 0003-search\nApplied 0004-mcp\nApplied 0005-list-indexes\nApplied 0006-keyword-index-per-kind\nApplied 0007-memory-list-anchors\nApplied 0008-mcp-oauth\nApplied 0009-import-checkpoints\nApplied 0010-receivers\n', stderr: '' });
  http = await createTestContext(env);
});

afterAll(async () => {
  await http?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('omi-dev-api --help', () => {
  it('omi-dev-api --help › exits 0 and lists every command', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'migrate', 'users', 'keys']) expect(result.stdout).toContain(command);
  });

  it('omi-dev-api <group> <command> --help › exits 0 for every command, even with a bad config', async () => {
    for (const argv of [['serve'], ['migrate'], ['users', 'create'], ['keys', 'create'], ['keys', 'list'], ['keys', 'revoke']]) {
      const result = await cli([...argv, '--help'], { OMI_DATABASE_URL: 'mysql://nope' });
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout).toContain('--json');
    }
  });

  it('omi-dev-api keys › without a subcommand fails with one line', async () => {
    expectOneLineError(await cli(['keys']), "error: missing command; run 'omi-dev-api keys --help' for usage");
  });

  it('omi-dev-api <unknown> › fails with one line', async () => {
    expectOneLineError(await cli(['frobnicate']), "error: unknown command 'frobnicate'");
  });
});

describe('omi-dev-api migrate', () => {
  it('omi-dev-api migrate › reports an up-to-date database', async () => {
    expect(await cli(['migrate'])).toEqual({ code: 0, stdout: 'Database is up to date\n', stderr: '' });
  });

  it('omi-dev-api migrate --json › lists what it applied', async () => {
    const result = await cli(['migrate', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ applied: [] });
  });

  it('omi-dev-api migrate › fails with the ConfigError message on a bad OMI_DATABASE_URL', async () => {
    expectOneLineError(
      await cli(['migrate'], { OMI_DATABASE_URL: 'mysql://nope' }),
      'Invalid configuration: OMI_DATABASE_URL must be sqlite:<path>, sqlite::memory: or postgres://…, got "mysql://nope"',
    );
  });
});

describe('omi-dev-api users create', () => {
  it('users create › prints the new account id, and the account can log in over HTTP', async () => {
    const result = await cli(['users', 'create', '--email', 'Ada@Example.com', '--name', 'Ada', '--password', PASSWORD]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(UUID);
    const login = await http.call('POST', '/v1/auth/login', undefined, { email: 'ada@example.com', password: PASSWORD });
    expect(login.statusCode).toBe(200);
    expect(login.json().user).toEqual({ id: result.stdout.trim(), email: 'ada@example.com', name: 'Ada' });
  });

  it('users create --json › prints {"id","email","name","created_at"}', async () => {
    const result = await cli(['users', 'create', '--email', 'json@example.com', '--name', 'Jay', '--password', PASSWORD, '--json']);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body).toEqual({ id: expect.stringMatching(UUID), email: 'json@example.com', name: 'Jay', created_at: expect.any(String) });
  });

  it('users create › reads the password from OMI_NEW_USER_PASSWORD when --password is omitted', async () => {
    const result = await cli(['users', 'create', '--email', 'env@example.com', '--name', 'Env'], { OMI_NEW_USER_PASSWORD: PASSWORD });
    expect(result.code).toBe(0);
    const login = await http.call('POST', '/v1/auth/login', undefined, { email: 'env@example.com', password: PASSWORD });
    expect(login.statusCode).toBe(200);
  });

  it('users create › fails with one line when no password is given and stdin is not a terminal', async () => {
    expectOneLineError(
      await cli(['users', 'create', '--email', 'nopass@example.com', '--name', 'No']),
      'No password given: pass --password, set OMI_NEW_USER_PASSWORD, or run in a terminal',
    );
  });

  it('users create › rejects a password shorter than 8 characters', async () => {
    expectOneLineError(
      await cli(['users', 'create', '--email', 'short@example.com', '--name', 'S', '--password', 'short']),
      'password must be at least 8 characters',
    );
  });

  it('users create › rejects an email that is taken', async () => {
    const email = await newAccount();
    expectOneLineError(
      await cli(['users', 'create', '--email', email.toUpperCase(), '--name', 'Again', '--password', PASSWORD]),
      'An account with this email already exists',
    );
  });

  it('users create › fails with one line when --email is missing', async () => {
    expectOneLineError(await cli(['users', 'create', '--name', 'N']), "error: required option '--email <email>' not specified");
  });
});

describe('omi-dev-api keys', () => {
  it('keys create › prints a key that authenticates over HTTP with the read-only default scopes', async () => {
    const email = await newAccount();
    const result = await cli(['keys', 'create', '--email', email, '--name', 'laptop']);
    expect(result.code).toBe(0);
    const key = result.stdout.trim();
    expect(key).toMatch(/^omi_dev_[0-9a-f]{32}$/);
    const me = await http.call('GET', '/v1/dev/key', key);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ name: 'laptop', scopes: ['conversations:read', 'memories:read', 'action_items:read', 'goals:read'] });
  });

  it('keys create --scopes --json › prints a DevApiKeyCreated with exactly those scopes', async () => {
    const email = await newAccount();
    const result = await cli(['keys', 'create', '--email', email, '--name', 'writer', '--scopes', 'memories:read, memories:write', '--json']);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expectSpecResponse('createApiKey', 200, body);
    expect(body.scopes).toEqual(['memories:read', 'memories:write']);
    const created = await http.call('POST', '/v1/dev/user/memories', body.key, { content: 'Likes the command line' });
    expect(created.statusCode).toBe(200);
  });

  it('keys create › fails with the 400 text for an unknown scope', async () => {
    const email = await newAccount();
    expectOneLineError(
      await cli(['keys', 'create', '--email', email, '--name', 'bad', '--scopes', 'memories:read,memories:delete']),
      "Invalid scopes. Available: ['conversations:read', 'conversations:write', 'memories:read', 'memories:write', " +
        "'action_items:read', 'action_items:write', 'goals:read', 'goals:write']",
    );
  });

  it('keys list › shows display prefixes, never a full key; --json prints DevApiKey objects', async () => {
    const email = await newAccount();
    const created = JSON.parse((await cli(['keys', 'create', '--email', email, '--name', 'one', '--json'])).stdout);
    const table = await cli(['keys', 'list', '--email', email]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(created.key_prefix);
    expect(table.stdout).not.toContain(created.key);
    const json = await cli(['keys', 'list', '--email', email, '--json']);
    const list = JSON.parse(json.stdout);
    expectSpecResponse('listApiKeys', 200, list);
    expect(list).toEqual([{ id: created.id, name: 'one', key_prefix: created.key_prefix, created_at: created.created_at, last_used_at: null, scopes: created.scopes }]);
  });

  it('keys revoke › the key stops authenticating on the next HTTP request', async () => {
    const email = await newAccount();
    const created = JSON.parse((await cli(['keys', 'create', '--email', email, '--name', 'doomed', '--json'])).stdout);
    expect((await http.call('GET', '/v1/dev/key', created.key)).statusCode).toBe(200);
    const result = await cli(['keys', 'revoke', '--email', email, created.id, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id: created.id, revoked: true });
    const after = await http.call('GET', '/v1/dev/key', created.key);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ detail: 'Invalid API Key' });
    expect(JSON.parse((await cli(['keys', 'list', '--email', email, '--json'])).stdout)).toEqual([]);
  });

  it('keys revoke › fails for a key id the account does not own', async () => {
    const owner = await newAccount();
    const other = await newAccount();
    const created = JSON.parse((await cli(['keys', 'create', '--email', owner, '--name', 'mine', '--json'])).stdout);
    expectOneLineError(await cli(['keys', 'revoke', '--email', other, created.id]), `No API key ${created.id} for ${other}`);
    expect((await http.call('GET', '/v1/dev/key', created.key)).statusCode).toBe(200);
  });

  it('keys create/list/revoke › fail with "No account with email E" for an unknown email', async () => {
    const unknown = 'nobody@example.com';
    for (const argv of [
      ['keys', 'create', '--email', unknown, '--name', 'x'],
      ['keys', 'list', '--email', unknown],
      ['keys', 'revoke', '--email', unknown, 'some-id'],
    ]) {
      expectOneLineError(await cli(argv), `No account with email ${unknown}`);
    }
  });
});

describe('bin/omi-dev-api.js', () => {
  it('node bin/omi-dev-api.js --help › runs as a real process and exits 0', async () => {
    const bin = fileURLToPath(new URL('../../bin/omi-dev-api.js', import.meta.url));
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, [bin, '--help'], (error, out) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out }));
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: omi-dev-api');
  }, 120_000);
});
