import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, createTestContext } from '../helpers/context.ts';
import {
  collectionOf,
  concretePath,
  fetchDocument,
  operationsOf,
  sampleQuery,
  sampleValue,
  type Operation,
} from '../helpers/openapi.ts';

/**
 * One matrix of authentication and authorization cases, applied to every route the server
 * publishes, so a route added later is covered without touching this file.
 */
const MISSING_HEADER = "Missing or invalid Authorization header. Must be 'Bearer API_KEY'";
const INVALID_KEY = 'Invalid API Key';

const ctx = await createTestContext();
const document = await fetchDocument(ctx.app);
const operations = operationsOf(document);
const developerRoutes = operations.filter((op) => op.guard === 'developer-key');
const sessionRoutes = operations.filter((op) => op.guard === 'session');

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * The scope a developer route needs, by upstream's rule (omi-behaviour.md §1): the resource
 * after `/v1/dev/user/`, read for GET and write otherwise; folders, ask and daily summaries read
 * conversations; `GET /v1/dev/key` needs none.
 */
function expectedScope(op: Operation): string | undefined {
  const resource = /^\/v1\/dev\/user\/([^/]+)/.exec(op.path)?.[1];
  if (!resource) return undefined;
  if (['folders', 'ask', 'daily-summaries'].includes(resource)) return 'conversations:read';
  return `${resource.replace(/-/g, '_')}:${op.method === 'GET' ? 'read' : 'write'}`;
}

const url = (op: Operation) => `${concretePath(op.path, randomUUID())}${sampleQuery(document, op)}`;

function send(op: Operation, requestUrl: string, authorization?: string): Promise<LightMyRequestResponse> {
  const payload = op.body ? sampleValue(document, op.body) : undefined;
  return ctx.app.inject({
    method: op.method as 'GET',
    url: requestUrl,
    headers: {
      ...(authorization !== undefined && { authorization }),
      ...(payload !== undefined && { 'content-type': 'application/json' }),
    },
    ...(payload !== undefined && { payload: JSON.stringify(payload) }),
  });
}

function expectDetail(response: LightMyRequestResponse, status: number, detail: string) {
  expect({ status: response.statusCode, body: response.json() }).toEqual({ status, body: { detail } });
}

let owner: Awaited<ReturnType<typeof ctx.developer>>;
let other: Awaited<ReturnType<typeof ctx.developer>>;
let noScopes: Awaited<ReturnType<typeof ctx.developer>>;
let revokedKey: string;

beforeAll(async () => {
  owner = await ctx.developer();
  other = await ctx.developer();
  noScopes = await ctx.developer([]);
  const revoked = await ctx.developer();
  await ctx.services.apiKeys.revoke(revoked.userId, revoked.keyId);
  revokedKey = revoked.key;
});

afterAll(() => ctx.close());

describe('security matrix', () => {
  it('covers at least the developer-key and session routes the server always has', () => {
    expect(developerRoutes.map((op) => op.label)).toEqual(
      expect.arrayContaining(['GET /v1/dev/key', 'GET /v1/dev/user/memories', 'PATCH /v1/dev/user/memories/{memory_id}']),
    );
    expect(sessionRoutes.map((op) => op.label)).toEqual(expect.arrayContaining(['GET /v1/dev/keys', 'POST /v1/dev/keys']));
  });
});

