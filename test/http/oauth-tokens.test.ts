import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/crypto.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { authParams, BASE, expectProblem, json, oauthSteps, pkce, REDIRECT } from '../helpers/oauth.ts';

/** The MCP OAuth token endpoint, access tokens on the MCP endpoints, and grants, in-process. */
let ctx: TestContext;
let session: string;
const state: { ctx?: TestContext; session?: string } = {};
const { register, publicClient, approve, token, authorized, mcp } = oauthSteps(state);

beforeAll(async () => {
  ctx = await createTestContext({ OMI_PUBLIC_URL: BASE });
  ({ session } = await ctx.signIn());
  Object.assign(state, { ctx, session });
});
afterAll(() => ctx?.close());

describe('POST /token', () => {
  it('exchanges a code once (form or JSON), with no-store, and stores only hashes', async () => {
    const { tokens, clientId, code, verifier } = await authorized('memories.read conversations.read');
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'memories.read conversations.read' });
    expect(await ctx.storage.oauth.findToken(tokens.access_token)).toBeUndefined();
    expect((await ctx.storage.oauth.findToken(sha256Hex(tokens.access_token)))?.kind).toBe('access');
    expect(await ctx.storage.oauth.findCode(code)).toBeUndefined();
    // Replaying the code is refused and revokes what it issued.
    const replay = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier }, false);
    expectProblem(replay, 400, 'invalid_grant', 'Authorization code has already been used');
    expect((await mcp('/v1/mcp', tokens.access_token)).statusCode).toBe(401);
    expectProblem(await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId }), 400, 'invalid_grant');
  });

  it('sets Cache-Control: no-store', async () => {
    const clientId = await publicClient();
    const { verifier, challenge } = pkce();
    const code = await approve(authParams(clientId, challenge));
    const response = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['a wrong verifier', { code_verifier: 'x'.repeat(43) }, 'invalid_grant'],
    ['a different redirect_uri', { redirect_uri: 'https://client.example/other' }, 'invalid_grant'],
    ['another client', { client_id: 'omi-claude-prod' }, 'invalid_grant'],
    ['a different resource', { resource: `${BASE}/elsewhere` }, 'invalid_target'],
    ['an unknown code', { code: 'omi_code_nope' }, 'invalid_grant'],
    ['no code_verifier', { code_verifier: '' }, 'invalid_request'],
    ['an unknown grant_type', { grant_type: 'password' }, 'unsupported_grant_type'],
    ['no grant_type', { grant_type: '' }, 'invalid_request'],
  ])('refuses a code exchange with %s', async (_name, change, error) => {
    const clientId = await publicClient();
    const { verifier, challenge } = pkce();
    const code = await approve(authParams(clientId, challenge));
    const body = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier, ...change };
    expectProblem(await token(body), 400, error);
  });

  it('refuses an expired code (600 s)', async () => {
    const clientId = await publicClient();
    const { verifier, challenge } = pkce();
    const code = await approve(authParams(clientId, challenge));
    ctx.clock.advance(601_000);
    const response = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier });
    expectProblem(response, 400, 'invalid_grant', 'Authorization code has expired');
  });

  it('authenticates confidential clients by secret and refuses secrets from public ones', async () => {
    const conf = json(await register({ client_name: 'Conf', redirect_uris: [REDIRECT] }));
    const { verifier, challenge } = pkce();
    const code = await approve(authParams(conf.client_id as string, challenge));
    const body = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: conf.client_id as string, code_verifier: verifier };
    expectProblem(await token(body), 401, 'invalid_client', 'client_secret is required for this client');
    expectProblem(await token({ ...body, client_secret: 'omi_cs_wrong' }), 401, 'invalid_client', 'Invalid client credentials');
    expect((await token({ ...body, client_secret: conf.client_secret as string })).statusCode).toBe(200);

    const pub = await publicClient();
    expectProblem(await token({ grant_type: 'refresh_token', refresh_token: 'x', client_id: pub, client_secret: 's' }), 401, 'invalid_client');
    expectProblem(await token({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'ghost' }), 401, 'invalid_client', 'Unknown OAuth client');
  });

  it('rotates refresh tokens, narrows scopes on request and never widens them', async () => {
    const { tokens, clientId } = await authorized('memories.read memories.write');
    expectProblem(
      await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId, scope: 'memories.read goals.read' }),
      400,
      'invalid_scope',
    );
    const narrowed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId, scope: 'memories.read' });
    expect(json(narrowed).scope).toBe('memories.read');
    const tools = JSON.parse((await mcp('/v1/mcp', json(narrowed).access_token as string)).body).result.tools.map((t: { name: string }) => t.name);
    expect(tools.sort()).toEqual(['get_memories', 'search_memories']);
  });

  it('keeps the legacy client_id=omi shim: the MCP key is the access token', async () => {
    const { userId } = await ctx.signIn();
    const { secret } = await ctx.services.mcpKeys.create(userId, { name: 'k' });
    expect(json(await token({ client_id: 'omi', client_secret: secret }))).toEqual({ access_token: secret, token_type: 'Bearer' });
    expect(json(await token({ client_id: 'omi' }, false))).toEqual({ detail: 'client_secret is required' });
    const bad = await token({ client_id: 'omi', client_secret: 'omi_mcp_nope' });
    expect(bad.statusCode).toBe(401);
    expect(json(bad)).toEqual({ detail: 'Invalid API key' });
    const garbage = await ctx.app.inject({ method: 'POST', url: '/token', headers: { 'content-type': 'application/json' }, payload: '{"client_id":' });
    expect(garbage.statusCode).toBe(400);
    expect(json(garbage)).toEqual({ detail: 'Invalid request body' });
  });
});

