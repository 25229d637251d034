import type { Hit } from './search.types.ts';

/** The usual RRF constant: rank 1 scores 1/61, so no single list dominates. */
export const RRF_K = 60;

/**
 * Reciprocal-rank fusion: each document scores Σ 1/(k + rank) over the lists it appears in.
 * Scores are divided by the best possible (first in every list), so `relevance_score` is in
 * [0, 1]: 1 means ranked first by every retriever. Ties keep the first list's order.
 */
export function reciprocalRankFusion(lists: readonly Hit[][], k = RRF_K): Hit[] {
  const scores = new Map<string, { score: number; order: number }>();
  let order = 0;
  for (const list of lists) {
    list.forEach((hit, i) => {
      const entry = scores.get(hit.id) ?? { score: 0, order: order++ };
      entry.score += 1 / (k + i + 1);
      scores.set(hit.id, entry);
    });
  }
  const best = lists.length / (k + 1);
  return [...scores.entries()]
    .sort((a, b) => b[1].score - a[1].score || a[1].order - b[1].order)
    .map(([id, { score }]) => ({ id, score: Math.round(Math.min(1, score / best) * 10_000) / 10_000 }));
}

/**
 * Keyword and vector hits fused by score, not by rank: each document scores its keyword score
 * over the best keyword score, plus `weight` times its similarity over the best similarity,
 * divided by 1 + weight (so scores are in [0, 1]). Unlike reciprocal ranks, which are nearly
 * flat over the first dozen places, this keeps a clear keyword winner first while letting
 * vectors settle close calls and bring in documents that share no word with the query.
 */
export function scoreFusion(keyword: readonly Hit[], vector: readonly Hit[], weight: number): Hit[] {
  const scores = new Map<string, { score: number; order: number }>();
  let order = 0;
  for (const [list, w] of [
    [keyword, 1],
    [vector, weight],
  ] as const) {
    const top = list.reduce((m, hit) => Math.max(m, hit.score), 0);
    if (top <= 0) continue;
    for (const hit of list) {
      const entry = scores.get(hit.id) ?? { score: 0, order: order++ };
      entry.score += (w * Math.max(0, hit.score)) / top;
      scores.set(hit.id, entry);
    }
  }
  return [...scores.entries()]
    .sort((a, b) => b[1].score - a[1].score || a[1].order - b[1].order)
    .map(([id, { score }]) => ({ id, score: Math.round(Math.min(1, score / (1 + weight)) * 10_000) / 10_000 }));
}
