import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/modules/conversations/conversations.types.ts';
import type { Memory } from '../../src/modules/memories/memories.types.ts';
import { parseKeywordQuery } from '../../src/modules/search/query-terms.ts';
import type { SearchKind } from '../../src/modules/search/search.types.ts';
import { openStorage } from '../../src/storage/index.ts';
import type { Storage } from '../../src/storage/storage.ts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../helpers/databases.ts';
import { storedActionItem, storedConversation, storedMemory } from '../helpers/records.ts';

/**
 * The search part of the storage contract, on every adapter: the keyword index follows every
 * write (triggers), inside the writer's transaction, and only ever answers for the owner.
 */
const T0 = '2026-01-15T10:00:00.000Z';
const T1 = '2026-01-16T10:00:00.000Z';

const memory = (userId: string, id: string, content: string, overrides: Partial<Memory> = {}): Memory =>
  storedMemory(userId, { id, content, createdAt: T0, updatedAt: T0, ...overrides });

const conversation = (userId: string, id: string, overrides: Partial<Conversation> = {}): Conversation =>
  storedConversation(userId, {
    id,
    createdAt: T0,
    updatedAt: T0,
    startedAt: T0,
    finishedAt: T0,
    segments: [
      { id: 's1', text: 'The plumber comes on Thursday', speaker: 'SPEAKER_00', speakerId: 0, isUser: true, personId: null, start: 0, end: 2 },
    ],
    ...overrides,
  });

