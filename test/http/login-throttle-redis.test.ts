import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config/config.ts';
import { createRateLimiter } from '../../src/http/rate-limit/index.ts';
import { LOGIN_LIMITS } from '../../src/http/rate-limit/login-throttle.ts';
import type { RateLimiter } from '../../src/http/rate-limit/rate-limiter.ts';
import { createServices, type Services } from '../../src/services.ts';
import { openStorage } from '../../src/storage/index.ts';
import type { Storage } from '../../src/storage/storage.ts';
import { freshDatabase, POSTGRES_TEST_URL, redisAvailable, REDIS_TEST_URL, type TestDatabase } from '../helpers/databases.ts';

const PASSWORD = 'correct horse battery';

interface Instance {
  app: App;
  storage: Storage;
  services: Services;
  rateLimiter: RateLimiter;
  warnings: string[];
}

/** An instance as main.ts builds it: the rate limiter from OMI_REDIS_URL. */
async function instance(databaseUrl: string, redisUrl: string): Promise<Instance> {
  const config = parseConfig({ OMI_DATABASE_URL: databaseUrl, OMI_LOG_LEVEL: 'silent', OMI_REDIS_URL: redisUrl });
  const storage = await openStorage(config.databaseUrl);
  const services = createServices(config, storage);
  const warnings: string[] = [];
  const rateLimiter = await createRateLimiter(config, (message) => warnings.push(message));
  const app = await buildApp({ config, storage, services, rateLimiter });
  return { app, storage, services, rateLimiter, warnings };
}

async function close(i: Instance) {
  await i.app.close();
  await i.rateLimiter.close();
  await i.storage.close();
}

// Addresses of their own per run, so counters left in Redis by an earlier run never interfere.
const address = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const login = (i: Instance, email: string, password: string, remoteAddress: string) =>
  i.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress, payload: { email, password } });

describe.skipIf(!(await redisAvailable()))('sign-in throttling with Redis', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let a: Instance;
  let b: Instance;
  const email = `shared-${process.pid}-${Date.now()}@example.com`;

  beforeAll(async () => {
    // One PostgreSQL database when under test; on SQLite each instance has its own in-memory
    // database, so the account is created in both. Only Redis is shared either way.
    database = POSTGRES_TEST_URL ? await freshDatabase('postgres') : { url: 'sqlite::memory:', drop: async () => {} };
    a = await instance(database.url, REDIS_TEST_URL);
    b = await instance(database.url, REDIS_TEST_URL);
    await a.services.accounts.createUser({ email, name: 'Shared', password: PASSWORD });
    if (!POSTGRES_TEST_URL) await b.services.accounts.createUser({ email, name: 'Shared', password: PASSWORD });
  });
  afterAll(async () => {
    await close(a);
    await close(b);
    await database.drop();
  });

  it('POST /v1/auth/login › counts failures across instances and answers 429 on the other one', async () => {
    const attacker = address();
    const home = address();
    expect((await login(a, email, PASSWORD, home)).statusCode).toBe(200);
    // Half the guesses on each instance.
    for (let i = 0; i < LOGIN_LIMITS.accountAddress.max; i++) {
      expect((await login(i % 2 ? a : b, email, `guess ${i}`, attacker)).statusCode).toBe(401);
    }
    for (const i of [a, b]) {
      const refused = await login(i, email, PASSWORD, attacker);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(LOGIN_LIMITS.accountAddress.windowSeconds);
    }
    // The real user, from their own address, signs in on either instance.
    expect((await login(b, email, PASSWORD, home)).statusCode).toBe(200);
    expect((await login(a, email, PASSWORD, home)).statusCode).toBe(200);
    expect(a.warnings).toEqual([]);
  });

  it('POST /v1/auth/login › lets no more than the limit through a parallel burst spread over both instances', async () => {
    const attacker = address();
    const burst = await Promise.all(
      Array.from({ length: 2 * LOGIN_LIMITS.accountAddress.max }, (_, n) => login(n % 2 ? a : b, email, `burst ${n}`, attacker)),
    );
    const statuses = burst.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(LOGIN_LIMITS.accountAddress.max);
    expect(statuses.filter((status) => status === 429)).toHaveLength(LOGIN_LIMITS.accountAddress.max);
  });
});

describe('sign-in throttling when Redis is unreachable', { timeout: 120_000 }, () => {
  it('POST /v1/auth/login › still signs users in and still throttles, counting in the process', async () => {
    const i = await instance('sqlite::memory:', 'redis://127.0.0.1:1');
    try {
      await i.services.accounts.createUser({ email: 'down@example.com', name: 'Down', password: PASSWORD });
      expect(i.warnings).toEqual(['Redis is unreachable; developer-key routes answer 503 until it is back']);
      expect((await login(i, 'down@example.com', PASSWORD, '10.0.0.1')).statusCode).toBe(200);
      expect(i.warnings).toContain('Redis is unreachable; sign-in throttling counts in this process until it is back');
      for (let n = 0; n < LOGIN_LIMITS.accountAddress.max; n++) {
        expect((await login(i, 'down@example.com', 'wrong guess', '10.0.0.2')).statusCode).toBe(401);
      }
      expect((await login(i, 'down@example.com', PASSWORD, '10.0.0.2')).statusCode).toBe(429);
      expect((await login(i, 'down@example.com', PASSWORD, '10.0.0.1')).statusCode).toBe(200);
    } finally {
      await close(i);
    }
  });
});
