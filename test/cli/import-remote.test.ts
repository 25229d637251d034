import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Input } from '../../src/cli/context.ts';
import { runCli } from '../../src/cli/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { freshPostgres, POSTGRES_TEST_URL, type TestDatabase } from '../helpers/databases.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';

/**
 * `import --from URL`: a second instance of this server is the source, reached through a proxy
 * that injects 429s, 5xx and dropped connections; the target is the database the CLI writes.
 */
const dir = mkdtempSync(join(tmpdir(), 'omi-import-remote-'));
const children = new Set<ChildProcess>();
const CONVERSATIONS = 27;
let postgres: TestDatabase | undefined;
let targetUrl: string;
let source: TestContext;
let target: TestContext;
let sourceKey: string;
let proxy: FaultProxy;
let sourceUrl: string;

interface Result { code: number; stdout: string; stderr: string }

async function cli(argv: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { OMI_DATABASE_URL: targetUrl, OMI_LOG_LEVEL: 'silent' },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([]) as Input,
  });
  return { code, stdout, stderr };
}

const fast = ['--backoff-ms', '1', '--max-attempts', '8'];
const importFrom = (email: string, from = proxy.url, extra: string[] = []) =>
  cli(['import', '--from', from, '--key', sourceKey, '--email', email, '--json', ...fast, ...extra]);

/** A target account with the source's name (the speaker name of the user's own lines) and a key to read it. */
async function targetAccount(email: string): Promise<{ email: string; key: string; userId: string }> {
  const user = await target.services.accounts.createUser({ email, name: 'Test User', password: 'correct horse battery' });
  const { secret } = await target.services.apiKeys.create(user.id, { name: 'check', scopes: ['memories:read', 'conversations:read', 'action_items:read', 'goals:read'] });
  return { email, key: secret, userId: user.id };
}

const LISTS = [
  '/v1/dev/user/folders',
  `/v1/dev/user/conversations?include_transcript=true&limit=25&offset=0`,
  `/v1/dev/user/conversations?include_transcript=true&limit=25&offset=25`,
  '/v1/dev/user/memories?limit=1000',
  '/v1/dev/user/action-items?limit=1000',
  '/v1/dev/user/goals?include_inactive=true&limit=1000',
  '/v1/dev/user/daily-summaries?limit=100',
];

/** What the API returns, every list and every goal's history, from one server and key. */
async function snapshot(ctx: TestContext, key: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const url of LISTS) {
    const response = await ctx.call('GET', url, key);
    expect(response.statusCode, url).toBe(200);
    out[url] = response.json();
  }
  for (const goal of out[LISTS[5]!] as { id: string }[]) {
    out[`history:${goal.id}`] = (await ctx.call('GET', `/v1/dev/user/goals/${goal.id}/history?days=365`, key)).json();
  }
  return out;
}

/**
 * Action item and goal ids are global: once an earlier account on the target holds them, a later
 * account's copies get ids derived from the account (the writer's rule), so those are compared without ids.
 */
function withoutGlobalIds(all: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(all);
  const goals = out[LISTS[5]!] as { id: string; goal_id: string }[];
  for (const [i, goal] of goals.entries()) {
    out[`history:${i}`] = out[`history:${goal.id}`];
    delete out[`history:${goal.id}`];
    goal.id = goal.goal_id = '';
  }
  const items = out[LISTS[4]!] as { id: string }[];
  for (const item of items) item.id = '';
  items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return out;
}

async function expectEqualToSource(account: { key: string }, ids: 'kept' | 'renamed' = 'renamed'): Promise<void> {
  const [want, got] = [await snapshot(source, sourceKey), await snapshot(target, account.key)];
  if (ids === 'kept') expect(got).toEqual(want);
  else expect(withoutGlobalIds(got)).toEqual(withoutGlobalIds(want));
}

async function seedConversation(i: number): Promise<void> {
  const topics = ['budget review', 'garden plans', 'climbing trip', 'piano lesson', 'tax forms', 'kitchen repair', 'book club', 'server migration', 'dentist visit'];
  const topic = `${topics[i % topics.length]} number ${i}`;
  const segments = [
    { text: `Let us talk about the ${topic}. I will send the notes to Maria by Friday.`, speaker: 'SPEAKER_00', is_user: true, start: 0, end: 6 },
    { text: `Sure, the ${topic} needs a decision before next week.`, speaker: 'SPEAKER_01', is_user: false, start: 6, end: 11 },
  ];
  const day = String(1 + (i % 20)).padStart(2, '0');
  const body = { transcript_segments: segments, started_at: `2026-03-${day}T${String(8 + (i % 10)).padStart(2, '0')}:00:00Z` };
  expect((await source.call('POST', '/v1/dev/user/conversations/from-segments', sourceKey, body)).statusCode).toBe(200);
  source.clock.advance(60_000);
}

