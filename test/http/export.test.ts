import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJsonChunks } from '../../src/modules/data-transfer/export.ts';
import { importDocument } from '../../src/modules/data-transfer/import.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

const DEV = '/v1/dev/user';
const SEGMENTS = [
  { text: "Okay, let's get started. The Q3 budget review is due to finance on Friday.", speaker: 'SPEAKER_00', is_user: true, start: 0, end: 6 },
  { text: "Right. I'll send you the updated marketing numbers by tomorrow.", speaker: 'SPEAKER_01', start: 6.5, end: 11 },
  { text: 'We should also hire a contractor for the website redesign, I will call Dana about it.', speaker: 'SPEAKER_00', is_user: true, start: 11.5, end: 17 },
];

type Doc = Record<string, unknown> & { account: { email: string }; goals: { id: string; history: unknown[] }[] };

let source: TestContext;
let target: TestContext;

async function ok(ctx: TestContext, method: string, url: string, token: string, body?: unknown) {
  const res = await ctx.call(method, url, token, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(200);
  return res.json();
}

/** Every kind of data, through the API: processed conversations, memories, tasks, goal history, folders, daily summaries. */
async function seed(ctx: TestContext): Promise<{ session: string; key: string; userId: string }> {
  const dev = await ctx.developer();
  const { key } = dev;
  const meeting = await ok(ctx, 'POST', `${DEV}/conversations/from-segments`, key, {
    transcript_segments: SEGMENTS,
    started_at: '2026-01-14T09:00:00Z',
    finished_at: '2026-01-14T09:20:00Z',
    geolocation: { latitude: 52.52, longitude: 13.405 },
  });
  await ok(ctx, 'POST', `${DEV}/conversations`, key, {
    text: 'Walked to the bakery and talked about training for the spring half marathon with Sam.',
    started_at: '2026-01-15T07:30:00Z',
  });
  await ctx.drainJobs();
  await ok(ctx, 'PATCH', `${DEV}/conversations/${meeting.id}`, key, { title: 'Q3 budget review' });
  const memory = await ok(ctx, 'POST', `${DEV}/memories`, key, { content: 'Prefers oat milk in coffee', category: 'interesting', tags: ['food', 'coffee'] });
  await ok(ctx, 'PATCH', `${DEV}/memories/${memory.id}`, key, { visibility: 'public', tags: ['food'] });
  await ok(ctx, 'POST', `${DEV}/memories`, key, { content: 'Works on the marketing budget', category: 'system' });
  const task = await ok(ctx, 'POST', `${DEV}/action-items`, key, { description: 'Renew passport', due_at: '2026-02-01T00:00:00Z' });
  await ok(ctx, 'PATCH', `${DEV}/action-items/${task.id}`, key, { completed: true });
  const goal = await ok(ctx, 'POST', `${DEV}/goals`, key, { title: 'Run 100 km', target_value: 100, unit: 'km' });
  await ok(ctx, 'PATCH', `${DEV}/goals/${goal.id}/progress?current_value=12.5`, key);
  await ok(ctx, 'PATCH', `${DEV}/goals/${goal.id}/progress?current_value=30`, key);
  await ctx.drainJobs();
  return { session: dev.session, key, userId: dev.userId };
}

async function download(ctx: TestContext, session: string): Promise<Doc> {
  const res = await ctx.call('GET', '/v1/users/export', session);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-disposition']).toBe('attachment; filename="omi-export.json"');
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.json<Doc>();
}

/** The document without what names the account and the moment: the part an import must reproduce. */
function content(doc: Doc): Record<string, unknown> {
  const { account: _account, exported_at: _at, ...rest } = doc;
  return rest;
}

let original: Doc;
let owner: { session: string; key: string; userId: string };

beforeAll(async () => {
  source = await createTestContext();
  target = await createTestContext();
  owner = await seed(source);
  original = await download(source, owner.session);
});

afterAll(async () => {
  await source?.close();
  await target?.close();
});

describe('GET /v1/users/export', () => {
  it('holds every kind of data, with the format name and version', () => {
    expect(original).toMatchObject({ format: 'omi-dev-api.export', version: 1 });
    for (const section of ['folders', 'conversations', 'memories', 'action_items', 'goals', 'daily_summaries']) {
      expect((original[section] as unknown[]).length, section).toBeGreaterThan(0);
    }
    expect(original.goals[0]!.history).toHaveLength(2);
    const conversations = original.conversations as Record<string, unknown>[];
    const meeting = conversations.find((c) => (c.transcript_segments as unknown[]).length === SEGMENTS.length)!;
    expect(meeting).toMatchObject({ title: 'Q3 budget review', status: 'completed', geolocation: { latitude: 52.52, longitude: 13.405 } });
    // Processing filed the meeting in the folder its category maps to.
    expect((original.folders as { id: string }[]).map((f) => f.id)).toContain(meeting.folder_id);
    const memories = original.memories as Record<string, unknown>[];
    expect(memories.find((m) => m.content === 'Prefers oat milk in coffee')).toMatchObject({ visibility: 'public', tags: ['food'], edited: expect.any(Boolean) });
    expect(JSON.stringify(original.account)).not.toMatch(/password|hash/);
    expect(Object.keys(original.account).sort()).toEqual(['created_at', 'email', 'id', 'name']);
  });

  it('needs a session: no token or a developer key is refused', async () => {
    expect((await source.call('GET', '/v1/users/export')).statusCode).toBe(401);
    expect((await source.call('GET', '/v1/users/export', owner.key)).statusCode).toBe(401);
    expect((await source.call('GET', '/v1/users/export?format=xml', owner.session)).statusCode).toBe(422);
  });

  it('?format=markdown answers the Markdown vault as a zip', async () => {
    const res = await source.call('GET', '/v1/users/export?format=markdown', owner.session);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe('attachment; filename="omi-export.zip"');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const names = Object.keys(files);
    expect(names).toEqual(expect.arrayContaining(['omi-vault/Memories.md', 'omi-vault/Goals.md', 'omi-vault/Daily/2026-01-14.md']));
    const notes = names.filter((n) => n.startsWith('omi-vault/Conversations/'));
    expect(notes).toHaveLength((original.conversations as unknown[]).length);
    const meeting = strFromU8(files[notes.find((n) => n.includes('Q3 budget review'))!]!);
    expect(meeting).toMatch(/^---\nid: "/);
    expect(meeting).toContain('## Transcript');
    expect(strFromU8(files['omi-vault/Memories.md']!)).toContain('Prefers oat milk in coffee');
  });

  it('shows each account only its own data', async () => {
    const other = await source.signIn();
    const doc = await download(source, other.session);
    expect(doc.conversations).toEqual([]);
    expect(doc.memories).toEqual([]);
  });

  it('writes the same document whatever the page size', async () => {
    const user = (await source.services.accounts.findByEmail(original.account.email))!;
    const at = new Date(String(original.exported_at));
    let text = '';
    for await (const chunk of exportJsonChunks(source.storage, user, at, { pageSize: 1 })) text += chunk;
    expect(JSON.parse(text)).toEqual(original);
  });
});

describe('importing an export', () => {
  it('reproduces every record in a fresh database, and a second import changes nothing', async () => {
    const account = await target.developer();
    const report = await importDocument(target.storage, account.userId, original);
    expect(report.goals).toEqual({ records: 1, renamed: 0 });
    const first = await download(target, account.session);
    expect(content(first)).toEqual(content(original));
    await importDocument(target.storage, account.userId, original);
    expect(content(await download(target, account.session))).toEqual(content(original));
    // A record changed since is put back as the file has it; the rest stays as it is.
    const memory = (original.memories as { id: string; content: string }[])[0]!;
    expect((await target.call('PATCH', `${DEV}/memories/${memory.id}`, account.key, { visibility: 'public', tags: ['changed'] })).statusCode).toBe(200);
    expect(content(await download(target, account.session))).not.toEqual(content(original));
    await importDocument(target.storage, account.userId, original);
    expect(content(await download(target, account.session))).toEqual(content(original));
    // The keyword index is kept by the database's triggers.
    const hits = await target.call('GET', `${DEV}/memories?q=oat`, account.key);
    expect(hits.statusCode, hits.body).toBe(200);
    expect(JSON.stringify(hits.json())).toContain('Prefers oat milk');
  });

  it('on the same server, gives tasks and goals whose ids belong to another account ids of their own', async () => {
    const twin = await source.signIn();
    const report = await importDocument(source.storage, twin.userId, original);
    expect(report.action_items.renamed).toBe((original.action_items as unknown[]).length);
    expect(report.goals.renamed).toBe(1);
    const copy = await download(source, twin.session);
    expect(copy.goals[0]!.id).not.toBe(original.goals[0]!.id);
    expect(copy.goals[0]!.history).toEqual(original.goals[0]!.history);
    expect(copy.memories).toEqual(original.memories);
    // The owner's own rows are untouched.
    expect(content(await download(source, owner.session))).toEqual(content(original));
    await importDocument(source.storage, twin.userId, original);
    expect(content(await download(source, twin.session))).toEqual(content(copy));
  });

  it.each([
    ['a wrong format name', (d: Doc) => ({ ...d, format: 'something-else' }), /"format" is "something-else"/],
    ['a newer version', (d: Doc) => ({ ...d, version: 2 }), /version 2 is newer/],
    ['a record missing a field', (d: Doc) => ({ ...d, daily_summaries: [{ ...(d.daily_summaries as object[])[0], headline: undefined }] }), /daily_summaries\[0\] \(id "[^"]+"\) lacks "headline"/],
    ['a flag that is not a boolean', (d: Doc) => ({ ...d, memories: [...(d.memories as object[]), { ...(d.memories as object[])[0], id: 'x', reviewed: 'yes' }] }), /memories\[\d+\] \(id "x"\) has "reviewed" that is not a boolean/],
    ['a bad timestamp', (d: Doc) => ({ ...d, goals: [{ ...d.goals[0], created_at: 'yesterday' }] }), /goals\[0\].*"created_at" that is not an ISO 8601/],
    ['a bad goal history', (d: Doc) => ({ ...d, goals: [{ ...d.goals[0], history: [{ value: 'x' }] }] }), /history\[0\]/],
  ])('refuses a document with %s, naming it, and writes nothing', async (_name, mutate, message) => {
    const account = await target.signIn();
    const bad = JSON.parse(JSON.stringify(mutate(original))) as unknown;
    await expect(importDocument(target.storage, account.userId, bad)).rejects.toThrow(message);
    const after = await download(target, account.session);
    for (const section of ['folders', 'conversations', 'memories', 'action_items', 'goals', 'daily_summaries']) {
      expect(after[section], section).toEqual([]);
    }
  });
});
