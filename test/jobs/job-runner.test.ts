import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/jobs/job-queue.ts';
import { JobRunner, type JobHandler } from '../../src/jobs/job-runner.ts';
import type { Job } from '../../src/jobs/jobs.types.ts';
import { openStorage } from '../../src/storage/index.ts';
import type { Storage } from '../../src/storage/storage.ts';
import { TestClock } from '../helpers/clock.ts';
import { DATABASE_KINDS, freshPostgres, POSTGRES_TEST_URL } from '../helpers/databases.ts';

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const USER = 'user-1';

/**
 * The durable job queue over every database: a job's effect is applied exactly once whatever
 * happens to the worker running it (failure, lease expiry, a crash and a restart).
 */
for (const kind of DATABASE_KINDS) describe(`job runner on ${kind}`, () => {
  let url: string;
  let cleanup: () => Promise<void>;
  let storage: Storage;
  let clock: TestClock;
  let queue: JobQueue;
  /** How many times each job's effect was applied (committed). */
  let applied: Map<string, number>;

  const counting = (): JobHandler => ({
    run: async (job: Job) => async () => {
      const name = String(job.payload.name);
      applied.set(name, (applied.get(name) ?? 0) + 1);
    },
  });

  beforeEach(async () => {
    if (kind === 'postgres') {
      const database = await freshPostgres(POSTGRES_TEST_URL!);
      url = database.url;
      cleanup = database.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'omi-jobs-'));
      url = `sqlite:${join(dir, 'omi.db')}`;
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    storage = await openStorage(url);
    await storage.users.insert({ id: USER, email: 'jobs@example.com', name: 'Jobs', passwordHash: 'x', createdAt: '2026-01-01T00:00:00.000Z' });
    clock = new TestClock();
    queue = new JobQueue(clock);
    applied = new Map();
  });

  afterEach(async () => {
    await storage.close().catch(() => {});
    await cleanup();
  });

  const enqueue = (name: string, dedupeKey?: string) =>
    storage.transaction((tx) => queue.enqueue(tx, { userId: USER, kind: 'count', payload: { name }, ...(dedupeKey && { dedupeKey }) }));

  it('runs a queued job once and removes it', async () => {
    await enqueue('a');
    const runner = new JobRunner(storage, { count: counting() }, clock, silent);
    expect(await runner.drain()).toBe(1);
    expect(applied.get('a')).toBe(1);
    expect(await storage.jobs.list()).toEqual([]);
    expect(await runner.drain()).toBe(0);
  });

  it('keeps one queued job per dedupe key, and accepts the key again once it runs', async () => {
    await enqueue('first', 'key');
    await enqueue('second', 'key');
    expect((await storage.jobs.list()).map((j) => j.payload.name)).toEqual(['first']);
    await new JobRunner(storage, { count: counting() }, clock, silent).drain();
    await enqueue('third', 'key');
    expect((await storage.jobs.list()).map((j) => j.payload.name)).toEqual(['third']);
  });

  it('does not enqueue when the surrounding transaction rolls back', async () => {
    await expect(
      storage.transaction(async (tx) => {
        await queue.enqueue(tx, { userId: USER, kind: 'count', payload: { name: 'ghost' } });
        throw new Error('request failed');
      }),
    ).rejects.toThrow('request failed');
    expect(await storage.jobs.list()).toEqual([]);
  });

  it('rolls back a failing effect, retries with backoff, and gives up after the last attempt', async () => {
    let failures = 0;
    const flaky: JobHandler = {
      run: async () => async (tx) => {
        await tx.users.insert({ id: `side-${failures}`, email: `side${failures}@example.com`, name: 's', passwordHash: 'x', createdAt: 'x' });
        failures++;
        throw new Error('effect failed');
      },
    };
    await storage.transaction((tx) => queue.enqueue(tx, { userId: USER, kind: 'flaky', payload: {}, maxAttempts: 3 }));
    const runner = new JobRunner(storage, { flaky }, clock, silent);
    expect(await runner.drain()).toBe(1);
    let [job] = await storage.jobs.list();
    expect(job).toMatchObject({ status: 'queued', attempts: 1, lastError: 'effect failed', runAt: '2026-01-15T10:00:05.000Z' });
    expect(await storage.users.findById('side-0')).toBeUndefined();
    expect(await runner.drain()).toBe(0); // not due yet
    clock.advance(5_000);
    expect(await runner.drain()).toBe(1);
    clock.advance(30_000);
    expect(await runner.drain()).toBe(1);
    [job] = await storage.jobs.list();
    expect(job).toMatchObject({ status: 'failed', attempts: 3 });
    clock.advance(24 * 3600_000);
    expect(await runner.drain()).toBe(0);
  });

  it('fails a job of an unknown kind without blocking the queue', async () => {
    await storage.transaction((tx) => queue.enqueue(tx, { userId: USER, kind: 'mystery', payload: {}, maxAttempts: 1 }));
    await enqueue('after');
    const runner = new JobRunner(storage, { count: counting() }, clock, silent);
    await runner.drain();
    expect(applied.get('after')).toBe(1);
    expect((await storage.jobs.list()).map((j) => [j.kind, j.status])).toEqual([['mystery', 'failed']]);
  });

  it('lets another worker take over a job whose lease expired; the slow worker’s result is dropped', async () => {
    await enqueue('contested');
    let releaseSlow!: () => void;
    let started!: () => void;
    const slowStarted = new Promise<void>((resolve) => (started = resolve));
    const slow: JobHandler = {
      run: async (job) => {
        started();
        await new Promise<void>((resolve) => (releaseSlow = resolve));
        return counting().run(job);
      },
    };
    const slowRun = new JobRunner(storage, { count: slow }, clock, silent, { owner: 'slow', leaseMs: 60_000 }).runOnce();
    await slowStarted;
    const fast = new JobRunner(storage, { count: counting() }, clock, silent, { owner: 'fast', leaseMs: 60_000 });
    expect(await fast.runOnce()).toBe(false); // the lease still holds
    clock.advance(61_000);
    expect(await fast.runOnce()).toBe(true);
    releaseSlow();
    expect(await slowRun).toBe(true);
    expect(applied.get('contested')).toBe(1);
    expect(await storage.jobs.list()).toEqual([]);
  });

  it('loses no job across a crash and a restart: claimed jobs are taken over, queued ones run', async () => {
    for (const name of ['x', 'y', 'z']) await enqueue(name);
    // A worker claims one job and dies before finishing it (its database connection goes away).
    const doomed = await storage.jobs.claim('dead-worker', clock.now().toISOString(), new Date(clock.now().getTime() + 60_000).toISOString());
    expect(doomed).toBeDefined();
    await storage.close();

    storage = await openStorage(url);
    const runner = new JobRunner(storage, { count: counting() }, clock, silent);
    expect(await runner.drain()).toBe(2);
    clock.advance(61_000);
    expect(await runner.drain()).toBe(1);
    expect(Object.fromEntries(applied)).toEqual({ x: 1, y: 1, z: 1 });
    expect(await storage.jobs.list()).toEqual([]);
  });

  it('queues again at once the jobs of a dead process on this machine, leaving other machines to their leases', async () => {
    const lease = new Date(clock.now().getTime() + 60_000).toISOString();
    await enqueue('mine');
    await storage.jobs.claim(`${hostname()}:999999:dead`, clock.now().toISOString(), lease);
    await enqueue('theirs');
    await storage.jobs.claim('other-host:1234:alive', clock.now().toISOString(), lease);
    const runner = new JobRunner(storage, { count: counting() }, clock, silent);
    expect(await runner.releaseOrphans(() => false)).toBe(1);
    expect(await runner.drain()).toBe(1);
    expect([...applied.keys()]).toEqual(['mine']);
  });

  it('runs every job exactly once with two runners draining at the same time', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `job-${i}`);
    for (const name of names) await enqueue(name);
    // PostgreSQL: two pools, as two instances would have. SQLite: one connection (better-sqlite3
    // blocks its thread on a lock, so two connections in one process would wait on each other).
    const second = kind === 'postgres' ? await openStorage(url) : storage;
    try {
      const a = new JobRunner(storage, { count: counting() }, clock, silent, { owner: 'a' });
      const b = new JobRunner(second, { count: counting() }, clock, silent, { owner: 'b' });
      const [ranA, ranB] = await Promise.all([a.drain(), b.drain()]);
      expect(ranA + ranB).toBe(40);
      expect([...applied.values()].every((n) => n === 1)).toBe(true);
      expect(applied.size).toBe(40);
    } finally {
      if (second !== storage) await second.close();
    }
  });

  it('wakes a started runner as soon as a commit enqueues work, and stops cleanly', async () => {
    const runner = new JobRunner(storage, { count: counting() }, clock, silent, { pollMs: 60_000 });
    queue.subscribe(() => runner.kick());
    runner.start();
    await enqueue('woken');
    queue.notify();
    await expect.poll(() => applied.get('woken'), { timeout: 5_000 }).toBe(1);
    await runner.stop();
  });
});
