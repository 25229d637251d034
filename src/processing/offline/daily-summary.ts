/**
 * The day's digest from its conversations' own summaries: the dominant category (by words
 * spoken) sets the emoji, the longest conversations make the headline and the highlights, and
 * sentences from the overviews that state a fact or a finding become knowledge nuggets.
 */
import type { ConversationCategory } from '../../modules/conversations/categories.ts';
import type { DayConversation, DayInput, DaySummaryContent } from '../processor.ts';
import { CATEGORY_EMOJI } from './category.ts';
import { ensurePeriod, splitSentences } from './text.ts';

const MAX_HIGHLIGHTS = 5;
const MAX_NUGGETS = 5;
const CATEGORY_WORDS: Partial<Record<ConversationCategory, string>> = { real: 'real estate', other: 'other things' };
const FACTUAL = /\b(?:is|are|was|were|can|improves?|reduces?|increases?|means|because|found|shows?|study|research|percent|recalled|matters?|helps?)\b|\d/i;
const PLAN = /\b(?:will|'ll|going to|need to|needs to|should|plans? to|asked|wants? to|agreed to|remind|reminder)\b|\?$/i;
const FIRST_PERSON = /\b(?:i|i'm|i'll|me|my|we|our|us|you|your)\b/i;

export function summarizeDay(input: DayInput): DaySummaryContent {
  const conversations = [...input.conversations].sort((a, b) => compare(a.startedAt, b.startedAt) || compare(a.id, b.id));
  if (conversations.length === 0) {
    return {
      dayEmoji: CATEGORY_EMOJI.other,
      headline: 'A quiet day',
      overview: 'No conversations were recorded on this day.',
      highlights: [],
      knowledgeNuggets: [],
    };
  }
  const ranked = [...conversations].sort((a, b) => weight(b) - weight(a) || (a.startedAt < b.startedAt ? -1 : 1));
  const categories = dominantCategories(conversations);
  return {
    dayEmoji: CATEGORY_EMOJI[categories[0]!],
    headline: headline(ranked),
    overview: overview(conversations, ranked, categories),
    highlights: ranked
      .filter((c) => c.title.trim().length > 0)
      .slice(0, MAX_HIGHLIGHTS)
      .map((c) => {
        const lead = firstSentence(c.overview);
        return lead ? `${c.title}: ${lead}` : c.title;
      }),
    knowledgeNuggets: nuggets(ranked),
  };
}

/** Longer conversations and ones that produced tasks matter more. */
const weight = (c: DayConversation): number => c.wordCount + 40 * c.actionItems.length;

function dominantCategories(conversations: DayConversation[]): ConversationCategory[] {
  const totals = new Map<ConversationCategory, number>();
  for (const c of conversations) totals.set(c.category, (totals.get(c.category) ?? 0) + Math.max(c.wordCount, 1));
  return [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
}

function headline(ranked: DayConversation[]): string {
  const titles = ranked.map((c) => c.title.trim()).filter((t) => t.length > 0);
  if (titles.length === 0) return 'A day of conversations';
  const parts: string[] = [titles[0]!];
  for (const t of titles.slice(1, 3)) {
    if ([...parts, t].join(' ').split(/\s+/).length > 10) break;
    parts.push(t);
  }
  const rest = titles.length - parts.length;
  const joined = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]!;
  return rest > 0 ? `${joined}, and ${rest} more` : joined;
}

function overview(conversations: DayConversation[], ranked: DayConversation[], categories: ConversationCategory[]): string {
  const n = conversations.length;
  const topics = categories.slice(0, 2).map((c) => CATEGORY_WORDS[c] ?? c);
  const count = n === 1 ? 'One conversation' : `${capitalizeWord(numberWord(n))} conversations`;
  const sentences = [`${count}, mostly about ${topics.join(' and ')}.`];
  for (const c of ranked.slice(0, 2)) {
    const lead = firstSentence(c.overview);
    if (lead && !sentences.includes(lead)) sentences.push(lead);
  }
  const open = conversations.flatMap((c) => c.actionItems).filter((a) => !a.completed);
  if (open.length > 0) {
    const first = open[0]!.description.replace(/[.!?]+$/, '');
    const items = open.length === 1 ? 'One action item is' : `${capitalizeWord(numberWord(open.length))} action items are`;
    sentences.push(`${items} still open, including "${first}".`);
  }
  return sentences.slice(0, 4).join(' ');
}

function nuggets(ranked: DayConversation[]): string[] {
  const out: string[] = [];
  for (const c of ranked) {
    for (const s of splitSentences(c.overview)) {
      const sentence = ensurePeriod(s);
      if (out.length >= MAX_NUGGETS) return out;
      const fact = FACTUAL.test(s) && !PLAN.test(s) && !FIRST_PERSON.test(s) && s.split(/\s+/).length >= 6;
      if (fact && !out.includes(sentence)) out.push(sentence);
    }
  }
  return out;
}

function firstSentence(text: string): string | null {
  const s = splitSentences(text)[0];
  return s ? ensurePeriod(s) : null;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const numberWord = (n: number): string => NUMBER_WORDS[n] ?? String(n);
const capitalizeWord = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
