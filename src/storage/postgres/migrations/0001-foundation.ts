import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/**
 * Accounts, sessions, developer keys, memories, action items and goals — the same tables and
 * column encodings as the SQLite adapter (timestamps as UTC ISO 8601 text, booleans as 0/1,
 * lists as JSON text), so the dialect-neutral repositories behave identically. Text that is
 * sorted or compared uses the "C" collation: byte order, whatever the database's locale.
 */
const c = (column: ColumnDefinitionBuilder) => column.modifyEnd(sql`collate "C"`);
const cNotNull = (column: ColumnDefinitionBuilder) => c(column).notNull();

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (col) => c(col).primaryKey())
    .addColumn('email', 'text', (col) => cNotNull(col).unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', cNotNull)
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (col) => c(col).primaryKey())
    .addColumn('user_id', 'text', (col) => cNotNull(col).references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (col) => cNotNull(col).unique())
    .addColumn('created_at', 'text', cNotNull)
    .addColumn('expires_at', 'text', cNotNull)
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (col) => c(col).primaryKey())
    .addColumn('user_id', 'text', (col) => cNotNull(col).references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('hashed_key', 'text', (col) => cNotNull(col).unique())
    .addColumn('key_prefix', 'text', (col) => col.notNull())
    .addColumn('scopes', 'text')
    .addColumn('created_at', 'text', cNotNull)
    .addColumn('last_used_at', 'text', c)
    .addColumn('rotated_at', 'text', c)
    .execute();
  await db.schema.createIndex('api_keys_user').on('api_keys').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('memories')
    .addColumn('user_id', 'text', (col) => cNotNull(col).references('users.id').onDelete('cascade'))
    .addColumn('id', 'text', cNotNull)
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('category', 'text', cNotNull)
    .addColumn('visibility', 'text', (col) => col.notNull())
    .addColumn('tags', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', cNotNull)
    .addColumn('updated_at', 'text', cNotNull)
    .addColumn('manually_added', 'integer', (col) => col.notNull())
    .addColumn('reviewed', 'integer', (col) => col.notNull())
    .addColumn('user_review', 'integer')
    .addColumn('edited', 'integer', (col) => col.notNull())
    .addColumn('scoring', 'text', cNotNull)
    .addColumn('conversation_id', 'text', c)
    .addColumn('invalid_at', 'text', c)
    .addPrimaryKeyConstraint('memories_pk', ['user_id', 'id'])
    .execute();
  await db.schema
    .createIndex('memories_user_order')
    .on('memories')
    .columns(['user_id', 'scoring desc', 'created_at desc', 'id'])
    .execute();

  await db.schema
    .createTable('action_items')
    .addColumn('id', 'text', (col) => c(col).primaryKey())
    .addColumn('user_id', 'text', (col) => cNotNull(col).references('users.id').onDelete('cascade'))
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('completed', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', cNotNull)
    .addColumn('updated_at', 'text', cNotNull)
    .addColumn('due_at', 'text', c)
    .addColumn('completed_at', 'text', c)
    .addColumn('conversation_id', 'text', c)
    .execute();
  // Matches the list's "active-first" ORDER BY term for term, so a page is read in index order.
  await sql`create index action_items_user_order on action_items
    (user_id, completed, (due_at is null), due_at, created_at desc, id)`.execute(db);

  await db.schema
    .createTable('goals')
    .addColumn('id', 'text', (col) => c(col).primaryKey())
    .addColumn('user_id', 'text', (col) => cNotNull(col).references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('desired_outcome', 'text', (col) => col.notNull())
    .addColumn('why_it_matters', 'text')
    .addColumn('success_criteria', 'text', (col) => col.notNull())
    .addColumn('horizon_at', 'text', c)
    .addColumn('status', 'text', cNotNull)
    .addColumn('focus_rank', 'integer')
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('metric_type', 'text')
    .addColumn('metric_current', 'double precision')
    .addColumn('metric_target', 'double precision')
    .addColumn('metric_min', 'double precision')
    .addColumn('metric_max', 'double precision')
    .addColumn('metric_unit', 'text')
    .addColumn('created_at', 'text', cNotNull)
    .addColumn('updated_at', 'text', cNotNull)
    .execute();
  await db.schema.createIndex('goals_user').on('goals').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('goal_history')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('goal_id', 'text', (col) => cNotNull(col).references('goals.id').onDelete('cascade'))
    .addColumn('user_id', 'text', cNotNull)
    .addColumn('value', 'double precision', (col) => col.notNull())
    .addColumn('recorded_at', 'text', cNotNull)
    .execute();
  await db.schema.createIndex('goal_history_goal').on('goal_history').columns(['goal_id', 'recorded_at']).execute();
}
