import type { JobHandler } from '../../jobs/job-runner.ts';
import { clamp } from '../../lib/category-filter.ts';
import { notFound } from '../../lib/errors.ts';
import { derivedId } from '../../lib/ids.ts';
import { type Clock, toIso } from '../../lib/time.ts';
import type { ConversationProcessor } from '../../processing/processor.ts';
import type { Storage } from '../../storage/storage.ts';
import { isConversationCategory } from '../conversations/categories.ts';
import { DEFAULT_LIMIT, type ListDailySummariesQuery } from './daily-summaries.schema.ts';
import type { DailySummary, DailySummaryStats } from './daily-summaries.types.ts';

const DAY_MS = 24 * 3600_000;

export class DailySummariesService {
  constructor(
    private readonly storage: Storage,
    private readonly processor: ConversationProcessor,
    private readonly clock: Clock,
  ) {}

  list(userId: string, query: ListDailySummariesQuery): Promise<DailySummary[]> {
    return this.storage.dailySummaries.list(userId, {
      startDate: query.start_date,
      endDate: query.end_date,
      limit: clamp(query.limit ?? DEFAULT_LIMIT, 1, 100),
      offset: Math.max(0, query.offset ?? 0),
    });
  }

  async get(userId: string, id: string): Promise<DailySummary> {
    const summary = await this.storage.dailySummaries.get(userId, id);
    if (!summary) throw notFound('Daily summary not found');
    return summary;
  }

  /**
   * The `daily-summary` job: re-summarises one UTC day from its kept, completed conversations
   * (queued whenever one of them is created, changed or deleted); a day left empty loses its summary.
   */
  readonly jobHandler: JobHandler = {
    run: async (job) => {
      const userId = job.userId;
      const date = String(job.payload.date);
      const from = `${date}T00:00:00.000Z`;
      const to = toIso(new Date(Date.parse(from) + DAY_MS));
      const conversations = await this.storage.conversations.listStartedBetween(userId, from, to);
      if (conversations.length === 0) return (tx) => tx.dailySummaries.deleteForDate(userId, date);
      const words = await this.storage.conversations.wordCounts(
        userId,
        conversations.map((c) => c.id),
      );
      const content = await this.processor.summarizeDay({
        date,
        conversations: conversations.map((c) => ({
          id: c.id,
          title: c.title,
          overview: c.overview,
          emoji: c.emoji,
          category: isConversationCategory(c.category) ? c.category : 'other',
          startedAt: c.startedAt ?? c.createdAt,
          actionItems: c.actionItems.map((a) => ({ description: a.description, completed: a.completed })),
          wordCount: words.get(c.id) ?? 0,
        })),
      });
      const stats: DailySummaryStats = {
        total_conversations: conversations.length,
        action_items_count: conversations.reduce((n, c) => n + c.actionItems.length, 0),
        words_spoken: [...words.values()].reduce((n, w) => n + w, 0),
        total_duration_minutes: Math.round(
          conversations.reduce((ms, c) => {
            const span = c.startedAt && c.finishedAt ? Date.parse(c.finishedAt) - Date.parse(c.startedAt) : 0;
            return ms + Math.max(0, span);
          }, 0) / 60_000,
        ),
        categories: conversations.reduce<Record<string, number>>((acc, c) => {
          acc[c.category] = (acc[c.category] ?? 0) + 1;
          return acc;
        }, {}),
      };
      const now = toIso(this.clock.now());
      const summary: DailySummary = {
        id: derivedId('daily-summary', userId, date),
        userId,
        date,
        dayEmoji: content.dayEmoji,
        headline: content.headline,
        overview: content.overview,
        stats,
        highlights: content.highlights,
        actionItems: conversations.flatMap((c) =>
          c.actionItems.map((a) => ({ description: a.description, completed: a.completed })),
        ),
        knowledgeNuggets: content.knowledgeNuggets,
        createdAt: now,
        updatedAt: now,
      };
      return (tx) => tx.dailySummaries.upsert(summary);
    },
  };
}
