/**
 * Scoring of extracted action items and memories against the labelled extraction set
 * (test/fixtures/extraction): fair matching, precision/recall/F1, and a naive baseline scored by
 * the same rules in the same run.
 *
 * Matching: both texts are lower-cased, cut into words, stripped of stop words and of time words
 * (the due date is judged on its own), and each word is reduced by a crude suffix stemmer. A
 * prediction matches a label when the Dice overlap of those word sets (2·|A∩B| / (|A|+|B|)) is at
 * least 0.5; pairs are then matched one-to-one (maximum bipartite matching), so one long
 * prediction can never account for two labels, nor two predictions for one.
 */
import type { ConversationCategory } from '../src/modules/conversations/categories.ts';
import { MAX_MEMORIES_PER_CONVERSATION, type ConversationProcessor } from '../src/processing/processor.ts';
import { labelledInput, type LabelledConversation } from '../test/fixtures/extraction/index.ts';

const STOP = new Set(
  ('a an the to for of on in at by with from up out off and or but so if my your his her their our its me him them us you i we he she they it ' +
    'this that these those is are was were be been am will ll would should could can need needs have has had do does did get got gonna gotta ' +
    'named called some any all also just then there here about into over after before again back around please one').split(' '),
);
const TIME = new Set(
  ('today tonight tomorrow yesterday morning afternoon evening night week weekend month next this end ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december').split(' '),
);

const stemWord = (w: string): string => {
  for (const suffix of ['ings', 'ing', 'ies', 'ied', 'es', 'ed', 's']) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) return suffix.startsWith('i') && suffix !== 'ing' && suffix !== 'ings' ? `${w.slice(0, -suffix.length)}y` : w.slice(0, -suffix.length);
  }
  return w;
};

