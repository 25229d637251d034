import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { presentActionItem } from '../../modules/action-items/action-items.presenter.ts';
import {
  ActionItemIdParams,
  BatchActionItemsRequest,
  BatchActionItemsResponse,
  CreateActionItemRequest,
  DeveloperActionItem,
  ListActionItemsQuery,
  UpdateActionItemRequest,
} from '../../modules/action-items/action-items.schema.ts';
import { requireKey } from '../auth.ts';
import { DeveloperSuccessResponse } from '../schema.ts';

const read = { auth: 'developer-key', scope: 'action_items:read', policy: 'dev:action_items_read' } as const;
const write = { auth: 'developer-key', scope: 'action_items:write', policy: 'dev:action_items_write' } as const;
const tags = ['Action Items'];

export const actionItemsRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { services }) => {
  app.get('/v1/dev/user/action-items', {
    config: read,
    schema: {
      operationId: 'listActionItems',
      summary: 'Get Action Items',
      description:
        'Get action items with optional filters: `conversation_id` (exact match), `completed`, and ' +
        '`start_date` / `end_date` (inclusive, on `created_at`). Open items come first, then items with ' +
        'a due date (soonest first), then the newest. `limit` is clamped to 1..1000.',
      tags,
      querystring: ListActionItemsQuery,
      response: { 200: Type.Array(DeveloperActionItem, { title: 'Response Listactionitems' }) },
    },
    handler: async (request) => {
      const items = await services.actionItems.list(requireKey(request).userId, request.query);
      return items.map(presentActionItem);
    },
  });

  app.post('/v1/dev/user/action-items', {
    config: write,
    schema: {
      operationId: 'createActionItem',
      summary: 'Create Action Item',
      description:
        'Create a new action item for the authenticated user. `description` is 1-500 characters (trimmed), ' +
        '`completed` defaults to false, `due_at` is an ISO 8601 date-time (naive values are taken as UTC).',
      tags,
      body: CreateActionItemRequest,
      response: { 200: DeveloperActionItem },
    },
    handler: async (request) =>
      presentActionItem(await services.actionItems.create(requireKey(request).userId, request.body)),
  });

  app.post('/v1/dev/user/action-items/batch', {
    config: write,
    schema: {
      operationId: 'createActionItemsBatch',
      summary: 'Create Action Items Batch',
      description:
        'Create up to 50 action items in one request. Every item is validated before anything is written, ' +
        'and all of them are written together or none is.',
      tags,
      body: BatchActionItemsRequest,
      response: { 200: BatchActionItemsResponse },
    },
    handler: async (request) => {
      const items = await services.actionItems.createBatch(requireKey(request).userId, request.body.action_items);
      return { action_items: items.map(presentActionItem), created_count: items.length };
    },
  });

  app.patch('/v1/dev/user/action-items/:action_item_id', {
    config: write,
    schema: {
      operationId: 'updateActionItem',
      summary: 'Update Action Item',
      description:
        'Update an action item. Send any of `description`, `completed` (true stamps `completed_at`, false ' +
        'clears it) and `due_at`: `"due_at": null` clears the due date, an omitted `due_at` leaves it unchanged.',
      tags,
      params: ActionItemIdParams,
      body: UpdateActionItemRequest,
      response: { 200: DeveloperActionItem },
    },
    handler: async (request) =>
      presentActionItem(
        await services.actionItems.update(requireKey(request).userId, request.params.action_item_id, request.body),
      ),
  });

  app.delete('/v1/dev/user/action-items/:action_item_id', {
    config: write,
    schema: {
      operationId: 'deleteActionItem',
      summary: 'Delete Action Item',
      description: 'Delete an action item by ID (permanently).',
      tags,
      params: ActionItemIdParams,
      response: { 200: DeveloperSuccessResponse },
    },
    handler: async (request) => {
      await services.actionItems.delete(requireKey(request).userId, request.params.action_item_id);
      return { success: true };
    },
  });
};