describe.each(DATABASE_KINDS)('search storage contract (%s)', (kind) => {
  let storage: Storage;
  let database: TestDatabase;
  const find = async (userId: string, what: SearchKind, text: string) =>
    (await storage.search.keyword(userId, what, parseKeywordQuery(text), 10)).map((h) => h.id);

  beforeEach(async () => {
    database = await freshDatabase(kind);
    storage = await openStorage(database.url);
    for (const id of ['u-alice', 'u-bob']) {
      await storage.users.insert({ id, email: `${id}@example.com`, name: id, passwordHash: 'x', createdAt: T0 });
    }
  });
  afterEach(async () => {
    await storage.close();
    await database.drop();
  });

  it('memories › indexed on insert, re-indexed on update, forgotten on delete; owner-scoped', async () => {
    await storage.memories.upsert(memory('u-alice', 'm1', 'Weekly meetings with the design team'));
    await storage.memories.upsert(memory('u-bob', 'm1', 'Weekly meetings with the sales team'));
    expect(await find('u-alice', 'memory', 'meeting')).toEqual(['m1']);
    expect(await find('u-alice', 'memory', 'sales')).toEqual([]);
    await storage.memories.upsert(memory('u-alice', 'm1', 'Piano lessons on Saturdays'));
    expect(await find('u-alice', 'memory', 'meeting')).toEqual([]);
    expect(await find('u-alice', 'memory', 'lessons')).toEqual(['m1']);
    await storage.memories.update('u-alice', 'm1', { content: 'Tennis on Sundays', updatedAt: T1 });
    expect(await find('u-alice', 'memory', 'piano')).toEqual([]);
    expect(await find('u-alice', 'memory', 'tennis')).toEqual(['m1']);
    await storage.memories.delete('u-alice', 'm1');
    expect(await find('u-alice', 'memory', 'tennis')).toEqual([]);
    expect(await find('u-bob', 'memory', 'meetings')).toEqual(['m1']);
  });

  it('memories › with `every`, only documents holding every word match', async () => {
    await storage.memories.upsert(memory('u-alice', 'm1', 'Allergic to peanuts'));
    await storage.memories.upsert(memory('u-alice', 'm2', 'Loves peanuts'));
    await storage.memories.upsert(memory('u-alice', 'm3', 'Is allergic to cats'));
    const every = async (text: string) =>
      (await storage.search.keyword('u-alice', 'memory', { ...parseKeywordQuery(text), prefix: false, every: true }, 10)).map((h) => h.id);
    expect(await every('allergic to PEANUTS!')).toEqual(['m1']);
    expect((await find('u-alice', 'memory', 'allergic to peanuts')).sort()).toEqual(['m1', 'm2', 'm3']);
    expect(await every('allergic peanuts cats')).toEqual([]);
  });

  it('memories › a memory the user rejected is not returned', async () => {
    await storage.memories.upsert(memory('u-alice', 'm1', 'Likes jazz', { userReview: false }));
    await storage.memories.upsert(memory('u-alice', 'm2', 'Likes jazz piano'));
    expect(await find('u-alice', 'memory', 'jazz')).toEqual(['m2']);
  });

  it('memories › ranks more matching words first, and the words as typed above shared stems', async () => {
    await storage.memories.upsert(memory('u-alice', 'm1', 'I meet my sister for lunch'));
    await storage.memories.upsert(memory('u-alice', 'm2', 'Weekly meetings with the design team'));
    await storage.memories.upsert(memory('u-alice', 'm3', 'The design review meetings are on Mondays'));
    expect(await find('u-alice', 'memory', 'meeting')).toEqual(['m2', 'm3', 'm1']);
    expect((await find('u-alice', 'memory', 'design review meetings'))[0]).toBe('m3');
  });

  it('conversations › a rare word outweighs a common one said many times (IDF, on every database)', async () => {
    const said = (id: string, text: string) =>
      storage.conversations.insert(
        conversation('u-alice', id, {
          title: 'Catching up',
          overview: 'A chat',
          segments: [{ id: 's1', text, speaker: 'SPEAKER_00', speakerId: 0, isUser: true, personId: null, start: 0, end: 2 }],
        }),
      );
    await said('c1', 'Jordan said hi. Jordan called again, Jordan is always calling about Jordan things.');
    for (const id of ['c2', 'c3', 'c4', 'c5']) await said(id, `Jordan mentioned the weather on day ${id}`);
    await said('c6', 'We brought home a corgi puppy');
    expect((await find('u-alice', 'conversation', 'What breed is the corgi Jordan got?'))[0]).toBe('c6');
  });

  it('a write rolled back leaves nothing in the index', async () => {
    await expect(
      storage.transaction(async (tx) => {
        await tx.memories.upsert(memory('u-alice', 'm1', 'Rolled back astronomy fact'));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await find('u-alice', 'memory', 'astronomy')).toEqual([]);
  });

  it('conversations › title, overview and transcript are searchable; only completed, kept ones answer', async () => {
    await storage.conversations.insert(conversation('u-alice', 'c1'));
    await storage.conversations.insert(conversation('u-alice', 'c2', { title: 'Plumbing', discarded: true }));
    await storage.conversations.insert(conversation('u-alice', 'c3', { title: 'Plumbing', status: 'processing' }));
    await storage.conversations.insert(conversation('u-alice', 'c4', { segments: [], text: 'We talked about the plumber invoice' }));
    expect((await find('u-alice', 'conversation', 'plumber')).sort()).toEqual(['c1', 'c4']);
    expect(await find('u-alice', 'conversation', 'roadmap')).toEqual(['c1', 'c4']);
    await storage.conversations.update('u-alice', 'c1', { title: 'Kitchen renovation', updatedAt: T1 });
    expect(await find('u-alice', 'conversation', 'kitchen')).toEqual(['c1']);
    await storage.conversations.update('u-alice', 'c2', { discarded: false, updatedAt: T1 });
    expect((await find('u-alice', 'conversation', 'plumbing'))[0]).toBe('c2');
    await storage.conversations.delete('u-alice', 'c1');
    expect(await find('u-alice', 'conversation', 'kitchen')).toEqual([]);
  });

  it('action items › description indexed and re-indexed', async () => {
    await storage.actionItems.insert(storedActionItem('u-alice', { id: 'a1', description: 'Renew the passport' }));
    expect(await find('u-alice', 'action_item', 'passports')).toEqual(['a1']);
    await storage.actionItems.update('u-alice', 'a1', { description: 'Book the dentist', updatedAt: T1 });
    expect(await find('u-alice', 'action_item', 'passport')).toEqual([]);
    expect(await find('u-alice', 'action_item', 'dentist')).toEqual(['a1']);
  });

  it('rebuild restores a wiped index and counts every document', async () => {
    // An in-memory SQLite database cannot be reached from a second connection: use a file.
    const dir = kind === 'sqlite' ? mkdtempSync(join(tmpdir(), 'omi-search-')) : undefined;
    const target = dir ? { url: `sqlite:${join(dir, 'search.db')}`, drop: async () => {} } : database;
    const own = dir ? await openStorage(target.url) : storage;
    try {
      if (dir) await own.users.insert({ id: 'u-alice', email: 'a@example.com', name: 'a', passwordHash: 'x', createdAt: T0 });
      await own.memories.upsert(memory('u-alice', 'm1', 'Weekly meetings'));
      await own.conversations.insert(conversation('u-alice', 'c1'));
      const ids = async (what: SearchKind, text: string) =>
        (await own.search.keyword('u-alice', what, parseKeywordQuery(text), 10)).map((h) => h.id);
      await wipe(target);
      expect(await ids('memory', 'meetings')).toEqual([]);
      expect(await own.search.rebuildKeywordIndex()).toBe(2);
      expect(await ids('memory', 'meetings')).toEqual(['m1']);
      expect(await ids('conversation', 'plumber')).toEqual(['c1']);
    } finally {
      if (dir) {
        await own.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('vectors › pending until saved, pending again when the row changes, forgotten with the row', async () => {
    await storage.memories.upsert(memory('u-alice', 'm1', 'Likes jazz'));
    await storage.memories.upsert(memory('u-bob', 'm9', 'Likes rock'));
    const pending = await storage.search.pendingEmbeddings('u-alice', 'model-a', 10);
    expect(pending).toEqual([{ kind: 'memory', id: 'm1', text: 'Likes jazz', version: T0, storedDigest: null }]);
    const before = await storage.search.vectorGeneration('u-alice');
    await storage.search.saveVector('u-alice', { kind: 'memory', id: 'm1', version: T0, digest: 'd1' }, 'model-a', Float32Array.from([0.6, 0.8]));
    expect(await storage.search.vectorGeneration('u-alice')).toBeGreaterThan(before);
    expect(await storage.search.pendingEmbeddings('u-alice', 'model-a', 10)).toEqual([]);
    expect(await storage.search.usersWithPendingEmbeddings('model-a')).toEqual(['u-bob']);
    const [stored] = await storage.search.vectors('u-alice', 'memory', 'model-a');
    expect(stored?.id).toBe('m1');
    expect([...stored!.vector].map((x) => Math.round(x * 10) / 10)).toEqual([0.6, 0.8]);
    // Another model: everything is pending for it, with no digest to reuse.
    expect((await storage.search.pendingEmbeddings('u-alice', 'model-b', 10))[0]?.storedDigest).toBeNull();

    // Touched without a change to its text: pending, with the digest that lets the job keep the vector.
    await storage.memories.update('u-alice', 'm1', { category: 'interesting', updatedAt: T1 });
    expect((await storage.search.pendingEmbeddings('u-alice', 'model-a', 10))[0]).toMatchObject({ version: T1, storedDigest: 'd1' });
    await storage.search.markCurrent('u-alice', { kind: 'memory', id: 'm1', version: T1 });
    expect(await storage.search.pendingEmbeddings('u-alice', 'model-a', 10)).toEqual([]);
    // Its text changed: the old vector is dropped in the same transaction, so it cannot answer.
    let generation = await storage.search.vectorGeneration('u-alice');
    await storage.memories.update('u-alice', 'm1', { content: 'Likes jazz a lot', updatedAt: '2026-01-17T10:00:00.000Z' });
    expect(await storage.search.vectors('u-alice', 'memory', 'model-a')).toEqual([]);
    expect(await storage.search.vectorGeneration('u-alice')).toBeGreaterThan(generation);
    expect((await storage.search.pendingEmbeddings('u-alice', 'model-a', 10))[0]).toMatchObject({ storedDigest: null });
    await storage.search.saveVector('u-alice', { kind: 'memory', id: 'm1', version: '2026-01-17T10:00:00.000Z', digest: 'd2' }, 'model-a', Float32Array.from([1, 0]));

    generation = await storage.search.vectorGeneration('u-alice');
    await storage.memories.delete('u-alice', 'm1');
    expect(await storage.search.vectors('u-alice', 'memory', 'model-a')).toEqual([]);
    expect(await storage.search.vectorGeneration('u-alice')).toBeGreaterThan(generation);
  });
});

/** Empties the keyword index behind the repositories' back, as a damaged index would look. */
async function wipe(database: TestDatabase): Promise<void> {
  if (database.url.startsWith('sqlite:')) {
    const connection = new SQLite(database.url.slice('sqlite:'.length));
    for (const kind of ['memory', 'conversation', 'action_item']) connection.exec(`insert into search_fts_${kind} (search_fts_${kind}) values ('delete-all')`);
    connection.exec('delete from search_documents');
    connection.close();
    return;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query('delete from search_documents');
  await client.end();
}
