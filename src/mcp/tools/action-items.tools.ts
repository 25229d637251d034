import { z } from 'zod';
import { parseDateTime } from '../../lib/time.ts';
import { presentActionItem } from '../../modules/action-items/action-items.presenter.ts';
import { pageSize, parseBound, searchable } from './arguments.ts';
import { invalidArguments, pageOf, startPage } from './results.ts';
import { actionItemsPage } from './action-item-pages.ts';
import { addTool, DESTRUCTIVE, READ_ONLY, WRITE, type ToolContext } from './tool-context.ts';

const dueAt = z.string().optional().describe('Due date: YYYY-MM-DD or an ISO 8601 date-time');

export function registerActionItemTools(ctx: ToolContext): void {
  const { services, userId } = ctx;

  addTool(
    ctx,
    {
      name: 'get_action_items',
      scope: 'action_items.read',
      description: "List the user's action items (open ones first). Paginate with next_cursor.",
      input: {
        completed: z.boolean().optional().describe('Only completed (true) or open (false) items'),
        due_start_date: z.string().optional().describe('Only items due at or after this day (YYYY-MM-DD) or time'),
        due_end_date: z.string().optional().describe('Only items due on or before this day (YYYY-MM-DD) or time'),
        limit: z.number().int().optional().describe('Page size, 1-500 (default 100)'),
        offset: z.number().int().optional().describe('Items to skip (not with cursor)'),
        cursor: z.string().optional().describe('next_cursor of the previous page (not with offset)'),
      },
      annotations: READ_ONLY,
    },
    async (args) => {
      const { offset, filters } = startPage('get_action_items', args, {
        completed: args.completed,
        due_start_date: args.due_start_date,
        due_end_date: args.due_end_date,
      });
      const limit = pageSize(args.limit, 100, 500);
      const from = parseBound(filters.due_start_date, 'due_start_date', false);
      const to = parseBound(filters.due_end_date, 'due_end_date', true);
      const rows = await actionItemsPage(services.actionItems, userId, { completed: filters.completed, dueFrom: from, dueTo: to, offset, limit });
      const { rows: items, ...more } = pageOf('get_action_items', rows, { offset, limit, filters });
      return { action_items: items.map(presentActionItem), returned_count: items.length, ...more, offset, limit };
    },
  );

  addTool(
    ctx,
    {
      name: 'search_action_items',
      scope: 'action_items.read',
      description: "Find the user's action items matching a query, most relevant first.",
      input: { query: z.string().describe('What to look for'), limit: z.number().int().optional().describe('1-50 (default 10)') },
      annotations: READ_ONLY,
    },
    async (args) => {
      if (!searchable(args.query)) return { action_items: [], returned_count: 0 };
      const items = await services.actionItems.list(userId, { q: args.query, limit: pageSize(args.limit, 10, 50) });
      return { action_items: items.map(presentActionItem), returned_count: items.length };
    },
  );

  addTool(
    ctx,
    {
      name: 'create_action_item',
      scope: 'action_items.write',
      description:
        'Create an action item (a task) for the user. Only when the user asks for it. Repeating an identical ' +
        'call returns the existing item (created: false) instead of a duplicate.',
      input: {
        description: z.string().describe('What is to be done'),
        due_at: dueAt,
        completed: z.boolean().optional().describe('Default false'),
      },
      annotations: WRITE,
    },
    async (args) => {
      const description = args.description.trim();
      const completed = args.completed ?? false;
      let due: string | null = null;
      if (args.due_at !== undefined) {
        due = parseDateTime(args.due_at) ?? null;
        if (due === null) throw invalidArguments('due_at is not a valid datetime');
      }
      const { item, created } = await services.actionItems.createOnce(userId, { description, due_at: due, completed });
      return { action_item: presentActionItem(item), created };
    },
  );

  addTool(
    ctx,
    {
      name: 'complete_action_item',
      scope: 'action_items.write',
      description: 'Mark an action item completed (or, with completed: false, open again).',
      input: { action_item_id: z.string(), completed: z.boolean().optional().describe('Default true') },
      annotations: WRITE,
    },
    async (args) => {
      const item = await services.actionItems.update(userId, args.action_item_id, { completed: args.completed ?? true });
      return { action_item: presentActionItem(item) };
    },
  );

  addTool(
    ctx,
    {
      name: 'update_action_item',
      scope: 'action_items.write',
      description: "Change an action item's description and/or due date.",
      input: { action_item_id: z.string(), description: z.string().optional(), due_at: dueAt },
      annotations: WRITE,
    },
    async (args) => {
      const item = await services.actionItems.update(userId, args.action_item_id, {
        description: args.description,
        due_at: args.due_at,
      });
      return { action_item: presentActionItem(item) };
    },
  );

  addTool(
    ctx,
    {
      name: 'delete_action_item',
      scope: 'action_items.write',
      description: 'Delete an action item. Only when the user asks for it.',
      input: { action_item_id: z.string() },
      annotations: DESTRUCTIVE,
    },
    async (args) => {
      await services.actionItems.delete(userId, args.action_item_id);
      return { success: true };
    },
  );
}
