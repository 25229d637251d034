import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEV_KEY_ON_MCP_ROUTE } from '../../src/modules/mcp-keys/mcp-principal.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

/**
 * `/v1/mcp` is upstream's canonical MCP endpoint and `/v1/mcp/sse` its permanent alias: both are
 * served identically (same sessions, same auth), over a real listening server, next to the MCP
 * REST routes under `/v1/mcp/*`.
 */
const ENDPOINTS = ['/v1/mcp', '/v1/mcp/sse'] as const;

let ctx: TestContext;
let base: string;
const clients: Client[] = [];

async function mcpUser(): Promise<{ userId: string; key: string }> {
  const { userId } = await ctx.signIn();
  const { secret } = await ctx.services.mcpKeys.create(userId, { name: 'sdk client' });
  return { userId, key: secret };
}

async function connect(path: string, key: string) {
  const client = new Client({ name: 'canonical-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(path, base), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  clients.push(client);
  await client.connect(transport);
  return { client, transport };
}

const post = (path: string, key: string, body: unknown, session?: string) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${key}`,
      ...(session && { 'mcp-session-id': session }),
    },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  ctx = await createTestContext();
  base = (await ctx.app.listen({ port: 0, host: '127.0.0.1' })).replace(/\/$/, '');
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  await ctx?.close();
});

describe.each(ENDPOINTS)('the SDK client over Streamable HTTP at %s', (path) => {
  it('initializes, lists the tools, calls one and reads the key owner’s data', async () => {
    const { userId, key } = await mcpUser();
    await ctx.services.memories.create(userId, { content: `Reached through ${path}`, category: 'work' });
    const { client, transport } = await connect(path, key);
    expect(client.getServerVersion()).toEqual({ name: 'omi-mcp-server', version: '1.0.0' });
    expect(await ctx.storage.mcpSessions.get(transport.sessionId!)).toMatchObject({ userId });

    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['get_memories', 'get_action_items', 'get_daily_summaries']));
    const listed = await client.callTool({ name: 'get_memories', arguments: {} });
    expect(listed.isError).toBeFalsy();
    expect((listed.structuredContent as { memories: { content: string }[] }).memories.map((m) => m.content)).toEqual([
      `Reached through ${path}`,
    ]);
  });

  it('refuses a missing key and a developer key with the same 401s', async () => {
    const noKey = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const { key: devKey } = await ctx.developer();
    const dev = await post(path, devKey, { jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(dev.status).toBe(401);
    expect(await dev.json()).toEqual({ detail: DEV_KEY_ON_MCP_ROUTE });
    const failure = await connect(path, 'omi_mcp_0123456789abcdef0123456789abcdef').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StreamableHTTPError);
  });

  it('describes itself at its own /info', async () => {
    const info = await fetch(`${base}${path}/info`);
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ endpoint: path, transport: 'streamable-http', protocol_version: '2025-03-26' });
  });
});

describe('one set of sessions for both paths', () => {
  it('a session begun at /v1/mcp is used and ended at /v1/mcp/sse, and the reverse', async () => {
    const { key } = await mcpUser();
    for (const [begin, other] of [ENDPOINTS, [...ENDPOINTS].reverse()] as const) {
      const { transport } = await connect(begin, key);
      const session = transport.sessionId!;
      const listed = await post(other, key, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, session);
      expect(listed.status).toBe(200);
      expect(await listed.json()).toMatchObject({ id: 2, result: { tools: expect.any(Array) } });

      const ended = await fetch(`${base}${other}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}`, 'mcp-session-id': session } });
      expect(ended.status).toBe(204);
      const after = await post(begin, key, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, session);
      expect(after.status).toBe(404);
      expect(await after.json()).toEqual({ detail: 'Session not found' });
    }
  });

  it('keeps another user’s session theirs on either path', async () => {
    const owner = await mcpUser();
    const other = await mcpUser();
    const { transport } = await connect('/v1/mcp', owner.key);
    for (const path of ENDPOINTS) {
      const res = await post(path, other.key, { jsonrpc: '2.0', id: 4, method: 'tools/list' }, transport.sessionId!);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ detail: 'Session does not belong to this user' });
    }
  });

  it('serves the MCP REST routes under /v1/mcp/* beside the transport, with the same key', async () => {
    const { userId, key } = await mcpUser();
    await ctx.services.memories.create(userId, { content: 'Both surfaces see this', category: 'work' });
    const rest = await fetch(`${base}/v1/mcp/memories?offset=0&limit=100`, { headers: { authorization: `Bearer ${key}` } });
    expect(rest.status).toBe(200);
    expect(await rest.json()).toMatchObject([{ content: 'Both surfaces see this', category: 'work' }]);
    const { client } = await connect('/v1/mcp', key);
    const listed = await client.callTool({ name: 'get_memories', arguments: {} });
    expect((listed.structuredContent as { memories: { content: string }[] }).memories.map((m) => m.content)).toEqual(['Both surfaces see this']);
  });
});
