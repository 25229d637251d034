import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { presentDailySummary } from '../../modules/daily-summaries/daily-summaries.presenter.ts';
import { DailySummary } from '../../modules/daily-summaries/daily-summaries.schema.ts';
import { presentGoal } from '../../modules/goals/goals.presenter.ts';
import { DeveloperGoal } from '../../modules/goals/goals.schema.ts';
import { McpRestTasksService } from '../../modules/mcp-rest/mcp-rest-tasks.service.ts';
import { presentMcpActionItem } from '../../modules/mcp-rest/mcp-rest.presenter.ts';
import {
  ActionItemIdParams,
  ChatQuery,
  CompleteQuery,
  GoalsQuery,
  ListMcpActionItemsQuery,
  ListMcpDailySummariesQuery,
  McpActionItem,
  McpCreateActionItemBody,
  McpStatus,
  McpUpdateActionItemBody,
  ScreenActivityQuery,
  SearchQuery,
} from '../../modules/mcp-rest/mcp-rest.schema.ts';
import type { PolicyName } from '../rate-limit/policies.ts';
import { MCP_REST_AUTH_NOTE, mcpRestGuard, principalOf, sendPage } from './mcp-rest-auth.ts';

const tags = ['MCP REST'];
const config = { auth: 'mcp-key' } as const;
const WRITE_NOTE = 'Rate limit `action_items:write`: 120 per hour per key.';

const ChatMessage = Type.Object({
  id: Type.String(),
  text: Type.String(),
  sender: Type.String(),
  type: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.Union([Type.String(), Type.Null()]),
});
const Person = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created_at: Type.Union([Type.String(), Type.Null()]),
  speech_sample_transcripts: Type.Array(Type.String()),
});
const ScreenActivity = Type.Union([
  Type.Array(Type.Object({}, { additionalProperties: true })),
  Type.Object({
    apps: Type.Record(Type.String(), Type.Object({}, { additionalProperties: true })),
    total_screenshots: Type.Integer(),
    coverage: Type.Null(),
  }),
]);

