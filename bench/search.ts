/**
 * `npm run bench:search`: search latency with 100,000 memories for one user (BENCH_MEMORIES to
 * change), in process through the real app (app.inject: routing, auth, rate limit, search,
 * serialisation; no sockets). Each query is distinct and runs once, one at a time; prints p50
 * and p95 per route for keyword-only search and for hybrid search (vectors from the local fake
 * embeddings server, 256 dimensions).
 *
 *   npm run bench:search
 *   BENCH_DATABASE=postgres://postgres@127.0.0.1:5432/postgres npm run bench:search
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { parseConfig } from '../src/config/config.ts';
import { RateLimiter } from '../src/http/rate-limit/rate-limiter.ts';
import { MemoryRateLimitStore } from '../src/http/rate-limit/store.ts';
import { scoringFor } from '../src/modules/memories/categories.ts';
import { createServices } from '../src/services.ts';
import { openStorage } from '../src/storage/index.ts';
import { freshPostgres } from '../test/helpers/databases.ts';
import { FAKE_EMBEDDING_MODEL, fakeEmbedding, startFakeEmbeddings } from '../test/helpers/fake-embeddings.ts';
import { storedMemory } from '../test/helpers/records.ts';
import { random } from './seed.ts';

const MEMORIES = Number(process.env.BENCH_MEMORIES ?? 100_000);
const QUERIES = 200;

// Words from the labelled search corpus, so memories and queries read like a person's.
const corpus = JSON.parse(readFileSync(new URL('../test/fixtures/search/corpus.json', import.meta.url), 'utf8')) as {
  memories: { content: string }[];
};
const vocabulary = [...new Set(corpus.memories.flatMap((m) => m.content.toLowerCase().match(/[a-z]{3,}/g) ?? []))];
const next = random(42);
const pick = () => vocabulary[Math.floor(next() * vocabulary.length)]!;
const sentence = (words: number) => Array.from({ length: words }, pick).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'omi-bench-search-'));
const postgres = process.env.BENCH_DATABASE?.startsWith('postgres') ? await freshPostgres(process.env.BENCH_DATABASE) : undefined;
const fake = await startFakeEmbeddings();

async function run(hybrid: boolean, databaseUrl: string, seed: boolean) {
  // seed: fill the database and measure nothing.
  const env: Record<string, string> = { OMI_DATABASE_URL: databaseUrl, OMI_LOG_LEVEL: 'error', OMI_RATE_LIMIT_MULTIPLIER: '0' };
  if (hybrid) Object.assign(env, { OMI_EMBEDDINGS_BASE_URL: fake.url, OMI_EMBEDDINGS_MODEL: FAKE_EMBEDDING_MODEL });
  const config = parseConfig(env);
  const storage = await openStorage(config.databaseUrl);
  const services = createServices(config, storage);
  const app = await buildApp({ config, storage, services, rateLimiter: new RateLimiter(new MemoryRateLimitStore(), 0) });
  try {
    let user = await services.accounts.findByEmail('bench@example.com');
    if (seed) {
      user = await services.accounts.createUser({ email: 'bench@example.com', name: 'Bench', password: 'bench-password' });
      const started = performance.now();
      const now = new Date().toISOString();
      for (let i = 0; i < MEMORIES; i += 5_000) {
        await storage.transaction(async (tx) => {
          for (let j = i; j < Math.min(MEMORIES, i + 5_000); j++) {
            const content = `${sentence(6 + (j % 10))} ${j}`;
            const id = `bench-${j}`;
            await tx.memories.upsert(storedMemory(user!.id, { id, content, createdAt: now, updatedAt: now, scoring: scoringFor(true, 'system', now) }));
            await tx.search.saveVector(user!.id, { kind: 'memory', id, version: now, digest: 'bench' }, FAKE_EMBEDDING_MODEL, Float32Array.from(fakeEmbedding(content)));
          }
        });
      }
      // What autovacuum does within a minute of a bulk load: without statistics PostgreSQL's
      // planner may walk the user's rows instead of the GIN index.
      if (postgres) {
        const client = new pg.Client({ connectionString: postgres.url });
        await client.connect();
        await client.query('analyze');
        await client.end();
      }
      console.log(`seeded ${MEMORIES.toLocaleString('en')} memories (indexed and embedded) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      return;
    }
    const { secret } = await services.apiKeys.create(user!.id, { name: 'bench', scopes: ['memories:read'] });
    const queries = Array.from({ length: QUERIES }, (_, i) => `${pick()} ${i % 2 === 0 ? pick() : ''}`.trim());
    const measure = async (label: string, path: (q: string) => string) => {
      const times: number[] = [];
      for (const q of queries) {
        const started = performance.now();
        const response = await app.inject({ method: 'GET', url: path(q), headers: { authorization: `Bearer ${secret}` } });
        times.push(performance.now() - started);
        if (response.statusCode !== 200) throw new Error(`${label}: ${response.statusCode} ${response.body}`);
      }
      times.sort((a, b) => a - b);
      const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
      console.log(`${label.padEnd(58)} ${at(0.5).padStart(8)} ${at(0.95).padStart(8)}`);
    };
    const mode = hybrid ? 'hybrid' : 'keyword';
    await measure(`GET …/memories/vector/search?query=… (${mode}, limit 10)`, (q) => `/v1/dev/user/memories/vector/search?query=${encodeURIComponent(q)}`);
    await measure(`GET /v1/dev/user/memories?q=… (${mode}, 25 per page)`, (q) => `/v1/dev/user/memories?q=${encodeURIComponent(q)}`);
  } finally {
    await app.close();
    await storage.close();
  }
}

try {
  const database = postgres?.url ?? `sqlite:${join(dir, 'bench.db')}`;
  console.log(`omi-dev-api search bench on ${postgres ? 'PostgreSQL' : 'SQLite'}: ${MEMORIES.toLocaleString('en')} memories, ${QUERIES} distinct queries each, node ${process.version}`);
  await run(false, database, true);
  console.log(`${'route'.padEnd(58)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
  await run(false, database, false);
  await run(true, database, false);
} finally {
  await fake.close();
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
}
