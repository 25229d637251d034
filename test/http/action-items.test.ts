import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import { ActionItemsService } from '../../src/modules/action-items/action-items.service.ts';
import type { ActionItem } from '../../src/modules/action-items/action-items.types.ts';
import { ALL_SCOPES, createTestContext, type TestContext } from '../helpers/context.ts';
import { expectSpecResponse } from '../helpers/spec.ts';

const BASE = '/v1/dev/user/action-items';
const NOW = '2026-01-15T10:00:00.000Z';

interface WireItem {
  id: string;
  description: string;
  completed: boolean;
  created_at: string | null;
  updated_at: string | null;
  due_at: string | null;
  completed_at: string | null;
  conversation_id: string | null;
}

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  await ctx.close();
});

async function create(key: string, body: Record<string, unknown>): Promise<WireItem> {
  const res = await ctx.call('POST', BASE, key, body);
  expect(res.statusCode).toBe(200);
  return res.json<WireItem>();
}

async function list(key: string, query = ''): Promise<WireItem[]> {
  const res = await ctx.call('GET', `${BASE}${query}`, key);
  expect(res.statusCode).toBe(200);
  const body = res.json<WireItem[]>();
  expectSpecResponse('listActionItems', 200, body);
  return body;
}

let accounts = 0;

/** An account with a developer key, written straight to storage: password hashing is not under test here. */
async function developer(scopes: string[] = ALL_SCOPES): Promise<{ userId: string; key: string }> {
  const userId = `action-items-user-${++accounts}`;
  await ctx.storage.users.insert({
    id: userId,
    email: `${userId}@example.com`,
    name: 'Test User',
    passwordHash: 'not-used',
    createdAt: NOW,
  });
  const { secret } = await ctx.services.apiKeys.create(userId, { name: 'test key', scopes });
  return { userId, key: secret };
}

const descriptions = (items: WireItem[]) => items.map((item) => item.description);

/** An item as the conversation pipeline would store it, for what the API cannot create. */
function storedItem(userId: string, overrides: Partial<ActionItem>): ActionItem {
  return {
    id: `stored-${Math.random().toString(36).slice(2)}`,
    userId,
    description: 'stored item',
    completed: false,
    createdAt: NOW,
    updatedAt: NOW,
    dueAt: null,
    completedAt: null,
    conversationId: null,
    ...overrides,
  };
}

describe('action items › auth', () => {
  it('GET /v1/dev/user/action-items › returns 401 without a key', async () => {
    const res = await ctx.call('GET', BASE);
    expect(res.statusCode).toBe(401);
  });

  it('POST /v1/dev/user/action-items › returns 403 for a read-only key, which can still list', async () => {
    const { key } = await developer(['action_items:read']);
    const res = await ctx.call('POST', BASE, key, { description: 'nope' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: 'Insufficient permissions. Required scope: action_items:write' });
    expect(await list(key)).toEqual([]);
  });

  it('GET /v1/dev/user/action-items › returns 403 for a key without action_items:read', async () => {
    const { key } = await developer(['memories:read']);
    const res = await ctx.call('GET', BASE, key);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: 'Insufficient permissions. Required scope: action_items:read' });
  });
});

