/**
 * The server side of `npm run bench`, in its own process so the load generator does not share its
 * event loop: seeds a temporary SQLite file, listens on a free port, and prints one JSON line
 * `{"url","key"}` when ready. Exits when its parent closes stdin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';
import { parseConfig } from '../src/config/config.ts';
import { RateLimiter } from '../src/http/rate-limit/rate-limiter.ts';
import { MemoryRateLimitStore } from '../src/http/rate-limit/store.ts';
import { JobRunner } from '../src/jobs/job-runner.ts';
import { systemClock } from '../src/lib/time.ts';
import { createServices } from '../src/services.ts';
import { openStorage } from '../src/storage/index.ts';
import { freshPostgres } from '../test/helpers/databases.ts';
import { transcript } from './transcript.ts';

const MEMORIES = 1000;
const ACTION_ITEMS = 500;
const CONVERSATIONS = 200;
const SEGMENTS = 50;


// BENCH_DATABASE=postgres://… runs on a schema of its own in that database, dropped at exit.
const dir = mkdtempSync(join(tmpdir(), 'omi-bench-'));
const postgres = process.env.BENCH_DATABASE?.startsWith('postgres') ? await freshPostgres(process.env.BENCH_DATABASE) : undefined;
const config = parseConfig({
  OMI_DATABASE_URL: postgres?.url ?? `sqlite:${join(dir, 'bench.db')}`,
  OMI_LOG_LEVEL: 'error',
  OMI_RATE_LIMIT_MULTIPLIER: '1000000',
});
const storage = await openStorage(config.databaseUrl);
const services = createServices(config, storage);
const rateLimiter = new RateLimiter(new MemoryRateLimitStore(), config.rateLimitMultiplier);
const app = await buildApp({ config, storage, services, rateLimiter });

const user = await services.accounts.createUser({ email: 'bench@example.com', name: 'Bench', password: 'bench-password' });
const { secret } = await services.apiKeys.create(user.id, {
  name: 'bench',
  scopes: ['memories:read', 'memories:write', 'action_items:read', 'action_items:write', 'goals:read', 'conversations:read', 'conversations:write'],
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
  });
}

const conversationIds: string[] = [];
for (let i = 0; i < CONVERSATIONS; i++) {
  const created = await services.conversations.createFromSegments(user.id, {
    transcript_segments: transcript(SEGMENTS, i),
    started_at: new Date(Date.UTC(2026, 0, 1) + i * 3600_000).toISOString(),
  });
  conversationIds.push(created.id);
}
// The pipeline's background jobs run here, as in `npm start`.
const jobs = new JobRunner(storage, services.jobs.handlers, systemClock, console);
services.jobs.queue.subscribe(() => jobs.kick());
jobs.start();

const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, key: secret, conversationId: conversationIds[0] })}\n`);

process.stdin.resume();
process.stdin.on('end', async () => {
  await app.close();
  await jobs.stop();
  await storage.close();
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
