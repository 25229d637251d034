import { CONVERSATION_SOURCES, isConversationCategory } from './categories.ts';
import type { DeveloperConversation } from './conversations.schema.ts';
import type { Conversation, TranscriptSegment } from './conversations.types.ts';

export interface PresentOptions {
  /** Include `transcript_segments` (omitted entirely otherwise, as upstream). */
  includeTranscript: boolean;
  /** The account's name: the speaker name of the user's own segments. */
  userName: string | null;
  /** Folder id → name, for `folder_name`. */
  folderNames: ReadonlyMap<string, string>;
}

/** upstream: the user's own lines → their name (`User` if unknown); others → `Speaker N`. */
export const speakerName = (segment: TranscriptSegment, userName: string | null): string =>
  segment.isUser ? userName?.trim() || 'User' : `Speaker ${segment.speakerId}`;

/** The one place a conversation becomes its wire shape (DeveloperConversation). */
export function presentConversation(conversation: Conversation, options: PresentOptions): DeveloperConversation {
  const geo = conversation.geolocation;
  return {
    id: conversation.id,
    created_at: conversation.createdAt,
    started_at: conversation.startedAt,
    finished_at: conversation.finishedAt,
    structured: {
      title: conversation.title,
      overview: conversation.overview,
      emoji: conversation.emoji,
      category: isConversationCategory(conversation.category) ? conversation.category : 'other',
      action_items: conversation.actionItems.map((item) => ({
        description: item.description,
        completed: item.completed,
        created_at: item.createdAt,
        updated_at: item.updatedAt,
        due_at: item.dueAt,
        completed_at: item.completedAt,
        conversation_id: item.conversationId,
      })),
      events: conversation.events.map((event) => ({ ...event })),
    },
    language: conversation.language,
    source: (CONVERSATION_SOURCES as readonly string[]).includes(conversation.source) ? conversation.source : 'unknown',
    ...(options.includeTranscript && {
      transcript_segments: conversation.segments.map((segment) => ({
        id: segment.id,
        text: segment.text,
        speaker_id: segment.speakerId,
        speaker_name: speakerName(segment, options.userName),
        start: segment.start,
        end: segment.end,
      })),
    }),
    geolocation: geo && {
      latitude: geo.latitude,
      longitude: geo.longitude,
      address: geo.address,
      google_place_id: geo.googlePlaceId,
      location_type: geo.locationType,
    },
    folder_id: conversation.folderId,
    folder_name: conversation.folderId === null ? null : (options.folderNames.get(conversation.folderId) ?? null),
  };
}

export const presentCreated = (conversation: { id: string; status: string; discarded: boolean }) => ({
  id: conversation.id,
  status: conversation.status,
  discarded: conversation.discarded,
});
