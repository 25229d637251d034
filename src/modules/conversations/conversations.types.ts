import type { ConversationCategory, ConversationStatus, TextSource } from './categories.ts';

/** A transcript segment as stored; `speaker_name` is computed on read, never stored. */
export interface TranscriptSegment {
  id: string;
  text: string;
  speaker: string;
  speakerId: number;
  isUser: boolean;
  personId: string | null;
  start: number;
  end: number;
}

export interface ConversationActionItem {
  description: string;
  completed: boolean;
  createdAt: string | null;
  updatedAt: string | null;
  dueAt: string | null;
  completedAt: string | null;
  conversationId: string | null;
}

export interface ConversationEvent {
  title: string;
  description: string;
  start: string;
  duration: number;
  created: boolean;
}

export interface Geolocation {
  latitude: number;
  longitude: number;
  address: string | null;
  googlePlaceId: string | null;
  locationType: string | null;
}

export interface Conversation {
  id: string;
  userId: string;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** ConversationSource; stored as given, read back as `unknown` if unrecognised. */
  source: string;
  language: string | null;
  status: ConversationStatus;
  discarded: boolean;
  starred: boolean;
  folderId: string | null;
  title: string;
  overview: string;
  emoji: string;
  category: ConversationCategory | string;
  actionItems: ConversationActionItem[];
  events: ConversationEvent[];
  /** Empty unless the transcript was asked for (lists skip the column) or none was sent. */
  segments: TranscriptSegment[];
  text: string | null;
  textSource: TextSource | null;
  textSourceSpec: string | null;
  geolocation: Geolocation | null;
  clientSessionId: string | null;
  clientDeviceId: string | null;
  clientPlatform: string | null;
  claimedAt: string | null;
}

export interface ConversationListQuery {
  startDate?: string | undefined;
  endDate?: string | undefined;
  /** Started (or, without a start, created) in [from, to). */
  startedWithin?: { from: string; to: string } | undefined;
  /** Only these conversations (the candidates of a search), in no order; limit and offset do not apply. */
  ids?: readonly string[] | undefined;
  categories?: string[] | undefined;
  folderId?: string | undefined;
  starred?: boolean | undefined;
  withTranscript: boolean;
  limit: number;
  offset: number;
}

/** What `PATCH /v1/dev/user/conversations/{id}` may change. */
export interface ConversationPatch {
  title?: string;
  discarded?: boolean;
  updatedAt: string;
}
