import { SearchParam } from '../search/search.schema.ts';
import { Type, type Static } from 'typebox';
import { component, DateTime, Nullable, StringEnum } from '../../http/schema.ts';
import { MEMORY_CATEGORIES } from './categories.ts';

/** Wire schemas for memories, named and shaped as in the published OpenAPI document. */
export const MemoryCategorySchema = component('MemoryCategory', StringEnum(MEMORY_CATEGORIES));

export const DeveloperMemory = component(
  'DeveloperMemory',
  Type.Object({
    id: Type.String({ title: 'Id' }),
    content: Type.String({ title: 'Content', default: '' }),
    category: MemoryCategorySchema,
    visibility: Nullable(Type.String(), { title: 'Visibility', default: 'private' }),
    tags: Type.Array(Type.String(), { title: 'Tags' }),
    created_at: Nullable(DateTime(), { title: 'Created At' }),
    updated_at: Nullable(DateTime(), { title: 'Updated At' }),
    manually_added: Type.Boolean({ title: 'Manually Added', default: false }),
    reviewed: Type.Boolean({ title: 'Reviewed', default: false }),
    user_review: Nullable(Type.Boolean(), { title: 'User Review' }),
    edited: Type.Boolean({ title: 'Edited', default: false }),
    scoring: Nullable(Type.String(), { title: 'Scoring' }),
  }),
);
export type DeveloperMemory = Static<typeof DeveloperMemory>;

export const CreateMemoryRequest = component(
  'CreateMemoryRequest',
  Type.Object({
    content: Type.String({ minLength: 1, maxLength: 500, title: 'Content', description: 'The content of the memory' }),
    category: Type.Optional(
      Nullable(MemoryCategorySchema, {
        description: 'Memory category: interesting, system, or manual (auto-categorized if not provided)',
      }),
    ),
    visibility: Type.Optional(
      Type.String({ default: 'private', title: 'Visibility', description: 'Visibility: public or private' }),
    ),
    tags: Type.Optional(
      Type.Array(Type.String(), { default: [], title: 'Tags', description: 'Tags associated with the memory' }),
    ),
  }),
);

export const BatchMemoriesRequest = component(
  'BatchMemoriesRequest',
  Type.Object({
    memories: Type.Array(CreateMemoryRequest, {
      maxItems: 25,
      title: 'Memories',
      description: 'List of memories to create',
    }),
  }),
);

export const BatchMemoriesResponse = component(
  'BatchMemoriesResponse',
  Type.Object({
    memories: Type.Array(DeveloperMemory, { title: 'Memories' }),
    created_count: Type.Integer({ title: 'Created Count' }),
  }),
);

export const UpdateMemoryRequest = component(
  'UpdateMemoryRequest',
  Type.Object({
    content: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 500 }), { title: 'Content', description: 'New content for the memory' }),
    ),
    visibility: Type.Optional(
      Nullable(Type.String(), { title: 'Visibility', description: 'New visibility: public or private' }),
    ),
    tags: Type.Optional(Nullable(Type.Array(Type.String()), { title: 'Tags', description: 'New tags for the memory' })),
    category: Type.Optional(Nullable(MemoryCategorySchema, { description: 'New category for the memory' })),
  }),
);

export const ListMemoriesQuery = Type.Object({
  limit: Type.Integer({ default: 25, title: 'Limit' }),
  offset: Type.Integer({ default: 0, title: 'Offset' }),
  categories: Type.Optional(Nullable(Type.String(), { title: 'Categories' })),
  q: SearchParam('memories'),
});

export const MemoryIdParams = Type.Object({ memory_id: Type.String({ title: 'Memory Id' }) });

export const DeveloperMemoryVectorItem = component(
  'DeveloperMemoryVectorItem',
  Type.Object(
    {
      id: Type.String({ title: 'Id' }),
      content: Type.String({ title: 'Content', default: '' }),
      category: Nullable(Type.String(), { title: 'Category' }),
      relevance_score: Nullable(Type.Number(), { title: 'Relevance Score' }),
    },
    { additionalProperties: true },
  ),
);

export const DeveloperMemoryVectorPolicy = component(
  'DeveloperMemoryVectorPolicy',
  Type.Object({
    consumer: Type.String({ title: 'Consumer' }),
    app_has_default_memory_grant: Type.Boolean({ title: 'App Has Default Memory Grant' }),
    archive_capability: Type.Boolean({ title: 'Archive Capability' }),
    raw_provenance_capability: Type.Boolean({ title: 'Raw Provenance Capability' }),
  }),
);

export const DeveloperMemoryVectorSearchResponse = component(
  'DeveloperMemoryVectorSearchResponse',
  Type.Object({
    items: Type.Array(DeveloperMemoryVectorItem, { title: 'Items' }),
    returned_count: Type.Integer({ title: 'Returned Count' }),
    archive_default_visible: Type.Boolean({ title: 'Archive Default Visible' }),
    policy: DeveloperMemoryVectorPolicy,
  }),
);

export const VectorSearchQuery = Type.Object({
  query: Type.String({ minLength: 1, title: 'Query' }),
  limit: Type.Integer({ default: 10, minimum: 1, maximum: 100, title: 'Limit' }),
});
