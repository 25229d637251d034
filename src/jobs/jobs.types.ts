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

/** The queue of one job kind at a moment (what /metrics reports). */
export interface JobKindStats {
  kind: string;
  /** Waiting to run, including jobs scheduled for later. */
  queued: number;
  running: number;
  /** Failed for good. */
  failed: number;
  /** `run_at` of the oldest queued job that is due, if any. */
  oldestDueRunAt: string | null;
}

/** What retrying a failed job did: queued again, or dropped because an identical job is already queued. */
export type RetryOutcome = 'queued' | 'superseded' | 'not-found';
