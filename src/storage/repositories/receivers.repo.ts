import type { Kysely } from 'kysely';
import type { BufferedSegment, InboxEntry, ReceiverKind } from '../../modules/receivers/receivers.types.ts';
import type { Database } from '../schema.ts';
import type { ReceiversRepository } from '../storage.ts';

export function receiversRepository(db: Kysely<Database>): ReceiversRepository {
  return {
    async token(userId) {
      const row = await db.selectFrom('receiver_tokens').select('token').where('user_id', '=', userId).executeTakeFirst();
      return row?.token;
    },
    async insertTokenIfAbsent(userId, token, now) {
      await db
        .insertInto('receiver_tokens')
        .values({ user_id: userId, token, created_at: now })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .execute();
    },
    async replaceToken(userId, token, now) {
      await db
        .insertInto('receiver_tokens')
        .values({ user_id: userId, token, created_at: now })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ token, created_at: now }))
        .execute();
    },
    async userForToken(token) {
      const row = await db.selectFrom('receiver_tokens').select('user_id').where('token', '=', token).executeTakeFirst();
      return row?.user_id;
    },
    async addToInbox(entry) {
      await db
        .insertInto('receiver_inbox')
        .values({
          id: entry.id,
          user_id: entry.userId,
          kind: entry.kind,
          omi_uid: entry.omiUid,
          payload: JSON.stringify(entry.payload),
          received_at: entry.receivedAt,
        })
        .execute();
    },
    async inboxEntry(userId, id) {
      const row = await db
        .selectFrom('receiver_inbox')
        .selectAll()
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      const entry: InboxEntry = {
        id: row.id,
        userId: row.user_id,
        kind: row.kind as ReceiverKind,
        omiUid: row.omi_uid,
        payload: JSON.parse(row.payload) as unknown,
        receivedAt: row.received_at,
      };
      return entry;
    },
    async removeFromInbox(userId, id) {
      await db.deleteFrom('receiver_inbox').where('user_id', '=', userId).where('id', '=', id).execute();
    },
    async inboxSize(userId) {
      const row = await db
        .selectFrom('receiver_inbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async bufferSegments(userId, segments) {
      if (segments.length === 0) return;
      await db
        .insertInto('receiver_segments')
        .values(
          segments.map((s) => ({
            user_id: userId,
            segment_id: s.segment.id,
            received_at: s.receivedAt,
            seq: s.seq,
            segment: JSON.stringify(s.segment),
          })),
        )
        .onConflict((oc) => oc.columns(['user_id', 'segment_id']).doNothing())
        .execute();
    },
    async bufferedSegments(userId) {
      const rows = await db
        .selectFrom('receiver_segments')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('received_at')
        .orderBy('seq')
        .orderBy('segment_id')
        .execute();
      return rows.map(
        (row): BufferedSegment => ({
          segment: JSON.parse(row.segment) as BufferedSegment['segment'],
          receivedAt: row.received_at,
          seq: Number(row.seq),
        }),
      );
    },
    async removeSegments(userId, segmentIds) {
      if (segmentIds.length === 0) return;
      await db.deleteFrom('receiver_segments').where('user_id', '=', userId).where('segment_id', 'in', segmentIds).execute();
    },
    async removeSegmentsReceivedBy(userId, at) {
      await db.deleteFrom('receiver_segments').where('user_id', '=', userId).where('received_at', '<=', at).execute();
    },
  };
}
