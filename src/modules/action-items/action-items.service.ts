import { clamp } from '../../lib/category-filter.ts';
import { notFound, unprocessable } from '../../lib/errors.ts';
import { autoId } from '../../lib/ids.ts';
import { type Clock, toIso, toStoredDateTime } from '../../lib/time.ts';
import type { Storage } from '../../storage/storage.ts';
import { rankedPage, type SearchService } from '../search/search.service.ts';
import { DEFAULT_LIMIT } from './action-items.schema.ts';
import type { ActionItem, ActionItemFeedPosition, ActionItemPatch } from './action-items.types.ts';

export interface ListActionItemsInput {
  conversation_id?: string | null | undefined;
  completed?: boolean | null | undefined;
  start_date?: string | null | undefined;
  end_date?: string | null | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  q?: string | null | undefined;
}

export interface CreateActionItemInput {
  description: string;
  completed?: boolean | undefined;
  due_at?: string | null | undefined;
}

export interface UpdateActionItemInput {
  description?: string | null | undefined;
  completed?: boolean | null | undefined;
  due_at?: string | null | undefined;
}

export const MAX_BATCH_ACTION_ITEMS = 50;

export class ActionItemsService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly search: SearchService,
    private readonly newId: () => string = autoId,
  ) {}

  /** Upstream's active-first order, or relevance to `q` when it is given. */
  async list(userId: string, query: ListActionItemsInput): Promise<ActionItem[]> {
    const filters = {
      conversationId: query.conversation_id ?? undefined,
      completed: query.completed ?? undefined,
      startDate: query.start_date != null ? toStoredDateTime(query.start_date, 'start_date') : undefined,
      endDate: query.end_date != null ? toStoredDateTime(query.end_date, 'end_date') : undefined,
    };
    const page = { limit: clamp(query.limit ?? DEFAULT_LIMIT, 1, 1000), offset: Math.max(0, query.offset ?? 0) };
    const hits = await this.search.candidates(userId, 'action_item', query.q);
    if (!hits) return this.storage.actionItems.list(userId, { ...filters, ...page });
    return rankedPage(hits, (ids) => this.storage.actionItems.list(userId, { ...filters, ids, limit: ids.length, offset: 0 }), page);
  }

  /**
   * The incremental feed (`updated_since`): items updated at or after `since`, oldest change first
   * in `(updated_at, id)` order, continuing after `after`.
   */
  listUpdatedSince(
    userId: string,
    query: { since: string; after?: ActionItemFeedPosition | undefined; limit: number },
  ): Promise<ActionItem[]> {
    return this.storage.actionItems.listUpdatedSince(userId, { ...query, limit: clamp(query.limit, 1, 1000) });
  }

  async create(userId: string, input: CreateActionItemInput): Promise<ActionItem> {
    const description = input.description.trim();
    if (description === '') throw unprocessable('description cannot be empty');
    const item = this.prepare(userId, { ...input, description });
    // Without embeddings there is nothing to enqueue with it: one insert needs no transaction.
    if (!this.search.hybrid) await this.storage.actionItems.insert(item);
    else await this.search.write(userId, (tx) => tx.actionItems.insert(item));
    return item;
  }

  /**
   * Creates the item unless the user already has an identical one (same description, due date and
   * state), which is returned instead: a retried call never adds a second copy.
   */
  async createOnce(userId: string, input: CreateActionItemInput): Promise<{ item: ActionItem; created: boolean }> {
    const description = input.description.trim();
    if (description === '') throw unprocessable('description cannot be empty');
    const item = this.prepare(userId, { ...input, description });
    return this.search.write(userId, async (tx) => {
      const same = await tx.actionItems.findIdentical(userId, item);
      if (same) return { item: same, created: false };
      await tx.actionItems.insert(item);
      return { item, created: true };
    });
  }

  /** Validates every item before the first write; then all are written in one transaction. */
  async createBatch(userId: string, inputs: CreateActionItemInput[]): Promise<ActionItem[]> {
    if (inputs.length === 0) return [];
    if (inputs.length > MAX_BATCH_ACTION_ITEMS) {
      throw unprocessable(`Maximum ${MAX_BATCH_ACTION_ITEMS} action items per batch request`);
    }
    const descriptions = inputs.map((item) => item.description.trim());
    if (descriptions.some((d) => d === '')) throw unprocessable('All action items must have non-empty descriptions');
    const items = inputs.map((input, i) => this.prepare(userId, { ...input, description: descriptions[i]! }));
    return this.search.write(userId, async (tx) => {
      for (const item of items) await tx.actionItems.insert(item);
      return items;
    });
  }

  /**
   * As upstream: an unknown id is a 404 before the body is looked at. `due_at: null` clears the due
   * date (upstream PR #13029) and counts as a change; an omitted `due_at` leaves it as it is.
   */
  async update(userId: string, id: string, input: UpdateActionItemInput): Promise<ActionItem> {
    return this.search.write(userId, async (tx) => {
      if (!(await tx.actionItems.get(userId, id))) throw notFound('Action item not found');
      const now = toIso(this.clock.now());
      const patch: ActionItemPatch = { updatedAt: now };
      let provided = false;
      if (input.description != null) {
        const description = input.description.trim();
        if (description === '') throw unprocessable('description cannot be empty');
        patch.description = description;
        provided = true;
      }
      if (input.completed != null) {
        patch.completed = input.completed;
        patch.completedAt = input.completed ? now : null;
        provided = true;
      }
      if (input.due_at !== undefined) {
        patch.dueAt = input.due_at === null ? null : toStoredDateTime(input.due_at, 'due_at');
        provided = true;
      }
      if (!provided) throw unprocessable('At least one field must be provided');
      const updated = await tx.actionItems.update(userId, id, patch);
      if (!updated) throw notFound('Action item not found');
      return updated;
    });
  }

  async delete(userId: string, id: string): Promise<void> {
    if (!(await this.storage.actionItems.delete(userId, id))) throw notFound('Action item not found');
  }

  private prepare(userId: string, input: CreateActionItemInput): ActionItem {
    const now = toIso(this.clock.now());
    const completed = input.completed ?? false;
    return {
      id: this.newId(),
      userId,
      description: input.description,
      completed,
      createdAt: now,
      updatedAt: now,
      dueAt: input.due_at != null ? toStoredDateTime(input.due_at, 'due_at') : null,
      completedAt: completed ? now : null,
      conversationId: null,
    };
  }
}
