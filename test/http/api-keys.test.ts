import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomHex, sha256Hex, uuid } from '../../src/lib/crypto.ts';
import type { ApiKey } from '../../src/modules/api-keys/api-keys.types.ts';
import { ALL_SCOPES, createTestContext, type TestContext } from '../helpers/context.ts';
import { expectSpecResponse } from '../helpers/spec.ts';

const READ_ONLY = ['conversations:read', 'memories:read', 'action_items:read', 'goals:read'];
const INVALID_SCOPES =
  "Invalid scopes. Available: ['conversations:read', 'conversations:write', 'memories:read', 'memories:write', " +
  "'action_items:read', 'action_items:write', 'goals:read', 'goals:write']";
const KEY_PATTERN = /^omi_dev_[0-9a-f]{32}$/;

/** The part of a raw key that is hashed at rest. */
const secretOf = (key: string) => key.slice('omi_dev_'.length);

describe('developer keys', () => {
  let ctx: TestContext;
  // Two accounts shared by the tests that do not look at a whole key list.
  let alice: { userId: string; session: string };
  let bob: { userId: string; session: string };

  beforeAll(async () => {
    ctx = await createTestContext();
    alice = await ctx.signIn();
    bob = await ctx.signIn();
  });
  afterAll(async () => {
    await ctx.close();
  });

  const createKey = async (session: string, body: unknown) => {
    const response = await ctx.call('POST', '/v1/dev/keys', session, body);
    expect(response.statusCode).toBe(200);
    expectSpecResponse('createApiKey', 200, response.json());
    return response.json() as { id: string; name: string; key: string; key_prefix: string; scopes: string[] | null; last_used_at: string | null; created_at: string };
  };

  describe('POST /v1/dev/keys', () => {
    it('returns the new key once, in upstream format', async () => {
      const { session } = alice;
      const created = await createKey(session, { name: 'laptop', scopes: ['memories:read', 'memories:write'] });
      expect(created.key).toMatch(KEY_PATTERN);
      const hex = secretOf(created.key);
      expect(created.key_prefix).toBe(`omi_dev_${hex.slice(0, 4)}...${hex.slice(-4)}`);
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'laptop',
        key_prefix: created.key_prefix,
        created_at: ctx.clock.now().toISOString(),
        last_used_at: null,
        scopes: ['memories:read', 'memories:write'],
        key: created.key,
      });
    });

    it('stores only the SHA-256 of the secret part', async () => {
      const { userId, session } = alice;
      const created = await createKey(session, { name: 'hashed' });
      const stored = await ctx.storage.apiKeys.findByHash(sha256Hex(secretOf(created.key)));
      expect(stored).toMatchObject({ id: created.id, userId, hashedKey: sha256Hex(secretOf(created.key)) });
      expect(JSON.stringify(stored)).not.toContain(secretOf(created.key));
      expect(await ctx.storage.apiKeys.findByHash(sha256Hex(created.key))).toBeUndefined();
    });

    it('gives the read-only default scopes when scopes are omitted', async () => {
      const { session } = alice;
      expect((await createKey(session, { name: 'default' })).scopes).toEqual(READ_ONLY);
    });

    it('gives the read-only default scopes when scopes are null', async () => {
      const { session } = alice;
      expect((await createKey(session, { name: 'null scopes', scopes: null })).scopes).toEqual(READ_ONLY);
    });

    it('stores an explicit empty scope list as-is, which opens no data route', async () => {
      const { session } = alice;
      const created = await createKey(session, { name: 'no scopes', scopes: [] });
      expect(created.scopes).toEqual([]);
      const memories = await ctx.call('GET', '/v1/dev/user/memories', created.key);
      expect(memories.statusCode).toBe(403);
      expect(memories.json()).toEqual({ detail: 'Insufficient permissions. Required scope: memories:read' });
      const self = await ctx.call('GET', '/v1/dev/key', created.key);
      expect(self.json().scopes).toEqual([]);
    });

    it('trims the name', async () => {
      const { session } = alice;
      expect((await createKey(session, { name: '  CI runner  ' })).name).toBe('CI runner');
    });

    it('returns 422 when the name is blank', async () => {
      const { session } = alice;
      const response = await ctx.call('POST', '/v1/dev/keys', session, { name: '   ' });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ detail: 'Key name cannot be empty' });
    });

    it('returns 422 when the name contains a raw API key', async () => {
      const { session } = alice;
      const response = await ctx.call('POST', '/v1/dev/keys', session, {
        name: 'my key omi_dev_0123456789abcdef0123456789abcdef',
      });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ detail: 'API key name must not contain a raw API key' });
    });

    it('returns 400 listing the available scopes when a scope is unknown', async () => {
      const { session } = alice;
      const response = await ctx.call('POST', '/v1/dev/keys', session, { name: 'bad', scopes: ['memories:read', 'tasks:read'] });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ detail: INVALID_SCOPES });
      const names = (await ctx.call('GET', '/v1/dev/keys', session)).json().map((k: { name: string }) => k.name);
      expect(names).not.toContain('bad');
    });

    it('returns 422 in FastAPI shape when the name is missing', async () => {
      const { session } = alice;
      const response = await ctx.call('POST', '/v1/dev/keys', session, { scopes: ['memories:read'] });
      expect(response.statusCode).toBe(422);
      const detail = response.json().detail;
      expect(detail).toHaveLength(1);
      expect(detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'name'], msg: 'Field required' });
    });

    it('returns 401 without a session', async () => {
      const response = await ctx.call('POST', '/v1/dev/keys', undefined, { name: 'x' });
      expect(response.statusCode).toBe(401);
    });
  });

  describe('GET /v1/dev/keys', () => {
    it('lists the user\'s keys newest first, never with the secret', async () => {
      const { session } = await ctx.signIn();
      const first = await createKey(session, { name: 'first' });
      ctx.clock.advance(1000);
      const second = await createKey(session, { name: 'second', scopes: ALL_SCOPES });
      ctx.clock.advance(1000);
      const third = await createKey(session, { name: 'third', scopes: [] });

      const response = await ctx.call('GET', '/v1/dev/keys', session);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expectSpecResponse('listApiKeys', 200, body);
      expect(body.map((k: { id: string }) => k.id)).toEqual([third.id, second.id, first.id]);
      for (const key of body) expect(Object.keys(key).sort()).toEqual(['created_at', 'id', 'key_prefix', 'last_used_at', 'name', 'scopes']);
      for (const { key } of [first, second, third]) {
        expect(response.body).not.toContain(key);
        expect(response.body).not.toContain(sha256Hex(secretOf(key)));
      }
      const { key: _secret, ...secondListed } = second;
      expect(body[1]).toEqual(secondListed);
    });

    it('lists only the caller\'s keys', async () => {
      const mine = await ctx.signIn();
      const theirs = await ctx.signIn();
      const own = await createKey(mine.session, { name: 'mine' });
      await createKey(theirs.session, { name: 'theirs' });
      const body = (await ctx.call('GET', '/v1/dev/keys', mine.session)).json();
      expect(body.map((k: { id: string }) => k.id)).toEqual([own.id]);
    });

    it('reports a key stored without scopes as null', async () => {
      const { userId, session } = await ctx.signIn();
      await insertLegacyKey(ctx, userId);
      const body = (await ctx.call('GET', '/v1/dev/keys', session)).json();
      expectSpecResponse('listApiKeys', 200, body);
      expect(body[0].scopes).toBeNull();
    });

    it('returns 401 for a developer key', async () => {
      const { key } = await ctx.developer();
      const response = await ctx.call('GET', '/v1/dev/keys', key);
      expect(response.statusCode).toBe(401);
      expect(typeof response.json().detail).toBe('string');
    });

    it('returns 401 for an unknown session token', async () => {
      const response = await ctx.call('GET', '/v1/dev/keys', `omi_session_${'f'.repeat(64)}`);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: 'Invalid authentication credentials' });
    });
  });

  describe('DELETE /v1/dev/keys/{key_id}', () => {
    it('returns 204 with an empty body and the key fails on the very next request', async () => {
      const { session } = alice;
      const created = await createKey(session, { name: 'doomed' });
      expect((await ctx.call('GET', '/v1/dev/user/memories', created.key)).statusCode).toBe(200);

      const response = await ctx.call('DELETE', `/v1/dev/keys/${created.id}`, session);
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');

      const after = await ctx.call('GET', '/v1/dev/user/memories', created.key);
      expect(after.statusCode).toBe(401);
      expect(after.json()).toEqual({ detail: 'Invalid API Key' });
      const ids = (await ctx.call('GET', '/v1/dev/keys', session)).json().map((k: { id: string }) => k.id);
      expect(ids).not.toContain(created.id);
    });

    it('returns 204 for an unknown id', async () => {
      const { session } = alice;
      const response = await ctx.call('DELETE', '/v1/dev/keys/00000000-0000-4000-8000-000000000000', session);
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
    });

    it("returns 204 for another user's key and leaves it working", async () => {
      const owner = alice;
      const intruder = bob;
      const created = await createKey(owner.session, { name: 'precious' });

      const response = await ctx.call('DELETE', `/v1/dev/keys/${created.id}`, intruder.session);
      expect(response.statusCode).toBe(204);

      expect(await ctx.storage.apiKeys.findById(owner.userId, created.id, 'developer')).toBeDefined();
      expect((await ctx.call('GET', '/v1/dev/user/memories', created.key)).statusCode).toBe(200);
    });

    it('returns 401 without a session', async () => {
      expect((await ctx.call('DELETE', '/v1/dev/keys/anything')).statusCode).toBe(401);
    });
  });

  describe('POST /v1/dev/keys/{key_id}/rotate', () => {
    it('keeps id, name and scopes, issues a new secret and kills the old one at once', async () => {
      const { session } = alice;
      const created = await createKey(session, { name: 'rotating', scopes: ['memories:read', 'goals:write'] });
      expect((await ctx.call('GET', '/v1/dev/user/memories', created.key)).statusCode).toBe(200);
      ctx.clock.advance(5000);

      const response = await ctx.call('POST', `/v1/dev/keys/${created.id}/rotate`, session);
      expect(response.statusCode).toBe(200);
      const rotated = response.json();
      expectSpecResponse('createApiKey', 200, rotated);
      expect(rotated).toMatchObject({
        id: created.id,
        name: 'rotating',
        scopes: ['memories:read', 'goals:write'],
        created_at: created.created_at,
        last_used_at: null,
      });
      expect(rotated.key).toMatch(KEY_PATTERN);
      expect(rotated.key).not.toBe(created.key);
      const hex = secretOf(rotated.key);
      expect(rotated.key_prefix).toBe(`omi_dev_${hex.slice(0, 4)}...${hex.slice(-4)}`);

      const old = await ctx.call('GET', '/v1/dev/user/memories', created.key);
      expect(old.statusCode).toBe(401);
      expect(old.json()).toEqual({ detail: 'Invalid API Key' });
      expect((await ctx.call('GET', '/v1/dev/user/memories', rotated.key)).statusCode).toBe(200);
      expect(await ctx.storage.apiKeys.findByHash(sha256Hex(secretOf(created.key)))).toBeUndefined();
    });

    it('resets last_used_at to null', async () => {
      const { userId, session } = alice;
      const created = await createKey(session, { name: 'used' });
      await ctx.call('GET', '/v1/dev/key', created.key);
      expect((await ctx.storage.apiKeys.findById(userId, created.id, 'developer'))?.lastUsedAt).not.toBeNull();

      const rotated = (await ctx.call('POST', `/v1/dev/keys/${created.id}/rotate`, session)).json();
      expect(rotated.last_used_at).toBeNull();
      expect((await ctx.storage.apiKeys.findById(userId, created.id, 'developer'))?.lastUsedAt).toBeNull();
    });

    it('returns 404 for an unknown id', async () => {
      const { session } = alice;
      const response = await ctx.call('POST', '/v1/dev/keys/00000000-0000-4000-8000-000000000000/rotate', session);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'API key not found' });
    });

    it("returns 404 for another user's key and leaves it working", async () => {
      const owner = alice;
      const intruder = bob;
      const created = await createKey(owner.session, { name: 'not yours' });
      const response = await ctx.call('POST', `/v1/dev/keys/${created.id}/rotate`, intruder.session);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'API key not found' });
      expect((await ctx.call('GET', '/v1/dev/user/memories', created.key)).statusCode).toBe(200);
    });
  });

  describe('GET /v1/dev/key', () => {
    it('describes the calling key with its scopes', async () => {
      const { session } = alice;
      const created = await createKey(session, { name: 'introspect', scopes: ['action_items:write'] });
      const response = await ctx.call('GET', '/v1/dev/key', created.key);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        id: created.id,
        name: 'introspect',
        key_prefix: created.key_prefix,
        created_at: created.created_at,
        last_used_at: ctx.clock.now().toISOString(),
        scopes: ['action_items:write'],
      });
    });

    it('reports the read-only default for a key stored without scopes', async () => {
      const { userId } = alice;
      const legacy = await insertLegacyKey(ctx, userId);
      const response = await ctx.call('GET', '/v1/dev/key', legacy.key);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: legacy.id, scopes: READ_ONLY });
    });

    it('lets a key stored without scopes read but not write', async () => {
      const { userId } = alice;
      const legacy = await insertLegacyKey(ctx, userId);
      expect((await ctx.call('GET', '/v1/dev/user/memories', legacy.key)).statusCode).toBe(200);
      const write = await ctx.call('POST', '/v1/dev/user/memories', legacy.key, { content: 'I like tea' });
      expect(write.statusCode).toBe(403);
      expect(write.json()).toEqual({ detail: 'Insufficient permissions. Required scope: memories:write' });
    });

    it('returns 401 for a session token', async () => {
      const { session } = alice;
      const response = await ctx.call('GET', '/v1/dev/key', session);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: 'Invalid API Key' });
    });
  });

  describe('developer-key authentication', () => {
    it('returns 401 "Invalid API Key" for a session token on /v1/dev/user/memories', async () => {
      const { session } = alice;
      const response = await ctx.call('GET', '/v1/dev/user/memories', session);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: 'Invalid API Key' });
    });

    it('returns 401 with upstream text when the Authorization header is missing', async () => {
      const response = await ctx.call('GET', '/v1/dev/user/memories');
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: "Missing or invalid Authorization header. Must be 'Bearer API_KEY'" });
    });

    it('returns 401 for a well-formed but unknown key', async () => {
      const response = await ctx.call('GET', '/v1/dev/user/memories', `omi_dev_${'a'.repeat(32)}`);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: 'Invalid API Key' });
    });
  });

  describe('last_used_at', () => {
    it('is null before use, set on first use, throttled for 60 s, then rewritten', async () => {
      const { userId, session } = alice;
      const created = await createKey(session, { name: 'tracked' });
      const stored = async () => (await ctx.storage.apiKeys.findById(userId, created.id, 'developer'))?.lastUsedAt;
      expect(await stored()).toBeNull();

      const firstUse = ctx.clock.now().toISOString();
      expect((await ctx.call('GET', '/v1/dev/user/memories', created.key)).statusCode).toBe(200);
      expect(await stored()).toBe(firstUse);

      ctx.clock.advance(30_000);
      expect((await ctx.call('GET', '/v1/dev/user/memories', created.key)).statusCode).toBe(200);
      expect(await stored()).toBe(firstUse);

      ctx.clock.advance(31_000);
      const later = ctx.clock.now().toISOString();
      expect((await ctx.call('GET', '/v1/dev/user/memories', created.key)).statusCode).toBe(200);
      expect(await stored()).toBe(later);

      const listed = (await ctx.call('GET', '/v1/dev/keys', session)).json();
      expect(listed.find((k: { id: string }) => k.id === created.id).last_used_at).toBe(later);
    });

    it('is not written by a request that fails authentication', async () => {
      const { userId, session } = alice;
      const created = await createKey(session, { name: 'untouched' });
      await ctx.call('GET', '/v1/dev/user/memories', `${created.key}0`);
      expect((await ctx.storage.apiKeys.findById(userId, created.id, 'developer'))?.lastUsedAt).toBeNull();
    });
  });
});

