import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { toIso } from '../../lib/time.ts';
import { DEV_KEY_PREFIX } from '../../modules/api-keys/api-keys.service.ts';
import { MCP_INVALID_KEY } from '../../modules/mcp-keys/mcp-keys.service.ts';
import type { McpPrincipal } from '../../modules/mcp-keys/mcp-keys.types.ts';
import { sendError } from '../errors.ts';
import { exceedsDepth } from '../validation.ts';

export const MCP_ENDPOINT = '/v1/mcp/sse';
export const MCP_PROTOCOL_VERSION = '2025-03-26';
/** A session is known for this long after its `initialize`. */
const SESSION_TTL_MS = 7 * 24 * 3600_000;

export const DEV_KEY_ON_MCP_ROUTE =
  'Developer API keys (omi_dev_...) only authenticate the Developer API endpoints under /v1/dev/. ' +
  'The MCP server requires an MCP API key (omi_mcp_...), created in Settings -> Developer -> MCP.';

/**
 * How often GET /v1/mcp/sse sends `event: ping`. Thirty seconds in production; a test may lower
 * it before opening a stream.
 */
export const mcpStreamSettings = { pingIntervalMs: 30_000 };

const SESSION_HEADER = 'mcp-session-id';

const INFO = {
  endpoint: MCP_ENDPOINT,
  transport: 'streamable-http',
  protocol_version: MCP_PROTOCOL_VERSION,
  authentication: {
    methods: ['api_key'],
    api_key: { header: 'Authorization', format: 'Bearer <api_key>' },
  },
  instructions: {
    step1: 'Create an MCP API key in the Omi app: Settings -> Developer -> MCP.',
    step2: `Point your MCP client at ${MCP_ENDPOINT} on this server (Streamable HTTP transport).`,
    step3: 'Send the key in every request as the header "Authorization: Bearer <api_key>".',
  },
};

const SseInfo = {
  type: 'object',
  properties: {
    endpoint: { type: 'string' },
    transport: { type: 'string' },
    protocol_version: { type: 'string' },
    authentication: { type: 'object', additionalProperties: true },
    instructions: { type: 'object', additionalProperties: { type: 'string' } },
  },
  required: ['endpoint', 'transport', 'protocol_version', 'authentication', 'instructions'],
} as const;

const AUTH_NOTE =
  'Authenticated with an MCP API key: `Authorization: Bearer omi_mcp_…` (Developer API keys are refused). ' +
  'Rate limit `mcp:sse`: 2000 requests per hour per user.';

/**
 * The challenge answered with every 401. Upstream also names OAuth protected-resource metadata;
 * this server has no OAuth (keys only), so it names no metadata a client would fail to find.
 */
const CHALLENGE = { 'www-authenticate': 'Bearer realm="omi-mcp"' };

/**
 * The MCP SDK (and the zod schemas of the tools) is loaded on the first MCP request rather than at
 * start: most servers answer far more Developer API calls than MCP ones, and a cold start should
 * not pay for it.
 */
let mcpRuntime: Promise<typeof import('../../mcp/http-transport.ts') & typeof import('../../mcp/server.ts')> | undefined;
const loadMcpRuntime = () =>
  (mcpRuntime ??= Promise.all([import('../../mcp/http-transport.ts'), import('../../mcp/server.ts')]).then(
    ([transport, server]) => ({ ...transport, ...server }),
  ));

const unauthorizedMcp = (detail: string) => new AppError('unauthorized', detail, CHALLENGE);

function token(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization?.trim();
  if (!header) return undefined;
  // Older upstream clients send the bare key.
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : header;
}

/**
 * The MCP server's own transport (omi-behaviour.md §14.2): Streamable HTTP with a fresh,
 * stateless server per POST, sessions kept in storage so that any instance can check them,
 * and the legacy GET ping stream. Auth happens here rather than in the route guard: MCP keys
 * are a different family, and every 401 carries a WWW-Authenticate challenge.
 */
