import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config/config.ts';
import { RateLimiter } from '../../src/http/rate-limit/rate-limiter.ts';
import { MemoryRateLimitStore } from '../../src/http/rate-limit/store.ts';
import { JobRunner } from '../../src/jobs/job-runner.ts';
import { Counter, Registry } from '../../src/observability/registry.ts';
import { ServerMetrics } from '../../src/observability/server-metrics.ts';
import { createServices, type Services } from '../../src/services.ts';
import { openStorage } from '../../src/storage/index.ts';
import type { Storage } from '../../src/storage/storage.ts';
import { TestClock } from '../helpers/clock.ts';
import { freshDatabase, POSTGRES_TEST_URL, type TestDatabase } from '../helpers/databases.ts';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.ts';

/**
 * GET /metrics over the real app, with the job runner reporting to the same metrics as main.ts
 * wires it: scrape, do things, scrape again, and read the numbers with a strict parser.
 */
const TOKEN = 'metrics-token-0123456789';
const silent = { info: () => {}, warn: () => {}, error: () => {} };

let database: TestDatabase;
let storage: Storage;
let services: Services;
let app: App;
let jobs: JobRunner;
let metrics: ServerMetrics;
let counter = 0;

beforeAll(async () => {
  database = await freshDatabase(POSTGRES_TEST_URL ? 'postgres' : 'sqlite');
  // A multiplier this small makes every policy allow one request per hour.
  const config = parseConfig({ OMI_DATABASE_URL: database.url, OMI_LOG_LEVEL: 'silent', OMI_METRICS_TOKEN: TOKEN, OMI_RATE_LIMIT_MULTIPLIER: '0.0001' });
  storage = await openStorage(config.databaseUrl);
  const clock = new TestClock();
  services = createServices(config, storage, { clock, dailySummaryDelayMs: 0 });
  metrics = new ServerMetrics();
  jobs = new JobRunner(storage, services.jobs.handlers, clock, silent, { onSettled: (kind, result, s) => metrics.jobSettled(kind, result, s) });
  const rateLimiter = new RateLimiter(new MemoryRateLimitStore(() => clock.now().getTime()), config.rateLimitMultiplier);
  app = await buildApp({ config, storage, services, rateLimiter, metrics });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await jobs?.stop();
  metrics?.close();
  await storage?.close();
  await database?.drop();
});

async function scrape() {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheus(res.body);
}

async function developer() {
  const user = await services.accounts.createUser({ email: `metrics${++counter}@example.com`, name: 'M', password: 'correct horse battery' });
  const { secret } = await services.apiKeys.create(user.id, { name: 'k', scopes: ['memories:read', 'memories:write', 'conversations:write'] });
  return { userId: user.id, key: secret };
}

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, key: string, body?: unknown) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body !== undefined && { payload: body as object }) });

