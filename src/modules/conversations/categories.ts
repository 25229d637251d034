/** CategoryEnum (omi-behaviour.md §5.1): the category of a conversation's structured summary. */
export const CONVERSATION_CATEGORIES = [
  'personal',
  'education',
  'health',
  'finance',
  'legal',
  'philosophy',
  'spiritual',
  'science',
  'entrepreneurship',
  'parenting',
  'romantic',
  'travel',
  'inspiration',
  'technology',
  'business',
  'social',
  'work',
  'sports',
  'politics',
  'literature',
  'history',
  'architecture',
  'music',
  'weather',
  'news',
  'entertainment',
  'psychology',
  'real',
  'design',
  'family',
  'economics',
  'environment',
  'other',
] as const;

export type ConversationCategory = (typeof CONVERSATION_CATEGORIES)[number];

/** ConversationSource: where a conversation was captured. */
export const CONVERSATION_SOURCES = [
  'friend',
  'omi',
  'fieldy',
  'bee',
  'plaud',
  'frame',
  'friend_com',
  'apple_watch',
  'phone',
  'phone_call',
  'desktop',
  'openglass',
  'screenpipe',
  'workflow',
  'sdcard',
  'external_integration',
  'limitless',
  'rayban_meta',
  'onboarding',
  'unknown',
] as const;

export type ConversationSource = (typeof CONVERSATION_SOURCES)[number];

/** ExternalIntegrationConversationSource: what kind of text a text-created conversation holds. */
export const TEXT_SOURCES = ['audio_transcript', 'message', 'other_text'] as const;

export type TextSource = (typeof TEXT_SOURCES)[number];

/** ConversationStatus. Lists only ever show `completed`. */
export type ConversationStatus = 'in_progress' | 'processing' | 'merging' | 'completed' | 'failed';

export type SystemFolderKind = 'work' | 'personal' | 'social';

/** How the pipeline files a conversation into a system folder by its category (§5.5). */
export const CATEGORY_FOLDER: Record<ConversationCategory, SystemFolderKind> = {
  work: 'work',
  business: 'work',
  entrepreneurship: 'work',
  technology: 'work',
  finance: 'work',
  economics: 'work',
  legal: 'work',
  education: 'work',
  science: 'work',
  architecture: 'work',
  design: 'work',
  personal: 'personal',
  health: 'personal',
  family: 'personal',
  parenting: 'personal',
  romantic: 'personal',
  spiritual: 'personal',
  inspiration: 'personal',
  travel: 'personal',
  sports: 'personal',
  philosophy: 'personal',
  psychology: 'personal',
  literature: 'personal',
  history: 'personal',
  other: 'personal',
  social: 'social',
  entertainment: 'social',
  music: 'social',
  politics: 'social',
  news: 'social',
  weather: 'social',
  environment: 'social',
  real: 'social',
};

export const isConversationCategory = (value: string): value is ConversationCategory =>
  (CONVERSATION_CATEGORIES as readonly string[]).includes(value);
