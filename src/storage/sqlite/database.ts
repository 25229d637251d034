import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { kyselyStorage, migrateToLatest, type OpenDatabase } from '../kysely-storage.ts';
import type { Database } from '../schema.ts';
import type { Storage } from '../storage.ts';
import { sqliteKeywordIndex } from './keyword-index.ts';
import { migrationProvider } from './migrations/index.ts';
import { blobVectors } from '../repositories/search.repo.ts';

/**
 * Kysely prepares every query it runs; preparing is a quarter of a short query's cost. The
 * repositories issue a small, fixed set of SQL texts, so prepared statements are kept by text
 * (bounded, in case a caller builds unusual ones). One connection runs one statement at a time.
 */
function withStatementCache(connection: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => connection.close(),
    prepare(sqlText: string) {
      let statement = statements.get(sqlText);
      if (!statement) {
        if (statements.size >= 500) statements.clear();
        statement = connection.prepare(sqlText);
        statements.set(sqlText, statement);
      }
      return statement;
    },
  };
}

/** `sqlite:<path>` → the file path (`:memory:` for an in-memory database). */
export function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length);
}

/**
 * The embedded default: one SQLite file in WAL mode. `synchronous=NORMAL` with WAL is durable
 * across a process crash (a power cut may lose the last transactions, never corrupt the file).
 */
function connectSqlite(url: string): Kysely<Database> {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const connection = new SQLite(path);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  // 32 MiB of page cache instead of SQLite's 2 MiB: the list index of a user with 100,000
  // memories (~15 MB) stays in memory, so a deep page is counted off in ~3 ms instead of ~8 ms.
  connection.pragma('cache_size = -32768');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(connection) }) });
}

export async function createSqliteStorage(url: string): Promise<Storage> {
  return kyselyStorage(connectSqlite(url), migrationProvider, { skipLocked: false, keywordIndex: sqliteKeywordIndex, vectors: blobVectors });
}

/** The same database, migrated the same way, as a bare Kysely instance. */
export async function openSqliteDatabase(url: string): Promise<OpenDatabase> {
  const db = connectSqlite(url);
  const appliedMigrations = await migrateToLatest(db, migrationProvider);
  return { db, dialect: 'sqlite', vectors: blobVectors, appliedMigrations, close: () => db.destroy() };
}