describe('POST /v1/dev/user/action-items', () => {
  it('creates a trimmed, open, standalone item with a 20-character id', async () => {
    ctx.clock.set(NOW);
    const { key } = await developer();
    const res = await ctx.call('POST', BASE, key, { description: '  Call the dentist  ' });
    expect(res.statusCode).toBe(200);
    expectSpecResponse('createActionItem', 200, res.json());
    const item = res.json<WireItem>();
    expect(item.id).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(item).toEqual({
      id: item.id,
      description: 'Call the dentist',
      completed: false,
      created_at: NOW,
      updated_at: NOW,
      due_at: null,
      completed_at: null,
      conversation_id: null,
    });
    expect(await list(key)).toEqual([item]);
  });

  it('stamps completed_at when the item is created completed', async () => {
    ctx.clock.set(NOW);
    const { key } = await developer();
    const item = await create(key, { description: 'Already done', completed: true });
    expectSpecResponse('createActionItem', 200, item);
    expect(item.completed).toBe(true);
    expect(item.completed_at).toBe(NOW);
  });

  it('normalises due_at to UTC, taking naive values as UTC', async () => {
    const { key } = await developer();
    const withOffset = await create(key, { description: 'offset', due_at: '2026-02-01T09:30:00+02:00' });
    const naive = await create(key, { description: 'naive', due_at: '2026-02-01T09:30:00' });
    const explicitNull = await create(key, { description: 'none', due_at: null });
    expectSpecResponse('createActionItem', 200, withOffset);
    expect(withOffset.due_at).toBe('2026-02-01T07:30:00.000Z');
    expect(naive.due_at).toBe('2026-02-01T09:30:00.000Z');
    expect(explicitNull.due_at).toBeNull();
  });

  it('creates a new item on every call (no dedup)', async () => {
    const { key } = await developer();
    const first = await create(key, { description: 'Same text' });
    const second = await create(key, { description: 'Same text' });
    expect(first.id).not.toBe(second.id);
    expect(await list(key)).toHaveLength(2);
  });

  it('accepts a 500-character description', async () => {
    const { key } = await developer();
    const item = await create(key, { description: 'x'.repeat(500) });
    expect(item.description).toHaveLength(500);
  });

  it('returns 422 when description is blank', async () => {
    const { key } = await developer();
    const res = await ctx.call('POST', BASE, key, { description: '   ' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: 'description cannot be empty' });
    expect(await list(key)).toEqual([]);
  });

  it('returns 422 when description is empty, too long or missing', async () => {
    const { key } = await developer();
    const cases: [Record<string, unknown>, string][] = [
      [{ description: '' }, 'string_too_short'],
      [{ description: 'x'.repeat(501) }, 'string_too_long'],
      [{ completed: true }, 'missing'],
      [{ description: 42 }, 'string_type'],
    ];
    for (const [body, type] of cases) {
      const res = await ctx.call('POST', BASE, key, body);
      expect(res.statusCode).toBe(422);
      expectSpecResponse('createActionItem', 422, res.json());
      expect(res.json().detail[0]).toMatchObject({ type, loc: ['body', 'description'] });
    }
  });

  it('returns 422 when completed is not a boolean', async () => {
    const { key } = await developer();
    const res = await ctx.call('POST', BASE, key, { description: 'x', completed: 'maybe' });
    expect(res.statusCode).toBe(422);
    expectSpecResponse('createActionItem', 422, res.json());
    expect(res.json().detail[0]).toMatchObject({ type: 'bool_parsing', loc: ['body', 'completed'] });
  });

  it('returns 422 when due_at is not a date-time', async () => {
    const { key } = await developer();
    const res = await ctx.call('POST', BASE, key, { description: 'x', due_at: 'tomorrow' });
    expect(res.statusCode).toBe(422);
    expectSpecResponse('createActionItem', 422, res.json());
    expect(res.json().detail[0]).toMatchObject({ type: 'datetime_parsing', loc: ['body', 'due_at'] });
  });

  it('returns 422 when due_at falls after year 9999 in UTC', async () => {
    const { key } = await developer();
    const res = await ctx.call('POST', BASE, key, { description: 'x', due_at: '9999-12-31T23:59:59-05:00' });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: 'datetime_parsing', loc: ['body', 'due_at'] });
  });

  it('returns 422 when the body is missing', async () => {
    const { key } = await developer();
    const res = await ctx.call('POST', BASE, key);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: 'missing', loc: ['body'] });
  });
});

