import type { DeveloperMemory } from './memories.schema.ts';
import { isMemoryCategory } from './categories.ts';
import type { ScoredMemory } from './memories.service.ts';
import type { Memory } from './memories.types.ts';

/** The one place a memory becomes its wire shape (DeveloperMemory). */
export function presentMemory(memory: Memory): DeveloperMemory {
  return {
    id: memory.id,
    content: memory.content,
    // Upstream coerces what it cannot read: unknown categories to `interesting`, odd visibility to `private`.
    category: isMemoryCategory(memory.category) ? memory.category : 'interesting',
    visibility: memory.visibility === 'public' ? 'public' : 'private',
    tags: memory.tags,
    created_at: memory.createdAt,
    updated_at: memory.updatedAt,
    manually_added: memory.manuallyAdded,
    reviewed: memory.reviewed,
    user_review: memory.userReview,
    edited: memory.edited,
    scoring: memory.scoring,
  };
}

export function presentVectorSearch(results: ScoredMemory[]) {
  return {
    items: results.map(({ memory, score }) => ({
      id: memory.id,
      content: memory.content,
      category: isMemoryCategory(memory.category) ? memory.category : 'interesting',
      relevance_score: score,
      tags: memory.tags,
      created_at: memory.createdAt,
      updated_at: memory.updatedAt,
    })),
    returned_count: results.length,
    archive_default_visible: false,
    policy: {
      consumer: 'developer_api',
      app_has_default_memory_grant: true,
      archive_capability: false,
      raw_provenance_capability: false,
    },
  };
}
