import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISSING_DEV_HEADER } from '../../src/http/auth.ts';
import { DEV_KEY_ON_MCP_ROUTE } from '../../src/modules/mcp-keys/mcp-principal.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

/**
 * The REST calls of upstream's stdio MCP server (`mcp-server-omi`, server.py), made exactly as it
 * makes them: `OMI_API_BASE_URL=<server>/v1/mcp/`, `requests` with `params=` (form-encoded query,
 * spaces as `+`), `json=` bodies and `Authorization: Bearer omi_mcp_…`; asserting on what it reads.
 */
const BASE_URL = '/v1/mcp/';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  await ctx.close();
});

/** `requests.<method>(f"{base_url}{path}", params=…, json=…, headers={"Authorization": f"Bearer {key}"})`. */
function stdio(method: string, path: string, key: string, options: { params?: Record<string, string | number>; json?: unknown } = {}) {
  const query = options.params ? `?${new URLSearchParams(Object.entries(options.params).map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
  return ctx.app.inject({
    method: method as 'GET',
    url: `${BASE_URL}${path}${query}`,
    headers: {
      authorization: `Bearer ${key}`,
      ...(options.json !== undefined && { 'content-type': 'application/json' }),
    },
    ...(options.json !== undefined && { payload: JSON.stringify(options.json) }),
  });
}

/** An account with a developer key (to seed data through the Developer API) and an MCP key. */
async function user() {
  const dev = await ctx.developer();
  const { secret } = await ctx.services.mcpKeys.create(dev.userId, { name: 'stdio server' });
  return { ...dev, mcpKey: secret };
}

async function seedMemory(key: string, content: string, category = 'work'): Promise<string> {
  const res = await ctx.call('POST', '/v1/dev/user/memories', key, { content, category });
  expect(res.statusCode).toBe(200);
  return res.json<{ id: string }>().id;
}

/** A conversation that started, and was recorded (its created_at), at `startedAt`. */
async function seedConversation(key: string, startedAt: string, segments: { text: string; speaker: string; is_user?: boolean }[]) {
  ctx.clock.set(startedAt);
  const res = await ctx.call('POST', '/v1/dev/user/conversations/from-segments', key, {
    started_at: startedAt,
    transcript_segments: segments.map((s, i) => ({ ...s, start: i * 5, end: i * 5 + 4 })),
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ id: string }>().id;
}

describe('authentication of /v1/mcp/*', () => {
  it('answers upstream’s 401 texts and refuses developer keys', async () => {
    const { key, mcpKey } = await user();
    const bare = await ctx.app.inject({ method: 'GET', url: `${BASE_URL}memories` });
    expect(bare.statusCode).toBe(401);
    expect(bare.json()).toEqual({ detail: MISSING_DEV_HEADER });
    expect(MISSING_DEV_HEADER).toBe("Missing or invalid Authorization header. Must be 'Bearer API_KEY'");
    const noBearer = await ctx.app.inject({ method: 'GET', url: `${BASE_URL}memories`, headers: { authorization: mcpKey } });
    expect(noBearer.json()).toEqual({ detail: MISSING_DEV_HEADER });

    const wrong = await stdio('GET', 'memories', 'omi_mcp_0123456789abcdef0123456789abcdef');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ detail: 'Invalid API Key' });

    const devKey = await stdio('GET', 'conversations', key);
    expect(devKey.statusCode).toBe(401);
    expect(devKey.json()).toEqual({ detail: DEV_KEY_ON_MCP_ROUTE });
    expect(DEV_KEY_ON_MCP_ROUTE).toContain('POST /v1/mcp/keys');
  });

  it('stops accepting a key the moment it is revoked', async () => {
    const { userId, mcpKey } = await user();
    expect((await stdio('GET', 'memories', mcpKey)).statusCode).toBe(200);
    const [stored] = await ctx.services.mcpKeys.list(userId);
    await ctx.services.mcpKeys.revoke(userId, stored!.id);
    expect((await stdio('GET', 'memories', mcpKey)).json()).toEqual({ detail: 'Invalid API Key' });
  });
});

describe('the stdio server’s memory tools', () => {
  it('get_memories: a bare array, filtered by categories, paged by X-Next-Cursor', async () => {
    const { key, mcpKey } = await user();
    ctx.clock.set('2026-05-01T10:00:00.000Z');
    const first = await seedMemory(key, 'Works as a structural engineer in Porto', 'work');
    ctx.clock.set('2026-05-02T10:00:00.000Z');
    const second = await seedMemory(key, 'Plays the cello on weekends', 'hobbies');
    ctx.clock.set('2026-05-03T10:00:00.000Z');
    const third = await seedMemory(key, 'Prefers meetings before noon', 'work');

    // get_memories(offset=0, limit=100): the defaults the stdio server sends.
    const all = await stdio('GET', 'memories', mcpKey, { params: { offset: 0, limit: 100 } });
    expect(all.statusCode).toBe(200);
    expect(all.headers['x-next-cursor']).toBeUndefined();
    const memories = all.json<{ id: string; content: string; category: string }[]>();
    expect(memories.map((m) => m.id)).toEqual([third, second, first]); // created_desc, upstream's REST default
    expect(memories[0]).toMatchObject({ content: 'Prefers meetings before noon', category: 'work', manually_added: true });

    const work = await stdio('GET', 'memories', mcpKey, { params: { offset: 0, limit: 100, categories: 'work' } });
    expect(work.json<{ id: string }[]>().map((m) => m.id)).toEqual([third, first]);

    const pageOne = await stdio('GET', 'memories', mcpKey, { params: { limit: 2 } });
    expect(pageOne.json<{ id: string }[]>().map((m) => m.id)).toEqual([third, second]);
    const cursor = pageOne.headers['x-next-cursor'] as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const pageTwo = await stdio('GET', 'memories', mcpKey, { params: { limit: 2, cursor } });
    expect(pageTwo.json<{ id: string }[]>().map((m) => m.id)).toEqual([first]);
    expect(pageTwo.headers['x-next-cursor']).toBeUndefined();
  });

  it('get_memories: upstream’s 400s for a bad category, sort, updated_after or any updated_since', async () => {
    const { mcpKey } = await user();
    const expect400 = async (params: Record<string, string>, detail: string | RegExp) => {
      const res = await stdio('GET', 'memories', mcpKey, { params });
      expect(res.statusCode).toBe(400);
      if (typeof detail === 'string') expect(res.json()).toEqual({ detail });
      else expect(res.json<{ detail: string }>().detail).toMatch(detail);
    };
    await expect400({ categories: 'work,astrology' }, "Invalid category 'astrology' is not a valid MemoryCategory");
    await expect400({ sort: 'random' }, 'Invalid sort. Expected one of: scoring_desc, created_desc, updated_desc, manual_first.');
    await expect400({ updated_after: 'last week' }, "Invalid updated_after format: 'last week'. Expected ISO 8601.");
    await expect400({ updated_since: '2026-01-01T00:00:00Z' }, /^incremental_sync_unsupported: memories /);
    await expect400({ updated_since: '2026-01-01T00:00:00' }, /^Invalid updated_since format/);
    await expect400({ cursor: 'not-a-cursor' }, 'Invalid cursor');
  });

  it('create_memory, edit_memory and delete_memory as the stdio server calls them', async () => {
    const { key, mcpKey } = await user();
    const created = await stdio('POST', 'memories', mcpKey, { json: { content: 'Allergic to penicillin', category: 'hobbies' } });
    expect(created.statusCode).toBe(200);
    // Upstream's Memory model: no id, and the category detected from the content.
    expect(created.json()).toEqual({ content: 'Allergic to penicillin', category: expect.any(String), visibility: 'private', tags: [], headline: null });
    const [memory] = (await stdio('GET', 'memories', mcpKey, { params: { offset: 0, limit: 100 } })).json<{ id: string; content: string }[]>();
    expect(memory!.content).toBe('Allergic to penicillin');

    const edited = await stdio('PATCH', `memories/${memory!.id}`, mcpKey, { params: { value: 'Allergic to penicillin and latex' } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toEqual({ status: 'ok' });
    const viaDev = (await ctx.call('GET', '/v1/dev/user/memories', key)).json<{ id: string; content: string; edited: boolean }[]>();
    expect(viaDev.find((m) => m.id === memory!.id)).toMatchObject({ content: 'Allergic to penicillin and latex', edited: true });

    const blank = await stdio('PATCH', `memories/${memory!.id}`, mcpKey, { params: { value: '   ' } });
    expect(blank.statusCode).toBe(400);
    expect((await stdio('PATCH', `memories/${memory!.id}`, mcpKey)).statusCode).toBe(422); // value is required

    const deleted = await stdio('DELETE', `memories/${memory!.id}`, mcpKey);
    expect(deleted.json()).toEqual({ status: 'ok' });
    for (const res of [await stdio('DELETE', `memories/${memory!.id}`, mcpKey), await stdio('PATCH', `memories/${memory!.id}`, mcpKey, { params: { value: 'x' } })]) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'Memory not found' });
    }
  });

  it('never reaches another user’s memories', async () => {
    const owner = await user();
    const other = await user();
    const id = await seedMemory(owner.key, 'Keeps bees in the garden');
    expect((await stdio('PATCH', `memories/${id}`, other.mcpKey, { params: { value: 'hijacked' } })).statusCode).toBe(404);
    expect((await stdio('DELETE', `memories/${id}`, other.mcpKey)).statusCode).toBe(404);
    expect((await stdio('GET', 'memories', other.mcpKey)).json()).toEqual([]);
    const mine = (await stdio('GET', 'memories', owner.mcpKey)).json<{ id: string; content: string }[]>();
    expect(mine).toMatchObject([{ id, content: 'Keeps bees in the garden' }]);
  });

  it('search: ranked memories with a relevance score', async () => {
    const { key, mcpKey } = await user();
    await seedMemory(key, 'Runs a half marathon every spring');
    const dentist = await seedMemory(key, 'Dentist appointment is every six months with Dr Silva');
    const res = await stdio('GET', 'memories/search', mcpKey, { params: { query: 'dentist', limit: 10 } });
    expect(res.statusCode).toBe(200);
    const hits = res.json<{ id: string; relevance_score: number }[]>();
    expect(hits.map((h) => h.id)).toEqual([dentist]);
    expect(hits[0]!.relevance_score).toBeGreaterThan(0);
  });
});

describe('the stdio server’s conversation tools', () => {
  const dayOne = '2026-06-10T09:00:00Z';
  const dayTwo = '2026-06-11T15:30:00Z';

  it('get_conversations with the naive day bounds it sends; get_conversation_by_id with speaker names', async () => {
    const { key, mcpKey } = await user();
    const early = await seedConversation(key, dayOne, [
      { text: 'We agreed to move the greenhouse project to the north field.', speaker: 'SPEAKER_00', is_user: true },
      { text: 'I will order the glass panels this week.', speaker: 'SPEAKER_01' },
    ]);
    const late = await seedConversation(key, dayTwo, [{ text: 'The violin lesson moved to Thursday evening at six.', speaker: 'SPEAKER_00', is_user: true }]);

    // get_conversations(limit=20, offset=0): datetime.strptime(...).isoformat() bounds.
    const res = await stdio('GET', 'conversations', mcpKey, { params: { limit: 20, offset: 0 } });
    expect(res.statusCode).toBe(200);
    const list = res.json<{ id: string; structured: { title: string; overview: string; category: string } }[]>();
    expect(list.map((c) => c.id)).toEqual([late, early]);
    expect(Object.keys(list[0]!).sort()).toEqual(['apps_results', 'finished_at', 'id', 'language', 'match_snippets', 'started_at', 'structured']);
    expect(list[0]!.structured.title).not.toBe('');

    const dayBounds = { limit: 20, offset: 0, start_date: '2026-06-10T00:00:00', end_date: '2026-06-10T23:59:59' };
    expect((await stdio('GET', 'conversations', mcpKey, { params: dayBounds })).json<{ id: string }[]>().map((c) => c.id)).toEqual([early]);
    const bad = await stdio('GET', 'conversations', mcpKey, { params: { categories: 'gossip' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ detail: "Invalid category 'gossip' is not a valid CategoryEnum" });

    const paged = await stdio('GET', 'conversations', mcpKey, { params: { limit: 1, offset: 0 } });
    expect(paged.json<{ id: string }[]>().map((c) => c.id)).toEqual([late]);
    const next = await stdio('GET', 'conversations', mcpKey, { params: { limit: 1, cursor: paged.headers['x-next-cursor'] as string } });
    expect(next.json<{ id: string }[]>().map((c) => c.id)).toEqual([early]);
    expect(next.headers['x-next-cursor']).toBeUndefined();

    const one = await stdio('GET', `conversations/${early}`, mcpKey);
    expect(one.statusCode).toBe(200);
    const full = one.json<{ id: string; truncated: boolean; transcript_segments: { text: string; speaker_id: number; speaker_name: string; start: number; end: number }[] }>();
    expect(full).toMatchObject({ id: early, truncated: false });
    expect(full.transcript_segments.map((s) => [s.speaker_id, s.speaker_name, s.start])).toEqual([
      [0, 'Test User', 0],
      [1, 'Speaker 1', 5],
    ]);
  });

  it('get_conversation_by_id: 404 for unknown and other users’ ids, 400 for an id that names no document', async () => {
    const owner = await user();
    const other = await user();
    const id = await seedConversation(owner.key, dayOne, [{ text: 'Quarterly tax estimate is due on the fifteenth.', speaker: 'SPEAKER_00' }]);
    for (const res of [await stdio('GET', `conversations/${id}`, other.mcpKey), await stdio('GET', 'conversations/no-such-id', owner.mcpKey)]) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'Conversation not found' });
    }
    const unsafe = await stdio('GET', 'conversations/__reserved__', owner.mcpKey);
    expect(unsafe.statusCode).toBe(400);
    expect(unsafe.json()).toEqual({ detail: 'conversation_id is not a valid document id' });
    expect((await stdio('GET', 'conversations', other.mcpKey)).json()).toEqual([]);
  });

  it('search_conversations: ranked matches, YYYY-MM-DD bounds, upstream’s 400 for a bad date', async () => {
    const { key, mcpKey } = await user();
    const greenhouse = await seedConversation(key, dayOne, [{ text: 'The greenhouse heater broke again overnight.', speaker: 'SPEAKER_00' }]);
    await seedConversation(key, dayTwo, [{ text: 'Dinner reservation for Saturday is confirmed.', speaker: 'SPEAKER_00' }]);
    const found = await stdio('GET', 'conversations/search', mcpKey, { params: { query: 'greenhouse heater', limit: 10 } });
    expect(found.statusCode).toBe(200);
    expect(found.json<{ id: string }[]>().map((c) => c.id)).toEqual([greenhouse]);

    const sameDay = { query: 'greenhouse', limit: 10, start_date: '2026-06-10', end_date: '2026-06-10' };
    expect((await stdio('GET', 'conversations/search', mcpKey, { params: sameDay })).json<{ id: string }[]>().map((c) => c.id)).toEqual([greenhouse]);
    const later = { ...sameDay, start_date: '2026-06-11', end_date: '2026-06-11' };
    expect((await stdio('GET', 'conversations/search', mcpKey, { params: later })).json()).toEqual([]);

    const bad = await stdio('GET', 'conversations/search', mcpKey, { params: { query: 'greenhouse', limit: 10, start_date: '06/10/2026' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ detail: "Invalid start_date format: '06/10/2026'. Expected YYYY-MM-DD." });
  });
});
