import type {
  ConversationProcessor,
  DayInput,
  DaySummaryContent,
  ExtractedMemory,
  MemoryContext,
  ProcessingInput,
  StructuredSummary,
  SummaryResult,
} from '../processor.ts';
import { extractActionItems } from './action-items.ts';
import { emojiFor, pickCategory } from './category.ts';
import { summarizeDay } from './daily-summary.ts';
import { judgeContent } from './discard.ts';
import { extractEvents } from './events.ts';
import { extractMemories } from './memories.ts';
import { learnCast } from './names.ts';
import { summarizeText } from './summary.ts';
import { splitSentences, STOPWORDS, titleCase } from './text.ts';
import { toConversation } from './utterances.ts';

const EMPTY: StructuredSummary = { title: '', overview: '', emoji: '🧠', category: 'other', actionItems: [], events: [] };
const MAX_TITLE_WORDS = 8;

/**
 * The default processor: deterministic heuristics, no network. Same input, same output — the
 * only notion of time is the conversation's `startedAt`.
 */
export class OfflineProcessor implements ConversationProcessor {
  readonly kind = 'offline' as const;

  async summarize(input: ProcessingInput): Promise<SummaryResult> {
    const conversation = toConversation(input);
    if (judgeContent(conversation).discarded) return { discarded: true, structured: { ...EMPTY, actionItems: [], events: [] } };
    const cast = learnCast(conversation);
    const text = conversation.utterances.map((u) => u.text).join('\n');
    const category = pickCategory(text);
    const actionItems = extractActionItems(conversation, cast, input.startedAt);
    const events = extractEvents(conversation, cast, input.startedAt);
    const names = new Set([...cast.names.values(), ...(input.userName ? [input.userName] : [])]);
    const otherName = cast.other === null ? null : (cast.names.get(cast.other) ?? null);
    const plannedDays = daysPlanned([...actionItems.map((a) => a.dueAt), ...events.map((e) => e.start)], input.startedAt);
    const hints = {
      category,
      names,
      events: events.map((e) => e.title),
      speakers: cast.names,
      otherName,
      plannedDays,
      monologue: conversation.monologue,
      tasks: actionItems.length,
    };
    const { title, overview } = summarizeText(conversation, hints);
    return {
      discarded: false,
      structured: {
        title: fitTitle(noteTitle(text, actionItems[0]?.description) ?? title),
        overview,
        emoji: emojiFor(category),
        category,
        actionItems,
        events,
      },
    };
  }

  async extractMemories(input: ProcessingInput, context: MemoryContext): Promise<ExtractedMemory[]> {
    const conversation = toConversation(input);
    if (judgeContent(conversation).discarded) return [];
    return extractMemories(conversation, context.existing);
  }

  async summarizeDay(input: DayInput): Promise<DaySummaryContent> {
    return summarizeDay(input);
  }
}

const WEEK_MS = 7 * 86_400_000;
const MAX_TITLE_CHARS = 80;

/** Titles stay short even when one word is long (a URL, a run of CJK text). */
function fitTitle(title: string): string {
  const chars = [...title];
  return chars.length <= MAX_TITLE_CHARS ? title : `${chars.slice(0, MAX_TITLE_CHARS - 1).join('').trimEnd()}…`;
}

/** Distinct days within the week after `startedAt` that tasks or events fall on. */
function daysPlanned(instants: ReadonlyArray<string | null>, startedAt: string): number {
  const from = Date.parse(startedAt);
  const days = new Set<string>();
  for (const instant of instants) {
    const at = instant === null ? NaN : Date.parse(instant);
    if (at >= from && at - from <= WEEK_MS) days.add(instant!.slice(0, 10));
  }
  return days.size;
}

/** A one- or two-sentence note that is a task is best titled by the task ("Call Mom"). */
function noteTitle(text: string, firstTask: string | undefined): string | null {
  if (!firstTask || firstTask.startsWith('Follow up') || splitSentences(text).length > 2) return null;
  const words = firstTask.split(/\s+/).slice(0, MAX_TITLE_WORDS);
  // Cut at eight words, a title must not end on "about the".
  while (words.length > 1 && STOPWORDS.has(words[words.length - 1]!.toLowerCase())) words.pop();
  return titleCase(words);
}
