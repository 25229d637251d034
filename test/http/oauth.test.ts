import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { sha256Hex } from '../../src/lib/crypto.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { authParams, BASE, expectProblem, json, oauthSteps, pkce, qs, REDIRECT, SCOPES } from '../helpers/oauth.ts';

/** The MCP OAuth authorization server in-process: discovery, registration and the authorization endpoint. */
let ctx: TestContext;
let session: string;
const state: { ctx?: TestContext; session?: string } = {};
const { register, publicClient, mcp } = oauthSteps(state);

beforeAll(async () => {
  ctx = await createTestContext({ OMI_PUBLIC_URL: BASE, OMI_RATE_LIMIT_MULTIPLIER: '0.5' });
  ({ session } = await ctx.signIn());
  Object.assign(state, { ctx, session });
});
afterAll(() => ctx?.close());

describe('discovery', () => {
  it('publishes protected-resource metadata for the legacy and canonical endpoints', async () => {
    for (const [path, resource] of [
      ['/.well-known/oauth-protected-resource', `${BASE}/v1/mcp/sse`],
      ['/.well-known/oauth-protected-resource/v1/mcp/sse', `${BASE}/v1/mcp/sse`],
      ['/.well-known/oauth-protected-resource/v1/mcp', `${BASE}/v1/mcp`],
    ]) {
      const body = json(await ctx.call('GET', path!));
      expect(body).toMatchObject({ resource, authorization_servers: [BASE], scopes_supported: SCOPES, bearer_methods_supported: ['header'] });
    }
  });

  it('publishes authorization-server metadata', async () => {
    expect(json(await ctx.call('GET', '/.well-known/oauth-authorization-server'))).toEqual({
      issuer: BASE,
      authorization_endpoint: `${BASE}/authorize`,
      token_endpoint: `${BASE}/token`,
      registration_endpoint: `${BASE}/register`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'none'],
      scopes_supported: SCOPES,
    });
  });

  it("points each MCP endpoint's 401 at its own document", async () => {
    for (const path of ['/v1/mcp', '/v1/mcp/sse']) {
      const response = await mcp(path, 'omi_oat_nope');
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe(
        `Bearer resource_metadata="${BASE}/.well-known/oauth-protected-resource${path}", error="invalid_token", ` +
          'error_description="Valid Omi MCP API key or OAuth bearer token required"',
      );
    }
  });

  it('takes absolute URLs from the request without OMI_PUBLIC_URL, and validates OMI_PUBLIC_URL', async () => {
    const other = await createTestContext();
    try {
      const response = await other.app.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource/v1/mcp', headers: { host: 'omi.local:8080' } });
      expect(json(response).resource).toBe('http://omi.local:8080/v1/mcp');
      const odd = await other.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server', headers: { host: 'evil"x' } });
      expect(json(odd).issuer).toBe('http://localhost');
    } finally {
      await other.close();
    }
    for (const bad of ['ftp://omi.example.com', 'https://omi.example.com/', 'not a url', 'https://omi.example.com?x=1']) {
      expect(() => parseConfig({ OMI_PUBLIC_URL: bad })).toThrow(/OMI_PUBLIC_URL/);
    }
    expect(parseConfig({ OMI_PUBLIC_URL: 'https://omi.example.com/base' }).publicUrl).toBe('https://omi.example.com/base');
  });
});

