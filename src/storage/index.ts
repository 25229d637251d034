import { createSqliteStorage } from './sqlite/database.ts';
import type { Storage } from './storage.ts';

/** Opens the database named by OMI_DATABASE_URL and brings its schema up to date. */
export async function openStorage(databaseUrl: string): Promise<Storage> {
  if (databaseUrl.startsWith('sqlite:')) return createSqliteStorage(databaseUrl);
  throw new Error('PostgreSQL storage is not available in this version; use OMI_DATABASE_URL=sqlite:<path>');
}
