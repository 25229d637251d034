import type { User } from '../accounts/accounts.types.ts';
import type { Storage, UserDataTable } from '../../storage/storage.ts';
import { encodeRow, EXPORT_FORMAT, EXPORT_VERSION, SECTIONS } from './export-format.ts';

/** Rows read per query: memory holds one page, whatever the account's size. */
export const EXPORT_PAGE_SIZE = 200;

export type ExportRecord = Record<string, unknown>;

/** One section's records, a page at a time (keyset reads in id order); goals carry their history. */
export async function* sectionRecords(
  storage: Storage,
  userId: string,
  table: UserDataTable,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<ExportRecord[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await storage.userData.page(userId, table, after, pageSize);
    if (rows.length === 0) return;
    after = String(rows.at(-1)!.id);
    const records = rows.map((row) => encodeRow(table, row));
    if (table === 'goals') {
      const history = await storage.userData.goalHistory(userId, records.map((r) => String(r.id)));
      for (const record of records) {
        record.history = history
          .filter((h) => h.goal_id === record.id)
          .map((h) => ({ value: Number(h.value), recorded_at: h.recorded_at }));
      }
    }
    yield records;
    if (rows.length < pageSize) return;
  }
}

/** The account section: the profile, never the password hash or any key. */
export const accountSection = (user: User) => ({ id: user.id, email: user.email, name: user.name, created_at: user.createdAt });

/**
 * The export document as text chunks, written as it is read: the header, then each section a
 * page at a time, so a large account never sits in memory whole.
 */
export async function* exportJsonChunks(
  storage: Storage,
  user: User,
  now: Date,
  options: { pageSize?: number; counts?: Partial<Record<UserDataTable, number>> } = {},
): AsyncGenerator<string> {
  const { pageSize = EXPORT_PAGE_SIZE, counts = {} } = options;
  const header = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exported_at: now.toISOString(), account: accountSection(user) };
  yield JSON.stringify(header).slice(0, -1);
  for (const table of SECTIONS) {
    yield `,\n${JSON.stringify(table)}: [`;
    let first = true;
    counts[table] = 0;
    for await (const records of sectionRecords(storage, user.id, table, pageSize)) {
      yield (first ? '\n' : ',\n') + records.map((r) => JSON.stringify(r)).join(',\n');
      first = false;
      counts[table] += records.length;
    }
    yield first ? ']' : '\n]';
  }
  yield '\n}\n';
}
