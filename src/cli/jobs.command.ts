import type { Command } from 'commander';
import { JobsAdmin, type JobListFilter } from '../jobs/jobs-admin.ts';
import type { Job } from '../jobs/jobs.types.ts';
import { systemClock } from '../lib/time.ts';
import { CliError, type CliContext } from './context.ts';
import { formatTable } from './table.ts';

const FILTERS: readonly JobListFilter[] = ['failed', 'pending', 'all'];

/** What an operator needs to judge a job; the payload (ids of the user's records) stays out. */
const presentJob = (job: Job) => ({
  id: job.id,
  kind: job.kind,
  status: job.status,
  user_id: job.userId,
  attempts: job.attempts,
  max_attempts: job.maxAttempts,
  run_at: job.runAt,
  last_error: job.lastError,
  created_at: job.createdAt,
  updated_at: job.updatedAt,
});

const oneLine = (text: string | null, max = 60) => {
  const flat = (text ?? '').replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function registerJobsCommands(program: Command, ctx: CliContext): void {
  const jobs = program.command('jobs').description('inspect the background job queue and retry failed jobs');

  jobs
    .command('list')
    .description('list background jobs: failed for good, pending (queued or running), or all')
    .option('--status <status>', `one of ${FILTERS.join(', ')}`, 'all')
    .option('--json', 'print an array of {"id","kind","status","user_id","attempts","max_attempts","run_at","last_error",…}')
    .action(async (options: { status: string; json?: boolean }) => {
      if (!(FILTERS as readonly string[]).includes(options.status)) {
        throw new CliError(`--status must be one of ${FILTERS.join(', ')}, got "${options.status}"`);
      }
      const list = await ctx.withServices((_services, storage) => new JobsAdmin(storage, systemClock).list(options.status as JobListFilter));
      if (options.json) return ctx.printJson(list.map(presentJob));
      if (list.length === 0) return ctx.print(options.status === 'all' ? 'No background jobs' : `No ${options.status} background jobs`);
      const rows = list.map((job) => [job.id, job.kind, job.status, `${job.attempts}/${job.maxAttempts}`, job.runAt, oneLine(job.lastError)]);
      for (const line of formatTable(['ID', 'KIND', 'STATUS', 'ATTEMPTS', 'RUN AT', 'LAST ERROR'], rows)) ctx.print(line);
    });

  jobs
    .command('retry')
    .description('queue a failed job again with fresh attempts (a running server picks it up within a second)')
    .argument('[job_id]', 'the failed job’s id (see `jobs list --status failed`)')
    .option('--all', 'retry every failed job')
    .option('--json', 'print {"queued":N,"superseded":N}')
    .action(async (jobId: string | undefined, options: { all?: boolean; json?: boolean }) => {
      if ((jobId === undefined) === (options.all !== true)) throw new CliError('Give either a job id or --all');
      const counts = await ctx.withServices(async (_services, storage) => {
        const admin = new JobsAdmin(storage, systemClock);
        if (options.all) return admin.retryAllFailed();
        const outcome = await admin.retry(jobId!);
        if (outcome === 'not-found') throw new CliError(`No failed job ${jobId}`);
        return { queued: outcome === 'queued' ? 1 : 0, superseded: outcome === 'superseded' ? 1 : 0 };
      });
      if (options.json) return ctx.printJson(counts);
      ctx.print(`Queued ${counts.queued} failed ${counts.queued === 1 ? 'job' : 'jobs'} again`);
      if (counts.superseded > 0) ctx.print(`Dropped ${counts.superseded} whose work an identical queued job will do`);
    });
}
