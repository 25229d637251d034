import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/** Text that is sorted or compared uses the "C" collation, as in 0001. */
const c = (column: ColumnDefinitionBuilder) => column.modifyEnd(sql`collate "C"`);
const cNotNull = (column: ColumnDefinitionBuilder) => c(column).notNull();

/** Conversations, folders, daily summaries and the durable background-job queue. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('user_id', 'text', (col) => cNotNull(col).references('users.id').onDelete('cascade'))
    .addColumn('id', 'text', cNotNull)
    .addColumn('created_at', 'text', cNotNull)
    .addColumn('updated_at', 'text', cNotNull)
    .addColumn('started_at', 'text', c)
    .addColumn('finished_at', 'text', c)
    .addColumn('source', 'text', cNotNull)
    .addColumn('language', 'text')
    .addColumn('status', 'text', cNotNull)
    .addColumn('discarded', 'integer', (col) => col.notNull())
    .addColumn('starred', 'integer', (col) => col.notNull())
    .addColumn('folder_id', 'text', c)
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('overview', 'text', (col) => col.notNull())
    .addColumn('emoji', 'text', (col) => col.notNull())
    .addColumn('category', 'text', cNotNull)
    .addColumn('action_items', 'text', (col) => col.notNull())
    .addColumn('events', 'text', (col) => col.notNull())
    .addColumn('transcript_segments', 'text', (col) => col.notNull())
    .addColumn('text', 'text')
    .addColumn('text_source', 'text')
    .addColumn('text_source_spec', 'text')
    .addColumn('geolocation', 'text')
    .addColumn('client_session_id', 'text', c)
    .addColumn('client_device_id', 'text')
    .addColumn('client_platform', 'text')
    .addColumn('claimed_at', 'text', c)
    .addPrimaryKeyConstraint('conversations_pk', ['user_id', 'id'])
    .execute();
  // The list: a user's completed, kept conversations, newest first.
  await db.schema
    .createIndex('conversations_user_list')
    .on('conversations')
    .columns(['user_id', 'discarded', 'status', 'created_at desc', 'id'])
    .execute();
  await db.schema.createIndex('conversations_user_folder').on('conversations').columns(['user_id', 'folder_id']).execute();
  await db.schema.createIndex('conversations_user_started').on('conversations').columns(['user_id', 'started_at']).execute();

  await db.schema
    .createTable('folders')
    .addColumn('user_id', 'text', (col) => cNotNull(col).references('users.id').onDelete('cascade'))
    .addColumn('id', 'text', cNotNull)
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('color', 'text', (col) => col.notNull())
    .addColumn('icon', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('is_default', 'integer', (col) => col.notNull())
    .addColumn('is_system', 'integer', (col) => col.notNull())
    .addColumn('category_mapping', 'text')
    .addColumn('created_at', 'text', cNotNull)
    .addColumn('updated_at', 'text', cNotNull)
    .addPrimaryKeyConstraint('folders_pk', ['user_id', 'id'])
    .execute();

  await db.schema
    .createTable('daily_summaries')
    .addColumn('user_id', 'text', (col) => cNotNull(col).references('users.id').onDelete('cascade'))
    .addColumn('id', 'text', cNotNull)
    .addColumn('date', 'text', cNotNull)
    .addColumn('day_emoji', 'text', (col) => col.notNull())
    .addColumn('headline', 'text', (col) => col.notNull())
    .addColumn('overview', 'text', (col) => col.notNull())
    .addColumn('stats', 'text', (col) => col.notNull())
    .addColumn('highlights', 'text', (col) => col.notNull())
    .addColumn('action_items', 'text', (col) => col.notNull())
    .addColumn('knowledge_nuggets', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', cNotNull)
    .addColumn('updated_at', 'text', cNotNull)
    .addPrimaryKeyConstraint('daily_summaries_pk', ['user_id', 'id'])
    .addUniqueConstraint('daily_summaries_user_date', ['user_id', 'date'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (col) => c(col).primaryKey())
    .addColumn('user_id', 'text', (col) => cNotNull(col).references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', cNotNull)
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('status', 'text', cNotNull)
    .addColumn('dedupe_key', 'text', c)
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('max_attempts', 'integer', (col) => col.notNull())
    .addColumn('run_at', 'text', cNotNull)
    .addColumn('lease_owner', 'text', c)
    .addColumn('lease_until', 'text', c)
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', cNotNull)
    .addColumn('updated_at', 'text', cNotNull)
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
  await sql`create unique index jobs_queued_dedupe on jobs (dedupe_key) where status = 'queued'`.execute(db);
}
