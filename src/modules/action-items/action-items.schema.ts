import { SearchParam } from '../search/search.schema.ts';
import { Type, type Static } from 'typebox';
import { component, DateTime, Nullable } from '../../http/schema.ts';

/** Wire schemas for action items, named and shaped as in the published OpenAPI document. */
export const DeveloperActionItem = component(
  'DeveloperActionItem',
  Type.Object({
    id: Type.String({ title: 'Id' }),
    description: Type.String({ title: 'Description' }),
    completed: Type.Boolean({ title: 'Completed' }),
    created_at: Type.Optional(Nullable(DateTime(), { title: 'Created At' })),
    updated_at: Type.Optional(Nullable(DateTime(), { title: 'Updated At' })),
    due_at: Type.Optional(Nullable(DateTime(), { title: 'Due At' })),
    completed_at: Type.Optional(Nullable(DateTime(), { title: 'Completed At' })),
    conversation_id: Type.Optional(Nullable(Type.String(), { title: 'Conversation Id' })),
  }),
);
export type DeveloperActionItem = Static<typeof DeveloperActionItem>;

export const CreateActionItemRequest = component(
  'CreateActionItemRequest',
  Type.Object({
    description: Type.String({
      minLength: 1,
      maxLength: 500,
      title: 'Description',
      description: 'The action item description',
    }),
    completed: Type.Optional(
      Type.Boolean({ default: false, title: 'Completed', description: 'Whether the action item is completed' }),
    ),
    due_at: Type.Optional(
      Nullable(DateTime(), { title: 'Due At', description: 'When the action item is due (ISO format with timezone)' }),
    ),
  }),
);

export const BatchActionItemsRequest = component(
  'BatchActionItemsRequest',
  Type.Object({
    action_items: Type.Array(CreateActionItemRequest, {
      maxItems: 50,
      title: 'Action Items',
      description: 'List of action items to create',
    }),
  }),
);

export const BatchActionItemsResponse = component(
  'BatchActionItemsResponse',
  Type.Object({
    action_items: Type.Array(DeveloperActionItem, { title: 'Action Items' }),
    created_count: Type.Integer({ title: 'Created Count' }),
  }),
);

export const UpdateActionItemRequest = component(
  'UpdateActionItemRequest',
  Type.Object({
    description: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 500 }), { title: 'Description', description: 'New description' }),
    ),
    completed: Type.Optional(Nullable(Type.Boolean(), { title: 'Completed', description: 'New completion status' })),
    due_at: Type.Optional(
      Nullable(DateTime(), { title: 'Due At', description: 'New due date (ISO format with timezone)' }),
    ),
  }),
);

export const DEFAULT_LIMIT = 100;

export const ListActionItemsQuery = Type.Object({
  conversation_id: Type.Optional(Nullable(Type.String(), { title: 'Conversation Id' })),
  completed: Type.Optional(Nullable(Type.Boolean(), { title: 'Completed' })),
  start_date: Type.Optional(Nullable(DateTime(), { title: 'Start Date' })),
  end_date: Type.Optional(Nullable(DateTime(), { title: 'End Date' })),
  // Optional with defaults, so the published document does not mark them required.
  limit: Type.Optional(Type.Integer({ default: DEFAULT_LIMIT, title: 'Limit' })),
  offset: Type.Optional(Type.Integer({ default: 0, title: 'Offset' })),
  q: SearchParam('action items'),
});

export const ActionItemIdParams = Type.Object({ action_item_id: Type.String({ title: 'Action Item Id' }) });
