import { Type, type Static } from 'typebox';
import { component, DateTime } from '../../http/schema.ts';

/**
 * Daily summaries are not in the published OpenAPI document; the shape follows upstream's
 * documentation and official CLI (omi-behaviour.md §12).
 */
export const DailySummaryStats = component(
  'DailySummaryStats',
  Type.Object({
    total_conversations: Type.Integer({ title: 'Total Conversations' }),
    action_items_count: Type.Integer({ title: 'Action Items Count' }),
    words_spoken: Type.Integer({ title: 'Words Spoken' }),
    total_duration_minutes: Type.Integer({ title: 'Total Duration Minutes' }),
    categories: Type.Record(Type.String(), Type.Integer(), { title: 'Categories', description: 'Conversations per category' }),
  }),
);

export const DailySummaryActionItem = component(
  'DailySummaryActionItem',
  Type.Object({
    description: Type.String({ title: 'Description' }),
    completed: Type.Boolean({ title: 'Completed' }),
  }),
);

export const DailySummary = component(
  'DailySummary',
  Type.Object({
    id: Type.String({ title: 'Id' }),
    date: Type.String({ format: 'date', title: 'Date', description: 'The day summarised (YYYY-MM-DD, UTC)' }),
    day_emoji: Type.String({ title: 'Day Emoji' }),
    headline: Type.String({ title: 'Headline' }),
    overview: Type.String({ title: 'Overview' }),
    stats: DailySummaryStats,
    highlights: Type.Array(Type.String(), { title: 'Highlights' }),
    action_items: Type.Array(DailySummaryActionItem, { title: 'Action Items' }),
    knowledge_nuggets: Type.Array(Type.String(), { title: 'Knowledge Nuggets' }),
    created_at: DateTime({ title: 'Created At' }),
    updated_at: DateTime({ title: 'Updated At' }),
  }),
);
export type DailySummaryWire = Static<typeof DailySummary>;

export const DailySummaryList = component(
  'DailySummaryList',
  Type.Object({ summaries: Type.Array(DailySummary, { title: 'Summaries' }) }),
);

export const DEFAULT_LIMIT = 30;

export const ListDailySummariesQuery = Type.Object({
  // As upstream (`Query(30, ge=1, le=100)`, `Query(0, ge=0)`): out of range is a 422, not clamped.
  limit: Type.Integer({ default: DEFAULT_LIMIT, minimum: 1, maximum: 100, title: 'Limit', description: '1..100' }),
  offset: Type.Integer({ default: 0, minimum: 0, title: 'Offset' }),
  start_date: Type.Optional(Type.String({ format: 'date', title: 'Start Date', description: 'YYYY-MM-DD, inclusive' })),
  end_date: Type.Optional(Type.String({ format: 'date', title: 'End Date', description: 'YYYY-MM-DD, inclusive' })),
});
export type ListDailySummariesQuery = Static<typeof ListDailySummariesQuery>;

export const DailySummaryIdParams = Type.Object({ summary_id: Type.String({ title: 'Summary Id' }) });
