import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpServer } from '../../src/mcp/server.ts';
import { MCP_SCOPES } from '../../src/modules/mcp-keys/mcp-scopes.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

const ALL_TOOLS = [
  'get_memories',
  'search_memories',
  'create_memory',
  'create_memories',
  'edit_memory',
  'delete_memory',
  'get_conversations',
  'search_conversations',
  'get_conversation_by_id',
  'get_conversations_by_ids',
  'get_action_items',
  'search_action_items',
  'create_action_item',
  'complete_action_item',
  'update_action_item',
  'delete_action_item',
  'get_goals',
  'get_daily_summaries',
];
const READ_TOOLS = ALL_TOOLS.filter((name) => /^(get|search)_/.test(name));
const READ_SCOPES = MCP_SCOPES.filter((scope) => scope.endsWith('.read'));

const BUDGET_MEETING = [
  { text: "Let's go over the Q3 budget review before it goes to finance on Friday.", speaker: 'SPEAKER_00', is_user: true, start: 0, end: 6 },
  { text: "I'll send the updated marketing numbers tomorrow morning.", speaker: 'SPEAKER_01', start: 6.5, end: 11 },
  { text: 'Please also book the conference room for the planning session next week.', speaker: 'SPEAKER_00', is_user: true, start: 11.5, end: 17 },
  { text: 'Sure, and we should hire a contractor for the website redesign.', speaker: 'SPEAKER_01', start: 17.5, end: 24 },
];
const HIKING_TRIP = [
  { text: 'The hiking trip to the Dolomites starts on the second of August.', speaker: 'SPEAKER_00', is_user: true, start: 0, end: 5 },
  { text: 'We need to reserve the mountain huts and pack the rain jackets.', speaker: 'SPEAKER_01', start: 5.5, end: 10 },
];

interface ToolResult {
  isError?: boolean;
  content: { type: string; text: string }[];
  structuredContent?: Record<string, unknown>;
}
/** A tool's structured result, read loosely. */
type Data = Record<string, any>;

let ctx: TestContext;
const clients: Client[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await ctx.close();
});

/** A client talking to a fresh server for this user over the SDK's in-memory transport. */
async function connect(userId: string, scopes: readonly string[] = MCP_SCOPES) {
  const server = createMcpServer(ctx.services, { userId, keyId: 'test', scopes });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'tools-test', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  clients.push(client);
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as ToolResult;
  /** A successful call's structured result, which the text content repeats as JSON. */
  const ok = async (name: string, args: Record<string, unknown> = {}): Promise<Data> => {
    const result = await call(name, args);
    expect(result.isError, result.content[0]?.text).toBeFalsy();
    expect(JSON.parse(result.content[0]!.text)).toEqual(result.structuredContent);
    return result.structuredContent as Data;
  };
  /** A failed call's `{code, message}`. */
  const fail = async (name: string, args: Record<string, unknown> = {}): Promise<{ code: string; message: string }> => {
    const result = await call(name, args);
    expect(result.isError, JSON.stringify(result.structuredContent)).toBe(true);
    const error = (result.structuredContent as { error: { code: string; message: string } }).error;
    expect(result.content[0]!.text).toBe(error.message);
    return error;
  };
  return { client, call, ok, fail };
}

async function newUser() {
  const { userId, key } = await ctx.developer();
  return { userId, key, ...(await connect(userId)) };
}

async function conversation(userId: string, day: string, segments: typeof BUDGET_MEETING) {
  ctx.clock.set(`${day}T10:00:00.000Z`);
  const created = await ctx.services.conversations.createFromSegments(userId, { transcript_segments: segments });
  expect(created.discarded).toBe(false);
  return created.id;
}

describe('tool listing', () => {
  it('lists every tool, with instructions and server info', async () => {
    const { userId } = await ctx.signIn();
    const { client } = await connect(userId);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...ALL_TOOLS].sort());
    for (const tool of tools) {
      expect(tool.description).toBeTruthy();
      expect(tool.inputSchema.type).toBe('object');
    }
    expect(tools.find((t) => t.name === 'search_memories')!.inputSchema.required).toEqual(['query']);
    expect(client.getServerVersion()).toEqual({ name: 'omi-mcp-server', version: '1.0.0' });
    expect(client.getInstructions()).toMatch(/retrieve/i);
  });

  it('lists only the read tools for read scopes, and refuses the others', async () => {
    const { userId } = await ctx.signIn();
    const { client, call } = await connect(userId, READ_SCOPES);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS].sort());
    const refused = await call('create_memory', { content: 'Should not be saved' });
    expect(refused.isError).toBe(true);
    expect(await ctx.services.memories.list(userId, { limit: 10, offset: 0 })).toEqual([]);
  });

  it('lists no tools without scopes', async () => {
    const { userId } = await ctx.signIn();
    const { client } = await connect(userId, []);
    expect((await client.listTools()).tools).toEqual([]);
  });
});

