/**
 * Titles: short (at most eight words, Title Case) and about the content.
 *
 * Key phrases are the runs of content words between stopwords and verbs (as in RAKE), scored by
 * their terms' weights, how often they recur, whether they came early or with a date (agendas and
 * plans), and most of all whether the speakers named them as the topic ("today we're talking
 * about…", "I'm calling about…"). The title joins the best one or two. A few kinds of
 * conversation have a recognisable shape and are named by it: an email by its subject, travel by
 * its destination ("Trip to Porto"), a chat arranging one event by that event ("Planning Dinner
 * with Maria"), friends catching up ("Catching Up: Life in Lisbon"), a note of several tasks
 * ("Reminders: …") and a family or personal talk that plans several days ("Week Ahead: …").
 */
import type { ConversationCategory } from '../../modules/conversations/categories.ts';
import { countLifeStatements } from './category.ts';
import { WHEN, type ScoredConversation } from './sentences.ts';
import { FILLERS, stem, STOPWORDS, titleCase, WEAK_WORDS } from './text.ts';
import { ACTION_VERBS, NON_TASK_VERBS } from './verbs.ts';

export interface TitleHints {
  category: ConversationCategory;
  /** Names of the people present or addressed; never a topic. */
  names: ReadonlySet<string>;
  /** Titles of the calendar events found. */
  events: readonly string[];
  /** Real names of speakers, by speaker key, where the conversation revealed them. */
  speakers: ReadonlyMap<string, string>;
  /** The other party's name in a two-person conversation, if known. */
  otherName: string | null;
  /** How many distinct days in the coming week the conversation's tasks and events fall on. */
  plannedDays: number;
  /** A note or single-author text, and how many tasks it holds. */
  monologue: boolean;
  tasks: number;
}

interface Run {
  words: string[];
  afterDeterminer: boolean;
  topic: boolean;
}

interface Phrase {
  words: string[];
  stems: string[];
  score: number;
}

const NON_TITLE = new Set(
  ('okay yeah hey guys everyone thanks speaker alright dr mr mrs ms near utc work job place stuff bad pretty tiny ' +
    'brutal huge small sure late early hard easy tired busy crazy fun honest quick together couple end back side way ' +
    'hundred thousand million twenty thirty forty fifty sixty seventy eighty ninety').split(' '),
);
/** A topic the speakers name outright outranks any inferred from word counts. */
const STATED_TOPIC = 10;
const TOPIC_CUE =
  /\b(?:welcome to(?: the)?|kick-?off for(?: the)?|today we(?:'re| are) (?:talking|going to talk) about|main (?:things?|topics?) (?:for )?today (?:is|are)|main topics? (?:is|are)|agenda (?:today )?is|we(?:'re| are) here to (?:talk about|discuss)|let's talk about|(?:i'm|i am) calling about|this (?:call|meeting) is about|(?:everyone|we(?:'re| are)|you(?:'re| are)) here for(?: the)?|(?:(?:thank you|thanks) |^)for calling|(?:voice )?note (?:after|about|on) (?:the|my)|debrief(?:ing)? (?:on|after|of) (?:the|my))\b/i;
