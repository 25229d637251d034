import { Migrator, sql, type Kysely, type MigrationProvider } from 'kysely';
import { createRepositories, type DialectCapabilities } from './repositories/index.ts';
import type { VectorCodec } from './repositories/search.repo.ts';
import type { Database } from './schema.ts';
import type { Storage } from './storage.ts';

/** A migrated database as a bare Kysely instance, for work below the repositories (copying data between databases). */
export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  /** How this database's search_vectors.vector column holds a vector (the repositories use the same). */
  vectors: VectorCodec;
  /** The migrations this open applied (empty when the schema was already current). */
  appliedMigrations: readonly string[];
  close(): Promise<void>;
}

/** PostgreSQL's "schema does not exist" and "relation does not exist". */
const VANISHED = new Set(['3F000', '42P01']);
const isVanishedCatalogEntry = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && VANISHED.has(String((error as { code?: unknown }).code));

/**
 * Brings the schema up to date with the adapter's own migrations and returns the names of those
 * it applied. On failure the connection is closed and the error names the migration.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  migrations: MigrationProvider,
  options: { migrationTableSchema?: string } = {},
): Promise<string[]> {
  let { error, results } = await new Migrator({ db, provider: migrations, ...options }).migrateToLatest();
  // Kysely reads the catalog of every schema before migrating; a schema or table dropped by
  // someone else at that moment fails that bookkeeping read, not our migration: before any
  // migration has run (no results), read again.
  for (let retry = 0; retry < 3 && isVanishedCatalogEntry(error) && !results?.length; retry++) {
    ({ error, results } = await new Migrator({ db, provider: migrations, ...options }).migrateToLatest());
  }
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * What every SQL adapter shares once it has a Kysely instance: bring the schema up to date with
 * the adapter's own migrations, then serve the dialect-neutral repositories.
 */
export async function kyselyStorage(
  db: Kysely<Database>,
  migrations: MigrationProvider,
  capabilities: DialectCapabilities,
  options: { migrationTableSchema?: string } = {},
): Promise<Storage> {
  const appliedMigrations = await migrateToLatest(db, migrations, options);
  return {
    ...createRepositories(db, capabilities),
    appliedMigrations,
    transaction: (work) => db.transaction().execute((trx) => work(createRepositories(trx, capabilities))),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