describe('memory tools', () => {
  it('create, list, search, edit and delete', async () => {
    const { ok, key } = await newUser();
    const created = await ok('create_memory', { content: 'Prefers oat milk in coffee', category: 'lifestyle' });
    expect(created.success).toBe(true);
    expect(created.memory).toMatchObject({ content: 'Prefers oat milk in coffee', category: 'lifestyle', manually_added: true });
    await ok('create_memory', { content: 'Works as a structural engineer in Lisbon' });

    const listed = await ok('get_memories');
    expect(listed).toMatchObject({ returned_count: 2, has_more: false, offset: 0, limit: 20, sort: 'scoring_desc' });
    expect(listed.next_cursor).toBeUndefined();
    // The same JSON as the REST API.
    const rest = await ctx.call('GET', '/v1/dev/user/memories', key);
    expect(listed.memories).toEqual(rest.json());

    const found = await ok('search_memories', { query: 'oat milk' });
    expect(found.memories[0]).toMatchObject({ id: created.memory.id, content: 'Prefers oat milk in coffee' });
    expect(found.memories[0].relevance_score).toBeGreaterThan(0);
    expect(found.memories[0].relevance_score).toBeLessThanOrEqual(1);
    expect((await ok('search_memories', { query: 'kayaking' })).memories).toEqual([]);

    const edited = await ok('edit_memory', { memory_id: created.memory.id, content: 'Prefers soy milk in coffee' });
    expect(edited).toMatchObject({ success: true, memory: { id: created.memory.id, content: 'Prefers soy milk in coffee', edited: true } });
    expect((await ok('search_memories', { query: 'soy' })).memories.map((m: Data) => m.id)).toEqual([created.memory.id]);

    expect(await ok('delete_memory', { memory_id: created.memory.id })).toEqual({ success: true });
    expect((await ok('get_memories')).memories.map((m: Data) => m.content)).toEqual(['Works as a structural engineer in Lisbon']);
  });

  it('filters by category and sorts on request', async () => {
    const { ok, fail } = await newUser();
    ctx.clock.set('2026-02-01T08:00:00.000Z');
    await ok('create_memory', { content: 'Plays the cello on weekends', category: 'hobbies' });
    ctx.clock.set('2026-02-02T08:00:00.000Z');
    await ok('create_memory', { content: 'Leads the data platform team', category: 'work' });
    ctx.clock.set('2026-02-03T08:00:00.000Z');
    await ok('create_memory', { content: 'Collects vintage fountain pens', category: 'hobbies' });

    const hobbies = await ok('get_memories', { categories: ['hobbies'] });
    expect(hobbies.memories.map((m: Data) => m.category)).toEqual(['hobbies', 'hobbies']);

    const newest = await ok('get_memories', { sort: 'created_desc' });
    expect(newest.memories.map((m: Data) => m.content)).toEqual([
      'Collects vintage fountain pens',
      'Leads the data platform team',
      'Plays the cello on weekends',
    ]);
    expect(newest).toMatchObject({ sort: 'created_desc', scanned_count: 3, scan_truncated: false });

    const recent = await ok('get_memories', { updated_after: '2026-02-01T12:00:00Z', sort: 'created_desc' });
    expect(recent.memories).toHaveLength(2);

    expect(await fail('get_memories', { categories: ['hobbies', 'astrology'] })).toMatchObject({ code: 'invalid_arguments' });
    expect((await fail('get_memories', { sort: 'alphabetical' })).code).toBe('invalid_arguments');
    expect((await fail('get_memories', { updated_after: 'yesterday' })).code).toBe('invalid_arguments');
  });

  it('pages with next_cursor, and refuses a cursor with an offset', async () => {
    const { ok, fail } = await newUser();
    for (let i = 1; i <= 5; i++) await ok('create_memory', { content: `Reading list entry number ${i}`, category: 'learnings' });

    const seen: string[] = [];
    let page = await ok('get_memories', { limit: 2 });
    const pages = [page];
    while (page.next_cursor) {
      expect(page.has_more).toBe(true);
      page = await ok('get_memories', { limit: 2, cursor: page.next_cursor });
      pages.push(page);
    }
    for (const p of pages) seen.push(...p.memories.map((m: Data) => m.id));
    expect(pages.map((p) => p.returned_count)).toEqual([2, 2, 1]);
    expect(pages.map((p) => p.offset)).toEqual([0, 2, 4]);
    expect(new Set(seen).size).toBe(5);
    expect(page.has_more).toBe(false);

    // The cursor keeps the filters it was made with.
    const sorted = await ok('get_memories', { limit: 3, sort: 'created_desc' });
    const rest = await ok('get_memories', { limit: 3, cursor: sorted.next_cursor });
    expect(rest).toMatchObject({ sort: 'created_desc', returned_count: 2 });

    const both = await fail('get_memories', { cursor: pages[0]!.next_cursor, offset: 2 });
    expect(both.code).toBe('invalid_arguments');
    expect((await fail('get_memories', { cursor: 'not-a-cursor' })).code).toBe('invalid_arguments');
    expect((await fail('get_memories', { cursor: sorted.next_cursor, sort: 'updated_desc' })).code).toBe('invalid_arguments');
    expect((await fail('get_conversations', { cursor: pages[0]!.next_cursor })).code).toBe('invalid_arguments');
  });

  it('refuses empty content and unknown categories', async () => {
    const { fail } = await newUser();
    expect(await fail('create_memory', { content: '   ' })).toEqual({ code: 'invalid_arguments', message: 'content cannot be empty' });
    const unknown = await fail('create_memory', { content: 'Likes jazz', category: 'music' });
    expect(unknown.code).toBe('invalid_arguments');
    expect(unknown.message).toContain("'music'");
    expect((await fail('edit_memory', { memory_id: 'x', content: '' })).code).toBe('invalid_arguments');
    expect((await fail('search_memories', { query: ' ' })).code).toBe('invalid_arguments');
  });

  it('create_memories reports created, duplicate and error items', async () => {
    const { ok, fail, userId } = await newUser();
    const batch = await ok('create_memories', {
      items: [
        { content: 'Allergic to peanuts', category: 'core' },
        { content: 'Speaks Portuguese and German' },
        { content: 'Allergic to peanuts', category: 'core' },
        { content: '' },
        { content: 'Runs a marathon every spring', category: 'nonsense' },
      ],
    });
    expect(batch.results.map((r: Data) => r.status)).toEqual(['created', 'created', 'duplicate', 'error', 'error']);
    expect(batch.results[2]).toMatchObject({ index: 2, duplicate_of: 0 });
    expect(batch.results[3].error.code).toBe('invalid_arguments');
    expect(batch.results[4].error.code).toBe('invalid_arguments');
    expect(batch).toMatchObject({ created_count: 2, duplicate_count: 1, error_count: 2 });
    expect(await ctx.services.memories.list(userId, { limit: 10, offset: 0 })).toHaveLength(2);

    expect((await fail('create_memories', { items: [] })).code).toBe('invalid_arguments');
    const tooMany = Array.from({ length: 26 }, (_, i) => ({ content: `Fact ${i}` }));
    expect((await fail('create_memories', { items: tooMany })).code).toBe('invalid_arguments');
  });
});

