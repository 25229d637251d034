import { Migrator, sql, type Kysely, type MigrationProvider } from 'kysely';
import { createRepositories, type DialectCapabilities } from './repositories/index.ts';
import type { Database } from './schema.ts';
import type { Storage } from './storage.ts';

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
  const { error, results } = await new Migrator({ db, provider: migrations, ...options }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    ...createRepositories(db, capabilities),
    appliedMigrations: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    transaction: (work) => db.transaction().execute((trx) => work(createRepositories(trx, capabilities))),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
