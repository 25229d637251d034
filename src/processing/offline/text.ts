/**
 * Text helpers shared by the offline processor: sentence splitting, tokenising, stopwords and
 * the clean-up of spoken disfluencies. Everything here is pure and locale-agnostic enough to
 * survive arbitrary Unicode; the heuristics themselves are tuned for English.
 */

export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also am an and any are aren't as at be because been before being " +
    "below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down " +
    "during each either else even ever every few for from further get gets got had hadn't has hasn't have " +
    "haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm " +
    "i've if in into is isn't it it's its itself just let let's me more most much must mustn't my myself no " +
    "nor not now of off on once one only or other ought our ours ourselves out over own per same shall she " +
    "she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then " +
    "there there's these they they'd they'll they're they've this those though through to too under until " +
    "up upon us very via was wasn't we we'd we'll we're we've were weren't what what's when when's where " +
    "where's whether which while who who's whom whose why why's will with won't would wouldn't yet you you'd " +
    "you'll you're you've your yours yourself yourselves gonna wanna gotta ll re ve s t d m"
  ).split(' '),
);

/** Words that carry no content in speech: disfluencies, backchannels, greetings, hedges. */
export const FILLERS: ReadonlySet<string> = new Set(
  (
    'um umm uh uhh uhm erm er ah ahh eh hmm hm hmmm mm mmm mhm mm-hm uh-huh uh-uh huh oh ooh oops wow yeah ' +
    'yea yep yup yes ya nah nope no okay ok okey alright right sure so well like anyway anyways actually ' +
    'basically literally totally really kinda sorta hey hi hello bye goodbye thanks thank cheers lol haha ' +
    'hahaha cool nice great fine good whatever pleeease please'
  ).split(' '),
);

/** Generic verbs and adverbs that are never a conversation's topic. */
export const WEAK_WORDS: ReadonlySet<string> = new Set(
  (
    'think know mean guess want need going go goes went come came say said says tell told make made take ' +
    'took see saw look looks looking thing things stuff lot bit way kind sort maybe probably definitely ' +
    'honestly pretty quite still already always never something anything everything nothing someone ' +
    'somebody anyone everyone people guy guys today tomorrow tonight yesterday morning afternoon evening ' +
    'night week weekend month year time day days minute minutes hour hours last next first second ' +
    'quick quickly little big new old else done doing talk talking said saying getting put give gave let ' +
    'works work-ish sounds sound perfect amazing awesome glad happy sorry fun true lets gets keep keeps ' +
    'monday tuesday wednesday thursday friday saturday sunday am pm like yeah omg thx'
  ).split(' '),
);

/** Normalises typographic quotes and spaces so regexes can rely on ASCII apostrophes. */
const NEEDS_NORMALIZING = /[\u2018\u2019\u02bc\u201c\u201d\u00a0\u2000-\u200b\u202f\t]| {2}/;

export function normalizeText(text: string): string {
  if (!NEEDS_NORMALIZING.test(text)) return text;
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u00a0\u2000-\u200b\u202f]/g, ' ')
    .replace(/[ \t]+/g, ' ');
}

/** Lower-cased word tokens (letters and digits, with inner apostrophes and hyphens). */
export function tokenize(text: string): string[] {
  return (normalizeText(text).toLowerCase().match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu) ?? []).map((t) =>
    t.replace(/^'+|'+$/g, ''),
  );
}

/** Tokens that carry content: not stopwords, fillers or generic verbs, and not bare numbers. */
export function contentTokens(text: string): string[] {
  return tokenize(text).filter(
    (t) => t.length > 1 && !STOPWORDS.has(t) && !FILLERS.has(t) && !WEAK_WORDS.has(t) && !/^\d+$/.test(t),
  );
}

