import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Input } from '../../src/cli/context.ts';
import { runCli } from '../../src/cli/index.ts';
import { parseConfig } from '../../src/config/config.ts';
import { JobRunner } from '../../src/jobs/job-runner.ts';
import type { Memory } from '../../src/modules/memories/memories.types.ts';
import type { GoalHistoryEntry } from '../../src/modules/goals/goals.types.ts';
import { parseKeywordQuery } from '../../src/modules/search/query-terms.ts';
import { createServices, type Services } from '../../src/services.ts';
import { openDatabase, openStorage, type OpenDatabase } from '../../src/storage/index.ts';
import { COPIED_TABLES, migrateData, tableChecksum, type TableReport } from '../../src/storage/migrate-data.ts';
import type { Storage } from '../../src/storage/storage.ts';
import { TestClock } from '../helpers/clock.ts';
import { ALL_SCOPES } from '../helpers/context.ts';
import { freshPostgres, POSTGRES_TEST_URL, type TestDatabase } from '../helpers/databases.ts';

const PASSWORD = 'correct horse battery';
const silentLog = { info: () => {}, warn: () => {}, error: () => {} };

const PLANNING_CALL = [
  { text: 'Hey Sam, thanks for calling. So about the product launch.', speaker: 'SPEAKER_00', is_user: true, start: 0, end: 4 },
  { text: 'The designs are almost done. Can you send me the final copy for the landing page by Friday?', speaker: 'SPEAKER_01', start: 4, end: 10 },
  { text: "Sure, I'll send you the final copy by Friday. I also need to book the photographer for the product shoot.", speaker: 'SPEAKER_00', is_user: true, start: 10, end: 17 },
  { text: "By the way, I moved to Lisbon last month, so I'm an hour behind you now.", speaker: 'SPEAKER_00', is_user: true, start: 17, end: 22 },
  { text: 'Oh nice! Okay, talk soon.', speaker: 'SPEAKER_01', start: 22, end: 24 },
];

/** What the source holds, as the app sees it: the copy must show the same. */
interface Fixture {
  url: string;
  userId: string;
  email: string;
  key: string;
  goalId: string;
  oatMilkMemoryId: string;
  photographerConversationId: string;
  memories: Memory[];
  history: GoalHistoryEntry[];
  /** Rows per table. */
  counts: Record<string, number>;
}

let dir: string;
let fixture: Fixture;
const clock = new TestClock(new Date('2026-03-04T15:00:00.000Z'));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { OMI_LOG_LEVEL: 'silent' },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([]) as Input,
  });
  return { code, stdout, stderr };
}

