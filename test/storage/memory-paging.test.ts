import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Memory } from '../../src/modules/memories/memories.types.ts';
import { openDatabase, openStorage } from '../../src/storage/index.ts';
import type { OpenDatabase } from '../../src/storage/kysely-storage.ts';
import { ANCHOR_MIN } from '../../src/storage/repositories/memories.repo.ts';
import type { Storage } from '../../src/storage/storage.ts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../helpers/databases.ts';
import { storedMemory } from '../helpers/records.ts';

/**
 * Deep pages of the plain memories list start from remembered positions (anchors) instead of
 * counting rows from the top. Whatever was written in between, by this storage or another one on
 * the same database, a page must hold exactly the rows the plain OFFSET query gives.
 */

const T0 = '2026-01-15T10:00:00.000Z';
// Few distinct sort keys, so that most rows tie on scoring and created_at and the id decides.
const SCORINGS = ['01_999_0003', '01_999_0002', '00_999_0002', '00_500_0001'];
const CREATED = ['2026-01-03T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z'];

/** What the list shows of a memory, as the test remembers it. */
interface Row {
  id: string;
  scoring: string;
  createdAt: string;
  visible: boolean;
}

/** The list as the reference computes it: visible rows, scoring desc, created_at desc, id asc (byte order). */
function expectedPage(rows: Iterable<Row>, offset: number, limit: number): string[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows]
    .filter((r) => r.visible)
    .sort((a, b) => cmp(b.scoring, a.scoring) || cmp(b.createdAt, a.createdAt) || cmp(a.id, b.id))
    .slice(offset, offset + limit)
    .map((r) => r.id);
}

/** A user's memories, written through the repository and mirrored in a model. */
class Mirror {
  readonly rows = new Map<string, Row>();
  private next = 0;

  constructor(
    readonly userId: string,
    private readonly prefix: string,
  ) {}

  newMemory(scoring: number, created: number, visible = true): Memory {
    // Ids in no particular order relative to their insertion.
    const n = this.next++;
    const id = `${this.prefix}-${((n * 7919) % 10007).toString(36).padStart(3, '0')}-${n}`;
    return storedMemory(this.userId, {
      id,
      scoring: SCORINGS[scoring % SCORINGS.length]!,
      createdAt: CREATED[created % CREATED.length]!,
      updatedAt: T0,
      userReview: visible ? true : false,
    });
  }

  async insert(storage: Pick<Storage, 'memories'>, memory: Memory): Promise<void> {
    await storage.memories.upsert(memory);
    const known = this.rows.get(memory.id);
    // An upsert of a known id keeps its created_at.
    this.rows.set(memory.id, {
      id: memory.id,
      scoring: memory.scoring,
      createdAt: known?.createdAt ?? memory.createdAt,
      visible: memory.userReview !== false,
    });
  }

  async fill(storage: Storage, count: number): Promise<void> {
    const memories = Array.from({ length: count }, (_, i) => this.newMemory(i * 3 + (i >> 4), i >> 2, i % 23 !== 0));
    await storage.transaction(async (repos) => {
      for (const memory of memories) await this.insert(repos, memory);
    });
  }

  /** Starts with `count` of another user's rows, copied in one statement. */
  async copy(raw: OpenDatabase, from: Mirror, count: number): Promise<void> {
    const ids = [...from.rows.keys()].sort().slice(0, count);
    const columns = ['id', 'content', 'category', 'visibility', 'tags', 'created_at', 'updated_at', 'manually_added', 'reviewed', 'user_review', 'edited', 'scoring', 'conversation_id', 'invalid_at'] as const;
    await raw.db
      .insertInto('memories')
      .columns(['user_id', ...columns])
      .expression(raw.db.selectFrom('memories').select([sql.lit(this.userId).as('user_id'), ...columns]).where('user_id', '=', from.userId).where('id', 'in', ids))
      .execute();
    for (const id of ids) this.rows.set(id, { ...from.rows.get(id)! });
  }

