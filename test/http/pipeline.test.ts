import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDuplicateTask } from '../../src/modules/conversations/dedupe.ts';
import { ACTION_ITEM_DEDUPE_WINDOW_MS } from '../../src/modules/conversations/post-processing.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { freshDatabase, POSTGRES_TEST_URL } from '../helpers/databases.ts';
import { defaultReply, FAKE_SUMMARY, startFakeLlm, type FakeLlm } from '../helpers/fake-llm.ts';
import { expectSpecResponse } from '../helpers/spec.ts';

const CONVERSATIONS = '/v1/dev/user/conversations';

/** A planning call the user had; what a person would write down is in the assertions. */
const PLANNING_CALL = [
  { text: 'Hey Sam, thanks for calling. So about the product launch.', speaker: 'SPEAKER_00', is_user: true, start: 0, end: 4 },
  { text: 'Yeah. The designs are almost done. Can you send me the final copy for the landing page by Friday?', speaker: 'SPEAKER_01', start: 4, end: 10 },
  { text: "Sure, I'll send you the final copy by Friday. I also need to book the photographer for the product shoot.", speaker: 'SPEAKER_00', is_user: true, start: 10, end: 17 },
  { text: "Great. By the way, I moved to Lisbon last month, so I'm an hour behind you now.", speaker: 'SPEAKER_00', is_user: true, start: 17, end: 22 },
  { text: 'Oh nice! Okay, talk soon.', speaker: 'SPEAKER_01', start: 22, end: 24 },
];

interface WireActionItem {
  id: string;
  description: string;
  due_at: string | null;
  conversation_id: string | null;
}

