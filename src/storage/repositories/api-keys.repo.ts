import type { Kysely, Selectable } from 'kysely';
import type { ApiKey, KeyFamily } from '../../modules/api-keys/api-keys.types.ts';
import type { ApiKeysTable, Database } from '../schema.ts';
import type { ApiKeysRepository } from '../storage.ts';
import { fixedQuery } from './fixed-query.ts';
import { fromJsonList } from './rows.ts';

const toApiKey = (row: Selectable<ApiKeysTable>): ApiKey => ({
  id: row.id,
  family: row.family === 'mcp' ? 'mcp' : 'developer',
  userId: row.user_id,
  name: row.name,
  hashedKey: row.hashed_key,
  keyPrefix: row.key_prefix,
  scopes: row.scopes === null ? null : fromJsonList(row.scopes),
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  rotatedAt: row.rotated_at,
});

export function apiKeysRepository(db: Kysely<Database>): ApiKeysRepository {
  // Every developer-key request starts here.
  const byHash = fixedQuery(db, (hashedKey: string) => db.selectFrom('api_keys').selectAll().where('hashed_key', '=', hashedKey));
  const findById = async (userId: string, id: string, family: KeyFamily) => {
    const row = await db
      .selectFrom('api_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .where('family', '=', family)
      .executeTakeFirst();
    return row && toApiKey(row);
  };
  return {
    async insert(key) {
      await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          family: key.family,
          user_id: key.userId,
          name: key.name,
          hashed_key: key.hashedKey,
          key_prefix: key.keyPrefix,
          scopes: key.scopes === null ? null : JSON.stringify(key.scopes),
          created_at: key.createdAt,
          last_used_at: key.lastUsedAt,
          rotated_at: key.rotatedAt,
        })
        .execute();
    },
    async listByUser(userId, family) {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('user_id', '=', userId)
        .where('family', '=', family)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toApiKey);
    },
    async findByHash(hashedKey) {
      const [row] = await byHash(hashedKey);
      return row && toApiKey(row);
    },
    findById,
    async delete(userId, id, family) {
      const result = await db
        .deleteFrom('api_keys')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .where('family', '=', family)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async rotate(userId, id, family, secret) {
      const result = await db
        .updateTable('api_keys')
        .set({
          hashed_key: secret.hashedKey,
          key_prefix: secret.keyPrefix,
          rotated_at: secret.rotatedAt,
          last_used_at: null,
        })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .where('family', '=', family)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? findById(userId, id, family) : undefined;
    },
    async touch(id, now, staleBefore) {
      await db
        .updateTable('api_keys')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
        .execute();
    },
  };
}