  /** Any row (`around` undefined), or a visible one within a few places of the list position `around`. */
  pick(index: number, around?: number): Row | undefined {
    const ids = around === undefined ? [...this.rows.keys()].sort() : this.expected(Math.max(0, around - 10), 40);
    return ids.length === 0 ? undefined : this.rows.get(ids[index % ids.length]!);
  }

  expected(offset: number, limit: number): string[] {
    return expectedPage(this.rows.values(), offset, limit);
  }
}

const listIds = async (storage: Storage, userId: string, offset: number, limit: number) =>
  (await storage.memories.list(userId, { limit, offset })).map((m) => m.id);

type Op =
  | { op: 'insert'; count: number; scoring: number; created: number; visible: boolean }
  | { op: 'update'; pick: number; near: boolean; scoring: number | undefined; content: boolean }
  | { op: 'review'; pick: number; near: boolean; keep: boolean }
  | { op: 'delete'; pick: number; near: boolean }
  | { op: 'list'; at: 'random' | 'next' | 'same' | 'near'; offset: number; delta: number; limit: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert' as const), count: fc.integer({ min: 1, max: 4 }), scoring: fc.nat(7), created: fc.nat(5), visible: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('update' as const), pick: fc.nat(), near: fc.boolean(), scoring: fc.option(fc.nat(7), { nil: undefined }), content: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('review' as const), pick: fc.nat(), near: fc.boolean(), keep: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat(), near: fc.boolean() }) },
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('list' as const),
      at: fc.constantFrom('random' as const, 'next' as const, 'next' as const, 'same' as const, 'near' as const),
      offset: fc.nat(),
      delta: fc.integer({ min: -30, max: 30 }),
      limit: fc.integer({ min: 1, max: 30 }),
    }),
  },
);

