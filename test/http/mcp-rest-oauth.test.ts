import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { json, oauthSteps } from '../helpers/oauth.ts';

/**
 * OAuth access tokens (`omi_oat_`) on the MCP REST routes: each route's scope, the token's
 * audience, expiry and revocation, the owner's data only, and the token store failing.
 */
let ctx: TestContext;
let userId: string;
let session: string;
const state: { ctx?: TestContext; session?: string } = {};
const { authorized } = oauthSteps(state);

// No OMI_PUBLIC_URL: the base is the request's Host (inject's `localhost:80`), so another Host is another audience.
beforeAll(async () => {
  ctx = await createTestContext();
  ({ userId, session } = await ctx.signIn());
  Object.assign(state, { ctx, session });
});
afterAll(() => ctx?.close());

const rest = (method: string, path: string, token: string, body?: unknown, host?: string) =>
  ctx.app.inject({
    method: method as 'GET',
    url: path,
    headers: {
      authorization: `Bearer ${token}`,
      ...(host !== undefined && { host }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });

describe('OAuth access tokens on /v1/mcp/* REST routes', () => {
  it("reads what the token's scopes allow, only the owner's data", async () => {
    await ctx.services.memories.create(userId, { content: 'My dentist is Dr Lee on Elm Street' });
    const { userId: otherId } = await ctx.signIn();
    await ctx.services.memories.create(otherId, { content: 'Someone else keeps bees on the roof' });

    const { tokens } = await authorized('memories.read');
    const list = await rest('GET', '/v1/mcp/memories', tokens.access_token);
    expect(list.statusCode, list.body).toBe(200);
    expect((list.json() as { content: string }[]).map((m) => m.content)).toEqual(['My dentist is Dr Lee on Elm Street']);
    // A route that needs no particular scope (the profile) takes any live token.
    expect((await rest('GET', '/v1/mcp/profile', tokens.access_token)).statusCode).toBe(200);
  });

  it('answers 403 naming the missing scope, and writes nothing', async () => {
    const { tokens } = await authorized('memories.read');
    const before = (await ctx.services.memories.list(userId, { limit: 100, offset: 0 })).length;
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/mcp/memories', { content: 'Buy oat milk on Friday' }, 'memories.write'],
      ['GET', '/v1/mcp/conversations', undefined, 'conversations.read'],
      ['GET', '/v1/mcp/action-items', undefined, 'action_items.read'],
      ['POST', '/v1/mcp/action-items', { description: 'Call the plumber' }, 'action_items.write'],
      ['GET', '/v1/mcp/goals', undefined, 'goals.read'],
    ];
    for (const [method, path, body, scope] of cases) {
      const response = await rest(method, path, tokens.access_token, body);
      expect({ path, status: response.statusCode, body: response.json() }).toEqual({
        path,
        status: 403,
        body: { detail: `Insufficient permissions. Required scope: ${scope}` },
      });
    }
    expect((await ctx.services.memories.list(userId, { limit: 100, offset: 0 })).length).toBe(before);
  });

  it('writes with a write scope', async () => {
    const { tokens } = await authorized('memories.read memories.write');
    const created = await rest('POST', '/v1/mcp/memories', tokens.access_token, { content: 'I take the 8:10 train to work' });
    expect(created.statusCode, created.body).toBe(200);
    const memories = await ctx.services.memories.list(userId, { limit: 100, offset: 0 });
    expect(memories.map((m) => m.content)).toContain('I take the 8:10 train to work');
  });

  it('accepts a token for either MCP endpoint of this server, and refuses one meant for another', async () => {
    for (const resource of [undefined, 'http://localhost:80/v1/mcp']) {
      const { tokens } = await authorized('memories.read', resource);
      expect((await rest('GET', '/v1/mcp/memories', tokens.access_token)).statusCode).toBe(200);
      const elsewhere = await rest('GET', '/v1/mcp/memories', tokens.access_token, undefined, 'other.example');
      expect(elsewhere.statusCode).toBe(401);
      expect(elsewhere.json()).toEqual({ detail: 'Invalid or expired OAuth access token' });
      expect(elsewhere.headers['www-authenticate']).toContain('resource_metadata="http://other.example/.well-known/oauth-protected-resource/v1/mcp"');
    }
  });

  it('answers 401 to an expired, a revoked or an unknown token, and to a refresh token', async () => {
    const { tokens } = await authorized('memories.read');
    expect((await rest('GET', '/v1/mcp/memories', tokens.refresh_token)).statusCode).toBe(401);
    expect((await rest('GET', '/v1/mcp/memories', 'omi_oat_nope')).statusCode).toBe(401);

    const { grants } = json(await ctx.call('GET', '/v1/mcp/oauth/grants', session)) as { grants: { id: string }[] };
    const revoked = await authorized('goals.read');
    expect((await rest('GET', '/v1/mcp/goals', revoked.tokens.access_token)).statusCode).toBe(200);
    const { grants: after } = json(await ctx.call('GET', '/v1/mcp/oauth/grants', session)) as { grants: { id: string }[] };
    const newest = after.find((grant) => !grants.some((known) => known.id === grant.id))!;
    expect((await ctx.call('DELETE', `/v1/mcp/oauth/grants/${newest.id}`, session)).statusCode).toBe(204);
    const gone = await rest('GET', '/v1/mcp/goals', revoked.tokens.access_token);
    expect({ status: gone.statusCode, body: gone.json() }).toEqual({ status: 401, body: { detail: 'Invalid or expired OAuth access token' } });

    ctx.clock.advance(3601_000);
    expect((await rest('GET', '/v1/mcp/memories', tokens.access_token)).statusCode).toBe(401);
  });

  it('still takes MCP keys with every scope, and refuses developer keys', async () => {
    const { secret } = await ctx.services.mcpKeys.create(userId, { name: 'stdio' });
    expect((await rest('GET', '/v1/mcp/goals', secret)).statusCode).toBe(200);
    const dev = await ctx.developer();
    const refused = await rest('GET', '/v1/mcp/memories', dev.key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toContain('omi_mcp_');
  });
});

describe('the token store failing on the REST routes', () => {
  it('answers 503 with Retry-After, not 401 or 500', async () => {
    const broken = await createTestContext();
    try {
      const steps = oauthSteps({ ctx: broken, session: (await broken.signIn()).session });
      const { tokens } = await steps.authorized('memories.read');
      expect((await broken.call('GET', '/v1/mcp/memories', tokens.access_token)).statusCode).toBe(200);
      await broken.storage.close();
      const response = await broken.call('GET', '/v1/mcp/memories', tokens.access_token);
      expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 503, body: { detail: 'OAuth token store unavailable' } });
      expect(response.headers['retry-after']).toBe('10');
    } finally {
      await broken.close();
    }
  });
});