describe('the processing pipeline (offline)', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('turns a call into a summary now, and action items, memories, a folder and a daily summary after the jobs run', async () => {
    ctx.clock.set('2026-03-04T15:00:00.000Z'); // a Wednesday
    const { key } = await ctx.developer();
    const created = await ctx.call('POST', `${CONVERSATIONS}/from-segments`, key, {
      transcript_segments: PLANNING_CALL,
      started_at: '2026-03-04T15:00:00Z',
    });
    expect(created.statusCode).toBe(200);
    const { id } = created.json<{ id: string }>();

    const conversation = (await ctx.call('GET', `${CONVERSATIONS}/${id}`, key)).json<{
      folder_id: string | null;
      structured: { title: string; category: string; action_items: { description: string; due_at: string | null }[] };
    }>();
    expect(conversation.structured.title).not.toBe('');
    expect(conversation.structured.action_items.map((a) => a.description.toLowerCase()).join(' | ')).toMatch(/copy/);
    // Nothing extracted yet: those steps are background jobs.
    expect((await ctx.call('GET', '/v1/dev/user/action-items', key)).json()).toEqual([]);
    expect(conversation.folder_id).toBeNull();

    expect(await ctx.drainJobs()).toBe(4);

    const items = (await ctx.call('GET', '/v1/dev/user/action-items', key)).json<WireActionItem[]>();
    expect(items.length).toBe(conversation.structured.action_items.length);
    expect(items.every((item) => item.conversation_id === id)).toBe(true);
    // Extracted items get ids of the same form as created ones (20 letters and digits).
    const manual = (await ctx.call('POST', '/v1/dev/user/action-items', key, { description: 'water the plants' })).json<WireActionItem>();
    for (const item of [...items, manual]) expect(item.id).toMatch(/^[A-Za-z0-9]{20}$/);
    await ctx.call('DELETE', `/v1/dev/user/action-items/${manual.id}`, key);
    const copy = items.find((item) => /copy/i.test(item.description));
    expect(copy?.due_at?.slice(0, 10)).toBe('2026-03-06');

    const memories = (await ctx.call('GET', '/v1/dev/user/memories', key)).json<{ content: string; manually_added: boolean }[]>();
    expect(memories.length).toBeGreaterThan(0);
    expect(memories.length).toBeLessThanOrEqual(4);
    expect(memories.map((m) => m.content).join(' | ')).toMatch(/Lisbon/);
    expect(memories.every((m) => !m.manually_added)).toBe(true);

    const folders = await ctx.call('GET', '/v1/dev/user/folders', key);
    expect(folders.statusCode).toBe(200);
    expectSpecResponse('listFolders', 200, folders.json());
    const list = folders.json<{ id: string; name: string; is_system: boolean; order: number; conversation_count: number; color: string; icon: string }[]>();
    expect(list.map((f) => [f.name, f.order, f.is_system, f.color, f.icon])).toEqual([
      ['Work', 0, true, '#3B82F6', '💼'],
      ['Personal', 1, true, '#10B981', '👤'],
      ['Social', 2, true, '#8B5CF6', '👥'],
    ]);
    const filed = (await ctx.call('GET', `${CONVERSATIONS}/${id}`, key)).json<{ folder_id: string; folder_name: string }>();
    expect(list.find((f) => f.id === filed.folder_id)).toMatchObject({ name: filed.folder_name, conversation_count: 1 });
    expect((await ctx.call('GET', `${CONVERSATIONS}?folder_id=${filed.folder_id}`, key)).json<unknown[]>()).toHaveLength(1);

    const summaries = await ctx.call('GET', '/v1/dev/user/daily-summaries', key);
    expect(summaries.statusCode).toBe(200);
    const [summary] = summaries.json<{ summaries: { id: string; date: string; stats: { total_conversations: number; words_spoken: number }; headline: string }[] }>().summaries;
    expect(summary).toMatchObject({ date: '2026-03-04', stats: { total_conversations: 1 } });
    expect(summary!.stats.words_spoken).toBeGreaterThan(40);
    expect(summary!.headline).not.toBe('');
    const one = await ctx.call('GET', `/v1/dev/user/daily-summaries/${summary!.id}`, key);
    expect(one.json()).toEqual(summary);
  });

  it('does not duplicate an open action item created in the last two days, but does after that', async () => {
    ctx.clock.set('2026-03-10T09:00:00.000Z');
    const { key } = await ctx.developer();
    const say = (text: string) => ctx.call('POST', CONVERSATIONS, key, { text });
    await say("I'll send the signed contract to the landlord tomorrow morning, and I have to renew the car insurance.");
    await ctx.drainJobs();
    const first = (await ctx.call('GET', '/v1/dev/user/action-items', key)).json<WireActionItem[]>();
    expect(first.length).toBeGreaterThan(0);

    ctx.clock.advance(24 * 3600_000);
    await say("Reminder for myself: I'll send the signed contract to the landlord, and I have to renew the car insurance.");
    await ctx.drainJobs();
    expect((await ctx.call('GET', '/v1/dev/user/action-items', key)).json<WireActionItem[]>()).toHaveLength(first.length);

    ctx.clock.advance(ACTION_ITEM_DEDUPE_WINDOW_MS + 3600_000);
    await say("Reminder for myself: I'll send the signed contract to the landlord, and I have to renew the car insurance.");
    await ctx.drainJobs();
    expect((await ctx.call('GET', '/v1/dev/user/action-items', key)).json<WireActionItem[]>().length).toBeGreaterThan(first.length);
  });

  it('keeps folders read-only for a new user and refreshes the daily summary as conversations change', async () => {
    ctx.clock.set('2026-04-01T08:00:00.000Z');
    const { key } = await ctx.developer();
    expect((await ctx.call('GET', '/v1/dev/user/folders', key)).json()).toEqual([]);
    expect((await ctx.call('GET', '/v1/dev/user/daily-summaries', key)).json()).toEqual({ summaries: [] });

    const a = (await ctx.call('POST', CONVERSATIONS, key, { text: 'Morning run along the river, ten kilometres in under an hour. My knee felt fine.', started_at: '2026-04-01T07:00:00Z' })).json<{ id: string }>();
    const b = (await ctx.call('POST', CONVERSATIONS, key, { text: 'Budget meeting: marketing gets twenty thousand for the spring campaign; I need to update the forecast.', started_at: '2026-04-01T10:00:00Z' })).json<{ id: string }>();
    await ctx.call('POST', CONVERSATIONS, key, { text: 'Dinner with my sister Ana, who just started nursing school in Porto.', started_at: '2026-04-02T19:00:00Z' });
    await ctx.drainJobs();

    type Summaries = { summaries: { id: string; date: string; stats: { total_conversations: number } }[] };
    const read = async (query = '') => (await ctx.call('GET', `/v1/dev/user/daily-summaries${query}`, key)).json<Summaries>().summaries;
    expect((await read()).map((s) => [s.date, s.stats.total_conversations])).toEqual([
      ['2026-04-02', 1],
      ['2026-04-01', 2],
    ]);
    expect((await read('?start_date=2026-04-02')).map((s) => s.date)).toEqual(['2026-04-02']);
    expect((await read('?end_date=2026-04-01')).map((s) => s.date)).toEqual(['2026-04-01']);
    expect((await read('?limit=1&offset=1')).map((s) => s.date)).toEqual(['2026-04-01']);
    const firstId = (await read('?end_date=2026-04-01'))[0]!.id;

    await ctx.call('PATCH', `${CONVERSATIONS}/${a.id}`, key, { discarded: true });
    await ctx.drainJobs();
    expect((await read('?end_date=2026-04-01'))[0]).toMatchObject({ id: firstId, stats: { total_conversations: 1 } });

    await ctx.call('DELETE', `${CONVERSATIONS}/${b.id}`, key);
    await ctx.drainJobs();
    expect((await read()).map((s) => s.date)).toEqual(['2026-04-02']);
    const gone = await ctx.call('GET', `/v1/dev/user/daily-summaries/${firstId}`, key);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({ detail: 'Daily summary not found' });
  });

  it('validates daily-summary dates and hides other users’ summaries', async () => {
    const owner = await ctx.developer();
    const other = await ctx.developer();
    await ctx.call('POST', CONVERSATIONS, owner.key, { text: 'Signed the lease for the new studio apartment; the move is on the 15th.' });
    await ctx.drainJobs();
    const [summary] = (await ctx.call('GET', '/v1/dev/user/daily-summaries', owner.key)).json<{ summaries: { id: string }[] }>().summaries;
    expect((await ctx.call('GET', `/v1/dev/user/daily-summaries/${summary!.id}`, other.key)).statusCode).toBe(404);
    expect((await ctx.call('GET', '/v1/dev/user/daily-summaries', other.key)).json()).toEqual({ summaries: [] });
    expect((await ctx.call('GET', '/v1/dev/user/daily-summaries?start_date=yesterday', owner.key)).statusCode).toBe(422);
    // As upstream's Query(30, ge=1, le=100) and Query(0, ge=0): out of range is FastAPI's 422, not clamped.
    for (const [query, loc, type] of [
      ['limit=0', 'limit', 'greater_than_equal'],
      ['limit=101', 'limit', 'less_than_equal'],
      ['offset=-1', 'offset', 'greater_than_equal'],
    ] as const) {
      const res = await ctx.call('GET', `/v1/dev/user/daily-summaries?${query}`, owner.key);
      expect(res.statusCode).toBe(422);
      expect(res.json<{ detail: { loc: string[]; type: string }[] }>().detail[0]).toMatchObject({ loc: ['query', loc], type });
    }
    for (const query of ['limit=1', 'limit=100', 'offset=0&start_date=2000-01-01&end_date=2999-12-31']) {
      const res = await ctx.call('GET', `/v1/dev/user/daily-summaries?${query}`, owner.key);
      expect(res.statusCode).toBe(200);
      expect(res.json<{ summaries: { id: string }[] }>().summaries.map((s) => s.id)).toEqual([summary!.id]);
    }
  });
});

