import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { McpRestService } from '../../modules/mcp-rest/mcp-rest.service.ts';
import {
  presentCreatedMemory,
  presentMcpConversation,
  presentMcpFullConversation,
  presentMcpMemory,
} from '../../modules/mcp-rest/mcp-rest.presenter.ts';
import {
  ConversationIdParams,
  EditMemoryQuery,
  ListMcpConversationsQuery,
  ListMcpMemoriesQuery,
  McpConversation,
  McpCreatedMemory,
  McpCreateMemoryBody,
  McpFullConversation,
  McpMemory,
  McpProfile,
  McpSearchedMemory,
  McpStatus,
  MemoryIdParams,
  SearchConversationsQuery,
  SearchQuery,
} from '../../modules/mcp-rest/mcp-rest.schema.ts';
import { addRetryAfter, MCP_REST_AUTH_NOTE, mcpRestGuard, principalOf, sendPage } from './mcp-rest-auth.ts';
import { mcpRestTaskRoutes } from './mcp-rest-tasks.routes.ts';

const tags = ['MCP REST'];
const config = { auth: 'mcp-key' } as const;
/**
 * The MCP REST surface under `/v1/mcp/*` (omi-behaviour.md §14.4): what upstream's stdio MCP server
 * (`OMI_API_BASE_URL=<server>/v1/mcp/`) and other MCP-key clients call. Memories, conversations and
 * the profile here; action items, goals, daily summaries and the data this server does not keep
 * in mcp-rest-tasks.routes.ts.
 */
