import { CheckpointStore } from '../modules/data-transfer/remote/checkpoint.ts';
import { RemoteClient, RemoteSourceError } from '../modules/data-transfer/remote/client.ts';
import { importFromRemote } from '../modules/data-transfer/remote/remote-import.ts';
import { openDatabase } from '../storage/index.ts';
import { parseDateTime } from '../lib/time.ts';
import { CliError, requireAccount, type CliContext } from './context.ts';
import { progressWanted, ProgressReporter } from './progress.ts';

export interface RemoteCliOptions {
  from?: string;
  key?: string;
  since?: string;
  maxAttempts?: string;
  backoffMs?: string;
  maxRetryAfter?: string;
}

function number(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new CliError(`${name} must be a number ≥ ${min}, got "${value}"`);
  return n;
}

/** The source's identity in checkpoints: its URL without a trailing slash. */
const sourceName = (url: string) => url.replace(/\/+$/, '');

/** `import --from URL --key omi_dev_… --email E [--since ISO] [--json]`. */
export async function importFromUrl(ctx: CliContext, options: RemoteCliOptions & { email: string; json?: boolean }): Promise<void> {
  const from = options.from!;
  if (!options.key) throw new CliError("--from needs --key <key> (an omi_dev_ key of the source account)");
  let since: string | undefined;
  if (options.since !== undefined) {
    since = parseDateTime(options.since);
    if (since === undefined) throw new CliError(`--since must be an ISO 8601 date-time, got "${options.since}"`);
  }
  const progress = progressWanted(ctx.io.stderr, undefined) ? new ProgressReporter(ctx.io.stderr) : undefined;
  let client: RemoteClient;
  try {
    client = new RemoteClient({
      baseUrl: from,
      key: options.key,
      maxAttempts: number('--max-attempts', options.maxAttempts, 1),
      backoffMs: number('--backoff-ms', options.backoffMs, 0),
      maxRetryAfterSeconds: number('--max-retry-after', options.maxRetryAfter, 0),
      onWait: (reason, seconds) => progress && ctx.io.stderr.write(`${reason}: waiting ${seconds.toFixed(1)}s\n`),
    });
  } catch (error) {
    if (error instanceof RemoteSourceError) throw new CliError(error.message);
    throw error;
  }
  const started = performance.now();
  const reports = await ctx.withServices(async (services, storage) => {
    const user = await requireAccount(services, options.email);
    const config = ctx.loadConfig();
    const database = await openDatabase(config.databaseUrl, { poolSize: 1 });
    try {
      return await importFromRemote({
        storage,
        userId: user.id,
        client,
        checkpoints: new CheckpointStore(database.db as never, user.id, sourceName(from)),
        since,
        onProgress: (table, written) => progress?.report(table.replace('_', ' '), written, undefined, 'records'),
      });
    } catch (error) {
      if (error instanceof RemoteSourceError) throw new CliError(`${error.message}; what was imported so far is kept, run again to resume`);
      throw error;
    } finally {
      await database.close();
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const total = Object.values(reports).reduce((sum, r) => sum + r.records, 0);
  if (options.json) {
    return ctx.printJson({ from: sourceName(from), counts: reports, records: total, requests: client.requests, seconds: Number(seconds.toFixed(3)) });
  }
  const parts = Object.entries(reports).map(([name, r]) => `${r.records} ${name.replace('_', ' ')}`);
  ctx.print(`Imported ${sourceName(from)} into ${options.email}: ${parts.join(', ')} (${client.requests} requests, ${seconds.toFixed(1)}s)`);
}
