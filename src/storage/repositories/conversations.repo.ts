import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { ConversationCategory, ConversationStatus, TextSource } from '../../modules/conversations/categories.ts';
import type { Conversation } from '../../modules/conversations/conversations.types.ts';
import type { ConversationsTable, Database } from '../schema.ts';
import type { ConversationsRepository } from '../storage.ts';
import { fixedQuery } from './fixed-query.ts';
import { deleteOwned, fromFlag, fromJson, toFlag } from './rows.ts';

/** Every column but the transcript: what lists read. */
const SUMMARY_COLUMNS = [
  'user_id',
  'id',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
  'source',
  'language',
  'status',
  'discarded',
  'starred',
  'folder_id',
  'title',
  'overview',
  'emoji',
  'category',
  'action_items',
  'events',
  'text_source',
  'text_source_spec',
  'geolocation',
  'client_session_id',
  'client_device_id',
  'client_platform',
  'claimed_at',
] as const;

type Row = Pick<Selectable<ConversationsTable>, (typeof SUMMARY_COLUMNS)[number]> &
  Partial<Pick<Selectable<ConversationsTable>, 'transcript_segments' | 'text'>>;

const toConversation = (row: Row): Conversation => ({
  id: row.id,
  userId: row.user_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  source: row.source,
  language: row.language,
  status: row.status as ConversationStatus,
  discarded: fromFlag(row.discarded),
  starred: fromFlag(row.starred),
  folderId: row.folder_id,
  title: row.title,
  overview: row.overview,
  emoji: row.emoji,
  category: row.category as ConversationCategory,
  actionItems: fromJson(row.action_items, []),
  events: fromJson(row.events, []),
  segments: row.transcript_segments === undefined ? [] : fromJson(row.transcript_segments, []),
  text: row.text ?? null,
  textSource: row.text_source as TextSource | null,
  textSourceSpec: row.text_source_spec,
  geolocation: row.geolocation === null ? null : fromJson(row.geolocation, null),
  clientSessionId: row.client_session_id,
  clientDeviceId: row.client_device_id,
  clientPlatform: row.client_platform,
  claimedAt: row.claimed_at,
});

const toRow = (c: Conversation): Insertable<ConversationsTable> => ({
  user_id: c.userId,
  id: c.id,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
  started_at: c.startedAt,
  finished_at: c.finishedAt,
  source: c.source,
  language: c.language,
  status: c.status,
  discarded: toFlag(c.discarded),
  starred: toFlag(c.starred),
  folder_id: c.folderId,
  title: c.title,
  overview: c.overview,
  emoji: c.emoji,
  category: c.category,
  action_items: JSON.stringify(c.actionItems),
  events: JSON.stringify(c.events),
  transcript_segments: JSON.stringify(c.segments),
  text: c.text,
  text_source: c.textSource,
  text_source_spec: c.textSourceSpec,
  geolocation: c.geolocation === null ? null : JSON.stringify(c.geolocation),
  client_session_id: c.clientSessionId,
  client_device_id: c.clientDeviceId,
  client_platform: c.clientPlatform,
  claimed_at: c.claimedAt,
});

