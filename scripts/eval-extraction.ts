/**
 * Extraction quality of a processor over the transcript fixtures: action-item, event and memory
 * precision/recall, due-date and event-start accuracy, discard and category accuracy.
 *
 * Matching rule: a prediction matches an expected item when it contains its `match` keywords
 * (all of them when there are one or two, all but one when there are more), case-insensitively,
 * where a keyword word matches any word it begins once a final "e" or "s" is dropped ("escalate"
 * matches "escalating", "flights" matches "flight"), and a keyword phrase matches consecutive
 * words. Matching is one-to-one (maximum bipartite matching). An event is judged on its title and
 * description. Memory recall is out of min(expected, 4), since at most four are kept.
 *
 * Run directly (`npm run eval:extraction`) to print, first, the labelled extraction set's test split
 * (test/fixtures/extraction, scored by scripts/extraction-scoring.ts) beside a naive baseline,
 * then the older tuning and held-out fixtures scored by the keyword rule above.
 */
import { pathToFileURL } from 'node:url';
import { OfflineProcessor } from '../src/processing/offline/offline-processor.ts';
import { MAX_MEMORIES_PER_CONVERSATION, type ConversationProcessor } from '../src/processing/processor.ts';
import type { ConversationCategory } from '../src/modules/conversations/categories.ts';
import { loadLabelled, type LabelledConversation } from '../test/fixtures/extraction/index.ts';
import { baselineExtractor, formatDetails, formatSummaries, processorExtractor, scoreSet, summarise } from './extraction-scoring.ts';
import { acceptableCategories, loadTranscripts, toProcessingInput, type TranscriptFixture } from '../test/fixtures/transcripts/index.ts';

export interface Counts {
  predicted: number;
  expected: number;
  matched: number;
}

export interface FixtureScore {
  id: string;
  discardCorrect: boolean;
  /** Null for fixtures that should be discarded. */
  categoryCorrect: boolean | null;
  actionItems: Counts & { dueCorrect: number };
  events: Counts & { startCorrect: number };
  memories: Counts;
}

export interface ExtractionReport {
  fixtures: FixtureScore[];
  overall: {
    actionItems: Rates & { dueAccuracy: number };
    events: Rates & { startAccuracy: number };
    memories: Rates;
    discardAccuracy: number;
    categoryAccuracy: number;
  };
}

export interface Rates {
  precision: number;
  recall: number;
}

const root = (word: string): string => {
  const w = word.toLowerCase();
  return w.length > 3 ? w.replace(/[es]$/, '') : w;
};
const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

export function keywordMatches(text: string, keyword: string): boolean {
  const roots = words(keyword).map(root);
  const tokens = words(text);
  return tokens.some((_, i) => roots.every((r, j) => tokens[i + j]?.startsWith(r) ?? false));
}

export function itemMatches(text: string, match: readonly string[]): boolean {
  const hits = match.filter((k) => keywordMatches(text, k)).length;
  return match.length <= 2 ? hits === match.length : hits >= match.length - 1;
}

/** Maximum one-to-one matching (Kuhn's algorithm): pairs of [expected, predicted] indices. */
export function matchOneToOne(expected: readonly string[][], predicted: readonly string[]): Array<[number, number]> {
  const owner = new Array<number>(predicted.length).fill(-1);
  const tryAssign = (e: number, seen: boolean[]): boolean => {
    for (let p = 0; p < predicted.length; p += 1) {
      if (seen[p] || !itemMatches(predicted[p]!, expected[e]!)) continue;
      seen[p] = true;
      if (owner[p] === -1 || tryAssign(owner[p]!, seen)) {
        owner[p] = e;
        return true;
      }
    }
    return false;
  };
  expected.forEach((_, e) => tryAssign(e, new Array<boolean>(predicted.length).fill(false)));
  return owner.flatMap((e, p) => (e === -1 ? [] : [[e, p] as [number, number]]));
}

