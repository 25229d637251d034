import { randomUUID } from 'node:crypto';
import type { ActionItem } from '../../src/modules/action-items/action-items.types.ts';
import type { Conversation } from '../../src/modules/conversations/conversations.types.ts';
import type { Memory } from '../../src/modules/memories/memories.types.ts';

/**
 * Records as storage holds them, for tests, the search eval and benchmarks that write through
 * the repositories directly: sensible defaults, and the caller overrides what it cares about.
 */
export const RECORD_TIME = '2026-01-15T10:00:00.000Z';

export const storedMemory = (userId: string, overrides: Partial<Memory> = {}): Memory => {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    userId,
    content: `content ${id}`,
    category: 'system',
    visibility: 'private',
    tags: [],
    createdAt: RECORD_TIME,
    updatedAt: RECORD_TIME,
    manuallyAdded: true,
    reviewed: true,
    userReview: true,
    edited: false,
    scoring: `01_999_${id}`,
    conversationId: null,
    ...overrides,
  };
};

/** A completed, kept conversation. */
export const storedConversation = (userId: string, overrides: Partial<Conversation> = {}): Conversation => ({
  id: randomUUID(),
  userId,
  createdAt: RECORD_TIME,
  updatedAt: RECORD_TIME,
  startedAt: RECORD_TIME,
  finishedAt: RECORD_TIME,
  source: 'omi',
  language: 'en',
  status: 'completed',
  discarded: false,
  starred: false,
  folderId: null,
  title: 'Weekly sync',
  overview: 'The team went through the roadmap.',
  emoji: '💬',
  category: 'work',
  actionItems: [],
  events: [],
  segments: [],
  text: null,
  textSource: null,
  textSourceSpec: null,
  geolocation: null,
  clientSessionId: null,
  clientDeviceId: null,
  clientPlatform: null,
  claimedAt: null,
  ...overrides,
});

export const storedActionItem = (userId: string, overrides: Partial<ActionItem> = {}): ActionItem => {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    userId,
    description: `do ${id}`,
    completed: false,
    createdAt: RECORD_TIME,
    updatedAt: RECORD_TIME,
    dueAt: null,
    completedAt: null,
    conversationId: null,
    ...overrides,
  };
};
