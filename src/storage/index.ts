import type { OpenDatabase } from './kysely-storage.ts';
import { createSqliteStorage, openSqliteDatabase } from './sqlite/database.ts';
import type { Storage } from './storage.ts';
import { explainOpenError } from './database-url.ts';

export type { OpenDatabase } from './kysely-storage.ts';
export { DatabaseUnavailableError, describeDatabase } from './database-url.ts';

export interface StorageOptions {
  /** PostgreSQL connections this process may hold (OMI_DATABASE_POOL_SIZE); SQLite uses one. */
  poolSize?: number;
}

/** Opens the database named by OMI_DATABASE_URL and brings its schema up to date. */
export async function openStorage(databaseUrl: string, options: StorageOptions = {}): Promise<Storage> {
  try {
    if (databaseUrl.startsWith('sqlite:')) return await createSqliteStorage(databaseUrl);
    // Loaded only when asked for: the embedded default starts without the PostgreSQL driver.
    const { createPostgresStorage } = await import('./postgres/database.ts');
    return await createPostgresStorage(databaseUrl, options);
  } catch (error) {
    throw explainOpenError(databaseUrl, error);
  }
}

/**
 * Opens the same database as `openStorage`, migrated the same way, as a bare Kysely instance
 * (for work across whole tables, such as copying one database into another).
 */
export async function openDatabase(databaseUrl: string, options: StorageOptions = {}): Promise<OpenDatabase> {
  try {
    if (databaseUrl.startsWith('sqlite:')) return await openSqliteDatabase(databaseUrl);
    const { openPostgresDatabase } = await import('./postgres/database.ts');
    return await openPostgresDatabase(databaseUrl, options);
  } catch (error) {
    throw explainOpenError(databaseUrl, error);
  }
}
