import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { DEV_KEY_ON_MCP_ROUTE, mcpStreamSettings } from '../../src/http/routes/mcp.routes.ts';
import { createServices } from '../../src/services.ts';
import { openStorage } from '../../src/storage/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INVALID_KEY = 'Invalid or missing API key. Provide via Authorization header.';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = ['--import', 'tsx', 'src/cli/index.ts', 'mcp'];

let ctx: TestContext;
let base: string;
const clients: Client[] = [];

/** A new account with an MCP key. */
async function mcpUser(on: TestContext = ctx): Promise<{ userId: string; key: string }> {
  const { userId } = await on.signIn();
  const { secret } = await on.services.mcpKeys.create(userId, { name: 'mcp test key' });
  return { userId, key: secret };
}

/** An SDK client over Streamable HTTP, initialized; closed after each test. */
async function connect(key: string | undefined, url = base): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'transport-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/v1/mcp/sse', url), {
    ...(key !== undefined && { requestInit: { headers: { Authorization: `Bearer ${key}` } } }),
  });
  clients.push(client);
  await client.connect(transport);
  return { client, transport };
}

function post(body: unknown, headers: Record<string, string> = {}, url = base): Promise<Response> {
  return fetch(`${url}/v1/mcp/sse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const rpc = (id: number, method: string, params: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method, params });
const initialize = (id = 1) =>
  rpc(id, 'initialize', { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'curl', version: '1' } });

/** The `data:` payloads of the `event: message` blocks of an SSE body. */
const sseMessages = (text: string): unknown[] =>
  text
    .split('\n\n')
    .filter((block) => block.includes('event: message'))
    .map((block) => JSON.parse(block.split('\n').find((line) => line.startsWith('data: '))!.slice('data: '.length)));

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

describe('POST /v1/mcp/sse with the SDK client', () => {
  it('initializes, returns and stores an Mcp-Session-Id, lists the tools and calls one', async () => {
    const { userId, key } = await mcpUser();
    const { client, transport } = await connect(key);

    expect(client.getServerVersion()).toEqual({ name: 'omi-mcp-server', version: '1.0.0' });
    expect(client.getInstructions()).toEqual(expect.any(String));
    expect(transport.sessionId).toMatch(UUID);
    expect(await ctx.storage.mcpSessions.get(transport.sessionId!)).toMatchObject({ id: transport.sessionId, userId });

    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['get_memories', 'create_memory', 'search_memories']));
    for (const tool of tools) expect(tool.inputSchema).toMatchObject({ type: 'object' });

    const created = await client.callTool({ name: 'create_memory', arguments: { content: 'Likes green tea' } });
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ success: true, memory: { content: 'Likes green tea' } });
    const listed = await client.callTool({ name: 'get_memories', arguments: {} });
    expect(listed.content).toEqual([{ type: 'text', text: JSON.stringify(listed.structuredContent, null, 2) }]);
    expect((listed.structuredContent as { memories: { content: string }[] }).memories.map((m) => m.content)).toContain(
      'Likes green tea',
    );
    // The data is the key owner's, as over REST.
    expect((await ctx.services.memories.list(userId, { limit: 100, offset: 0 })).map((m) => m.content)).toContain('Likes green tea');
  });

  it('serves a second instance of the session from storage: every request builds a fresh server', async () => {
    const { key } = await mcpUser();
    const { transport } = await connect(key);
    const response = await post(rpc(7, 'tools/list'), { ...bearer(key), 'mcp-session-id': transport.sessionId! });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: 7, result: { tools: expect.any(Array) } });
  });

  it('refuses to connect without a key', async () => {
    const failure = await connect(undefined).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StreamableHTTPError);
    expect((failure as StreamableHTTPError).code).toBe(401);
  });
});

describe('POST /v1/mcp/sse reply modes', () => {
  let key: string;
  beforeAll(async () => {
    ({ key } = await mcpUser());
  });

  it('answers plain JSON when Accept lacks text/event-stream', async () => {
    const response = await post(initialize(), bearer(key));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('mcp-session-id')).toMatch(UUID);
    expect(await response.json()).toMatchObject({
      jsonrpc: '2.0',
      id: 1,
      result: { protocolVersion: '2025-03-26', capabilities: { tools: {} }, serverInfo: { name: 'omi-mcp-server', version: '1.0.0' } },
    });

    const list = await post(rpc(2, 'tools/list'), bearer(key));
    expect(list.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await list.json()) as { result: { tools: { name: string }[] } };
    expect(body.result.tools.map((tool) => tool.name)).toContain('get_memories');
  });

  it('answers an SSE stream of `event: message` blocks when Accept includes text/event-stream', async () => {
    const response = await post(rpc(3, 'tools/call', { name: 'get_memories', arguments: { limit: 1 } }), {
      ...bearer(key),
      accept: 'application/json, text/event-stream',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const messages = sseMessages(await response.text());
    expect(messages).toEqual([
      expect.objectContaining({ jsonrpc: '2.0', id: 3, result: expect.objectContaining({ structuredContent: expect.any(Object) }) }),
    ]);
  });

  it('answers SSE to a client that accepts only text/event-stream', async () => {
    const response = await post(rpc(4, 'ping'), { ...bearer(key), accept: 'text/event-stream' });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(sseMessages(await response.text())).toEqual([{ jsonrpc: '2.0', id: 4, result: {} }]);
  });

  it('answers 202 with no body to notifications alone', async () => {
    const response = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, bearer(key));
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
  });

  it('answers a batch with an array', async () => {
    const response = await post([rpc(5, 'ping'), rpc(6, 'tools/list')], bearer(key));
    const body = (await response.json()) as { id: number }[];
    expect(body.map((message) => message.id).sort()).toEqual([5, 6]);
  });

  it('reports an unknown method as JSON-RPC -32601', async () => {
    const response = await post(rpc(8, 'frobnicate'), bearer(key));
    expect(await response.json()).toMatchObject({ id: 8, error: { code: -32601 } });
  });

  it('answers 400 Invalid JSON body to malformed JSON', async () => {
    const response = await post('{"jsonrpc": ', bearer(key));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ detail: 'Invalid JSON body' });
  });
});

describe('authentication on /v1/mcp/sse', () => {
  const expectChallenge = async (response: Response, detail: string) => {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/v1/mcp/sse", error="invalid_token", ` +
        'error_description="Valid Omi MCP API key or OAuth bearer token required"',
    );
    expect(await response.json()).toEqual({ detail });
  };

  it('answers 401 with a WWW-Authenticate challenge without a key', async () => {
    await expectChallenge(await post(initialize()), INVALID_KEY);
  });

  it('answers 401 for an unknown MCP key and for a session token', async () => {
    await expectChallenge(await post(initialize(), bearer(`omi_mcp_${'0'.repeat(32)}`)), INVALID_KEY);
    const { session } = await ctx.signIn();
    await expectChallenge(await post(initialize(), bearer(session)), INVALID_KEY);
  });

  it('answers 401 explaining the key families for a developer key', async () => {
    const { key } = await ctx.developer();
    await expectChallenge(await post(initialize(), bearer(key)), DEV_KEY_ON_MCP_ROUTE);
    expect(DEV_KEY_ON_MCP_ROUTE).toMatch(/omi_mcp_/);
  });

  it('answers 401 to GET and DELETE without a key', async () => {
    await expectChallenge(await fetch(`${base}/v1/mcp/sse`), INVALID_KEY);
    await expectChallenge(await fetch(`${base}/v1/mcp/sse`, { method: 'DELETE' }), INVALID_KEY);
  });

  it('accepts the bare key without "Bearer ", as older clients send it', async () => {
    const { key } = await mcpUser();
    const response = await post(rpc(1, 'ping'), { authorization: key });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
  });

  it('stops accepting a revoked key', async () => {
    const { userId, key } = await mcpUser();
    const [stored] = await ctx.services.mcpKeys.list(userId);
    await ctx.services.mcpKeys.revoke(userId, stored!.id);
    await expectChallenge(await post(initialize(), bearer(key)), INVALID_KEY);
  });
});

