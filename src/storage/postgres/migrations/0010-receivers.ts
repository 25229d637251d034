import { sql, type Kysely } from 'kysely';

/**
 * Receivers for the Omi app's developer webhooks: one secret URL token per user, the durable
 * inbox of received payloads (written before the 2xx, processed by a background job) and the
 * per-user buffer of live transcript segments waiting to be assembled into conversations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const c = sql`collate "C"`;
  await db.schema
    .createTable('receiver_tokens')
    .addColumn('user_id', 'text', (col) => col.modifyEnd(c).primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('token', 'text', (col) => col.modifyEnd(c).notNull().unique())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('receiver_inbox')
    .addColumn('id', 'text', (col) => col.modifyEnd(c).primaryKey())
    .addColumn('user_id', 'text', (col) => col.modifyEnd(c).notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.modifyEnd(c).notNull())
    .addColumn('omi_uid', 'text')
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('received_at', 'text', (col) => col.modifyEnd(c).notNull())
    .execute();
  await db.schema.createIndex('receiver_inbox_user').on('receiver_inbox').columns(['user_id', 'received_at']).execute();
  await db.schema
    .createTable('receiver_segments')
    .addColumn('user_id', 'text', (col) => col.modifyEnd(c).notNull().references('users.id').onDelete('cascade'))
    .addColumn('segment_id', 'text', (col) => col.modifyEnd(c).notNull())
    .addColumn('received_at', 'text', (col) => col.modifyEnd(c).notNull())
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('segment', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('receiver_segments_pk', ['user_id', 'segment_id'])
    .execute();
  await db.schema
    .createIndex('receiver_segments_arrival')
    .on('receiver_segments')
    .columns(['user_id', 'received_at', 'seq'])
    .execute();
}
