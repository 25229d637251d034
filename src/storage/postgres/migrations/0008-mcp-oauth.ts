import { sql, type Kysely } from 'kysely';

/**
 * MCP OAuth 2.1: registered clients, grants (one per user, client and resource), authorization
 * codes and tokens. Codes and tokens are stored only as SHA-256 hashes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oauth_clients')
    .addColumn('id', 'text', (c) => c.modifyEnd(sql`collate "C"`).primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('token_endpoint_auth_method', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('oauth_grants')
    .addColumn('id', 'text', (c) => c.modifyEnd(sql`collate "C"`).primaryKey())
    .addColumn('user_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('resource', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addUniqueConstraint('oauth_grants_owner_client_resource', ['user_id', 'client_id', 'resource'])
    .execute();
  await db.schema
    .createTable('oauth_codes')
    .addColumn('code_hash', 'text', (c) => c.modifyEnd(sql`collate "C"`).primaryKey())
    .addColumn('grant_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull().references('oauth_grants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('client_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text', (c) => c.notNull())
    .addColumn('family_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('oauth_codes_expires').on('oauth_codes').column('expires_at').execute();
  await db.schema
    .createTable('oauth_tokens')
    .addColumn('token_hash', 'text', (c) => c.modifyEnd(sql`collate "C"`).primaryKey())
    .addColumn('id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull().unique())
    .addColumn('kind', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('grant_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull().references('oauth_grants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('client_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('resource', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('family_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('used_at', 'text')
    .addColumn('replaced_by', 'text')
    .addColumn('replay_detected_at', 'text')
    .execute();
  await db.schema.createIndex('oauth_tokens_grant').on('oauth_tokens').column('grant_id').execute();
  await db.schema.createIndex('oauth_tokens_family').on('oauth_tokens').column('family_id').execute();
  await db.schema.createIndex('oauth_tokens_expires').on('oauth_tokens').column('expires_at').execute();
}
