import type { Storage, UserDataTable } from '../../../storage/storage.ts';
import { importRecords, validateSection, type ImportRecord } from '../import.ts';
import { newer, type Checkpoint, type CheckpointStore } from './checkpoint.ts';
import { RemoteSourceError, type RemoteClient } from './client.ts';
import {
  actionItemRecord, conversationRecord, dailySummaryRecord, folderRecord, goalRecord, memoryRecord,
} from './mapping.ts';

type Wire = Record<string, unknown>;

/** How one kind is read from the Developer API. */
interface KindPlan {
  table: UserDataTable;
  /** Paged by limit/offset until an empty page; otherwise one request. */
  pageSize?: number;
  path(offset: number, since: string | null): string;
  /** The list inside a page's body. */
  items(body: unknown): unknown[] | undefined;
  /** The source timestamp that makes runs incremental (kept when ≥ since; the watermark is their newest). */
  stamp(item: Wire): string | null;
  /** Whether the route already filtered by `since` (the rest are filtered here). */
  filteredBySource?: boolean;
  toRecord(item: Wire, client: RemoteClient): Promise<ImportRecord> | ImportRecord;
}

const asArray = (body: unknown) => (Array.isArray(body) ? body : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const q = (params: Record<string, string | number | boolean | null>) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null).map(([k, v]): [string, string] => [k, String(v)])).toString();

/** The Developer API routes, in the writer's section order (folders before what links to them). */
export const KIND_PLANS: readonly KindPlan[] = [
  {
    table: 'folders', items: asArray, stamp: () => null,
    path: () => '/v1/dev/user/folders', toRecord: folderRecord,
  },
  {
    table: 'conversations', pageSize: 25, items: asArray, stamp: (c) => str(c.created_at), filteredBySource: true,
    path: (offset, since) => `/v1/dev/user/conversations?${q({ include_transcript: true, limit: 25, offset, start_date: since })}`,
    toRecord: conversationRecord,
  },
  {
    table: 'memories', pageSize: 1000, items: asArray, stamp: (m) => str(m.updated_at),
    path: (offset) => `/v1/dev/user/memories?${q({ limit: 1000, offset })}`, toRecord: memoryRecord,
  },
  {
    table: 'action_items', pageSize: 1000, items: asArray, stamp: (a) => str(a.updated_at),
    path: (offset) => `/v1/dev/user/action-items?${q({ limit: 1000, offset })}`, toRecord: actionItemRecord,
  },
  {
    table: 'goals', items: asArray, stamp: (g) => str(g.updated_at),
    path: () => `/v1/dev/user/goals?${q({ include_inactive: true, limit: 1000 })}`,
    toRecord: async (goal, client) => {
      const history = await client.getJson(`/v1/dev/user/goals/${encodeURIComponent(String(goal.id))}/history?days=365`);
      if (!Array.isArray(history)) throw new RemoteSourceError(`goal ${String(goal.id)}: its history is not a list`);
      return goalRecord(goal, history);
    },
  },
  {
    table: 'daily_summaries', pageSize: 100, stamp: (d) => str(d.updated_at),
    items: (body) => asArray(body) ?? asArray((body as { summaries?: unknown } | null)?.summaries),
    path: (offset, since) => `/v1/dev/user/daily-summaries?${q({ limit: 100, offset, start_date: since === null ? null : since.slice(0, 10) })}`,
    toRecord: dailySummaryRecord,
  },
];

export interface KindReport {
  /** Records written by this run. */
  records: number;
  /** Pages (requests of the kind's list route) fetched by this run. */
  pages: number;
  /** The since this run used (null: everything). */
  since: string | null;
  /** Whether the run resumed an unfinished one. */
  resumed: boolean;
}

export interface RemoteImportOptions {
  storage: Storage;
  userId: string;
  client: RemoteClient;
  checkpoints: CheckpointStore;
  /** Overrides the stored watermark. */
  since?: string | undefined;
  /** Told after each written page. */
  onProgress?: (table: UserDataTable, written: number) => void;
}

const atOrAfter = (stamp: string | null, since: string | null) =>
  since === null || stamp === null || !(Date.parse(stamp) < Date.parse(since));

async function readItems(plan: KindPlan, client: RemoteClient, offset: number, since: string | null): Promise<Wire[]> {
  const path = plan.path(offset, since);
  const items = plan.items(await client.getJson(path));
  if (items === undefined) throw new RemoteSourceError(`GET ${path}: expected a list of ${plan.table.replace('_', ' ')}, got another shape`);
  items.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item) || typeof (item as Wire).id !== 'string') {
      throw new RemoteSourceError(`GET ${path}: item ${offset + i} is not a ${plan.table.replace(/s$/, '').replace('_', ' ')} (no "id")`);
    }
  });
  return items as Wire[];
}

/** Brings one kind over, page by page, each page one transaction then a checkpoint. */
async function importKind(plan: KindPlan, options: RemoteImportOptions): Promise<KindReport> {
  const { client, checkpoints } = options;
  const saved = await checkpoints.load(plan.table);
  const resumed = saved.nextOffset !== null;
  const since = resumed ? saved.runSince : (options.since ?? saved.watermark);
  let state: Checkpoint = resumed ? saved : { nextOffset: 0, runSince: since, runNewest: null, watermark: saved.watermark };
  if (!resumed) await checkpoints.save(plan.table, state);
  const report: KindReport = { records: 0, pages: 0, since, resumed };
  let offset = state.nextOffset ?? 0;
  for (;;) {
    const items = await readItems(plan, client, offset, since);
    report.pages++;
    const wanted = plan.filteredBySource ? items : items.filter((item) => atOrAfter(plan.stamp(item), since));
    const records: ImportRecord[] = [];
    for (const item of wanted) records.push(await plan.toRecord(item, client));
    try {
      validateSection(plan.table, records);
    } catch (error) {
      throw new RemoteSourceError(`${plan.path(offset, since)}: ${(error as Error).message}`);
    }
    await importRecords(options.storage, options.userId, plan.table, records);
    report.records += records.length;
    options.onProgress?.(plan.table, report.records);
    const newest = items.reduce<string | null>((acc, item) => newer(acc, plan.stamp(item)), state.runNewest);
    offset += items.length;
    const done = plan.pageSize === undefined || items.length === 0;
    state = done
      ? { nextOffset: null, runSince: null, runNewest: null, watermark: newer(state.watermark, newest) }
      : { ...state, nextOffset: offset, runNewest: newest };
    await checkpoints.save(plan.table, state);
    if (done) return report;
  }
}

/** Every kind, in order; a failure leaves what was written and the checkpoints to resume from. */
export async function importFromRemote(options: RemoteImportOptions): Promise<Record<UserDataTable, KindReport>> {
  const reports = {} as Record<UserDataTable, KindReport>;
  for (const plan of KIND_PLANS) reports[plan.table] = await importKind(plan, options);
  return reports;
}