describe('conversation tools', () => {
  let user: Awaited<ReturnType<typeof newUser>>;
  let budgetId: string;
  let hikingId: string;

  beforeAll(async () => {
    user = await newUser();
    budgetId = await conversation(user.userId, '2026-03-02', BUDGET_MEETING);
    hikingId = await conversation(user.userId, '2026-03-05', HIKING_TRIP);
    await ctx.drainJobs();
  });

  it('lists conversations newest first, as the REST API presents them', async () => {
    const listed = await user.ok('get_conversations');
    expect(listed.conversations.map((c: Data) => c.id)).toEqual([hikingId, budgetId]);
    expect(listed).toMatchObject({ returned_count: 2, has_more: false, limit: 20 });
    const rest = await ctx.call('GET', '/v1/dev/user/conversations', user.key);
    expect(listed.conversations).toEqual(rest.json());
    expect(listed.conversations[0].transcript_segments).toBeUndefined();
  });

  it('filters by date and category, and pages', async () => {
    const march2 = await user.ok('get_conversations', { start_date: '2026-03-02', end_date: '2026-03-02' });
    expect(march2.conversations.map((c: Data) => c.id)).toEqual([budgetId]);
    const later = await user.ok('get_conversations', { start_date: '2026-03-03' });
    expect(later.conversations.map((c: Data) => c.id)).toEqual([hikingId]);

    const category = later.conversations[0].structured.category as string;
    const byCategory = await user.ok('get_conversations', { categories: [category] });
    expect(byCategory.conversations.map((c: Data) => c.id)).toContain(hikingId);

    const first = await user.ok('get_conversations', { limit: 1 });
    expect(first).toMatchObject({ returned_count: 1, has_more: true });
    const second = await user.ok('get_conversations', { limit: 1, cursor: first.next_cursor });
    expect(second.conversations.map((c: Data) => c.id)).toEqual([budgetId]);
    expect(second.has_more).toBe(false);
    expect((await user.fail('get_conversations', { limit: 1, cursor: first.next_cursor, offset: 1 })).code).toBe('invalid_arguments');
  });

  it('refuses bad dates and unknown categories', async () => {
    expect(await user.fail('get_conversations', { start_date: '03/02/2026' })).toEqual({
      code: 'invalid_arguments',
      message: "Invalid start_date format: '03/02/2026'. Expected YYYY-MM-DD.",
    });
    expect((await user.fail('get_conversations', { end_date: '2026-02-30' })).code).toBe('invalid_arguments');
    expect((await user.fail('search_conversations', { query: 'budget', start_date: 'soon' })).code).toBe('invalid_arguments');
    const category = await user.fail('get_conversations', { categories: ['gossip'] });
    expect(category.code).toBe('invalid_arguments');
    expect(category.message).toContain("'gossip'");
  });

  it('finds conversations by topic', async () => {
    const found = await user.ok('search_conversations', { query: 'hiking Dolomites' });
    expect(found.conversations.map((c: Data) => c.id)).toEqual([hikingId]);
    const budget = await user.ok('search_conversations', { query: 'marketing numbers' });
    expect(budget.conversations.map((c: Data) => c.id)).toEqual([budgetId]);
    expect((await user.ok('search_conversations', { query: 'budget', end_date: '2026-03-01' })).conversations).toEqual([]);
  });

  it('returns one conversation with its transcript, like the REST API', async () => {
    const full = await user.ok('get_conversation_by_id', { conversation_id: budgetId });
    const rest = await ctx.call('GET', `/v1/dev/user/conversations/${budgetId}?include_transcript=true`, user.key);
    const { truncated, ...conversation } = full;
    expect(truncated).toBe(false);
    expect(conversation).toEqual(rest.json());
    expect(full.transcript_segments.map((s: Data) => s.speaker_name)).toEqual(['Test User', 'Speaker 1', 'Test User', 'Speaker 1']);
  });

  it('truncates transcripts by max_segments and max_chars', async () => {
    const bySegments = await user.ok('get_conversation_by_id', { conversation_id: budgetId, max_segments: 2 });
    expect(bySegments.truncated).toBe(true);
    expect(bySegments.transcript_segments.map((s: Data) => s.text)).toEqual(BUDGET_MEETING.slice(0, 2).map((s) => s.text));

    const byChars = await user.ok('get_conversation_by_id', { conversation_id: budgetId, max_chars: 100 });
    expect(byChars.truncated).toBe(true);
    const texts: string[] = byChars.transcript_segments.map((s: Data) => s.text);
    expect(texts.join('').length).toBe(100);
    expect(texts[0]).toBe(BUDGET_MEETING[0]!.text);
    expect(BUDGET_MEETING[1]!.text.startsWith(texts[1]!)).toBe(true);

    const exact = BUDGET_MEETING.reduce((n, s) => n + s.text.length, 0);
    expect((await user.ok('get_conversation_by_id', { conversation_id: budgetId, max_chars: exact })).truncated).toBe(false);
  });

  it('returns several conversations by id and names the missing ones', async () => {
    const result = await user.ok('get_conversations_by_ids', {
      conversation_ids: [hikingId, 'does-not-exist', budgetId],
      max_segments: 3,
    });
    expect(result.conversations.map((c: Data) => c.id)).toEqual([hikingId, budgetId]);
    expect(result.not_found).toEqual(['does-not-exist']);
    expect(result.truncated).toBe(true);
    expect(result.conversations.map((c: Data) => c.truncated)).toEqual([false, true]);
    expect((await user.fail('get_conversations_by_ids', { conversation_ids: [] })).code).toBe('invalid_arguments');
    expect(await user.fail('get_conversation_by_id', { conversation_id: 'does-not-exist' })).toEqual({
      code: 'not_found',
      message: 'Conversation not found',
    });
  });

  it('returns the daily summaries of those days', async () => {
    const summaries = await user.ok('get_daily_summaries');
    expect(summaries.daily_summaries.map((s: Data) => s.date)).toEqual(['2026-03-05', '2026-03-02']);
    const rest = await ctx.call('GET', '/v1/dev/user/daily-summaries', user.key);
    expect({ summaries: summaries.daily_summaries }).toEqual(rest.json());

    const first = await user.ok('get_daily_summaries', { limit: 1 });
    expect(first.has_more).toBe(true);
    const next = await user.ok('get_daily_summaries', { limit: 1, cursor: first.next_cursor });
    expect(next.daily_summaries.map((s: Data) => s.date)).toEqual(['2026-03-02']);

    const ranged = await user.ok('get_daily_summaries', { start_date: '2026-03-03', end_date: '2026-03-31' });
    expect(ranged.daily_summaries.map((s: Data) => s.date)).toEqual(['2026-03-05']);
    expect(await user.fail('get_daily_summaries', { end_date: '2026/03/31' })).toEqual({
      code: 'invalid_arguments',
      message: "Invalid end_date format: '2026/03/31'. Expected YYYY-MM-DD.",
    });
  });
});

