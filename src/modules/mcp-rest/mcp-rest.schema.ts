import { Type, type Static } from 'typebox';
import { component, DateTime, Nullable } from '../../http/schema.ts';
import { MEMORY_CATEGORIES } from '../memories/categories.ts';

/**
 * Wire schemas of the MCP REST routes (`/v1/mcp/*`, omi-behaviour.md §14.4): upstream's models
 * (CleanerMemory, SimpleConversation, SimpleActionItem, …) under their own component names.
 * Query parameters are typed as upstream types them (a non-integer `limit` is FastAPI's 422);
 * ranges are clamped, not refused, as upstream clamps them.
 */

const Limit = (fallback: number) => Type.Optional(Type.Integer({ default: fallback, title: 'Limit' }));
const Offset = Type.Optional(Type.Integer({ default: 0, title: 'Offset' }));
const Cursor = Type.Optional(Type.String({ title: 'Cursor', description: 'The X-Next-Cursor header of the previous page' }));
const UpdatedSince = Type.Optional(Type.String({ title: 'Updated Since' }));
const Query = Type.String({ title: 'Query' });

export const McpMemory = component(
  'McpMemory',
  Type.Object({
    id: Type.String(),
    content: Type.String(),
    category: Type.String(),
    reviewed: Type.Optional(Nullable(Type.Boolean())),
    manually_added: Type.Optional(Nullable(Type.Boolean())),
  }),
);
export type McpMemory = Static<typeof McpMemory>;

export const McpSearchedMemory = component(
  'McpSearchedMemory',
  Type.Object({ ...McpMemory.properties, relevance_score: Type.Number() }),
);

/** Upstream's `Memory` model: what POST /v1/mcp/memories answers (no id, as upstream). */
export const McpCreatedMemory = component(
  'McpCreatedMemory',
  Type.Object({
    content: Type.String(),
    category: Type.String(),
    visibility: Type.String(),
    tags: Type.Array(Type.String()),
    headline: Nullable(Type.String()),
  }),
);

export const McpCreateMemoryBody = Type.Object({
  content: Type.String({ title: 'Content' }),
  category: Type.Optional(Type.Union(MEMORY_CATEGORIES.map((c) => Type.Literal(c)), { title: 'Category' })),
  visibility: Type.Optional(Type.String({ title: 'Visibility' })),
  tags: Type.Optional(Type.Array(Type.String(), { title: 'Tags' })),
  headline: Type.Optional(Nullable(Type.String(), { title: 'Headline' })),
});

export const McpStatus = component('McpStatusResponse', Type.Object({ status: Type.String() }));

export const ListMcpMemoriesQuery = Type.Object({
  limit: Limit(25),
  offset: Offset,
  categories: Type.Optional(Type.String({ title: 'Categories', description: 'Comma-separated' })),
  sort: Type.Optional(Type.String({ default: 'created_desc', title: 'Sort' })),
  reviewed: Type.Optional(Type.Boolean({ title: 'Reviewed' })),
  manually_added: Type.Optional(Type.Boolean({ title: 'Manually Added' })),
  updated_after: Type.Optional(Type.String({ title: 'Updated After' })),
  updated_since: UpdatedSince,
  include_activity: Type.Optional(Type.Boolean({ default: false, title: 'Include Activity' })),
  include_sensitive: Type.Optional(Type.Boolean({ default: true, title: 'Include Sensitive' })),
  cursor: Cursor,
});
export type ListMcpMemoriesQuery = Static<typeof ListMcpMemoriesQuery>;

export const SearchQuery = Type.Object({ query: Query, limit: Limit(10) });
export const EditMemoryQuery = Type.Object({ value: Type.String({ title: 'Value' }) });
export const MemoryIdParams = Type.Object({ memory_id: Type.String({ title: 'Memory Id' }) });

export const McpProfile = component(
  'McpUserProfile',
  Type.Object({
    name: Nullable(Type.String()),
    email: Nullable(Type.String()),
    phone_number: Nullable(Type.String()),
    profile_text: Nullable(Type.String()),
    generated_at: Nullable(Type.String()),
    data_sources_used: Nullable(Type.Integer()),
  }),
);

const McpStructured = Type.Object({ title: Type.String(), overview: Type.String(), category: Type.String() });

export const McpConversation = component(
  'McpConversation',
  Type.Object({
    id: Type.String(),
    started_at: Nullable(DateTime()),
    finished_at: Nullable(DateTime()),
    structured: McpStructured,
    language: Nullable(Type.String()),
    apps_results: Type.Array(Type.Object({ app_id: Nullable(Type.String()), content: Type.String() })),
    match_snippets: Type.Array(Type.Object({ text: Type.String() }, { additionalProperties: true })),
  }),
);
export type McpConversation = Static<typeof McpConversation>;