describe('GET /v1/dev/user/action-items', () => {
  it('returns open items first, dated before undated, soonest due, then newest', async () => {
    ctx.clock.set(NOW);
    const { key } = await developer();
    const make = async (description: string, extra: Record<string, unknown> = {}) => {
      ctx.clock.advance(60_000);
      await create(key, { description, ...extra });
    };
    await make('open undated old');
    await make('open due march', { due_at: '2026-03-01T00:00:00Z' });
    await make('open due feb old', { due_at: '2026-02-01T00:00:00Z' });
    await make('done due jan', { completed: true, due_at: '2026-01-20T00:00:00Z' });
    await make('done undated', { completed: true });
    await make('open undated new');
    await make('open due feb new', { due_at: '2026-02-01T00:00:00Z' });
    await make('done due dec', { completed: true, due_at: '2025-12-01T00:00:00Z' });
    expect(descriptions(await list(key))).toEqual([
      'open due feb new',
      'open due feb old',
      'open due march',
      'open undated new',
      'open undated old',
      'done due dec',
      'done due jan',
      'done undated',
    ]);
  });

  it('applies offset and limit after the order', async () => {
    ctx.clock.set(NOW);
    const { key } = await developer();
    for (const n of [1, 2, 3, 4, 5]) {
      ctx.clock.advance(1000);
      await create(key, { description: `item ${n}` });
    }
    expect(descriptions(await list(key, '?limit=2'))).toEqual(['item 5', 'item 4']);
    expect(descriptions(await list(key, '?limit=2&offset=2'))).toEqual(['item 3', 'item 2']);
    expect(descriptions(await list(key, '?offset=4'))).toEqual(['item 1']);
    expect(await list(key, '?offset=5')).toEqual([]);
  });

  it('clamps limit to 1..1000 and a negative offset to 0', async () => {
    const { userId, key } = await developer();
    await ctx.storage.transaction(async (tx) => {
      for (let i = 0; i < 1001; i++) {
        await tx.actionItems.insert(storedItem(userId, { id: `bulk-${String(i).padStart(4, '0')}` }));
      }
    });
    expect(await list(key)).toHaveLength(100);
    expect(await list(key, '?limit=5000')).toHaveLength(1000);
    expect(await list(key, '?limit=0')).toHaveLength(1);
    expect(await list(key, '?limit=-7')).toHaveLength(1);
    expect(await list(key, '?limit=3&offset=-10')).toEqual(await list(key, '?limit=3&offset=0'));
  });

  it('returns 422 when limit or offset is not an integer', async () => {
    const { key } = await developer();
    for (const query of ['?limit=abc', '?limit=1.5', '?offset=x']) {
      const res = await ctx.call('GET', `${BASE}${query}`, key);
      expect(res.statusCode).toBe(422);
      expectSpecResponse('listActionItems', 422, res.json());
      expect(res.json().detail[0].type).toBe('int_parsing');
    }
  });

  it('filters by completed, accepting true/false/1/0/yes/no/on/off', async () => {
    const { key } = await developer();
    await create(key, { description: 'open' });
    await create(key, { description: 'done', completed: true });
    for (const value of ['true', '1', 'yes', 'on', 'TRUE']) {
      expect(descriptions(await list(key, `?completed=${value}`))).toEqual(['done']);
    }
    for (const value of ['false', '0', 'no', 'off']) {
      expect(descriptions(await list(key, `?completed=${value}`))).toEqual(['open']);
    }
    expect(await list(key)).toHaveLength(2);
  });

  it('returns 422 when completed is not a boolean', async () => {
    const { key } = await developer();
    const res = await ctx.call('GET', `${BASE}?completed=maybe`, key);
    expect(res.statusCode).toBe(422);
    expectSpecResponse('listActionItems', 422, res.json());
    expect(res.json().detail[0]).toMatchObject({ type: 'bool_parsing', loc: ['query', 'completed'], input: 'maybe' });
  });

  it('filters by conversation_id (exact match)', async () => {
    const { userId, key } = await developer();
    await create(key, { description: 'standalone' });
    await ctx.storage.actionItems.insert(storedItem(userId, { description: 'from conv-1', conversationId: 'conv-1' }));
    await ctx.storage.actionItems.insert(storedItem(userId, { description: 'from conv-10', conversationId: 'conv-10' }));
    const items = await list(key, '?conversation_id=conv-1');
    expect(descriptions(items)).toEqual(['from conv-1']);
    expect(items[0]!.conversation_id).toBe('conv-1');
    expect(await list(key, '?conversation_id=unknown')).toEqual([]);
    expect(await list(key)).toHaveLength(3);
  });

  it('filters by start_date and end_date, inclusive, on created_at', async () => {
    const { key } = await developer();
    for (const hour of ['10', '11', '12']) {
      ctx.clock.set(`2026-01-15T${hour}:00:00.000Z`);
      await create(key, { description: `at ${hour}` });
    }
    // Bounds written without milliseconds must still include the item created exactly then.
    expect(descriptions(await list(key, '?start_date=2026-01-15T11:00:00Z'))).toEqual(['at 12', 'at 11']);
    expect(descriptions(await list(key, '?end_date=2026-01-15T11:00:00Z'))).toEqual(['at 11', 'at 10']);
    expect(descriptions(await list(key, '?start_date=2026-01-15T11:00:00Z&end_date=2026-01-15T11:00:00Z'))).toEqual([
      'at 11',
    ]);
    // Offsets are converted to UTC; naive values are UTC; a bare date is midnight UTC.
    expect(descriptions(await list(key, `?end_date=${encodeURIComponent('2026-01-15T13:00:00+02:00')}`))).toEqual([
      'at 11',
      'at 10',
    ]);
    expect(descriptions(await list(key, '?start_date=2026-01-15T11:30:00'))).toEqual(['at 12']);
    expect(await list(key, '?end_date=2026-01-15')).toEqual([]);
    expect(await list(key, '?start_date=2026-01-16')).toEqual([]);
  });

  it('returns 422 when a date filter is not a date-time', async () => {
    const { key } = await developer();
    for (const name of ['start_date', 'end_date']) {
      const res = await ctx.call('GET', `${BASE}?${name}=yesterday`, key);
      expect(res.statusCode).toBe(422);
      expectSpecResponse('listActionItems', 422, res.json());
      expect(res.json().detail[0]).toMatchObject({ type: 'datetime_parsing', loc: ['query', name], input: 'yesterday' });
    }
  });

  it("does not list another user's items", async () => {
    const owner = await developer();
    const other = await developer();
    await create(owner.key, { description: 'mine' });
    expect(await list(other.key)).toEqual([]);
    expect(descriptions(await list(owner.key))).toEqual(['mine']);
  });
});

