import { sql, type Kysely, type Selectable } from 'kysely';
import type { Memory } from '../../modules/memories/memories.types.ts';
import type { Database, MemoriesTable } from '../schema.ts';
import type { MemoriesRepository } from '../storage.ts';
import { fixedQuery } from './fixed-query.ts';
import { deleteOwned, fromFlag, fromJsonList, fromNullableFlag, toFlag } from './rows.ts';

const toMemory = (row: Selectable<MemoriesTable>): Memory => ({
  id: row.id,
  userId: row.user_id,
  content: row.content,
  category: row.category,
  visibility: row.visibility,
  tags: fromJsonList(row.tags),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  manuallyAdded: fromFlag(row.manually_added),
  reviewed: fromFlag(row.reviewed),
  userReview: fromNullableFlag(row.user_review),
  edited: fromFlag(row.edited),
  scoring: row.scoring,
  conversationId: row.conversation_id,
});

/** From this offset on, the plain list starts from a remembered position instead of counting rows from the top. */
export const ANCHOR_MIN = 500;
const MAX_ANCHORS_PER_USER = 256;
const MAX_ANCHOR_USERS = 1000;

/** A row's place in the plain list: `position` rows come before the row with this key. */
interface Anchor {
  position: number;
  scoring: string;
  createdAt: string;
  id: string;
  /** When it was last recorded or used (a counter), to forget the least useful first. */
  used: number;
}

/** What is remembered of one user's list, valid while the database's counter for it is `generation`. */
interface UserAnchors {
  generation: number;
  /** By position. */
  anchors: Anchor[];
}

type ListedRow = Selectable<MemoriesTable> & { list_generation: number };

/**
 * Where deep pages of the plain list begin, per user, so that `offset=90000` reads from a known
 * row onwards instead of counting 90,000 rows off the index (linear in the offset: a whole export,
 * page after page, was quadratic). Positions hold only for the list as it was: each is kept with
 * the user's list generation, a counter the database's triggers bump on every change to the list
 * (migration 0007), so a write by any process or instance makes them unused. The counter is read
 * in the same statement as the rows, so rows and counter always describe the same list.
 */
class ListAnchors {
  private readonly users = new Map<string, UserAnchors>();
  private clock = 0;

  /** The remembered anchor nearest before `offset` (at it, best), if any. */
  nearest(userId: string, offset: number): { generation: number; anchor: Anchor } | undefined {
    const entry = this.users.get(userId);
    if (!entry) return undefined;
    this.users.delete(userId);
    this.users.set(userId, entry);
    let best: Anchor | undefined;
    for (const anchor of entry.anchors) {
      if (anchor.position > offset) break;
      best = anchor;
    }
    if (!best) return undefined;
    best.used = ++this.clock;
    return { generation: entry.generation, anchor: best };
  }

  /** Remembers where `rows` (the page at `offset`, read at `generation`) begins and, for a full page, where it ends. */
  record(userId: string, generation: number, offset: number, limit: number, rows: readonly ListedRow[]): void {
    if (rows.length === 0) return;
    let entry = this.users.get(userId);
    // A page read before a newer one was remembered describes an older list: nothing to keep.
    if (entry && generation < entry.generation) return;
    if (!entry || generation !== entry.generation) entry = { generation, anchors: [] };
    this.users.delete(userId);
    this.users.set(userId, entry);
    if (this.users.size > MAX_ANCHOR_USERS) this.users.delete(this.users.keys().next().value!);
    this.add(entry, offset, rows[0]!);
    if (rows.length === limit && rows.length > 1) this.add(entry, offset + rows.length - 1, rows[rows.length - 1]!);
  }

  private add(entry: UserAnchors, position: number, row: ListedRow): void {
    const anchor: Anchor = { position, scoring: row.scoring, createdAt: row.created_at, id: row.id, used: ++this.clock };
    const { anchors } = entry;
    let at = anchors.length;
    while (at > 0 && anchors[at - 1]!.position > position) at--;
    if (at > 0 && anchors[at - 1]!.position === position) anchors[at - 1] = anchor;
    else anchors.splice(at, 0, anchor);
    if (anchors.length > MAX_ANCHORS_PER_USER) {
      let oldest = 0;
      for (let i = 1; i < anchors.length; i++) if (anchors[i]!.used < anchors[oldest]!.used) oldest = i;
      anchors.splice(oldest, 1);
    }
  }
}

