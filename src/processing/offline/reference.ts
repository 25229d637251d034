/**
 * Just enough coreference for task descriptions to stand alone: "I'll send it over" after "can
 * you send me the test script?" becomes "Send over the test script". Only noun phrases with a
 * determiner in the last few sentences are candidates, and a pronoun with no plausible antecedent
 * makes the caller drop the item rather than guess.
 */
import { asName } from './names.ts';
import { STOPWORDS, WEAK_WORDS } from './text.ts';

/** A determiner and up to four following words; only the determiner is consumed, so phrases inside phrases are found too. */
const NP = /\b(?:the|a|an|my|your|our|their|his|her)\s+(?=([\p{L}\p{N}][\p{L}\p{N}'-]*[,.;:!?]?(?:\s+[\p{L}\p{N}][\p{L}\p{N}'-]*[,.;:!?]?){0,3}))/giu;
const OUT_OF = /\bout of\s+([\p{L}][\p{L}'-]*(?:\s+and\s+[\p{L}][\p{L}'-]*)?)/giu;
const NP_STOP = new Set(
  ('is are was were be been has have had keeps keep will would can could should did does do needs wants seems looks ' +
    'works goes gets makes takes says comes runs lives feels means uses expires starts ends').split(' '),
);
const PERSON_WORDS =
  /\b(grandma|grandpa|grandmother|grandfather|mom|mum|dad|mother|father|sister|brother|aunt|uncle|wife|husband|son|daughter|boss|manager|doctor|landlord|cousin|neighbou?r|technician|plumber|electrician|mechanic|nurse|teacher|coach)\b/gi;
const PHRASE_FOLLOWERS = new Set(['along', 'today', 'tomorrow', 'tonight', 'asap', 'soon', 'later', 'first']);
const DATE_LIKE = /^\d|^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december)$/;
/** Heads that are never what "it" or "them" refers to. */
const NOT_A_THING = new Set([...'way thing things point idea end bit lot time day week morning night price one ones rest'.split(' ')]);

const PREDICATE_QUESTION = /(?:^|[.!?]\s+)(?:is|isn't|was|wasn't)\s+(?:that|it|this)\s+(?:a|an|the)\b/i;

export interface NounPhrase {
  /** As it would read in a description: "the revised budget". */
  text: string;
  plural: boolean;
}

/** Sentences are scanned again for every pronoun near them; the result depends only on the text. */
const CACHE = new Map<string, NounPhrase[]>();
const CACHE_LIMIT = 2_000;

/** Noun phrases in a sentence, in order; the determiner is normalised to "the". */
export function nounPhrases(sentence: string): NounPhrase[] {
  const cached = CACHE.get(sentence);
  if (cached) return cached;
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  const out = scanNounPhrases(sentence);
  CACHE.set(sentence, out);
  return out;
}

function scanNounPhrases(sentence: string): NounPhrase[] {
  const out: NounPhrase[] = [];
  for (const m of sentence.matchAll(NP)) {
    const words: string[] = [];
    for (const w of m[1]!.split(/\s+/)) {
      const lower = w.toLowerCase();
      if (STOPWORDS.has(lower) || NP_STOP.has(lower) || (words.length > 0 && WEAK_WORDS.has(lower))) break;
      const word = w.replace(/[^\p{L}\p{N}'-]+$/u, '');
      words.push(word);
      // A plural noun ends the phrase ("the agency costs split out" → "the agency costs").
      if (/[,.;:!?]$/.test(w) || (words.length > 1 && /^[a-z]{3,}[^s's]s$/i.test(word))) break;
    }
    const head = words[words.length - 1]?.toLowerCase();
    if (!head || NOT_A_THING.has(head) || WEAK_WORDS.has(head) || DATE_LIKE.test(head)) continue;
    out.push({ text: `the ${words.join(' ')}`, plural: /[^s]s$/.test(head) || /\band\b/.test(words.join(' ')) });
  }
  for (const m of sentence.matchAll(OUT_OF)) out.push({ text: m[1]!, plural: true });
  return out;
}

/**
 * The antecedent of a pronoun among earlier sentences (nearest first): people for him/her,
 * plural phrases for them/those/these, singular ones for it/that/this.
 */
export function resolvePronoun(pronoun: string, earlier: readonly string[]): string | null {
  const p = pronoun.toLowerCase();
  for (const sentence of [...earlier].reverse()) {
    if (p === 'her' || p === 'him') {
      const people = [...sentence.matchAll(PERSON_WORDS)].map((m) => m[1]!.toLowerCase());
      const last = people[people.length - 1] ?? lastName(sentence);
      if (last) return last;
      continue;
    }
    // "Is that a problem?" only describes something already named.
    if (PREDICATE_QUESTION.test(sentence.trim())) continue;
    // "There's a shutoff valve on the pipe…" introduces the valve; what follows only locates it.
    const introduced = /\bthere(?:'s| is)\s+((?:a|an)\s.*)$/i.exec(sentence);
    const first = introduced && (p === 'it' || p === 'that' || p === 'this') ? nounPhrases(introduced[1]!)[0] : undefined;
    if (first && !first.plural) return first.text;
    const phrases = nounPhrases(sentence);
    const wantPlural = p === 'them' || p === 'those' || p === 'these' || p === 'some';
    const match = [...phrases].reverse().find((np) => (p === 'some' ? true : np.plural === wantPlural));
    if (match) return match.text;
  }
  return null;
}

/** A capitalised word inside a sentence that reads as a person's name ("Met with Priya about…"). */
const INNER_CAPITAL = /(?<=[\p{L},]\s+)([A-Z][a-z]+)\b(?!\s+[A-Z])/gu;
function lastName(sentence: string): string | null {
  const names = [...sentence.matchAll(INNER_CAPITAL)].map((m) => m[1]!).filter((w) => asName(w) !== null && !DATE_LIKE.test(w.toLowerCase()));
  return names[names.length - 1] ?? null;
}

/** "the report" → "the SOC 2 report" when an earlier sentence named it more fully. */
export function enrichPhrase(description: string, earlier: readonly string[]): string {
  return description.replace(/\bthe\s+([\p{L}][\p{L}'-]*)/giu, (whole, head: string, offset: number) => {
    // Only a complete phrase ("the report along…"), not the start of a longer one ("the test script").
    const next = description.slice(offset + whole.length).trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const bare = next.replace(/[^\p{L}']/gu, '');
    if (next !== '' && !STOPWORDS.has(bare) && !PHRASE_FOLLOWERS.has(bare)) return whole;
    let best = whole;
    for (const sentence of earlier) {
      for (const np of nounPhrases(sentence)) {
        const words = np.text.split(' ');
        if (words[words.length - 1]!.toLowerCase() === head.toLowerCase() && np.text.length > best.length) best = np.text;
      }
    }
    return best;
  });
}
