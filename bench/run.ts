/**
 * `npm run bench`: the real app on a temporary SQLite file, seeded, loaded with autocannon over
 * loopback. Prints requests/s and latency percentiles per scenario. Figures depend on the machine;
 * compare runs on the same one.
 *
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=10 npm run bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.ts';
import { parseConfig } from '../src/config/config.ts';
import { RateLimiter } from '../src/http/rate-limit/rate-limiter.ts';
import { MemoryRateLimitStore } from '../src/http/rate-limit/store.ts';
import { createServices } from '../src/services.ts';
import { openStorage } from '../src/storage/index.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const MEMORIES = 1000;
const ACTION_ITEMS = 500;

const dir = mkdtempSync(join(tmpdir(), 'omi-bench-'));
const config = parseConfig({
  OMI_DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
  OMI_LOG_LEVEL: 'error',
  OMI_RATE_LIMIT_MULTIPLIER: '1000000',
  PORT: '0',
});
const storage = await openStorage(config.databaseUrl);
const services = createServices(config, storage);
const rateLimiter = new RateLimiter(new MemoryRateLimitStore(), config.rateLimitMultiplier);
const app = await buildApp({ config, storage, services, rateLimiter });

const user = await services.accounts.createUser({ email: 'bench@example.com', name: 'Bench', password: 'bench-password' });
const { secret } = await services.apiKeys.create(user.id, {
  name: 'bench',
  scopes: ['memories:read', 'memories:write', 'action_items:read', 'action_items:write', 'goals:read'],
});
for (let i = 0; i < MEMORIES; i += 25) {
  await services.memories.createBatch(
    user.id,
    Array.from({ length: 25 }, (_, j) => ({
      content: `Memory ${i + j}: I had a meeting about project ${(i + j) % 37} and prefer tea over coffee ${i + j}`,
      category: (i + j) % 3 === 0 ? 'interesting' : 'system',
    })),
  );
}
for (let i = 0; i < ACTION_ITEMS; i++) {
  await services.actionItems.create(user.id, {
    description: `Follow up on item ${i}`,
    completed: i % 4 === 0,
    due_at: i % 2 === 0 ? new Date(Date.UTC(2026, 0, 1 + (i % 300))).toISOString() : null,
  } as never);
}

const address = await app.listen({ port: 0, host: '127.0.0.1' });
const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: () => string;
}

let n = 0;
const scenarios: Scenario[] = [
  { name: 'GET /healthz', method: 'GET', path: '/healthz' },
  { name: 'GET /v1/dev/user/memories (25 of 1,000)', method: 'GET', path: '/v1/dev/user/memories' },
  { name: 'GET /v1/dev/user/action-items (100 of 500)', method: 'GET', path: '/v1/dev/user/action-items' },
  { name: 'GET /v1/dev/user/memories/vector/search (1,000)', method: 'GET', path: '/v1/dev/user/memories/vector/search?query=meeting%20project%2012' },
  {
    name: 'POST /v1/dev/user/memories (new content each)',
    method: 'POST',
    path: '/v1/dev/user/memories',
    body: () => JSON.stringify({ content: `Benchmark fact number ${n++} about the user`, category: 'system' }),
  },
];

console.log(`omi-dev-api bench: ${seconds}s per scenario, ${connections} connections, node ${process.version}`);
console.log('scenario'.padEnd(52), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'non-2xx'.padStart(8));
for (const scenario of scenarios) {
  const result = await autocannon({
    url: `${address}${scenario.path}`,
    method: scenario.method,
    headers,
    connections,
    duration: seconds,
    ...(scenario.body && {
      requests: [{ method: scenario.method, path: scenario.path, headers, setupRequest: (req: object) => ({ ...req, body: scenario.body!() }) }],
    }),
  });
  console.log(
    scenario.name.padEnd(52),
    result.requests.average.toFixed(0).padStart(9),
    String(result.latency.p50).padStart(8),
    String(result.latency.p99).padStart(8),
    String(result.non2xx).padStart(8),
  );
}

await app.close();
await storage.close();
rmSync(dir, { recursive: true, force: true });
