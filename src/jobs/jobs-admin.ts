import { type Clock, toIso } from '../lib/time.ts';
import type { Storage } from '../storage/storage.ts';
import type { Job, RetryOutcome } from './jobs.types.ts';

export type JobListFilter = 'failed' | 'pending' | 'all';

/**
 * The operator's view of the background queue (`omi-dev-api jobs …`): what is waiting or failed
 * for good, and putting failed jobs back in the queue with fresh attempts.
 */
export class JobsAdmin {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /** `pending`: queued or running; `failed`: failed for good; oldest due first. */
  async list(filter: JobListFilter = 'all'): Promise<Job[]> {
    if (filter === 'failed') return this.storage.jobs.list({ status: 'failed' });
    const jobs = await this.storage.jobs.list();
    return filter === 'pending' ? jobs.filter((job) => job.status !== 'failed') : jobs;
  }

  /** Queues a failed job again (due now, attempts reset); `not-found` unless it exists and failed. */
  retry(id: string): Promise<RetryOutcome> {
    return this.storage.transaction((tx) => tx.jobs.retry(id, toIso(this.clock.now())));
  }

  /** Retries every failed job; returns how many were queued again and how many were superseded. */
  async retryAllFailed(): Promise<{ queued: number; superseded: number }> {
    const counts = { queued: 0, superseded: 0 };
    for (const job of await this.storage.jobs.list({ status: 'failed' })) {
      const outcome = await this.retry(job.id);
      if (outcome !== 'not-found') counts[outcome]++;
    }
    return counts;
  }
}
