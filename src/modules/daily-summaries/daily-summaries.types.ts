export interface DailySummaryStats {
  total_conversations: number;
  action_items_count: number;
  words_spoken: number;
  /** Minutes between each conversation's start and finish, summed. */
  total_duration_minutes: number;
  /** How many conversations fell in each category. */
  categories: Record<string, number>;
}

export interface DailySummary {
  id: string;
  userId: string;
  /** YYYY-MM-DD (UTC). */
  date: string;
  dayEmoji: string;
  headline: string;
  overview: string;
  stats: DailySummaryStats;
  highlights: string[];
  actionItems: { description: string; completed: boolean }[];
  knowledgeNuggets: string[];
  createdAt: string;
  updatedAt: string;
}

export interface DailySummaryListQuery {
  startDate?: string | undefined;
  endDate?: string | undefined;
  limit: number;
  offset: number;
}