describe('the daily summary under a burst of changes', () => {
  it('waits a minute for more changes and then regenerates the day once', async () => {
    const ctx = await createTestContext({}, { dailySummaryDelayMs: 60_000 });
    try {
      ctx.clock.set('2026-06-01T09:00:00.000Z');
      const { key } = await ctx.developer();
      for (const text of [
        'Planned the sprint: the checkout redesign ships next week.',
        'Coffee with Leo, who is moving to Madrid for a new job at a bank.',
        'Booked the dentist for a cleaning and paid the electricity bill.',
      ]) {
        await ctx.call('POST', CONVERSATIONS, key, { text });
        ctx.clock.advance(5_000);
      }
      expect(await ctx.drainJobs()).toBe(9); // action items, memories and folder for each
      expect((await ctx.call('GET', '/v1/dev/user/daily-summaries', key)).json()).toEqual({ summaries: [] });
      ctx.clock.advance(60_000);
      expect(await ctx.drainJobs()).toBe(1);
      const { summaries } = (await ctx.call('GET', '/v1/dev/user/daily-summaries', key)).json<{ summaries: { stats: { total_conversations: number } }[] }>();
      expect(summaries.map((s) => s.stats.total_conversations)).toEqual([3]);
    } finally {
      await ctx.close();
    }
  });
});