describe('rate limits', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    // dev:memories_batch is 15/h; × 0.1 = 1.5, floored to 1.
    ctx = await createTestContext({ OMI_RATE_LIMIT_MULTIPLIER: '0.1' });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const batch = (key: string) => ctx.call('POST', '/v1/dev/user/memories/batch', key, { memories: [] });

  it('POST /v1/dev/user/memories/batch › returns 429 with rate-limit headers once the budget is spent', async () => {
    const { key } = await keyHolder(ctx);
    const first = await batch(key);
    expect(first.statusCode).toBe(200);

    const second = await batch(key);
    expect(second.statusCode).toBe(429);
    const detail = second.json().detail as string;
    expect(detail).toMatch(/^Rate limit exceeded\. Try again in \d+s\.$/);
    const seconds = Number(/in (\d+)s/.exec(detail)![1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(3600);
    expect(second.headers['retry-after']).toBe(String(seconds));
    expect(second.headers['x-ratelimit-limit']).toBe('1');
    expect(second.headers['x-ratelimit-remaining']).toBe('0');
    expect(second.headers.ratelimit).toBeDefined();
    expect(second.headers['ratelimit-policy']).toBeDefined();
  });

  it('keeps a separate budget for each key of the same user', async () => {
    const { userId, key } = await keyHolder(ctx);
    expect((await batch(key)).statusCode).toBe(200);
    expect((await batch(key)).statusCode).toBe(429);

    const other = await ctx.services.apiKeys.create(userId, { name: 'second key', scopes: ALL_SCOPES });
    expect((await batch(other.secret)).statusCode).toBe(200);
  });

  it('keeps a separate budget for each policy', async () => {
    const { key } = await keyHolder(ctx);
    expect((await batch(key)).statusCode).toBe(200);
    expect((await batch(key)).statusCode).toBe(429);
    const single = await ctx.call('POST', '/v1/dev/user/memories', key, { content: 'I collect vinyl records' });
    expect(single.statusCode).toBe(200);
    expect((await ctx.call('GET', '/v1/dev/user/memories', key)).statusCode).toBe(200);
  });

  it('opens a new window after an hour', async () => {
    const { key } = await keyHolder(ctx);
    expect((await batch(key)).statusCode).toBe(200);
    expect((await batch(key)).statusCode).toBe(429);
    ctx.clock.advance(3600_000);
    expect((await batch(key)).statusCode).toBe(200);
    expect((await batch(key)).statusCode).toBe(429);
  });

  it('does not charge requests that fail authentication', async () => {
    const { key } = await keyHolder(ctx);
    for (let i = 0; i < 3; i++) expect((await batch(`${key}0`)).statusCode).toBe(401);
    expect((await batch(key)).statusCode).toBe(200);
  });

  it('does not charge requests refused for a missing scope', async () => {
    const { userId } = await keyHolder(ctx);
    // One key id and secret, first stored read-only, then with write scope.
    const readOnly = await insertKey(ctx, userId, ['memories:read']);
    for (let i = 0; i < 3; i++) {
      const refused = await batch(readOnly.key);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toEqual({ detail: 'Insufficient permissions. Required scope: memories:write' });
    }
    await ctx.storage.apiKeys.delete(userId, readOnly.id, 'developer');
    await ctx.storage.apiKeys.insert({ ...readOnly.row, scopes: ['memories:write'] });
    expect((await batch(readOnly.key)).statusCode).toBe(200);
    expect((await batch(readOnly.key)).statusCode).toBe(429);
  });

  it('never limits when the multiplier is 0', async () => {
    const unlimited = await createTestContext({ OMI_RATE_LIMIT_MULTIPLIER: '0' });
    try {
      const { key } = await keyHolder(unlimited);
      for (let i = 0; i < 20; i++) {
        const response = await unlimited.call('POST', '/v1/dev/user/memories/batch', key, { memories: [] });
        expect(response.statusCode).toBe(200);
      }
    } finally {
      await unlimited.close();
    }
  });
});

/**
 * An account and an all-scopes key, written without the deliberately slow password hash: these
 * tests never sign in.
 */
async function keyHolder(ctx: TestContext) {
  const userId = uuid();
  await ctx.storage.users.insert({
    id: userId,
    email: `${userId}@example.com`,
    name: 'Rate Limited',
    passwordHash: 'not-a-password-hash',
    createdAt: ctx.clock.now().toISOString(),
  });
  const { secret } = await ctx.services.apiKeys.create(userId, { name: 'limited', scopes: ALL_SCOPES });
  return { userId, key: secret };
}

/** A key row written straight to storage, as an older server (or a migration) would have left it. */
async function insertKey(ctx: TestContext, userId: string, scopes: string[] | null) {
  const hex = randomHex(16);
  const row: ApiKey = {
    id: uuid(),
    family: 'developer',
    userId,
    name: 'stored key',
    hashedKey: sha256Hex(hex),
    keyPrefix: `omi_dev_${hex.slice(0, 4)}...${hex.slice(-4)}`,
    scopes,
    createdAt: ctx.clock.now().toISOString(),
    lastUsedAt: null,
    rotatedAt: null,
  };
  await ctx.storage.apiKeys.insert(row);
  return { id: row.id, key: `omi_dev_${hex}`, row };
}

const insertLegacyKey = (ctx: TestContext, userId: string) => insertKey(ctx, userId, null);
