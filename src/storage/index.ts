import { createPostgresStorage } from './postgres/database.ts';
import { createSqliteStorage } from './sqlite/database.ts';
import type { Storage } from './storage.ts';

/** Opens the database named by OMI_DATABASE_URL and brings its schema up to date. */
export async function openStorage(databaseUrl: string): Promise<Storage> {
  if (databaseUrl.startsWith('sqlite:')) return createSqliteStorage(databaseUrl);
  return createPostgresStorage(databaseUrl);
}
