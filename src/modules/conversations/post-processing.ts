import type { JobQueue } from '../../jobs/job-queue.ts';
import type { JobHandler } from '../../jobs/job-runner.ts';
import { derivedAutoId, memoryIdFor } from '../../lib/ids.ts';
import { type Clock, toIso } from '../../lib/time.ts';
import { MAX_MEMORIES_PER_CONVERSATION, type ConversationProcessor, type ProcessingInput } from '../../processing/processor.ts';
import type { Repositories, Storage } from '../../storage/storage.ts';
import type { ActionItem } from '../action-items/action-items.types.ts';
import { scoringFor } from '../memories/categories.ts';
import type { FoldersService } from '../folders/folders.service.ts';
import { parseKeywordQuery } from '../search/query-terms.ts';
import type { SearchService } from '../search/search.service.ts';
import { isDuplicateTask, normalizeFact } from './dedupe.ts';
import type { Conversation } from './conversations.types.ts';

/**
 * What runs after a conversation is stored (omi-behaviour.md §13, steps 3–5 and the day's
 * digest), each as its own durable job so one failing step is retried without redoing the rest.
 */
export const JOB_KINDS = {
  actionItems: 'conversation.action-items',
  memories: 'conversation.memories',
  folder: 'conversation.folder',
  dailySummary: 'daily-summary',
} as const;

/** Extraction skips a task already open from the last two days (upstream's window). */
export const ACTION_ITEM_DEDUPE_WINDOW_MS = 2 * 24 * 3600_000;

/** The UTC day a conversation belongs to in daily summaries. */
export const dayOf = (conversation: Pick<Conversation, 'startedAt' | 'createdAt'>): string =>
  (conversation.startedAt ?? conversation.createdAt).slice(0, 10);

/**
 * A day's summary is regenerated this long after the first change that asks for it; changes in
 * the meantime join the waiting job (its dedupe key), so a burst of conversations costs one
 * regeneration (one LLM call) instead of one each.
 */
export const DAILY_SUMMARY_DELAY_MS = 60_000;

export async function enqueuePostProcessing(
  queue: JobQueue,
  tx: Repositories,
  conversation: Conversation,
  dailySummaryDelayMs: number,
): Promise<void> {
  const { userId, id } = conversation;
  for (const kind of [JOB_KINDS.actionItems, JOB_KINDS.memories, JOB_KINDS.folder]) {
    await queue.enqueue(tx, { userId, kind, payload: { conversationId: id }, dedupeKey: `${kind}:${userId}:${id}` });
  }
  await enqueueDailySummary(queue, tx, conversation, dailySummaryDelayMs);
}

/** Queues a fresh digest of the conversation's day (coalesced with one already waiting). */
export async function enqueueDailySummary(
  queue: JobQueue,
  tx: Repositories,
  conversation: Pick<Conversation, 'userId' | 'startedAt' | 'createdAt'>,
  delayMs: number,
): Promise<void> {
  const date = dayOf(conversation);
  await queue.enqueue(tx, {
    delayMs,
    userId: conversation.userId,
    kind: JOB_KINDS.dailySummary,
    payload: { date },
    dedupeKey: `${JOB_KINDS.dailySummary}:${conversation.userId}:${date}`,
  });
}

export interface PostProcessingDeps {
  storage: Storage;
  processor: ConversationProcessor;
  folders: FoldersService;
  clock: Clock;
  /** Extracted memories are embedded for search, like typed ones. */
  search: Pick<SearchService, 'changed' | 'rank'>;
  processingInput(conversation: Conversation): Promise<ProcessingInput>;
}

const noop = async () => {};

/**
 * How much of the user's memory an extraction looks at: the top of their list (most important,
 * then newest) and the memories whose words match this conversation. Reading all of them made
 * one extraction cost ~1 s for a user with 100,000 memories, blocking the server meanwhile; this
 * costs the same at any size, and a user with fewer than EXISTING_TOP memories sees them all.
 */
export const EXISTING_TOP = 500;
export const EXISTING_RELATED = 100;
/** Each extracted fact is checked against the stored memories holding all its words, so an equal fact anywhere in the history is found. */
const DUPLICATE_CANDIDATES = 20;

async function memoriesById(storage: Storage, userId: string, ids: string[]) {
  return ids.length === 0 ? [] : storage.memories.list(userId, { ids, limit: ids.length, offset: 0 });
}