export function conversationsRepository(db: Kysely<Database>): ConversationsRepository {
  const owned = (userId: string, id: string) =>
    db.selectFrom('conversations').where('user_id', '=', userId).where('id', '=', id);
  // The plain list (no filter, no transcripts): what most clients page through.
  const page = fixedQuery(db, (userId: string, discarded: 0, status: 'completed', limit: number, offset: number) =>
    db
      .selectFrom('conversations')
      .select(SUMMARY_COLUMNS)
      .where('user_id', '=', userId)
      .where('discarded', '=', discarded)
      .where('status', '=', status)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'asc')
      .limit(limit)
      .offset(offset),
  );
  return {
    async insert(conversation) {
      await db.insertInto('conversations').values(toRow(conversation)).execute();
    },
    async claim(conversation) {
      const inserted = await db
        .insertInto('conversations')
        .values(toRow(conversation))
        .onConflict((oc) => oc.columns(['user_id', 'id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },
    async takeOverStaleClaim(userId, id, staleBefore, claimedAt) {
      const result = await db
        .updateTable('conversations')
        .set({ claimed_at: claimedAt })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .where('status', '=', 'processing')
        .where('claimed_at', '<', staleBefore)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async releaseClaim(userId, id, claimedAt) {
      await db
        .deleteFrom('conversations')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .where('status', '=', 'processing')
        .where('claimed_at', '=', claimedAt)
        .execute();
    },
    async save(conversation) {
      const { user_id: _u, id: _i, ...columns } = toRow(conversation);
      const result = await db
        .updateTable('conversations')
        .set(columns)
        .where('user_id', '=', conversation.userId)
        .where('id', '=', conversation.id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async update(userId, id, patch) {
      const result = await db
        .updateTable('conversations')
        .set({
          ...(patch.title !== undefined && { title: patch.title }),
          ...(patch.discarded !== undefined && { discarded: toFlag(patch.discarded) }),
          updated_at: patch.updatedAt,
        })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async assignFolder(userId, id, folderId, updatedAt) {
      await db
        .updateTable('conversations')
        .set({ folder_id: folderId, updated_at: updatedAt })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .where('folder_id', 'is', null)
        .execute();
    },
    async get(userId, id, { withTranscript }) {
      const row = withTranscript
        ? await owned(userId, id).select([...SUMMARY_COLUMNS, 'transcript_segments', 'text']).executeTakeFirst()
        : await owned(userId, id).select(SUMMARY_COLUMNS).executeTakeFirst();
      return row && toConversation(row);
    },
    async list(userId, q) {
      if (q.ids?.length === 0) return [];
      // Any filter, present or added later, takes the general query below.
      const { withTranscript, limit, offset, ...filters } = q;
      if (!withTranscript && Object.values(filters).every((f) => f === undefined)) {
        return (await page(userId, 0, 'completed', limit, offset)).map(toConversation);
      }
      let query = db
        .selectFrom('conversations')
        .where('user_id', '=', userId)
        .where('discarded', '=', 0)
        .where('status', '=', 'completed');
      if (q.categories !== undefined) query = query.where('category', 'in', q.categories);
      if (q.folderId !== undefined) query = query.where('folder_id', '=', q.folderId);
      if (q.starred !== undefined) query = query.where('starred', '=', toFlag(q.starred));
      if (q.startDate !== undefined) query = query.where('created_at', '>=', q.startDate);
      if (q.endDate !== undefined) query = query.where('created_at', '<=', q.endDate);
      if (q.startedWithin) {
        const startedAt = sql<string>`coalesce(started_at, created_at)`;
        query = query.where(startedAt, '>=', q.startedWithin.from).where(startedAt, '<', q.startedWithin.to);
      }
      const selected = q.withTranscript ? query.select([...SUMMARY_COLUMNS, 'transcript_segments']) : query.select(SUMMARY_COLUMNS);
      // The candidates of a search: looked up by key, in no order (the caller ranks them).
      if (q.ids) return (await selected.where('id', 'in', [...q.ids]).execute()).map(toConversation);
      const ordered = selected
        .orderBy('created_at', 'desc')
        .orderBy('id', 'asc')
        .limit(q.limit)
        .offset(q.offset);
      return (await ordered.execute()).map(toConversation);
    },
    async listStartedBetween(userId, from, to) {
      const rows = await db
        .selectFrom('conversations')
        .select(SUMMARY_COLUMNS)
        .where('user_id', '=', userId)
        .where('discarded', '=', 0)
        .where('status', '=', 'completed')
        .where('started_at', '>=', from)
        .where('started_at', '<', to)
        .orderBy('started_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toConversation);
    },
    async wordCounts(userId, ids) {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('conversations')
        .select(['id', 'transcript_segments', 'text'])
        .where('user_id', '=', userId)
        .where('id', 'in', ids)
        .execute();
      const words = (s: string) => s.split(/\s+/).filter((w) => w !== '').length;
      return new Map(
        rows.map((row) => {
          const segments = fromJson<{ text: string }[]>(row.transcript_segments, []);
          const count = segments.reduce((n, s) => n + words(s.text), 0) + (row.text === null ? 0 : words(row.text));
          return [row.id, count] as const;
        }),
      );
    },
    async countByFolder(userId) {
      const rows = await db
        .selectFrom('conversations')
        .select(['folder_id', (eb) => eb.fn.countAll<number | string | bigint>().as('count')])
        .where('user_id', '=', userId)
        .where('discarded', '=', 0)
        .where('status', '=', 'completed')
        .where('folder_id', 'is not', null)
        .groupBy('folder_id')
        .execute();
      return new Map(rows.map((r) => [r.folder_id!, Number(r.count)]));
    },
    delete: (userId, id) => deleteOwned(db, 'conversations', userId, id),
  };
}