/** Action items, goals, daily summaries, and the kinds of data this server does not keep. */
export const mcpRestTaskRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { services, rateLimiter, config: appConfig }) => {
  const tasks = new McpRestTasksService(services);
  const guard = (scope: string | undefined, policy: PolicyName) => mcpRestGuard({ verifiers: services, rateLimiter, config: appConfig }, scope, policy);
  const read = (scope: string) => guard(scope, 'mcp:read');
  const write = guard('action_items.write', 'action_items:write');
  const userOf = (request: Parameters<typeof principalOf>[0]) => principalOf(request).userId;

  app.get('/v1/mcp/action-items', {
    config,
    onRequest: read('action_items.read'),
    schema: {
      operationId: 'mcpListActionItems',
      summary: 'MCP: list action items',
      description:
        'Open items first. `completed`, `due_start_date` / `due_end_date`, `limit` 100 (clamped to 1..500), `offset` ' +
        'or `cursor`. With `updated_since` (ISO 8601 with an offset) it is the incremental feed instead: every item ' +
        'changed at or after it, oldest change first in `(updated_at, id)` order, paged by `cursor` only (no filters, ' +
        `no offset; deleted items leave no row). ${MCP_REST_AUTH_NOTE}`,
      tags,
      querystring: ListMcpActionItemsQuery,
      response: { 200: Type.Array(McpActionItem) },
    },
    handler: async (request, reply) => sendPage(reply, await tasks.listActionItems(userOf(request), request.query), presentMcpActionItem),
  });

  app.get('/v1/mcp/action-items/search', {
    config,
    onRequest: read('action_items.read'),
    schema: {
      operationId: 'mcpSearchActionItems',
      summary: 'MCP: search action items',
      description: `The items most relevant to \`query\`, best first; \`limit\` 10. ${MCP_REST_AUTH_NOTE}`,
      tags,
      querystring: SearchQuery,
      response: { 200: Type.Array(McpActionItem) },
    },
    handler: async (request) =>
      (await tasks.searchActionItems(userOf(request), request.query.query, request.query.limit)).map(presentMcpActionItem),
  });

  app.post('/v1/mcp/action-items', {
    config,
    onRequest: write,
    schema: {
      operationId: 'mcpCreateActionItem',
      summary: 'MCP: create an action item',
      description: `An identical retry returns the item it created before. ${WRITE_NOTE} ${MCP_REST_AUTH_NOTE}`,
      tags,
      body: McpCreateActionItemBody,
      response: { 200: McpActionItem },
    },
    handler: async (request) => presentMcpActionItem(await tasks.createActionItem(userOf(request), request.body)),
  });

  app.post('/v1/mcp/action-items/:action_item_id/complete', {
    config,
    onRequest: write,
    schema: {
      operationId: 'mcpCompleteActionItem',
      summary: 'MCP: complete an action item',
      description: `Query \`completed\` (default true; false opens it again). ${WRITE_NOTE} ${MCP_REST_AUTH_NOTE}`,
      tags,
      params: ActionItemIdParams,
      querystring: CompleteQuery,
      response: { 200: McpActionItem },
    },
    handler: async (request) =>
      presentMcpActionItem(await tasks.completeActionItem(userOf(request), request.params.action_item_id, request.query.completed)),
  });

  app.patch('/v1/mcp/action-items/:action_item_id', {
    config,
    onRequest: write,
    schema: {
      operationId: 'mcpUpdateActionItem',
      summary: 'MCP: update an action item',
      description: `\`description\` and/or \`due_at\`; \`"due_at": null\` clears the due date. ${WRITE_NOTE} ${MCP_REST_AUTH_NOTE}`,
      tags,
      params: ActionItemIdParams,
      body: McpUpdateActionItemBody,
      response: { 200: McpActionItem },
    },
    handler: async (request) =>
      presentMcpActionItem(await tasks.updateActionItem(userOf(request), request.params.action_item_id, request.body)),
  });

  app.delete('/v1/mcp/action-items/:action_item_id', {
    config,
    onRequest: write,
    schema: {
      operationId: 'mcpDeleteActionItem',
      summary: 'MCP: delete an action item',
      description: `Deletes it permanently. ${WRITE_NOTE} ${MCP_REST_AUTH_NOTE}`,
      tags,
      params: ActionItemIdParams,
      response: { 200: McpStatus },
    },
    handler: async (request) => {
      await tasks.deleteActionItem(userOf(request), request.params.action_item_id);
      return { status: 'ok' };
    },
  });

  app.get('/v1/mcp/goals', {
    config,
    onRequest: read('goals.read'),
    schema: {
      operationId: 'mcpListGoals',
      summary: 'MCP: goals',
      description: `Active goals, or all of them with \`include_inactive\`. ${MCP_REST_AUTH_NOTE}`,
      tags,
      querystring: GoalsQuery,
      response: { 200: Type.Array(DeveloperGoal) },
    },
    handler: async (request) => (await tasks.goals(userOf(request), request.query.include_inactive)).map(presentGoal),
  });

  app.get('/v1/mcp/daily-summaries', {
    config,
    onRequest: read('conversations.read'),
    schema: {
      operationId: 'mcpListDailySummaries',
      summary: 'MCP: daily summaries',
      description:
        'Newest day first. `limit` 30 (clamped to 1..100), `offset` or `cursor`, `start_date` / `end_date` ' +
        `(YYYY-MM-DD, inclusive). ${MCP_REST_AUTH_NOTE}`,
      tags,
      querystring: ListMcpDailySummariesQuery,
      response: { 200: Type.Array(DailySummary) },
    },
    handler: async (request, reply) => sendPage(reply, await tasks.listDailySummaries(userOf(request), request.query), presentDailySummary),
  });

  const empty = (path: string, operationId: string, what: string, scope: string | undefined) =>
    app.get(path, {
      config,
      onRequest: scope ? read(scope) : guard(undefined, 'mcp:read'),
      schema: {
        operationId,
        summary: `MCP: ${what}`,
        description: `This server keeps no ${what}: always an empty list. ${MCP_REST_AUTH_NOTE}`,
        tags,
        querystring: ChatQuery,
        response: { 200: Type.Array(path.endsWith('chat') ? ChatMessage : Person) },
      },
      handler: async (request) => tasks.emptyList((request.query as { cursor?: string }).cursor),
    });
  empty('/v1/mcp/chat', 'mcpListChatMessages', 'chat messages', 'chat.read');
  empty('/v1/mcp/people', 'mcpListPeople', 'people', 'people.read');

  app.get('/v1/mcp/screen-activity', {
    config,
    onRequest: guard(undefined, 'mcp:read'),
    schema: {
      operationId: 'mcpScreenActivity',
      summary: 'MCP: screen activity',
      description:
        'Desktop screen capture, which this server does not have: an empty list, or with `summary=true` an empty ' +
        `summary. ${MCP_REST_AUTH_NOTE}`,
      tags,
      querystring: ScreenActivityQuery,
      response: { 200: ScreenActivity },
    },
    handler: async (request) => {
      const rows = tasks.emptyList(request.query.cursor);
      return request.query.summary ? { apps: {}, total_screenshots: 0, coverage: null } : rows;
    },
  });
};
