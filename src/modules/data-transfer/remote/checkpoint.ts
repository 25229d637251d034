import type { Kysely } from 'kysely';

/** Where one (account, source, kind) stands; see migration 0009-import-checkpoints. */
export interface Checkpoint {
  /** The next page's offset of an unfinished run; null when the last run finished. */
  nextOffset: number | null;
  /** The `since` of the unfinished run (a resumed run keeps it). */
  runSince: string | null;
  /** The newest source timestamp the unfinished run has seen so far. */
  runNewest: string | null;
  /** The newest source timestamp seen by the last finished run. */
  watermark: string | null;
}

interface CheckpointTable {
  user_id: string;
  source: string;
  kind: string;
  next_offset: number | null;
  run_since: string | null;
  run_newest: string | null;
  watermark: string | null;
  updated_at: string;
}

type Db = Kysely<{ import_checkpoints: CheckpointTable }>;

export const EMPTY_CHECKPOINT: Checkpoint = { nextOffset: null, runSince: null, runNewest: null, watermark: null };

/** The checkpoints of one account and source, on the import's own connection (written after each committed batch). */
export class CheckpointStore {
  private readonly db: Db;

  constructor(db: Kysely<never>, private readonly userId: string, private readonly source: string) {
    this.db = db as unknown as Db;
  }

  async load(kind: string): Promise<Checkpoint> {
    const row = await this.db
      .selectFrom('import_checkpoints')
      .selectAll()
      .where('user_id', '=', this.userId)
      .where('source', '=', this.source)
      .where('kind', '=', kind)
      .executeTakeFirst();
    if (!row) return EMPTY_CHECKPOINT;
    return {
      nextOffset: row.next_offset === null ? null : Number(row.next_offset),
      runSince: row.run_since,
      runNewest: row.run_newest,
      watermark: row.watermark,
    };
  }

  async save(kind: string, checkpoint: Checkpoint): Promise<void> {
    const values = {
      next_offset: checkpoint.nextOffset,
      run_since: checkpoint.runSince,
      run_newest: checkpoint.runNewest,
      watermark: checkpoint.watermark,
      updated_at: new Date().toISOString(),
    };
    await this.db
      .insertInto('import_checkpoints')
      .values({ user_id: this.userId, source: this.source, kind, ...values })
      .onConflict((oc) => oc.columns(['user_id', 'source', 'kind']).doUpdateSet(values))
      .execute();
  }
}

/** The later of two ISO timestamps (either may be null). */
export const newer = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : Date.parse(b) > Date.parse(a) ? b : a;
