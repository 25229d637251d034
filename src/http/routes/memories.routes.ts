import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { presentMemory, presentVectorSearch } from '../../modules/memories/memories.presenter.ts';
import {
  BatchMemoriesRequest,
  BatchMemoriesResponse,
  CreateMemoryRequest,
  DeveloperMemory,
  DeveloperMemoryVectorSearchResponse,
  ListMemoriesQuery,
  MemoryIdParams,
  UpdateMemoryRequest,
  VectorSearchQuery,
} from '../../modules/memories/memories.schema.ts';
import { requireKey } from '../auth.ts';
import { DeveloperSuccessResponse } from '../schema.ts';

const read = { auth: 'developer-key', scope: 'memories:read', policy: 'dev:memories_read' } as const;
const write = { auth: 'developer-key', scope: 'memories:write', policy: 'dev:memories' } as const;

export const memoriesRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { services }) => {
  app.get('/v1/dev/user/memories', {
    config: read,
    schema: {
      operationId: 'listMemories',
      summary: 'Get Memories',
      tags: ['Memories'],
      querystring: ListMemoriesQuery,
      response: { 200: Type.Array(DeveloperMemory, { title: 'Response Listmemories' }) },
    },
    handler: async (request) => {
      const memories = await services.memories.list(requireKey(request).userId, request.query);
      return memories.map(presentMemory);
    },
  });

  app.post('/v1/dev/user/memories', {
    config: write,
    schema: {
      operationId: 'createMemory',
      summary: 'Create Memory',
      description: 'Create a new memory for the authenticated user. A memory with the same content is updated, not duplicated.',
      tags: ['Memories'],
      body: CreateMemoryRequest,
      response: { 200: DeveloperMemory },
    },
    handler: async (request) => presentMemory(await services.memories.create(requireKey(request).userId, request.body)),
  });

  app.post('/v1/dev/user/memories/batch', {
    config: { ...write, policy: 'dev:memories_batch' },
    schema: {
      operationId: 'createMemoriesBatch',
      summary: 'Create Memories Batch',
      description: 'Create up to 25 memories in one request. Every item is validated before anything is written.',
      tags: ['Memories'],
      body: BatchMemoriesRequest,
      response: { 200: BatchMemoriesResponse },
    },
    handler: async (request) => {
      const memories = await services.memories.createBatch(requireKey(request).userId, request.body.memories);
      return { memories: memories.map(presentMemory), created_count: memories.length };
    },
  });

  app.get('/v1/dev/user/memories/vector/search', {
    config: read,
    schema: {
      operationId: 'search_memories_vector_v1_dev_user_memories_vector_search_get',
      summary: 'Search Memories Vector',
      description: 'Search the memories most relevant to a query, best first, with a relevance score in [0, 1].',
      tags: ['developer'],
      querystring: VectorSearchQuery,
      response: { 200: DeveloperMemoryVectorSearchResponse },
    },
    handler: async (request) => {
      const { query, limit } = request.query;
      return presentVectorSearch(await services.memories.searchRelevant(requireKey(request).userId, query, limit));
    },
  });

  app.patch('/v1/dev/user/memories/:memory_id', {
    config: write,
    schema: {
      operationId: 'updateMemory',
      summary: 'Update Memory',
      tags: ['Memories'],
      params: MemoryIdParams,
      body: UpdateMemoryRequest,
      response: { 200: DeveloperMemory },
    },
    handler: async (request) =>
      presentMemory(await services.memories.update(requireKey(request).userId, request.params.memory_id, request.body)),
  });

  app.delete('/v1/dev/user/memories/:memory_id', {
    config: write,
    schema: {
      operationId: 'deleteMemory',
      summary: 'Delete Memory',
      tags: ['Memories'],
      params: MemoryIdParams,
      response: { 200: DeveloperSuccessResponse },
    },
    handler: async (request) => {
      await services.memories.delete(requireKey(request).userId, request.params.memory_id);
      return { success: true };
    },
  });
};
