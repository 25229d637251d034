import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openDatabase, type OpenDatabase } from '../storage/index.ts';
import { COPIED_TABLES, DEFAULT_BATCH_SIZE, migrateData, type TableReport } from '../storage/migrate-data.ts';
import { sqlitePath } from '../storage/sqlite/database.ts';
import { CliError, type CliContext } from './context.ts';
import { progressWanted, ProgressReporter } from './progress.ts';

interface MigrateDataOptions {
  from: string;
  to: string;
  batchSize: string;
  json?: boolean;
  progress?: boolean;
}

const MAX_BATCH_SIZE = 100_000;

function checkUrl(option: string, url: string): void {
  const sqlite = url.startsWith('sqlite:') && url.length > 'sqlite:'.length;
  if (!sqlite && !/^postgres(ql)?:\/\//.test(url)) {
    throw new CliError(`${option} must be sqlite:<path>, sqlite::memory: or postgres://…, got "${url}"`);
  }
}

/** What names one database: a SQLite file by its absolute path, anything else by its URL. */
function identity(url: string): string {
  if (!url.startsWith('sqlite:') || sqlitePath(url) === ':memory:') return url;
  return `sqlite:${resolve(sqlitePath(url))}`;
}

function batchSize(value: string): number {
  const size = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH_SIZE) {
    throw new CliError(`--batch-size must be an integer from 1 to ${MAX_BATCH_SIZE}, got "${value}"`);
  }
  return size;
}

const rows = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`;

/** Source rows per table, counted up front so progress lines can show an ETA. */
async function sourceCounts(source: OpenDatabase): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of COPIED_TABLES) {
    const row = await source.db
      .selectFrom(table.name as 'users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    counts.set(table.name, Number(row.n));
  }
  return counts;
}

const tableLine = (r: TableReport) => `${r.name}: ${rows(r.copied)} copied (${r.source} in source, ${r.target} in target), checksum ok`;

export function registerMigrateDataCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate-data')
    .summary('copy every table of one database into another (e.g. sqlite:… → postgres://…) and verify the copy')
    .description(
      'copy every table of one database into another (e.g. sqlite:… → postgres://…), migrating both first, and verify ' +
        'row counts and checksums table by table; an interrupted copy resumes when run again. ' +
        'Stop servers using either database first',
    )
    .requiredOption('--from <url>', 'the database to copy: sqlite:<path> or postgres://…')
    .requiredOption('--to <url>', 'the database to copy into (migrated first): sqlite:<path> or postgres://…')
    .option('--batch-size <n>', 'rows read and written per transaction', String(DEFAULT_BATCH_SIZE))
    .option('--json', 'print {"tables":[{"name","source","copied","target","checksum"}],"ok":true}')
    .option('--progress', 'a line per batch on stderr with counts, rate and ETA (the default when stderr is a terminal)')
    .action(async (options: MigrateDataOptions) => {
      checkUrl('--from', options.from);
      checkUrl('--to', options.to);
      const size = batchSize(options.batchSize);
      if (identity(options.from) === identity(options.to)) throw new CliError('--from and --to name the same database');
      // Opening a SQLite path creates the file: a mistyped source would copy an empty database.
      if (options.from.startsWith('sqlite:') && sqlitePath(options.from) !== ':memory:' && !existsSync(sqlitePath(options.from))) {
        throw new CliError(`--from: no SQLite database at ${sqlitePath(options.from)}`);
      }

      const opened: OpenDatabase[] = [];
      try {
        // Opening migrates: the source is brought up to date, the target gets the schema.
        const source = await openDatabase(options.from);
        opened.push(source);
        const target = await openDatabase(options.to);
        opened.push(target);
        const progress = progressWanted(ctx.io.stderr, options.progress) ? new ProgressReporter(ctx.io.stderr) : undefined;
        const totals = progress ? await sourceCounts(source) : undefined;
        const tables = await migrateData(source, target, {
          batchSize: size,
          onBatch: progress && ((p) => progress.report(p.table, p.read, totals?.get(p.table), 'rows', `${p.copied.toLocaleString('en-US')} copied`)),
          onTable: (report) => {
            if (!options.json) ctx.print(tableLine(report));
          },
        });
        if (options.json) return ctx.printJson({ tables, ok: true });
        const copied = tables.reduce((sum, t) => sum + t.copied, 0);
        ctx.print(`Done: ${tables.length} tables match the source, ${rows(copied)} copied`);
      } finally {
        for (const database of opened.reverse()) await database.close();
      }
    });
}