async function withServices<T>(url: string, work: (services: Services, storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage(url);
  try {
    return await work(createServices(parseConfig({ OMI_DATABASE_URL: url, OMI_LOG_LEVEL: 'silent' }), storage, { clock, dailySummaryDelayMs: 0 }), storage);
  } finally {
    await storage.close();
  }
}

async function withDatabase<T>(url: string, work: (database: OpenDatabase) => Promise<T>): Promise<T> {
  const database = await openDatabase(url);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

const countRows = (database: OpenDatabase, table: string) =>
  sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(database.db).then((r) => Number(r.rows[0]!.n));

async function counts(url: string): Promise<Record<string, number>> {
  return withDatabase(url, async (database) => {
    const result: Record<string, number> = {};
    for (const table of COPIED_TABLES) result[table.name] = await countRows(database, table.name);
    return result;
  });
}

/** Accounts, keys, memories, action items, goals with history, processed conversations, queued jobs and a vector. */
async function populate(url: string): Promise<Fixture> {
  const result = await withServices(url, async (services, storage) => {
    const jobs = new JobRunner(storage, services.jobs.handlers, clock, silentLog);
    const email = 'ada@example.com';
    const user = await services.accounts.createUser({ email, name: 'Ada', password: PASSWORD });
    await services.accounts.createUser({ email: 'grace@example.com', name: 'Grace', password: PASSWORD });
    await services.accounts.login(email, PASSWORD);
    const { secret: key } = await services.apiKeys.create(user.id, { name: 'laptop', scopes: ALL_SCOPES });
    await services.apiKeys.authenticate(key);
    await services.apiKeys.create(user.id, { name: 'read only' });

    const oatMilk = await services.memories.create(user.id, { content: 'Prefers oat milk in coffee', tags: ['food'] });
    await services.memories.createBatch(
      user.id,
      Array.from({ length: 12 }, (_, i) => ({ content: `Visited bookshop number ${i + 1} in Porto` })),
    );
    await services.actionItems.create(user.id, { description: 'Renew the passport', due_at: '2026-04-01T00:00:00Z' });
    await services.actionItems.create(user.id, { description: 'Call the plumber', completed: true });

    const goal = await services.goals.create(user.id, { title: 'Run a marathon', goal_type: 'numeric', target_value: 42.195, current_value: 5, unit: 'km' });
    await services.goals.create(user.id, { title: 'Read more', why_it_matters: 'Calm evenings' });
    clock.advance(60_000);
    await services.goals.updateProgress(user.id, goal.id, 10.5);
    clock.advance(60_000);
    await services.goals.updateProgress(user.id, goal.id, 21.1);

    const call = await services.conversations.createFromSegments(user.id, {
      transcript_segments: PLANNING_CALL,
      started_at: '2026-03-04T15:00:00Z',
    });
    await services.conversations.createFromText(user.id, { text: 'Note to self: the bike needs new brakes before the trip to Sintra.' });
    await jobs.drain();
    // One more conversation whose background jobs have not run: queued jobs are data too.
    await services.conversations.createFromText(user.id, { text: 'Remember to water the basil on the balcony every morning.' });

    await storage.search.saveVector(
      user.id,
      { kind: 'memory', id: oatMilk.id, version: oatMilk.updatedAt, digest: 'oat-milk' },
      'model-a',
      Float32Array.from([0.6, 0.8, -0.25]),
    );
    // An MCP key (a row of api_keys) and an MCP session.
    await services.mcpKeys.create(user.id, { name: 'assistant' });
    await storage.mcpSessions.insert({ id: 'mcp-session-1', userId: user.id, createdAt: '2026-03-04T16:00:00.000Z' });
    // Webhook receivers: a URL token, an inbox entry waiting to be processed, a buffered live segment.
    await storage.receivers.insertTokenIfAbsent(user.id, 'receiver-token-1', '2026-03-04T16:00:00.000Z');
    await storage.receivers.addToInbox({ id: 'inbox-1', userId: user.id, kind: 'day_summary', omiUid: 'omi-1', payload: { summary: 'A day' }, receivedAt: '2026-03-04T16:00:00.000Z' });
    await storage.receivers.bufferSegments(user.id, [
      { segment: { id: 'seg-1', text: 'Hello', speaker: 'SPEAKER_00', speakerId: 0, isUser: true, personId: null, start: 0, end: 1.5 }, receivedAt: '2026-03-04T16:00:00.000Z', seq: 0 },
    ]);
    // An MCP OAuth client, its grant, a code (exchanged) and the tokens it issued.
    const { client } = await services.mcpOAuth.clients.register({ client_name: 'Connector', redirect_uris: ['https://c.example/cb'], token_endpoint_auth_method: 'none' });
    const verifier = 'v'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorization = { response_type: 'code', client_id: client.id, redirect_uri: 'https://c.example/cb', code_challenge: challenge, code_challenge_method: 'S256' };
    const code = new URL(await services.mcpOAuth.decide(user.id, 'https://omi.example', authorization, true)).searchParams.get('code')!;
    await services.mcpOAuth.token({ grant_type: 'authorization_code', code, redirect_uri: 'https://c.example/cb', client_id: client.id, code_verifier: verifier });

    return {
      url,
      userId: user.id,
      email,
      key,
      goalId: goal.id,
      oatMilkMemoryId: oatMilk.id,
      photographerConversationId: call.id,
      memories: await services.memories.list(user.id, { limit: 1000, offset: 0 }),
      history: await services.goals.history(user.id, goal.id, 30),
    };
  });
  return { ...result, counts: await counts(url) };
}

function expectReports(tables: TableReport[], copied: (name: string) => number): void {
  expect(tables.map((t) => t.name)).toEqual(COPIED_TABLES.map((t) => t.name));
  for (const table of tables) {
    const rows = fixture.counts[table.name];
    expect(table, table.name).toEqual({ name: table.name, source: rows, copied: copied(table.name), target: rows, checksum: 'ok' });
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'omi-migrate-data-'));
  fixture = await populate(`sqlite:${join(dir, 'source.db')}`);
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the source fixture', () => {
  it('has rows in every table that is copied', () => {
    for (const table of COPIED_TABLES) expect(fixture.counts[table.name], table.name).toBeGreaterThan(0);
    expect(fixture.counts.goal_history).toBe(2);
    expect(fixture.counts.memories).toBeGreaterThan(13);
  });
});