describe('sessions', () => {
  it("answers 403 to a request carrying another user's session id, 404 to an unknown one", async () => {
    const alice = await mcpUser();
    const bob = await mcpUser();
    const { transport } = await connect(alice.key);
    const stolen = await post(rpc(1, 'tools/list'), { ...bearer(bob.key), 'mcp-session-id': transport.sessionId! });
    expect(stolen.status).toBe(403);
    expect(await stolen.json()).toEqual({ detail: 'Session does not belong to this user' });

    const unknown = await post(rpc(1, 'tools/list'), { ...bearer(bob.key), 'mcp-session-id': 'no-such-session' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: 'Session not found' });
  });

  it('DELETE ends the session (204) and then answers 404; another user gets 403', async () => {
    const alice = await mcpUser();
    const bob = await mcpUser();
    const { transport } = await connect(alice.key);
    const id = transport.sessionId!;
    const remove = (key: string, headers: Record<string, string> = { 'mcp-session-id': id }) =>
      fetch(`${base}/v1/mcp/sse`, { method: 'DELETE', headers: { ...bearer(key), ...headers } });

    const other = await remove(bob.key);
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({ detail: 'Session does not belong to this user' });

    const missing = await remove(alice.key, {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ detail: 'Mcp-Session-Id header required' });

    const done = await remove(alice.key);
    expect(done.status).toBe(204);
    expect(await ctx.storage.mcpSessions.get(id)).toBeUndefined();

    const again = await remove(alice.key);
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ detail: 'Session not found' });
    const later = await post(rpc(1, 'tools/list'), { ...bearer(alice.key), 'mcp-session-id': id });
    expect(later.status).toBe(404);
  });

  it('the SDK client ends its session with terminateSession()', async () => {
    const { key } = await mcpUser();
    const { transport } = await connect(key);
    const id = transport.sessionId!;
    await transport.terminateSession();
    expect(await ctx.storage.mcpSessions.get(id)).toBeUndefined();
  });
});

