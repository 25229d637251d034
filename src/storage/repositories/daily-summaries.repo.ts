import type { Kysely, Selectable } from 'kysely';
import type { DailySummary } from '../../modules/daily-summaries/daily-summaries.types.ts';
import type { DailySummariesTable, Database } from '../schema.ts';
import type { DailySummariesRepository } from '../storage.ts';
import { fromJson } from './rows.ts';

const toSummary = (row: Selectable<DailySummariesTable>): DailySummary => ({
  id: row.id,
  userId: row.user_id,
  date: row.date,
  dayEmoji: row.day_emoji,
  headline: row.headline,
  overview: row.overview,
  stats: fromJson(row.stats, { total_conversations: 0, action_items_count: 0, words_spoken: 0, total_duration_minutes: 0, categories: {} }),
  highlights: fromJson(row.highlights, []),
  actionItems: fromJson(row.action_items, []),
  knowledgeNuggets: fromJson(row.knowledge_nuggets, []),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function dailySummariesRepository(db: Kysely<Database>): DailySummariesRepository {
  return {
    async upsert(summary) {
      const content = {
        day_emoji: summary.dayEmoji,
        headline: summary.headline,
        overview: summary.overview,
        stats: JSON.stringify(summary.stats),
        highlights: JSON.stringify(summary.highlights),
        action_items: JSON.stringify(summary.actionItems),
        knowledge_nuggets: JSON.stringify(summary.knowledgeNuggets),
        updated_at: summary.updatedAt,
      };
      await db
        .insertInto('daily_summaries')
        .values({ user_id: summary.userId, id: summary.id, date: summary.date, created_at: summary.createdAt, ...content })
        .onConflict((oc) => oc.columns(['user_id', 'date']).doUpdateSet(content))
        .execute();
    },
    async deleteForDate(userId, date) {
      await db.deleteFrom('daily_summaries').where('user_id', '=', userId).where('date', '=', date).execute();
    },
    async list(userId, q) {
      let query = db.selectFrom('daily_summaries').selectAll().where('user_id', '=', userId);
      if (q.startDate !== undefined) query = query.where('date', '>=', q.startDate);
      if (q.endDate !== undefined) query = query.where('date', '<=', q.endDate);
      const rows = await query.orderBy('date', 'desc').limit(q.limit).offset(q.offset).execute();
      return rows.map(toSummary);
    },
    async get(userId, id) {
      const row = await db
        .selectFrom('daily_summaries')
        .selectAll()
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toSummary(row);
    },
  };
}