describe('the processing pipeline across a restart', () => {
  it('finishes every queued and half-done job after the server restarts', async () => {
    const database =
      POSTGRES_TEST_URL !== undefined
        ? await freshDatabase('postgres')
        : await (async () => {
            const { mkdtempSync, rmSync } = await import('node:fs');
            const { join } = await import('node:path');
            const { tmpdir } = await import('node:os');
            const dir = mkdtempSync(join(tmpdir(), 'omi-restart-'));
            return { url: `sqlite:${join(dir, 'omi.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
          })();
    try {
      const before = await createTestContext({ OMI_DATABASE_URL: database.url });
      before.clock.set('2026-05-05T12:00:00.000Z');
      const { key } = await before.developer();
      const ids: string[] = [];
      for (const segment of [PLANNING_CALL, PLANNING_CALL.slice(0, 3)]) {
        const res = await before.call('POST', `${CONVERSATIONS}/from-segments`, key, { transcript_segments: segment });
        ids.push(res.json<{ id: string }>().id);
      }
      // One job is taken by a worker that dies mid-way; the rest are still queued.
      const now = before.clock.now();
      expect(await before.storage.jobs.claim('crashed-worker', now.toISOString(), new Date(now.getTime() + 120_000).toISOString())).toBeDefined();
      const queued = (await before.storage.jobs.list()).length;
      expect(queued).toBeGreaterThan(4);
      await before.close();

      const after = await createTestContext({ OMI_DATABASE_URL: database.url });
      try {
        after.clock.set('2026-05-05T12:01:00.000Z');
        expect(await after.drainJobs()).toBe(queued - 1);
        after.clock.set('2026-05-05T12:03:00.000Z'); // the dead worker's lease has run out
        expect(await after.drainJobs()).toBe(1);
        expect(await after.storage.jobs.list()).toEqual([]);
        const items = (await after.call('GET', '/v1/dev/user/action-items', key)).json<WireActionItem[]>();
        // Both calls share their tasks: whichever job ran first added them, the other added no copies.
        expect(items.length).toBeGreaterThan(0);
        expect(items.every((i) => ids.includes(i.conversation_id!))).toBe(true);
        for (const [i, item] of items.entries()) {
          for (const other of items.slice(i + 1)) expect(isDuplicateTask(item.description, other.description)).toBe(false);
        }
        const folders = (await after.call('GET', '/v1/dev/user/folders', key)).json<{ conversation_count: number }[]>();
        expect(folders.reduce((n, f) => n + f.conversation_count, 0)).toBe(2);
        const summaries = (await after.call('GET', '/v1/dev/user/daily-summaries', key)).json<{ summaries: unknown[] }>();
        expect(summaries.summaries).toHaveLength(1);
      } finally {
        await after.close();
      }
    } finally {
      await database.drop();
    }
  });
});

describe('the processing pipeline with an LLM', () => {
  let fake: FakeLlm;
  let ctx: TestContext;
  const warnings: object[] = [];

  beforeAll(async () => {
    fake = await startFakeLlm();
    ctx = await createTestContext(
      { OMI_LLM_BASE_URL: fake.url, OMI_LLM_MODEL: 'fake-model', OMI_LLM_API_KEY: 'sk-test-secret', OMI_LLM_TIMEOUT_MS: '300' },
      { log: { info: () => {}, warn: (obj) => warnings.push(obj), error: () => {} } },
    );
  });
  afterAll(async () => {
    await ctx.close();
    await fake.close();
  });

  it('uses the LLM for the summary, memories and the daily summary', async () => {
    fake.reset();
    const { key } = await ctx.developer();
    const { id } = (await ctx.call('POST', CONVERSATIONS, key, { text: 'We talked about testing with fake models.' })).json<{ id: string }>();
    const conversation = (await ctx.call('GET', `${CONVERSATIONS}/${id}`, key)).json<{ structured: { title: string; category: string; emoji: string } }>();
    expect(conversation.structured).toMatchObject({ title: FAKE_SUMMARY.title, category: 'technology', emoji: '🤖' });
    await ctx.drainJobs();
    const memories = (await ctx.call('GET', '/v1/dev/user/memories', key)).json<{ content: string }[]>();
    expect(memories.map((m) => m.content)).toContain('Tests software against fake language models');
    const folders = (await ctx.call('GET', '/v1/dev/user/folders', key)).json<{ name: string; conversation_count: number }[]>();
    expect(folders.find((f) => f.name === 'Work')?.conversation_count).toBe(1);
    expect(fake.requests.map((r) => r.kind).sort()).toEqual(['daily', 'memories', 'summarize']);
    expect(fake.requests[0]!.body?.model).toBe('fake-model');
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer sk-test-secret');
  });

  it.each([
    ['invalid JSON', { content: 'this is not json' }],
    ['a server error', { status: 500, body: { error: 'boom' } }],
    ['a timeout', { hang: true }],
  ] as const)('falls back to the offline processor on %s, never a 500', async (_case, reply) => {
    fake.respondWith((request) => (request.kind === 'summarize' ? reply : defaultReply(request)));
    warnings.length = 0;
    const { key } = await ctx.developer();
    const res = await ctx.call('POST', CONVERSATIONS, key, {
      text: 'The plumber will come on Thursday to fix the kitchen sink; I need to be home by noon.',
    });
    expect(res.statusCode).toBe(200);
    const { id, discarded } = res.json<{ id: string; discarded: boolean }>();
    expect(discarded).toBe(false);
    const conversation = (await ctx.call('GET', `${CONVERSATIONS}/${id}`, key)).json<{ structured: { title: string } }>();
    expect(conversation.structured.title).not.toBe(FAKE_SUMMARY.title);
    expect(conversation.structured.title).not.toBe('');
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('sk-test-secret');
    fake.respondWith(defaultReply);
  });
});
