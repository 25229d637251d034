/**
 * Picks a category for a memory created without one. Upstream asks an LLM for `system` (a fact
 * about the user) or `interesting` (wisdom or advice from someone else); an LLM-backed
 * implementation can replace the offline one without touching the memories service.
 */
export interface MemoryCategorizer {
  categorize(content: string): Promise<'system' | 'interesting'>;
}

const FIRST_PERSON = /\b(i|i'm|i've|i'd|i'll|me|my|mine|myself|we|our|us)\b/gi;
const ABOUT_USER =
  /^(the )?user\b|\b(user|he|she|they) (is|was|has|have|likes?|loves?|prefers?|works?|lives?|wants?|needs?|enjoys?|hates?|dislikes?|owns?|plays?|studies|studied|uses?|speaks?|drinks?|eats?)\b/i;
const PERSONAL_FACT =
  /\b(name is|years old|born|birthday|allergic|favou?rite|live[sd]? in|moved to|work(s|ed)? (at|as|for|on)|job|married|wife|husband|partner|girlfriend|boyfriend|son|daughter|kids?|children|sister|brother|mother|father|mom|dad|parents?|dog|cat|pet|prefer|likes?|loves?|hates?|enjoys?|hobby|goal|plan(s|ning)? to|learning|studying)\b/i;
const ATTRIBUTION =
  /\b(said|says|told|tells|according to|quoted?|advises?|advice|recommends?|suggests?|argues?|believes?|wrote|writes|explains?|points? out|notes?|put it|reportedly|famously|teaches|taught|warns?|observed)\b/i;
/** Someone else's advice to the user ("my coach told me to…") is advice, however personal it sounds. */
const ADVICE_TO_USER =
  /\b(told|tells|advised|advises|taught|teaches|reminded|reminds|warned|warns|encouraged|urged) me (to|that|how|not to|never|always)\b/i;
/**
 * A fragment with the user as implied subject: "Drinks oat milk", "Has two kids". A plural noun
 * followed by its verb ("Habits are…", "Dogs make…") is a general subject instead.
 */
const IMPLIED_USER_SUBJECT =
  /^(?!(this|his|its|is|was|us|news)\b)[a-z]*[^\Ws]s\b(?!\s+(are|were|can|could|should|will|would|may|might|must|do|don't|make|help|need)\b)/i;
/** A general claim about the world: a present-tense verb with nobody in particular as subject. */
const GENERAL_CLAIM =
  /\b(is|are|makes?|helps?|improves?|leads? to|beats?|matters?|wins?|comes? from|requires?|depends on|reduces?|increases?|creates?|builds?)\b/i;
const WISDOM =
  /\b(always|never|the key to|the secret|the best way|you should|you must|you can|people|everyone|anyone|most|life|success|happiness|learn|lesson|principle|rule of thumb|habit|don't|do not|remember that|it's important|it is important|tip)\b/i;

/** The built-in, deterministic classifier: keyword and grammar cues, no network. */
export class OfflineMemoryCategorizer implements MemoryCategorizer {
  async categorize(content: string): Promise<'system' | 'interesting'> {
    return classifyMemory(content);
  }
}

export function classifyMemory(content: string): 'system' | 'interesting' {
  const text = content.trim();
  let system = 0;
  let interesting = 0;
  const firstPerson = text.match(FIRST_PERSON)?.length ?? 0;
  system += Math.min(firstPerson, 3) * 1.5;
  if (ABOUT_USER.test(text)) system += 3;
  if (PERSONAL_FACT.test(text)) system += 1.5;
  if (ATTRIBUTION.test(text)) interesting += 2.5;
  if (ADVICE_TO_USER.test(text)) interesting += 3;
  if (WISDOM.test(text)) interesting += 1.5;
  if (/["“”]/.test(text)) interesting += 1.5;
  // Imperatives ("Drink water before coffee") read as advice.
  if (/^(always|never|don't|do|try|make|keep|start|stop|avoid|remember|use|take|be)\b/i.test(text)) interesting += 2;
  // A sentence about people in general rather than about the user.
  if (/^(people|everyone|nobody|most people|successful people|great|good|the best)\b/i.test(text)) interesting += 1.5;
  // With no cue pointing at the user, a statement of how things are reads as general insight.
  const aboutUser = system > 0 || IMPLIED_USER_SUBJECT.test(text);
  if (!aboutUser && GENERAL_CLAIM.test(text)) interesting += 1;
  return interesting > system ? 'interesting' : 'system';
}
