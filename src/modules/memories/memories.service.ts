import { clamp, parseCategoryFilter } from '../../lib/category-filter.ts';
import { notFound, unprocessable } from '../../lib/errors.ts';
import { memoryIdFor } from '../../lib/ids.ts';
import { type Clock, toIso } from '../../lib/time.ts';
import type { MemoryCategorizer } from '../../processing/memory-categorizer.ts';
import type { Repositories, Storage } from '../../storage/storage.ts';
import { MEMORY_CATEGORIES, scoringFor } from './categories.ts';
import { rankedPage, type SearchService } from '../search/search.service.ts';
import type { Memory, MemoryPatch } from './memories.types.ts';

export interface CreateMemoryInput {
  content: string;
  category?: string | null | undefined;
  visibility?: string | undefined;
  tags?: string[] | undefined;
}

export interface UpdateMemoryInput {
  content?: string | null | undefined;
  category?: string | null | undefined;
  visibility?: string | null | undefined;
  tags?: string[] | null | undefined;
}

export const MAX_BATCH_MEMORIES = 25;

export interface ScoredMemory {
  memory: Memory;
  score: number;
}

export class MemoriesService {
  constructor(
    private readonly storage: Storage,
    private readonly categorizer: MemoryCategorizer,
    private readonly clock: Clock,
    private readonly search: SearchService,
  ) {}

  /** Ordered by score and recency, or by relevance to `q` when it is given. */
  async list(
    userId: string,
    query: { limit: number; offset: number; categories?: string | null | undefined; q?: string | null | undefined },
  ): Promise<Memory[]> {
    const categories = parseCategoryFilter(query.categories, MEMORY_CATEGORIES, 'MemoryCategory');
    const page = { limit: clamp(query.limit, 1, 1000), offset: Math.max(0, query.offset) };
    const hits = await this.search.candidates(userId, 'memory', query.q);
    if (!hits) return this.storage.memories.list(userId, { categories, ...page });
    return rankedPage(hits, (ids) => this.storage.memories.list(userId, { categories, ids, limit: ids.length, offset: 0 }), page);
  }

  async create(userId: string, input: CreateMemoryInput): Promise<Memory> {
    const content = input.content.trim();
    if (content === '') throw unprocessable('content cannot be empty');
    const memory = await this.prepare(userId, { ...input, content });
    // Without embeddings there is nothing to enqueue with it: one upsert needs no transaction.
    if (!this.search.hybrid) return this.save(this.storage, memory);
    return this.search.write(userId, (tx) => this.save(tx, memory));
  }

  /** Validates every item and categorises them before the first write; then one transaction. */
  async createBatch(userId: string, inputs: CreateMemoryInput[]): Promise<Memory[]> {
    if (inputs.length > MAX_BATCH_MEMORIES) throw unprocessable(`Maximum ${MAX_BATCH_MEMORIES} memories per batch request`);
    const contents = inputs.map((m) => m.content.trim());
    if (contents.some((c) => c === '')) throw unprocessable('All memories must have non-empty content');
    const prepared = await Promise.all(inputs.map((m, i) => this.prepare(userId, { ...m, content: contents[i]! })));
    return this.search.write(userId, async (tx) => {
      const saved: Memory[] = [];
      for (const memory of prepared) saved.push(await this.save(tx, memory));
      return saved;
    });
  }

  async update(userId: string, id: string, input: UpdateMemoryInput): Promise<Memory> {
    const patch: MemoryPatch = { updatedAt: toIso(this.clock.now()) };
    let provided = false;
    if (input.content !== undefined && input.content !== null) {
      const content = input.content.trim();
      if (content === '') throw unprocessable('content must not be empty');
      patch.content = content;
      patch.edited = true;
      provided = true;
    }
    if (input.visibility !== undefined && input.visibility !== null) {
      if (input.visibility !== 'public' && input.visibility !== 'private') {
        throw unprocessable("visibility must be 'public' or 'private'");
      }
      patch.visibility = input.visibility;
      provided = true;
    }
    if (input.tags !== undefined && input.tags !== null) {
      patch.tags = input.tags;
      provided = true;
    }
    if (input.category !== undefined && input.category !== null) {
      patch.category = input.category;
      provided = true;
    }
    if (!provided) {
      throw unprocessable('At least one field (content, visibility, tags, or category) must be provided');
    }
    return this.search.write(userId, async (tx) => {
      const existing = await tx.memories.get(userId, id);
      if (!existing) throw notFound('Memory not found');
      if (patch.category !== undefined) patch.scoring = scoringFor(existing.manuallyAdded, patch.category, existing.createdAt);
      return (await tx.memories.update(userId, id, patch))!;
    });
  }

  async delete(userId: string, id: string): Promise<void> {
    if (!(await this.storage.memories.delete(userId, id))) throw notFound('Memory not found');
  }

  /** The memories most relevant to `query`, best first, with a relevance score in [0, 1]. */
  async searchRelevant(userId: string, query: string, limit: number): Promise<ScoredMemory[]> {
    // A few more than asked: a hit the list would not show (rejected in review) is skipped.
    const hits = await this.search.rank(userId, 'memory', query, limit + 20);
    if (hits.length === 0) return [];
    const byId = new Map(
      (await this.storage.memories.list(userId, { ids: hits.map((h) => h.id), limit: hits.length, offset: 0 })).map((m) => [m.id, m]),
    );
    return hits
      .flatMap((hit) => {
        const memory = byId.get(hit.id);
        return memory ? [{ memory, score: hit.score }] : [];
      })
      .slice(0, limit);
  }

  private async prepare(userId: string, input: CreateMemoryInput & { content: string }): Promise<Memory> {
    const now = toIso(this.clock.now());
    const category = input.category ?? (await this.categorizer.categorize(input.content));
    return {
      id: memoryIdFor(input.content),
      userId,
      content: input.content,
      category,
      visibility: input.visibility ?? 'private',
      tags: input.tags ?? [],
      createdAt: now,
      updatedAt: now,
      manuallyAdded: true,
      reviewed: true,
      userReview: true,
      edited: false,
      scoring: scoringFor(true, category, now),
      conversationId: null,
    };
  }

  /** Same content, same id: re-creating a memory refreshes it and keeps its original created_at. */
  private async save(repos: Repositories, memory: Memory): Promise<Memory> {
    const existing = await repos.memories.get(memory.userId, memory.id);
    const createdAt = existing?.createdAt ?? memory.createdAt;
    return repos.memories.upsert({
      ...memory,
      createdAt,
      scoring: scoringFor(memory.manuallyAdded, memory.category, createdAt),
    });
  }
}