export function memoriesRepository(db: Kysely<Database>): MemoriesRepository {
  // One per repository: the storage's own lives as long as it does; a transaction's (which may
  // see its own uncommitted writes) is dropped with it and never shared.
  const anchors = new ListAnchors();
  /**
   * What every list shows: not rejected by the user, not superseded. Written as literal SQL, word
   * for word the predicate of the partial index memories_user_visible (migration 0005): a bound
   * parameter in place of the 1 would keep the planner from using that index.
   */
  const visible = (userId: string) =>
    db
      .selectFrom('memories')
      .selectAll()
      .where('user_id', '=', userId)
      .where(sql<boolean>`invalid_at is null and (user_review is null or user_review = 1)`);

  // The plain list (no category filter): the most requested page of all.
  const page = fixedQuery(db, (userId: string, limit: number, offset: number) =>
    visible(userId).orderBy('scoring', 'desc').orderBy('created_at', 'desc').orderBy('id', 'asc').limit(limit).offset(offset),
  );

  /** The user's list generation (0 before any write), read by the same statement as the rows. */
  const listGeneration = (userId: string) =>
    sql<number>`coalesce((select generation from memory_list_generations where user_id = ${userId}), 0)`.as('list_generation');

  // A deep page counted off from the top, with the generation it was read at.
  const countedPage = fixedQuery(db, (generationOf: string, userId: string, limit: number, offset: number) =>
    visible(userId)
      .select(listGeneration(generationOf))
      .orderBy('scoring', 'desc')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'asc')
      .limit(limit)
      .offset(offset),
  );

  // A deep page counted off from an anchor: the rows at or after its key in list order (scoring
  // desc, created_at desc, id asc). `(scoring, created_at) <= (?, ?)` is one range of the index
  // memories_user_visible on both databases; the rows of the anchor's own (scoring, created_at)
  // that come before it (a smaller id) are passed over by the filter, so only ties are walked.
  const anchoredPage = fixedQuery(
    db,
    (generationOf: string, userId: string, scoring: string, createdAt: string, tieScoring: string, tieCreatedAt: string, tieId: string, limit: number, skip: number) =>
      visible(userId)
        .select(listGeneration(generationOf))
        .where(
          sql<boolean>`(scoring, created_at) <= (${scoring}, ${createdAt}) and not (scoring = ${tieScoring} and created_at = ${tieCreatedAt} and id < ${tieId})`,
        )
        .orderBy('scoring', 'desc')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'asc')
        .limit(limit)
        .offset(skip),
  );

  /** A deep page of the plain list: from the nearest remembered anchor when it still holds, else counted from the top. */
  const deepPage = async (userId: string, limit: number, offset: number): Promise<ListedRow[]> => {
    const near = anchors.nearest(userId, offset);
    if (near) {
      const { generation, anchor: a } = near;
      const rows = await anchoredPage(userId, userId, a.scoring, a.createdAt, a.scoring, a.createdAt, a.id, limit, offset - a.position);
      // No row means the anchor's row is gone (or the page is past the end): count instead.
      if (rows.length > 0 && Number(rows[0]!.list_generation) === generation) {
        anchors.record(userId, generation, offset, limit, rows);
        return rows;
      }
    }
    const rows = await countedPage(userId, userId, limit, offset);
    if (rows.length > 0) anchors.record(userId, Number(rows[0]!.list_generation), offset, limit, rows);
    return rows;
  };

  const get = async (userId: string, id: string) => {
    const row = await db
      .selectFrom('memories')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toMemory(row);
  };

  return {
    async upsert(memory) {
      const row = {
        user_id: memory.userId,
        id: memory.id,
        content: memory.content,
        category: memory.category,
        visibility: memory.visibility,
        tags: JSON.stringify(memory.tags),
        created_at: memory.createdAt,
        updated_at: memory.updatedAt,
        manually_added: toFlag(memory.manuallyAdded),
        reviewed: toFlag(memory.reviewed),
        user_review: memory.userReview === null ? null : toFlag(memory.userReview),
        edited: toFlag(memory.edited),
        scoring: memory.scoring,
        conversation_id: memory.conversationId,
        invalid_at: null,
      };
      const { user_id: _u, id: _i, created_at: _c, ...changes } = row;
      const saved = await db
        .insertInto('memories')
        .values(row)
        .onConflict((oc) => oc.columns(['user_id', 'id']).doUpdateSet(changes))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toMemory(saved);
    },
    async list(userId, { categories, ids, limit, offset }) {
      if (ids?.length === 0) return [];
      if (!ids && !(categories && categories.length > 0)) {
        const rows = offset >= ANCHOR_MIN && limit > 0 ? await deepPage(userId, limit, offset) : await page(userId, limit, offset);
        return rows.map(toMemory);
      }
      let query = visible(userId);
      if (categories && categories.length > 0) query = query.where('category', 'in', [...categories]);
      // The candidates of a search: looked up by key, in no order (the caller ranks them).
      if (ids) return (await query.where('id', 'in', [...ids]).execute()).map(toMemory);
      const rows = await query
        .orderBy('scoring', 'desc')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'asc')
        .limit(limit)
        .offset(offset)
        .execute();
      return rows.map(toMemory);
    },
    get,
    async update(userId, id, patch) {
      const result = await db
        .updateTable('memories')
        .set({
          ...(patch.content !== undefined && { content: patch.content }),
          ...(patch.category !== undefined && { category: patch.category }),
          ...(patch.visibility !== undefined && { visibility: patch.visibility }),
          ...(patch.tags !== undefined && { tags: JSON.stringify(patch.tags) }),
          ...(patch.edited !== undefined && { edited: toFlag(patch.edited) }),
          ...(patch.scoring !== undefined && { scoring: patch.scoring }),
          updated_at: patch.updatedAt,
        })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? get(userId, id) : undefined;
    },
    delete: (userId, id) => deleteOwned(db, 'memories', userId, id),
  };
}
