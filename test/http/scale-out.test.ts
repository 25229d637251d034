import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config/config.ts';
import { RateLimiter } from '../../src/http/rate-limit/rate-limiter.ts';
import { RedisRateLimitStore } from '../../src/http/rate-limit/redis-store.ts';
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
});
