import { badRequest } from '../../lib/errors.ts';
import { parseDateTime } from '../../lib/time.ts';
import { endOfDay, oneOf, pageSize, parseDay, searchable, startOfDay } from '../../mcp/tools/arguments.ts';
import { truncateTranscript } from '../../mcp/tools/conversations.tools.ts';
import { MEMORY_SORTS, memoriesPage } from '../../mcp/tools/memory-pages.ts';
import { pageOf, startPage } from '../../mcp/tools/results.ts';
import type { Services } from '../../services.ts';
import type { Storage } from '../../storage/storage.ts';
import { presentConversation } from '../conversations/conversations.presenter.ts';
import type { DeveloperConversation } from '../conversations/conversations.schema.ts';
import type { Conversation } from '../conversations/conversations.types.ts';
import type { Memory } from '../memories/memories.types.ts';
import type { ListMcpConversationsQuery, ListMcpMemoriesQuery } from './mcp-rest.schema.ts';
import { asRest } from './rest-errors.ts';

/** One page of a REST list: its rows, the opaque cursor of the next page, and whether a scan hit its cap. */
export interface RestPage<T> {
  rows: T[];
  nextCursor?: string | undefined;
  scanTruncated?: boolean;
}

/** How many memories a sorted or filtered REST list reads at most (upstream's `max_scan`). */
const MEMORY_MAX_SCAN = 5000;
/** The conversation service's page ceiling: longer REST pages are read in steps of it. */
const CONVERSATION_STEP = 100;
/** Upstream's bounds on the transcript of GET /v1/mcp/conversations/{id}. */
const MAX_SEGMENTS = 4096;
const MAX_CHARS = 500_000;

const clampInt = (value: number | undefined, fallback: number, min: number, max: number) =>
  Math.min(max, Math.max(min, value ?? fallback));

/**
 * `updated_since` as upstream reads it: a strict ISO 8601 timestamp with an offset (a naive one is
 * refused); the stored UTC form.
 */
export function parseUpdatedSince(value: string): string {
  const iso = /(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim()) ? parseDateTime(value) : undefined;
  if (iso === undefined) {
    throw badRequest(`Invalid updated_since format: '${value}'. Expected an ISO 8601 timestamp with a UTC offset.`);
  }
  return iso;
}

/** The permanent 400 of a list that keeps no revision order to feed `updated_since` from. */
function incrementalSyncUnsupported(updatedSince: string | undefined, resource: string, alternative: string): void {
  if (updatedSince === undefined) return;
  parseUpdatedSince(updatedSince);
  throw badRequest(
    `incremental_sync_unsupported: ${resource} do not persist a queryable updated_at revision field, so ` +
      `updated_since cannot be served truthfully. Supported alternative: ${alternative}.`,
  );
}

/** Upstream refuses ids that could not name a document. */
const isSafeId = (id: string) => id !== '' && id !== '.' && id !== '..' && !id.includes('/') && id.length <= 1500 && !/^__.*__$/.test(id);

/**
 * The MCP REST routes' memories, conversations and profile (omi-behaviour.md §14.4), over the
 * same services and page cores as the MCP tools; argument errors are 400s.
 */
export class McpRestService {
  constructor(
    private readonly services: Services,
    private readonly storage: Storage,
  ) {}

  listMemories(userId: string, q: ListMcpMemoriesQuery): Promise<RestPage<Memory>> {
    return asRest('bad_request', async () => {
      incrementalSyncUnsupported(
        q.updated_since,
        'memories',
        'page this endpoint without updated_since using sort, offset/limit, or the X-Next-Cursor cursor',
      );
      const limit = clampInt(q.limit, 25, 1, 500);
      const { offset, filters } = startPage(
        'rest_get_memories',
        { cursor: q.cursor, offset: q.offset ? clampInt(q.offset, 0, 0, 100_000) : undefined },
        { categories: q.categories, sort: q.sort, reviewed: q.reviewed, manually_added: q.manually_added, updated_after: q.updated_after },
      );
      const sort = filters.sort ?? 'created_desc';
      if (!(MEMORY_SORTS as readonly string[]).includes(sort)) {
        throw badRequest(`Invalid sort. Expected one of: ${MEMORY_SORTS.join(', ')}.`);
      }
      let updatedAfter: string | undefined;
      if (filters.updated_after) {
        updatedAfter = parseDateTime(filters.updated_after);
        if (!updatedAfter) throw badRequest(`Invalid updated_after format: '${filters.updated_after}'. Expected ISO 8601.`);
      }
      const { rows, scan } = await memoriesPage(this.services.memories, userId, {
        sort: oneOf(sort, MEMORY_SORTS, 'sort'),
        categories: filters.categories,
        reviewed: filters.reviewed,
        manuallyAdded: filters.manually_added,
        updatedAfter,
        offset,
        limit,
        maxScan: MEMORY_MAX_SCAN,
      });
      const page = pageOf('rest_get_memories', rows, { offset, limit, filters });
      return { rows: page.rows, nextCursor: page.next_cursor, scanTruncated: scan?.truncated ?? false };
    });
  }