describe('omi-dev-api migrate-data › arguments', () => {
  it('migrate-data --help › exits 0 and describes every option', async () => {
    const result = await cli(['migrate-data', '--help']);
    expect(result.code).toBe(0);
    for (const option of ['--from <url>', '--to <url>', '--batch-size <n>', '--json']) expect(result.stdout).toContain(option);
    expect((await cli(['--help'])).stdout).toContain('migrate-data');
  });

  it('refuses the same database on both sides, however the path is spelled', async () => {
    const url = fixture.url;
    const respelled = `sqlite:${join(dir, '.', 'sub', '..', 'source.db')}`;
    for (const to of [url, respelled]) {
      expect(await cli(['migrate-data', '--from', url, '--to', to])).toEqual({
        code: 1,
        stdout: '',
        stderr: '--from and --to name the same database\n',
      });
    }
  });

  it('refuses unsupported URLs, a bad batch size and a SQLite source that does not exist', async () => {
    const to = `sqlite:${join(dir, 'never.db')}`;
    const cases: [string[], string][] = [
      [['--from', 'mysql://db/omi', '--to', to], '--from must be sqlite:<path>, sqlite::memory: or postgres://…, got "mysql://db/omi"'],
      [['--from', fixture.url, '--to', 'sqlite:'], '--to must be sqlite:<path>, sqlite::memory: or postgres://…, got "sqlite:"'],
      [['--from', fixture.url, '--to', to, '--batch-size', '0'], '--batch-size must be an integer from 1 to 100000, got "0"'],
      [['--from', fixture.url, '--to', to, '--batch-size', '2.5'], '--batch-size must be an integer from 1 to 100000, got "2.5"'],
      [['--from', `sqlite:${join(dir, 'missing.db')}`, '--to', to], `--from: no SQLite database at ${join(dir, 'missing.db')}`],
    ];
    for (const [args, message] of cases) {
      expect(await cli(['migrate-data', ...args]), args.join(' ')).toEqual({ code: 1, stdout: '', stderr: `${message}\n` });
    }
    expect((await cli(['migrate-data', '--from', fixture.url])).stderr).toBe("error: required option '--to <url>' not specified\n");
  });
});

const TARGETS: ('sqlite' | 'postgres')[] = POSTGRES_TEST_URL ? ['sqlite', 'postgres'] : ['sqlite'];