describe('POST /v1/dev/user/action-items/batch', () => {
  const BATCH = `${BASE}/batch`;

  it('creates every item in request order', async () => {
    ctx.clock.set(NOW);
    const { key } = await developer();
    const res = await ctx.call('POST', BATCH, key, {
      action_items: [
        { description: ' first ' },
        { description: 'second', completed: true },
        { description: 'third', due_at: '2026-02-01T12:00:00-01:00' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expectSpecResponse('createActionItemsBatch', 200, res.json());
    const body = res.json<{ action_items: WireItem[]; created_count: number }>();
    expect(body.created_count).toBe(3);
    expect(descriptions(body.action_items)).toEqual(['first', 'second', 'third']);
    expect(body.action_items[1]).toMatchObject({ completed: true, completed_at: NOW });
    expect(body.action_items[2]).toMatchObject({ due_at: '2026-02-01T13:00:00.000Z', completed_at: null });
    for (const item of body.action_items) {
      expect(item.id).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(item).toMatchObject({ created_at: NOW, updated_at: NOW, conversation_id: null });
    }
    expect(new Set(body.action_items.map((item) => item.id)).size).toBe(3);
    expect(await list(key)).toHaveLength(3);
  });

  it('accepts 50 items', async () => {
    const { key } = await developer();
    const items = Array.from({ length: 50 }, (_, i) => ({ description: `item ${i}` }));
    const res = await ctx.call('POST', BATCH, key, { action_items: items });
    expect(res.statusCode).toBe(200);
    expect(res.json().created_count).toBe(50);
  });

  it('returns an empty result for an empty list', async () => {
    const { key } = await developer();
    const res = await ctx.call('POST', BATCH, key, { action_items: [] });
    expect(res.statusCode).toBe(200);
    expectSpecResponse('createActionItemsBatch', 200, res.json());
    expect(res.json()).toEqual({ action_items: [], created_count: 0 });
  });

  it('returns 422 for more than 50 items and writes nothing', async () => {
    const { key } = await developer();
    const items = Array.from({ length: 51 }, (_, i) => ({ description: `item ${i}` }));
    const res = await ctx.call('POST', BATCH, key, { action_items: items });
    expect(res.statusCode).toBe(422);
    expectSpecResponse('createActionItemsBatch', 422, res.json());
    expect(res.json().detail[0]).toMatchObject({ type: 'too_long', loc: ['body', 'action_items'] });
    expect(await list(key)).toEqual([]);
  });

  it('refuses more than 50 items in the service too', async () => {
    const { userId, key } = await developer();
    const items = Array.from({ length: 51 }, (_, i) => ({ description: `item ${i}` }));
    const error = await ctx.services.actionItems.createBatch(userId, items).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'unprocessable', detail: 'Maximum 50 action items per batch request' });
    expect(await list(key)).toEqual([]);
  });

  it('returns 422 and writes nothing when any description is blank', async () => {
    const { key } = await developer();
    const res = await ctx.call('POST', BATCH, key, {
      action_items: [{ description: 'fine' }, { description: '   ' }, { description: 'also fine' }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: 'All action items must have non-empty descriptions' });
    expect(await list(key)).toEqual([]);
  });

  it('returns 422 and writes nothing when one item is invalid', async () => {
    const { key } = await developer();
    const res = await ctx.call('POST', BATCH, key, {
      action_items: [{ description: 'fine' }, { completed: true }, { description: 'also fine' }],
    });
    expect(res.statusCode).toBe(422);
    expectSpecResponse('createActionItemsBatch', 422, res.json());
    expect(res.json().detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'action_items', 1, 'description'] });
    expect(await list(key)).toEqual([]);
  });

  it('returns 422 when action_items is missing', async () => {
    const { key } = await developer();
    const res = await ctx.call('POST', BATCH, key, {});
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'action_items'] });
  });

  it('rolls back every insert when the database fails part-way through the batch', async () => {
    const { userId, key } = await developer();
    // Every item gets the same id, so the second insert violates the primary key.
    const service = new ActionItemsService(ctx.storage, ctx.clock, ctx.services.search, () => 'DuplicateId000000000');
    const batch = [{ description: 'one' }, { description: 'two' }, { description: 'three' }];
    await expect(service.createBatch(userId, batch)).rejects.toThrow();
    expect(await list(key)).toEqual([]);
  });

  it('storage.transaction writes nothing when a statement fails', async () => {
    const { userId, key } = await developer();
    const item = storedItem(userId, { id: 'rollback-probe' });
    await expect(
      ctx.storage.transaction(async (tx) => {
        await tx.actionItems.insert(storedItem(userId, { id: 'rollback-first' }));
        await tx.actionItems.insert(item);
        await tx.actionItems.insert(item);
      }),
    ).rejects.toThrow();
    expect(await ctx.storage.actionItems.get(userId, 'rollback-first')).toBeUndefined();
    expect(await ctx.storage.actionItems.get(userId, 'rollback-probe')).toBeUndefined();
    expect(await list(key)).toEqual([]);
  });
});

