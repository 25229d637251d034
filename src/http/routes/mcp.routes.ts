import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { toIso } from '../../lib/time.ts';
import { MCP_INVALID_KEY } from '../../modules/mcp-keys/mcp-keys.service.ts';
import {
  DEV_KEY_ON_MCP_ROUTE,
  HOW_TO_CREATE_MCP_KEY,
  McpCredentialError,
  resolveMcpPrincipal,
} from '../../modules/mcp-keys/mcp-principal.ts';
import type { McpPrincipal } from '../../modules/mcp-keys/mcp-keys.types.ts';
import { sendError } from '../errors.ts';
import { mcpChallenge, publicBase } from './oauth-metadata.ts';
import { scanJson } from '../json-body.ts';

/** Upstream's canonical MCP endpoint; the legacy `/v1/mcp/sse` stays as an alias served identically. */
export const MCP_CANONICAL_ENDPOINT = '/v1/mcp';
export const MCP_ENDPOINT = '/v1/mcp/sse';
export const MCP_PROTOCOL_VERSION = '2025-03-26';
/** A session is known for this long after its `initialize`. */
const SESSION_TTL_MS = 7 * 24 * 3600_000;

export { DEV_KEY_ON_MCP_ROUTE };

/**
 * How often GET /v1/mcp/sse sends `event: ping`. Thirty seconds in production; a test may lower
 * it before opening a stream.
 */
export const mcpStreamSettings = { pingIntervalMs: 30_000 };

const SESSION_HEADER = 'mcp-session-id';

const info = (endpoint: string) => ({
  endpoint,
  transport: 'streamable-http',
  protocol_version: MCP_PROTOCOL_VERSION,
  authentication: {
    methods: ['api_key'],
    api_key: { header: 'Authorization', format: 'Bearer <api_key>' },
  },
  instructions: {
    step1: `Create an MCP API key: ${HOW_TO_CREATE_MCP_KEY}.`,
    step2: `Point your MCP client at ${endpoint} on this server (Streamable HTTP transport).`,
    step3: 'Send the key in every request as the header "Authorization: Bearer <api_key>".',
  },
});

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
  'Authenticated with an MCP API key: `Authorization: Bearer omi_mcp_…` (Developer API keys are refused), or an ' +
  'MCP OAuth access token (`omi_oat_…`, tools limited to its scopes; a 401 names the protected-resource metadata). ' +
  'Rate limit `mcp:sse`: 2000 requests per hour per user.';


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
export const mcpRoutes: FastifyPluginAsync<AppDeps> = async (app, { config, services, storage, rateLimiter }) => {
  // MCP bodies are JSON-RPC; a malformed one is a 400 here, not FastAPI's 422, and only after auth.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, String(body)));

  /** Open ping streams, ended when the server shuts down so that it can. */
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
    streams.clear();
  });

  /**
   * Every 401 carries a challenge naming the protected-resource metadata of the endpoint's own
   * path, from which an OAuth client (Claude, ChatGPT) discovers how to get a token.
   */
  const unauthorizedMcp = (request: FastifyRequest, detail: string) => {
    const endpoint = request.routeOptions.url === MCP_ENDPOINT ? MCP_ENDPOINT : MCP_CANONICAL_ENDPOINT;
    const challenge = mcpChallenge(publicBase(config, request), endpoint, 'Valid Omi MCP API key or OAuth bearer token required');
    return new AppError('unauthorized', detail, { 'www-authenticate': challenge });
  };

  async function authenticate(request: FastifyRequest): Promise<{ principal: McpPrincipal; headers: Record<string, string> }> {
    let principal: McpPrincipal;
    try {
      // Either endpoint: an OAuth token for /v1/mcp or /v1/mcp/sse is accepted on both.
      const endpoint = request.routeOptions.url === MCP_ENDPOINT ? MCP_ENDPOINT : MCP_CANONICAL_ENDPOINT;
      const base = publicBase(config, request);
      principal = await resolveMcpPrincipal(services, token(request), { oauthResource: `${base}${endpoint}` });
    } catch (error) {
      if (!(error instanceof McpCredentialError)) throw error;
      throw unauthorizedMcp(request, error.problem === 'developer_key' ? DEV_KEY_ON_MCP_ROUTE : MCP_INVALID_KEY);
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

  const postMessages = async (request: FastifyRequest, reply: FastifyReply) => {
    const { principal, headers } = await authenticate(request);
    const text = typeof request.body === 'string' ? request.body : '';
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendError(reply, 400, 'Invalid JSON body', headers);
    }
    // Bounded like every other body; lone surrogates become U+FFFD, so every database stores the same text.
    const scan = scanJson(body, text);
    if (scan.problem === 'depth' || scan.problem === 'values') return sendError(reply, 400, 'Invalid JSON body', headers);

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
  };

  const openStream = async (request: FastifyRequest, reply: FastifyReply) => {
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
  };

  const endSession = async (request: FastifyRequest, reply: FastifyReply) => {
    const { principal, headers } = await authenticate(request);
    reply.headers(headers);
    const id = await checkSession(request, principal);
    if (id === undefined) return sendError(reply, 400, 'Mcp-Session-Id header required');
    await storage.mcpSessions.delete(id);
    return reply.code(204).send();
  };

  /** Registers the transport at one path; both paths share sessions, auth and rate limit. */
  const serveAt = (endpoint: string, suffix: string, note: string) => {
    app.post(endpoint, {
      config: { auth: 'mcp-key' },
      schema: {
        operationId: `mcpStreamableHttpPost${suffix}`,
        summary: `MCP Streamable HTTP: send JSON-RPC messages${note}`,
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
      handler: postMessages,
    });

    app.get(endpoint, {
      config: { auth: 'mcp-key' },
      schema: {
        operationId: `mcpStreamableHttpStream${suffix}`,
        summary: `MCP: server-sent event stream (pings)${note}`,
        description: `An endless \`text/event-stream\` sending \`event: ping\` every 30 seconds, for older SSE clients. ${AUTH_NOTE}`,
        tags: ['MCP'],
        response: { 200: { description: 'text/event-stream of ping events', type: 'string' } },
      },
      handler: openStream,
    });

    app.delete(endpoint, {
      config: { auth: 'mcp-key' },
      schema: {
        operationId: `mcpStreamableHttpDeleteSession${suffix}`,
        summary: `MCP: end a session${note}`,
        description: `Ends the session named by the \`Mcp-Session-Id\` header. ${AUTH_NOTE}`,
        tags: ['MCP'],
        response: { 204: { description: 'Session ended', type: 'null' } },
      },
      handler: endSession,
    });

    app.get(`${endpoint}/info`, {
      schema: {
        operationId: `mcpServerInfo${suffix}`,
        summary: `MCP: how to connect${note}`,
        description: 'Public: the endpoint, transport, protocol version and how to authenticate.',
        tags: ['MCP'],
        response: { 200: SseInfo },
      },
      handler: async () => info(endpoint),
    });
  };

  serveAt(MCP_CANONICAL_ENDPOINT, 'Canonical', '');
  serveAt(MCP_ENDPOINT, '', ' (legacy alias)');
};
