import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { kyselyStorage } from '../kysely-storage.ts';
import type { Database } from '../schema.ts';
import type { Storage } from '../storage.ts';
import { postgresKeywordIndex } from './keyword-index.ts';
import { migrationProvider } from './migrations/index.ts';

/**
 * PostgreSQL, for several instances sharing one database: a connection pool (10 connections by
 * default) serves concurrent requests, and migrations take Kysely's migration lock, so instances
 * starting together apply each migration once.
 */
export async function createPostgresStorage(url: string, options: { poolSize?: number } = {}): Promise<Storage> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // Keep the migration bookkeeping in the schema the tables go to (the first on search_path):
  // without it, a `kysely_migration` table in another schema of the same database is mistaken for ours.
  let schema: string;
  try {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    schema = rows[0]!.schema;
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return kyselyStorage(db, migrationProvider, { skipLocked: true, keywordIndex: postgresKeywordIndex }, { migrationTableSchema: schema });
}
