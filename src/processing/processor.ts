import type { ConversationCategory, TextSource } from '../modules/conversations/categories.ts';

/**
 * The processing pipeline's one seam (omi-behaviour.md §13). Two implementations: the offline
 * processor (deterministic, no network, the default) and the LLM processor (any OpenAI-compatible
 * chat-completions endpoint), which falls back to the offline one when the LLM fails.
 */
export interface ConversationProcessor {
  /** `offline` or `llm`; logged with every job so an operator sees which path ran. */
  readonly kind: 'offline' | 'llm';
  /** Discard decision and the structured summary; runs inside the create request. */
  summarize(input: ProcessingInput): Promise<SummaryResult>;
  /** Facts about the user worth remembering (at most 4); runs in a background job. */
  extractMemories(input: ProcessingInput, context: MemoryContext): Promise<ExtractedMemory[]>;
  /** The day's digest over its conversations; runs in a background job. */
  summarizeDay(input: DayInput): Promise<DaySummaryContent>;
}

/** One line of a transcript as the processor sees it. */
export interface TranscriptLine {
  /** `SPEAKER_00`-style label as sent by the client. */
  speaker: string;
  /** Whether the wearer said it. */
  isUser: boolean;
  /** The display name: the account's name for the user's lines, else `Speaker N`. */
  speakerName: string;
  text: string;
  start: number;
  end: number;
}

export interface ProcessingInput {
  /** The whole content as plain text: the text of a text-created conversation, or the segments joined one per line as `Name: text`. */
  text: string;
  /** The segments, for from-segments conversations; null for text-created ones. */
  segments: TranscriptLine[] | null;
  /** For text-created conversations: what kind of text it is. Null for from-segments ones. */
  textSource: TextSource | null;
  /** Free-form detail such as `email`, `slack`. */
  textSourceSpec: string | null;
  /** ISO 8601 UTC; relative dates ("tomorrow", "by Friday") resolve against it. */
  startedAt: string;
  /** ISO 639-1, default `en`. */
  language: string;
  /** The account's name, if known. */
  userName: string | null;
}

export interface ExtractedActionItem {
  /** Imperative, self-contained: "Send Sarah the Q3 budget draft". */
  description: string;
  /** ISO 8601 UTC, resolved against `startedAt`; null when no deadline is stated. */
  dueAt: string | null;
}

export interface ExtractedEvent {
  title: string;
  description: string;
  /** ISO 8601 UTC. */
  start: string;
  /** Minutes. */
  duration: number;
}

export interface StructuredSummary {
  title: string;
  overview: string;
  emoji: string;
  category: ConversationCategory;
  actionItems: ExtractedActionItem[];
  events: ExtractedEvent[];
}

/**
 * A discarded conversation still carries a structured summary (the API's schema requires one);
 * it is usually empty: `title: ''`, `overview: ''`, `category: 'other'`, no items.
 */
export interface SummaryResult {
  discarded: boolean;
  structured: StructuredSummary;
}

export interface MemoryContext {
  /** The contents of memories the user already has, so near-duplicates can be skipped. */
  existing: readonly string[];
}

export interface ExtractedMemory {
  /** A short third-person fact: "Lives in Lisbon", "Has a sister named Ana". */
  content: string;
  /** `system`: a fact about the user; `interesting`: advice or an insight from someone else. */
  category: 'system' | 'interesting';
}

/** Upstream keeps at most this many memories per conversation. */
export const MAX_MEMORIES_PER_CONVERSATION = 4;

export interface DayInput {
  /** YYYY-MM-DD (UTC). */
  date: string;
  conversations: DayConversation[];
}

export interface DayConversation {
  id: string;
  title: string;
  overview: string;
  emoji: string;
  category: ConversationCategory;
  startedAt: string;
  actionItems: { description: string; completed: boolean }[];
  wordCount: number;
}

/** What the processor writes for a day; counts and the action-item list are computed by the service. */
export interface DaySummaryContent {
  dayEmoji: string;
  headline: string;
  overview: string;
  highlights: string[];
  knowledgeNuggets: string[];
}
