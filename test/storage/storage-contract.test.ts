import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, openStorage } from '../../src/storage/index.ts';
import type { Storage } from '../../src/storage/storage.ts';
import type { Memory } from '../../src/modules/memories/memories.types.ts';
import type { ActionItem } from '../../src/modules/action-items/action-items.types.ts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../helpers/databases.ts';
import { storedActionItem, storedMemory } from '../helpers/records.ts';

/**
 * One contract, every adapter: the same behaviour is required of each database the server can
 * run on. SQLite always; PostgreSQL when OMI_TEST_DATABASE_URL names one (CI sets it).
 */

const T0 = '2026-01-15T10:00:00.000Z';

const memory = (userId: string, id: string, overrides: Partial<Memory> = {}): Memory =>
  storedMemory(userId, { id, createdAt: T0, updatedAt: T0, ...overrides });

const item = (userId: string, id: string, overrides: Partial<ActionItem> = {}): ActionItem =>
  storedActionItem(userId, { id, createdAt: T0, updatedAt: T0, ...overrides });

describe.each(DATABASE_KINDS)('storage contract (%s)', (kind) => {
  let storage: Storage;
  let database: TestDatabase;
  const users = ['u-alice', 'u-bob'];

  beforeEach(async () => {
    database = await freshDatabase(kind);
    storage = await openStorage(database.url);
    for (const id of users) {
      await storage.users.insert({ id, email: `${id}@example.com`, name: id, passwordHash: 'x', createdAt: T0 });
    }
  });
  afterEach(async () => {
    await storage.close();
    await database.drop();
  });

  it('users › finds by email and id; emails are unique', async () => {
    expect((await storage.users.findByEmail('u-alice@example.com'))?.id).toBe('u-alice');
    expect((await storage.users.findById('u-bob'))?.email).toBe('u-bob@example.com');
    await expect(
      storage.users.insert({ id: 'u-3', email: 'u-alice@example.com', name: 'x', passwordHash: 'x', createdAt: T0 }),
    ).rejects.toThrow();
  });

  it('sessions › an expired or deleted session finds no user', async () => {
    await storage.sessions.insert({ id: 's1', userId: 'u-alice', tokenHash: 'h1', createdAt: T0, expiresAt: '2026-02-01T00:00:00.000Z' });
    expect((await storage.sessions.findUser('h1', T0))?.id).toBe('u-alice');
    expect(await storage.sessions.findUser('h1', '2026-02-01T00:00:00.000Z')).toBeUndefined();
    await storage.sessions.delete('h1');
    expect(await storage.sessions.findUser('h1', T0)).toBeUndefined();
  });

  it('api keys › rotation replaces the hash; touch is throttled by staleBefore', async () => {
    await storage.apiKeys.insert({
      id: 'k1', family: 'developer', userId: 'u-alice', name: 'k', hashedKey: 'old', keyPrefix: 'p', scopes: null,
      createdAt: T0, lastUsedAt: null, rotatedAt: null,
    });
    expect((await storage.apiKeys.findByHash('old'))?.scopes).toBeNull();
    expect(await storage.apiKeys.rotate('u-bob', 'k1', 'developer', { hashedKey: 'new', keyPrefix: 'q', rotatedAt: T0 })).toBeUndefined();
    await storage.apiKeys.rotate('u-alice', 'k1', 'developer', { hashedKey: 'new', keyPrefix: 'q', rotatedAt: T0 });
    expect(await storage.apiKeys.findByHash('old')).toBeUndefined();
    await storage.apiKeys.touch('k1', '2026-01-15T10:00:00.000Z', '2026-01-15T09:59:00.000Z');
    await storage.apiKeys.touch('k1', '2026-01-15T10:00:30.000Z', '2026-01-15T09:59:30.000Z');
    expect((await storage.apiKeys.findById('u-alice', 'k1', 'developer'))?.lastUsedAt).toBe('2026-01-15T10:00:00.000Z');
    expect(await storage.apiKeys.delete('u-bob', 'k1', 'developer')).toBe(false);
    expect(await storage.apiKeys.delete('u-alice', 'k1', 'developer')).toBe(true);
  });

  it('memories › upsert keeps one row per (owner, id); every read is owner-scoped', async () => {
    await storage.memories.upsert(memory('u-alice', 'm1'));
    await storage.memories.upsert(memory('u-alice', 'm1', { content: 'changed', createdAt: '2030-01-01T00:00:00.000Z' }));
    await storage.memories.upsert(memory('u-bob', 'm1', { content: 'bob' }));
    const alice = await storage.memories.list('u-alice', { limit: 10, offset: 0 });
    expect(alice.map((m) => m.content)).toEqual(['changed']);
    expect(alice[0]!.createdAt).toBe(T0);
    expect(await storage.memories.get('u-bob', 'm2')).toBeUndefined();
    expect(await storage.memories.update('u-bob', 'm-none', { content: 'x', updatedAt: T0 })).toBeUndefined();
    expect(await storage.memories.delete('u-bob', 'm1')).toBe(true);
    expect(await storage.memories.get('u-alice', 'm1')).toBeDefined();
  });

  it('memories › lists by scoring, hides rejected memories, filters categories', async () => {
    await storage.memories.upsert(memory('u-alice', 'a', { scoring: '01_998_1', category: 'interesting' }));
    await storage.memories.upsert(memory('u-alice', 'b', { scoring: '01_999_1' }));
    await storage.memories.upsert(memory('u-alice', 'c', { scoring: '01_999_2', userReview: false }));
    expect((await storage.memories.list('u-alice', { limit: 10, offset: 0 })).map((m) => m.id)).toEqual(['b', 'a']);
    expect((await storage.memories.list('u-alice', { limit: 10, offset: 0, categories: ['interesting'] })).map((m) => m.id)).toEqual(['a']);
    expect((await storage.memories.list('u-alice', { limit: 1, offset: 1 })).map((m) => m.id)).toEqual(['a']);
  });

  it('action items › active-first order and filters', async () => {
    await storage.actionItems.insert(item('u-alice', 'done', { completed: true, createdAt: '2026-01-15T11:00:00.000Z' }));
    await storage.actionItems.insert(item('u-alice', 'undated', { createdAt: '2026-01-15T12:00:00.000Z' }));
    await storage.actionItems.insert(item('u-alice', 'late', { dueAt: '2026-03-01T00:00:00.000Z' }));
    await storage.actionItems.insert(item('u-alice', 'soon', { dueAt: '2026-02-01T00:00:00.000Z' }));
    await storage.actionItems.insert(item('u-bob', 'other'));
    const all = await storage.actionItems.list('u-alice', { limit: 10, offset: 0 });
    expect(all.map((i) => i.id)).toEqual(['soon', 'late', 'undated', 'done']);
    expect((await storage.actionItems.list('u-alice', { limit: 10, offset: 0, completed: true })).map((i) => i.id)).toEqual(['done']);
    expect(
      (await storage.actionItems.list('u-alice', { limit: 10, offset: 0, startDate: '2026-01-15T11:30:00.000Z' })).map((i) => i.id),
    ).toEqual(['undated']);
  });

  it('transactions › a failure inside rolls back every write', async () => {
    await expect(
      storage.transaction(async (tx) => {
        await tx.actionItems.insert(item('u-alice', 'x1'));
        await tx.actionItems.insert(item('u-alice', 'x1')); // duplicate primary key
      }),
    ).rejects.toThrow();
    expect(await storage.actionItems.list('u-alice', { limit: 10, offset: 0 })).toEqual([]);
    await storage.transaction(async (tx) => {
      await tx.actionItems.insert(item('u-alice', 'x2'));
    });
    expect((await storage.actionItems.list('u-alice', { limit: 10, offset: 0 })).map((i) => i.id)).toEqual(['x2']);
  });

  it('goals › history is owner-scoped, windowed and deleted with its goal', async () => {
    await storage.goals.insert({
      id: 'g1', userId: 'u-alice', title: 't', desiredOutcome: 't', whyItMatters: null, successCriteria: [],
      horizonAt: null, status: 'background', focusRank: null, source: 'user',
      metric: { type: 'scale', current: 0, target: 10, min: null, max: null, unit: null }, createdAt: T0, updatedAt: T0,
    });
    await storage.goals.addHistory('u-alice', 'g1', { value: 1, recordedAt: '2026-01-01T00:00:00.000Z' });
    await storage.goals.addHistory('u-alice', 'g1', { value: 2, recordedAt: '2026-01-10T00:00:00.000Z' });
    expect((await storage.goals.history('u-alice', 'g1', '2026-01-05T00:00:00.000Z')).map((h) => h.value)).toEqual([2]);
    expect(await storage.goals.history('u-bob', 'g1', '2000-01-01T00:00:00.000Z')).toEqual([]);
    expect(await storage.goals.get('u-bob', 'g1')).toBeUndefined();
    expect((await storage.goals.get('u-alice', 'g1'))?.metric?.target).toBe(10);
    expect(await storage.goals.delete('u-alice', 'g1')).toBe(true);
    expect(await storage.goals.history('u-alice', 'g1', '2000-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('mcp sessions › owner kept; old ones cleared', async () => {
    await storage.mcpSessions.insert({ id: 's-old', userId: 'u-alice', createdAt: '2026-01-01T00:00:00.000Z' });
    await storage.mcpSessions.insert({ id: 's-new', userId: 'u-bob', createdAt: T0 });
    expect(await storage.mcpSessions.get('s-new')).toEqual({ id: 's-new', userId: 'u-bob', createdAt: T0 });
    expect(await storage.mcpSessions.deleteOlderThan('2026-01-10T00:00:00.000Z')).toBe(1);
    expect(await storage.mcpSessions.get('s-old')).toBeUndefined();
    expect(await storage.mcpSessions.delete('s-new')).toBe(true);
    expect(await storage.mcpSessions.delete('s-new')).toBe(false);
  });

  it('ping › answers while open', async () => {
    await expect(storage.ping()).resolves.toBeUndefined();
  });
});

describe.skipIf(!DATABASE_KINDS.includes('postgres'))('PostgreSQL connection pool', () => {
  it('never holds more connections than OMI_DATABASE_POOL_SIZE, however many queries wait', async () => {
    const database = await freshDatabase('postgres');
    const opened = await openDatabase(database.url, { poolSize: 2 });
    try {
      // Each query holds its connection for a moment; the backends that answered are the pool.
      const pids = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid from pg_sleep(0.05)`.execute(opened.db);
          return rows[0]!.pid;
        }),
      );
      expect(new Set(pids).size).toBeLessThanOrEqual(2);
    } finally {
      await opened.close();
      await database.drop();
    }
  });
});