beforeAll(async () => {
  postgres = POSTGRES_TEST_URL ? await freshPostgres(POSTGRES_TEST_URL) : undefined;
  targetUrl = postgres?.url ?? `sqlite:${join(dir, 'target.db')}`;
  source = await createTestContext({ OMI_RATE_LIMIT_MULTIPLIER: '1000' });
  sourceKey = (await source.developer()).key;
  for (let i = 0; i < CONVERSATIONS; i++) await seedConversation(i);
  for (const content of ['Likes hiking in the Alps', 'Allergic to peanuts', 'Works at a bakery on weekends']) {
    expect((await source.call('POST', '/v1/dev/user/memories', sourceKey, { content, category: 'interesting' })).statusCode).toBe(200);
  }
  const task = (await source.call('POST', '/v1/dev/user/action-items', sourceKey, { description: 'Renew passport', due_at: '2026-04-01T10:00:00Z' })).json<{ id: string }>();
  expect((await source.call('PATCH', `/v1/dev/user/action-items/${task.id}`, sourceKey, { completed: true })).statusCode).toBe(200);
  const goal = (await source.call('POST', '/v1/dev/user/goals', sourceKey, { title: 'Read 12 books', target_value: 12 })).json<{ id: string }>();
  for (const value of [2, 5]) {
    expect((await source.call('PATCH', `/v1/dev/user/goals/${goal.id}/progress?current_value=${value}`, sourceKey)).statusCode).toBe(200);
    source.clock.advance(86_400_000);
  }
  await source.drainJobs();
  await source.app.listen({ port: 0, host: '127.0.0.1' });
  const address = source.app.server.address() as { port: number };
  sourceUrl = `http://127.0.0.1:${address.port}`;
  proxy = await startFaultProxy(sourceUrl);
  target = await createTestContext({ OMI_DATABASE_URL: targetUrl });
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await proxy?.close();
  await target?.close();
  await source?.close();
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('import --from URL', () => {
  it('the source holds every kind the import brings over', async () => {
    const all = await snapshot(source, sourceKey);
    const lengths = LISTS.map((url) => (url.includes('daily') ? (all[url] as { summaries: unknown[] }).summaries : (all[url] as unknown[])).length);
    expect(Math.min(...lengths)).toBeGreaterThan(0);
    expect((all[LISTS[5]!] as { id: string }[]).map((g) => (all[`history:${g.id}`] as unknown[]).length)).toEqual([2]);
  });

  it('brings everything over through 429s, 5xx and dropped connections, field for field; a second run fetches only the delta', async () => {
    const account = await targetAccount('faulty@example.com');
    proxy.setRates({ rateLimited: 0.15, serverError: 0.15, dropped: 0.1, retryAfter: 0 }, 7);
    const first = await importFrom(account.email);
    expect(first.code, first.stderr).toBe(0);
    expect(proxy.faults.rateLimited).toBeGreaterThan(0);
    expect(proxy.faults.serverError).toBeGreaterThan(0);
    expect(proxy.faults.dropped).toBeGreaterThan(0);
    const report = JSON.parse(first.stdout) as { counts: Record<string, { records: number; pages: number }>; requests: number };
    expect(report.counts.conversations).toMatchObject({ records: CONVERSATIONS, pages: 3 });
    await expectEqualToSource(account, 'kept');

    proxy.setRates({});
    proxy.forwarded.length = 0;
    const again = JSON.parse((await importFrom(account.email)).stdout) as typeof report;
    // Conversations since the watermark (the newest ones, inclusive), then the empty page; no history refetched.
    expect(again.counts.conversations!.pages).toBe(2);
    expect(again.counts.conversations!.records).toBeLessThan(3);
    // The goal updated last is at the watermark (inclusive): at most it and its history again.
    expect(again.counts.goals!.records).toBeLessThanOrEqual(1);
    expect(proxy.forwarded.filter((path) => path.includes('/history')).length).toBeLessThanOrEqual(1);
    expect(proxy.forwarded.filter((path) => path.includes('conversations')).every((path) => path.includes('start_date='))).toBe(true);

    source.clock.advance(86_400_000);
    expect((await source.call('POST', '/v1/dev/user/memories', sourceKey, { content: 'Plays chess on Sundays', category: 'interesting' })).statusCode).toBe(200);
    await seedConversation(CONVERSATIONS);
    await source.drainJobs();
    const delta = JSON.parse((await importFrom(account.email)).stdout) as typeof report;
    expect(delta.counts.memories!.records).toBeGreaterThanOrEqual(1);
    expect(delta.counts.conversations!.records).toBeGreaterThanOrEqual(1);
    expect(delta.counts.conversations!.records).toBeLessThan(3);
    await expectEqualToSource(account, 'kept');
  });

  it('an outage mid-way fails with one line naming the URL and status, keeps what it wrote, and the next run resumes', async () => {
    const account = await targetAccount('resumed@example.com');
    proxy.setRates({});
    proxy.failAfter(2);
    const failed = await importFrom(account.email, proxy.url, ['--max-attempts', '2']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(failed.stderr).toContain(`${proxy.url}/v1/dev/user/conversations?include_transcript=true&limit=25&offset=25`);
    expect(failed.stderr).toMatch(/HTTP 503.*run again to resume/);
    const kept = await target.call('GET', '/v1/dev/user/conversations?limit=100', account.key);
    expect(kept.json<unknown[]>()).toHaveLength(25);

    proxy.failAfter(null);
    proxy.forwarded.length = 0;
    const resumed = await importFrom(account.email);
    expect(resumed.code, resumed.stderr).toBe(0);
    const conversationPages = proxy.forwarded.filter((path) => path.startsWith('/v1/dev/user/conversations'));
    expect(conversationPages[0]).toContain('offset=25');
    expect(conversationPages.some((path) => path.includes('offset=0'))).toBe(false);
    await expectEqualToSource(account);
  });

  it('refuses a bad source with one line naming what is wrong, and writes nothing', async () => {
    const account = await targetAccount('refused@example.com');
    const cases: [{ status: number; contentType: string; body: string }, RegExp][] = [
      [{ status: 200, contentType: 'text/html', body: '<html><body>Welcome</body></html>' }, /folders: the answer is not JSON \(text\/html\): "<html>/],
      [{ status: 200, contentType: 'application/json', body: '{"items": []}' }, /expected a list of folders, got another shape/],
      [{ status: 200, contentType: 'application/json', body: '[{"id": "f1", "name": 3}]' }, /folders\[0\] \(id "f1"\) has "name" that is not a string/],
      [{ status: 200, contentType: 'application/json', body: '[42]' }, /item 0 is not a folder/],
      [{ status: 404, contentType: 'application/json', body: '{"detail": "Not Found"}' }, /HTTP 404: Not Found/],
    ];
    for (const [answer, pattern] of cases) {
      proxy.replaceWith(answer);
      const result = await importFrom(account.email);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    proxy.replaceWith(null);
    const badKey = await cli(['import', '--from', proxy.url, '--key', 'omi_dev_wrong', '--email', account.email]);
    expect(badKey.stderr).toMatch(/HTTP 401: Invalid API Key \(check --key/);
    const notKey = await cli(['import', '--from', proxy.url, '--key', 'sk-123', '--email', account.email]);
    expect(notKey.stderr).toMatch(/--key: expected a developer key starting with omi_dev_/);
    const notUrl = await cli(['import', '--from', 'ftp://x', '--key', sourceKey, '--email', account.email]);
    expect(notUrl.stderr).toMatch(/is not an http\(s\) URL/);
    const both = await cli(['import', '--from', proxy.url, '--file', 'x.json', '--key', sourceKey, '--email', account.email]);
    expect(both.stderr).toMatch(/--file and --from cannot be used together/);
    const badSince = await cli(['import', '--from', proxy.url, '--key', sourceKey, '--since', 'yesterday', '--email', account.email]);
    expect(badSince.stderr).toMatch(/--since must be an ISO 8601 date-time/);
    const exported = await target.call('GET', '/v1/dev/user/memories?limit=1000', account.key);
    expect(exported.json<unknown[]>()).toEqual([]);
    expect((await target.call('GET', '/v1/dev/user/folders', account.key)).json<unknown[]>()).toEqual([]);
  });

  it('--since brings only what is newer', async () => {
    const account = await targetAccount('since@example.com');
    const result = await importFrom(account.email, proxy.url, ['--since', '2099-01-01T00:00:00Z']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { counts: Record<string, { records: number; since: string }> };
    expect(report.counts.conversations).toMatchObject({ records: 0, since: '2099-01-01T00:00:00.000Z' });
    expect(report.counts.memories!.records).toBe(0);
  });

  it('a process killed with SIGKILL mid-import is finished by the next run, equal to the source', async () => {
    const account = await targetAccount('killed@example.com');
    proxy.setRates({});
    proxy.failAfter(4);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'import', '--from', proxy.url, '--key', sourceKey, '--email', account.email, '--backoff-ms', '50', '--max-attempts', '1000'],
      { env: { ...process.env, OMI_DATABASE_URL: targetUrl, OMI_LOG_LEVEL: 'silent' }, stdio: 'ignore' },
    );
    children.add(child);
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const received = proxy.received;
    // Four requests went through; the process now retries the fifth against the outage.
    while (proxy.received < received + 6) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGKILL');
    await exited;
    children.delete(child);
    proxy.failAfter(null);
    const finished = await importFrom(account.email);
    expect(finished.code, finished.stderr).toBe(0);
    await expectEqualToSource(account);
  }, 30_000);
});