describe.each(TARGETS)('omi-dev-api migrate-data › sqlite → %s', (kind) => {
  const databases: TestDatabase[] = [];
  let counter = 0;
  let target: string;

  async function freshTarget(): Promise<string> {
    if (kind === 'sqlite') return `sqlite:${join(dir, `${kind}-target-${++counter}.db`)}`;
    const database = await freshPostgres(POSTGRES_TEST_URL!);
    databases.push(database);
    return database.url;
  }

  beforeAll(async () => {
    target = await freshTarget();
  });

  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it('copies every table, parents first, and prints one verified line per table', async () => {
    const result = await cli(['migrate-data', '--from', fixture.url, '--to', target, '--batch-size', '5']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(COPIED_TABLES.length + 1);
    COPIED_TABLES.forEach((table, i) => {
      const n = fixture.counts[table.name]!;
      expect(lines[i]).toBe(`${table.name}: ${n} ${n === 1 ? 'row' : 'rows'} copied (${n} in source, ${n} in target), checksum ok`);
    });
    const total = Object.values(fixture.counts).reduce((a, b) => a + b, 0);
    expect(lines.at(-1)).toBe(`Done: ${COPIED_TABLES.length} tables match the source, ${total} rows copied`);
    expect(await counts(target)).toEqual(fixture.counts);
  });

  it('run again › copies nothing and still verifies every table (--json)', async () => {
    const result = await cli(['migrate-data', '--from', fixture.url, '--to', target, '--json']);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as { tables: TableReport[]; ok: boolean };
    expect(body.ok).toBe(true);
    expectReports(body.tables, () => 0);
  });

  it('copies back into another database, table for table identical to the original', async () => {
    const back = `sqlite:${join(dir, `${kind}-back.db`)}`;
    const result = await cli(['migrate-data', '--from', target, '--to', back, '--json']);
    expect(result.code).toBe(0);
    await withDatabase(fixture.url, (original) =>
      withDatabase(back, async (copy) => {
        for (const table of COPIED_TABLES) {
          expect(await tableChecksum(copy, table), table.name).toEqual(await tableChecksum(original, table));
        }
      }),
    );
  });

  it('the copy serves the same data: memories, keyword search rebuilt by triggers, login, the developer key, vectors', async () => {
    await withServices(target, async (services, storage) => {
      const { userId } = fixture;
      expect(await services.memories.list(userId, { limit: 1000, offset: 0 })).toEqual(fixture.memories);
      expect(await services.goals.history(userId, fixture.goalId, 30)).toEqual(fixture.history);

      const memoryHits = await storage.search.keyword(userId, 'memory', parseKeywordQuery('oat milk'), 10);
      expect(memoryHits.map((h) => h.id)).toEqual([fixture.oatMilkMemoryId]);
      const conversationHits = await storage.search.keyword(userId, 'conversation', parseKeywordQuery('photographer'), 10);
      expect(conversationHits.map((h) => h.id)).toContain(fixture.photographerConversationId);
      expect((await services.memories.list(userId, { limit: 10, offset: 0, q: 'bookshop Porto' })).length).toBeGreaterThan(0);

      const grant = await services.accounts.login(fixture.email, PASSWORD);
      expect((await services.accounts.authenticate(grant.token))?.id).toBe(userId);
      expect((await services.apiKeys.authenticate(fixture.key)).userId).toBe(userId);

      const [stored] = await storage.search.vectors(userId, 'memory', 'model-a');
      expect(stored?.id).toBe(fixture.oatMilkMemoryId);
      expect([...stored!.vector]).toEqual([...Float32Array.from([0.6, 0.8, -0.25])]);
      expect(await storage.search.vectorGeneration(userId)).toBe(1);

      // New rows get new ids: on PostgreSQL the goal_history sequence was moved past the copied ones.
      clock.advance(60_000);
      await services.goals.updateProgress(userId, fixture.goalId, 30);
      expect(await services.goals.history(userId, fixture.goalId, 30)).toHaveLength(fixture.history.length + 1);
    });
  });

  it('an interrupted copy resumes: a second run copies only the missing rows', async () => {
    const resumed = await freshTarget();
    await withDatabase(fixture.url, (source) =>
      withDatabase(resumed, async (into) => {
        const copy = migrateData(source, into, {
          batchSize: 4,
          onBatch: ({ table }) => {
            if (table === 'memories') throw new Error('power cut');
          },
        });
        await expect(copy).rejects.toThrow('power cut');
        expect(await countRows(into, 'users')).toBe(fixture.counts.users);
        expect(await countRows(into, 'memories')).toBe(4);
        expect(await countRows(into, 'action_items')).toBe(0);
      }),
    );
    const result = await cli(['migrate-data', '--from', fixture.url, '--to', resumed, '--batch-size', '4', '--json']);
    expect(result.code).toBe(0);
    const { tables } = JSON.parse(result.stdout) as { tables: TableReport[] };
    const alreadyThere: Record<string, number> = { users: fixture.counts.users!, sessions: fixture.counts.sessions!, api_keys: fixture.counts.api_keys!, memories: 4 };
    expectReports(tables, (name) => fixture.counts[name]! - (alreadyThere[name] ?? 0));
    expect(await counts(resumed)).toEqual(fixture.counts);
  });

  it('a target row that differs from the source fails verification with one line naming the table, and is left as is', async () => {
    const differs = await freshTarget();
    expect((await cli(['migrate-data', '--from', fixture.url, '--to', differs])).code).toBe(0);
    await withDatabase(differs, (database) =>
      database.db.updateTable('memories').set({ content: 'Prefers soy milk' }).where('id', '=', fixture.oatMilkMemoryId).execute(),
    );
    const result = await cli(['migrate-data', '--from', fixture.url, '--to', differs]);
    expect(result.code).toBe(1);
    const n = fixture.counts.memories;
    expect(result.stderr).toBe(`memories: the target does not match the source (${n} rows on each side, checksums differ)\n`);
    expect(result.stdout).toContain('api_keys: 0 rows copied');
    expect(result.stdout).not.toContain('memories:');
    await withDatabase(differs, async (database) => {
      const row = await database.db.selectFrom('memories').select('content').where('id', '=', fixture.oatMilkMemoryId).executeTakeFirst();
      expect(row?.content).toBe('Prefers soy milk');
    });
  });

  it('a target with rows the source does not have fails verification with both counts', async () => {
    const extra = await freshTarget();
    await withServices(extra, (services) => services.accounts.createUser({ email: 'zed@example.com', name: 'Zed', password: PASSWORD }));
    const result = await cli(['migrate-data', '--from', fixture.url, '--to', extra, '--json']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `users: the target does not match the source (${fixture.counts.users} rows in source, ${fixture.counts.users! + 1} in target)\n`,
    });
  });

  it('a target row that collides on another unique column fails the copy with one line naming the table', async () => {
    const collides = await freshTarget();
    await withServices(collides, (services) => services.accounts.createUser({ email: fixture.email, name: 'Other Ada', password: PASSWORD }));
    const result = await cli(['migrate-data', '--from', fixture.url, '--to', collides]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^users: copying failed: .*\n$/);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });
});