export const mcpRestRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, deps) => {
  const { services, storage, rateLimiter } = deps;
  const rest = new McpRestService(services, storage);
  const guard = (scope: string | undefined, policy: Parameters<typeof mcpRestGuard>[2]) =>
    mcpRestGuard({ verifiers: services, rateLimiter, config: deps.config }, scope, policy);
  app.addHook('onSend', addRetryAfter);

  app.get('/v1/mcp/memories', {
    config,
    onRequest: guard('memories.read', 'mcp:memories_read'),
    schema: {
      operationId: 'mcpListMemories',
      summary: 'MCP: list memories',
      description:
        '`limit` 25 (clamped to 1..500), `offset` (0..100000) or `cursor` (the `X-Next-Cursor` of the previous page), ' +
        '`categories` (comma-separated), `sort` (created_desc, scoring_desc, updated_desc, manual_first), `reviewed`, ' +
        '`manually_added`, `updated_after`. `updated_since` is refused (400): memories keep no revision order. ' +
        `\`X-Scan-Truncated: true\` when a sorted or filtered list read its 5000-memory cap. ${MCP_REST_AUTH_NOTE}`,
      tags,
      querystring: ListMcpMemoriesQuery,
      response: { 200: Type.Array(McpMemory) },
    },
    handler: async (request, reply) =>
      sendPage(reply, await rest.listMemories(principalOf(request).userId, request.query), presentMcpMemory),
  });

  app.get('/v1/mcp/memories/search', {
    config,
    onRequest: guard('memories.read', 'mcp:memories_read'),
    schema: {
      operationId: 'mcpSearchMemories',
      summary: 'MCP: search memories',
      description: `The memories most relevant to \`query\`, best first, with \`relevance_score\` 0..1. ${MCP_REST_AUTH_NOTE}`,
      tags,
      querystring: SearchQuery,
      response: { 200: Type.Array(McpSearchedMemory) },
    },
    handler: async (request) => {
      const hits = await rest.searchMemories(principalOf(request).userId, request.query.query, request.query.limit);
      return hits.map(({ memory, score }) => ({ ...presentMcpMemory(memory), relevance_score: score }));
    },
  });

  app.post('/v1/mcp/memories', {
    config,
    onRequest: guard('memories.write', 'memories:create'),
    schema: {
      operationId: 'mcpCreateMemory',
      summary: 'MCP: create a memory',
      description:
        'The category is always detected from the content, whatever the body says. Answers upstream’s `Memory` ' +
        `model (no id). Rate limit \`memories:create\`: 60 per hour. ${MCP_REST_AUTH_NOTE}`,
      tags,
      body: McpCreateMemoryBody,
      response: { 200: McpCreatedMemory },
    },
    handler: async (request) => presentCreatedMemory(await rest.createMemory(principalOf(request).userId, request.body)),
  });

  app.patch('/v1/mcp/memories/:memory_id', {
    config,
    onRequest: guard('memories.write', 'mcp:memories_write'),
    schema: {
      operationId: 'mcpEditMemory',
      summary: 'MCP: edit a memory',
      description: `The new content is the **query** parameter \`value\`. ${MCP_REST_AUTH_NOTE}`,
      tags,
      params: MemoryIdParams,
      querystring: EditMemoryQuery,
      response: { 200: McpStatus },
    },
    handler: async (request) => {
      await rest.editMemory(principalOf(request).userId, request.params.memory_id, request.query.value);
      return { status: 'ok' };
    },
  });

  app.delete('/v1/mcp/memories/:memory_id', {
    config,
    onRequest: guard('memories.write', 'mcp:memories_write'),
    schema: {
      operationId: 'mcpDeleteMemory',
      summary: 'MCP: delete a memory',
      description: `Deletes it permanently. ${MCP_REST_AUTH_NOTE}`,
      tags,
      params: MemoryIdParams,
      response: { 200: McpStatus },
    },
    handler: async (request) => {
      await rest.deleteMemory(principalOf(request).userId, request.params.memory_id);
      return { status: 'ok' };
    },
  });

  app.get('/v1/mcp/profile', {
    config,
    onRequest: guard(undefined, 'mcp:read'),
    schema: {
      operationId: 'mcpGetProfile',
      summary: 'MCP: the user profile',
      description:
        'The account’s name and email. This server generates no AI profile: `profile_text`, `generated_at`, ' +
        `\`data_sources_used\` and \`phone_number\` are null. ${MCP_REST_AUTH_NOTE}`,
      tags,
      response: { 200: McpProfile },
    },
    handler: async (request) => rest.profile(principalOf(request).userId),
  });

  app.get('/v1/mcp/conversations', {
    config,
    onRequest: guard('conversations.read', 'mcp:read'),
    schema: {
      operationId: 'mcpListConversations',
      summary: 'MCP: list conversations',
      description:
        'Completed, kept conversations, newest first, without transcripts. `start_date` / `end_date` are date-times ' +
        '(naive ones are UTC), `categories` comma-separated, `limit` 100 (clamped to 1..1000), `offset` or `cursor`. ' +
        `\`updated_since\` is refused (400). ${MCP_REST_AUTH_NOTE}`,
      tags,
      querystring: ListMcpConversationsQuery,
      response: { 200: Type.Array(McpConversation) },
    },
    handler: async (request, reply) =>
      sendPage(reply, await rest.listConversations(principalOf(request).userId, request.query), presentMcpConversation),
  });

  app.get('/v1/mcp/conversations/search', {
    config,
    onRequest: guard('conversations.read', 'mcp:read'),
    schema: {
      operationId: 'mcpSearchConversations',
      summary: 'MCP: search conversations',
      description:
        'The conversations most relevant to `query`, best first; `start_date` / `end_date` are YYYY-MM-DD (UTC; ' +
        `the end date includes its whole day), \`limit\` 10. ${MCP_REST_AUTH_NOTE}`,
      tags,
      querystring: SearchConversationsQuery,
      response: { 200: Type.Array(McpConversation) },
    },
    handler: async (request) =>
      (await rest.searchConversations(principalOf(request).userId, request.query)).map(presentMcpConversation),
  });

  app.get('/v1/mcp/conversations/:conversation_id', {
    config,
    onRequest: guard('conversations.read', 'mcp:read'),
    schema: {
      operationId: 'mcpGetConversation',
      summary: 'MCP: one conversation with its transcript',
      description:
        'The transcript carries speaker names and is bounded to 4096 segments and 500,000 characters ' +
        `(\`truncated\` says whether it was cut). ${MCP_REST_AUTH_NOTE}`,
      tags,
      params: ConversationIdParams,
      response: { 200: McpFullConversation },
    },
    handler: async (request) =>
      presentMcpFullConversation(await rest.getConversation(principalOf(request).userId, request.params.conversation_id)),
  });

  await app.register(mcpRestTaskRoutes, deps);
};