describe('action item tools', () => {
  it('create (without duplicates), list, search, complete, update and delete', async () => {
    const { ok, fail } = await newUser();
    ctx.clock.set('2026-04-01T09:00:00.000Z');
    const created = await ok('create_action_item', { description: 'Renew the car insurance', due_at: '2026-04-10' });
    expect(created).toMatchObject({
      created: true,
      action_item: { description: 'Renew the car insurance', completed: false, due_at: '2026-04-10T00:00:00.000Z' },
    });
    const retry = await ok('create_action_item', { description: 'Renew the car insurance', due_at: '2026-04-10' });
    expect(retry).toMatchObject({ created: false, action_item: { id: created.action_item.id } });
    const other = await ok('create_action_item', { description: 'Call the plumber about the leak' });

    const listed = await ok('get_action_items');
    expect(listed.action_items.map((i: Data) => i.id).sort()).toEqual([created.action_item.id, other.action_item.id].sort());
    expect(listed).toMatchObject({ returned_count: 2, has_more: false, limit: 100 });

    const due = await ok('get_action_items', { due_start_date: '2026-04-01', due_end_date: '2026-04-30' });
    expect(due.action_items.map((i: Data) => i.id)).toEqual([created.action_item.id]);
    expect((await ok('get_action_items', { due_end_date: '2026-04-09' })).action_items).toEqual([]);

    const found = await ok('search_action_items', { query: 'plumber' });
    expect(found.action_items.map((i: Data) => i.id)).toEqual([other.action_item.id]);

    const done = await ok('complete_action_item', { action_item_id: other.action_item.id });
    expect(done.action_item).toMatchObject({ completed: true, completed_at: '2026-04-01T09:00:00.000Z' });
    expect((await ok('get_action_items', { completed: true })).action_items.map((i: Data) => i.id)).toEqual([other.action_item.id]);
    const reopened = await ok('complete_action_item', { action_item_id: other.action_item.id, completed: false });
    expect(reopened.action_item).toMatchObject({ completed: false, completed_at: null });

    const updated = await ok('update_action_item', {
      action_item_id: created.action_item.id,
      description: 'Renew the car and home insurance',
      due_at: '2026-04-15T17:00:00+02:00',
    });
    expect(updated.action_item).toMatchObject({ description: 'Renew the car and home insurance', due_at: '2026-04-15T15:00:00.000Z' });

    expect(await ok('delete_action_item', { action_item_id: created.action_item.id })).toEqual({ success: true });
    expect((await fail('delete_action_item', { action_item_id: created.action_item.id })).code).toBe('not_found');
  });

  it('pages with next_cursor', async () => {
    const { ok, fail } = await newUser();
    for (let i = 1; i <= 3; i++) await ok('create_action_item', { description: `Water the plants in room ${i}` });
    const first = await ok('get_action_items', { limit: 2 });
    expect(first).toMatchObject({ returned_count: 2, has_more: true });
    const second = await ok('get_action_items', { limit: 2, cursor: first.next_cursor });
    expect(second).toMatchObject({ returned_count: 1, has_more: false, offset: 2 });
    const ids = [...first.action_items, ...second.action_items].map((i: Data) => i.id);
    expect(new Set(ids).size).toBe(3);
    expect((await fail('get_action_items', { cursor: first.next_cursor, offset: 0 })).code).toBe('invalid_arguments');
  });

  it('refuses bad arguments', async () => {
    const { fail } = await newUser();
    expect((await fail('create_action_item', { description: '  ' })).code).toBe('invalid_arguments');
    expect((await fail('create_action_item', { description: 'Pay rent', due_at: 'next tuesday' })).code).toBe('invalid_arguments');
    expect((await fail('get_action_items', { due_start_date: '2026-13-01' })).code).toBe('invalid_arguments');
    expect((await fail('search_action_items', { query: '' })).code).toBe('invalid_arguments');
  });
});

