import { sql, type Kysely } from 'kysely';

/** MCP: keys share the api_keys table, told apart by family; MCP sessions. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_keys')
    .addColumn('family', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull().defaultTo('developer'))
    .execute();
  await db.schema.createIndex('api_keys_user_family').on('api_keys').columns(['user_id', 'family', 'created_at']).execute();
  await db.schema
    .createTable('mcp_sessions')
    .addColumn('id', 'text', (c) => c.modifyEnd(sql`collate "C"`).primaryKey())
    .addColumn('user_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mcp_sessions_created').on('mcp_sessions').column('created_at').execute();
}