describe('dynamic client registration', () => {
  it('registers public clients without a secret and confidential ones with a secret stored as a hash', async () => {
    const pub = json(await register({ client_name: 'Pub', redirect_uris: ['http://127.0.0.1:3000/cb'], token_endpoint_auth_method: 'none' }));
    expect(pub).toMatchObject({ client_name: 'Pub', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1:3000/cb'] });
    expect(pub).not.toHaveProperty('client_secret');
    const response = await register({ client_name: 'Conf', redirect_uris: [REDIRECT] });
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const conf = json(response);
    expect(conf.token_endpoint_auth_method).toBe('client_secret_post');
    const stored = await ctx.storage.oauth.findClient(conf.client_id as string);
    expect(stored?.secretHash).toBe(sha256Hex(conf.client_secret as string));
  });

  it.each([
    [{ redirect_uris: ['http://evil.example/cb'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['https://client.example/cb#frag'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['/relative'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: [] }, 'invalid_redirect_uri'],
    [{}, 'invalid_redirect_uri'],
    [{ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' }, 'invalid_client_metadata'],
    [{ redirect_uris: [REDIRECT], grant_types: ['client_credentials'] }, 'invalid_client_metadata'],
    [{ redirect_uris: [REDIRECT], client_name: '' }, 'invalid_client_metadata'],
    [['not', 'an', 'object'], 'invalid_client_metadata'],
  ])('refuses %j with %s', async (body, error) => {
    expectProblem(await register(body), 400, error);
  });

  it('rate-limits registrations per address', async () => {
    const from = (ip: string) =>
      ctx.app.inject({ method: 'POST', url: '/register', remoteAddress: ip, payload: JSON.stringify({ redirect_uris: [REDIRECT] }) });
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await from('10.9.9.9')).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect((await from('10.9.9.10')).statusCode).toBe(201);
  });
});

describe('GET /authorize', () => {
  it('sends a valid request to the consent page with the same parameters', async () => {
    const { challenge } = pkce();
    const search = qs(authParams('omi-claude-prod', challenge, { redirect_uri: 'https://claude.ai/api/mcp/auth_callback' }));
    const response = await ctx.call('GET', `/authorize?${search}`);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(`${BASE}/consent?${search}`);
  });

  it('keeps the legacy client_id=omi shim: code=omi and the state, straight back', async () => {
    const response = await ctx.call('GET', `/authorize?${qs({ client_id: 'omi', redirect_uri: 'https://x.example/cb', state: 'abc' })}`);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('https://x.example/cb?code=omi&state=abc');
    expect((await ctx.call('GET', '/authorize?client_id=omi&redirect_uri=javascript:alert(1)')).statusCode).toBe(400);
  });

  it.each([
    ['an unknown client', { client_id: 'nobody' }, 400, 'invalid_client'],
    ['an unregistered redirect_uri', { redirect_uri: 'https://attacker.example/cb' }, 400, 'invalid_request'],
    ['a missing code_challenge', { code_challenge: undefined }, 400, 'invalid_request'],
    ['a short code_challenge', { code_challenge: 'abc' }, 400, 'invalid_request'],
    ['the plain method', { code_challenge_method: 'plain' }, 400, 'invalid_request'],
    ['response_type=token', { response_type: 'token' }, 400, 'unsupported_response_type'],
    ['an unknown scope', { scope: 'memories.read admin' }, 400, 'invalid_scope'],
    ['a foreign resource', { resource: 'https://other.example/v1/mcp' }, 400, 'invalid_target'],
  ])('refuses %s without redirecting', async (_name, change, status, error) => {
    const clientId = await publicClient();
    const response = await ctx.call('GET', `/authorize?${qs(authParams(clientId, pkce().challenge, change))}`);
    expectProblem(response, status, error);
    expect(response.headers.location).toBeUndefined();
  });

  it('refuses a repeated parameter', async () => {
    const clientId = await publicClient();
    const search = `${qs(authParams(clientId, pkce().challenge))}&scope=memories.read&scope=memories.write`;
    expectProblem(await ctx.call('GET', `/authorize?${search}`), 400, 'invalid_request', 'Parameter scope must be given once');
  });

  it('matches built-in prefix redirects without query, fragment or dot segments', async () => {
    const challenge = pkce().challenge;
    const status = async (redirect: string) =>
      (await ctx.call('GET', `/authorize?${qs(authParams('omi-chatgpt-prod', challenge, { redirect_uri: redirect }))}`)).statusCode;
    expect(await status('https://chatgpt.com/connector/oauth/abc123')).toBe(302);
    expect(await status('https://chatgpt.com/connector/oauth/abc?next=evil')).toBe(400);
    expect(await status('https://chatgpt.com/connector/oauth/../../evil')).toBe(400);
    expect(await status('https://chatgpt.com.evil.example/connector/oauth/x')).toBe(400);
  });
});

describe('the consent API', () => {
  it('describes the request: defaults memories.read and the legacy resource', async () => {
    const clientId = await publicClient();
    const search = qs(authParams(clientId, pkce().challenge));
    expect((await ctx.call('GET', `/v1/mcp/oauth/authorize/request?${search}`)).statusCode).toBe(401);
    const response = await ctx.call('GET', `/v1/mcp/oauth/authorize/request?${search}`, session);
    expect(json(response)).toEqual({
      client: { client_id: clientId, client_name: 'Public' },
      scopes: ['memories.read'],
      redirect_uri: REDIRECT,
      resource: `${BASE}/v1/mcp/sse`,
    });
  });

  it('sends a refusal back as access_denied with the state, and needs a session and a boolean', async () => {
    const params = authParams(await publicClient(), pkce().challenge);
    const denied = await ctx.call('POST', '/authorize', session, { ...params, approve: false });
    expect(json(denied)).toEqual({ redirect_uri: `${REDIRECT}?error=access_denied&state=s1` });
    expect((await ctx.call('POST', '/authorize', undefined, { ...params, approve: true })).statusCode).toBe(401);
    expectProblem(await ctx.call('POST', '/authorize', session, { ...params, approve: 'yes' }), 400, 'invalid_request');
    expectProblem(await ctx.call('POST', '/authorize', session, { ...params, approve: true, redirect_uri: 'https://x.example/' }), 400, 'invalid_request');
  });
});
