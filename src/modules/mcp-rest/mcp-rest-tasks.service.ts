import { AppError, badRequest } from '../../lib/errors.ts';
import { actionItemsPage } from '../../mcp/tools/action-item-pages.ts';
import { pageSize, parseBound, parseDay, searchable } from '../../mcp/tools/arguments.ts';
import { invalidArguments, pageOf, startPage } from '../../mcp/tools/results.ts';
import type { Services } from '../../services.ts';
import type { ActionItem, ActionItemFeedPosition } from '../action-items/action-items.types.ts';
import type { DailySummary } from '../daily-summaries/daily-summaries.types.ts';
import type { Goal } from '../goals/goals.types.ts';
import type { ListMcpActionItemsQuery, ListMcpDailySummariesQuery } from './mcp-rest.schema.ts';
import { parseUpdatedSince, type RestPage } from './mcp-rest.service.ts';
import { asRest } from './rest-errors.ts';

const FEED_CURSOR = 'rest_get_action_items_sync';
/** More goals than anyone pursues at once. */
const MAX_GOALS = 1000;
/** The daily-summary service's own ceiling on page size. */
const MAX_SUMMARIES = 100;

const clampInt = (value: number | undefined, fallback: number, min: number, max: number) =>
  Math.min(max, Math.max(min, value ?? fallback));

/** The feed's continuation: the `updated_since` it was issued for and the last item it returned. */
function encodeFeedCursor(since: string, last: ActionItem): string {
  return Buffer.from(JSON.stringify({ t: FEED_CURSOR, s: since, u: last.updatedAt, i: last.id }), 'utf8').toString('base64url');
}

function decodeFeedCursor(cursor: string, since: string): ActionItemFeedPosition {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('Invalid cursor');
  }
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as { t?: unknown; s?: unknown; u?: unknown; i?: unknown };
  if (p.t !== FEED_CURSOR || typeof p.u !== 'string' || typeof p.i !== 'string') throw badRequest('Invalid cursor');
  if (p.s !== since) throw badRequest('cursor was issued for a different updated_since; pass the same value');
  return { updatedAt: p.u, id: p.i };
}

/**
 * The MCP REST routes' action items (argument errors of the item routes are 422s, as upstream), goals, daily
 * summaries, and the data this server does not keep (chat, people, screen activity).
 */
export class McpRestTasksService {
  constructor(private readonly services: Services) {}

  listActionItems(userId: string, q: ListMcpActionItemsQuery): Promise<RestPage<ActionItem>> {
    const limit = clampInt(q.limit, 100, 1, 500);
    const offset = Math.max(0, q.offset ?? 0);
    if (q.updated_since !== undefined) return this.actionItemsFeed(userId, q, limit, offset);
    // The list maps argument errors to 400 like the other lists; the item routes use 422.
    return asRest('bad_request', async () => {
      const { offset: from, filters } = startPage(
        'rest_get_action_items',
        { cursor: q.cursor, offset: offset || undefined },
        { completed: q.completed, due_start_date: q.due_start_date, due_end_date: q.due_end_date },
      );
      const rows = await actionItemsPage(this.services.actionItems, userId, {
        completed: filters.completed,
        dueFrom: parseBound(filters.due_start_date, 'due_start_date', false),
        dueTo: parseBound(filters.due_end_date, 'due_end_date', true),
        offset: from,
        limit,
      });
      const page = pageOf('rest_get_action_items', rows, { offset: from, limit, filters });
      return { rows: page.rows, nextCursor: page.next_cursor };
    });
  }

  /**
   * The incremental feed: every item updated at or after `updated_since`, oldest change first in
   * `(updated_at, id)` order, paged by cursor only. Deleted items leave no row (hard deletes).
   */
  private async actionItemsFeed(userId: string, q: ListMcpActionItemsQuery, limit: number, offset: number) {
    const since = parseUpdatedSince(q.updated_since!);
    if (q.completed !== undefined || q.due_start_date !== undefined || q.due_end_date !== undefined) {
      throw badRequest('completed/due-date filters are not supported with updated_since.');
    }
    if (offset !== 0) throw badRequest('offset is not supported with updated_since; use cursor.');
    const after = q.cursor === undefined ? undefined : decodeFeedCursor(q.cursor, q.updated_since!);
    const rows = await this.services.actionItems.listUpdatedSince(userId, { since, after, limit: limit + 1 });
    const kept = rows.slice(0, limit);
    const last = kept[kept.length - 1];
    return { rows: kept, nextCursor: rows.length > limit && last ? encodeFeedCursor(q.updated_since!, last) : undefined };
  }

  searchActionItems(userId: string, query: string, limit: number | undefined): Promise<ActionItem[]> {
    return asRest('unprocessable', async () => {
      if (!searchable(query)) return [];
      return this.services.actionItems.list(userId, { q: query, limit: pageSize(limit, 10, 50) });
    });
  }

  /** As the MCP tool: an identical retry returns the item it created before. */
  async createActionItem(userId: string, body: { description: string; due_at?: string | null | undefined; completed?: boolean | undefined }) {
    const { item } = await this.services.actionItems.createOnce(userId, {
      description: body.description,
      due_at: body.due_at ?? null,
      completed: body.completed ?? false,
    });
    return item;
  }

  completeActionItem(userId: string, id: string, completed: boolean | undefined): Promise<ActionItem> {
    return this.services.actionItems.update(userId, id, { completed: completed ?? true });
  }

  /** `due_at: null` clears the due date; an omitted field is left as it is. */
  updateActionItem(userId: string, id: string, body: { description?: string | null | undefined; due_at?: string | null | undefined }) {
    return this.services.actionItems.update(userId, id, { description: body.description, due_at: body.due_at });
  }

  deleteActionItem(userId: string, id: string): Promise<void> {
    return this.services.actionItems.delete(userId, id);
  }

  goals(userId: string, includeInactive: boolean | undefined): Promise<Goal[]> {
    return this.services.goals.list(userId, { limit: MAX_GOALS, include_inactive: includeInactive ?? false });
  }

  listDailySummaries(userId: string, q: ListMcpDailySummariesQuery): Promise<RestPage<DailySummary>> {
    return asRest('bad_request', async () => {
      const limit = clampInt(q.limit, 30, 1, MAX_SUMMARIES);
      const { offset, filters } = startPage(
        'rest_get_daily_summaries',
        { cursor: q.cursor, offset: q.offset ? Math.max(0, q.offset) : undefined },
        { start_date: q.start_date || undefined, end_date: q.end_date || undefined },
      );
      const start = parseDay(filters.start_date, 'start_date');
      const end = parseDay(filters.end_date, 'end_date');
      if (start && end && end < start) throw invalidArguments('end_date must not be before start_date');
      const rows = await this.services.dailySummaries.list(userId, {
        start_date: start,
        end_date: end,
        limit: Math.min(limit + 1, MAX_SUMMARIES),
        offset,
      });
      // At the ceiling one more row cannot be asked for: a full page may have more after it.
      const hasMore = rows.length > limit || (limit === MAX_SUMMARIES && rows.length === MAX_SUMMARIES);
      const page = pageOf('rest_get_daily_summaries', rows, { offset, limit, filters }, hasMore);
      return { rows: page.rows, nextCursor: page.next_cursor };
    });
  }

  /** A cursor these empty lists could have issued is one they never issue: any cursor is refused. */
  emptyList(cursor: string | undefined): never[] {
    if (cursor !== undefined) throw new AppError('bad_request', 'Invalid cursor');
    return [];
  }
}
