import type { ActionItemsService } from '../../modules/action-items/action-items.service.ts';
import type { ActionItem } from '../../modules/action-items/action-items.types.ts';

/** Items read per step, and at most, when filtering by due date (which the database query cannot). */
const SCAN_PAGE = 1000;
const SCAN_CAP = 10_000;

export interface ActionItemPageQuery {
  completed?: boolean | undefined;
  /** Stored UTC timestamps: only items due within [dueFrom, dueTo]. */
  dueFrom?: string | undefined;
  dueTo?: string | undefined;
  offset: number;
  limit: number;
}

/**
 * Up to `limit + 1` of a user's action items from `offset`, in the list's active-first order (one
 * more than asked tells the caller there are more). With a due-date window the items are read
 * and filtered here, up to SCAN_CAP of them.
 */
export async function actionItemsPage(actionItems: ActionItemsService, userId: string, q: ActionItemPageQuery): Promise<ActionItem[]> {
  const { completed, dueFrom: from, dueTo: to, offset, limit } = q;
  if (from === undefined && to === undefined) return actionItems.list(userId, { completed, limit: limit + 1, offset });
  const all: ActionItem[] = [];
  for (;;) {
    const rows = await actionItems.list(userId, { completed, limit: SCAN_PAGE, offset: all.length });
    all.push(...rows);
    if (rows.length < SCAN_PAGE || all.length >= SCAN_CAP) break;
  }
  const due = all.filter(
    (item) => item.dueAt !== null && (from === undefined || item.dueAt >= from) && (to === undefined || item.dueAt <= to),
  );
  return due.slice(offset, offset + limit + 1);
}
