import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../src/app.ts';
import { parseConfig, type Config } from '../../src/config/config.ts';
import { RateLimiter } from '../../src/http/rate-limit/rate-limiter.ts';
import { MemoryRateLimitStore } from '../../src/http/rate-limit/store.ts';
import { JobRunner } from '../../src/jobs/job-runner.ts';
import { TestClock } from './clock.ts';
import { SCOPES } from '../../src/modules/api-keys/scopes.ts';
import { createServices, type ServiceOptions, type Services } from '../../src/services.ts';
import { openStorage } from '../../src/storage/index.ts';
import type { Storage } from '../../src/storage/storage.ts';
import { freshDatabase, POSTGRES_TEST_URL } from './databases.ts';

export { TestClock } from './clock.ts';

export interface TestContext {
  app: App;
  config: Config;
  storage: Storage;
  services: Services;
  clock: TestClock;
  /** The background-job runner, not started: tests run jobs when they choose with `drainJobs`. */
  jobs: JobRunner;
  /** Runs every due background job; returns how many ran. */
  drainJobs(): Promise<number>;
  close(): Promise<void>;
  /** A new account with a session token. */
  signIn(email?: string, name?: string): Promise<{ userId: string; session: string }>;
  /** A new account and a developer key with these scopes (all scopes by default). */
  developer(scopes?: string[] | null): Promise<{ userId: string; session: string; key: string; keyId: string }>;
  /** inject() with a bearer token and a JSON body. */
  call(method: string, url: string, token?: string, body?: unknown): Promise<LightMyRequestResponse>;
}

const silentLog = { info: () => {}, warn: () => {}, error: () => {} };

export const ALL_SCOPES: string[] = [...SCOPES];

let counter = 0;

/**
 * The real app over a real, fresh database: in-memory SQLite, or a schema of its own in the
 * PostgreSQL named by OMI_TEST_DATABASE_URL (so every HTTP suite runs on both in CI). A test that
 * passes OMI_DATABASE_URL gets exactly that database.
 */
export async function createTestContext(
  env: Record<string, string> = {},
  options: Pick<ServiceOptions, 'processor' | 'log' | 'dailySummaryDelayMs'> & { consoleDir?: string } = {},
): Promise<TestContext> {
  const database = env.OMI_DATABASE_URL ? undefined : await freshDatabase(POSTGRES_TEST_URL ? 'postgres' : 'sqlite');
  const config = parseConfig({ OMI_DATABASE_URL: database?.url ?? 'sqlite::memory:', OMI_LOG_LEVEL: 'silent', ...env });
  const storage = await openStorage(config.databaseUrl);
  const clock = new TestClock();
  // Daily summaries run with the rest unless a test asks for the production delay.
  const { consoleDir, ...serviceOptions } = options;
  const services = createServices(config, storage, { clock, dailySummaryDelayMs: 0, ...serviceOptions });
  const jobs = new JobRunner(storage, services.jobs.handlers, clock, silentLog);
  const rateLimiter = new RateLimiter(new MemoryRateLimitStore(() => clock.now().getTime()), config.rateLimitMultiplier);
  const app = await buildApp({ config, storage, services, rateLimiter, ...(consoleDir !== undefined && { consoleDir }) });
  await app.ready();

  const call: TestContext['call'] = (method, url, token, body) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });

  const signIn: TestContext['signIn'] = async (email, name = 'Test User') => {
    const address = email ?? `user${++counter}-${process.pid}@example.com`;
    const user = await services.accounts.createUser({ email: address, name, password: 'correct horse battery' });
    const grant = await services.accounts.login(address, 'correct horse battery');
    return { userId: user.id, session: grant.token };
  };

  const developer: TestContext['developer'] = async (scopes = ALL_SCOPES) => {
    const { userId, session } = await signIn();
    const { key, secret } = await services.apiKeys.create(userId, { name: 'test key', scopes });
    return { userId, session, key: secret, keyId: key.id };
  };

  return {
    app,
    config,
    storage,
    services,
    clock,
    jobs,
    drainJobs: () => jobs.drain(),
    signIn,
    developer,
    call,
    close: async () => {
      await app.close();
      await jobs.stop();
      // A test may have closed the storage itself (to play "database down").
      await storage.close().catch(() => {});
      await database?.drop();
    },
  };
}
