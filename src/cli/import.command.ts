import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { importDocument } from '../modules/data-transfer/import.ts';
import { CliError, requireAccount, type CliContext } from './context.ts';
import { importFromUrl, type RemoteCliOptions } from './import-remote.ts';

interface ImportOptions extends RemoteCliOptions {
  file?: string;
  email: string;
  json?: boolean;
}

async function readDocument(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`--file: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`--file: ${path} is not JSON: ${(error as Error).message}`);
  }
}

export function registerImportCommand(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .summary('bring an export file into an account')
    .description(
      'bring a JSON export (`omi-dev-api export --format json`) into account E: same ids, timestamps and fields; ' +
        'the whole file is checked before anything is written, then written a batch per transaction as upserts ' +
        'keyed by the records\' ids, so importing the same file again changes nothing',
    )
    .requiredOption('--email <email>', 'the account to import into (create it first with `users create`)')
    .option('--file <path>', 'the export document to read')
    .option('--from <url>', 'instead of --file: a server with the Developer API (https://api.omi.me or another omi-dev-api)')
    .option('--key <key>', 'with --from: an omi_dev_ key of the account to bring over (read scopes)')
    .option('--since <iso>', 'with --from: only what is newer than this (default: where the last finished run stopped)')
    .option('--json', 'print {"file","counts":{"<section>":{"records","renamed"}}} (with --from: {"from","counts","requests","seconds"})')
    .addOption(new Option('--max-attempts <n>', 'with --from: attempts per request before giving up').default('6').hideHelp())
    .addOption(new Option('--backoff-ms <ms>', 'with --from: first retry backoff, doubled each time').default('500').hideHelp())
    .addOption(new Option('--max-retry-after <s>', 'with --from: the longest Retry-After honoured').default('60').hideHelp())
    .action(async (options: ImportOptions) => {
      if (options.from !== undefined) {
        if (options.file !== undefined) throw new CliError('--file and --from cannot be used together');
        return importFromUrl(ctx, options);
      }
      if (!options.file) throw new CliError("required option '--file <path>' not specified");
      const document = await readDocument(options.file);
      const report = await ctx.withServices(async (services, storage) => {
        const user = await requireAccount(services, options.email);
        try {
          return await importDocument(storage, user.id, document);
        } catch (error) {
          if (error instanceof Error && error.name === 'ImportValidationError') {
            throw new CliError(`${options.file}: ${error.message}; nothing was imported`);
          }
          throw error;
        }
      });
      if (options.json) return ctx.printJson({ file: options.file, counts: report });
      const parts = Object.entries(report).map(([name, r]) => `${r.records} ${name.replace('_', ' ')}${r.renamed ? ` (${r.renamed} given new ids: theirs belong to another account)` : ''}`);
      ctx.print(`Imported ${options.file} into ${options.email}: ${parts.join(', ')}`);
    });
}
