import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { kyselyStorage, migrateToLatest, type OpenDatabase } from '../kysely-storage.ts';
import type { Database } from '../schema.ts';
import type { Storage } from '../storage.ts';
import { postgresKeywordIndex } from './keyword-index.ts';
import { migrationProvider } from './migrations/index.ts';
import { arrayVectors } from '../repositories/search.repo.ts';

/**
 * PostgreSQL, for several instances sharing one database: a connection pool (10 connections by
 * default) serves concurrent requests, and migrations take Kysely's migration lock, so instances
 * starting together apply each migration once.
 */
async function connectPostgres(url: string, poolSize: number): Promise<{ db: Kysely<Database>; schema: string; pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // Keep the migration bookkeeping in the schema the tables go to (the first on search_path):
  // without it, a `kysely_migration` table in another schema of the same database is mistaken for ours.
  try {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    return { db, schema: rows[0]!.schema, pool };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

export async function createPostgresStorage(url: string, options: { poolSize?: number } = {}): Promise<Storage> {
  const { db, schema, pool } = await connectPostgres(url, options.poolSize ?? 10);
  const storage = await kyselyStorage(db, migrationProvider, { skipLocked: true, keywordIndex: postgresKeywordIndex, vectors: arrayVectors }, { migrationTableSchema: schema });
  // Read by /metrics at scrape time.
  return { ...storage, poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }) };
}

/** The same database, migrated the same way, as a bare Kysely instance. */
export async function openPostgresDatabase(url: string, options: { poolSize?: number } = {}): Promise<OpenDatabase> {
  const { db, schema } = await connectPostgres(url, options.poolSize ?? 10);
  const appliedMigrations = await migrateToLatest(db, migrationProvider, { migrationTableSchema: schema });
  return { db, dialect: 'postgres', vectors: arrayVectors, appliedMigrations, close: () => db.destroy() };
}
