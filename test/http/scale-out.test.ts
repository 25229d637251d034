import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config/config.ts';
import { RateLimiter } from '../../src/http/rate-limit/rate-limiter.ts';
import { RedisRateLimitStore } from '../../src/http/rate-limit/redis-store.ts';
import { JobRunner } from '../../src/jobs/job-runner.ts';
import { systemClock } from '../../src/lib/time.ts';
import { createServices, type Services } from '../../src/services.ts';
import { openStorage } from '../../src/storage/index.ts';
import type { Storage } from '../../src/storage/storage.ts';
import { freshPostgres, POSTGRES_TEST_URL, redisAvailable, REDIS_TEST_URL as REDIS_URL, type TestDatabase } from '../helpers/databases.ts';

interface Instance {
  app: App;
  storage: Storage;
  services: Services;
  store: RedisRateLimitStore;
}

/**
 * Two server instances that share nothing but PostgreSQL and Redis — separate pools, services,
 * counters clients — as two processes behind a load balancer would.
 */
describe.skipIf(!POSTGRES_TEST_URL || !(await redisAvailable()))('two instances on one PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let a: Instance;
  let b: Instance;

  async function instance(multiplier: string): Promise<Instance> {
    const config = parseConfig({ OMI_DATABASE_URL: database.url, OMI_LOG_LEVEL: 'silent', OMI_RATE_LIMIT_MULTIPLIER: multiplier });
    const storage = await openStorage(config.databaseUrl);
    const services = createServices(config, storage);
    const store = new RedisRateLimitStore(REDIS_URL);
    await store.connect();
    const app = await buildApp({ config, storage, services, rateLimiter: new RateLimiter(store, config.rateLimitMultiplier) });
    return { app, storage, services, store };
  }

  beforeAll(async () => {
    database = await freshPostgres(POSTGRES_TEST_URL!);
    // 0.1 × 15/h leaves dev:memories_batch one request per hour: easy to see shared.
    [a, b] = await Promise.all([instance('0.1'), instance('0.1')]);
  });
  afterAll(async () => {
    for (const i of [a, b]) {
      await i.app.close();
      await i.storage.close();
      await i.store.close();
    }
    await database.drop();
  });

  const call = (i: Instance, method: 'GET' | 'POST' | 'DELETE', url: string, token: string, body?: unknown) =>
    i.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });

  it('a session opened on A works on B, and a key revoked through A fails at once on B', async () => {
    await a.services.accounts.createUser({ email: 'shared@example.com', name: 'Shared', password: 'password123' });
    const login = await a.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'shared@example.com', password: 'password123' },
    });
    const session = login.json().token as string;
    const created = await call(b, 'POST', '/v1/dev/keys', session, { name: 'k', scopes: ['memories:read'] });
    expect(created.statusCode).toBe(200);
    const { id, key } = created.json() as { id: string; key: string };

    expect((await call(b, 'GET', '/v1/dev/user/memories', key)).statusCode).toBe(200);
    expect((await call(a, 'DELETE', `/v1/dev/keys/${id}`, session)).statusCode).toBe(204);
    const after = await call(b, 'GET', '/v1/dev/user/memories', key);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ detail: 'Invalid API Key' });

    expect((await call(a, 'POST', '/v1/auth/logout', session)).statusCode).toBe(204);
    expect((await call(b, 'GET', '/v1/users/me', session)).statusCode).toBe(401);
  });

  it('a rate-limit budget spent on A is spent on B', async () => {
    const user = await a.services.accounts.createUser({ email: 'budget@example.com', name: 'B', password: 'password123' });
    const { secret } = await a.services.apiKeys.create(user.id, { name: 'k', scopes: ['memories:write'] });
    const batch = { memories: [{ content: 'shared budget', category: 'system' }] };
    expect((await call(a, 'POST', '/v1/dev/user/memories/batch', secret, batch)).statusCode).toBe(200);
    const limited = await call(b, 'POST', '/v1/dev/user/memories/batch', secret, batch);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('a client_session_id retry on B returns the conversation A created', async () => {
    const user = await a.services.accounts.createUser({ email: 'retry@example.com', name: 'R', password: 'password123' });
    const { secret } = await a.services.apiKeys.create(user.id, { name: 'k', scopes: ['conversations:write'] });
    const body = {
      transcript_segments: [{ text: 'I will send the contract to the landlord tomorrow.', start: 0, end: 3, is_user: true }],
      client_session_id: 'phone-session-1',
    };
    const first = await call(a, 'POST', '/v1/dev/user/conversations/from-segments', secret, body);
    expect(first.statusCode).toBe(200);
    const retry = await call(b, 'POST', '/v1/dev/user/conversations/from-segments', secret, body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
  });

  it('a job enqueued on A runs on B when A is gone', async () => {
    const user = await a.services.accounts.createUser({ email: 'jobs@example.com', name: 'J', password: 'password123' });
    const { secret } = await a.services.apiKeys.create(user.id, { name: 'k', scopes: ['conversations:write', 'action_items:read'] });
    const created = await call(a, 'POST', '/v1/dev/user/conversations', secret, {
      text: "I'll book the venue for the team offsite by Friday and send the agenda to everyone.",
    });
    expect(created.statusCode).toBe(200);
    // A never runs its queue (as if stopped); B's runner picks the jobs up from the shared database.
    const runner = new JobRunner(b.storage, b.services.jobs.handlers, systemClock, silent, { owner: 'instance-b' });
    expect(await runner.drain()).toBeGreaterThan(0);
    const items = await call(b, 'GET', '/v1/dev/user/action-items', secret);
    expect(items.json<unknown[]>().length).toBeGreaterThan(0);
  });
});

const silent = { info: () => {}, warn: () => {}, error: () => {} };
