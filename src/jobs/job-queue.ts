import { randomUUID } from 'node:crypto';
import { type Clock, toIso } from '../lib/time.ts';
import type { Repositories } from '../storage/storage.ts';
import type { NewJob } from './jobs.types.ts';

export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Enqueues jobs inside the caller's transaction, so a job exists exactly when the write that
 * asked for it committed. `notify` wakes this process's runner once the caller has committed.
 */
export class JobQueue {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly clock: Clock) {}

  /** `listener` runs after each commit that enqueued jobs (a runner in this process wakes up). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async enqueue(tx: Repositories, job: NewJob): Promise<void> {
    const now = toIso(this.clock.now());
    await tx.jobs.enqueue({
      id: randomUUID(),
      userId: job.userId,
      kind: job.kind,
      payload: job.payload,
      dedupeKey: job.dedupeKey,
      runAt: job.delayMs ? toIso(new Date(Date.parse(now) + job.delayMs)) : now,
      maxAttempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      now,
    });
  }

  /** Call after the transaction that enqueued has committed. */
  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
