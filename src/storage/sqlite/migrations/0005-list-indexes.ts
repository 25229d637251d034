import { sql, type Kysely } from 'kysely';

/**
 * Indexes for two reads that grew with a user's data.
 *
 * The memories list reads only visible memories (not superseded, not rejected by the user). A
 * partial index holding exactly those, in list order, lets a deep page (`offset=90000`) be
 * counted off in the index alone, without reading each skipped row from the table to check
 * its visibility: ~50 ms → a few ms at 100,000 memories. It replaces the full-table index.
 * The predicate must stay word for word what the list query says, or the planner cannot use it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index memories_user_visible on memories (user_id, scoring desc, created_at desc, id)
    where invalid_at is null and (user_review is null or user_review = 1)`.execute(db);
  await sql`drop index memories_user_order`.execute(db);
  // The open action items of the last two days, which every processed conversation reads to
  // avoid adding a task twice: without it, a user's every open item was read (~4 ms at 50,000).
  await sql`create index action_items_user_open_recent on action_items (user_id, completed, created_at)`.execute(db);
}
