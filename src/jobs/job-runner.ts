import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { type Clock, toIso } from '../lib/time.ts';
import type { Repositories, Storage } from '../storage/storage.ts';
import type { Job } from './jobs.types.ts';

/** The writes a job makes, applied in the same transaction that marks it done. */
export type JobEffect = (tx: Repositories) => Promise<void>;

/**
 * One kind of background work. `run` does the slow part (reads, LLM calls) outside any
 * transaction and returns its writes; they commit together with the job's removal from the
 * queue, so a job's effect lands exactly once even if a worker dies or its lease is taken over.
 */
export interface JobHandler {
  run(job: Job): Promise<JobEffect>;
}

export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobRunnerOptions {
  /** How long a claimed job is ours; after it, any worker may take it over. */
  leaseMs?: number;
  /** How often an idle runner looks for due jobs (jobs enqueued here wake it at once). */
  pollMs?: number;
  owner?: string;
  /** Told how each attempt ended and how long it took (the /metrics counters). */
  onSettled?: (kind: string, result: 'completed' | 'retried' | 'failed', seconds: number) => void;
}

class LeaseLost extends Error {}

/** Delay before retry n (1-based): 5 s, 30 s, 2 min, 10 min, then hourly. */
export const retryDelayMs = (attempt: number): number => [5_000, 30_000, 120_000, 600_000][attempt - 1] ?? 3_600_000;

/**
 * Runs queued jobs one at a time in this process. Any number of processes may run one against
 * the same database: a claim is atomic, and a job held by a process that died is taken over when
 * its lease expires.
 */
export class JobRunner {
  readonly owner: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly onSettled: JobRunnerOptions['onSettled'];

  constructor(
    private readonly storage: Storage,
    private readonly handlers: Readonly<Record<string, JobHandler>>,
    private readonly clock: Clock,
    private readonly log: JobLogger,
    options: JobRunnerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 120_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.onSettled = options.onSettled;
  }

  /**
   * Jobs held by a process of this machine that no longer exists (killed, crashed) are queued
   * again at once instead of waiting for their leases to expire. Owners on other machines are
   * left to their leases: their liveness cannot be seen from here.
   */
  async releaseOrphans(isAlive: (pid: number) => boolean = processExists): Promise<number> {
    let released = 0;
    const host = hostname();
    for (const owner of await this.storage.jobs.runningOwners()) {
      const [ownerHost, pid] = owner.split(':');
      if (ownerHost !== host || owner === this.owner || pid === undefined || !/^\d+$/.test(pid)) continue;
      if (Number(pid) === process.pid || isAlive(Number(pid))) continue;
      const count = await this.storage.jobs.releaseOwner(owner, toIso(this.clock.now()));
      if (count > 0) this.log.info({ owner, jobs: count }, 'job queue: took back jobs of a process that died');
      released += count;
    }
    return released;
  }

  /** Starts the loop: run due jobs until none is left, then wait for a wake-up or the next poll. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      await this.releaseOrphans().catch((error: unknown) => this.log.warn({ err: error }, 'job queue: orphan check failed'));
      while (this.running) {
        let worked = false;
        try {
          worked = await this.runOnce();
        } catch (error) {
          // The database is unreachable or closing; try again at the next poll.
          this.log.warn({ err: error }, 'job queue: claim failed');
        }
        if (!worked && this.running) await this.idle();
      }
    })();
  }

  /** Wakes an idle loop (called after a transaction that enqueued jobs commits). */
  kick(): void {
    this.wakeUp?.();
  }

  /** Stops claiming; resolves once the job in hand (if any) has finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  /** Runs due jobs until none is left (tests, and `omi-dev-api` commands that must finish work). */
  async drain(limit = 10_000): Promise<number> {
    let count = 0;
    while (count < limit && (await this.runOnce())) count++;
    return count;
  }

  /** Claims and runs one due job; false when there was none. */
  async runOnce(): Promise<boolean> {
    const now = this.clock.now();
    const job = await this.storage.jobs.claim(this.owner, toIso(now), toIso(new Date(now.getTime() + this.leaseMs)));
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  private async execute(job: Job): Promise<void> {
    const handler = this.handlers[job.kind];
    const context = { job: job.id, kind: job.kind, attempt: job.attempts };
    const started = performance.now();
    const settled = (result: 'completed' | 'retried' | 'failed') => this.onSettled?.(job.kind, result, (performance.now() - started) / 1000);
    if (job.attempts > job.maxAttempts) {
      // Taken over after a crash on its last attempt: give up instead of looping forever.
      await this.release(job, 'attempts exhausted', true);
      settled('failed');
      return;
    }
    try {
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      const effect = await handler.run(job);
      await this.storage.transaction(async (tx) => {
        if (!(await tx.jobs.complete(job.id, this.owner))) throw new LeaseLost();
        await effect(tx);
      });
      settled('completed');
    } catch (error) {
      if (error instanceof LeaseLost) {
        this.log.warn(context, 'job lease was taken over; its result was dropped');
        return;
      }
      const failed = job.attempts >= job.maxAttempts;
      settled(failed ? 'failed' : 'retried');
      this.log[failed ? 'error' : 'warn']({ ...context, err: error }, failed ? 'job failed for good' : 'job failed; will retry');
      await this.release(job, error instanceof Error ? error.message : String(error), failed).catch((releaseError: unknown) =>
        this.log.error({ ...context, err: releaseError }, 'could not release job; its lease will expire'),
      );
    }
  }

  private release(job: Job, error: string, failed: boolean): Promise<void> {
    const now = this.clock.now();
    return this.storage.jobs.release(job.id, this.owner, {
      failed,
      error: error.slice(0, 1000),
      runAt: toIso(new Date(now.getTime() + retryDelayMs(job.attempts))),
      now: toIso(now),
    });
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.timer);
        this.wakeUp = undefined;
        resolve();
      };
      this.wakeUp = done;
      this.timer = setTimeout(done, this.pollMs);
      this.timer.unref();
    });
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
