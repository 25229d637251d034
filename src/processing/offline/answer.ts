/**
 * The offline answer to a question about the user's conversations: the few sentences of the
 * given sources that best match the question's content words, each introduced with the
 * conversation's title and date and cited as [n]. No network, no randomness.
 */
import type { Answer, AnswerInput, AnswerSource, QuestionAnswerer } from '../answerer.ts';
import {
  capitalize,
  contentTokens,
  ensurePeriod,
  removeSoundTags,
  splitSentences,
  stripFillers,
  stripOpeners,
  tidy,
} from './text.ts';

/** Passages quoted in one answer, and from one source. */
export const MAX_ANSWER_PASSAGES = 3;
export const MAX_PASSAGES_PER_SOURCE = 2;
/** Sources summarised by their overview when no passage matches the question. */
export const MAX_OVERVIEW_SOURCES = 3;

/** A passage scoring below this share of the best one is noise, not a second answer. */
const MIN_RELATIVE_SCORE = 0.4;
/** A question quoted back ("Did we book the dentist?") is rarely the answer itself. */
const QUESTION_FACTOR = 0.6;
/** Words in a conversation's title count for each of its passages, at this share. */
const TITLE_FACTOR = 0.5;
/** Term overlap at which a passage repeats one already quoted. */
const DUPLICATE_OVERLAP = 0.8;
const MIN_PASSAGE_WORDS = 3;
const MAX_PASSAGE_CHARS = 300;
const MAX_OVERVIEW_CHARS = 400;

/** Words of a question that ask rather than name what is asked about. */
const QUESTION_NOISE: ReadonlySet<string> = new Set(
  [
    'discuss', 'mention', 'remember', 'remind', 'recall', 'conversation', 'ask', 'talk', 'chat', 'speak',
    'spoke', 'anybody', 'somewhere', 'happen', 'decide', 'agree',
  ].map(stemWord),
);

/** Line prefixes that look like "Speaker:" but label a field of a message. */
const NOT_SPEAKERS: ReadonlySet<string> = new Set([
  'subject', 're', 'fw', 'fwd', 'from', 'to', 'cc', 'bcc', 'date', 'note', 'notes', 'ps', 'p.s', 'update', 'reminder',
  'todo', 'to-do', 'summary', 'title', 'http', 'https',
]);

