import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuid } from '../../src/lib/crypto.ts';
import { memoryIdFor } from '../../src/lib/ids.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { expectSpecResponse } from '../helpers/spec.ts';

const MEMORIES = '/v1/dev/user/memories';
const SEARCH = '/v1/dev/user/memories/vector/search';
const SEARCH_OP = 'search_memories_vector_v1_dev_user_memories_vector_search_get';

interface WireMemory {
  id: string;
  content: string;
  category: string;
  visibility: string | null;
  tags: string[];
  created_at: string;
  updated_at: string;
  manually_added: boolean;
  reviewed: boolean;
  user_review: boolean | null;
  edited: boolean;
  scoring: string | null;
}

describe('memories', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx.close();
  });

  const unixSeconds = () => Math.floor(ctx.clock.now().getTime() / 1000);

  /**
   * A fresh account with a key that may read and write memories. Written straight to storage:
   * these tests never sign in, so they skip the deliberately slow password hash.
   */
  const developer = async (scopes = ['memories:read', 'memories:write']) => {
    const userId = uuid();
    await ctx.storage.users.insert({
      id: userId,
      email: `${userId}@example.com`,
      name: 'Memory Tester',
      passwordHash: 'not-a-password-hash',
      createdAt: ctx.clock.now().toISOString(),
    });
    return (await ctx.services.apiKeys.create(userId, { name: 'memories', scopes })).secret;
  };

  const create = async (key: string, body: Record<string, unknown>): Promise<WireMemory> => {
    const response = await ctx.call('POST', MEMORIES, key, body);
    expect(response.statusCode).toBe(200);
    expectSpecResponse('createMemory', 200, response.json());
    return response.json();
  };

  const list = async (key: string, query = ''): Promise<WireMemory[]> => {
    const response = await ctx.call('GET', `${MEMORIES}${query}`, key);
    expect(response.statusCode).toBe(200);
    expectSpecResponse('listMemories', 200, response.json());
    return response.json();
  };

  describe('POST /v1/dev/user/memories', () => {
    it('creates a memory with upstream defaults for API-created memories', async () => {
      const key = await developer();
      const memory = await create(key, { content: '  I live in Lisbon  ', category: 'system' });
      const now = ctx.clock.now().toISOString();
      expect(memory).toEqual({
        id: memoryIdFor('I live in Lisbon'),
        content: 'I live in Lisbon',
        category: 'system',
        visibility: 'private',
        tags: [],
        created_at: now,
        updated_at: now,
        manually_added: true,
        reviewed: true,
        user_review: true,
        edited: false,
        scoring: `01_999_${unixSeconds()}`,
      });
    });

    it('scores an interesting memory 01_998_<unix seconds>', async () => {
      const key = await developer();
      const memory = await create(key, { content: 'Ship small changes often', category: 'interesting' });
      expect(memory.scoring).toBe(`01_998_${unixSeconds()}`);
    });

    it('keeps visibility and tags', async () => {
      const key = await developer();
      const memory = await create(key, { content: 'I play the cello', visibility: 'public', tags: ['music', 'hobby'] });
      expect(memory.visibility).toBe('public');
      expect(memory.tags).toEqual(['music', 'hobby']);
    });

    it('categorises a fact about the user as system when no category is given', async () => {
      const key = await developer();
      expect((await create(key, { content: 'I live in Lisbon' })).category).toBe('system');
    });

    it('categorises advice from someone else as interesting when no category is given', async () => {
      const key = await developer();
      const memory = await create(key, { content: 'Steve Jobs said you should stay hungry', category: null });
      expect(memory.category).toBe('interesting');
      expect(memory.scoring).toBe(`01_998_${unixSeconds()}`);
    });

    it('gives the same content the same id and keeps one record', async () => {
      const key = await developer();
      const first = await create(key, { content: 'I drink green tea', category: 'system' });
      ctx.clock.advance(5000);
      const second = await create(key, { content: '  I drink green tea ', category: 'system', tags: ['drinks'] });
      expect(second.id).toBe(first.id);
      expect(second.created_at).toBe(first.created_at);
      expect(second.tags).toEqual(['drinks']);
      const all = await list(key);
      expect(all).toHaveLength(1);
      expect(all[0]!.id).toBe(first.id);
    });

    it('gives two users the same id for the same content, in separate records', async () => {
      const alice = await developer();
      const bob = await developer();
      const a = await create(alice, { content: 'I have a cat', category: 'system' });
      const b = await create(bob, { content: 'I have a cat', category: 'system', tags: ['bob'] });
      expect(a.id).toBe(b.id);
      expect((await list(alice))[0]!.tags).toEqual([]);
      expect((await list(bob))[0]!.tags).toEqual(['bob']);
    });

    it('returns 422 when the content is only whitespace', async () => {
      const key = await developer();
      const response = await ctx.call('POST', MEMORIES, key, { content: ' \n\t ' });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ detail: 'content cannot be empty' });
    });

    it('returns 422 in FastAPI shape when the content is longer than 500 characters', async () => {
      const key = await developer();
      const response = await ctx.call('POST', MEMORIES, key, { content: 'x'.repeat(501) });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([
        expect.objectContaining({ type: 'string_too_long', loc: ['body', 'content'] }),
      ]);
    });

    it('accepts exactly 500 characters', async () => {
      const key = await developer();
      expect((await create(key, { content: 'y'.repeat(500), category: 'system' })).content).toHaveLength(500);
    });

    it('returns 422 in FastAPI shape when the content is missing', async () => {
      const key = await developer();
      const response = await ctx.call('POST', MEMORIES, key, { category: 'system' });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([expect.objectContaining({ type: 'missing', loc: ['body', 'content'] })]);
    });

    it('returns 422 for an unknown category', async () => {
      const key = await developer();
      const response = await ctx.call('POST', MEMORIES, key, { content: 'I like jazz', category: 'bogus' });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0]).toMatchObject({ type: 'enum', loc: ['body', 'category'] });
    });

    it('returns 403 for a key without memories:write', async () => {
      const key = await developer(['memories:read']);
      const response = await ctx.call('POST', MEMORIES, key, { content: 'I like jazz' });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ detail: 'Insufficient permissions. Required scope: memories:write' });
    });
  });

  describe('GET /v1/dev/user/memories', () => {
    let key: string;
    let oldSystem: WireMemory;
    let newSystem: WireMemory;
    let oldInteresting: WireMemory;
    let newInteresting: WireMemory;

    beforeAll(async () => {
      key = await developer();
      oldInteresting = await create(key, { content: 'Measure twice, cut once', category: 'interesting' });
      ctx.clock.advance(1000);
      oldSystem = await create(key, { content: 'I was born in Porto', category: 'system' });
      ctx.clock.advance(1000);
      newInteresting = await create(key, { content: 'Sleep is a superpower', category: 'interesting' });
      ctx.clock.advance(1000);
      newSystem = await create(key, { content: 'I work at a bakery', category: 'system' });
    });

    it('orders by scoring descending, then newest first', async () => {
      const ids = (await list(key)).map((m) => m.id);
      expect(ids).toEqual([newSystem.id, oldSystem.id, newInteresting.id, oldInteresting.id]);
    });

    it('pages with limit and offset', async () => {
      expect((await list(key, '?limit=2')).map((m) => m.id)).toEqual([newSystem.id, oldSystem.id]);
      expect((await list(key, '?limit=2&offset=2')).map((m) => m.id)).toEqual([newInteresting.id, oldInteresting.id]);
      expect(await list(key, '?offset=10')).toEqual([]);
    });

    it('clamps limit=0 to 1', async () => {
      expect(await list(key, '?limit=0')).toHaveLength(1);
    });

    it('clamps a negative limit to 1', async () => {
      expect(await list(key, '?limit=-5')).toHaveLength(1);
    });

    it('accepts limit=5000', async () => {
      expect(await list(key, '?limit=5000')).toHaveLength(4);
    });

    it('treats a negative offset as 0', async () => {
      expect((await list(key, '?offset=-3&limit=1'))[0]!.id).toBe(newSystem.id);
    });

    it('filters by categories, ignoring spaces and empty items', async () => {
      const system = await list(key, '?categories=%20system%20,,');
      expect(system.map((m) => m.id)).toEqual([newSystem.id, oldSystem.id]);
      const both = await list(key, '?categories=interesting,%20system');
      expect(both).toHaveLength(4);
      expect(await list(key, '?categories=work')).toEqual([]);
    });

    it('returns everything when the categories filter has only empty items', async () => {
      expect(await list(key, '?categories=%20,%20')).toHaveLength(4);
    });

    it('returns 400 for an unknown category', async () => {
      const response = await ctx.call('GET', `${MEMORIES}?categories=system,bogus`, key);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ detail: "Invalid category 'bogus' is not a valid MemoryCategory" });
    });

    it('returns 422 in FastAPI shape when limit is not an integer', async () => {
      const response = await ctx.call('GET', `${MEMORIES}?limit=abc`, key);
      expect(response.statusCode).toBe(422);
      const detail = response.json().detail;
      expect(detail).toHaveLength(1);
      expect(detail[0]).toMatchObject({ type: 'int_parsing', loc: ['query', 'limit'], input: 'abc' });
    });

    it("does not show another user's memories", async () => {
      const other = await developer();
      expect(await list(other)).toEqual([]);
    });

    it('returns 403 for a key without memories:read', async () => {
      const writeOnly = await developer(['memories:write']);
      const response = await ctx.call('GET', MEMORIES, writeOnly);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ detail: 'Insufficient permissions. Required scope: memories:read' });
    });
  });

  describe('POST /v1/dev/user/memories/batch', () => {
    const batch = (key: string, memories: unknown[]) => ctx.call('POST', `${MEMORIES}/batch`, key, { memories });

    it('creates every memory and answers in request order', async () => {
      const key = await developer();
      const response = await batch(key, [
        { content: 'Zebras have stripes', category: 'interesting' },
        { content: 'I am vegetarian', category: 'system' },
        { content: '  I own a kayak  ', tags: ['outdoors'] },
      ]);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expectSpecResponse('createMemoriesBatch', 200, body);
      expect(body.created_count).toBe(3);
      expect(body.memories.map((m: WireMemory) => m.content)).toEqual(['Zebras have stripes', 'I am vegetarian', 'I own a kayak']);
      expect(body.memories[2]).toMatchObject({ id: memoryIdFor('I own a kayak'), category: 'system', tags: ['outdoors'], manually_added: true });
      expect(await list(key)).toHaveLength(3);
    });

    it('returns an empty result for an empty list', async () => {
      const key = await developer();
      const response = await batch(key, []);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ memories: [], created_count: 0 });
      expectSpecResponse('createMemoriesBatch', 200, response.json());
    });

    it('returns 422 and saves nothing when any content is blank', async () => {
      const key = await developer();
      const response = await batch(key, [{ content: 'I like hiking' }, { content: '   ' }]);
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ detail: 'All memories must have non-empty content' });
      expect(await list(key)).toEqual([]);
    });

    it('returns 422 in FastAPI shape for more than 25 memories', async () => {
      const key = await developer();
      const memories = Array.from({ length: 26 }, (_, i) => ({ content: `Memory number ${i}`, category: 'system' }));
      const response = await batch(key, memories);
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([expect.objectContaining({ type: 'too_long', loc: ['body', 'memories'] })]);
      expect(await list(key)).toEqual([]);
    });

    it('accepts exactly 25 memories', async () => {
      const key = await developer();
      const memories = Array.from({ length: 25 }, (_, i) => ({ content: `Memory number ${i}`, category: 'system' }));
      const response = await batch(key, memories);
      expect(response.statusCode).toBe(200);
      expect(response.json().created_count).toBe(25);
    });

    it('returns 422 in FastAPI shape when an item is invalid', async () => {
      const key = await developer();
      const response = await batch(key, [{ content: 'ok' }, { content: 'z'.repeat(501) }]);
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0]).toMatchObject({ type: 'string_too_long', loc: ['body', 'memories', 1, 'content'] });
    });
  });

  describe('PATCH /v1/dev/user/memories/{memory_id}', () => {
    const patch = (key: string, id: string, body: unknown) => ctx.call('PATCH', `${MEMORIES}/${id}`, key, body);

    const updated = async (key: string, id: string, body: unknown): Promise<WireMemory> => {
      const response = await patch(key, id, body);
      expect(response.statusCode).toBe(200);
      expectSpecResponse('updateMemory', 200, response.json());
      return response.json();
    };

    it('edits the content, keeps the id and marks it edited', async () => {
      const key = await developer();
      const memory = await create(key, { content: 'I live in Leeds', category: 'system' });
      ctx.clock.advance(2000);
      const result = await updated(key, memory.id, { content: '  I live in York  ' });
      expect(result).toMatchObject({ id: memory.id, content: 'I live in York', edited: true, created_at: memory.created_at });
      expect(result.updated_at).toBe(ctx.clock.now().toISOString());
      expect((await list(key))[0]).toEqual(result);
    });

    it('changes the visibility', async () => {
      const key = await developer();
      const memory = await create(key, { content: 'I sing in a choir', category: 'system' });
      const result = await updated(key, memory.id, { visibility: 'public' });
      expect(result).toMatchObject({ visibility: 'public', edited: false, content: 'I sing in a choir' });
    });

    it('replaces the tags', async () => {
      const key = await developer();
      const memory = await create(key, { content: 'I read sci-fi', category: 'system', tags: ['books'] });
      expect((await updated(key, memory.id, { tags: ['reading', 'sci-fi'] })).tags).toEqual(['reading', 'sci-fi']);
      expect((await updated(key, memory.id, { tags: [] })).tags).toEqual([]);
    });

    it('changes the category and its scoring', async () => {
      const key = await developer();
      const memory = await create(key, { content: 'I speak Dutch', category: 'system' });
      const created = Math.floor(Date.parse(memory.created_at) / 1000);
      ctx.clock.advance(3000);
      const result = await updated(key, memory.id, { category: 'interesting' });
      expect(result).toMatchObject({ category: 'interesting', scoring: `01_998_${created}`, edited: false });
    });

    it('returns 422 for a visibility other than public or private', async () => {
      const key = await developer();
      const memory = await create(key, { content: 'I knit', category: 'system' });
      const response = await patch(key, memory.id, { visibility: 'friends' });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ detail: "visibility must be 'public' or 'private'" });
    });

    it('returns 422 when no field is provided', async () => {
      const key = await developer();
      const memory = await create(key, { content: 'I garden', category: 'system' });
      for (const body of [{}, { content: null, tags: null, visibility: null, category: null }]) {
        const response = await patch(key, memory.id, body);
        expect(response.statusCode).toBe(422);
        expect(response.json()).toEqual({
          detail: 'At least one field (content, visibility, tags, or category) must be provided',
        });
      }
    });

    it('returns 422 when the new content is blank', async () => {
      const key = await developer();
      const memory = await create(key, { content: 'I surf', category: 'system' });
      const response = await patch(key, memory.id, { content: '   ' });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ detail: 'content must not be empty' });
      expect((await list(key))[0]!.content).toBe('I surf');
    });

    it('returns 404 for an unknown id', async () => {
      const key = await developer();
      const response = await patch(key, memoryIdFor('never created'), { content: 'anything' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Memory not found' });
    });

    it("returns 404 for another user's memory and leaves it unchanged", async () => {
      const owner = await developer();
      const intruder = await developer();
      const memory = await create(owner, { content: 'I keep bees', category: 'system' });
      const response = await patch(intruder, memory.id, { content: 'hijacked' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Memory not found' });
      expect((await list(owner))[0]!.content).toBe('I keep bees');
    });
  });

  describe('DELETE /v1/dev/user/memories/{memory_id}', () => {
    it('deletes the memory, then answers 404', async () => {
      const key = await developer();
      const memory = await create(key, { content: 'I collect stamps', category: 'system' });
      const response = await ctx.call('DELETE', `${MEMORIES}/${memory.id}`, key);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ success: true });
      expectSpecResponse('deleteMemory', 200, response.json());
      expect(await list(key)).toEqual([]);

      const again = await ctx.call('DELETE', `${MEMORIES}/${memory.id}`, key);
      expect(again.statusCode).toBe(404);
      expect(again.json()).toEqual({ detail: 'Memory not found' });
    });

    it("returns 404 for another user's memory and keeps it", async () => {
      const owner = await developer();
      const intruder = await developer();
      const memory = await create(owner, { content: 'I fly drones', category: 'system' });
      const response = await ctx.call('DELETE', `${MEMORIES}/${memory.id}`, intruder);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Memory not found' });
      expect(await list(owner)).toHaveLength(1);
    });
  });

  describe('GET /v1/dev/user/memories/vector/search', () => {
    let key: string;

    beforeAll(async () => {
      key = await developer();
      const contents = [
        'I have weekly meetings with the design team on Mondays',
        'I prefer window seats on long flights',
        'My dentist appointment is every six months',
        'Cold showers improve focus, according to my coach',
        'I meet my sister for lunch on Fridays',
      ];
      for (const content of contents) await create(key, { content, category: 'system' });
    });

    const search = async (query: string) => {
      const response = await ctx.call('GET', `${SEARCH}?${query}`, key);
      expect(response.statusCode).toBe(200);
      expectSpecResponse(SEARCH_OP, 200, response.json());
      return response.json() as {
        items: { id: string; content: string; category: string; relevance_score: number }[];
        returned_count: number;
        archive_default_visible: boolean;
        policy: Record<string, unknown>;
      };
    };

    it('returns the best match first with a relevance score in [0, 1]', async () => {
      const body = await search('query=window%20seat%20flights');
      expect(body.items[0]!.content).toBe('I prefer window seats on long flights');
      expect(body.returned_count).toBe(body.items.length);
      for (const item of body.items) {
        expect(item.relevance_score).toBeGreaterThanOrEqual(0);
        expect(item.relevance_score).toBeLessThanOrEqual(1);
      }
      const scores = body.items.map((i) => i.relevance_score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('answers with the upstream envelope', async () => {
      const body = await search('query=lunch');
      expect(body.archive_default_visible).toBe(false);
      expect(body.policy).toEqual({
        consumer: 'developer_api',
        app_has_default_memory_grant: true,
        archive_capability: false,
        raw_provenance_capability: false,
      });
      expect(body.items[0]).toMatchObject({ id: memoryIdFor('I meet my sister for lunch on Fridays'), category: 'system' });
    });

    it('finds "meetings" when asked for "meeting"', async () => {
      const body = await search('query=meeting');
      expect(body.items[0]!.content).toBe('I have weekly meetings with the design team on Mondays');
    });

    it('returns no items when nothing matches', async () => {
      const body = await search('query=xylophone');
      expect(body).toMatchObject({ items: [], returned_count: 0 });
    });

    it('honours the limit', async () => {
      const body = await search('query=I%20my%20on%20meetings%20lunch%20flights%20dentist&limit=2');
      expect(body.items.length).toBeLessThanOrEqual(2);
      expect(body.returned_count).toBe(body.items.length);
    });

    it("does not search another user's memories", async () => {
      const other = await developer();
      const response = await ctx.call('GET', `${SEARCH}?query=meeting`, other);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ items: [], returned_count: 0 });
    });

    it.each(['0', '101', '-1', 'ten'])('returns 422 in FastAPI shape for limit=%s', async (limit) => {
      const response = await ctx.call('GET', `${SEARCH}?query=meeting&limit=${limit}`, key);
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0]).toMatchObject({ loc: ['query', 'limit'] });
    });

    it('accepts limit=1 and limit=100', async () => {
      expect((await search('query=meeting&limit=1')).items.length).toBeLessThanOrEqual(1);
      await search('query=meeting&limit=100');
    });

    it('returns 422 in FastAPI shape when the query is missing', async () => {
      const response = await ctx.call('GET', SEARCH, key);
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([expect.objectContaining({ type: 'missing', loc: ['query', 'query'] })]);
    });

    it('returns 422 when the query is empty', async () => {
      const response = await ctx.call('GET', `${SEARCH}?query=`, key);
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0]).toMatchObject({ type: 'string_too_short', loc: ['query', 'query'] });
    });
  });
});