describe('PATCH /v1/dev/user/action-items/{action_item_id}', () => {
  const patch = (key: string, id: string, body: unknown) => ctx.call('PATCH', `${BASE}/${id}`, key, body);

  it('updates the description (trimmed) and updated_at, keeping created_at', async () => {
    ctx.clock.set(NOW);
    const { key } = await developer();
    const item = await create(key, { description: 'old' });
    ctx.clock.set('2026-01-16T08:00:00.000Z');
    const res = await patch(key, item.id, { description: '  new text  ' });
    expect(res.statusCode).toBe(200);
    expectSpecResponse('updateActionItem', 200, res.json());
    expect(res.json()).toEqual({ ...item, description: 'new text', updated_at: '2026-01-16T08:00:00.000Z' });
    expect(await list(key)).toEqual([res.json()]);
  });

  it('sets completed_at when completed and clears it when reopened', async () => {
    ctx.clock.set(NOW);
    const { key } = await developer();
    const item = await create(key, { description: 'task' });
    ctx.clock.set('2026-01-17T09:15:00.000Z');
    const done = await patch(key, item.id, { completed: true });
    expect(done.statusCode).toBe(200);
    expectSpecResponse('updateActionItem', 200, done.json());
    expect(done.json()).toMatchObject({ completed: true, completed_at: '2026-01-17T09:15:00.000Z' });
    const reopened = await patch(key, item.id, { completed: false });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ completed: false, completed_at: null });
  });

  it('sets due_at normalised to UTC', async () => {
    const { key } = await developer();
    const item = await create(key, { description: 'task' });
    const res = await patch(key, item.id, { due_at: '2026-03-10T18:00:00-05:00' });
    expect(res.statusCode).toBe(200);
    expectSpecResponse('updateActionItem', 200, res.json());
    expect(res.json().due_at).toBe('2026-03-10T23:00:00.000Z');
  });

  it('clears the due date with due_at: null and leaves it when due_at is omitted (upstream PR #13029)', async () => {
    const { key } = await developer();
    const item = await create(key, { description: 'task', due_at: '2026-03-10T00:00:00Z' });
    const renamed = await patch(key, item.id, { description: 'renamed' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ description: 'renamed', due_at: '2026-03-10T00:00:00.000Z' });

    const cleared = await patch(key, item.id, { due_at: null });
    expect(cleared.statusCode).toBe(200);
    expectSpecResponse('updateActionItem', 200, cleared.json());
    expect(cleared.json()).toMatchObject({ description: 'renamed', due_at: null, completed: false });
    expect((await list(key)).find((i) => i.id === item.id)?.due_at).toBeNull();

    const both = await patch(key, item.id, { description: 'again', due_at: null, completed: null });
    expect(both.json()).toMatchObject({ description: 'again', due_at: null, completed: false });
  });

  it('returns 422 when no field is provided', async () => {
    const { key } = await developer();
    const item = await create(key, { description: 'task', due_at: '2026-03-10T00:00:00Z' });
    for (const body of [{}, { description: null, completed: null }]) {
      const res = await patch(key, item.id, body);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({ detail: 'At least one field must be provided' });
    }
    expect((await list(key)).find((i) => i.id === item.id)?.due_at).toBe('2026-03-10T00:00:00.000Z');
  });

  it('returns 422 when description is blank, and changes nothing', async () => {
    const { key } = await developer();
    const item = await create(key, { description: 'task' });
    const res = await patch(key, item.id, { description: '   ', completed: true });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: 'description cannot be empty' });
    expect(await list(key)).toEqual([item]);
  });

  it('returns 422 when a field fails the schema', async () => {
    const { key } = await developer();
    const item = await create(key, { description: 'task' });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ description: '' }, 'description', 'string_too_short'],
      [{ description: 'x'.repeat(501) }, 'description', 'string_too_long'],
      [{ completed: 'maybe' }, 'completed', 'bool_parsing'],
      [{ due_at: 'next week' }, 'due_at', 'datetime_parsing'],
    ];
    for (const [body, field, type] of cases) {
      const res = await patch(key, item.id, body);
      expect(res.statusCode).toBe(422);
      expectSpecResponse('updateActionItem', 422, res.json());
      expect(res.json().detail[0]).toMatchObject({ type, loc: ['body', field] });
    }
  });

  it('returns 404 for an unknown id, even with an empty body', async () => {
    const { key } = await developer();
    for (const body of [{ completed: true }, {}]) {
      const res = await patch(key, 'doesNotExist12345678', body);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'Action item not found' });
    }
  });

  it("returns 404 for another user's item and leaves it unchanged", async () => {
    const owner = await developer();
    const other = await developer();
    const item = await create(owner.key, { description: 'private' });
    const res = await patch(other.key, item.id, { description: 'hijacked', completed: true });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Action item not found' });
    expect(await list(owner.key)).toEqual([item]);
  });
});

