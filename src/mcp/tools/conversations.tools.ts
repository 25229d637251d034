import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { CONVERSATION_CATEGORIES } from '../../modules/conversations/categories.ts';
import { presentConversation } from '../../modules/conversations/conversations.presenter.ts';
import type { DeveloperConversation } from '../../modules/conversations/conversations.schema.ts';
import type { Conversation } from '../../modules/conversations/conversations.types.ts';
import { endOfDay, oneOf, pageSize, parseDay, searchable, startOfDay } from './arguments.ts';
import { invalidArguments, pageOf, startPage } from './results.ts';
import { addTool, READ_ONLY, type ToolContext } from './tool-context.ts';

/** The REST list's own ceiling on page size. */
const MAX_PAGE = 100;
const MAX_IDS = 20;

const transcriptLimits = {
  max_segments: z.number().int().optional().describe('Transcript segments returned, 1-500 (default 120)'),
  max_chars: z.number().int().optional().describe('Transcript characters returned, 1-100000 (default 24000)'),
};

const dateRange = {
  start_date: z.string().optional().describe('YYYY-MM-DD (UTC), inclusive'),
  end_date: z.string().optional().describe('YYYY-MM-DD (UTC), inclusive: the whole day'),
};

/** The first `maxSegments` segments holding at most `maxChars` characters of text (the last one cut to fit). */
export function truncateTranscript(
  conversation: DeveloperConversation,
  maxSegments: number,
  maxChars: number,
): DeveloperConversation & { truncated: boolean } {
  const segments = conversation.transcript_segments ?? [];
  const kept: typeof segments = [];
  let chars = 0;
  let truncated = false;
  for (const segment of segments) {
    if (kept.length >= maxSegments || chars >= maxChars) {
      truncated = true;
      break;
    }
    const room = maxChars - chars;
    if (segment.text.length > room) {
      kept.push({ ...segment, text: segment.text.slice(0, room) });
      truncated = true;
      break;
    }
    kept.push(segment);
    chars += segment.text.length;
  }
  return { ...conversation, transcript_segments: kept, truncated };
}

