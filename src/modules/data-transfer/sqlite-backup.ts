import { copyFile, mkdir, open, rename, rm } from 'node:fs/promises';
import { existsSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { COPIED_TABLES } from '../../storage/migrate-data.ts';

/**
 * Backup and restore of the embedded SQLite database. A backup is taken with SQLite's online
 * backup API (pages copied while the server keeps writing; a write committed before the backup
 * started is in the copy), into a temporary file that is verified and then renamed into place.
 * A restore verifies its source, refuses while any process has the target open, and swaps the
 * file in atomically.
 */

export class BackupError extends Error {
  override name = 'BackupError';
}

export interface VerifiedFile {
  path: string;
  integrity: 'ok';
  /** Rows per table of the schema. */
  tables: Record<string, number>;
}

/** Opens `path` read-only: `PRAGMA integrity_check` must answer ok; returns row counts per table. */
export function verifySqliteFile(path: string): VerifiedFile {
  if (!existsSync(path)) throw new BackupError(`no SQLite database at ${path}`);
  // A read-only connection to a WAL-mode file leaves -wal/-shm behind; remove the ones it made.
  const made = ['-wal', '-shm'].map((suffix) => `${path}${suffix}`).filter((file) => !existsSync(file));
  try {
    return inspect(path);
  } finally {
    for (const file of made) rmSync(file, { force: true });
  }
}

function inspect(path: string): VerifiedFile {
  let db: SQLite.Database;
  try {
    db = new SQLite(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`${path} cannot be opened as SQLite: ${(error as Error).message}`);
  }
  try {
    const result = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = result.map((r) => r.integrity_check).filter((text) => text !== 'ok');
    if (problems.length > 0) throw new BackupError(`${path} failed integrity_check: ${problems.slice(0, 3).join('; ')}`);
    const present = new Set((db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    const tables: Record<string, number> = {};
    for (const { name } of COPIED_TABLES) {
      if (!present.has(name)) throw new BackupError(`${path} is not an omi-dev-api database: table ${name} is missing`);
      tables[name] = (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n;
    }
    return { path, integrity: 'ok', tables };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${path} is not a readable SQLite database: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const tempBeside = (path: string) => join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);

/** An online backup of the database at `source` into `out`, verified before it is renamed into place. */
export async function backupSqlite(source: string, out: string): Promise<VerifiedFile> {
  if (!existsSync(source)) throw new BackupError(`no SQLite database at ${source}`);
  if (resolve(source) === resolve(out)) throw new BackupError('--out names the database itself');
  await mkdir(dirname(out), { recursive: true });
  const temp = tempBeside(out);
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(temp);
    // The copy is a file of its own: rollback-journal mode, so it travels as one file (the server
    // switches it back to WAL when it opens it).
    const copy = new SQLite(temp, { fileMustExist: true });
    copy.pragma('journal_mode = DELETE');
    copy.close();
  } catch (error) {
    await rm(temp, { force: true });
    throw new BackupError(`backup of ${source} failed: ${(error as Error).message}`);
  } finally {
    db.close();
  }
  try {
    const verified = verifySqliteFile(temp);
    await fsyncPath(temp);
    await rename(temp, out);
    await fsyncPath(dirname(out));
    return { ...verified, path: out };
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Throws unless no other connection has the database open: leaving WAL mode needs every other
 * connection closed (SQLITE_BUSY otherwise), so a running server, idle or not, is detected.
 */
function assertNotInUse(target: string): void {
  const db = new SQLite(target, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new BackupError(`${target} is in use (is the server running?); stop it before restoring`);
    }
    throw new BackupError(`${target}: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

/** Replaces the database at `target` with the verified file `from`: temp file, fsync, rename. */
export async function restoreSqlite(from: string, target: string): Promise<VerifiedFile> {
  if (resolve(from) === resolve(target)) throw new BackupError('--from names the database itself');
  const verified = verifySqliteFile(from);
  if (existsSync(target)) assertNotInUse(target);
  await mkdir(dirname(target), { recursive: true });
  const temp = tempBeside(target);
  try {
    await copyFile(from, temp);
    await fsyncPath(temp);
    // The old database's journal files must not be replayed into the new one.
    for (const suffix of ['-wal', '-shm', '-journal']) await rm(`${target}${suffix}`, { force: true });
    await rename(temp, target);
    await fsyncPath(dirname(target));
  } finally {
    await rm(temp, { force: true });
  }
  return { ...verified, path: target };
}