describe.each(DATABASE_KINDS)('memories list: deep pages from anchors (%s)', (kind) => {
  let dir: string;
  let database: TestDatabase;
  let url: string;
  let storage: Storage;
  const others: { close(): Promise<void> }[] = [];
  let users = 0;

  /** A new user of the database (their own list, their own anchors). */
  const newUser = async (target: Storage = storage): Promise<string> => {
    const id = `u-${++users}`;
    await target.users.insert({ id, email: `${id}@example.com`, name: id, passwordHash: 'x', createdAt: T0 });
    return id;
  };

  const openOther = async <T extends { close(): Promise<void> }>(open: Promise<T>): Promise<T> => {
    const opened = await open;
    others.push(opened);
    return opened;
  };

  beforeEach(async () => {
    // A file, not memory, for SQLite: other storages must be able to open the same database.
    dir = mkdtempSync(join(tmpdir(), 'omi-paging-'));
    database = await freshDatabase(kind);
    url = kind === 'sqlite' ? `sqlite:${join(dir, 'omi.db')}` : database.url;
    storage = await openStorage(url);
  });
  afterEach(async () => {
    for (const other of others.splice(0)) await other.close();
    await storage.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('any sequence of writes and deep pages: every page is what the plain OFFSET list holds', async () => {
    // Each run starts from its own user holding a part of one filled list (same ids, another user).
    const template = new Mirror(await newUser(), 't');
    await template.fill(storage, ANCHOR_MIN + 120);
    const raw = await openOther(openDatabase(url));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: ANCHOR_MIN + 10, max: ANCHOR_MIN + 120 }), fc.array(opArb, { minLength: 5, maxLength: 40 }), async (size, ops) => {
        const mirror = new Mirror(await newUser(), `m${users}`);
        await mirror.copy(raw, template, size);
        let last = { offset: ANCHOR_MIN, limit: 25 };
        const check = async (offset: number, limit: number, what: string) =>
          expect(await listIds(storage, mirror.userId, offset, limit), `${what}: offset ${offset}, limit ${limit}`).toEqual(mirror.expected(offset, limit));
        for (const step of ops) {
          // Offsets within the list, mostly, where remembered positions are.
          const deepest = [...mirror.rows.values()].filter((r) => r.visible).length - ANCHOR_MIN + 5;
          switch (step.op) {
            case 'insert':
              for (let i = 0; i < step.count; i++) await mirror.insert(storage, mirror.newMemory(step.scoring + i, step.created, step.visible));
              break;
            case 'update': {
              const row = mirror.pick(step.pick, step.near ? last.offset : undefined);
              if (!row) break;
              const scoring = step.scoring === undefined ? undefined : SCORINGS[step.scoring % SCORINGS.length]!;
              const updated = await storage.memories.update(mirror.userId, row.id, {
                ...(scoring !== undefined && { scoring }),
                ...(step.content && { content: `changed ${step.pick}`, category: 'work' }),
                updatedAt: T0,
              });
              expect(updated?.id).toBe(row.id);
              if (scoring !== undefined) row.scoring = scoring;
              break;
            }
            case 'review': {
              const row = mirror.pick(step.pick, step.near ? last.offset : undefined);
              const stored = row && (await storage.memories.get(mirror.userId, row.id));
              if (!stored) break;
              await mirror.insert(storage, { ...stored, userReview: step.keep });
              break;
            }
            case 'delete': {
              const row = mirror.pick(step.pick, step.near ? last.offset : undefined);
              if (!row) break;
              expect(await storage.memories.delete(mirror.userId, row.id)).toBe(true);
              mirror.rows.delete(row.id);
              break;
            }
            case 'list': {
              const offset = Math.max(
                0,
                step.at === 'random'
                  ? ANCHOR_MIN - 10 + (step.offset % Math.max(1, deepest + 10))
                  : step.at === 'next'
                    ? last.offset + last.limit
                    : step.at === 'same'
                      ? last.offset
                      : last.offset + step.delta,
              );
              const limit = step.at === 'next' || step.at === 'same' ? last.limit : step.limit;
              await check(offset, limit, 'list');
              last = { offset, limit };
              break;
            }
          }
          // After a write, the page read last (whose positions are remembered) and the one after it.
          if (step.op !== 'list') {
            await check(last.offset, last.limit, `after ${step.op}`);
            await check(last.offset + last.limit, last.limit, `after ${step.op}, next page`);
          }
        }
        // Whatever was remembered along the way, a final walk over the deep pages agrees.
        for (let offset = ANCHOR_MIN - 5; offset < mirror.rows.size + 5; offset += 17) {
          expect(await listIds(storage, mirror.userId, offset, 17), `final offset ${offset}`).toEqual(mirror.expected(offset, 17));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('a write by another storage on the same database makes the remembered positions unused', async () => {
    const userId = await newUser();
    const mirror = new Mirror(userId, 'x');
    await mirror.fill(storage, ANCHOR_MIN + 100);
    const other = await openOther(openStorage(url));
    const deep = ANCHOR_MIN + 40;

    // Remember positions, then let the other storage change what comes before them, each way the list can change.
    const changes: ((s: Storage) => Promise<void>)[] = [
      async (s) => mirror.insert(s, mirror.newMemory(0, 0)),
      async (s) => {
        const first = mirror.expected(0, 1)[0]!;
        await s.memories.delete(userId, first);
        mirror.rows.delete(first);
      },
      async (s) => {
        const second = mirror.rows.get(mirror.expected(1, 1)[0]!)!;
        await mirror.insert(s, { ...(await s.memories.get(userId, second.id))!, userReview: false });
      },
      async (s) => {
        const third = mirror.rows.get(mirror.expected(2, 1)[0]!)!;
        await s.memories.update(userId, third.id, { scoring: SCORINGS.at(-1)!, updatedAt: T0 });
        third.scoring = SCORINGS.at(-1)!;
      },
    ];
    for (const change of changes) {
      for (let offset = deep; offset < deep + 100; offset += 25) expect(await listIds(storage, userId, offset, 25)).toEqual(mirror.expected(offset, 25));
      await change(other);
      for (let offset = deep; offset < deep + 100; offset += 25) expect(await listIds(storage, userId, offset, 25)).toEqual(mirror.expected(offset, 25));
    }

    // A change made below the repositories (a memory superseded) counts too.
    expect(await listIds(storage, userId, deep, 25)).toEqual(mirror.expected(deep, 25));
    const raw: OpenDatabase = await openOther(openDatabase(url));
    const superseded = mirror.rows.get(mirror.expected(0, 1)[0]!)!;
    await raw.db.updateTable('memories').set({ invalid_at: T0 }).where('user_id', '=', userId).where('id', '=', superseded.id).execute();
    superseded.visible = false;
    expect(await listIds(storage, userId, deep, 25)).toEqual(mirror.expected(deep, 25));
  });

  it("users are apart: one user's writes and pages change nothing in another's", async () => {
    const alice = new Mirror(await newUser(), 'a');
    const bob = new Mirror(await newUser(), 'b');
    await alice.fill(storage, ANCHOR_MIN + 60);
    await bob.fill(storage, ANCHOR_MIN + 90);
    const raw = await openOther(openDatabase(url));
    const generation = async (userId: string) =>
      (await raw.db.selectFrom('memory_list_generations').select('generation').where('user_id', '=', userId).executeTakeFirst())?.generation;

    const deep = ANCHOR_MIN + 10;
    for (const mirror of [alice, bob, alice, bob]) {
      for (let offset = deep; offset < deep + 75; offset += 25) expect(await listIds(storage, mirror.userId, offset, 25)).toEqual(mirror.expected(offset, 25));
    }
    const aliceGeneration = await generation(alice.userId);
    const bobGeneration = await generation(bob.userId);
    await bob.insert(storage, bob.newMemory(0, 0));
    await storage.memories.delete(bob.userId, bob.expected(0, 1)[0]!);
    bob.rows.delete(bob.expected(0, 1)[0]!);
    expect(await generation(alice.userId)).toBe(aliceGeneration);
    expect(await generation(bob.userId)).toBe(Number(bobGeneration) + 2);
    for (const mirror of [alice, bob]) {
      for (let offset = deep; offset < deep + 75; offset += 25) expect(await listIds(storage, mirror.userId, offset, 25)).toEqual(mirror.expected(offset, 25));
    }
    // Not one of Bob's rows in Alice's pages, however deep.
    expect(await listIds(storage, alice.userId, ANCHOR_MIN + 55, 25)).toEqual(alice.expected(ANCHOR_MIN + 55, 25));
    expect((await listIds(storage, alice.userId, ANCHOR_MIN + 80, 25))).toEqual([]);
  });

  it('a change that leaves the order as it was (content, category) keeps the generation; deleting the user removes it', async () => {
    const mirror = new Mirror(await newUser(), 'c');
    await mirror.fill(storage, 30);
    const raw = await openOther(openDatabase(url));
    const generation = async () =>
      (await raw.db.selectFrom('memory_list_generations').select('generation').where('user_id', '=', mirror.userId).executeTakeFirst())?.generation;
    const before = await generation();
    expect(Number(before)).toBeGreaterThan(0);
    const row = mirror.pick(3)!;
    await storage.memories.update(mirror.userId, row.id, { content: 'new words', category: 'work', tags: ['x'], updatedAt: T0 });
    expect(await generation()).toBe(before);
    await storage.memories.update(mirror.userId, row.id, { scoring: SCORINGS[0]!, updatedAt: T0 });
    expect(Number(await generation())).toBeGreaterThan(Number(before));

    // The user's memories go with them (cascade), and their counter with them.
    await raw.db.deleteFrom('users').where('id', '=', mirror.userId).execute();
    expect(await generation()).toBeUndefined();
    expect(await raw.db.selectFrom('memories').select('id').where('user_id', '=', mirror.userId).execute()).toEqual([]);
  });
});
