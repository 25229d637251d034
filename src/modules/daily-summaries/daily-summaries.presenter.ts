import type { DailySummaryWire } from './daily-summaries.schema.ts';
import type { DailySummary } from './daily-summaries.types.ts';

/** The one place a daily summary becomes its wire shape. */
export const presentDailySummary = (summary: DailySummary): DailySummaryWire => ({
  id: summary.id,
  date: summary.date,
  day_emoji: summary.dayEmoji,
  headline: summary.headline,
  overview: summary.overview,
  stats: summary.stats,
  highlights: summary.highlights,
  action_items: summary.actionItems,
  knowledge_nuggets: summary.knowledgeNuggets,
  created_at: summary.createdAt,
  updated_at: summary.updatedAt,
});
