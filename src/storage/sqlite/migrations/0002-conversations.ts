import { sql, type Kysely } from 'kysely';

/** Conversations, folders, daily summaries and the durable background-job queue. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('discarded', 'integer', (c) => c.notNull())
    .addColumn('starred', 'integer', (c) => c.notNull())
    .addColumn('folder_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('overview', 'text', (c) => c.notNull())
    .addColumn('emoji', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('action_items', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('transcript_segments', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('text_source', 'text')
    .addColumn('text_source_spec', 'text')
    .addColumn('geolocation', 'text')
    .addColumn('client_session_id', 'text')
    .addColumn('client_device_id', 'text')
    .addColumn('client_platform', 'text')
    .addColumn('claimed_at', 'text')
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
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('icon', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('is_system', 'integer', (c) => c.notNull())
    .addColumn('category_mapping', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('folders_pk', ['user_id', 'id'])
    .execute();

  await db.schema
    .createTable('daily_summaries')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('day_emoji', 'text', (c) => c.notNull())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('overview', 'text', (c) => c.notNull())
    .addColumn('stats', 'text', (c) => c.notNull())
    .addColumn('highlights', 'text', (c) => c.notNull())
    .addColumn('action_items', 'text', (c) => c.notNull())
    .addColumn('knowledge_nuggets', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('daily_summaries_pk', ['user_id', 'id'])
    .addUniqueConstraint('daily_summaries_user_date', ['user_id', 'date'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
  await sql`create unique index jobs_queued_dedupe on jobs (dedupe_key) where status = 'queued'`.execute(db);
}
