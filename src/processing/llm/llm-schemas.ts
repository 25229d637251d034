import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { parseDateTime } from '../../lib/time.ts';
import { isConversationCategory } from '../../modules/conversations/categories.ts';
import { classifyMemory } from '../memory-categorizer.ts';
import {
  MAX_MEMORIES_PER_CONVERSATION,
  type DaySummaryContent,
  type ExtractedActionItem,
  type ExtractedEvent,
  type ExtractedMemory,
  type SummaryResult,
} from '../processor.ts';

/**
 * The JSON the model is asked for (snake_case, as shown to it in the system prompt) and the
 * lenient readers that turn a reply into the processor's types. A reader returns undefined when
 * the reply is unusable, and the caller falls back to the offline processor.
 */
export const SCHEMA_NAMES = {
  summary: 'conversation_summary',
  memories: 'memories',
  daySummary: 'daily_summary',
  memoryCategory: 'memory_category',
  answer: 'question_answer',
} as const;

export const DEFAULT_EMOJI = '🧠';
/** Upstream caps suggested calendar events at three hours. */
const MAX_EVENT_MINUTES = 180;
const DEFAULT_EVENT_MINUTES = 30;
const MAX_DAY_ITEMS = 8;

const ActionItemReply = Type.Object({
  description: Type.String({ description: 'Imperative and self-contained' }),
  due_at: Type.Union([Type.String({ description: 'ISO 8601 UTC date-time' }), Type.Null()]),
});

const EventReply = Type.Object({
  title: Type.String(),
  description: Type.String(),
  start: Type.String({ description: 'ISO 8601 UTC date-time' }),
  duration: Type.Integer({ description: 'Minutes' }),
});

export const SummaryReplySchema = Type.Object({
  discarded: Type.Boolean(),
  title: Type.String(),
  overview: Type.String(),
  emoji: Type.String(),
  category: Type.String(),
  action_items: Type.Array(ActionItemReply),
  events: Type.Array(EventReply),
});

const MemoryReply = Type.Object({
  content: Type.String(),
  category: Type.Union([Type.Literal('system'), Type.Literal('interesting')]),
});

export const MemoriesReplySchema = Type.Object({
  memories: Type.Array(MemoryReply, { maxItems: MAX_MEMORIES_PER_CONVERSATION }),
});

export const DaySummaryReplySchema = Type.Object({
  day_emoji: Type.String(),
  headline: Type.String(),
  overview: Type.String(),
  highlights: Type.Array(Type.String()),
  knowledge_nuggets: Type.Array(Type.String()),
});

export const MemoryCategoryReplySchema = Type.Object({
  category: Type.Union([Type.Literal('system'), Type.Literal('interesting')]),
});

// What a reply must minimally look like to be read at all; everything finer is repaired per field.
const OptionalText = Type.Optional(Type.Union([Type.String(), Type.Null()]));
const OptionalList = Type.Optional(Type.Union([Type.Array(Type.Unknown()), Type.Null()]));

const SummaryEnvelope = Type.Object({
  discarded: Type.Optional(Type.Boolean()),
  title: OptionalText,
  overview: OptionalText,
  emoji: OptionalText,
  category: OptionalText,
  action_items: OptionalList,
  events: OptionalList,
});

const MemoriesEnvelope = Type.Object({ memories: Type.Array(Type.Unknown()) });

const DaySummaryEnvelope = Type.Object({
  day_emoji: OptionalText,
  headline: Type.String(),
  overview: OptionalText,
  highlights: OptionalList,
  knowledge_nuggets: OptionalList,
});

const LenientActionItem = Type.Object({ description: Type.String(), due_at: OptionalText });
const LenientEvent = Type.Object({
  title: Type.String(),
  description: OptionalText,
  start: Type.String(),
  duration: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
});
const LenientMemory = Type.Object({ content: Type.String(), category: OptionalText });
const MemoryCategoryEnvelope = Type.Object({ category: Type.String() });

const is = <T extends TSchema>(schema: T, value: unknown): value is Static<T> => Value.Check(schema, value);
const trim = (value: string | null | undefined): string => (value ?? '').trim();

