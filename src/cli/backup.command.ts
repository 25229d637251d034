import { resolve } from 'node:path';
import type { Command } from 'commander';
import { backupSqlite, restoreSqlite, type VerifiedFile } from '../modules/data-transfer/sqlite-backup.ts';
import { sqlitePath } from '../storage/sqlite/database.ts';
import { CliError, type CliContext } from './context.ts';

interface FileOptions {
  json?: boolean;
}

/** The SQLite file OMI_DATABASE_URL names; PostgreSQL has its own tools. */
function databaseFile(ctx: CliContext, command: 'backup' | 'restore'): string {
  const url = ctx.loadConfig().databaseUrl;
  if (!url.startsWith('sqlite:')) {
    const tool = command === 'backup' ? 'pg_dump -Fc' : 'pg_restore';
    throw new CliError(`${command} works on the SQLite database only; for PostgreSQL use ${tool} (see docs/DEPLOYMENT.md)`);
  }
  const path = sqlitePath(url);
  if (path === ':memory:') throw new CliError(`${command}: OMI_DATABASE_URL is an in-memory database; there is no file`);
  return resolve(path);
}

function report(ctx: CliContext, verb: string, result: VerifiedFile, json: boolean | undefined): void {
  if (json) return ctx.printJson({ path: result.path, integrity: result.integrity, tables: result.tables });
  ctx.print(`${verb} ${result.path}: integrity_check ok`);
  for (const [name, rows] of Object.entries(result.tables)) ctx.print(`  ${name}: ${rows}`);
}

async function run(work: () => Promise<VerifiedFile>): Promise<VerifiedFile> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error && error.name === 'BackupError') throw new CliError(error.message);
    throw error;
  }
}

export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .summary('a verified copy of the SQLite database, taken while the server runs')
    .description(
      'copy the SQLite database of OMI_DATABASE_URL with SQLite\'s online backup (the server may keep running ' +
        'and writing), then open the copy read-only, check PRAGMA integrity_check and print row counts per table. ' +
        'PostgreSQL: use pg_dump',
    )
    .requiredOption('--out <file>', 'where to write the copy (replaced atomically once verified)')
    .option('--json', 'print {"path","integrity","tables":{"<table>":rows}}')
    .action(async (options: FileOptions & { out: string }) => {
      const source = databaseFile(ctx, 'backup');
      report(ctx, 'Backed up to', await run(() => backupSqlite(source, resolve(options.out))), options.json);
    });

  program
    .command('restore')
    .summary('replace the SQLite database with a backup (the server must be stopped)')
    .description(
      'verify a backup (integrity_check, row counts), refuse while any process has the database of ' +
        'OMI_DATABASE_URL open, then swap the backup in atomically (temp file, fsync, rename; old -wal/-shm removed). ' +
        'PostgreSQL: use pg_restore',
    )
    .requiredOption('--from <file>', 'the backup to restore')
    .option('--json', 'print {"path","integrity","tables":{"<table>":rows}}')
    .action(async (options: FileOptions & { from: string }) => {
      const target = databaseFile(ctx, 'restore');
      report(ctx, 'Restored into', await run(() => restoreSqlite(resolve(options.from), target)), options.json);
    });
}
