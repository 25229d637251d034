/**
 * `npm run bench`: the real app (bench/server.ts, its own process, seeded SQLite file) loaded
 * with autocannon over loopback. Prints requests/s and latency percentiles per scenario. Figures
 * depend on the machine and on the load generator sharing it; compare runs on the same one.
 *
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=10 npm run bench
 *   BENCH_DATABASE=postgres://postgres@127.0.0.1:5432/postgres npm run bench   # on PostgreSQL
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { transcript } from './transcript.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./server.ts', import.meta.url))], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const { url, key, conversationId } = await new Promise<{ url: string; key: string; conversationId: string }>((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  createInterface({ input: server.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
});

const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
let n = 0;
const scenarios: { name: string; method: 'GET' | 'POST'; path: string; body?: () => string }[] = [
  { name: 'GET /healthz', method: 'GET', path: '/healthz' },
  { name: 'GET /v1/dev/user/memories (25 of 1,000)', method: 'GET', path: '/v1/dev/user/memories' },
  { name: 'GET /v1/dev/user/action-items (100 of 500)', method: 'GET', path: '/v1/dev/user/action-items' },
  {
    name: 'GET …/memories/vector/search (1,000)',
    method: 'GET',
    path: '/v1/dev/user/memories/vector/search?query=meeting%20project%2012',
  },
  { name: 'GET /v1/dev/user/conversations (25 of 200)', method: 'GET', path: '/v1/dev/user/conversations' },
  {
    name: 'GET …/conversations/{id}?include_transcript (50 segments)',
    method: 'GET',
    path: `/v1/dev/user/conversations/${conversationId}?include_transcript=true`,
  },
  {
    name: 'POST …/conversations/from-segments (20 segments, offline)',
    method: 'POST',
    path: '/v1/dev/user/conversations/from-segments',
    body: () => JSON.stringify({ transcript_segments: transcript(20, n++) }),
  },
  {
    name: 'POST /v1/dev/user/memories (new content each)',
    method: 'POST',
    path: '/v1/dev/user/memories',
    body: () => JSON.stringify({ content: `Benchmark fact number ${n++} about the user`, category: 'system' }),
  },
];

const database = process.env.BENCH_DATABASE?.startsWith('postgres') ? 'PostgreSQL' : 'SQLite';
console.log(`omi-dev-api bench on ${database}: ${seconds}s per scenario, ${connections} connections, node ${process.version}`);
console.log('scenario'.padEnd(48), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'non-2xx'.padStart(8));
for (const scenario of scenarios) {
  const result = await autocannon({
    url: `${url}${scenario.path}`,
    method: scenario.method,
    headers,
    connections,
    duration: seconds,
    ...(scenario.body && {
      requests: [{ method: scenario.method, path: scenario.path, headers, setupRequest: (req) => ({ ...req, body: scenario.body!() }) }],
    }),
  });
  console.log(
    scenario.name.padEnd(48),
    result.requests.average.toFixed(0).padStart(9),
    String(result.latency.p50).padStart(8),
    String(result.latency.p99).padStart(8),
    String(result.non2xx).padStart(8),
  );
}
server.stdin!.end();
