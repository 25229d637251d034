import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Input } from '../../src/cli/context.ts';
import { runCli } from '../../src/cli/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { freshPostgres, POSTGRES_TEST_URL, type TestDatabase } from '../helpers/databases.ts';
import { startServerProcess } from '../helpers/server-process.ts';

/** export / import --file / backup / restore, in-process over a real database; backup beside a real server process. */
const dir = mkdtempSync(join(tmpdir(), 'omi-transfer-'));
const children = new Set<ChildProcess>();
let postgres: TestDatabase | undefined;
let databaseUrl: string;
let ctx: TestContext;
let owner: { email: string; session: string };

interface Result { code: number; stdout: string; stderr: string }

async function cli(argv: string[], env: Record<string, string> = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { OMI_DATABASE_URL: databaseUrl, OMI_LOG_LEVEL: 'silent', ...env },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([]) as Input,
  });
  return { code, stdout, stderr };
}

function expectOneLineError(result: Result, pattern: RegExp): void {
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
}

const content = (path: string) => {
  const { account: _a, exported_at: _t, ...rest } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return rest;
};

beforeAll(async () => {
  postgres = POSTGRES_TEST_URL ? await freshPostgres(POSTGRES_TEST_URL) : undefined;
  databaseUrl = postgres?.url ?? `sqlite:${join(dir, 'omi.db')}`;
  ctx = await createTestContext({ OMI_DATABASE_URL: databaseUrl });
  const dev = await ctx.developer();
  const key = dev.key;
  const email = (await ctx.storage.users.findById(dev.userId))!.email;
  owner = { email, session: dev.session };
  const segments = [
    { text: 'The quarterly report [draft] is due on Friday, I will send it to Maria.', speaker: 'SPEAKER_00', is_user: true, start: 0, end: 5 },
    { text: 'Thanks. Can you also book the room for #planning: next week?', speaker: 'SPEAKER_01', start: 5, end: 9 },
  ];
  for (const body of [
    { transcript_segments: segments, started_at: '2026-01-14T09:00:00Z' },
    { transcript_segments: segments.slice(0, 1), started_at: '2026-01-15T09:00:00Z' },
  ]) expect((await ctx.call('POST', '/v1/dev/user/conversations/from-segments', key, body)).statusCode).toBe(200);
  expect((await ctx.call('POST', '/v1/dev/user/memories', key, { content: 'Likes hiking in the Alps', category: 'interesting' })).statusCode).toBe(200);
  const goal = (await ctx.call('POST', '/v1/dev/user/goals', key, { title: 'Read 12 books', target_value: 12 })).json<{ id: string }>();
  expect((await ctx.call('PATCH', `/v1/dev/user/goals/${goal.id}/progress?current_value=3`, key)).statusCode).toBe(200);
  await ctx.drainJobs();
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await ctx?.close();
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('export and import --file', () => {
  it('every command answers --help with --json, even with a bad configuration', async () => {
    for (const command of ['export', 'import', 'backup', 'restore']) {
      const result = await cli([command, '--help'], { OMI_DATABASE_URL: 'mysql://nope' });
      expect(result.code, command).toBe(0);
      expect(result.stdout).toContain('--json');
    }
  });

  it('exports JSON, imports it into another account, and the copy exports the same', async () => {
    const file = join(dir, 'export.json');
    const exported = await cli(['export', '--email', owner.email, '--format', 'json', '--out', file, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'json', counts: { conversations: 2, goals: 1 } });

    await ctx.services.accounts.createUser({ email: 'copy@example.com', name: 'Copy', password: 'correct horse battery' });
    for (let run = 0; run < 2; run++) {
      const imported = await cli(['import', '--file', file, '--email', 'copy@example.com', '--json']);
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout).counts.conversations).toEqual({ records: 2, renamed: 0 });
      expect(JSON.parse(imported.stdout).counts.goals).toEqual({ records: 1, renamed: 1 });
    }
    const again = join(dir, 'copy.json');
    expect((await cli(['export', '--email', 'copy@example.com', '--out', again])).code).toBe(0);
    const [a, b] = [content(file), content(again)] as { goals: { id: string }[]; action_items: { id: string }[] }[];
    // Goal and task ids are global: the copy on the same server has ids of its own, the rest is identical.
    for (const doc of [a!, b!]) {
      for (const item of [...doc.goals, ...doc.action_items]) item.id = '';
      doc.action_items.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    }
    expect(b).toEqual(a);
  });

  it('refuses a malformed file with a one-line error naming the record, and unknown accounts', async () => {
    const bad = join(dir, 'bad.json');
    const doc = JSON.parse(readFileSync(join(dir, 'export.json'), 'utf8'));
    doc.memories[0].tags = undefined;
    delete doc.memories[0].tags;
    writeFileSync(bad, JSON.stringify(doc));
    expectOneLineError(await cli(['import', '--file', bad, '--email', owner.email]), /memories\[0\] \(id "[^"]+"\) lacks "tags"; nothing was imported/);
    writeFileSync(bad, '{"format": "omi-dev-api.export", ');
    expectOneLineError(await cli(['import', '--file', bad, '--email', owner.email]), /is not JSON/);
    expectOneLineError(await cli(['import', '--email', owner.email]), /--file/);
    expectOneLineError(await cli(['export', '--email', 'nobody@example.com', '--out', bad]), /No account with email nobody@example.com/);
    expectOneLineError(await cli(['export', '--email', owner.email, '--format', 'xml', '--out', bad]), /--format must be json or markdown/);
  });

  it('writes a Markdown vault whose notes have valid front matter and whose wikilinks resolve', async () => {
    const vault = join(dir, 'vault');
    const result = await cli(['export', '--email', owner.email, '--format', 'markdown', '--out', vault, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).counts).toMatchObject({ conversations: 2, daily_notes: 2, memories: expect.any(Number) });
    const notes = new Map<string, string>();
    for (const sub of ['', 'Conversations', 'Daily']) {
      for (const name of readdirSync(join(vault, sub)).filter((n) => n.endsWith('.md'))) {
        expect(name).not.toMatch(/[\\/:*?"<>|#^[\]]/);
        notes.set(basename(name, '.md'), readFileSync(join(vault, sub, name), 'utf8'));
      }
    }
    expect([...notes.keys()]).toEqual(expect.arrayContaining(['Memories', 'Action items', 'Goals', '2026-01-14', '2026-01-15']));
    for (const [name, text] of notes) {
      const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
      expect(front, name).not.toBeNull();
      for (const line of front![1]!.split('\n')) expect(() => JSON.parse(line.replace(/^[a-z_]+: /, '')), line).not.toThrow();
      for (const [, link] of text.matchAll(/\[\[([^\]]+)\]\]/g)) expect(notes.has(link!), `${name} → ${link}`).toBe(true);
    }
    const conversation = [...notes.entries()].find(([n]) => n.startsWith('2026-01-14 '))![1];
    expect(conversation).toMatch(/^id: "/m);
    expect(conversation).toContain('## Transcript');
    expect(conversation).toContain('[[2026-01-14]]');
    expect(notes.get('2026-01-14')).toContain(`[[${[...notes.keys()].find((n) => n.startsWith('2026-01-14 '))}]]`);
    expectOneLineError(await cli(['export', '--email', owner.email, '--format', 'markdown', '--out', vault]), /already exists/);
  });
});

describe.runIf(!POSTGRES_TEST_URL)('backup and restore (SQLite)', () => {
  it('backs up while a server process writes; the restored copy holds every write acknowledged before', async () => {
    const file = join(dir, 'live.db');
    const env = { OMI_DATABASE_URL: `sqlite:${file}` };
    const server = await startServerProcess(['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: '0', ...env, OMI_ADMIN_EMAIL: 'owner@example.com', OMI_ADMIN_PASSWORD: 'owner-password', OMI_LOG_LEVEL: 'info' },
    }, children);
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    const login = await post('/v1/auth/login', { email: 'owner@example.com', password: 'owner-password' });
    const key = (await post('/v1/dev/keys', { name: 'writer', scopes: ['memories:write'] }, login.body.token)).body.key!;
    const acknowledged: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const content = `Note number ${i} written during the backup`;
        if ((await post('/v1/dev/user/memories', { content, category: 'system' }, key)).status === 200) acknowledged.push(content);
      }
    })();
    while (acknowledged.length < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    const before = [...acknowledged];
    const backup = await cli(['backup', '--out', join(dir, 'backup.db'), '--json'], env);
    writing = false;
    await writer;
    expect(backup.code, backup.stderr).toBe(0);
    const report = JSON.parse(backup.stdout);
    expect(report).toMatchObject({ integrity: 'ok', tables: { users: 1 } });
    expect(report.tables.memories).toBeGreaterThanOrEqual(before.length);

    expectOneLineError(await cli(['restore', '--from', join(dir, 'backup.db')], env), /is in use \(is the server running\?\)/);

    const restoredPath = join(dir, 'restored', 'omi.db');
    const restore = await cli(['restore', '--from', join(dir, 'backup.db'), '--json'], { OMI_DATABASE_URL: `sqlite:${restoredPath}` });
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout).tables).toEqual(report.tables);
    const restored = new SQLite(restoredPath, { readonly: true });
    const contents = new Set((restored.prepare('select content from memories').all() as { content: string }[]).map((r) => r.content));
    restored.close();
    for (const content of before) expect(contents.has(content), content).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('refuses a file that is not a database, and leaves the target as it was', async () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database at all, just text that is long enough to look like something');
    const target = join(dir, 'untouched.db');
    expectOneLineError(await cli(['restore', '--from', junk], { OMI_DATABASE_URL: `sqlite:${target}` }), /junk\.db/);
    expect(existsSync(target)).toBe(false);
    expectOneLineError(await cli(['restore', '--from', join(dir, 'missing.db')], { OMI_DATABASE_URL: `sqlite:${target}` }), /no SQLite database at/);
  });
});

describe.runIf(POSTGRES_TEST_URL)('backup and restore (PostgreSQL)', () => {
  it('refuse, pointing at pg_dump and pg_restore', async () => {
    expectOneLineError(await cli(['backup', '--out', join(dir, 'x.db')]), /pg_dump -Fc/);
    expectOneLineError(await cli(['restore', '--from', join(dir, 'x.db')]), /pg_restore/);
  });
});