describe('GET /v1/mcp/sse', () => {
  it('streams `event: ping` until the client goes away', async () => {
    const { key } = await mcpUser();
    const previous = mcpStreamSettings.pingIntervalMs;
    mcpStreamSettings.pingIntervalMs = 5;
    const abort = new AbortController();
    try {
      const response = await fetch(`${base}/v1/mcp/sse`, { headers: bearer(key), signal: abort.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      while (!text.includes('\n\n')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      expect(text.startsWith('event: ping\ndata: {}\n\n')).toBe(true);
      abort.abort();
      await reader.cancel().catch(() => {});
    } finally {
      mcpStreamSettings.pingIntervalMs = previous;
    }
  });

  it('ends open streams when the server shuts down', async () => {
    const own = await createTestContext();
    const ownBase = await own.app.listen({ port: 0, host: '127.0.0.1' });
    const { key } = await mcpUser(own);
    const response = await fetch(`${ownBase}/v1/mcp/sse`, { headers: bearer(key) });
    expect(response.status).toBe(200);
    const body = response.text();
    await own.close();
    expect(await body).toBe('');
  });

  it('keeps the production interval at 30 seconds', () => {
    expect(mcpStreamSettings.pingIntervalMs).toBe(30_000);
  });
});

describe('GET /v1/mcp/sse/info', () => {
  it('describes the endpoint without authentication', async () => {
    const response = await fetch(`${base}/v1/mcp/sse/info`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      endpoint: '/v1/mcp/sse',
      transport: 'streamable-http',
      protocol_version: '2025-03-26',
      authentication: { methods: ['api_key'], api_key: { header: 'Authorization', format: 'Bearer <api_key>' } },
      instructions: { step1: expect.any(String), step2: expect.any(String), step3: expect.any(String) },
    });
  });
});

describe('rate limit mcp:sse', () => {
  let limited: TestContext;
  let limitedBase: string;
  beforeAll(async () => {
    // 2000/h × 0.001 → 2 requests per hour per user.
    limited = await createTestContext({ OMI_RATE_LIMIT_MULTIPLIER: '0.001' });
    limitedBase = (await limited.app.listen({ port: 0, host: '127.0.0.1' })).replace(/\/$/, '');
  });
  afterAll(() => limited?.close());

  it('answers 429 with Retry-After once a user is over the limit, per user not per key', async () => {
    const { userId, key } = await mcpUser(limited);
    const first = await post(initialize(), bearer(key), limitedBase);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect((await post(rpc(2, 'ping'), bearer(key), limitedBase)).status).toBe(200);

    const over = await post(rpc(3, 'ping'), bearer(key), limitedBase);
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await over.json()).toEqual({ detail: expect.stringMatching(/^Rate limit exceeded/) });

    // A second key of the same user shares the budget.
    const { secret } = await limited.services.mcpKeys.create(userId, { name: 'second' });
    expect((await post(rpc(4, 'ping'), bearer(secret), limitedBase)).status).toBe(429);
    // Another user has their own.
    const other = await mcpUser(limited);
    expect((await post(rpc(5, 'ping'), bearer(other.key), limitedBase)).status).toBe(200);
  });
});

describe('omi-dev-api mcp (stdio)', () => {
  let dir: string;
  let databaseUrl: string;
  let key: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'omi-mcp-'));
    databaseUrl = `sqlite:${join(dir, 'omi.db')}`;
    const config = parseConfig({ OMI_DATABASE_URL: databaseUrl, OMI_LOG_LEVEL: 'silent' });
    const storage = await openStorage(config.databaseUrl);
    try {
      const services = createServices(config, storage);
      const user = await services.accounts.createUser({ email: 'stdio@example.com', name: 'Stdio', password: 'correct horse battery' });
      ({ secret: key } = await services.mcpKeys.create(user.id, { name: 'desktop' }));
      await services.memories.create(user.id, { content: 'Plays the cello' });
    } finally {
      await storage.close();
    }
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const childEnv = (extra: Record<string, string> = {}) => ({
    ...getDefaultEnvironment(),
    OMI_DATABASE_URL: databaseUrl,
    OMI_LOG_LEVEL: 'silent',
    ...extra,
  });

  async function spawnClient(args: string[], env: Record<string, string> = childEnv()): Promise<{ client: Client; stderr: () => string }> {
    const transport = new StdioClientTransport({ command: process.execPath, args: [...CLI, ...args], env, cwd: ROOT, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(transport);
    return { client, stderr: () => stderr };
  }

  function run(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(process.execPath, [...CLI, ...args], { cwd: ROOT, env }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin);
    });
  }

  it('serves the tools of the key owner from the local database', async () => {
    const { client, stderr } = await spawnClient(['--key', key]);
    expect(client.getServerVersion()).toMatchObject({ name: 'omi-mcp-server' });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['get_memories', 'create_memory']));
    const result = await client.callTool({ name: 'get_memories', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { memories: { content: string }[] }).memories.map((m) => m.content)).toEqual(['Plays the cello']);
    expect(stderr()).toBe('');
  });

  it('answers every request piped in before stdin ends, then exits 0', async () => {
    const input = [
      initialize(),
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      rpc(2, 'tools/call', { name: 'get_memories', arguments: {} }),
    ]
      .map((message) => JSON.stringify(message))
      .join('\n');
    const result = await run(['--key', key], childEnv(), `${input}\n`);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const replies = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number; result: { structuredContent?: { memories: unknown[] } } });
    expect(replies.map((reply) => reply.id)).toEqual([1, 2]);
    expect(replies[1]?.result.structuredContent?.memories).toHaveLength(1);
  });

  it('takes the key from OMI_MCP_KEY', async () => {
    const { client } = await spawnClient([], childEnv({ OMI_MCP_KEY: key }));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('fails with one line on stderr and exit 1 for an invalid key', async () => {
    const result = await run(['--key', `omi_mcp_${'f'.repeat(32)}`], childEnv());
    expect(result).toEqual({ code: 1, stdout: '', stderr: `${INVALID_KEY}\n` });
  });

  it('fails with one line without any key', async () => {
    const result = await run([], childEnv());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/OMI_MCP_KEY/);
  });

  it('--url bridges to the hosted server: same tools, same data', async () => {
    const { key: remoteKey } = await mcpUser();
    const { client: direct } = await connect(remoteKey);
    await direct.callTool({ name: 'create_memory', arguments: { content: 'Runs on Sundays' } });

    const { client, stderr } = await spawnClient(['--key', remoteKey, '--url', base]);
    expect(client.getServerVersion()).toMatchObject({ name: 'omi-mcp-server' });
    expect(client.getInstructions()).toBe(direct.getInstructions());
    const bridged = await client.listTools();
    expect(bridged.tools).toEqual((await direct.listTools()).tools);
    const result = await client.callTool({ name: 'get_memories', arguments: {} });
    expect((result.structuredContent as { memories: { content: string }[] }).memories.map((m) => m.content)).toEqual(['Runs on Sundays']);
    const failure = await client.callTool({ name: 'delete_memory', arguments: { memory_id: 'no-such-memory' } });
    expect(failure.isError).toBe(true);
    expect(stderr()).toBe('');
  });

  it('--url reports a revoked key on a tool call as a JSON-RPC error, not a crash', async () => {
    const { userId, key: remoteKey } = await mcpUser();
    const { client } = await spawnClient(['--key', remoteKey, '--url', base]);
    const [stored] = await ctx.services.mcpKeys.list(userId);
    await ctx.services.mcpKeys.revoke(userId, stored!.id);
    const failure = await client.callTool({ name: 'get_memories', arguments: {} }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: -32603, message: expect.stringContaining(INVALID_KEY) });
    expect((await client.ping()) ?? {}).toEqual({});
  });

  it('--url fails with one line and exit 1 for an invalid key', async () => {
    const result = await run(['--key', `omi_mcp_${'e'.repeat(32)}`, '--url', base], childEnv());
    expect(result).toEqual({ code: 1, stdout: '', stderr: `${INVALID_KEY}\n` });
  });
});
