import type { MemoriesService } from '../../modules/memories/memories.service.ts';
import type { Memory } from '../../modules/memories/memories.types.ts';

/** The orders a memory listing may ask for (the MCP tool and the MCP REST list alike). */
export const MEMORY_SORTS = ['scoring_desc', 'created_desc', 'updated_desc', 'manual_first'] as const;
export type MemorySort = (typeof MEMORY_SORTS)[number];

/** Memories read per step when a sort or filter the database cannot apply is asked for. */
const SCAN_PAGE = 1000;

const newestFirst = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
const ORDER: Record<MemorySort, ((a: Memory, b: Memory) => number) | undefined> = {
  scoring_desc: undefined, // the stored order
  created_desc: (a, b) => newestFirst(a.createdAt, b.createdAt) || (a.id < b.id ? -1 : 1),
  updated_desc: (a, b) => newestFirst(a.updatedAt, b.updatedAt) || (a.id < b.id ? -1 : 1),
  manual_first: (a, b) => Number(b.manuallyAdded) - Number(a.manuallyAdded) || newestFirst(a.createdAt, b.createdAt),
};

export interface MemoryPageQuery {
  sort: MemorySort;
  /** Comma-separated categories, already checked. */
  categories?: string | undefined;
  reviewed?: boolean | undefined;
  manuallyAdded?: boolean | undefined;
  /** A stored UTC timestamp: only memories updated after it. */
  updatedAfter?: string | undefined;
  offset: number;
  limit: number;
  /** How many memories a sorted or filtered listing reads at most. */
  maxScan: number;
}

export interface MemoryPage {
  /** Up to `limit + 1` memories from `offset`: one more than asked tells the caller there are more. */
  rows: Memory[];
  /** Set when the listing had to read the memories itself: how many it read and whether it hit `maxScan`. */
  scan?: { count: number; truncated: boolean };
}

/**
 * One page of a user's memories in the asked order. The stored order with no filter is one query;
 * anything else reads up to `maxScan` memories and sorts and filters them here.
 */
export async function memoriesPage(memories: MemoriesService, userId: string, q: MemoryPageQuery): Promise<MemoryPage> {
  const { categories, offset, limit } = q;
  const simple = q.sort === 'scoring_desc' && q.reviewed === undefined && q.manuallyAdded === undefined && !q.updatedAfter;
  if (simple) return { rows: await memories.list(userId, { limit: limit + 1, offset, categories }) };

  const all: Memory[] = [];
  let truncated = false;
  for (;;) {
    const rows = await memories.list(userId, { limit: SCAN_PAGE, offset: all.length, categories });
    all.push(...rows);
    if (rows.length < SCAN_PAGE) break;
    if (all.length >= q.maxScan) {
      truncated = true;
      break;
    }
  }
  const matching = all.filter(
    (m) =>
      (q.reviewed === undefined || m.reviewed === q.reviewed) &&
      (q.manuallyAdded === undefined || m.manuallyAdded === q.manuallyAdded) &&
      (q.updatedAfter === undefined || m.updatedAt > q.updatedAfter),
  );
  const order = ORDER[q.sort];
  if (order) matching.sort(order);
  return { rows: matching.slice(offset, offset + limit + 1), scan: { count: all.length, truncated } };
}
