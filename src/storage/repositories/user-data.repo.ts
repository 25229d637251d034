import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { UserDataRepository, UserDataRow, UserDataTable } from '../storage.ts';

/** Tables whose primary key is `id` alone: an imported id may already belong to another account. */
const GLOBAL_IDS = new Set<UserDataTable>(['action_items', 'goals']);

/**
 * Whole rows of one account's data, for export and import: read a page at a time in id order
 * (keyset: each page starts after the last id of the one before), written as idempotent upserts
 * keyed by the row's id. Every statement is scoped by the owner's id.
 */
export function userDataRepository(db: Kysely<Database>): UserDataRepository {
  // The tables differ in columns; one loosely typed handle keeps the generic code short.
  const anyDb = db as unknown as Kysely<Record<UserDataTable, UserDataRow & { user_id: string; id: string }>>;
  return {
    async page(userId, table, after, limit) {
      let query = anyDb.selectFrom(table).selectAll().where('user_id', '=', userId);
      if (after !== undefined) query = query.where('id', '>', after);
      const rows = await query.orderBy('id', 'asc').limit(limit).execute();
      return rows.map(({ user_id: _owner, ...row }) => row);
    },

    async goalHistory(userId, goalIds) {
      if (goalIds.length === 0) return [];
      return db
        .selectFrom('goal_history')
        .select(['goal_id', 'value', 'recorded_at'])
        .where('user_id', '=', userId)
        .where('goal_id', 'in', goalIds)
        .orderBy('goal_id')
        .orderBy('recorded_at')
        .orderBy('id')
        .execute();
    },

    async foreignIds(userId, table, ids) {
      if (ids.length === 0 || !GLOBAL_IDS.has(table)) return new Set();
      const rows = await anyDb
        .selectFrom(table)
        .select('id')
        .where('id', 'in', ids)
        .where('user_id', '<>', userId)
        .execute();
      return new Set(rows.map((r) => r.id));
    },

    async upsert(userId, table, rows) {
      if (rows.length === 0) return;
      if (table === 'daily_summaries') {
        // One summary per day: a different id for the same day is the same summary, replaced.
        for (const row of rows) {
          await db
            .deleteFrom('daily_summaries')
            .where('user_id', '=', userId)
            .where('date', '=', String(row.date))
            .where('id', '<>', String(row.id))
            .execute();
        }
      }
      const values = rows.map((row) => ({ ...row, user_id: userId }) as UserDataRow & { user_id: string; id: string });
      const columns = Object.keys(values[0]!).filter((c) => c !== 'id' && c !== 'user_id');
      const key = GLOBAL_IDS.has(table) ? (['id'] as const) : (['user_id', 'id'] as const);
      // One statement per batch (under both databases' parameter limits at IMPORT_BATCH_SIZE rows).
      await anyDb
        .insertInto(table)
        .values(values)
        .onConflict((oc) =>
          oc
            .columns([...key])
            .doUpdateSet((eb) => Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}` as 'id')])))
            // Never another account's row, whatever the id says; and a row that is already the
            // same is left alone (no trigger runs, nothing changes).
            .where((eb) =>
              eb.and([
                eb(`${table}.user_id` as 'user_id', '=', userId),
                eb.or(columns.map((c) => eb(`excluded.${c}` as 'id', 'is distinct from', eb.ref(`${table}.${c}` as 'id')))),
              ]),
            ),
        )
        .execute();
    },

    async replaceGoalHistory(userId, goalId, entries) {
      const current = await db
        .selectFrom('goal_history')
        .select(['value', 'recorded_at'])
        .where('user_id', '=', userId)
        .where('goal_id', '=', goalId)
        .orderBy('recorded_at')
        .orderBy('id')
        .execute();
      const same = (a: { value: unknown; recorded_at: string }, b: { value: number; recorded_at: string }) =>
        Number(a.value) === b.value && a.recorded_at === b.recorded_at;
      // The same history again is left as it is (its row ids included): importing twice changes nothing.
      if (current.length === entries.length && current.every((row, i) => same(row, entries[i]!))) return;
      await db.deleteFrom('goal_history').where('user_id', '=', userId).where('goal_id', '=', goalId).execute();
      if (entries.length === 0) return;
      await db
        .insertInto('goal_history')
        .values(entries.map((e) => ({ goal_id: goalId, user_id: userId, value: e.value, recorded_at: e.recorded_at })))
        .execute();
    },
  };
}