describe('GET /metrics', () => {
  it('GET /metrics › answers loopback in the text format, every family declared, the webhook counter at zero', async () => {
    const families = await scrape();
    for (const name of [
      'omi_http_requests_total',
      'omi_http_request_duration_seconds',
      'omi_jobs_queued',
      'omi_jobs_oldest_due_age_seconds',
      'omi_jobs_failed',
      'omi_jobs_processed_total',
      'omi_rate_limit_rejections_total',
      'omi_webhook_deliveries_total',
      'omi_process_resident_memory_bytes',
      'omi_process_heap_used_bytes',
      'omi_process_uptime_seconds',
      'omi_event_loop_lag_p99_seconds',
    ]) {
      expect(families.has(name), name).toBe(true);
    }
    expect(families.get('omi_http_request_duration_seconds')!.type).toBe('histogram');
    expect(sampleValue(families, 'omi_webhook_deliveries_total', { result: 'success' })).toBe(0);
    expect(families.get('omi_webhook_deliveries_total')!.samples.map((s) => s.labels.result).sort()).toEqual(['failure', 'success']);
    expect(sampleValue(families, 'omi_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('GET /metrics › counts requests by route pattern and status, never by raw URL', async () => {
    const route = '/v1/dev/user/memories/:memory_id';
    const before = await scrape();
    const ids = ['mem-one-7f3a', 'mem-two-9c1b', 'mem-three-55d0'];
    // A key per request: this suite's rate limits allow each key one request per policy.
    for (const id of ids) expect((await call('PATCH', `/v1/dev/user/memories/${id}`, (await developer()).key, { content: 'x' })).statusCode).toBe(404);
    await app.inject({ method: 'GET', url: '/no/such/path/4242' });
    const after = await scrape();
    const labels = { method: 'PATCH', route, status: '404' };
    expect(sampleValue(after, 'omi_http_requests_total', labels) - sampleValue(before, 'omi_http_requests_total', labels)).toBe(3);
    const count = (f: typeof after) => sampleValue(f, 'omi_http_request_duration_seconds_count', { method: 'PATCH', route });
    expect(count(after) - count(before)).toBe(3);
    expect(sampleValue(after, 'omi_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    for (const raw of [...ids, '4242']) expect(text).not.toContain(raw);
  });

  it('GET /metrics › reports queue depth and age from the jobs table, and completed jobs after they run', async () => {
    const { key } = await developer();
    const created = await call('POST', '/v1/dev/user/conversations', key, {
      text: 'Met with Priya about the launch. I need to send her the budget spreadsheet by Friday and book the venue next week.',
    });
    expect(created.statusCode).toBe(200);
    const before = await scrape();
    const queued = before.get('omi_jobs_queued')!.samples.reduce((sum, s) => sum + s.value, 0);
    expect(queued).toBeGreaterThan(0);
    const completedBefore = before.get('omi_jobs_processed_total')!.samples.filter((s) => s.labels.result === 'completed').reduce((a, s) => a + s.value, 0);
    const ran = await jobs.drain();
    expect(ran).toBeGreaterThan(0);
    const after = await scrape();
    expect(after.get('omi_jobs_queued')!.samples.every((s) => s.value === 0)).toBe(true);
    expect(after.get('omi_jobs_oldest_due_age_seconds')!.samples.every((s) => s.value === 0)).toBe(true);
    const completedAfter = after.get('omi_jobs_processed_total')!.samples.filter((s) => s.labels.result === 'completed').reduce((a, s) => a + s.value, 0);
    expect(completedAfter - completedBefore).toBe(ran);
  });

  it('GET /metrics › counts a job that failed for good as dead, by kind', async () => {
    const { userId } = await developer();
    await storage.transaction((tx) => services.jobs.queue.enqueue(tx, { userId, kind: 'test.no-handler', payload: {}, maxAttempts: 1 }));
    const waiting = await scrape();
    expect(sampleValue(waiting, 'omi_jobs_queued', { kind: 'test.no-handler' })).toBe(1);
    expect(sampleValue(waiting, 'omi_jobs_oldest_due_age_seconds', { kind: 'test.no-handler' })).toBeGreaterThanOrEqual(0);
    await jobs.drain();
    const after = await scrape();
    expect(sampleValue(after, 'omi_jobs_failed', { kind: 'test.no-handler' })).toBe(1);
    expect(sampleValue(after, 'omi_jobs_queued', { kind: 'test.no-handler' })).toBe(0);
    expect(sampleValue(after, 'omi_jobs_processed_total', { kind: 'test.no-handler', result: 'failed' })).toBe(1);
  });

  it('GET /metrics › counts rate-limit rejections by policy', async () => {
    const { key } = await developer();
    const before = await scrape();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/v1/dev/user/memories', key)).statusCode);
    expect(statuses).toEqual([200, 429, 429]);
    const after = await scrape();
    const policy = { policy: 'dev:memories_read' };
    expect(sampleValue(after, 'omi_rate_limit_rejections_total', policy) - sampleValue(before, 'omi_rate_limit_rejections_total', policy)).toBe(2);
  });

  it('GET /metrics › counts refused sign-ins under the login policy', async () => {
    const email = `throttled${++counter}@example.com`;
    const before = await scrape();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: 'wrong password' } })).statusCode);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
    const after = await scrape();
    expect(sampleValue(after, 'omi_rate_limit_rejections_total', { policy: 'login' }) - sampleValue(before, 'omi_rate_limit_rejections_total', { policy: 'login' })).toBe(1);
  });

  it('GET /metrics › reports the PostgreSQL pool, and nothing for SQLite', async () => {
    const families = await scrape();
    const pool = families.get('omi_db_pool_connections')!.samples;
    if (POSTGRES_TEST_URL) {
      expect(pool).toHaveLength(1);
      expect(pool[0]!.value).toBeGreaterThanOrEqual(1);
      expect(families.get('omi_db_pool_waiting_clients')!.samples).toHaveLength(1);
    } else {
      expect(pool).toEqual([]);
    }
  });
});

