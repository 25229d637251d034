import { derivedAutoId } from '../../lib/ids.ts';
import type { GoalHistoryRow, Storage, UserDataTable } from '../../storage/storage.ts';
import { decodeRecord, EXPORT_FORMAT, EXPORT_VERSION, recordProblem, SECTIONS } from './export-format.ts';

/** Records written per transaction. */
export const IMPORT_BATCH_SIZE = 500;

/** An export document that cannot be imported; its message names what is wrong and where. */
export class ImportValidationError extends Error {
  override name = 'ImportValidationError';
}

export type ImportRecord = Record<string, unknown>;

export interface SectionReport {
  /** Records in the document's section. */
  records: number;
  /** Records whose id belonged to another account on this server and were given an id derived from it. */
  renamed: number;
}

export type ImportReport = Record<UserDataTable, SectionReport>;

const describeRecord = (table: string, index: number, record: unknown): string => {
  const id = typeof record === 'object' && record !== null ? (record as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? `${table}[${index}] (id "${id}")` : `${table}[${index}]`;
};

function historyProblem(history: unknown): string | undefined {
  if (!Array.isArray(history)) return 'has "history" that is not a list';
  for (const [i, entry] of history.entries()) {
    const e = entry as Partial<GoalHistoryRow> | null;
    if (typeof e !== 'object' || e === null || typeof e.value !== 'number' || !Number.isFinite(e.value)) {
      return `has history[${i}] without a numeric "value"`;
    }
    if (typeof e.recorded_at !== 'string' || Number.isNaN(Date.parse(e.recorded_at))) return `has history[${i}] without a "recorded_at" timestamp`;
  }
  return undefined;
}

/** Checks one section's records; throws naming the first bad record. */
export function validateSection(table: UserDataTable, records: unknown): asserts records is ImportRecord[] {
  if (!Array.isArray(records)) throw new ImportValidationError(`"${table}" is not a list`);
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const problem = recordProblem(table, record) ?? (table === 'goals' ? historyProblem((record as ImportRecord).history) : undefined);
    if (problem) throw new ImportValidationError(`${describeRecord(table, index, record)} ${problem}`);
    const id = (record as ImportRecord).id as string;
    if (seen.has(id)) throw new ImportValidationError(`${describeRecord(table, index, record)} repeats an id`);
    seen.add(id);
    if (table === 'daily_summaries') {
      const day = `date:${String((record as ImportRecord).date)}`;
      if (seen.has(day)) throw new ImportValidationError(`${describeRecord(table, index, record)} repeats a date`);
      seen.add(day);
    }
  });
}

/** Checks a whole export document before anything is written. */
export function validateDocument(document: unknown): Record<UserDataTable, ImportRecord[]> {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ImportValidationError('not an export document: expected a JSON object');
  }
  const doc = document as Record<string, unknown>;
  if (doc.format !== EXPORT_FORMAT) {
    throw new ImportValidationError(`not an export document: "format" is ${JSON.stringify(doc.format)}, expected "${EXPORT_FORMAT}"`);
  }
  if (typeof doc.version !== 'number' || !Number.isInteger(doc.version) || doc.version < 1) {
    throw new ImportValidationError(`"version" must be a positive integer, got ${JSON.stringify(doc.version)}`);
  }
  if (doc.version > EXPORT_VERSION) {
    throw new ImportValidationError(`export version ${doc.version} is newer than this server reads (${EXPORT_VERSION}); upgrade first`);
  }
  const sections = {} as Record<UserDataTable, ImportRecord[]>;
  for (const table of SECTIONS) {
    const records = doc[table] ?? [];
    validateSection(table, records);
    sections[table] = records;
  }
  return sections;
}

/**
 * Writes validated records into the account, a transaction per batch, as upserts keyed by the
 * records' own ids: the same records again change nothing. Ids that are per account are kept;
 * where an id is global (action items, goals) and already names another account's row, the record
 * gets an id derived from the account and that id, the same on every run.
 */
export async function importRecords(
  storage: Storage,
  userId: string,
  table: UserDataTable,
  records: ImportRecord[],
  batchSize = IMPORT_BATCH_SIZE,
): Promise<SectionReport> {
  let renamed = 0;
  for (let start = 0; start < records.length; start += batchSize) {
    const batch = records.slice(start, start + batchSize);
    await storage.transaction(async (tx) => {
      const foreign = await tx.userData.foreignIds(userId, table, batch.map((r) => r.id as string));
      renamed += foreign.size;
      const rows = batch.map((record) => {
        const row = decodeRecord(table, record);
        if (foreign.has(row.id as string)) row.id = derivedAutoId('import', userId, table, row.id as string);
        return row;
      });
      await tx.userData.upsert(userId, table, rows);
      if (table === 'goals') {
        for (const [i, record] of batch.entries()) {
          await tx.userData.replaceGoalHistory(userId, rows[i]!.id as string, record.history as GoalHistoryRow[]);
        }
      }
    });
  }
  return { records: records.length, renamed };
}

/** Validates a whole export document, then writes every section into the account. */
export async function importDocument(storage: Storage, userId: string, document: unknown): Promise<ImportReport> {
  const sections = validateDocument(document);
  const report = {} as ImportReport;
  for (const table of SECTIONS) report[table] = await importRecords(storage, userId, table, sections[table]);
  return report;
}
