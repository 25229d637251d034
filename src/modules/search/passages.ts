import { words } from './query-terms.ts';
import type { Hit } from './search.types.ts';

/** Transcript segments per passage, and how far each passage starts after the one before. */
export const PASSAGE_SEGMENTS = 4;
const PASSAGE_STRIDE = 2;
/** What the best passage weighs beside the whole conversation's keyword score (which weighs 1 − this). */
export const PASSAGE_WEIGHT = 0.4;

/** A crude stemmer, enough to match "named" with "name" and "apartments" with "apartment". */
export const stem = (word: string): string => {
  if (word.length <= 3) return word;
  const bare = word.replace(/ies$/u, 'y').replace(/(?:ing|ed|es|s|ly)$/u, '');
  return (bare.length >= 3 ? bare : word).replace(/e$/u, '');
};

/** A conversation's passages: its summary (title and overview), then windows of its transcript. */
export interface PassageDocument {
  id: string;
  passages: string[];
}

/** Windows of PASSAGE_SEGMENTS consecutive segments, overlapping by half, after the summary if there is one. */
export function passagesOf(segments: readonly string[], summary?: string): string[] {
  const passages = summary?.trim() ? [summary] : [];
  for (let start = 0; start < segments.length; start += PASSAGE_STRIDE) {
    passages.push(segments.slice(start, start + PASSAGE_SEGMENTS).join(' '));
    if (start + PASSAGE_SEGMENTS >= segments.length) break;
  }
  return passages;
}

/**
 * Re-ranks a conversation search's keyword hits by their best passage: a window of a few
 * consecutive transcript segments, scored by how many of the query's words it holds, each
 * weighed by its rarity among all the candidates' passages (IDF). A long transcript that mentions
 * the query's words far apart, in unrelated chit-chat, no longer outranks the short exchange
 * where they come together. The final score mixes the conversation's keyword score (over the
 * best) with its best passage's (over the best); a hit without passages (not read) has only the
 * first, so it stays below every read hit that ranked above it.
 */
export function rerankByPassage(hits: readonly Hit[], documents: readonly PassageDocument[], queryTerms: readonly string[]): Hit[] {
  const terms = [...new Set(queryTerms.map(stem))];
  if (hits.length === 0 || terms.length === 0) return [...hits];
  const passages = new Map<string, Set<string>[]>();
  for (const doc of documents) passages.set(doc.id, doc.passages.map((text) => new Set(words(text).map(stem))));
  const all = [...passages.values()].flat();
  const idf = new Map(
    terms.map((t) => {
      const n = all.filter((w) => w.has(t)).length;
      return [t, Math.log(1 + (all.length - n + 0.5) / (n + 0.5))];
    }),
  );
  const best = new Map<string, number>();
  for (const [id, windows] of passages) {
    let top = 0;
    for (const w of windows) {
      let score = 0;
      for (const t of terms) if (w.has(t)) score += idf.get(t)!;
      top = Math.max(top, score);
    }
    best.set(id, top);
  }
  const keywordTop = Math.max(...hits.map((h) => h.score), 0) || 1;
  const passageTop = Math.max(...best.values(), 0) || 1;
  return hits
    .map((hit, order) => ({
      hit: { id: hit.id, score: (1 - PASSAGE_WEIGHT) * (hit.score / keywordTop) + (PASSAGE_WEIGHT * (best.get(hit.id) ?? 0)) / passageTop },
      order,
    }))
    .sort((a, b) => b.hit.score - a.hit.score || a.order - b.order)
    .map((x) => x.hit);
}
