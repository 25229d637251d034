import { z } from 'zod';
import { presentDailySummary } from '../../modules/daily-summaries/daily-summaries.presenter.ts';
import { pageSize, parseDay } from './arguments.ts';
import { invalidArguments, pageOf, startPage } from './results.ts';
import { addTool, READ_ONLY, type ToolContext } from './tool-context.ts';

/** The service's own ceiling on page size. */
const MAX_PAGE = 100;

export function registerDailySummaryTools(ctx: ToolContext): void {
  addTool(
    ctx,
    {
      name: 'get_daily_summaries',
      scope: 'conversations.read',
      description: "Summaries of the user's days (one per UTC day with conversations), newest first. Paginate with next_cursor.",
      input: {
        start_date: z.string().optional().describe('YYYY-MM-DD, inclusive'),
        end_date: z.string().optional().describe('YYYY-MM-DD, inclusive'),
        limit: z.number().int().optional().describe('Page size, 1-100 (default 30)'),
        offset: z.number().int().optional().describe('Summaries to skip (not with cursor)'),
        cursor: z.string().optional().describe('next_cursor of the previous page (not with offset)'),
      },
      annotations: READ_ONLY,
    },
    async (args) => {
      const { offset, filters } = startPage('get_daily_summaries', args, { start_date: args.start_date, end_date: args.end_date });
      const limit = pageSize(args.limit, 30, MAX_PAGE);
      const start = parseDay(filters.start_date, 'start_date');
      const end = parseDay(filters.end_date, 'end_date');
      if (start && end && end < start) throw invalidArguments('end_date must not be before start_date');
      const rows = await ctx.services.dailySummaries.list(ctx.userId, {
        start_date: start,
        end_date: end,
        limit: Math.min(limit + 1, MAX_PAGE),
        offset,
      });
      // At the ceiling one more row cannot be asked for: a full page may have more after it.
      const hasMore = rows.length > limit || (limit === MAX_PAGE && rows.length === MAX_PAGE);
      const { rows: summaries, ...more } = pageOf('get_daily_summaries', rows, { offset, limit, filters }, hasMore);
      return { daily_summaries: summaries.map(presentDailySummary), returned_count: summaries.length, ...more, offset, limit };
    },
  );
}
