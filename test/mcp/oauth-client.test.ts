import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { auth, UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.ts';

/**
 * The whole connector dance, driven by the MCP SDK's own client-side OAuth against a listening
 * server: discovery from the 401, dynamic registration, consent (the test plays the user through
 * the console's API), code exchange, scoped tools, refresh rotation, replay and revocation.
 */
let ctx: TestContext;
let base: string;
let session: string;
let userId: string;
const clients: Client[] = [];

const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

/** What a connector keeps between steps: its registration, tokens and PKCE verifier. */
class TestProvider implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;

  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Test connector',
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    };
  }
  state() {
    return 'state-123';
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  invalidateCredentials(scope: string) {
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
  }
}

const mcpUrl = () => new URL(`${base}/v1/mcp`);

async function connect(provider: TestProvider): Promise<Client> {
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  clients.push(client);
  await client.connect(new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider }));
  return client;
}

/** The user at the consent page: reads the request, approves `scope`, returns the code. */
async function consent(authorizationUrl: URL, scope: string): Promise<string> {
  const authorize = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const consentPage = new URL(authorize.headers.get('location')!);
  expect(consentPage.pathname).toBe('/consent');
  expect(consentPage.search).toBe(authorizationUrl.search);

  const params = Object.fromEntries(authorizationUrl.searchParams);
  const asked = await fetch(`${base}/v1/mcp/oauth/authorize/request${authorizationUrl.search}`, {
    headers: { authorization: `Bearer ${session}` },
  });
  expect(asked.status).toBe(200);
  const request = (await asked.json()) as { client: { client_name: string }; resource: string; redirect_uri: string };
  expect(request.client.client_name).toBe('Test connector');
  expect(request.resource).toBe(`${base}/v1/mcp`);
  expect(request.redirect_uri).toBe(REDIRECT);

  const approved = await fetch(`${base}/authorize`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...params, scope, approve: true }),
  });
  expect(approved.status).toBe(200);
  const back = new URL(((await approved.json()) as { redirect_uri: string }).redirect_uri);
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
  expect(back.searchParams.get('state')).toBe('state-123');
  return back.searchParams.get('code')!;
}

/** From nothing to a connected client: 401 → discovery → registration → consent → tokens. */
async function authorizeAndConnect(provider: TestProvider, scope: string): Promise<Client> {
  const first = new Client({ name: 'oauth-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider });
  await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.authorizationUrl?.href.startsWith(`${base}/authorize?`)).toBe(true);
  const code = await consent(provider.authorizationUrl!, scope);
  expect(code).toMatch(/^omi_code_/);
  await transport.finishAuth(code);
  return connect(provider);
}

const toolNames = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name).sort();

async function postToken(body: Record<string, string>): Promise<Response> {
  return fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });
}

async function mcpStatus(accessToken: string): Promise<number> {
  const response = await fetch(`${base}/v1/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  await response.body?.cancel();
  return response.status;
}

beforeAll(async () => {
  ctx = await createTestContext();
  base = (await ctx.app.listen({ port: 0, host: '127.0.0.1' })).replace(/\/$/, '');
  ({ userId, session } = await ctx.signIn());
  await ctx.services.memories.create(userId, { content: 'Prefers window seats on long flights' });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  await ctx?.close();
});

describe('an MCP client connecting with OAuth', () => {
  const provider = new TestProvider();
  let firstTokens: OAuthTokens;
  let rotated: OAuthTokens;

  it('discovers, registers, gets consent and connects with the approved scopes only', async () => {
    const client = await authorizeAndConnect(provider, 'memories.read action_items.read');
    expect(provider.info?.client_id).toMatch(/^omi-dcr-/);
    expect(provider.info).not.toHaveProperty('client_secret');
    firstTokens = provider.saved!;
    expect(firstTokens.access_token).toMatch(/^omi_oat_/);
    expect(firstTokens.refresh_token).toMatch(/^omi_ort_/);
    expect(firstTokens.scope).toBe('memories.read action_items.read');
    expect(await toolNames(client)).toEqual(['get_action_items', 'get_memories', 'search_action_items', 'search_memories']);
  });

  it('calls an allowed tool and is refused one outside its scopes', async () => {
    const client = await connect(provider);
    const result = await client.callTool({ name: 'get_memories', arguments: {} });
    expect(JSON.stringify(result.structuredContent)).toContain('Prefers window seats on long flights');
    const refused = await client.callTool({ name: 'create_memory', arguments: { content: 'Should never be stored' } }).then(
      (r) => r.isError === true,
      () => true,
    );
    expect(refused).toBe(true);
    const after = await client.callTool({ name: 'get_memories', arguments: {} });
    expect(JSON.stringify(after.structuredContent)).not.toContain('Should never be stored');
  });

  it('refreshes: both tokens rotate and the new access token works', async () => {
    expect(await auth(provider, { serverUrl: mcpUrl() })).toBe('AUTHORIZED');
    rotated = provider.saved!;
    expect(rotated.access_token).not.toBe(firstTokens.access_token);
    expect(rotated.refresh_token).not.toBe(firstTokens.refresh_token);
    expect(rotated.scope).toBe('memories.read action_items.read');
    const client = await connect(provider);
    expect(await toolNames(client)).toContain('get_memories');
  });

  it('revokes the whole grant when a used refresh token comes back', async () => {
    const replay = await postToken({
      grant_type: 'refresh_token',
      refresh_token: firstTokens.refresh_token!,
      client_id: provider.info!.client_id,
    });
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
    expect(await mcpStatus(rotated.access_token)).toBe(401);
    const again = await postToken({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token!, client_id: provider.info!.client_id });
    expect(again.status).toBe(400);
    const grants = await fetch(`${base}/v1/mcp/oauth/grants`, { headers: { authorization: `Bearer ${session}` } });
    expect(((await grants.json()) as { grants: unknown[] }).grants).toEqual([]);
  });

  it('authorizes again, then loses access the moment the user revokes the grant', async () => {
    provider.saved = undefined;
    const client = await authorizeAndConnect(provider, 'memories.read');
    expect(await toolNames(client)).toEqual(['get_memories', 'search_memories']);
    const listed = await fetch(`${base}/v1/mcp/oauth/grants`, { headers: { authorization: `Bearer ${session}` } });
    const { grants } = (await listed.json()) as { grants: { id: string; client_name: string; scopes: string[]; last_used_at: string | null }[] };
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ client_name: 'Test connector', scopes: ['memories.read'] });
    expect(grants[0]!.last_used_at).not.toBeNull();

    const held = provider.saved!;
    const revoked = await fetch(`${base}/v1/mcp/oauth/grants/${grants[0]!.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${session}` },
    });
    expect(revoked.status).toBe(204);
    expect(await mcpStatus(held.access_token)).toBe(401);
    await expect(client.listTools()).rejects.toThrow();
    const refresh = await postToken({ grant_type: 'refresh_token', refresh_token: held.refresh_token!, client_id: provider.info!.client_id });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Refresh token has been revoked',
      detail: 'Refresh token has been revoked',
    });
  });
});