describe('GET /metrics access', () => {
  const remote = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9', headers });

  it('GET /metrics › answers 404 to a remote client without the token, as for an unknown path', async () => {
    const res = await remote();
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Not Found' });
    expect((await remote({ authorization: 'Bearer wrong-token-0123456789' })).statusCode).toBe(404);
    expect((await remote({ authorization: TOKEN })).statusCode).toBe(404);
  });

  it('GET /metrics › answers a remote client bearing OMI_METRICS_TOKEN', async () => {
    const res = await remote({ authorization: `Bearer ${TOKEN}` });
    expect(res.statusCode).toBe(200);
    expect(parsePrometheus(res.body).has('omi_http_requests_total')).toBe(true);
  });

  it('GET /metrics › treats a forwarded request from loopback (a local proxy) as remote', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(res.statusCode).toBe(404);
  });

  it('GET /metrics › is not in /openapi.json', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });
});

describe('ServerMetrics without a token', () => {
  it('GET /metrics › refuses every remote client when OMI_METRICS_TOKEN is unset; still answers with the database down', async () => {
    const config = parseConfig({ OMI_DATABASE_URL: 'sqlite::memory:', OMI_LOG_LEVEL: 'silent' });
    const own = await openStorage(config.databaseUrl);
    const local = await buildApp({ config, storage: own, services: createServices(config, own), rateLimiter: new RateLimiter(new MemoryRateLimitStore(), 1) });
    try {
      const res = await local.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9', headers: { authorization: 'Bearer ' } });
      expect(res.statusCode).toBe(404);
      expect(sampleValue(parsePrometheus((await local.inject({ method: 'GET', url: '/metrics' })).body), 'omi_database_up')).toBe(1);
      // The database gone: the scrape still answers, without the queue, saying so.
      await own.close();
      const down = await local.inject({ method: 'GET', url: '/metrics' });
      expect(down.statusCode).toBe(200);
      const families = parsePrometheus(down.body);
      expect(sampleValue(families, 'omi_database_up')).toBe(0);
      expect(families.get('omi_jobs_queued')!.samples).toEqual([]);
      expect(sampleValue(families, 'omi_http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBe(1);
    } finally {
      await local.close();
      await own.close().catch(() => {});
    }
  });
});

describe('configuration', () => {
  it('OMI_METRICS_TOKEN and OMI_ACCESS_LOG › default to unset and off; a short token or a non-boolean stops start-up', () => {
    const defaults = parseConfig({});
    expect([defaults.metricsToken, defaults.accessLog]).toEqual([undefined, false]);
    expect(parseConfig({ OMI_METRICS_TOKEN: TOKEN, OMI_ACCESS_LOG: 'true' })).toMatchObject({ metricsToken: TOKEN, accessLog: true });
    expect(() => parseConfig({ OMI_METRICS_TOKEN: 'short' })).toThrow('Invalid configuration: OMI_METRICS_TOKEN must be at least 16 characters');
    expect(() => parseConfig({ OMI_ACCESS_LOG: 'maybe' })).toThrow('Invalid configuration: OMI_ACCESS_LOG must be true or false, got "maybe"');
  });
});

describe('Registry', () => {
  it('escapes label values and help text so that they read back unchanged', () => {
    const registry = new Registry();
    const counter = registry.add(new Counter('omi_test_total', 'help with \\ and\na newline', ['value']));
    const awkward = 'quote " backslash \\ newline \n end';
    counter.labels(awkward).inc(2);
    const families = parsePrometheus(registry.render());
    expect(families.get('omi_test_total')!.help).toBe('help with \\\\ and\\na newline');
    expect(sampleValue(families, 'omi_test_total', { value: awkward })).toBe(2);
    expect(() => registry.add(new Counter('omi_test_total', 'again'))).toThrow('registered twice');
  });
});
