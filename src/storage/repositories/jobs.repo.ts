import { sql, type Kysely, type Selectable } from 'kysely';
import type { Job, JobKindStats } from '../../jobs/jobs.types.ts';
import type { Database, JobsTable } from '../schema.ts';
import type { JobsRepository } from '../storage.ts';
import { fromJson } from './rows.ts';

const toJob = (row: Selectable<JobsTable>): Job => ({
  id: row.id,
  userId: row.user_id,
  kind: row.kind,
  payload: fromJson(row.payload, {}),
  status: row.status as Job['status'],
  dedupeKey: row.dedupe_key,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  runAt: row.run_at,
  leaseOwner: row.lease_owner,
  leaseUntil: row.lease_until,
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * The job queue. A claim is one UPDATE of the oldest due row (queued, or running with an expired
 * lease), so two workers never take the same job; where the database has row locks
 * (`skipLocked`), competing claims skip rows another transaction holds instead of waiting.
 */
export function jobsRepository(db: Kysely<Database>, capabilities: { skipLocked: boolean }): JobsRepository {
  return {
    async enqueue(job) {
      await db
        .insertInto('jobs')
        .values({
          id: job.id,
          user_id: job.userId,
          kind: job.kind,
          payload: JSON.stringify(job.payload),
          status: 'queued',
          dedupe_key: job.dedupeKey ?? null,
          attempts: 0,
          max_attempts: job.maxAttempts,
          run_at: job.runAt,
          lease_owner: null,
          lease_until: null,
          last_error: null,
          created_at: job.now,
          updated_at: job.now,
        })
        .onConflict((oc) => oc.column('dedupe_key').where('status', '=', sql.lit('queued')).doNothing())
        .execute();
    },
    async claim(owner, now, leaseUntil) {
      const due = db
        .selectFrom('jobs')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
            eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)]),
          ]),
        )
        .orderBy('run_at', 'asc')
        .orderBy('id', 'asc')
        .limit(1)
        .$if(capabilities.skipLocked, (qb) => qb.forUpdate().skipLocked());
      const row = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          lease_owner: owner,
          lease_until: leaseUntil,
          attempts: eb('attempts', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', due)
        .returningAll()
        .executeTakeFirst();
      return row && toJob(row);
    },
    async complete(id, owner) {
      const result = await db
        .deleteFrom('jobs')
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async release(id, owner, outcome) {
      if (!outcome.failed) {
        // Another copy may have been queued while this one ran; then that copy does the work.
        const waiting = await db
          .selectFrom('jobs as j')
          .innerJoin('jobs as q', (join) => join.onRef('q.dedupe_key', '=', 'j.dedupe_key'))
          .select('q.id')
          .where('j.id', '=', id)
          .where('q.status', '=', 'queued')
          .executeTakeFirst();
        if (waiting) {
          await db.deleteFrom('jobs').where('id', '=', id).where('lease_owner', '=', owner).execute();
          return;
        }
      }
      await db
        .updateTable('jobs')
        .set({
          status: outcome.failed ? 'failed' : 'queued',
          run_at: outcome.runAt,
          last_error: outcome.error,
          lease_owner: null,
          lease_until: null,
          updated_at: outcome.now,
        })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('lease_owner', '=', owner)
        .execute();
    },
    async runningOwners() {
      const rows = await db
        .selectFrom('jobs')
        .select('lease_owner')
        .distinct()
        .where('status', '=', 'running')
        .where('lease_owner', 'is not', null)
        .execute();
      return rows.map((r) => r.lease_owner!);
    },
    async releaseOwner(owner, now) {
      const result = await db
        .updateTable('jobs')
        .set({ status: 'queued', lease_owner: null, lease_until: null, run_at: now, updated_at: now })
        .where('status', '=', 'running')
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async stats(now) {
      const rows = await db
        .selectFrom('jobs')
        .select((eb) => [
          'kind',
          'status',
          eb.fn.countAll<number | string>().as('count'),
          eb.fn
            .min<string | null>(eb.case().when(eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)])).then(eb.ref('run_at')).end())
            .as('oldest_due'),
        ])
        .groupBy(['kind', 'status'])
        .execute();
      const byKind = new Map<string, JobKindStats>();
      for (const row of rows) {
        const stats = byKind.get(row.kind) ?? { kind: row.kind, queued: 0, running: 0, failed: 0, oldestDueRunAt: null };
        const status = row.status as Job['status'];
        stats[status] += Number(row.count);
        if (row.oldest_due !== null) stats.oldestDueRunAt = row.oldest_due;
        byKind.set(row.kind, stats);
      }
      return [...byKind.values()];
    },
    async retry(id, now) {
      const job = await db.selectFrom('jobs').select(['status', 'dedupe_key']).where('id', '=', id).executeTakeFirst();
      if (!job || job.status !== 'failed') return 'not-found';
      // An identical job already waiting does the same work: the failed copy is dropped instead.
      if (job.dedupe_key !== null) {
        const twin = await db
          .selectFrom('jobs')
          .select('id')
          .where('dedupe_key', '=', job.dedupe_key)
          .where('status', '=', 'queued')
          .executeTakeFirst();
        if (twin) {
          await db.deleteFrom('jobs').where('id', '=', id).where('status', '=', 'failed').execute();
          return 'superseded';
        }
      }
      const result = await db
        .updateTable('jobs')
        .set({ status: 'queued', attempts: 0, run_at: now, lease_owner: null, lease_until: null, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0 ? 'queued' : 'not-found';
    },
    async list(filter) {
      let query = db.selectFrom('jobs').selectAll();
      if (filter?.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      if (filter?.status !== undefined) query = query.where('status', '=', filter.status);
      const rows = await query.orderBy('run_at', 'asc').orderBy('id', 'asc').execute();
      return rows.map(toJob);
    },
  };
}