export function registerConversationTools(ctx: ToolContext): void {
  const { services, userId } = ctx;

  /** Presents as the REST API does: folder names, and the account's name for the user's own segments. */
  const present = async (conversations: Conversation[], includeTranscript: boolean) => {
    const folderNames = await services.folders.names(userId);
    const first = conversations[0];
    const userName = includeTranscript && first ? (await services.conversations.processingInput(first)).userName : null;
    return conversations.map((c) => presentConversation(c, { includeTranscript, userName, folderNames }));
  };

  const dates = (filters: { start_date?: string | undefined; end_date?: string | undefined }) => {
    const start = parseDay(filters.start_date, 'start_date');
    const end = parseDay(filters.end_date, 'end_date');
    if (start && end && end < start) throw invalidArguments('end_date must not be before start_date');
    return { start_date: start && startOfDay(start), end_date: end && endOfDay(end) };
  };

  const transcriptOptions = (args: { max_segments?: number | undefined; max_chars?: number | undefined }) => ({
    maxSegments: pageSize(args.max_segments, 120, 500),
    maxChars: pageSize(args.max_chars, 24_000, 100_000),
  });

  addTool(
    ctx,
    {
      name: 'get_conversations',
      scope: 'conversations.read',
      description:
        "List the user's conversations (summaries, no transcripts), newest first. Paginate with next_cursor; " +
        'use get_conversation_by_id for a transcript.',
      input: {
        ...dateRange,
        categories: z.array(z.string()).optional().describe(`Only these categories: ${CONVERSATION_CATEGORIES.join(', ')}`),
        limit: z.number().int().optional().describe('Page size, 1-100 (default 20)'),
        offset: z.number().int().optional().describe('Conversations to skip (not with cursor)'),
        cursor: z.string().optional().describe('next_cursor of the previous page (not with offset)'),
        include_activity: z.boolean().optional().describe('Accepted for compatibility; no effect'),
      },
      annotations: READ_ONLY,
    },
    async (args) => {
      const { offset, filters } = startPage('get_conversations', args, {
        start_date: args.start_date,
        end_date: args.end_date,
        categories: args.categories,
      });
      const limit = pageSize(args.limit, 20, MAX_PAGE);
      for (const c of filters.categories ?? []) oneOf(c, CONVERSATION_CATEGORIES, 'category');
      const rows = await services.conversations.list(userId, {
        ...dates(filters),
        categories: filters.categories?.length ? filters.categories.join(',') : undefined,
        limit: Math.min(limit + 1, MAX_PAGE),
        offset,
        include_transcript: false,
      });
      // At the ceiling one more row cannot be asked for: a full page may have more after it.
      const hasMore = rows.length > limit || (limit === MAX_PAGE && rows.length === MAX_PAGE);
      const { rows: page, ...more } = pageOf('get_conversations', rows, { offset, limit, filters }, hasMore);
      const conversations = await present(page, false);
      return { conversations, returned_count: conversations.length, ...more, offset, limit };
    },
  );

  addTool(
    ctx,
    {
      name: 'search_conversations',
      scope: 'conversations.read',
      description: "Find the user's conversations about a topic, most relevant first (summaries, no transcripts).",
      input: {
        query: z.string().describe('What to look for'),
        ...dateRange,
        limit: z.number().int().optional().describe('1-50 (default 10)'),
      },
      annotations: READ_ONLY,
    },
    async (args) => {
      const range = dates(args);
      if (!searchable(args.query)) return { conversations: [], returned_count: 0 };
      const rows = await services.conversations.list(userId, {
        ...range,
        q: args.query,
        limit: pageSize(args.limit, 10, 50),
        offset: 0,
        include_transcript: false,
      });
      const conversations = await present(rows, false);
      return { conversations, returned_count: conversations.length };
    },
  );

  addTool(
    ctx,
    {
      name: 'get_conversation_by_id',
      scope: 'conversations.read',
      description:
        'One conversation with its summary and transcript (speaker names included). Long transcripts are cut to ' +
        'max_segments / max_chars and marked truncated.',
      input: { conversation_id: z.string(), ...transcriptLimits },
      annotations: READ_ONLY,
    },
    async (args) => {
      const { maxSegments, maxChars } = transcriptOptions(args);
      const conversation = await services.conversations.get(userId, args.conversation_id, true);
      const [presented] = await present([conversation], true);
      return truncateTranscript(presented!, maxSegments, maxChars);
    },
  );

  addTool(
    ctx,
    {
      name: 'get_conversations_by_ids',
      scope: 'conversations.read',
      description: `Up to ${MAX_IDS} conversations with transcripts; ids that do not exist are listed in not_found. Limits apply per conversation.`,
      input: { conversation_ids: z.array(z.string()).describe(`1-${MAX_IDS} conversation ids`), ...transcriptLimits },
      annotations: READ_ONLY,
    },
    async (args) => {
      const ids = [...new Set(args.conversation_ids)];
      if (ids.length === 0) throw invalidArguments('conversation_ids must not be empty');
      if (ids.length > MAX_IDS) throw invalidArguments(`At most ${MAX_IDS} conversation_ids per call`);
      const { maxSegments, maxChars } = transcriptOptions(args);
      const found: Conversation[] = [];
      const notFound: string[] = [];
      for (const id of ids) {
        try {
          found.push(await services.conversations.get(userId, id, true));
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'not_found')) throw error;
          notFound.push(id);
        }
      }
      const conversations = (await present(found, true)).map((c) => truncateTranscript(c, maxSegments, maxChars));
      return { conversations, not_found: notFound, truncated: conversations.some((c) => c.truncated) };
    },
  );
}