export async function scoreFixture(processor: ConversationProcessor, fixture: TranscriptFixture, userName = 'Alex'): Promise<FixtureScore> {
  const input = toProcessingInput(fixture, userName);
  const { discarded, structured } = await processor.summarize(input);
  const memories = discarded ? [] : await processor.extractMemories(input, { existing: [] });
  const exp = fixture.expected;

  const items = discarded ? [] : structured.actionItems;
  const itemPairs = matchOneToOne(exp.actionItems.map((a) => a.match), items.map((a) => a.description));
  const dueCorrect = itemPairs.filter(([e, p]) => (items[p]!.dueAt?.slice(0, 10) ?? null) === exp.actionItems[e]!.due).length;

  const events = discarded ? [] : structured.events;
  const eventPairs = matchOneToOne(exp.events.map((e) => e.match), events.map((e) => `${e.title} ${e.description}`));
  const startCorrect = eventPairs.filter(([e, p]) => Date.parse(events[p]!.start) === Date.parse(exp.events[e]!.start)).length;

  const memoryPairs = matchOneToOne(exp.memories.map((m) => m.match), memories.map((m) => m.content));
  return {
    id: fixture.id,
    discardCorrect: discarded === exp.discarded,
    categoryCorrect: exp.discarded ? null : acceptableCategories(fixture).includes(structured.category),
    actionItems: { predicted: items.length, expected: exp.actionItems.length, matched: itemPairs.length, dueCorrect },
    events: { predicted: events.length, expected: exp.events.length, matched: eventPairs.length, startCorrect },
    memories: {
      predicted: memories.length,
      expected: Math.min(exp.memories.length, MAX_MEMORIES_PER_CONVERSATION),
      matched: Math.min(memoryPairs.length, MAX_MEMORIES_PER_CONVERSATION),
    },
  };
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

function rates(counts: Counts[]): Rates {
  const sum = (k: keyof Counts): number => counts.reduce((s, c) => s + c[k], 0);
  return { precision: ratio(sum('matched'), sum('predicted')), recall: ratio(sum('matched'), sum('expected')) };
}

export async function evaluateExtraction(processor: ConversationProcessor, fixtures: readonly TranscriptFixture[]): Promise<ExtractionReport> {
  const scores: FixtureScore[] = [];
  for (const fixture of fixtures) scores.push(await scoreFixture(processor, fixture));
  const items = scores.map((s) => s.actionItems);
  const events = scores.map((s) => s.events);
  const categorised = scores.filter((s) => s.categoryCorrect !== null);
  return {
    fixtures: scores,
    overall: {
      actionItems: { ...rates(items), dueAccuracy: ratio(items.reduce((s, c) => s + c.dueCorrect, 0), items.reduce((s, c) => s + c.matched, 0)) },
      events: { ...rates(events), startAccuracy: ratio(events.reduce((s, c) => s + c.startCorrect, 0), events.reduce((s, c) => s + c.matched, 0)) },
      memories: rates(scores.map((s) => s.memories)),
      discardAccuracy: ratio(scores.filter((s) => s.discardCorrect).length, scores.length),
      categoryAccuracy: ratio(categorised.filter((s) => s.categoryCorrect).length, categorised.length),
    },
  };
}

const pct = (n: number): string => `${Math.round(n * 100)}%`.padStart(5);
const pr = (c: Counts): string => `${c.matched}/${c.predicted}p ${c.matched}/${c.expected}r`.padEnd(14);

export function formatReport(report: ExtractionReport): string {
  const lines = [
    `${'fixture'.padEnd(20)} ${'discard'.padEnd(8)}${'category'.padEnd(9)}${'actions'.padEnd(14)} ${'due'.padEnd(5)} ${'events'.padEnd(14)} ${'start'.padEnd(6)}memories`,
  ];
  for (const s of report.fixtures) {
    lines.push(
      `${s.id.padEnd(20)} ${(s.discardCorrect ? 'ok' : 'WRONG').padEnd(8)}${(s.categoryCorrect === null ? '-' : s.categoryCorrect ? 'ok' : 'WRONG').padEnd(9)}` +
        `${pr(s.actionItems)} ${`${s.actionItems.dueCorrect}/${s.actionItems.matched}`.padEnd(5)} ${pr(s.events)} ` +
        `${`${s.events.startCorrect}/${s.events.matched}`.padEnd(6)}${pr(s.memories)}`,
    );
  }
  const o = report.overall;
  lines.push(
    '',
    `action items  precision ${pct(o.actionItems.precision)}  recall ${pct(o.actionItems.recall)}  due-date accuracy ${pct(o.actionItems.dueAccuracy)}`,
    `events        precision ${pct(o.events.precision)}  recall ${pct(o.events.recall)}  start accuracy    ${pct(o.events.startAccuracy)}`,
    `memories      precision ${pct(o.memories.precision)}  recall ${pct(o.memories.recall)}`,
    `discard accuracy ${pct(o.discardAccuracy)}   category accuracy ${pct(o.categoryAccuracy)}`,
  );
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `--tuning` prints the tuning split of the labelled set with per-conversation misses; a plain
  // argument keeps only the older fixtures whose id starts with it (`tsx scripts/eval-extraction.ts holdout3-`).
  const tuning = process.argv.includes('--tuning');
  const prefix = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '';
  const processor = new OfflineProcessor();
  const split = loadLabelled(tuning ? 'tuning' : 'test');
  const majority = majorityCategory(loadLabelled('tuning'));
  const started = performance.now();
  const offline = await scoreSet(processorExtractor(processor), split);
  const msPer = (performance.now() - started) / split.length;
  const baseline = await scoreSet(baselineExtractor(majority), split);
  console.log(`Labelled set, ${tuning ? 'TUNING' : 'TEST'} split (test/fixtures/extraction: ${split.length} conversations${tuning ? '' : ', never tuned on'})\n`);
  console.log(formatSummaries([['offline', summarise(offline)], ['naive baseline', summarise(baseline)]]));
  console.log(`\noffline: ${msPer.toFixed(1)} ms per conversation (summary + memories); baseline category = "${majority}" (tuning majority)`);
  if (tuning) console.log(`\n${formatDetails(offline)}`);
  console.log('\nOlder tuning set (test/fixtures/transcripts: the heuristics were developed against these)\n');
  console.log(formatReport(await evaluateExtraction(processor, loadTranscripts().filter((f) => f.id.startsWith(prefix)))));
  console.log('\nHeld-out set (test/fixtures/held-out: never seen while tuning)\n');
  console.log(formatReport(await evaluateExtraction(processor, loadTranscripts('held-out').filter((f) => f.id.startsWith(prefix)))));
}

function majorityCategory(set: readonly LabelledConversation[]): ConversationCategory {
  const counts = new Map<ConversationCategory, number>();
  for (const c of set) for (const k of c.categories) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'other';
}
