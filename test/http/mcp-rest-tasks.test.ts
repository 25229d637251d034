import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { RateLimiter } from '../../src/http/rate-limit/rate-limiter.ts';
import { MemoryRateLimitStore } from '../../src/http/rate-limit/store.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

/** The newer MCP REST routes (omi-behaviour.md §14.4) beyond the stdio server's seven calls. */
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  await ctx.close();
});

interface Item {
  id: string;
  description: string;
  completed: boolean;
  due_at: string | null;
  completed_at: string | null;
  updated_at: string;
  conversation_id: string | null;
}

async function user() {
  const dev = await ctx.developer();
  const { secret } = await ctx.services.mcpKeys.create(dev.userId, { name: 'rest client' });
  return { ...dev, mcpKey: secret };
}

const call = (method: string, path: string, key: string, body?: unknown) => ctx.call(method, `/v1/mcp/${path}`, key, body);
const ids = (res: { json<T>(): T }) => res.json<{ id: string }[]>().map((r) => r.id);

describe('action items', () => {
  it('creates, completes, updates (due_at null clears it) and deletes, 422 on bad input', async () => {
    const { key, mcpKey } = await user();
    const created = await call('POST', 'action-items', mcpKey, { description: 'Renew the passport', due_at: '2026-07-01T09:00:00Z' });
    expect(created.statusCode).toBe(200);
    const item = created.json<Item>();
    expect(item).toMatchObject({ description: 'Renew the passport', completed: false, due_at: '2026-07-01T09:00:00.000Z', conversation_id: null });
    expect(item.id).toMatch(/^[A-Za-z0-9]{20}$/);
    // An identical retry returns the same item.
    expect((await call('POST', 'action-items', mcpKey, { description: 'Renew the passport', due_at: '2026-07-01T09:00:00Z' })).json<Item>().id).toBe(item.id);

    const done = await call('POST', `action-items/${item.id}/complete`, mcpKey);
    expect(done.json<Item>()).toMatchObject({ completed: true, completed_at: expect.any(String) });
    const reopened = await call('POST', `action-items/${item.id}/complete?completed=false`, mcpKey);
    expect(reopened.json<Item>()).toMatchObject({ completed: false, completed_at: null });

    const renamed = await call('PATCH', `action-items/${item.id}`, mcpKey, { description: 'Renew both passports' });
    expect(renamed.json<Item>()).toMatchObject({ description: 'Renew both passports', due_at: '2026-07-01T09:00:00.000Z' });
    const cleared = await call('PATCH', `action-items/${item.id}`, mcpKey, { due_at: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json<Item>()).toMatchObject({ description: 'Renew both passports', due_at: null });
    const viaDev = (await ctx.call('GET', '/v1/dev/user/action-items', key)).json<Item[]>();
    expect(viaDev).toMatchObject([{ id: item.id, due_at: null }]);

    const blank = await call('POST', 'action-items', mcpKey, { description: '  ' });
    expect(blank.statusCode).toBe(422);
    expect(blank.json()).toEqual({ detail: 'description cannot be empty' });
    expect((await call('PATCH', `action-items/${item.id}`, mcpKey, {})).statusCode).toBe(422);
    expect((await call('GET', 'action-items/search?query=%20', mcpKey)).statusCode).toBe(422);

    expect((await call('DELETE', `action-items/${item.id}`, mcpKey)).json()).toEqual({ status: 'ok' });
    const gone = await call('DELETE', `action-items/${item.id}`, mcpKey);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({ detail: 'Action item not found' });
  });

  it('lists open items first, filters by due window, pages by cursor, searches; never another user’s', async () => {
    const { mcpKey } = await user();
    const other = await user();
    const make = async (description: string, due_at?: string) =>
      (await call('POST', 'action-items', mcpKey, { description, ...(due_at && { due_at }) })).json<Item>();
    const invoice = await make('Send the invoice to Marta', '2026-07-03T10:00:00Z');
    const dentist = await make('Book the dentist', '2026-07-20T10:00:00Z');
    const plants = await make('Water the plants');
    await call('POST', `action-items/${plants.id}/complete`, mcpKey);

    const all = await call('GET', 'action-items', mcpKey);
    expect(ids(all)).toEqual([invoice.id, dentist.id, plants.id]);
    expect(ids(await call('GET', 'action-items?completed=true', mcpKey))).toEqual([plants.id]);
    expect(ids(await call('GET', 'action-items?due_start_date=2026-07-10T00:00:00Z', mcpKey))).toEqual([dentist.id]);
    expect((await call('GET', 'action-items?due_start_date=soon', mcpKey)).statusCode).toBe(422);

    const first = await call('GET', 'action-items?limit=2', mcpKey);
    expect(ids(first)).toEqual([invoice.id, dentist.id]);
    const rest = await call('GET', `action-items?limit=2&cursor=${first.headers['x-next-cursor'] as string}`, mcpKey);
    expect(ids(rest)).toEqual([plants.id]);
    expect(rest.headers['x-next-cursor']).toBeUndefined();

    expect(ids(await call('GET', 'action-items/search?query=invoice', mcpKey))).toEqual([invoice.id]);
    expect(await call('GET', 'action-items', other.mcpKey).then((r) => r.json())).toEqual([]);
    for (const [method, path] of [['PATCH', `action-items/${invoice.id}`], ['DELETE', `action-items/${invoice.id}`], ['POST', `action-items/${invoice.id}/complete`]] as const) {
      expect((await call(method, path, other.mcpKey, method === 'PATCH' ? { description: 'mine now' } : undefined)).statusCode).toBe(404);
    }
  });

  it('updated_since: the incremental feed in (updated_at, id) order, paged by cursor only', async () => {
    const { mcpKey } = await user();
    ctx.clock.set('2026-08-01T08:00:00.000Z');
    const a = (await call('POST', 'action-items', mcpKey, { description: 'Item A' })).json<Item>();
    ctx.clock.set('2026-08-02T08:00:00.000Z');
    const b = (await call('POST', 'action-items', mcpKey, { description: 'Item B' })).json<Item>();
    const c = (await call('POST', 'action-items', mcpKey, { description: 'Item C' })).json<Item>();
    ctx.clock.set('2026-08-03T08:00:00.000Z');
    await call('PATCH', `action-items/${a.id}`, mcpKey, { description: 'Item A, revised' });

    const since = encodeURIComponent('2026-08-02T00:00:00+00:00');
    const sameTime = [b.id, c.id].sort();
    const feed = await call('GET', `action-items?updated_since=${since}`, mcpKey);
    expect(feed.statusCode).toBe(200);
    expect(ids(feed)).toEqual([...sameTime, a.id]);
    expect(feed.json<Item[]>()[2]).toMatchObject({ description: 'Item A, revised', updated_at: '2026-08-03T08:00:00.000Z' });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `action-items?updated_since=${since}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, mcpKey);
      seen.push(...ids(page));
      cursor = page.headers['x-next-cursor'] as string | undefined;
    } while (cursor);
    expect(seen).toEqual([...sameTime, a.id]);

    const refuse = async (query: string, detail: string | RegExp) => {
      const res = await call('GET', `action-items?updated_since=${since}&${query}`, mcpKey);
      expect(res.statusCode).toBe(400);
      expect(res.json<{ detail: string }>().detail).toMatch(detail);
    };
    await refuse('completed=false', 'completed/due-date filters are not supported with updated_since.');
    await refuse('offset=1', 'offset is not supported with updated_since; use cursor.');
    await refuse('cursor=bogus', 'Invalid cursor');
    const naive = await call('GET', 'action-items?updated_since=2026-08-02T00:00:00', mcpKey);
    expect(naive.statusCode).toBe(400);
    expect(naive.json<{ detail: string }>().detail).toMatch(/^Invalid updated_since format/);
  });
});

describe('goals, daily summaries, profile and the data this server does not keep', () => {
  it('goals: active ones, or all of them with include_inactive', async () => {
    const { key, mcpKey } = await user();
    const goal = (await ctx.call('POST', '/v1/dev/user/goals', key, { title: 'Run a marathon' })).json<{ id: string }>();
    expect(ids(await call('GET', 'goals', mcpKey))).toEqual([goal.id]);
    expect(ids(await call('GET', 'goals?include_inactive=true', mcpKey))).toEqual([goal.id]);
  });

  it('daily summaries: newest first, cursor pages, YYYY-MM-DD bounds with upstream’s 400', async () => {
    const { key, mcpKey } = await user();
    for (const [day, text] of [['2026-09-01', 'Planned the garden beds with Ana.'], ['2026-09-02', 'Reviewed the budget for the trip.']]) {
      ctx.clock.set(`${day}T12:00:00.000Z`);
      await ctx.call('POST', '/v1/dev/user/conversations', key, { text, started_at: `${day}T11:00:00Z` });
    }
    await ctx.drainJobs();
    const all = await call('GET', 'daily-summaries', mcpKey);
    expect(all.json<{ date: string }[]>().map((s) => s.date)).toEqual(['2026-09-02', '2026-09-01']);
    const first = await call('GET', 'daily-summaries?limit=1', mcpKey);
    const second = await call('GET', `daily-summaries?limit=1&cursor=${first.headers['x-next-cursor'] as string}`, mcpKey);
    expect(second.json<{ date: string }[]>().map((s) => s.date)).toEqual(['2026-09-01']);
    expect(second.headers['x-next-cursor']).toBeUndefined();
    expect((await call('GET', 'daily-summaries?start_date=2026-09-02', mcpKey)).json<unknown[]>()).toHaveLength(1);
    const bad = await call('GET', 'daily-summaries?end_date=yesterday', mcpKey);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ detail: "Invalid end_date format: 'yesterday'. Expected YYYY-MM-DD." });
  });

  it('profile from the account; chat, people and screen activity are empty', async () => {
    const { mcpKey, userId } = await user();
    const account = await ctx.storage.users.findById(userId);
    expect((await call('GET', 'profile', mcpKey)).json()).toEqual({
      name: 'Test User',
      email: account!.email,
      phone_number: null,
      profile_text: null,
      generated_at: null,
      data_sources_used: null,
    });
    expect((await call('GET', 'chat?limit=50&offset=0', mcpKey)).json()).toEqual([]);
    expect((await call('GET', 'people', mcpKey)).json()).toEqual([]);
    expect((await call('GET', 'screen-activity', mcpKey)).json()).toEqual([]);
    expect((await call('GET', 'screen-activity?summary=true', mcpKey)).json()).toEqual({ apps: {}, total_screenshots: 0, coverage: null });
  });
});

describe('rate limits', () => {
  it('memories:create allows 60 REST creates an hour per key (multiplier 1), then 429 with Retry-After', async () => {
    const limited = await createTestContext({ OMI_RATE_LIMIT_MULTIPLIER: '1' });
    try {
      const { userId } = await limited.signIn();
      const { secret } = await limited.services.mcpKeys.create(userId, { name: 'busy client' });
      const create = (content: string) => limited.call('POST', '/v1/mcp/memories', secret, { content });
      for (let i = 0; i < 60; i++) expect((await create(`Fact number ${i} about the user`)).statusCode).toBe(200);
      const refused = await create('One fact too many');
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['x-ratelimit-limit']).toBe('60');
      // Another policy of the same key is unaffected; another key of the same user has its own budget.
      expect((await limited.call('GET', '/v1/mcp/memories', secret)).statusCode).toBe(200);
      const { secret: second } = await limited.services.mcpKeys.create(userId, { name: 'second client' });
      expect((await limited.call('POST', '/v1/mcp/memories', second, { content: 'A fresh budget' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('a 503 from an unreachable limiter store carries Retry-After', async () => {
    const { mcpKey } = await user();
    /** A counter store that cannot be reached, as Redis when it is down. */
    class UnreachableStore extends MemoryRateLimitStore {
      override hit(): Promise<never> {
        return Promise.reject(new Error('connection refused'));
      }
    }
    const app = await buildApp({ ...ctx, rateLimiter: new RateLimiter(new UnreachableStore(), 1) });
    try {
      const res = await app.inject({ method: 'GET', url: '/v1/mcp/action-items', headers: { authorization: `Bearer ${mcpKey}` } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ detail: 'Rate limiter unavailable' });
      expect(res.headers['retry-after']).toBe('60');
    } finally {
      await app.close();
    }
  });
});
