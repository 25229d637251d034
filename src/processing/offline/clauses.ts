/**
 * Clause structure: a sentence often carries several tasks ("I'll send the budget by Friday, and
 * she asked me to book the review"), and one clause several coordinated verbs ("update the roadmap
 * and tell the sales team"). Each clause owns the dates stated in it; coordinated verbs share
 * their clause's date.
 */
import { ACTION_VERBS, NON_TASK_VERBS } from './verbs.ts';

/**
 * Where one clause ends and the next begins: ";", ", and I…", "and then", "so", "but", "because",
 * and ", and the review is…" (a new subject with its verb, not one more item of a list).
 */
export const CLAUSE_SPLIT =
  /\s*;\s*|,?\s+(?:so|but|and then|because)\s+(?=\S)|,?\s+(?:'?cause|cuz|cos)\s+(?=(?:i|i'm|we|we're|it|it's|they|he|she|you)\b)|\s+(?:yeah|okay|ok)\s+and\s+(?=[a-z])|,\s+(?=(?:and\s+)?(?:i|we|you|i'll|we'll|i'm|let's|can you|could you|please|don't|remind|somebody|someone|it|she|he|they|can i|could i|should i|shall i|do you|is it|is that|are you|what|how|when|where|why|also|make sure|oh and|plus)\b)|,\s+(?=(?:and\s+)?(?:the|a|an|my|our|your|his|her|their|this|that)\s+(?:[a-z'-]+\s+){0,3}(?:is|are|was|were|will|has|have|needs?|starts?|opens?)\b)|\s+and\s+(?=(?:i|we|i'll|we'll|i'm|then|she|he|they)\b)/i;

export const splitClauses = (sentence: string): string[] => sentence.split(CLAUSE_SPLIT);

/**
 * What may follow a coordinated verb: an object or a particle, never a bare noun ("bread and water")
 * nor a pronoun for the first half's object ("draft the brief and share it" is one task).
 */
const OBJECT_START =
  /^(?:the|a|an|my|your|our|his|her|their|him|me|us|some|all|up|out|back|over|down|off|to|with|about|for|in|on|[A-Z][\p{L}'-]*|\d)\b(?!\s+(?:it|them|this|that)\b)/u;

/**
 * "update the roadmap and tell the sales team" → ["update the roadmap", "tell the sales team"].
 * Only splits before a task verb that takes an object, and only when every part opens with a task
 * verb and has at least two words; anything else stays one task.
 */
export function splitCoordinated(body: string): string[] {
  const parts: string[] = [];
  let rest = body;
  for (let guard = 0; guard < 4; guard += 1) {
    const at = findVerbAfterAnd(rest);
    if (at === null) break;
    parts.push(rest.slice(0, at.index).replace(/,\s*$/, ''));
    rest = rest.slice(at.verbIndex);
  }
  parts.push(rest);
  // Both halves must open with a task verb: "arrive early and bring the card" is one instruction.
  const opensWithTask = (p: string): boolean => ACTION_VERBS.has(p.trim().split(/\s+/)[0]?.toLowerCase() ?? '');
  return parts.length > 1 && parts.every((p) => p.trim().split(/\s+/).length >= 2 && opensWithTask(p)) ? parts : [body];
}

function findVerbAfterAnd(text: string): { index: number; verbIndex: number } | null {
  const re = /,?\s+(?:and|&)\s+(?:(?:also|then)\s+)?([a-z][a-z-]*)\s+/gi;
  for (const m of text.matchAll(re)) {
    const verb = m[1]!.toLowerCase();
    if (!ACTION_VERBS.has(verb) || NON_TASK_VERBS.has(verb)) continue;
    const after = text.slice(m.index + m[0].length);
    if (!OBJECT_START.test(after)) continue;
    // The first half must itself be a task, not a list item ("buy milk and call").
    if (m.index < 3) continue;
    return { index: m.index, verbIndex: m.index + m[0].lastIndexOf(m[1]!) };
  }
  return null;
}