describe('goal tools', () => {
  it('lists active goals, and inactive ones on request', async () => {
    const { ok, userId } = await newUser();
    const goal = await ctx.services.goals.create(userId, { title: 'Run a half marathon', target_value: 21, unit: 'km' });
    const listed = await ok('get_goals');
    expect(listed.goals).toHaveLength(1);
    expect(listed.goals[0]).toMatchObject({ id: goal.id, title: 'Run a half marathon', target_value: 21, unit: 'km', is_active: true });
    expect((await ok('get_goals', { include_inactive: true })).goals).toHaveLength(1);
  });
});

describe('isolation', () => {
  it("never shows or changes another user's data", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const memory = await owner.ok('create_memory', { content: 'Keeps the spare key under the blue flowerpot', category: 'core' });
    const item = await owner.ok('create_action_item', { description: 'Send the tax documents to the accountant' });
    const conversationId = await conversation(owner.userId, '2026-05-01', HIKING_TRIP);
    await ctx.drainJobs();

    expect((await stranger.ok('get_memories')).memories).toEqual([]);
    expect((await stranger.ok('search_memories', { query: 'spare key flowerpot' })).memories).toEqual([]);
    expect((await stranger.ok('get_conversations')).conversations).toEqual([]);
    expect((await stranger.ok('search_conversations', { query: 'Dolomites' })).conversations).toEqual([]);
    expect((await stranger.ok('get_action_items')).action_items).toEqual([]);
    expect((await stranger.ok('search_action_items', { query: 'tax documents' })).action_items).toEqual([]);
    expect((await stranger.ok('get_daily_summaries')).daily_summaries).toEqual([]);
    expect((await stranger.ok('get_goals', { include_inactive: true })).goals).toEqual([]);

    const memoryId = memory.memory.id as string;
    expect(await stranger.fail('edit_memory', { memory_id: memoryId, content: 'Changed' })).toEqual({
      code: 'not_found',
      message: 'Memory not found',
    });
    expect((await stranger.fail('delete_memory', { memory_id: memoryId })).code).toBe('not_found');
    expect((await stranger.fail('get_conversation_by_id', { conversation_id: conversationId })).code).toBe('not_found');
    expect((await stranger.ok('get_conversations_by_ids', { conversation_ids: [conversationId] })).not_found).toEqual([conversationId]);
    const itemId = item.action_item.id as string;
    expect((await stranger.fail('complete_action_item', { action_item_id: itemId })).code).toBe('not_found');
    expect((await stranger.fail('update_action_item', { action_item_id: itemId, description: 'x' })).code).toBe('not_found');
    expect((await stranger.fail('delete_action_item', { action_item_id: itemId })).code).toBe('not_found');

    // The owner's data is untouched.
    expect((await owner.ok('get_memories')).memories.map((m: Data) => m.content)).toEqual(['Keeps the spare key under the blue flowerpot']);
    const ownItems = (await owner.ok('get_action_items')).action_items as Data[];
    expect(ownItems.find((i) => i.id === itemId)).toMatchObject({ description: 'Send the tax documents to the accountant', completed: false });
    expect((await owner.ok('get_conversation_by_id', { conversation_id: conversationId })).id).toBe(conversationId);
  });
});