const TOKEN = /[\p{L}\p{N}]+(?:['.-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;
const NUMBER_LIKE = /^\d+(?:am|pm|st|nd|rd|th)?$/;
/** "that'd", "we'll", "they're": a pronoun and an auxiliary, never part of a topic. */
const CONTRACTION = /'(?:d|ll|re|ve|m)$/;
/** Common verbs in the third person, which end a topic phrase ("the car needs…"). */
const THIRD_PERSON_VERBS = new Set(
  'needs wants seems looks works goes gets makes takes says keeps comes runs lives feels means uses expires starts ends has does is was'.split(' '),
);
const HONORIFIC = /^(?:dr|mr|mrs|ms|prof)\.?$/i;
/** Irregular past forms, which end a topic phrase wherever they stand ("Zoe's dog ate…"). */
const IRREGULAR_PAST = new Set(
  'ate went got made took saw came said told found thought bought brought sent left met ran sat spent gave knew wrote lost kept felt heard paid won began drove flew grew threw wore broke spoke chose woke fell forgot held led stood sold taught caught slept drank'.split(' '),
);
const DETERMINERS = new Set('the a an my your our their his her this that these those'.split(' '));

/** Whether a word, at the start of a run of content words, is the verb of a clause rather than part of a name for the topic. */
const verbLike = (word: string): boolean =>
  ACTION_VERBS.has(word) || NON_TASK_VERBS.has(word) || /(?:ed|ing)$/.test(word);

function keyPhrases(scored: ScoredConversation, names: ReadonlySet<string>): Phrase[] {
  const byKey = new Map<string, Phrase & { count: number; early: boolean; topic: boolean }>();
  const excluded = new Set([...scored.sentences.map((s) => s.speakerName.toLowerCase()), ...[...names].map((n) => n.toLowerCase())]);
  for (const s of scored.sentences) {
    // Topics named first (an agenda) or tied to a when (a plan) are what the conversation is about.
    const early = s.position < 3 || WHEN.test(s.text);
    // What follows "welcome to the…", "today we're talking about…" is the stated topic.
    const cue = TOPIC_CUE.exec(s.text);
    const topicFrom = cue ? cue.index + cue[0].length : Infinity;
    const runs: Run[] = [{ words: [], afterDeterminer: false, topic: false }];
    let afterHonorific = false;
    let contracted = false;
    for (const m of cue ? s.text.matchAll(TOKEN) : (s.text.match(TOKEN) ?? []).map((t) => ({ 0: t, index: 0 }))) {
      const token = m[0];
      const lower = token.toLowerCase();
      const possessive = lower.endsWith("'s");
      const bare = possessive ? lower.slice(0, -2) : lower;
      const breaks =
        token.length === 1 && !/[\p{L}\p{N}]/u.test(token) ? true
        : afterHonorific || STOPWORDS.has(lower) || FILLERS.has(lower) || WEAK_WORDS.has(bare) || NON_TITLE.has(bare) ||
          excluded.has(bare) || IRREGULAR_PAST.has(bare) || THIRD_PERSON_VERBS.has(bare) || CONTRACTION.test(lower) || lower.endsWith('ly') || NUMBER_LIKE.test(lower);
      afterHonorific = HONORIFIC.test(bare) || (afterHonorific && token === '.');
      const run = runs[runs.length - 1]!;
      const topic = (m.index ?? 0) >= topicFrom;
      // The word right after the cue names the topic even when it could be a verb ("here for book club").
      const namedRightAfterCue = topic && s.text.slice(topicFrom, m.index).trim() === '';
      // A past form after a noun is a verb ("the room stopped"), as is a participle after a contracted
      // "is" ("grandma's coming"); neither is part of the topic.
      const verb = run.words.length === 0 ? !run.afterDeterminer && !namedRightAfterCue && verbLike(bare) : bare.endsWith('ed') || (contracted && bare.endsWith('ing'));
      if (breaks) runs.push({ words: [], afterDeterminer: DETERMINERS.has(lower), topic });
      else if (verb) runs.push({ words: [], afterDeterminer: false, topic });
      else {
        if (run.words.length === 0) run.topic = topic;
        run.words.push(token.replace(/'s$/i, ''));
      }
      contracted = possessive;
    }
    for (const { words: run, topic } of runs) {
      if (run.length === 0 || run.length > 4) continue;
      const words = run.slice(-3);
      const stems = words.map((w) => stem(w.toLowerCase()));
      const key = stems.join(' ');
      const existing = byKey.get(key);
      if (existing) {
        existing.count += 1;
        existing.early ||= early;
        existing.topic ||= topic;
      } else byKey.set(key, { words, stems, score: 0, count: 1, early, topic });
    }
  }
  const phrases = [...byKey].map(([key, p]) => {
    const base = p.stems.reduce((sum, t) => sum + (scored.weights.get(t) ?? 0), 0) / Math.pow(p.stems.length, 0.35);
    const score = base * (1 + 0.35 * (p.count - 1)) * (p.early ? 1.3 : 1) + (p.topic ? STATED_TOPIC : 0);
    return { key, words: p.words, stems: p.stems, score };
  });
  // Ties break on the phrase itself, so the order never depends on anything but the text.
  return phrases.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const MAX_TITLE_WORDS = 8;
const SUBJECT = /^(?:subject|re|fwd?)\s*:\s*(.+)$/i;
const PLACE = /\b(?:to|in|about|near|from|visit|visiting)\s+([A-Z][a-z]{2,})\b/g;
const NOT_PLACES = /^(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|the)$/i;
const PLANNED = new Set<ConversationCategory>(['social', 'family', 'personal', 'romantic']);

export function buildTitle(scored: ScoredConversation, hints: TitleHints): string {
  const title = shapedTitle(scored, hints);
  return /[\p{L}\p{N}]/u.test(title) ? title : fallbackTitle(scored);
}

function shapedTitle(scored: ScoredConversation, hints: TitleHints): string {
  // An email says what it is about.
  const subject = scored.sentences.map((s) => SUBJECT.exec(s.text)?.[1]?.trim()).find((t) => t !== undefined && /[\p{L}\p{N}]/u.test(t));
  if (subject) return titleCase(withoutDanglingEnd(subject.replace(/[.!?]+$/, '').split(/\s+/).slice(0, MAX_TITLE_WORDS)));
  if (hints.category === 'travel') {
    const place = destination(scored, hints.names);
    if (place) return `Trip to ${place}`;
  }
  if (PLANNED.has(hints.category) && hints.events.length === 1) return titleCase(`Planning ${hints.events[0]}`.split(/\s+/));
  const weekAhead = PLANNED.has(hints.category) && hints.plannedDays >= 3;
  const prefix = hints.monologue && hints.tasks >= 2 ? ['Reminders:'] : weekAhead ? ['Week', 'Ahead:'] : [];
  const catchUp = catchUpTitle(scored, hints);
  if (catchUp) return catchUp;
  const phrases = keyPhrases(scored, hints.names);
  const top = phrases[0];
  if (!top) return prefix.length > 0 ? titleCase(prefix).replace(/:$/, '') : fallbackTitle(scored);
  const second = phrases.find((p) => p !== top && !p.stems.some((t) => top.stems.includes(t)));
  // A note of several tasks is a list of reminders; several plans on different days, the week ahead.
  const restated = top.words.some((w) => prefix.some((p) => p.toLowerCase().startsWith(w.toLowerCase())));
  let words = [...(restated ? [] : prefix), ...top.words];
  if (second && top.words.length + second.words.length <= 5 && (top.words.length <= 2 || second.score >= 0.6 * top.score)) {
    words = [...words, 'and', ...second.words];
  }
  return titleCase(words.slice(0, MAX_TITLE_WORDS));
}

const HOME = /\b(?:live|living|moved|moving) (?:in|to) ([A-Z][a-z]+)/;

/**
 * Friends catching up: a personal or social talk in which the user tells several things about
 * their own life ("I moved to…", "my sister…", "I'm learning…") is named as such.
 */
function catchUpTitle(scored: ScoredConversation, hints: TitleHints): string | null {
  if (hints.category !== 'personal' && hints.category !== 'social') return null;
  const own = scored.sentences.filter((s) => s.isUser).map((s) => s.text);
  if (scored.sentences.every((s) => s.isUser) || countLifeStatements(own.join('\n')) < 2) return null;
  const home = own.map((s) => HOME.exec(s)?.[1]).find((p) => p !== undefined && !hints.names.has(p));
  if (home) return `Catching Up: Life in ${home}`;
  return hints.otherName ? `Catching Up with ${hints.otherName}` : 'Catching Up';
}

/** The place a travel conversation is about: the capitalised name after "to", "in", "about"… said most often. */
function destination(scored: ScoredConversation, names: ReadonlySet<string>): string | null {
  const counts = new Map<string, number>();
  for (const s of scored.sentences) {
    for (const m of s.text.matchAll(PLACE)) {
      const place = m[1]!;
      if (NOT_PLACES.test(place) || names.has(place)) continue;
      counts.set(place, (counts.get(place) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** Never end on "to", "the", "and"…: a title is a phrase, not a cut-off sentence. */
function withoutDanglingEnd(words: string[]): string[] {
  const out = [...words];
  while (out.length > 1 && STOPWORDS.has(out[out.length - 1]!.toLowerCase().replace(/[^\p{L}']/gu, ''))) out.pop();
  return out;
}

function fallbackTitle(scored: ScoredConversation): string {
  const first = scored.sentences[0]?.text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).slice(0, 5) ?? [];
  const cleaned = withoutDanglingEnd(first.map((w) => w.replace(/[^\p{L}\p{N}'-]/gu, '')).filter((w) => w.length > 0));
  return cleaned.length > 0 ? titleCase(cleaned) : 'Conversation';
}