for (const op of developerRoutes) describe(op.label, () => {
  it('returns 401 without an Authorization header', async () => {
    expectDetail(await send(op, url(op)), 401, MISSING_HEADER);
  });

  it.each([
    ['a non-Bearer scheme', 'Token abc'],
    ['a lowercase bearer scheme', 'bearer omi_dev_0123456789abcdef0123456789abcdef'],
    ['"Bearer" with no token', 'Bearer'],
    ['a tab instead of a space', 'Bearer\tomi_dev_0123456789abcdef0123456789abcdef'],
  ])('returns 401 with the missing-header detail for %s', async (_case, header) => {
    expectDetail(await send(op, url(op), header), 401, MISSING_HEADER);
  });

  it('returns 401 Invalid API Key for "Bearer " followed by an empty token', async () => {
    expectDetail(await send(op, url(op), 'Bearer '), 401, INVALID_KEY);
  });

  it('returns 401 pointing to /v1/mcp/ for an MCP key', async () => {
    const response = await send(op, url(op), `Bearer omi_mcp_${hex(16)}`);
    expect(response.statusCode).toBe(401);
    expect(response.json<{ detail: string }>().detail).toContain('/v1/mcp/');
  });

  it('returns 401 Invalid API Key for an unknown developer key', async () => {
    expectDetail(await send(op, url(op), `Bearer omi_dev_${hex(16)}`), 401, INVALID_KEY);
  });

  it('returns 401 Invalid API Key for a revoked key', async () => {
    expectDetail(await send(op, url(op), `Bearer ${revokedKey}`), 401, INVALID_KEY);
  });

  it('returns 401 Invalid API Key for a session token', async () => {
    expectDetail(await send(op, url(op), `Bearer ${owner.session}`), 401, INVALID_KEY);
  });

  const scope = expectedScope(op);
  if (scope) {
    it(`returns 403 for a key without ${scope}`, async () => {
      expectDetail(await send(op, url(op), `Bearer ${noScopes.key}`), 403, `Insufficient permissions. Required scope: ${scope}`);
    });

    it(`returns 403 for a key holding every scope but ${scope}`, async () => {
      const scopes = ALL_SCOPES.filter((s) => s !== scope);
      const { secret } = await ctx.services.apiKeys.create(owner.userId, { name: `all but ${scope}`, scopes });
      expectDetail(await send(op, url(op), `Bearer ${secret}`), 403, `Insufficient permissions. Required scope: ${scope}`);
    });
  } else {
    it('answers 200 to a key with no scopes (no scope is required)', async () => {
      expect((await send(op, url(op), `Bearer ${noScopes.key}`)).statusCode).toBe(200);
    });
  }

  const collection = collectionOf(op.path);
  const create = operations.find((candidate) => candidate.method === 'POST' && candidate.path === collection);
  if (op.pathParams.length > 0 && create) {
    it("returns 404 for another user's resource and leaves it unchanged", async () => {
      const created = await send(create, `${create.path}${sampleQuery(document, create)}`, `Bearer ${owner.key}`);
      expect(created.statusCode).toBe(200);
      const id = created.json<{ id: string }>().id;
      // The owner reads it back through the single-item route if there is one, else the list.
      const single = operations.find((candidate) => candidate.method === 'GET' && candidate.path === `${collection}/{${op.pathParams[0]}}`);
      const reader = single ?? operations.find((candidate) => candidate.method === 'GET' && candidate.path === collection);
      const snapshot = async () => {
        if (!reader) return undefined;
        const response = await send(reader, concretePath(reader.path, id), `Bearer ${owner.key}`);
        expect(response.statusCode).toBe(200);
        const body = response.json<{ id: string } | { id: string }[]>();
        return Array.isArray(body) ? body.find((item) => item.id === id) : body;
      };
      const before = await snapshot();
      if (reader) expect(before).toMatchObject({ id });

      const response = await send(op, `${concretePath(op.path, id)}${sampleQuery(document, op)}`, `Bearer ${other.key}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toHaveProperty('detail');

      expect(await snapshot()).toEqual(before);
    });
  }
});

for (const op of sessionRoutes) describe(op.label, () => {
  it('returns 401 without an Authorization header', async () => {
    const response = await send(op, url(op));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toHaveProperty('detail');
  });

  it('returns 401 for a developer key', async () => {
    const response = await send(op, url(op), `Bearer ${owner.key}`);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toHaveProperty('detail');
  });

  it.each([
    ['a garbage token', 'Bearer not-a-session-token'],
    ['an empty token', 'Bearer '],
    ['a non-Bearer scheme', 'Basic dXNlcjpwYXNz'],
  ])('returns 401 for %s', async (_case, header) => {
    const response = await send(op, url(op), header);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toHaveProperty('detail');
  });

  if (op.pathParams.length > 0) {
    it("leaves another user's key working", async () => {
      const response = await send(op, concretePath(op.path, owner.keyId), `Bearer ${other.session}`);
      expect(response.statusCode).toBeLessThan(500);
      expect((await ctx.call('GET', '/v1/dev/key', owner.key)).statusCode).toBe(200);
    });
  }
});