export function readSummaryReply(reply: unknown): SummaryResult | undefined {
  if (!is(SummaryEnvelope, reply)) return undefined;
  const title = trim(reply.title);
  // A kept conversation without a title is a broken reply, not a reason to discard (upstream #5668).
  if (reply.discarded === true) return { discarded: true, structured: emptyStructured() };
  if (title === '') return undefined;
  const category = trim(reply.category).toLowerCase();
  return {
    discarded: false,
    structured: {
      title,
      overview: trim(reply.overview),
      emoji: trim(reply.emoji) || DEFAULT_EMOJI,
      category: isConversationCategory(category) ? category : 'other',
      actionItems: (reply.action_items ?? []).flatMap(readActionItem),
      events: (reply.events ?? []).flatMap(readEvent),
    },
  };
}

function emptyStructured(): SummaryResult['structured'] {
  return { title: '', overview: '', emoji: DEFAULT_EMOJI, category: 'other', actionItems: [], events: [] };
}

function readActionItem(item: unknown): ExtractedActionItem[] {
  if (!is(LenientActionItem, item)) return [];
  const description = item.description.trim();
  if (description === '') return [];
  const due = trim(item.due_at);
  return [{ description, dueAt: due === '' ? null : (parseDateTime(due) ?? null) }];
}

function readEvent(item: unknown): ExtractedEvent[] {
  if (!is(LenientEvent, item)) return [];
  const title = item.title.trim();
  // An event needs a time of day; a bare date is not a calendar slot.
  const start = /\d{2}:\d{2}/.test(item.start) ? parseDateTime(item.start) : undefined;
  if (title === '' || start === undefined) return [];
  const minutes = typeof item.duration === 'number' && Number.isFinite(item.duration) ? Math.round(item.duration) : 0;
  const duration = minutes > 0 ? Math.min(minutes, MAX_EVENT_MINUTES) : DEFAULT_EVENT_MINUTES;
  return [{ title, description: trim(item.description), start, duration }];
}

/** Reads up to four memories, dropping blanks and anything the user already has (case-insensitive). */
export function readMemoriesReply(reply: unknown, existing: readonly string[]): ExtractedMemory[] | undefined {
  if (!is(MemoriesEnvelope, reply)) return undefined;
  const seen = new Set(existing.map(normalise));
  const memories: ExtractedMemory[] = [];
  for (const item of reply.memories) {
    const memory = readMemory(item);
    if (memory === undefined || seen.has(normalise(memory.content))) continue;
    seen.add(normalise(memory.content));
    memories.push(memory);
    if (memories.length === MAX_MEMORIES_PER_CONVERSATION) break;
  }
  return memories;
}

function readMemory(item: unknown): ExtractedMemory | undefined {
  // Some models answer with bare strings; the category is then guessed the offline way.
  const raw = typeof item === 'string' ? { content: item } : item;
  if (!is(LenientMemory, raw)) return undefined;
  const content = raw.content.trim();
  if (content === '') return undefined;
  const category = trim(raw.category).toLowerCase();
  const known = category === 'system' || category === 'interesting';
  return { content, category: known ? category : classifyMemory(content) };
}

const normalise = (text: string): string => text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[.!]+$/, '');

export function readDaySummaryReply(reply: unknown): DaySummaryContent | undefined {
  if (!is(DaySummaryEnvelope, reply)) return undefined;
  const headline = reply.headline.trim();
  if (headline === '') return undefined;
  return {
    dayEmoji: trim(reply.day_emoji) || DEFAULT_EMOJI,
    headline,
    overview: trim(reply.overview),
    highlights: texts(reply.highlights),
    knowledgeNuggets: texts(reply.knowledge_nuggets),
  };
}

function texts(list: unknown[] | null | undefined): string[] {
  return (list ?? [])
    .flatMap((item) => (typeof item === 'string' && item.trim() !== '' ? [item.trim()] : []))
    .slice(0, MAX_DAY_ITEMS);
}

export function readMemoryCategoryReply(reply: unknown): 'system' | 'interesting' | undefined {
  if (!is(MemoryCategoryEnvelope, reply)) return undefined;
  const category = reply.category.trim().toLowerCase();
  return category === 'system' || category === 'interesting' ? category : undefined;
}
