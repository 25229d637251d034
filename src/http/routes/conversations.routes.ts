import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { presentConversation, presentCreated } from '../../modules/conversations/conversations.presenter.ts';
import {
  ConversationCreateResponse,
  ConversationIdParams,
  CreateConversationFromTranscriptRequest,
  CreateConversationRequest,
  DeveloperConversation,
  GetConversationQuery,
  ListConversationsQuery,
  UpdateConversationRequest,
} from '../../modules/conversations/conversations.schema.ts';
import type { Conversation } from '../../modules/conversations/conversations.types.ts';
import { chargePolicy, requireKey } from '../auth.ts';
import { DeveloperSuccessResponse } from '../schema.ts';
import { clientSessionId } from './client-session-id.ts';

const read = { auth: 'developer-key', scope: 'conversations:read', policy: 'dev:conversations_read' } as const;
const detail = { auth: 'developer-key', scope: 'conversations:read', policy: 'dev:conversation_detail_read' } as const;
const write = { auth: 'developer-key', scope: 'conversations:write', policy: 'dev:conversations' } as const;
const tags = ['Conversations'];

export const conversationsRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { services, storage, rateLimiter }) => {
  /** Presents with the account's name (speaker names) and the user's folders (folder_name). */
  const present = async (userId: string, conversations: Conversation[], includeTranscript: boolean) => {
    const [folderNames, user] = await Promise.all([
      services.folders.names(userId),
      includeTranscript ? storage.users.findById(userId) : undefined,
    ]);
    const options = { includeTranscript, userName: user?.name ?? null, folderNames };
    return conversations.map((c) => presentConversation(c, options));
  };

  app.get('/v1/dev/user/conversations', {
    config: read,
    schema: {
      operationId: 'listConversations',
      summary: 'Get Conversations',
      description:
        'Get conversations with optional transcript inclusion. Newest first; only completed, non-discarded ' +
        'conversations. `limit` is clamped to 1..100 (1..25 with `include_transcript=true`, which also counts ' +
        'against the transcript-read rate limit).\n\n' +
        '- **include_transcript**: If True, includes full transcript_segments in the response\n' +
        '- **folder_id**: Filter by folder ID (must be a non-empty string if provided)\n' +
        '- **starred**: Filter by starred status (true/false)\n' +
        '- **categories**: comma-separated CategoryEnum values; **start_date** / **end_date** bound `created_at` (inclusive)',
      tags,
      querystring: ListConversationsQuery,
      response: { 200: Type.Array(DeveloperConversation, { title: 'Response Listconversations' }) },
    },
    handler: async (request) => {
      const { userId } = requireKey(request);
      if (request.query.include_transcript) await chargePolicy(request, rateLimiter, 'dev:conversation_transcript_read');
      const conversations = await services.conversations.list(userId, request.query);
      return present(userId, conversations, request.query.include_transcript);
    },
  });

  app.get('/v1/dev/user/conversations/:conversation_id', {
    config: detail,
    schema: {
      operationId: 'getConversation',
      summary: 'Get Conversation Endpoint',
      description:
        'Get a single conversation by ID, including discarded or still-processing ones.\n\n' +
        '- **include_transcript**: If True, includes full transcript_segments in the response (conversations ' +
        'created from text have none: their text is kept but not returned as segments, as upstream)',
      tags,
      params: ConversationIdParams,
      querystring: GetConversationQuery,
      response: { 200: DeveloperConversation },
    },
    handler: async (request) => {
      const { userId } = requireKey(request);
      const { include_transcript: includeTranscript } = request.query;
      if (includeTranscript) await chargePolicy(request, rateLimiter, 'dev:conversation_transcript_read');
      const conversation = await services.conversations.get(userId, request.params.conversation_id, includeTranscript);
      return (await present(userId, [conversation], includeTranscript))[0];
    },
  });

  app.post('/v1/dev/user/conversations', {
    config: write,
    schema: {
      operationId: 'createConversation',
      summary: 'Create Conversation',
      description:
        'Create a new conversation from text. The structured summary (title, overview, emoji, category, ' +
        'action items, events) is produced before the response; action items, memories, the folder and the ' +
        "day's summary follow in background jobs — use the GET endpoints to see them.\n\n" +
        '- **text**: 1-100,000 characters (trimmed)\n' +
        '- **text_source**: audio_transcript, message, or other_text (default: other_text)\n' +
        '- **started_at**: defaults to now; **finished_at**: defaults to started_at + 5 minutes, must not be before it\n' +
        '- **language**: default `en`; **geolocation**: optional coordinates',
      tags,
      body: CreateConversationRequest,
      response: { 200: ConversationCreateResponse },
    },
    handler: async (request) =>
      presentCreated(await services.conversations.createFromText(requireKey(request).userId, request.body)),
  });

  app.post('/v1/dev/user/conversations/from-segments', {
    config: write,
    schema: {
      operationId: 'createConversationFromSegments',
      summary: 'Create Conversation From Segments',
      description:
        'Create a new conversation from transcript segments (1-500), processed like text conversations.\n\n' +
        "- Segment **speaker** defaults to 'SPEAKER_00'; **speaker_id** is derived from it ('SPEAKER_01' → 1) " +
        'when not given; **start** ≥ 0 and **end** > start (seconds)\n' +
        '- **source** defaults to `phone`; **finished_at** defaults to started_at + the last segment’s end\n' +
        '- **client_session_id** makes retries idempotent: the conversation id is derived from it, a retry ' +
        'returns the same conversation, and a retry while the first is still processing gets 409',
      tags,
      body: CreateConversationFromTranscriptRequest,
      response: { 200: ConversationCreateResponse },
    },
    handler: async (request) =>
      presentCreated(
        await services.conversations.createFromSegments(requireKey(request).userId, {
          ...request.body,
          clientSessionId: clientSessionId(request.body),
        }),
      ),
  });

  app.patch('/v1/dev/user/conversations/:conversation_id', {
    config: write,
    schema: {
      operationId: 'updateConversation',
      summary: 'Update Conversation Endpoint',
      description:
        "Update a conversation's title (1-500 characters) or discard status (`discarded: true` hides it " +
        'from lists, `false` restores it). At least one of the two is required.',
      tags,
      params: ConversationIdParams,
      body: UpdateConversationRequest,
      response: { 200: DeveloperConversation },
    },
    handler: async (request) => {
      const { userId } = requireKey(request);
      const updated = await services.conversations.update(userId, request.params.conversation_id, request.body);
      return (await present(userId, [updated], false))[0];
    },
  });

  app.delete('/v1/dev/user/conversations/:conversation_id', {
    config: write,
    schema: {
      operationId: 'deleteConversation',
      summary: 'Delete Conversation Endpoint',
      description:
        'Delete a conversation permanently. Action items and memories extracted from it are kept. ' +
        '(`PATCH` with `discarded: true` hides it instead.)',
      tags,
      params: ConversationIdParams,
      response: { 200: DeveloperSuccessResponse },
    },
    handler: async (request) => {
      await services.conversations.delete(requireKey(request).userId, request.params.conversation_id);
      return { success: true };
    },
  });
};