async function existingMemories(deps: PostProcessingDeps, conversation: Conversation): Promise<string[]> {
  const { userId } = conversation;
  const top = await deps.storage.memories.list(userId, { limit: EXISTING_TOP, offset: 0 });
  if (top.length < EXISTING_TOP) return top.map((m) => m.content);
  const shown = new Set(top.map((m) => m.id));
  // By title: an overview's twenty words match much of a large history, and ranking all of it costs ~20 ms.
  const hits = await deps.search.rank(userId, 'memory', conversation.title, EXISTING_RELATED);
  const related = await memoriesById(deps.storage, userId, hits.map((h) => h.id).filter((id) => !shown.has(id)));
  return [...top, ...related].map((m) => m.content);
}

/** The normalised forms of stored memories that contain every word of one of `facts` (by the keyword index). */
async function storedNear(deps: PostProcessingDeps, userId: string, facts: string[]): Promise<Set<string>> {
  const near = new Set<string>();
  for (const fact of facts) {
    const query = { ...parseKeywordQuery(fact), prefix: false, every: true };
    if (query.terms.length === 0) continue;
    const hits = await deps.storage.search.keyword(userId, 'memory', query, DUPLICATE_CANDIDATES);
    for (const memory of await memoriesById(deps.storage, userId, hits.map((h) => h.id))) near.add(normalizeFact(memory.content));
  }
  return near;
}

/** The handlers for the three per-conversation jobs. */
export function postProcessingHandlers(deps: PostProcessingDeps): Record<string, JobHandler> {
  const load = async (userId: string, payload: Record<string, unknown>, withTranscript = false) => {
    const conversation = await deps.storage.conversations.get(userId, String(payload.conversationId), { withTranscript });
    // Deleted, discarded or (re)claimed since it was queued: nothing to do.
    return conversation && conversation.status === 'completed' && !conversation.discarded ? conversation : undefined;
  };

  return {
    [JOB_KINDS.actionItems]: {
      async run(job) {
        const conversation = await load(job.userId, job.payload);
        if (!conversation) return noop;
        return async (tx) => {
          const now = toIso(deps.clock.now());
          const since = toIso(new Date(deps.clock.now().getTime() - ACTION_ITEM_DEDUPE_WINDOW_MS));
          const open = (await tx.actionItems.listOpenSince(conversation.userId, since)).map((i) => i.description);
          for (const [index, extracted] of conversation.actionItems.entries()) {
            if (open.some((existing) => isDuplicateTask(existing, extracted.description))) continue;
            const item: ActionItem = {
              // The shape of a created item's id, derived from the conversation, so running twice
              // could never add a second copy.
              id: derivedAutoId('action-item', conversation.userId, conversation.id, String(index)),
              userId: conversation.userId,
              description: extracted.description,
              completed: false,
              createdAt: now,
              updatedAt: now,
              dueAt: extracted.dueAt,
              completedAt: null,
              conversationId: conversation.id,
            };
            if (await tx.actionItems.get(item.userId, item.id)) continue;
            await tx.actionItems.insert(item);
            open.push(item.description);
          }
        };
      },
    },

    [JOB_KINDS.memories]: {
      async run(job) {
        const conversation = await load(job.userId, job.payload, true);
        if (!conversation) return noop;
        const existing = await existingMemories(deps, conversation);
        const extracted = (await deps.processor.extractMemories(await deps.processingInput(conversation), { existing })).slice(
          0,
          MAX_MEMORIES_PER_CONVERSATION,
        );
        const near = await storedNear(deps, conversation.userId, extracted.map((m) => m.content.trim()));
        return async (tx) => {
          const known = new Set([...existing.map(normalizeFact), ...near]);
          const now = toIso(deps.clock.now());
          for (const memory of extracted) {
            const content = memory.content.trim();
            if (content === '' || known.has(normalizeFact(content))) continue;
            const id = memoryIdFor(content);
            if (await tx.memories.get(conversation.userId, id)) continue;
            known.add(normalizeFact(content));
            await tx.memories.upsert({
              id,
              userId: conversation.userId,
              content,
              category: memory.category,
              visibility: 'private',
              tags: [],
              createdAt: now,
              updatedAt: now,
              // Extracted, not typed by the user, and not yet reviewed by them (upstream's flags).
              manuallyAdded: false,
              reviewed: false,
              userReview: null,
              edited: false,
              scoring: scoringFor(false, memory.category, now),
              conversationId: conversation.id,
            });
          }
          await deps.search.changed(tx, conversation.userId);
        };
      },
    },

    [JOB_KINDS.folder]: {
      async run(job) {
        const conversation = await load(job.userId, job.payload);
        if (!conversation) return noop;
        return async (tx) => {
          const folderId = await deps.folders.ensureSystemFolders(tx, conversation.userId, conversation.category);
          await tx.conversations.assignFolder(conversation.userId, conversation.id, folderId, toIso(deps.clock.now()));
        };
      },
    },
  };
}
