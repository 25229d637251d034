import { z } from 'zod';
import { MEMORY_CATEGORIES, type MemoryCategory } from '../../modules/memories/categories.ts';
import { presentMemory } from '../../modules/memories/memories.presenter.ts';
import { MAX_BATCH_MEMORIES } from '../../modules/memories/memories.service.ts';
import { oneOf, pageSize, parseBound, searchable } from './arguments.ts';
import { describeError, invalidArguments, pageOf, startPage } from './results.ts';
import { MEMORY_SORTS as SORTS, memoriesPage } from './memory-pages.ts';
import { addTool, DESTRUCTIVE, READ_ONLY, WRITE, type ToolContext } from './tool-context.ts';

/** Memories read at most when a sort or filter the database cannot apply is asked for. */
const SCAN_CAP = 10_000;

const categoryList = MEMORY_CATEGORIES.join(', ');
const category = (value: string): MemoryCategory => oneOf(value, MEMORY_CATEGORIES, 'category');

export function registerMemoryTools(ctx: ToolContext): void {
  const { services, userId } = ctx;

  addTool(
    ctx,
    {
      name: 'get_memories',
      scope: 'memories.read',
      description:
        "List the user's memories (facts about them). Paginate with next_cursor; filters and sort apply to every page.",
      input: {
        categories: z.array(z.string()).optional().describe(`Only these categories: ${categoryList}`),
        limit: z.number().int().optional().describe('Page size, 1-100 (default 20)'),
        offset: z.number().int().optional().describe('Memories to skip (not with cursor)'),
        cursor: z.string().optional().describe('next_cursor of the previous page (not with offset)'),
        sort: z.string().optional().describe(`One of ${SORTS.join(', ')} (default scoring_desc)`),
        reviewed: z.boolean().optional().describe('Only reviewed (true) or unreviewed (false) memories'),
        manually_added: z.boolean().optional().describe('Only memories the user added (true) or extracted ones (false)'),
        updated_after: z.string().optional().describe('Only memories updated after this ISO 8601 time'),
        include_activity: z.boolean().optional().describe('Accepted for compatibility; no effect'),
        include_sensitive: z.boolean().optional().describe('Accepted for compatibility; no effect'),
      },
      annotations: READ_ONLY,
    },
    async (args) => {
      const { offset, filters } = startPage('get_memories', args, {
        categories: args.categories,
        sort: args.sort,
        reviewed: args.reviewed,
        manually_added: args.manually_added,
        updated_after: args.updated_after,
      });
      const limit = pageSize(args.limit, 20, 100);
      const sort = oneOf(filters.sort ?? 'scoring_desc', SORTS, 'sort');
      for (const c of filters.categories ?? []) category(c);
      const categories = filters.categories?.length ? filters.categories.join(',') : undefined;
      const updatedAfter = parseBound(filters.updated_after, 'updated_after', false);
      const { rows, scan } = await memoriesPage(services.memories, userId, {
        sort,
        categories,
        reviewed: filters.reviewed,
        manuallyAdded: filters.manually_added,
        updatedAfter,
        offset,
        limit,
        maxScan: SCAN_CAP,
      });
      const { rows: memories, ...more } = pageOf('get_memories', rows, { offset, limit, filters });
      return {
        memories: memories.map(presentMemory),
        returned_count: memories.length,
        ...more,
        offset,
        limit,
        sort,
        ...(scan && { scanned_count: scan.count, scan_truncated: scan.truncated }),
      };
    },
  );

  addTool(
    ctx,
    {
      name: 'search_memories',
      scope: 'memories.read',
      description: "Find the user's memories most relevant to a query, best first, with relevance_score 0..1.",
      input: {
        query: z.string().describe('What to look for'),
        limit: z.number().int().optional().describe('1-50 (default 10)'),
      },
      annotations: READ_ONLY,
    },
    async (args) => {
      if (!searchable(args.query)) return { memories: [], returned_count: 0 };
      const hits = await services.memories.searchRelevant(userId, args.query, pageSize(args.limit, 10, 50));
      const memories = hits.map(({ memory, score }) => ({ ...presentMemory(memory), relevance_score: score }));
      return { memories, returned_count: memories.length };
    },
  );

  addTool(
    ctx,
    {
      name: 'create_memory',
      scope: 'memories.write',
      description: 'Save one new memory about the user. Only when the user asks for it.',
      input: {
        content: z.string().describe('The fact to remember'),
        category: z.string().optional().describe(`One of ${categoryList}; detected from the content if omitted`),
      },
      annotations: WRITE,
    },
    async (args) => {
      const memory = await services.memories.create(userId, {
        content: args.content,
        category: args.category === undefined ? undefined : category(args.category),
      });
      return { success: true, memory: presentMemory(memory) };
    },
  );

  addTool(
    ctx,
    {
      name: 'create_memories',
      scope: 'memories.write',
      description: `Save up to ${MAX_BATCH_MEMORIES} memories at once; each item reports created, duplicate (same content and category earlier in the batch) or error.`,
      input: {
        items: z
          .array(z.object({ content: z.string(), category: z.string().optional() }))
          .describe(`1-${MAX_BATCH_MEMORIES} memories`),
      },
      annotations: WRITE,
    },
    async (args) => {
      if (args.items.length === 0) throw invalidArguments('items must not be empty');
      if (args.items.length > MAX_BATCH_MEMORIES) throw invalidArguments(`Maximum ${MAX_BATCH_MEMORIES} memories per call`);
      const seen = new Map<string, number>();
      const results: Record<string, unknown>[] = [];
      for (const [index, item] of args.items.entries()) {
        const key = `${item.category ?? ''}\u0000${item.content.trim()}`;
        const first = seen.get(key);
        if (first !== undefined) {
          results.push({ index, status: 'duplicate', duplicate_of: first });
          continue;
        }
        seen.set(key, index);
        try {
          const memory = await services.memories.create(userId, {
            content: item.content,
            category: item.category === undefined ? undefined : category(item.category),
          });
          results.push({ index, status: 'created', memory: presentMemory(memory) });
        } catch (error) {
          const failure = describeError(error);
          if (failure.code === 'internal') throw error;
          results.push({ index, status: 'error', error: failure });
        }
      }
      const count = (status: string) => results.filter((r) => r.status === status).length;
      return { results, created_count: count('created'), duplicate_count: count('duplicate'), error_count: count('error') };
    },
  );

  addTool(
    ctx,
    {
      name: 'edit_memory',
      scope: 'memories.write',
      description: "Replace a memory's content. Only when the user asks for it.",
      input: { memory_id: z.string(), content: z.string().describe('The new content') },
      annotations: WRITE,
    },
    async (args) => {
      const memory = await services.memories.update(userId, args.memory_id, { content: args.content });
      return { success: true, memory: presentMemory(memory) };
    },
  );

  addTool(
    ctx,
    {
      name: 'delete_memory',
      scope: 'memories.write',
      description: 'Delete a memory. Only when the user asks for it.',
      input: { memory_id: z.string() },
      annotations: DESTRUCTIVE,
    },
    async (args) => {
      await services.memories.delete(userId, args.memory_id);
      return { success: true };
    },
  );
}