export const McpFullConversation = component(
  'McpFullConversation',
  Type.Object({
    ...McpConversation.properties,
    transcript_segments: Type.Array(
      Type.Object({
        id: Nullable(Type.String()),
        text: Type.String(),
        speaker_id: Nullable(Type.Integer()),
        speaker_name: Nullable(Type.String()),
        start: Type.Number(),
        end: Type.Number(),
      }),
    ),
    truncated: Type.Boolean(),
  }),
);
export type McpFullConversation = Static<typeof McpFullConversation>;

export const ListMcpConversationsQuery = Type.Object({
  start_date: Type.Optional(DateTime({ title: 'Start Date' })),
  end_date: Type.Optional(DateTime({ title: 'End Date' })),
  categories: Type.Optional(Type.String({ title: 'Categories', description: 'Comma-separated' })),
  limit: Limit(100),
  offset: Offset,
  cursor: Cursor,
  updated_since: UpdatedSince,
});
export type ListMcpConversationsQuery = Static<typeof ListMcpConversationsQuery>;

export const SearchConversationsQuery = Type.Object({
  query: Query,
  limit: Limit(10),
  start_date: Type.Optional(Type.String({ title: 'Start Date', description: 'YYYY-MM-DD' })),
  end_date: Type.Optional(Type.String({ title: 'End Date', description: 'YYYY-MM-DD, the whole day (UTC)' })),
});

export const ConversationIdParams = Type.Object({ conversation_id: Type.String({ title: 'Conversation Id' }) });

export const McpActionItem = component(
  'McpActionItem',
  Type.Object({
    id: Type.String(),
    description: Type.String(),
    completed: Type.Boolean(),
    created_at: Nullable(DateTime()),
    due_at: Nullable(DateTime()),
    completed_at: Nullable(DateTime()),
    conversation_id: Nullable(Type.String()),
    updated_at: Nullable(DateTime()),
  }),
);
export type McpActionItem = Static<typeof McpActionItem>;

export const ListMcpActionItemsQuery = Type.Object({
  completed: Type.Optional(Type.Boolean({ title: 'Completed' })),
  due_start_date: Type.Optional(DateTime({ title: 'Due Start Date' })),
  due_end_date: Type.Optional(DateTime({ title: 'Due End Date' })),
  limit: Limit(100),
  offset: Offset,
  cursor: Cursor,
  updated_since: UpdatedSince,
});
export type ListMcpActionItemsQuery = Static<typeof ListMcpActionItemsQuery>;

export const McpCreateActionItemBody = Type.Object({
  description: Type.String({ title: 'Description' }),
  due_at: Type.Optional(Nullable(DateTime(), { title: 'Due At' })),
  completed: Type.Optional(Type.Boolean({ default: false, title: 'Completed' })),
});

export const McpUpdateActionItemBody = Type.Object({
  description: Type.Optional(Nullable(Type.String(), { title: 'Description' })),
  due_at: Type.Optional(Nullable(DateTime(), { title: 'Due At', description: 'null clears the due date' })),
});

export const CompleteQuery = Type.Object({ completed: Type.Optional(Type.Boolean({ default: true, title: 'Completed' })) });
export const ActionItemIdParams = Type.Object({ action_item_id: Type.String({ title: 'Action Item Id' }) });

export const GoalsQuery = Type.Object({ include_inactive: Type.Optional(Type.Boolean({ default: false, title: 'Include Inactive' })) });

export const ChatQuery = Type.Object({ limit: Limit(50), offset: Offset, cursor: Cursor });

export const ScreenActivityQuery = Type.Object({
  start_date: Type.Optional(DateTime({ title: 'Start Date' })),
  end_date: Type.Optional(DateTime({ title: 'End Date' })),
  app: Type.Optional(Type.String({ title: 'App' })),
  summary: Type.Optional(Type.Boolean({ default: false, title: 'Summary' })),
  limit: Limit(200),
  cursor: Cursor,
});

export const ListMcpDailySummariesQuery = Type.Object({
  limit: Limit(30),
  offset: Offset,
  start_date: Type.Optional(Type.String({ title: 'Start Date', description: 'YYYY-MM-DD, inclusive' })),
  end_date: Type.Optional(Type.String({ title: 'End Date', description: 'YYYY-MM-DD, inclusive' })),
  cursor: Cursor,
});
export type ListMcpDailySummariesQuery = Static<typeof ListMcpDailySummariesQuery>;
