import type { Memory } from './memories.types.ts';

/**
 * Keyword ranking over a user's memories: BM25 over stemmed terms, with prefix matches counted
 * at half weight, normalised to a relevance score in [0, 1]. Good enough for a person's memory
 * list; the search issue replaces it with an index.
 */
const STOP_WORDS = new Set(
  'a an and are as at be but by for from has have i in is it its me my of on or that the their them they this to was we were what when where which who will with you your'.split(' '),
);

export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  // The plural first, so that "meetings" and "meeting" end on the same stem.
  if (w.length > 3 && /(s|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  // "running" → "runn" → "run"
  if (w.length > 3 && w.at(-1) === w.at(-2) && !/[aeiouls]/.test(w.at(-1)!)) w = w.slice(0, -1);
  return w;
}

/** The words of a text as written (lower-cased, stop words dropped). */
function words(text: string): string[] {
  return (text.toLowerCase().normalize('NFKD').match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => !STOP_WORDS.has(t));
}

export function terms(text: string): string[] {
  return words(text).map(stem);
}

export interface ScoredMemory {
  memory: Memory;
  score: number;
}

export function rankMemories(memories: readonly Memory[], query: string, limit: number): ScoredMemory[] {
  // One entry per distinct stem, remembering the word as the user typed it.
  const queryTerms = new Map<string, string>();
  for (const word of words(query)) if (!queryTerms.has(stem(word))) queryTerms.set(stem(word), word);
  if (queryTerms.size === 0 || memories.length === 0) return [];
  const docs = memories.map((memory) => {
    const raw = words(`${memory.content} ${memory.tags.join(' ')}`);
    return { memory, raw, terms: raw.map(stem) };
  });
  const avgLength = docs.reduce((sum, d) => sum + d.terms.length, 0) / docs.length || 1;
  const idf = new Map<string, number>();
  for (const term of queryTerms.keys()) {
    const df = docs.filter((d) => d.terms.some((t) => t === term || t.startsWith(term))).length;
    idf.set(term, Math.log(1 + (docs.length - df + 0.5) / (df + 0.5)));
  }
  const totalIdf = [...idf.values()].reduce((a, b) => a + b, 0) || 1;
  const k1 = 1.2;
  const b = 0.75;
  const scored: ScoredMemory[] = [];
  for (const doc of docs) {
    let bm25 = 0;
    let coverage = 0;
    for (const [term, word] of queryTerms) {
      const exact = doc.terms.filter((t) => t === term).length;
      const prefix = doc.terms.filter((t) => t !== term && t.startsWith(term)).length;
      const tf = exact + prefix * 0.5;
      if (tf === 0) continue;
      const weight = idf.get(term)!;
      bm25 += (weight * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * doc.terms.length) / avgLength));
      // A word that starts with what was typed ("meetings" for "meeting") beats one that only
      // shares its stem ("meet").
      const asTyped = doc.raw.some((w) => w.startsWith(word));
      coverage += weight * (exact > 0 ? (asTyped ? 1 : 0.85) : 0.5);
    }
    if (bm25 === 0) continue;
    // Share of the query's weight that the memory covers, nudged by BM25 saturation.
    const score = 0.8 * (coverage / totalIdf) + 0.2 * (bm25 / (bm25 + 1));
    scored.push({ memory: doc.memory, score: Math.round(Math.min(1, score) * 10_000) / 10_000 });
  }
  return scored.sort((x, y) => y.score - x.score || (x.memory.scoring < y.memory.scoring ? 1 : -1)).slice(0, limit);
}
