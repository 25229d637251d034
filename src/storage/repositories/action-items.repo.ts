import { sql, type Kysely, type Selectable } from 'kysely';
import type { ActionItem } from '../../modules/action-items/action-items.types.ts';
import type { ActionItemsTable, Database } from '../schema.ts';
import type { ActionItemsRepository } from '../storage.ts';
import { deleteOwned, fromFlag, toFlag } from './rows.ts';

const toActionItem = (row: Selectable<ActionItemsTable>): ActionItem => ({
  id: row.id,
  userId: row.user_id,
  description: row.description,
  completed: fromFlag(row.completed),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  dueAt: row.due_at,
  completedAt: row.completed_at,
  conversationId: row.conversation_id,
});

export function actionItemsRepository(db: Kysely<Database>): ActionItemsRepository {
  const get = async (userId: string, id: string) => {
    const row = await db
      .selectFrom('action_items')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toActionItem(row);
  };
  return {
    async insert(item) {
      await db
        .insertInto('action_items')
        .values({
          id: item.id,
          user_id: item.userId,
          description: item.description,
          completed: toFlag(item.completed),
          created_at: item.createdAt,
          updated_at: item.updatedAt,
          due_at: item.dueAt,
          completed_at: item.completedAt,
          conversation_id: item.conversationId,
        })
        .execute();
    },
    async findIdentical(userId, item) {
      const row = await db
        .selectFrom('action_items')
        .selectAll()
        .where('user_id', '=', userId)
        .where('description', '=', item.description)
        .where('completed', '=', toFlag(item.completed))
        .where('due_at', item.dueAt === null ? 'is' : '=', item.dueAt)
        .orderBy('created_at', 'asc')
        .executeTakeFirst();
      return row && toActionItem(row);
    },
    async listOpenSince(userId, since) {
      const rows = await db
        .selectFrom('action_items')
        .selectAll()
        .where('user_id', '=', userId)
        .where('completed', '=', 0)
        .where('created_at', '>=', since)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toActionItem);
    },
    async list(userId, q) {
      if (q.ids?.length === 0) return [];
      let query = db.selectFrom('action_items').selectAll().where('user_id', '=', userId);
      if (q.conversationId !== undefined) query = query.where('conversation_id', '=', q.conversationId);
      if (q.completed !== undefined) query = query.where('completed', '=', toFlag(q.completed));
      if (q.startDate !== undefined) query = query.where('created_at', '>=', q.startDate);
      if (q.endDate !== undefined) query = query.where('created_at', '<=', q.endDate);
      // The candidates of a search: looked up by key, in no order (the caller ranks them).
      if (q.ids) return (await query.where('id', 'in', [...q.ids]).execute()).map(toActionItem);
      // Upstream's "active-first" order: open before done, dated before undated, soonest due,
      // then newest.
      const rows = await query
        .orderBy('completed', 'asc')
        .orderBy(sql`(due_at is null)`)
        .orderBy('due_at', 'asc')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'asc')
        .limit(q.limit)
        .offset(q.offset)
        .execute();
      return rows.map(toActionItem);
    },
    async listUpdatedSince(userId, q) {
      let query = db.selectFrom('action_items').selectAll().where('user_id', '=', userId).where('updated_at', '>=', q.since);
      const after = q.after;
      if (after) {
        query = query.where((eb) =>
          eb.or([eb('updated_at', '>', after.updatedAt), eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '>', after.id)])]),
        );
      }
      const rows = await query.orderBy('updated_at', 'asc').orderBy('id', 'asc').limit(q.limit).execute();
      return rows.map(toActionItem);
    },
    get,
    async update(userId, id, patch) {
      const result = await db
        .updateTable('action_items')
        .set({
          ...(patch.description !== undefined && { description: patch.description }),
          ...(patch.completed !== undefined && { completed: toFlag(patch.completed) }),
          ...(patch.completedAt !== undefined && { completed_at: patch.completedAt }),
          ...(patch.dueAt !== undefined && { due_at: patch.dueAt }),
          updated_at: patch.updatedAt,
        })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? get(userId, id) : undefined;
    },
    delete: (userId, id) => deleteOwned(db, 'action_items', userId, id),
  };
}