export const mcpRoutes: FastifyPluginAsync<AppDeps> = async (app, { services, storage, rateLimiter }) => {
  // MCP bodies are JSON-RPC; a malformed one is a 400 here, not FastAPI's 422, and only after auth.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, String(body)));

  /** Open ping streams, ended when the server shuts down so that it can. */
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
    streams.clear();
  });

  async function authenticate(request: FastifyRequest): Promise<{ principal: McpPrincipal; headers: Record<string, string> }> {
    const secret = token(request);
    if (!secret) throw unauthorizedMcp(MCP_INVALID_KEY);
    if (secret.startsWith(DEV_KEY_PREFIX)) throw unauthorizedMcp(DEV_KEY_ON_MCP_ROUTE);
    let principal: McpPrincipal;
    try {
      principal = await services.mcpKeys.authenticate(secret);
    } catch (error) {
      if (error instanceof AppError && error.code === 'unauthorized') throw unauthorizedMcp(MCP_INVALID_KEY);
      throw error;
    }
    const { headers } = await rateLimiter.check('mcp:sse', principal.userId);
    return { principal, headers };
  }

  /** The request's session, when it names one: unknown → 404, another user's → 403. */
  async function checkSession(request: FastifyRequest, principal: McpPrincipal): Promise<string | undefined> {
    const id = request.headers[SESSION_HEADER];
    if (typeof id !== 'string' || id === '') return undefined;
    const session = await storage.mcpSessions.get(id);
    if (!session || Date.parse(session.createdAt) < Date.now() - SESSION_TTL_MS) throw notFound('Session not found');
    if (session.userId !== principal.userId) throw new AppError('forbidden', 'Session does not belong to this user');
    return id;
  }

  const setHeaders = (reply: FastifyReply, headers: Record<string, string>) => {
    for (const [name, value] of Object.entries(headers)) reply.raw.setHeader(name, value);
  };

  app.post(MCP_ENDPOINT, {
    config: { auth: 'mcp-key' },
    schema: {
      operationId: 'mcpStreamableHttpPost',
      summary: 'MCP Streamable HTTP: send JSON-RPC messages',
      description:
        'One JSON-RPC 2.0 message or a batch. Replies as an SSE stream when Accept includes text/event-stream, ' +
        'else as JSON; notifications alone get 202. `initialize` returns a new `Mcp-Session-Id` header. ' +
        AUTH_NOTE,
      tags: ['MCP'],
      response: {
        200: { description: 'JSON-RPC response(s)', type: 'object', additionalProperties: true },
        202: { description: 'Notifications accepted', type: 'null' },
      },
    },
    handler: async (request, reply) => {
      const { principal, headers } = await authenticate(request);
      const text = typeof request.body === 'string' ? request.body : '';
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return sendError(reply, 400, 'Invalid JSON body', headers);
      }
      if (exceedsDepth(body)) return sendError(reply, 400, 'Invalid JSON body', headers);

      const { createMcpServer, handleMcpPost, isInitialize } = await loadMcpRuntime();
      if (isInitialize(body)) {
        const id = randomUUID();
        const now = new Date();
        // Most clients never DELETE their session: old ones are cleared as new ones begin.
        await storage.mcpSessions.deleteOlderThan(toIso(new Date(now.getTime() - SESSION_TTL_MS)));
        await storage.mcpSessions.insert({ id, userId: principal.userId, createdAt: toIso(now) });
        headers['mcp-session-id'] = id;
      } else {
        await checkSession(request, principal);
      }

      const server = createMcpServer(services, principal, request.log);
      reply.hijack();
      setHeaders(reply, headers);
      try {
        await handleMcpPost(server, request.raw, reply.raw, body, {
          onError: (error) => request.log.debug({ err: error }, 'mcp transport'),
        });
      } catch (error) {
        request.log.error({ err: error }, 'mcp request failed');
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          reply.raw.end(JSON.stringify({ detail: 'Internal Server Error' }));
        } else reply.raw.end();
      }
    },
  });

  app.get(MCP_ENDPOINT, {
    config: { auth: 'mcp-key' },
    schema: {
      operationId: 'mcpStreamableHttpStream',
      summary: 'MCP: server-sent event stream (pings)',
      description: `An endless \`text/event-stream\` sending \`event: ping\` every 30 seconds, for older SSE clients. ${AUTH_NOTE}`,
      tags: ['MCP'],
      response: { 200: { description: 'text/event-stream of ping events', type: 'string' } },
    },
    handler: async (request, reply) => {
      const { principal, headers } = await authenticate(request);
      await checkSession(request, principal);
      reply.hijack();
      const res = reply.raw;
      setHeaders(reply, headers);
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
      const timer = setInterval(() => res.write('event: ping\ndata: {}\n\n'), mcpStreamSettings.pingIntervalMs);
      streams.add(res);
      res.on('close', () => {
        clearInterval(timer);
        streams.delete(res);
      });
    },
  });

  app.delete(MCP_ENDPOINT, {
    config: { auth: 'mcp-key' },
    schema: {
      operationId: 'mcpStreamableHttpDeleteSession',
      summary: 'MCP: end a session',
      description: `Ends the session named by the \`Mcp-Session-Id\` header. ${AUTH_NOTE}`,
      tags: ['MCP'],
      response: { 204: { description: 'Session ended', type: 'null' } },
    },
    handler: async (request, reply) => {
      const { principal, headers } = await authenticate(request);
      reply.headers(headers);
      const id = await checkSession(request, principal);
      if (id === undefined) return sendError(reply, 400, 'Mcp-Session-Id header required');
      await storage.mcpSessions.delete(id);
      return reply.code(204).send();
    },
  });

  app.get(`${MCP_ENDPOINT}/info`, {
    schema: {
      operationId: 'mcpServerInfo',
      summary: 'MCP: how to connect',
      description: 'Public: the endpoint, transport, protocol version and how to authenticate.',
      tags: ['MCP'],
      response: { 200: SseInfo },
    },
    handler: async () => INFO,
  });
};