const SPEAKER_LINE = /^([\p{L}\p{N}][\p{L}\p{N} .'’()_-]{0,39}?)\s*:\s+(\S.*)$/u;

/**
 * A small English stemmer, so that "meetings"/"meeting" and "booked"/"booking" share a term:
 * plurals first, then -ing/-ed, then a doubled final consonant ("running" → "run") or a final
 * silent e ("moved", "moving", "move" → "mov").
 */
export function stemWord(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, '');
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && /(?:s|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length > 3 && w.at(-1) === w.at(-2) && !/[aeiouls]/.test(w.at(-1)!)) w = w.slice(0, -1);
  else if (w.length > 3 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

/** The stemmed content terms of a text: no stopwords, fillers, generic verbs or bare numbers. */
export function contentTerms(text: string): Set<string> {
  return new Set(contentTokens(text).map(stemWord));
}

/** The IANA zone if the runtime knows it, else UTC. */
export function safeTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/**
 * A conversation's date as the user reads it in their zone, "Tue, Nov 24", with the year when it
 * is not the current one; undefined when the date is unknown or invalid.
 */
export function formatSourceDate(startedAt: string | null, timeZone: string, now: Date): string | undefined {
  if (startedAt === null) return undefined;
  const date = new Date(startedAt);
  if (Number.isNaN(date.getTime())) return undefined;
  const zone = safeTimeZone(timeZone);
  const year = (d: Date) => new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric' }).format(d);
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(year(date) === year(now) ? {} : { year: 'numeric' }),
  }).format(date);
}

interface Passage {
  /** Index of the source in the input. */
  source: number;
  fromOverview: boolean;
  /** Order within the source: the overview's sentences, then the text's. */
  position: number;
  /** Who said it, for a transcript line. */
  speaker: string | undefined;
  text: string;
  isQuestion: boolean;
  terms: Set<string>;
}

interface Scored {
  passage: Passage;
  score: number;
}

export class ExtractiveAnswerer implements QuestionAnswerer {
  async answer(input: AnswerInput): Promise<Answer> {
    return answerExtractively(input);
  }
}

/** The synchronous core of {@link ExtractiveAnswerer}. */
export function answerExtractively(input: AnswerInput): Answer {
  const passages = input.sources.map((source, index) => sourcePassages(source, index));
  const asked = [...contentTerms(input.question)].filter((term) => !QUESTION_NOISE.has(term));
  const picked = pickPassages(input.sources, passages, asked);
  if (picked.length === 0) return overviewAnswer(input, passages, asked.length > 0);

  // One paragraph per source, in the order of its best passage, the passages in reading order.
  const groups: Passage[][] = [];
  for (const passage of picked) {
    const group = groups.find((g) => g[0]!.source === passage.source);
    if (group === undefined) groups.push([passage]);
    else group.push(passage);
  }
  const lines = groups.map((group, i) => {
    group.sort((a, b) => a.position - b.position);
    const source = input.sources[group[0]!.source]!;
    return paragraph(input, source, renderPassages(group), group[0]!.speaker !== undefined, i + 1);
  });
  return { answer: lines.join('\n'), cited: groups.map((group) => input.sources[group[0]!.source]!.id) };
}

function sourcePassages(source: AnswerSource, index: number): Passage[] {
  const passages: Passage[] = [];
  const add = (raw: string, fromOverview: boolean, speaker: string | undefined) => {
    const text = cleanPassage(raw);
    if (text === undefined) return;
    const terms = contentTerms(text);
    if (terms.size === 0) return;
    // "What did Ana say?" asks for Ana's lines.
    if (speaker !== undefined) for (const term of contentTerms(speaker)) terms.add(term);
    passages.push({
      source: index,
      fromOverview,
      position: passages.length,
      speaker,
      text,
      isQuestion: /\?["'”)]*$/.test(text),
      terms,
    });
  };
  for (const sentence of splitSentences(source.overview)) add(sentence, true, undefined);
  for (const line of source.text.split(/\r?\n/)) {
    const { speaker, words } = speakerOf(line);
    for (const sentence of splitSentences(words)) add(sentence, false, speaker);
  }
  return passages;
}

function speakerOf(line: string): { speaker: string | undefined; words: string } {
  const match = SPEAKER_LINE.exec(line.trim());
  if (match === null) return { speaker: undefined, words: line };
  const speaker = match[1]!.trim();
  const looksLikeName = speaker.split(/\s+/).length <= 4 && !NOT_SPEAKERS.has(speaker.toLowerCase());
  return looksLikeName ? { speaker, words: match[2]! } : { speaker: undefined, words: line };
}

/** A sentence without sound tags, disfluencies and openers; undefined when too short to say anything. */
function cleanPassage(raw: string): string | undefined {
  const text = tidy(stripOpeners(stripFillers(removeSoundTags(raw))));
  if (text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length < MIN_PASSAGE_WORDS) return undefined;
  return ensurePeriod(capitalize(clip(text, MAX_PASSAGE_CHARS)));
}

/** Cuts an over-long text at a word boundary. */
function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

function pickPassages(sources: readonly AnswerSource[], passages: Passage[][], asked: string[]): Passage[] {
  if (asked.length === 0) return [];
  const titles = sources.map((source) => contentTerms(source.title));
  // IDF-like: a term found in every source tells them apart less than one found in a single source.
  const n = sources.length;
  const idf = new Map<string, number>();
  for (const term of asked) {
    const df = passages.filter((list, i) => titles[i]!.has(term) || list.some((p) => p.terms.has(term))).length;
    idf.set(term, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }
  const scored: Scored[] = [];
  for (const [i, list] of passages.entries()) {
    for (const passage of list) {
      let score = 0;
      for (const term of asked) {
        if (passage.terms.has(term)) score += idf.get(term)!;
        else if (titles[i]!.has(term)) score += TITLE_FACTOR * idf.get(term)!;
      }
      if (score === 0) continue;
      if (passage.isQuestion) score *= QUESTION_FACTOR;
      scored.push({ passage, score });
    }
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      Number(b.passage.fromOverview) - Number(a.passage.fromOverview) ||
      a.passage.source - b.passage.source ||
      a.passage.position - b.passage.position,
  );
  const best = scored[0]?.score ?? 0;
  const picked: Passage[] = [];
  for (const { passage, score } of scored) {
    if (picked.length === MAX_ANSWER_PASSAGES || score < best * MIN_RELATIVE_SCORE) break;
    if (picked.filter((p) => p.source === passage.source).length === MAX_PASSAGES_PER_SOURCE) continue;
    if (picked.some((p) => overlap(p.terms, passage.terms) >= DUPLICATE_OVERLAP)) continue;
    picked.push(passage);
  }
  return picked;
}

/** Shared terms over the smaller set: 1 when one passage's terms are all in the other. */
function overlap(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / Math.max(1, Math.min(a.size, b.size));
}

function renderPassage(passage: Passage): string {
  return passage.speaker === undefined ? passage.text : `${passage.speaker} said: “${passage.text}”`;
}

/** One source's passages; a speaker quoted twice in a row is named once ("Ana said: “…” and “…”"). */
function renderPassages(passages: readonly Passage[]): string[] {
  const parts: string[] = [];
  passages.forEach((passage, i) => {
    const previous = passages[i - 1];
    if (previous !== undefined && passage.speaker !== undefined && passage.speaker === previous.speaker) {
      parts[parts.length - 1] += ` and “${passage.text}”`;
    } else parts.push(renderPassage(passage));
  });
  return parts;
}

/** `In “Title” (Tue, Nov 24): first passage. Second passage. [n]` */
function paragraph(
  input: AnswerInput,
  source: AnswerSource,
  parts: string[],
  quotesFirst: boolean,
  citation: number,
): string {
  const title = source.title.replace(/\s+/g, ' ').trim() || 'Untitled conversation';
  const date = formatSourceDate(source.startedAt, input.timeZone, input.now);
  const intro = `In “${title}”${date === undefined ? '' : ` (${date})`}`;
  // "In “X”, Ana said: …" reads better than a second colon.
  return `${intro}${quotesFirst ? ', ' : ': '}${parts.join(' ')} [${citation}]`;
}

/**
 * Nothing matched (the question named only a date, or words no conversation uses): say what the
 * given conversations, best first, were about.
 */
function overviewAnswer(input: AnswerInput, passages: Passage[][], askedSomething: boolean): Answer {
  const lines: string[] = [];
  const cited: string[] = [];
  for (const [i, source] of input.sources.entries()) {
    if (cited.length === MAX_OVERVIEW_SOURCES) break;
    const chosen = overviewPassages(passages[i]!);
    if (chosen.length === 0) continue;
    cited.push(source.id);
    lines.push(paragraph(input, source, renderPassages(chosen), chosen[0]!.speaker !== undefined, cited.length));
  }
  if (lines.length === 0) return { answer: "Your conversations don't say anything about that.", cited: [] };
  const lead = askedSomething ? ["Your conversations don't mention that directly. Here is what the closest ones were about:"] : [];
  return { answer: [...lead, ...lines].join('\n'), cited };
}

/** The overview's first sentences up to a length, or else the text's first meaningful passages. */
function overviewPassages(passages: Passage[]): Passage[] {
  const fromOverview = passages.filter((p) => p.fromOverview);
  const candidates = fromOverview.length > 0 ? fromOverview : passages.slice(0, MAX_PASSAGES_PER_SOURCE);
  const chosen: Passage[] = [];
  let used = 0;
  for (const passage of candidates) {
    const length = renderPassage(passage).length;
    if (chosen.length > 0 && used + length > MAX_OVERVIEW_CHARS) break;
    chosen.push(passage);
    used += length + 1;
  }
  return chosen;
}
