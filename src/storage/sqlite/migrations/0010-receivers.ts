import type { Kysely } from 'kysely';

/**
 * Receivers for the Omi app's developer webhooks: one secret URL token per user, the durable
 * inbox of received payloads (written before the 2xx, processed by a background job) and the
 * per-user buffer of live transcript segments waiting to be assembled into conversations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('receiver_tokens')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('receiver_inbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('omi_uid', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('receiver_inbox_user').on('receiver_inbox').columns(['user_id', 'received_at']).execute();
  await db.schema
    .createTable('receiver_segments')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('segment_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('segment', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('receiver_segments_pk', ['user_id', 'segment_id'])
    .execute();
  await db.schema
    .createIndex('receiver_segments_arrival')
    .on('receiver_segments')
    .columns(['user_id', 'received_at', 'seq'])
    .execute();
}