describe('access tokens on the MCP endpoints', () => {
  it('accepts a token on both endpoints whichever audience it names, with its scopes only', async () => {
    for (const resource of [undefined, `${BASE}/v1/mcp`]) {
      const { tokens } = await authorized('goals.read', resource);
      for (const path of ['/v1/mcp', '/v1/mcp/sse']) {
        const response = await mcp(path, tokens.access_token);
        expect(response.statusCode, response.body).toBe(200);
        expect(JSON.parse(response.body).result.tools.map((t: { name: string }) => t.name)).toEqual(['get_goals']);
      }
    }
  });

  it('binds a token to this server: another audience gets nothing', async () => {
    const { tokens } = await authorized('memories.read', `${BASE}/v1/mcp`);
    const check = (resource: string) => ctx.services.mcpOAuth.authenticate(tokens.access_token, resource);
    expect((await check(`${BASE}/v1/mcp/sse`))?.scopes).toEqual(['memories.read']);
    expect(await check('https://other.example/v1/mcp')).toBeUndefined();
    expect(await check(`${BASE}/v1/mcpx`)).toBeUndefined();
    expect(await ctx.services.mcpOAuth.authenticate(tokens.refresh_token, `${BASE}/v1/mcp`)).toBeUndefined();
  });

  it('refuses an expired access token (3600 s) with the challenge', async () => {
    const { tokens } = await authorized();
    ctx.clock.advance(3601_000);
    const response = await mcp('/v1/mcp', tokens.access_token);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('records last use at most once a minute', async () => {
    const { tokens } = await authorized();
    await mcp('/v1/mcp', tokens.access_token);
    const [grant] = (await ctx.storage.oauth.listGrants((await ctx.storage.oauth.findToken(sha256Hex(tokens.access_token)))!.userId));
    const first = grant!.lastUsedAt;
    expect(first).toBe(ctx.clock.now().toISOString());
    ctx.clock.advance(30_000);
    await mcp('/v1/mcp', tokens.access_token);
    expect((await ctx.storage.oauth.getGrant(grant!.userId, grant!.id))?.lastUsedAt).toBe(first);
    ctx.clock.advance(31_000);
    await mcp('/v1/mcp', tokens.access_token);
    expect((await ctx.storage.oauth.getGrant(grant!.userId, grant!.id))?.lastUsedAt).toBe(ctx.clock.now().toISOString());
  });
});

describe('grants', () => {
  it('keeps one grant per user, client and resource, merging scopes across consents', async () => {
    const { userId, session: own } = await ctx.signIn();
    const clientId = await publicClient();
    await approve(authParams(clientId, pkce().challenge, { scope: 'memories.read' }), own);
    await approve(authParams(clientId, pkce().challenge, { scope: 'conversations.read' }), own);
    await approve(authParams(clientId, pkce().challenge, { scope: 'goals.read', resource: `${BASE}/v1/mcp` }), own);
    const { grants } = json(await ctx.call('GET', '/v1/mcp/oauth/grants', own)) as { grants: { id: string; resource: string; scopes: string[] }[] };
    expect(grants.map((g) => [g.resource, g.scopes]).sort()).toEqual([
      [`${BASE}/v1/mcp`, ['goals.read']],
      [`${BASE}/v1/mcp/sse`, ['memories.read', 'conversations.read']],
    ]);
    expect((await ctx.storage.oauth.listGrants(userId)).length).toBe(2);
  });

  it('lets no code issued before a revocation through, even after the user approves again', async () => {
    const { session: own } = await ctx.signIn();
    const clientId = await publicClient();
    const { verifier, challenge } = pkce();
    const stale = await approve(authParams(clientId, challenge), own);
    const { grants } = json(await ctx.call('GET', '/v1/mcp/oauth/grants', own)) as { grants: { id: string }[] };
    expect((await ctx.call('DELETE', `/v1/mcp/oauth/grants/${grants[0]!.id}`, own)).statusCode).toBe(204);
    await approve(authParams(clientId, pkce().challenge), own);
    const response = await token({ grant_type: 'authorization_code', code: stale, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier });
    expectProblem(response, 400, 'invalid_grant');
  });

  it("answers 404 for another user's grant, an unknown one and one already revoked", async () => {
    const { session: owner } = await ctx.signIn();
    const clientId = await publicClient();
    await approve(authParams(clientId, pkce().challenge), owner);
    const { grants } = json(await ctx.call('GET', '/v1/mcp/oauth/grants', owner)) as { grants: { id: string }[] };
    const id = grants[0]!.id;
    const stranger = await ctx.call('DELETE', `/v1/mcp/oauth/grants/${id}`, session);
    expect(stranger.statusCode).toBe(404);
    expect(json(stranger)).toEqual({ detail: 'OAuth grant not found' });
    expect((await ctx.call('DELETE', '/v1/mcp/oauth/grants/nope', owner)).statusCode).toBe(404);
    expect((await ctx.call('DELETE', `/v1/mcp/oauth/grants/${id}`, owner)).statusCode).toBe(204);
    expect((await ctx.call('DELETE', `/v1/mcp/oauth/grants/${id}`, owner)).statusCode).toBe(404);
    expect((await ctx.call('GET', '/v1/mcp/oauth/grants')).statusCode).toBe(401);
  });
});

describe('the token store failing', () => {
  it('answers 503 with Retry-After at /token and on the MCP endpoints, never 401 or 500', async () => {
    const broken = await createTestContext({ OMI_PUBLIC_URL: BASE });
    try {
      const { userId, session: own } = await broken.signIn();
      const steps = oauthSteps({ ctx: broken, session: own });
      const { clientId, tokens } = await steps.authorized('memories.read');
      const { verifier, challenge } = pkce();
      const code = await steps.approve(authParams(clientId, challenge));
      const { secret } = await broken.services.mcpKeys.create(userId, { name: 'legacy' });
      await broken.storage.close();

      const expectDown = (response: { statusCode: number; body: string; headers: Record<string, unknown> }) => {
        expect({ status: response.statusCode, body: json(response) }).toEqual({ status: 503, body: { detail: 'OAuth token store unavailable' } });
        expect(response.headers['retry-after']).toBe('10');
      };
      const refreshed = await steps.token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId });
      expectDown(refreshed);
      expect(refreshed.headers['cache-control']).toBe('no-store');
      expectDown(await steps.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier }));
      expectDown(await steps.token({ grant_type: 'client_credentials', client_id: 'omi', client_secret: secret }));
      for (const path of ['/v1/mcp', '/v1/mcp/sse']) expectDown(await steps.mcp(path, tokens.access_token));
    } finally {
      await broken.close();
    }
  });
});
