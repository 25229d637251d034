import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { McpSessionsRepository } from '../storage.ts';

export function mcpSessionsRepository(db: Kysely<Database>): McpSessionsRepository {
  return {
    async insert(session) {
      await db
        .insertInto('mcp_sessions')
        .values({ id: session.id, user_id: session.userId, created_at: session.createdAt })
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('mcp_sessions').selectAll().where('id', '=', id).executeTakeFirst();
      return row && { id: row.id, userId: row.user_id, createdAt: row.created_at };
    },
    async deleteOlderThan(before) {
      const result = await db.deleteFrom('mcp_sessions').where('created_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async delete(id) {
      const result = await db.deleteFrom('mcp_sessions').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