describe('DELETE /v1/dev/user/action-items/{action_item_id}', () => {
  it('deletes the item, then answers 404 for it', async () => {
    const { key } = await developer();
    const item = await create(key, { description: 'to delete' });
    const keep = await create(key, { description: 'to keep' });
    const res = await ctx.call('DELETE', `${BASE}/${item.id}`, key);
    expect(res.statusCode).toBe(200);
    expectSpecResponse('deleteActionItem', 200, res.json());
    expect(res.json()).toEqual({ success: true });
    expect(await list(key)).toEqual([keep]);
    const again = await ctx.call('DELETE', `${BASE}/${item.id}`, key);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ detail: 'Action item not found' });
    const patched = await ctx.call('PATCH', `${BASE}/${item.id}`, key, { completed: true });
    expect(patched.statusCode).toBe(404);
  });

  it("returns 404 for another user's item and keeps it", async () => {
    const owner = await developer();
    const other = await developer();
    const item = await create(owner.key, { description: 'private' });
    const res = await ctx.call('DELETE', `${BASE}/${item.id}`, other.key);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Action item not found' });
    expect(await list(owner.key)).toEqual([item]);
  });

  it('returns 403 for a read-only key', async () => {
    const owner = await developer();
    const item = await create(owner.key, { description: 'kept' });
    const { key: readOnly } = await developer(['action_items:read']);
    const res = await ctx.call('DELETE', `${BASE}/${item.id}`, readOnly);
    expect(res.statusCode).toBe(403);
  });
});
