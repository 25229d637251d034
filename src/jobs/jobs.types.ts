/** A unit of background work, stored in the database so it survives a crash or restart. */
export interface Job {
  id: string;
  userId: string;
  kind: string;
  payload: Record<string, unknown>;
  status: 'queued' | 'running' | 'failed';
  dedupeKey: string | null;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewJob {
  userId: string;
  kind: string;
  payload: Record<string, unknown>;
  /** While a job with this key is queued, enqueueing another adds nothing. */
  dedupeKey?: string;
  /** Run no sooner than this long after now. */
  delayMs?: number;
  maxAttempts?: number;
}