  searchMemories(userId: string, query: string, limit: number | undefined) {
    return asRest('bad_request', async () => {
      if (!searchable(query)) return [];
      return this.services.memories.searchRelevant(userId, query, pageSize(limit, 10, 50));
    });
  }

  /**
   * As upstream: the category is always detected from the content, whatever the caller sent. A
   * visibility other than `public` is stored as `private` (what it would read back as anyway).
   */
  createMemory(userId: string, body: { content: string; visibility?: string | undefined; tags?: string[] | undefined }) {
    const visibility = body.visibility === 'public' ? 'public' : 'private';
    return this.services.memories.create(userId, { content: body.content, visibility, tags: body.tags });
  }

  editMemory(userId: string, memoryId: string, value: string): Promise<void> {
    return asRest('bad_request', async () => {
      await this.services.memories.update(userId, memoryId, { content: value });
    });
  }

  deleteMemory(userId: string, memoryId: string): Promise<void> {
    return this.services.memories.delete(userId, memoryId);
  }

  /** The account's contact fields; this server generates no AI profile, so those fields are null. */
  async profile(userId: string) {
    const user = await this.storage.users.findById(userId);
    return {
      name: user?.name || null,
      email: user?.email || null,
      phone_number: null,
      profile_text: null,
      generated_at: null,
      data_sources_used: null,
    };
  }

  listConversations(userId: string, q: ListMcpConversationsQuery): Promise<RestPage<DeveloperConversation>> {
    return asRest('bad_request', async () => {
      incrementalSyncUnsupported(
        q.updated_since,
        'conversations',
        'page this endpoint with the opaque X-Next-Cursor cursor (created_at DESC, id keyset)',
      );
      const limit = clampInt(q.limit, 100, 1, 1000);
      const { offset, filters } = startPage(
        'rest_get_conversations',
        { cursor: q.cursor, offset: q.offset ? clampInt(q.offset, 0, 0, 100_000) : undefined },
        { start_date: q.start_date, end_date: q.end_date, categories: q.categories },
      );
      const rows: Conversation[] = [];
      // One more than the page tells whether there is a next one.
      while (rows.length < limit + 1) {
        const step = Math.min(CONVERSATION_STEP, limit + 1 - rows.length);
        const got = await this.services.conversations.list(userId, {
          ...filters,
          limit: step,
          offset: offset + rows.length,
          include_transcript: false,
        });
        rows.push(...got);
        if (got.length < step) break;
      }
      const page = pageOf('rest_get_conversations', rows, { offset, limit, filters });
      return { rows: await this.present(userId, page.rows, false), nextCursor: page.next_cursor };
    });
  }

  searchConversations(userId: string, q: { query: string; limit?: number | undefined; start_date?: string | undefined; end_date?: string | undefined }) {
    return asRest('bad_request', async () => {
      const start = parseDay(q.start_date || undefined, 'start_date');
      const end = parseDay(q.end_date || undefined, 'end_date');
      if (!searchable(q.query)) return [];
      const rows = await this.services.conversations.list(userId, {
        q: q.query,
        start_date: start && startOfDay(start),
        end_date: end && endOfDay(end),
        limit: pageSize(q.limit, 10, 50),
        offset: 0,
        include_transcript: false,
      });
      return this.present(userId, rows, false);
    });
  }

  async getConversation(userId: string, conversationId: string) {
    if (!isSafeId(conversationId)) throw badRequest('conversation_id is not a valid document id');
    const conversation = await this.services.conversations.get(userId, conversationId, true);
    const [presented] = await this.present(userId, [conversation], true);
    return truncateTranscript(presented!, MAX_SEGMENTS, MAX_CHARS);
  }

  /** As the Developer API presents them: folder names, and the account's name on the user's own segments. */
  private async present(userId: string, conversations: Conversation[], includeTranscript: boolean) {
    const folderNames = await this.services.folders.names(userId);
    const first = conversations[0];
    const userName = includeTranscript && first ? (await this.services.conversations.processingInput(first)).userName : null;
    return conversations.map((c) => presentConversation(c, { includeTranscript, userName, folderNames }));
  }
}
