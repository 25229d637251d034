/** MemoryCategory (omi-behaviour.md §5.1): accepted in requests and filters. */
export const MEMORY_CATEGORIES = [
  'interesting',
  'system',
  'manual',
  'workflow',
  'core',
  'hobbies',
  'lifestyle',
  'interests',
  'habits',
  'work',
  'skills',
  'learnings',
  'other',
  'auto',
] as const;

export type MemoryCategory = (typeof MEMORY_CATEGORIES)[number];

export const isMemoryCategory = (value: string): value is MemoryCategory =>
  (MEMORY_CATEGORIES as readonly string[]).includes(value);

/** Categories whose ranking boost is 0 in upstream's `scoring`; every other category gets 1. */
const NO_BOOST = new Set(['system', 'habits', 'other']);

/**
 * Upstream's ranking key `"{m:02d}_{c:02d}_{t:010d}"`: m = 1 if manually added, c = 999 − boost,
 * t = Unix seconds of created_at. Sorting it descending lists manual memories first, then
 * `system` before `interesting`, then the newest.
 */
export function scoringFor(manuallyAdded: boolean, category: string, createdAt: string): string {
  const m = manuallyAdded ? 1 : 0;
  const c = 999 - (NO_BOOST.has(category) ? 0 : 1);
  const t = Math.floor(Date.parse(createdAt) / 1000);
  return `${String(m).padStart(2, '0')}_${String(c).padStart(2, '0')}_${String(t).padStart(10, '0')}`;
}
