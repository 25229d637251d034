import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { RedisRateLimitStore } from '../../src/http/rate-limit/redis-store.ts';

/**
 * The databases a storage-level suite runs over: SQLite always; PostgreSQL too when
 * OMI_TEST_DATABASE_URL names one. Each PostgreSQL user of it gets a schema of its own, so tests
 * and parallel workers never see each other's rows.
 */
export const POSTGRES_TEST_URL = process.env.OMI_TEST_DATABASE_URL?.startsWith('postgres')
  ? process.env.OMI_TEST_DATABASE_URL
  : undefined;

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function freshPostgres(baseUrl: string): Promise<TestDatabase> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

/** A fresh database of each kind under test. */
export async function freshDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'postgres' && POSTGRES_TEST_URL) return freshPostgres(POSTGRES_TEST_URL);
  return { url: 'sqlite::memory:', drop: async () => {} };
}

export const DATABASE_KINDS: ('sqlite' | 'postgres')[] = POSTGRES_TEST_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** The Redis that rate-limit tests use; they are skipped when it does not answer. */
export const REDIS_TEST_URL = process.env.OMI_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisAvailable(): Promise<boolean> {
  const store = new RedisRateLimitStore(REDIS_TEST_URL);
  const ok = await store.connect();
  await store.close();
  return ok;
}
