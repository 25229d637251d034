import type { ActionItem } from '../action-items/action-items.types.ts';
import type { DeveloperConversation } from '../conversations/conversations.schema.ts';
import { isMemoryCategory } from '../memories/categories.ts';
import type { Memory } from '../memories/memories.types.ts';
import type { McpActionItem, McpConversation, McpFullConversation, McpMemory } from './mcp-rest.schema.ts';

/** Upstream's CleanerMemory: the list item of GET /v1/mcp/memories. */
export const presentMcpMemory = (memory: Memory): McpMemory => ({
  id: memory.id,
  content: memory.content,
  category: isMemoryCategory(memory.category) ? memory.category : 'interesting',
  reviewed: memory.reviewed,
  manually_added: memory.manuallyAdded,
});

/** Upstream's `Memory` model, what a REST create answers: no id, `headline` unset. */
export const presentCreatedMemory = (memory: Memory) => ({
  content: memory.content,
  category: isMemoryCategory(memory.category) ? memory.category : 'interesting',
  visibility: memory.visibility === 'public' ? 'public' : 'private',
  tags: memory.tags,
  headline: null,
});

/** Upstream's SimpleConversation card, from the Developer API's presentation of a conversation. */
export const presentMcpConversation = (conversation: DeveloperConversation): McpConversation => ({
  id: conversation.id,
  started_at: conversation.started_at ?? null,
  finished_at: conversation.finished_at ?? null,
  structured: {
    title: conversation.structured.title,
    overview: conversation.structured.overview,
    category: conversation.structured.category ?? 'other',
  },
  language: conversation.language ?? null,
  // No summarisation apps run on this server, and snippets come only with a transcript match.
  apps_results: [],
  match_snippets: [],
});

/** The card plus the (already bounded) transcript of GET /v1/mcp/conversations/{id}. */
export const presentMcpFullConversation = (
  conversation: DeveloperConversation & { truncated: boolean },
): McpFullConversation => ({
  ...presentMcpConversation(conversation),
  transcript_segments: (conversation.transcript_segments ?? []).map((s) => ({
    id: s.id ?? null,
    text: s.text,
    speaker_id: s.speaker_id ?? null,
    speaker_name: s.speaker_name ?? null,
    start: s.start,
    end: s.end,
  })),
  truncated: conversation.truncated,
});

/** Upstream's SimpleActionItem, with `updated_at` (the incremental feed's watermark) always set. */
export const presentMcpActionItem = (item: ActionItem): McpActionItem => ({
  id: item.id,
  description: item.description,
  completed: item.completed,
  created_at: item.createdAt,
  due_at: item.dueAt,
  completed_at: item.completedAt,
  conversation_id: item.conversationId,
  updated_at: item.updatedAt,
});
