import { sql, type Kysely } from 'kysely';

/**
 * Where `omi-dev-api import --from URL` stands, per (account, source URL, kind): the offset of the
 * next page of an unfinished run (null once the run finished) with the `since` and newest source
 * timestamp of that run, and the watermark (the newest source timestamp seen by the last finished
 * run) that makes the next run incremental.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('import_checkpoints')
    .ifNotExists()
    .addColumn('user_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull().references('users.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('next_offset', 'integer')
    .addColumn('run_since', 'text')
    .addColumn('run_newest', 'text')
    .addColumn('watermark', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_checkpoints_pk', ['user_id', 'source', 'kind'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_checkpoints').ifExists().execute();
}
