/**
 * First person to third person for overview sentences: "I just moved to Berlin and I prefer
 * morning meetings" → "Admin just moved to Berlin and prefers morning meetings". Every "I", "me",
 * "my" in the sentence is rewritten, or the sentence is reported as not rewritable (quoted
 * speech, a subject "I" with no recognisable verb), so an overview is never half rewritten.
 */
import { thirdPerson } from './verbs.ts';

const ADVERB = /^(?:kinda|sorta|just|really|also|still|already|never|always|usually|often|actually|definitely|probably|finally|recently|only|even|totally|mostly|honestly|basically)$/i;
const AUX: Record<string, string> = {
  "'m": 'is', am: 'is', "'ve": 'has', have: 'has', "'ll": 'will', will: 'will', "'d": 'would',
  was: 'was', do: 'does', "don't": "doesn't", "haven't": "hasn't", "'m not": 'is not',
};
const KEEP = new Set(
  ("can could should would must might may shall can't couldn't shouldn't wouldn't won't didn't wasn't did " +
    'went got met saw made had said told sent thought bought took came found left felt knew gave paid spent heard ran ate ' +
    'brought caught kept lost put read set sold wrote drove began chose fell forgot hit hurt let meant quit rode sat slept ' +
    'spoke stood taught understood woke won wore').split(' '),
);

/** Present-tense verbs that merely end in "ed". */
const PRESENT_ED = /^(?:need|feed|bleed|speed|breed|succeed|proceed|exceed|heed|seed|weed|shed)$/;

const FIRST_PERSON = /\b(?:I|I'm|I'll|I've|I'd)\b|\b(?:me|my|mine|myself)\b/i;

export const hasFirstPerson = (text: string): boolean => FIRST_PERSON.test(text);

/**
 * Said to the listener ("I'll text it to you, remind me if I forget"): in an overview about the
 * user, "you" has nobody to point at, so such a sentence is not rewritten.
 */
const ADDRESSED = /\b(?:you|your|you're|you'll|yours)\b|(?:^|[,;]\s*)(?:remind|tell|call|text|ask|let|give|send|show|help|remember)\s+me\b/i;

/** The sentence in the third person about `name`, or null when it cannot be rewritten safely. */
export function toThirdPerson(text: string, name: string): string | null {
  if (!hasFirstPerson(text)) return text;
  if (/["“”]/.test(text) || ADDRESSED.test(text)) return null;
  const tokens = text.replace(/\bI('m|'ll|'ve|'d)\b/g, 'I $1').split(/\s+/);
  const out: string[] = [];
  let named = false;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token !== 'I') {
      out.push(objectForm(token, name, out.length === 0));
      continue;
    }
    // The verb follows the subject, possibly after adverbs ("I just moved").
    let j = i + 1;
    const adverbs: string[] = [];
    for (;;) {
      if (j < tokens.length && ADVERB.test(tokens[j]!)) adverbs.push(tokens[j++]!);
      // "kind of" / "sort of" hedge the verb that follows; they are not the verb.
      else if (/^(?:kind|sort)$/i.test(tokens[j] ?? '') && tokens[j + 1] === 'of') adverbs.push(tokens[j++]!, tokens[j++]!);
      else break;
    }
    const verbToken = tokens[j];
    if (verbToken === undefined) return null;
    const [, verbWord = '', punct = ''] = /^([A-Za-z'-]+)(.*)$/.exec(verbToken) ?? [];
    const verb = conjugate(verbWord);
    if (verb === null) return null;
    const previous = out[out.length - 1]?.toLowerCase();
    // "…and I prefer" shares the subject already named; elsewhere the name is repeated.
    const dropSubject = named && (previous === 'and' || previous === 'but' || previous === 'or');
    if (!dropSubject) out.push(out.length === 0 ? name : name.replace(/^The /, 'the '));
    out.push(...adverbs, verb + punct);
    named = true;
    i = j;
  }
  const result = out.join(' ').replace(/\s+([,.;!?])/g, '$1');
  return hasFirstPerson(result) ? null : result;
}

function conjugate(verb: string): string | null {
  const lower = verb.toLowerCase();
  const aux = AUX[lower];
  if (aux) return aux;
  if (KEEP.has(lower) || (/ed$/.test(lower) && !PRESENT_ED.test(lower))) return lower;
  if (!/^[a-z]+$/.test(lower)) return null;
  return thirdPerson(lower);
}

function objectForm(token: string, name: string, first: boolean): string {
  const m = /^(me|my|mine|myself|Me|My|Mine|Myself)([,.;:!?)]*)$/.exec(token);
  if (!m) return token;
  const word = m[1]!.toLowerCase();
  const who = first ? name : name.replace(/^The /, 'the ');
  const form = word === 'myself' ? 'themselves' : word === 'me' ? who : `${who}'s`;
  return form + m[2]!;
}

const SECOND: Record<string, string> = {
  i: 'you', "i'm": "you're", "i'll": "you'll", "i've": "you've", "i'd": "you'd", me: 'you', my: 'your', mine: 'yours', myself: 'yourself',
};

/**
 * The user's own sentence told to them, for an overview that never needs the account's name:
 * "I'll send Priya the budget and my notes" → "You'll send Priya the budget and your notes".
 * Null when the sentence already speaks to someone ("I'll text it to you") or quotes speech.
 */
export function toSecondPerson(text: string): string | null {
  if (!hasFirstPerson(text)) return text;
  if (/["“”]/.test(text) || ADDRESSED.test(text)) return null;
  const out = text
    .replace(/\bI am\b/g, 'you are')
    .replace(/\bI was\b/g, 'you were')
    .replace(/\bI wasn't\b/g, "you weren't")
    .replace(/\b(?:I'm|I'll|I've|I'd|I|me|my|mine|myself)\b(?!-)/gi, (w) => SECOND[w.toLowerCase()] ?? w);
  return out.replace(/^you/, 'You');
}
