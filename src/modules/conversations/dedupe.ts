/**
 * Near-duplicate checks for what extraction writes: "Send Sarah the deck" and "send the deck to
 * Sarah" are one task; "Lives in Lisbon." and "lives in lisbon" are one fact.
 */
const STOPWORDS = new Set(
  'a an the to for of on in at by with and or my your our their his her its me you we i it this that these those please up'.split(' '),
);

const tokens = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((t) => t !== '' && !STOPWORDS.has(t))
    .map((t) => (t.length > 3 && t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t));

/** Lower-cased words without punctuation: equal strings are the same fact. */
export const normalizeFact = (text: string): string => tokens(text).join(' ');

/** Same task if the meaningful words mostly coincide (Jaccard ≥ 0.75), or one's words contain all of the other's. */
export function isDuplicateTask(a: string, b: string): boolean {
  const left = new Set(tokens(a));
  const right = new Set(tokens(b));
  if (left.size === 0 || right.size === 0) return normalizeFact(a) === normalizeFact(b);
  let shared = 0;
  for (const t of left) if (right.has(t)) shared++;
  const union = left.size + right.size - shared;
  const contained = shared === Math.min(left.size, right.size) && Math.min(left.size, right.size) >= 2;
  return shared / union >= 0.75 || contained;
}