/** A crude stem so "reports"/"report" and "booking"/"book" count as one term. */
export function stem(token: string): string {
  let t = token.replace(/'s$/, '');
  if (t.length > 5 && t.endsWith('ing')) t = t.slice(0, -3);
  else if (t.length > 4 && t.endsWith('ies')) t = `${t.slice(0, -3)}y`;
  else if (t.length > 4 && t.endsWith('ed')) t = t.slice(0, -2);
  else if (t.length > 3 && t.endsWith('s') && !t.endsWith('ss')) t = t.slice(0, -1);
  return t;
}

const ABBREVIATIONS = /\b(?:dr|mr|mrs|ms|st|vs|etc|e\.g|i\.e|a\.m|p\.m|approx|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|no)\.$/i;

/** Splits prose into sentences on terminal punctuation and line breaks, respecting abbreviations and decimals. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of normalizeText(text).split(/\n+/)) {
    let start = 0;
    const re = /[.!?…]+["')\]]*(?=\s|$)/g;
    for (let m = re.exec(line); m !== null; m = re.exec(line)) {
      const end = m.index + m[0].length;
      const candidate = line.slice(start, end);
      if (m[0] === '.' && ABBREVIATIONS.test(candidate)) continue;
      pushSentence(out, candidate);
      start = end;
    }
    pushSentence(out, line.slice(start));
  }
  return out;
}

function pushSentence(out: string[], raw: string): void {
  const s = raw.trim();
  if (s.length > 0 && /[\p{L}\p{N}]/u.test(s)) out.push(s);
}

const DISFLUENCY = /(^|[\s,;(])(?:u+m+|u+h+m*|e+r+m+|e+r+|a+h+|e+h|h+m+|m+h*m+|mhm|mm-hm|uh-huh)(?=$|[\s,.;!?)])[,]?/gi;

/**
 * Removes spoken disfluencies while keeping meaning: "um", "uh", "you know", "I mean", "like,"
 * and doubled words, then tidies the punctuation the removal leaves behind.
 */
export function stripFillers(sentence: string): string {
  let s = normalizeText(sentence);
  s = s.replace(DISFLUENCY, '$1');
  s = s.replace(/,\s*(?:you know|i mean)\s*,/gi, ' ');
  s = s.replace(/(^|[\s,])(?:you know|i mean|sort of like|kind of like)(?=[,.?!]|$)[,]?/gi, '$1');
  s = s.replace(/(^|[\s,])like,\s*/gi, '$1');
  s = s.replace(/,\s*like\s+(?=(?:a|an|the|\d|two|three|four|five|six|seven|eight|nine|ten)\b)/gi, ', ');
  s = s.replace(/\b(is|are|was|were|be|by|at|about|around|for|it's|that's)\s+like\s+/gi, '$1 ');
  s = s.replace(/\b([a-z']+)(?:,?\s+\1\b)+/gi, '$1');
  // A restarted phrase ("I need to I need to order", "I'll I'll call"): the repeat goes.
  s = s.replace(/\b((?:[a-z']+\s+){1,3}[a-z']+)\s+\1\b/gi, '$1');
  // A run-on dictation turns at "what else" and a mid-sentence "oh": a new thought starts there.
  s = s.replace(/\s+(?:and\s+)?(?:what else|oh,?\s+and|oh)\s+(?=[a-z])/g, '. ');
  // "and, uh, the" loses its filler but keeps the commas around it.
  s = s.replace(/\b(and|or|but|the|a|an|to|of|with|for|in|on|at)\s*,\s+/gi, '$1 ');
  return tidy(s);
}

/** Collapses the commas and spaces that edits leave behind. */
export function tidy(text: string): string {
  return text
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/([,;:])(?:\s*[,;:])+/g, '$1')
    .replace(/^[\s,;:.-]+/, '')
    .replace(/,\s*([.!?])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** Discourse openers that add nothing at the start of a sentence ("So, okay, yeah, the plan is…"). */
const OPENER =
  /^(?:(?:by the way|btw|fyi|oh and|anyhow|in any case|just so you know|so|okay|ok|oh|and|but|well|yeah|yes|yep|no(?=,)|right|alright|anyway|also|then|now|hey|great|cool|nice|perfect|sure|good|look|listen|honestly|actually|basically|wait|ha|haha|oof|hmm|thanks|thank you|one more thing|like(?=,)|(?:first|second|third|fourth|next|lastly|finally)(?=,)|not yet(?=[,.]|\s+i\b))\b[,.!]?\s*)+/i;

export function stripOpeners(sentence: string): string {
  const stripped = sentence.replace(OPENER, '');
  return stripped.length > 0 ? stripped : sentence;
}

export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** Ensures prose ends with terminal punctuation. */
export function ensurePeriod(text: string): string {
  const t = text.trim().replace(/[,;:\s-]+$/, '');
  if (t.length === 0) return t;
  return /[.!?…]["')\]]?$/.test(t) ? t : `${t}.`;
}

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with', 'vs']);

/** Title Case that keeps acronyms and mixed-case words ("Q3", "iPhone", "SOC") as written. */
export function titleCase(words: readonly string[]): string {
  return words
    .map((w, i) => {
      if (/[A-Z]/.test(w.slice(1)) || /\d/.test(w)) return capitalize(w);
      const lower = w.toLowerCase();
      if (i > 0 && i < words.length - 1 && SMALL_WORDS.has(lower)) return lower;
      return capitalize(lower);
    })
    .join(' ');
}

const SOUND_TAG =
  /[[(<*]\s*(?:music|applause|laughter|laughs?|laughing|inaudible|unintelligible|silence|static|noise|background(?: noise| music| chatter)?|crosstalk|coughs?|coughing|sighs?|sneezes?|blank_audio|no speech|indistinct|beep|tv|television|door|footsteps|breathing|music playing)\s*[\])>*]/gi;
const SHORT_TAG = /\[[^\]\n]{0,30}\]/g;
const MUSIC_NOTES = /[♪♫♬♩]+/g;

/** Removes sound tags ("[music]", "(applause)") and music notes from a transcript. */
export function removeSoundTags(text: string): string {
  return text.replace(SOUND_TAG, ' ').replace(SHORT_TAG, ' ').replace(MUSIC_NOTES, ' ');
}

/** A turn's sentences, without sound tags and disfluencies. */
export const cleanSentences = (text: string): string[] =>
  text.split(/\n+/).flatMap((line) => splitSentences(stripFillers(removeSoundTags(line))));
