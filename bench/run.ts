/**
 * `npm run bench`: builds the server, seeds a realistic data set, starts the built server as its
 * own process and drives it with autocannon over loopback; runs the framework-free ceiling
 * (bench/ceiling.ts) on the same data in the same run; then grows one user's memories to show
 * how latency grows with data. Prints a table and writes bench/results/<date>.json.
 *
 *   npm run bench
 *   BENCH_SECONDS=5 BENCH_GROWTH=10000,100000 npm run bench       # shorter
 *   BENCH_DATABASE=postgres://postgres@127.0.0.1:5432/postgres npm run bench   # on PostgreSQL (no ceiling)
 *   BENCH_NO_BUILD=1 …   # measure the dist/ already built
 *
 * Figures depend on the machine and on the load generator sharing it; compare within one run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parseConfig } from '../src/config/config.ts';
import { freshPostgres } from '../test/helpers/databases.ts';
import { coldStart, load, rssMb, start, type Result, type Target } from './load.ts';
import { growTo, random, seed, words } from './seed.ts';
import { transcript } from './transcript.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const growthSeconds = Number(process.env.BENCH_GROWTH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const growthSizes = (process.env.BENCH_GROWTH ?? '10000,100000,1000000').split(',').map(Number).filter((n) => n > 0);
const sizes = {
  memories: Number(process.env.BENCH_MEMORIES ?? 100_000),
  conversations: Number(process.env.BENCH_CONVERSATIONS ?? 10_000),
  segments: 50,
  actionItems: Number(process.env.BENCH_ACTION_ITEMS ?? 50_000),
  lightUsers: Number(process.env.BENCH_LIGHT_USERS ?? 1_000),
  growthMemories: growthSizes[0] ?? 10_000,
};

const root = fileURLToPath(new URL('..', import.meta.url));
const runStarted = performance.now();
const log = (line: string) => console.log(line);
const clock = () => `${((performance.now() - runStarted) / 1000).toFixed(0)} s`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// 1. Build: the bench measures what `npm start` runs.
if (!process.env.BENCH_NO_BUILD) execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
const entry = join(root, 'dist/main.js');

const dir = mkdtempSync(join(tmpdir(), 'omi-bench-'));
const postgres = process.env.BENCH_DATABASE?.startsWith('postgres') ? await freshPostgres(process.env.BENCH_DATABASE) : undefined;
const sqliteFile = join(dir, 'bench.db');
const databaseUrl = postgres?.url ?? `sqlite:${sqliteFile}`;
const databaseName = postgres ? 'PostgreSQL' : 'SQLite';

async function analyze() {
  // What autovacuum does within a minute of a bulk load: without statistics PostgreSQL's
  // planner may walk a user's rows instead of an index.
  if (!postgres) return;
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query('vacuum analyze');
  await client.end();
}

const results: Result[] = [];
const coldStarts: { memories: string; ms: number }[] = [];
const growth: { memories: number; results: Result[] }[] = [];
let ceiling: { a?: Result; b?: Result } = {};
let server: Awaited<ReturnType<typeof coldStart>> | undefined;

try {
  log(`omi-dev-api bench on ${databaseName}, node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`);
  log(`seeding (${clock()}):`);
  const seeded = await seed(parseConfig({ OMI_DATABASE_URL: databaseUrl, OMI_LOG_LEVEL: 'silent' }), sizes, log);
  await analyze();

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Rate limits stay on (the check is part of every request) but far above the load.
  const env = { OMI_DATABASE_URL: databaseUrl, PORT: String(port), OMI_RATE_LIMIT_MULTIPLIER: '1000000', OMI_LOG_LEVEL: 'info' };
  const headers = { authorization: `Bearer ${seeded.key}`, 'content-type': 'application/json' };
  const growthHeaders = { authorization: `Bearer ${seeded.growthKey}` };
  const launch = async (label: string, probeHeaders: Record<string, string>) => {
    const server = await coldStart(entry, env, { url: `${url}/v1/dev/user/memories?limit=25`, headers: probeHeaders });
    coldStarts.push({ memories: label, ms: server.ms });
    log(`cold start (${label}): ${server.ms} ms to the first answered request`);
    return server;
  };

  const next = random(99);
  const queries = Array.from({ length: 500 }, (_, i) => encodeURIComponent(words(next, 1 + (i % 2))));
  let q = 0;
  const search: Target = { method: 'GET', path: () => `/v1/dev/user/memories/vector/search?query=${queries[q++ % queries.length]}&limit=10` };
  const list: Target = { method: 'GET', path: '/v1/dev/user/memories?limit=25' };
  const deep = (offset: number): Target => ({ method: 'GET', path: `/v1/dev/user/memories?limit=25&offset=${offset}` });
  let n = 0;

  log(`\nscenarios on the full data set (${clock()}): ${seconds} s each after 1 s of warm-up, ${connections} connections`);
  server = await launch(`${sizes.memories.toLocaleString('en')} + full data set`, headers);
  const run = async (name: string, target: Target, options: { via?: string; pid?: number; connections?: number } = {}) => {
    const result = await load(name, options.via ?? url, headers, target, {
      connections: options.connections ?? connections,
      seconds,
      pid: options.pid ?? server!.process.pid,
    });
    results.push(result);
    log(`  ${name.padEnd(54)} ${String(result.rps).padStart(7)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms`);
    return result;
  };
  const a = await run('A GET /v1/dev/user/memories?limit=25', list);
  const b = await run('B GET /v1/dev/user/conversations?limit=25', { method: 'GET', path: '/v1/dev/user/conversations?limit=25' });
  if (!postgres) {
    const bare = await start(process.execPath, ['--import', 'tsx', join(root, 'bench/ceiling.ts'), sqliteFile], {});
    try {
      // The ceiling must answer what the server answers, or the ratio means nothing.
      for (const path of ['/v1/dev/user/memories?limit=25', '/v1/dev/user/conversations?limit=25']) {
        const [ours, bares] = await Promise.all([url, bare.url].map(async (base) => (await fetch(`${base}${path}`, { headers })).text()));
        if (!isDeepStrictEqual(JSON.parse(ours!), JSON.parse(bares!))) {
          throw new Error(`the ceiling answers ${path} differently from the server:\n${ours!.slice(0, 600)}\n${bares!.slice(0, 600)}`);
        }
      }
      ceiling = {
        a: await run('ceiling: A on node:http + better-sqlite3', list, { via: bare.url, pid: bare.process.pid! }),
        b: await run('ceiling: B on node:http + better-sqlite3', { method: 'GET', path: '/v1/dev/user/conversations?limit=25' }, { via: bare.url, pid: bare.process.pid! }),
      };
    } finally {
      await bare.stop();
    }
  }
  await run('C GET …/conversations/{id}?include_transcript (500 segments)', {
    method: 'GET',
    path: `/v1/dev/user/conversations/${seeded.longConversationId}?include_transcript=true`,
  });
  // Search latency is measured with one request at a time (what a user waits for); its
  // throughput under the same 10 connections as the rest.
  await run(`F GET …/memories/vector/search (${sizes.memories.toLocaleString('en')}), 1 connection`, search, { connections: 1 });
  await run(`F GET …/memories/vector/search (${sizes.memories.toLocaleString('en')})`, search);
  await run('G GET /v1/dev/user/memories?offset=90000', deep(Math.floor(sizes.memories * 0.9)));
  await run('D POST /v1/dev/user/memories', {
    method: 'POST',
    path: '/v1/dev/user/memories',
    body: () => JSON.stringify({ content: `Benchmark fact number ${n++} about the user`, category: 'system' }),
  });
  await run('E POST …/conversations/from-segments (offline)', {
    method: 'POST',
    path: '/v1/dev/user/conversations/from-segments',
    body: () => JSON.stringify({ transcript_segments: transcript(20, n++) }),
  });
  const fullRss = rssMb(server.process.pid);
  await server.stop();

  // 3. Growth: one user's memories at each size; A, F and G (offset at 90% of the size).
  log(`\ngrowth (${clock()}): ${growthSeconds} s per scenario`);
  let have = sizes.growthMemories;
  for (const size of growthSizes) {
    if (size > have) {
      const started = performance.now();
      await growTo(databaseUrl, seeded.growthUserId, have, size);
      await analyze();
      log(`  grew to ${size.toLocaleString('en')} memories in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      have = size;
    }
    server = await launch(`${size.toLocaleString('en')} memories`, growthHeaders);
    const at: Result[] = [];
    for (const [name, target, at1] of [
      ['A', list, false],
      ['F', search, true],
      ['G', deep(Math.floor(size * 0.9)), false],
    ] as const) {
      const result = await load(`${name} at ${size.toLocaleString('en')}`, url, growthHeaders, target, {
        connections: at1 ? 1 : connections,
        seconds: growthSeconds,
        pid: server.process.pid,
      });
      at.push(result);
    }
    growth.push({ memories: size, results: at });
    log(`  ${size.toLocaleString('en').padStart(9)}: ${at.map((r) => `${r.scenario.split(' ')[0]} ${r.rps} req/s p99 ${r.p99} ms`).join(' · ')}`);
    await server.stop();
  }

  // 4. The table.
  const ratio = (r: Result, c?: Result) => (c ? `${Math.round((r.rps / c.rps) * 100)}%` : '');
  const line = (cells: string[], widths: number[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
  const widths = [58, 8, 8, 8, 8, 7, 7, 9];
  log(`\nomi-dev-api bench on ${databaseName}: ${connections} connections, ${seconds} s per scenario (${clock()} in all)`);
  log(line(['scenario', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'RSS MB', 'ceiling'], widths));
  for (const r of results) {
    const ofCeiling = r === a ? ratio(a, ceiling.a) : r === b ? ratio(b, ceiling.b) : '';
    log(line([r.scenario, String(r.rps), String(r.p50), String(r.p95), String(r.p99), String(r.errors), String(r.rssMb ?? ''), ofCeiling], widths));
  }
  log(`cold start: ${coldStarts.map((c) => `${c.ms} ms (${c.memories})`).join(', ')}`);
  log(`\ngrowth with one user's memories (${growthSeconds} s each; A and G at ${connections} connections, F at 1, G at offset = 90% of them):`);
  log(line(['memories', 'A req/s', 'A p99', 'F req/s', 'F p95', 'F p99', 'G req/s', 'G p99', 'RSS MB'], [10, 8, 7, 8, 7, 7, 8, 7, 7]));
  for (const g of growth) {
    const [ga, gf, gg] = g.results as [Result, Result, Result];
    log(
      line(
        [g.memories.toLocaleString('en'), String(ga.rps), String(ga.p99), String(gf.rps), String(gf.p95), String(gf.p99), String(gg.rps), String(gg.p99), String(Math.max(ga.rssMb ?? 0, gf.rssMb ?? 0, gg.rssMb ?? 0))],
        [10, 8, 7, 8, 7, 7, 8, 7, 7],
      ),
    );
  }

  const date = new Date().toISOString().slice(0, 10);
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, `bench/results/${date}${postgres ? '-postgres' : ''}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        database: databaseName,
        node: process.version,
        machine: { cores: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30) },
        connections,
        seconds,
        dataSet: sizes,
        coldStartMs: coldStarts,
        rssMbAfterScenarios: fullRss,
        scenarios: results,
        ceiling: ceiling.a && { a: ceiling.a, b: ceiling.b, aRatio: a.rps / ceiling.a.rps, bRatio: ceiling.b ? b.rps / ceiling.b.rps : null },
        growth,
        totalSeconds: Math.round((performance.now() - runStarted) / 1000),
      },
      null,
      2,
    )}\n`,
  );
  log(`\nwrote ${file.slice(root.length)}`);
} finally {
  await server?.stop();
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
}
