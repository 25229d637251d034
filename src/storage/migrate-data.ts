import { createHash, type Hash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { OpenDatabase } from './kysely-storage.ts';
import type { Database, StoredVectorValue } from './schema.ts';

/**
 * Copying every table of one database into another (SQLite → PostgreSQL typically, any pair
 * the adapters support), then proving the copy: row counts and a checksum per table.
 *
 * Each table is read in primary-key order, a batch at a time (keyset pagination: every batch
 * starts after the last key of the one before, so reading is linear however large the table),
 * and each batch is inserted in one transaction with ON CONFLICT (primary key) DO NOTHING. A copy
 * that was interrupted is therefore resumed by running it again: rows already there are skipped,
 * none is duplicated. Memory holds one batch per side.
 *
 * Both adapters store the same encodings (text timestamps, 0/1 integers, JSON text, doubles), so
 * values pass through as the drivers return them; the one exception is an embedding, which each
 * database holds its own way (a float32 BLOB, a `real[]`): it is decoded from the source's form
 * and encoded in the target's.
 *
 * Not copied: the keyword index and the memory-list counters (the target's triggers index and
 * count every row as it is inserted) and the migration bookkeeping (each side is migrated by its
 * own adapter before the copy).
 */

type Column<T extends keyof Database> = keyof Database[T] & string;

interface TableSpec<T extends keyof Database> {
  /** The primary key, in its declared order (the order rows are read and checksummed in). */
  primaryKey: readonly Column<T>[];
  /** Integer and double columns: a driver may return them as strings (numeric, bigint), so they are compared as numbers. */
  numeric: readonly Column<T>[];
  /** An integer key filled by a sequence on PostgreSQL: moved past the copied ids afterwards. */
  serial?: Column<T>;
  /** An embedding, held as each database's VectorCodec says: copied and compared as float32 values. */
  vector?: Column<T>;
}

/**
 * Tables the target's own triggers fill as the copied rows arrive: not copied, not compared (the
 * counts they hold depend on how the rows were written, not on what the rows are).
 */
type DerivedTable = 'memory_list_generations';

/**
 * Every table, in copy order: parents before children, as the foreign keys require. The type
 * requires an entry for every table of the schema but the derived ones, so a new table cannot be
 * forgotten here.
 */
const TABLES: { [T in Exclude<keyof Database, DerivedTable>]: TableSpec<T> } = {
  users: { primaryKey: ['id'], numeric: [] },
  sessions: { primaryKey: ['id'], numeric: [] },
  api_keys: { primaryKey: ['id'], numeric: [] },
  memories: { primaryKey: ['user_id', 'id'], numeric: ['manually_added', 'reviewed', 'user_review', 'edited'] },
  action_items: { primaryKey: ['id'], numeric: ['completed'] },
  goals: { primaryKey: ['id'], numeric: ['focus_rank', 'metric_current', 'metric_target', 'metric_min', 'metric_max'] },
  goal_history: { primaryKey: ['id'], numeric: ['id', 'value'], serial: 'id' },
  conversations: { primaryKey: ['user_id', 'id'], numeric: ['discarded', 'starred'] },
  folders: { primaryKey: ['user_id', 'id'], numeric: ['position', 'is_default', 'is_system'] },
  daily_summaries: { primaryKey: ['user_id', 'id'], numeric: [] },
  jobs: { primaryKey: ['id'], numeric: ['attempts', 'max_attempts'] },
  search_vectors: { primaryKey: ['user_id', 'kind', 'ref_id'], numeric: ['dims'], vector: 'vector' },
  search_vector_generations: { primaryKey: ['user_id'], numeric: ['generation'] },
  mcp_sessions: { primaryKey: ['id'], numeric: [] },
  oauth_clients: { primaryKey: ['id'], numeric: [] },
  oauth_grants: { primaryKey: ['id'], numeric: [] },
  oauth_codes: { primaryKey: ['code_hash'], numeric: [] },
  oauth_tokens: { primaryKey: ['token_hash'], numeric: [] },
  receiver_tokens: { primaryKey: ['user_id'], numeric: [] },
  receiver_inbox: { primaryKey: ['id'], numeric: [] },
  receiver_segments: { primaryKey: ['user_id', 'segment_id'], numeric: ['seq'] },
};

export interface CopiedTable {
  name: keyof Database;
  primaryKey: readonly string[];
  numeric: readonly string[];
  serial?: string;
  vector?: string;
}

/** The tables `migrateData` copies, in order. */
export const COPIED_TABLES: readonly CopiedTable[] = (Object.keys(TABLES) as (keyof typeof TABLES)[]).map((name) => ({
  name,
  ...TABLES[name],
}));

export const DEFAULT_BATCH_SIZE = 1000;

/**
 * Bound parameters per INSERT statement, under SQLite's limit (32,766) and PostgreSQL's (65,535):
 * a batch of wide rows is written in several statements, in the batch's one transaction.
 */
const MAX_PARAMETERS = 30_000;

export interface TableReport {
  name: string;
  /** Rows in the source table. */
  source: number;
  /** Rows this run inserted into the target (0 for a table copied before). */
  copied: number;
  /** Rows in the target table afterwards. */
  target: number;
  checksum: 'ok';
}

export interface BatchProgress {
  table: string;
  /** Source rows read so far for this table. */
  read: number;
  /** Rows inserted so far for this table. */
  copied: number;
}

export interface MigrateDataOptions {
  /** Rows read and inserted per transaction (default 1000). */
  batchSize?: number;
  /** Called after each batch has been committed on the target. */
  onBatch?: (progress: BatchProgress) => void | Promise<void>;
  /** Called once a table has been copied and verified. */
  onTable?: (report: TableReport) => void;
}

/** The target's table does not hold exactly the source's rows. */
export class DataMismatchError extends Error {
  override name = 'DataMismatchError';

  constructor(
    readonly table: string,
    readonly counts: { source: number; target: number },
  ) {
    super(
      counts.source === counts.target
        ? `${table}: the target does not match the source (${counts.source} rows on each side, checksums differ)`
        : `${table}: the target does not match the source (${counts.source} rows in source, ${counts.target} in target)`,
    );
  }
}

type Row = Record<string, unknown>;
/** The tables seen without their column types: rows pass through as the driver returns them. */
type Untyped = Kysely<Record<string, Row>>;

const isText = (table: CopiedTable, column: string) => !table.numeric.includes(column);

/**
 * A key column as it is ordered and compared. Text keys order by bytes on both sides: SQLite's
 * BINARY collation, PostgreSQL's "C" (most key columns are declared with it, which keeps their
 * index usable; the rest are ordered the same way regardless of the database's locale).
 */
function keyColumn(side: OpenDatabase, table: CopiedTable, column: string): RawBuilder<unknown> {
  return side.dialect === 'postgres' && isText(table, column) ? sql`${sql.ref(column)} collate "C"` : sql`${sql.ref(column)}`;
}

/** The table's rows in primary-key order, one batch at a time; an embedding is read as a Float32Array. */
async function* batches(side: OpenDatabase, table: CopiedTable, batchSize: number): AsyncGenerator<Row[]> {
  const keys = sql.join(table.primaryKey.map((column) => keyColumn(side, table, column)));
  let after: unknown[] | undefined;
  for (;;) {
    const where = after ? sql`where (${keys}) > (${sql.join(after)})` : sql``;
    const { rows } = await sql<Row>`select * from ${sql.table(table.name)} ${where} order by ${keys} limit ${batchSize}`.execute(side.db);
    if (rows.length === 0) return;
    const { vector } = table;
    if (vector) for (const row of rows) row[vector] = side.vectors.decode(row[vector] as StoredVectorValue);
    yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = table.primaryKey.map((column) => last[column]);
  }
}

/** A value as both databases agree on it: numbers as numbers, bytes (and float32 vectors) as base64. */
function canonicalValue(table: CopiedTable, column: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (table.numeric.includes(column)) return Number(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** The row as JSON with its columns in name order. */
function canonicalRow(table: CopiedTable, row: Row): string {
  const canonical: Row = {};
  for (const column of Object.keys(row).sort()) canonical[column] = canonicalValue(table, column, row[column]);
  return JSON.stringify(canonical);
}

/** A running count and SHA-256 over canonical rows, fed in primary-key order. */
class TableDigest {
  rows = 0;
  private readonly hash: Hash = createHash('sha256');

  constructor(private readonly table: CopiedTable) {}

  add(rows: Row[]): void {
    for (const row of rows) this.hash.update(`${canonicalRow(this.table, row)}\n`);
    this.rows += rows.length;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Row count and checksum of one table, streamed in primary-key order. */
export async function tableChecksum(
  side: OpenDatabase,
  table: CopiedTable,
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<{ rows: number; sha256: string }> {
  const digest = new TableDigest(table);
  for await (const rows of batches(side, table, batchSize)) digest.add(rows);
  return { rows: digest.rows, sha256: digest.digest() };
}

/** Inserts the rows in one transaction, skipping keys the target already has; returns how many it inserted. */
async function insertBatch(target: OpenDatabase, table: CopiedTable, batch: Row[]): Promise<number> {
  const { vector } = table;
  const rows = vector ? batch.map((row) => ({ ...row, [vector]: target.vectors.encode(row[vector] as Float32Array) })) : batch;
  const columns = Object.keys(rows[0]!).length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns));
  return (target.db as unknown as Untyped).transaction().execute(async (trx) => {
    let inserted = 0;
    for (let start = 0; start < rows.length; start += perStatement) {
      const result = await trx
        .insertInto(table.name)
        .values(rows.slice(start, start + perStatement))
        .onConflict((conflict) => conflict.columns([...table.primaryKey]).doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return inserted;
  });
}

/** PostgreSQL hands out the next id from a sequence: it must start past the ids copied in. */
async function advanceSequence(target: OpenDatabase, table: CopiedTable): Promise<void> {
  if (target.dialect !== 'postgres' || !table.serial) return;
  await sql`select setval(pg_get_serial_sequence(${table.name}, ${table.serial}),
    (select coalesce(max(${sql.ref(table.serial)}), 0) + 1 from ${sql.table(table.name)}), false)`.execute(target.db);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');

/**
 * Copies one table and checks it: the source is checksummed as it is read for the copy, then the
 * target is read back the same way. Throws DataMismatchError when they differ.
 */
export async function copyTable(
  source: OpenDatabase,
  target: OpenDatabase,
  table: CopiedTable,
  options: MigrateDataOptions = {},
): Promise<TableReport> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const sourceDigest = new TableDigest(table);
  let copied = 0;
  for await (const rows of batches(source, table, batchSize)) {
    sourceDigest.add(rows);
    try {
      copied += await insertBatch(target, table, rows);
    } catch (error) {
      throw new Error(`${table.name}: copying failed: ${messageOf(error)}`, { cause: error });
    }
    await options.onBatch?.({ table: table.name, read: sourceDigest.rows, copied });
  }
  await advanceSequence(target, table);
  const targetSum = await tableChecksum(target, table, batchSize);
  const counts = { source: sourceDigest.rows, target: targetSum.rows };
  if (counts.source !== counts.target || sourceDigest.digest() !== targetSum.sha256) throw new DataMismatchError(table.name, counts);
  return { name: table.name, source: counts.source, copied, target: counts.target, checksum: 'ok' };
}

/**
 * Copies every table of `source` into `target` (both open and migrated), parents first, verifying
 * each before the next. Stops at the first table that fails; running it again resumes.
 */
export async function migrateData(source: OpenDatabase, target: OpenDatabase, options: MigrateDataOptions = {}): Promise<TableReport[]> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const reports: TableReport[] = [];
  for (const table of COPIED_TABLES) {
    const report = await copyTable(source, target, table, { ...options, batchSize });
    reports.push(report);
    options.onTable?.(report);
  }
  // Fresh statistics, or PostgreSQL's planner may walk a user's rows instead of the search index.
  if (target.dialect === 'postgres') await sql`analyze`.execute(target.db);
  return reports;
}
