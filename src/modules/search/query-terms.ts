import type { KeywordQuery } from './search.types.ts';

/**
 * Words that carry no topic: articles, pronouns, auxiliaries, and the phrasing of questions to
 * a memory ("what did I say about…"). Dropped from keyword queries, since any one word matching
 * is enough for a document to be a candidate.
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our should so than that the their them then there these they this those to us was we were ' +
    'what when where which who whom why will with would you your ' +
    'about any anything ask asked did does know remember said say talk talked tell told mention mentioned ' +
    'something thing things ever again also just'
  ).split(' '),
);

const MAX_TERMS = 24;

/**
 * Lower-cased words, with accents folded from Latin letters only ("café" → "cafe", but "чай"
 * keeps its "й"): what both databases' tokenizers see as tokens.
 */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
      .normalize('NFC')
      .match(/[\p{L}\p{N}\p{M}]+/gu)
      // A mark with no letter to carry it ("´" alone) is no word; neither database can search it.
      ?.filter((w) => /[\p{L}\p{N}]/u.test(w)) ?? []
  );
}

/**
 * A user's query as keyword terms. Only letters and digits survive, so nothing a user types can
 * become FTS5 or tsquery syntax. A query made only of stop words keeps them (a search for
 * "the who" should still find something). The last word also matches as a prefix, unless the
 * query ends in a space or punctuation (it was typed out in full).
 */
export function parseKeywordQuery(text: string): KeywordQuery {
  const all = [...new Set(words(text))];
  const content = all.filter((w) => !STOP_WORDS.has(w));
  const terms = (content.length > 0 ? content : all).slice(0, MAX_TERMS);
  const last = terms.at(-1);
  const typedLast = words(text).at(-1);
  const prefix = last !== undefined && last === typedLast && last.length >= 3 && !/[\s\p{P}]$/u.test(text);
  return { terms, prefix };
}

/** Whether the text has any word that is neither a stop word nor in `alsoIgnore`. */
export const hasContentWords = (text: string, alsoIgnore: ReadonlySet<string> = new Set()): boolean =>
  words(text).some((w) => !STOP_WORDS.has(w) && !alsoIgnore.has(w));
