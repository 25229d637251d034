import type { Kysely, Selectable } from 'kysely';
import type { Memory } from '../../modules/memories/memories.types.ts';
import type { Database, MemoriesTable } from '../schema.ts';
import type { MemoriesRepository } from '../storage.ts';
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

export function memoriesRepository(db: Kysely<Database>): MemoriesRepository {
  /** What every list shows: not rejected by the user, not superseded. */
  const visible = (userId: string) =>
    db
      .selectFrom('memories')
      .selectAll()
      .where('user_id', '=', userId)
      .where('invalid_at', 'is', null)
      .where((eb) => eb.or([eb('user_review', 'is', null), eb('user_review', '=', 1)]));

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
      await db
        .insertInto('memories')
        .values(row)
        .onConflict((oc) => oc.columns(['user_id', 'id']).doUpdateSet(changes))
        .execute();
      return (await get(memory.userId, memory.id))!;
    },
    async list(userId, { categories, ids, limit, offset }) {
      if (ids?.length === 0) return [];
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
    async listAllVisible(userId) {
      const rows = await visible(userId).orderBy('scoring', 'desc').orderBy('created_at', 'desc').execute();
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