export function normalise(text: string): Set<string> {
  const words = text.toLowerCase().replace(/['’]s\b/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter((w) => !STOP.has(w) && !TIME.has(w)).map(stemWord));
}

export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size + b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}

export const MATCH_THRESHOLD = 0.5;

/** Maximum one-to-one matching (Kuhn): pairs of [label, prediction] indices. */
export function matchItems(labels: readonly string[], predictions: readonly string[]): Array<[number, number]> {
  const L = labels.map(normalise);
  const P = predictions.map(normalise);
  const owner = new Array<number>(P.length).fill(-1);
  const tryAssign = (l: number, seen: boolean[]): boolean => {
    for (let p = 0; p < P.length; p += 1) {
      if (seen[p] || dice(L[l]!, P[p]!) < MATCH_THRESHOLD) continue;
      seen[p] = true;
      if (owner[p] === -1 || tryAssign(owner[p]!, seen)) {
        owner[p] = l;
        return true;
      }
    }
    return false;
  };
  L.forEach((_, l) => tryAssign(l, new Array<boolean>(P.length).fill(false)));
  return owner.flatMap((l, p) => (l === -1 ? [] : [[l, p] as [number, number]]));
}

/** What one extractor produced for one conversation. */
export interface Extraction {
  discarded: boolean;
  category: ConversationCategory;
  tasks: Array<{ description: string; dueAt: string | null }>;
  memories: string[];
  overview: string;
}

export type Extractor = (c: LabelledConversation) => Promise<Extraction>;

export interface ConversationScore {
  id: string;
  discardCorrect: boolean;
  categoryCorrect: boolean | null;
  tasks: { predicted: number; expected: number; matched: number; dueCorrect: number; trapHits: number };
  memories: { predicted: number; expected: number; matched: number };
  overviewNamesAccount: boolean;
  missedTasks: string[];
  extraTasks: string[];
  missedMemories: string[];
  extraMemories: string[];
}

export const ACCOUNT_NAME = 'Alex';

export function scoreConversation(c: LabelledConversation, x: Extraction): ConversationScore {
  const tasks = x.discarded ? [] : x.tasks;
  const memories = x.discarded ? [] : x.memories;
  const taskPairs = matchItems(c.tasks.map((t) => t.description), tasks.map((t) => t.description));
  const dueCorrect = taskPairs.filter(([l, p]) => (tasks[p]!.dueAt?.slice(0, 10) ?? null) === c.tasks[l]!.due).length;
  const trapHits = matchItems(c.traps, tasks.map((t) => t.description)).length;
  const memoryPairs = matchItems(c.memories, memories);
  const cap = MAX_MEMORIES_PER_CONVERSATION;
  const taskL = new Set(taskPairs.map(([l]) => l));
  const taskP = new Set(taskPairs.map(([, p]) => p));
  const memL = new Set(memoryPairs.map(([l]) => l));
  const memP = new Set(memoryPairs.map(([, p]) => p));
  return {
    id: c.id,
    discardCorrect: x.discarded === c.discarded,
    categoryCorrect: c.discarded ? null : !x.discarded && c.categories.includes(x.category),
    tasks: { predicted: tasks.length, expected: c.tasks.length, matched: taskPairs.length, dueCorrect, trapHits },
    memories: { predicted: memories.length, expected: Math.min(c.memories.length, cap), matched: Math.min(memoryPairs.length, cap) },
    overviewNamesAccount: new RegExp(`\\b${ACCOUNT_NAME}\\b`).test(x.overview),
    missedTasks: c.tasks.filter((_, i) => !taskL.has(i)).map((t) => t.description),
    extraTasks: tasks.filter((_, i) => !taskP.has(i)).map((t) => t.description),
    missedMemories: c.memories.filter((_, i) => !memL.has(i)),
    extraMemories: memories.filter((_, i) => !memP.has(i)),
  };
}

export function processorExtractor(processor: ConversationProcessor): Extractor {
  return async (c) => {
    const input = labelledInput(c, ACCOUNT_NAME);
    const { discarded, structured } = await processor.summarize(input);
    const memories = discarded ? [] : await processor.extractMemories(input, { existing: [] });
    return {
      discarded,
      category: structured.category,
      tasks: structured.actionItems.map((a) => ({ description: a.description, dueAt: a.dueAt })),
      memories: memories.map((m) => m.content),
      overview: structured.overview,
    };
  };
}

const TASK_CUE = /\b(?:i'll|i will|i need to|i have to|i've got to|i gotta|i must|i should|remember to|remind me to)\b/i;
const MEMORY_CUE = /\b(?:my \w+(?: \w+)? (?:is|are|was)|i have|i've got|i like|i love|i'm an?|i am an?|i live|i work)\b/i;

/** The naive baseline: the user's sentences with a task cue or a "my X is / I have / I like" cue, as they are. */
export function baselineExtractor(category: ConversationCategory): Extractor {
  return async (c) => {
    const own = c.lines === null ? c.text.split('\n') : c.lines.filter((l) => l.speaker === 'me').map((l) => l.text);
    const sentences = own.flatMap((t) => t.split(/(?<=[.!?])\s+/)).map((s) => s.trim()).filter(Boolean);
    return {
      discarded: sentences.join(' ').split(/\s+/).length < 6,
      category,
      tasks: sentences.filter((s) => TASK_CUE.test(s)).map((description) => ({ description, dueAt: null })),
      memories: sentences.filter((s) => MEMORY_CUE.test(s)).slice(0, MAX_MEMORIES_PER_CONVERSATION),
      overview: '',
    };
  };
}

export interface PRF {
  precision: number;
  recall: number;
  f1: number;
}

export interface SetSummary {
  conversations: number;
  tasks: PRF & { dueAccuracy: number; trapHits: number };
  memories: PRF;
  categoryAccuracy: number;
  discardAccuracy: number;
  overviewsNamingAccount: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
const prf = (matched: number, predicted: number, expected: number): PRF => {
  const precision = ratio(matched, predicted);
  const recall = ratio(matched, expected);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
};

export function summarise(scores: readonly ConversationScore[]): SetSummary {
  const sum = (f: (s: ConversationScore) => number): number => scores.reduce((n, s) => n + f(s), 0);
  const categorised = scores.filter((s) => s.categoryCorrect !== null);
  const matchedTasks = sum((s) => s.tasks.matched);
  return {
    conversations: scores.length,
    tasks: {
      ...prf(matchedTasks, sum((s) => s.tasks.predicted), sum((s) => s.tasks.expected)),
      dueAccuracy: ratio(sum((s) => s.tasks.dueCorrect), matchedTasks),
      trapHits: sum((s) => s.tasks.trapHits),
    },
    memories: prf(sum((s) => s.memories.matched), sum((s) => s.memories.predicted), sum((s) => s.memories.expected)),
    categoryAccuracy: ratio(categorised.filter((s) => s.categoryCorrect).length, categorised.length),
    discardAccuracy: ratio(scores.filter((s) => s.discardCorrect).length, scores.length),
    overviewsNamingAccount: scores.filter((s) => s.overviewNamesAccount).length,
  };
}

export async function scoreSet(extract: Extractor, set: readonly LabelledConversation[]): Promise<ConversationScore[]> {
  const scores: ConversationScore[] = [];
  for (const c of set) scores.push(scoreConversation(c, await extract(c)));
  return scores;
}

const pct = (n: number): string => `${Math.round(n * 100)}%`.padStart(5);

export function formatSummaries(rows: ReadonlyArray<[string, SetSummary]>): string {
  const head = `${''.padEnd(18)}${'tasks P'.padStart(8)}${'R'.padStart(6)}${'F1'.padStart(6)}${'due'.padStart(6)}${'traps'.padStart(7)}` +
    `${'memories P'.padStart(12)}${'R'.padStart(6)}${'F1'.padStart(6)}${'category'.padStart(10)}${'discard'.padStart(9)}${'names acct'.padStart(12)}`;
  const lines = rows.map(([name, s]) =>
    `${name.padEnd(18)}${pct(s.tasks.precision).padStart(8)}${pct(s.tasks.recall).padStart(6)}${pct(s.tasks.f1).padStart(6)}` +
    `${pct(s.tasks.dueAccuracy).padStart(6)}${String(s.tasks.trapHits).padStart(7)}${pct(s.memories.precision).padStart(12)}` +
    `${pct(s.memories.recall).padStart(6)}${pct(s.memories.f1).padStart(6)}${pct(s.categoryAccuracy).padStart(10)}` +
    `${pct(s.discardAccuracy).padStart(9)}${`${s.overviewsNamingAccount}/${s.conversations}`.padStart(12)}`,
  );
  return [head, ...lines].join('\n');
}

/** Per-conversation misses and extras (only ever printed for the tuning split). */
export function formatDetails(scores: readonly ConversationScore[]): string {
  const out: string[] = [];
  for (const s of scores) {
    const bad = [...s.missedTasks.map((t) => `  missed task:   ${t}`), ...s.extraTasks.map((t) => `  extra task:    ${t}`),
      ...s.missedMemories.map((t) => `  missed memory: ${t}`), ...s.extraMemories.map((t) => `  extra memory:  ${t}`)];
    if (!s.discardCorrect) bad.push('  discard decision wrong');
    if (s.categoryCorrect === false) bad.push('  category wrong');
    if (s.overviewNamesAccount) bad.push('  overview names the account');
    if (bad.length) out.push(s.id, ...bad);
  }
  return out.join('\n');
}
