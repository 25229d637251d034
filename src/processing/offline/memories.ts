/**
 * Memories: facts the user states about themselves ("I live in…", "my sister Ana is…", "I'm
 * allergic to…"), written as short third-person facts with the user as implied subject, like
 * upstream's ("Lives in Lisbon", "Has a sister named Ana who is a nurse"), plus advice the user
 * was given ("my physio told me to…"), which is `interesting`. Only the user's own lines count —
 * in a note or a single-author text that is every line — never what others say about themselves.
 * At most four, strongest kinds first, skipping any the user already has (or nearly has).
 */
import { MAX_MEMORIES_PER_CONVERSATION, type ExtractedMemory } from '../processor.ts';
import { capitalize, contentTokens, stem, tidy } from './text.ts';
import { contextMemories } from './memory-context.ts';
import { resolvePronoun } from './reference.ts';
import { PEOPLE_PATTERNS, type MemoryPattern } from './memory-people.ts';
import type { Conversation } from './utterances.ts';

type Pattern = MemoryPattern;

const REST = String.raw`([^,.;!?]+)`;
const RELATIVES =
  'sister|brother|wife|husband|partner|girlfriend|boyfriend|fiancée?|mom|mum|mother|dad|father|son|daughter|best friend|cousin|grandma|grandmother|grandpa|grandfather|aunt|uncle|roommate';
const ADVISERS = 'coach|physio|physiotherapist|doctor|therapist|mentor|trainer|dentist|manager|boss|teacher|mom|mum|dad|mother|father|nutritionist';
const JOBS =
  '(?:senior |junior |lead |staff |head )?(?:[a-z]+ )?(?:engineer|developer|designer|manager|nurse|doctor|teacher|lawyer|accountant|architect|consultant|analyst|student|writer|chef|pharmacist|scientist|researcher|founder|programmer|photographer|therapist|paramedic|electrician|plumber)';
const MEDICATION = '([a-z]+(?:pril|olol|statin|formin|azole|sartan|pine|xetine|cillin|thyroxine|prazole|tidine))';
const NOT_AN_OBJECT = /^(?:it|that|this|you|him|her|them|to|when|how|the idea|the way|what|doing that|so much)\b/i;

const re = (source: string): RegExp => new RegExp(source, 'i');
const PATTERNS: readonly Pattern[] = [
  { re: re(String.raw`\bi(?:'m| am) (?:really |very |severely |super )?allergic to ${REST}`), weight: 10, build: (m) => `Is allergic to ${m[1]}` },
  { re: re(String.raw`\bi(?:'m| am) (?:really |very |a bit )?(lactose |gluten )?intolerant to ${REST}`), weight: 9, build: (m) => `Is intolerant to ${m[2]}` },
  { re: re(String.raw`\bi(?:'m| am) (?:now |currently )?(?:off|avoiding|cutting out|not eating) (gluten|dairy|meat|sugar|alcohol|carbs|caffeine|red meat)\b`), weight: 9, build: (m) => `Avoids ${m[1]!.toLowerCase()}` },
  { re: re(String.raw`\bi (?:can't|cannot|can not|don't|do not) (?:have|eat|drink|tolerate) (gluten|dairy|meat|pork|beef|shellfish|nuts|peanuts|eggs|alcohol|caffeine|sugar|lactose|wheat|spicy food)\b`), weight: 9, build: (m) => `Can't have ${m[1]!.toLowerCase()}` },
  { re: re(String.raw`\bi (?:always |usually |easily |tend to )?get (seasick|carsick|airsick|motion sick|migraines|hay ?fever|travel sick)\b`), weight: 7, build: (m) => `Gets ${m[1]!.toLowerCase()}` },
  { re: re(String.raw`\bi (tore|broke|sprained|injured|dislocated|fractured|ruptured|hurt) (?:my|the) ${REST}`), weight: 7, build: (m) => `${capitalize(m[1]!.toLowerCase())} their ${m[2]}` },
  { re: re(String.raw`\bi (?:always |usually |really )?(?:need|want|get|take|book) (?:the |an? )?(aisle|window)(?: seat)?\b`), weight: 6, build: (m) => `Prefers the ${m[1]!.toLowerCase()} seat` },
  { re: re(String.raw`\bi work (nights|night shifts?|days|weekends|shifts|part[- ]time|full[- ]time|evenings)\b`), weight: 7, build: (m) => `Works ${m[1]!.toLowerCase()}` },
  { re: re(String.raw`\bi work in (?:the |a |an )?${REST}`), weight: 8, build: (m) => `Works in ${m[1]}` },
  { re: re(String.raw`\bi(?:'m| am) (?:now |currently |actually )?(?:moving|relocating) (?:over )?to ${REST}`), weight: 8, build: (m) => `Is moving to ${m[1]}` },
  { re: re(String.raw`\bi (?:really )?(?:don't|do not|won't) want to (?:relocate|move)\b|\bi(?:'m| am) not (?:relocating|moving)\b`), weight: 7, build: (m) => `Does not want to relocate${placeIn(m.input)}` },
  { re: re(String.raw`\bi(?:'m| am) (?:currently )?interviewing (?:at|with|for) ([A-Z][\w&]*(?: [A-Z][\w&]*)?)`), weight: 7, build: (m) => `Is interviewing at ${m[1]}` },
  { re: new RegExp(String.raw`\b(?:after|before|from) (?:the|my) ([A-Z][\w&]*) interview\b`), weight: 6, build: (m) => `Interviewed at ${m[1]}` },
  { re: re(String.raw`\bmy (?:big |main )?goal is (?:to )?${REST}`), weight: 7, build: (m) => `Has a goal to ${m[1]}` },
  { re: re(String.raw`\bi(?:'m| am) (?:a )?(vegetarian|vegan|pescatarian|lactose intolerant|gluten[- ]free|diabetic|celiac|coeliac)\b`), weight: 9, build: (m) => `Is ${m[1]!.toLowerCase()}` },
  { re: re(String.raw`\b(?:i take|i'm on|i am on|my) ${MEDICATION}\b`), weight: 8, build: (m) => `Takes ${m[1]!.toLowerCase()}` },
  { re: re(String.raw`\bi (?:currently )?(?:live|am living|'m living) in ${REST}`), weight: 9, build: (m) => `Lives in ${m[1]}` },
  { re: re(String.raw`\bi work as (an? ${REST})`), weight: 9, build: (m) => `Works as ${m[1]}` },
  { re: re(String.raw`\bi(?:'m| am) (an? ${JOBS}\b(?: at [^,.;!?]+)?)`), weight: 8, build: (m) => `Is ${m[1]}` },
  { re: re(String.raw`\bi work (?:at|for) ${REST}`), weight: 8, build: (m) => `Works at ${m[1]}` },
  { re: re(String.raw`\bi (?:just |recently )?moved to ${REST}`), weight: 8, build: (m) => `Moved to ${m[1]}` },
  { re: re(String.raw`\bi grew up in ${REST}`), weight: 7, build: (m) => `Grew up in ${m[1]}` },
  {
    re: re(String.raw`\bi (?:actually )?grew up (?:like |about |just )?(?:near|around|outside|close to|(?:an? |\w+ )(?:minutes?|miles?|hours?|km) (?:from|outside|out of)) ${REST}`),
    weight: 7,
    build: (m) => `Grew up near ${m[1]}`,
  },
  { re: re(String.raw`\bi(?:'m| am) (?:originally )?from ([A-Z][^,.;!?]+)`), weight: 7, build: (m) => `Is from ${m[1]}` },
  {
    re: new RegExp(String.raw`\bmy (${RELATIVES})(?:'s name is|,)?\s+([A-Z][a-z]+)\b,?(?:\s+(is|works|lives|just|has|studies|teaches|runs|plays)\b([^,.;!?]*))?`),
    weight: 8,
    build: (m) => `Has a ${m[1]} named ${m[2]}${m[3] ? ` who ${m[3]}${m[4]}` : ''}`,
  },
  { re: re(String.raw`\bmy (${RELATIVES}) (is|works|lives|studies|teaches) ${REST}`), weight: 6, build: (m) => `Has a ${m[1]!.toLowerCase()} who ${m[2]} ${m[3]}` },
  { re: re(String.raw`\bmy birthday is (?:on )?${REST}`), weight: 8, build: (m) => `Birthday is on ${m[1]}` },
  { re: re(String.raw`\bi(?:'m| am|'ve| have)(?: just)?(?: got)? (married|engaged|divorced|pregnant)\b`), weight: 7, build: (m) => `Is ${m[1]!.toLowerCase()}` },
  { re: re(String.raw`\bi have (an? |two |three )(dog|cat|puppy|kitten|parrot|rabbit|hamster|horse)s?\b(?:\s+(?:named|called)\s+([A-Z][a-z]+))?`), weight: 7, build: (m) => `Has ${m[1]!.trim()} ${m[2]}${m[3] ? ` named ${m[3]}` : ''}` },
  { re: re(String.raw`\bi have (two|three|four|five|\d|a) (kids|children|sons|daughters|son|daughter)\b`), weight: 7, build: (m) => `Has ${m[1]} ${m[2]}` },
  { re: re(String.raw`\bi(?:'m| am|'ve been| have been) (?:now )?(learning|studying|practicing|practising) ${REST}`), weight: 7, build: (m) => `Is ${m[1]!.toLowerCase()} ${m[2]}` },
  { re: re(String.raw`\bi(?:'m| am) (\d{1,3}) years old\b`), weight: 6, build: (m) => `Is ${m[1]} years old` },
  { re: re(String.raw`\bi(?:'m| am|'ve been| have been) (?:actually |currently |now )?training for ${REST}`), weight: 7, build: (m) => `Is training for ${m[1]}` },
  { re: re(String.raw`\bi (?:really |strongly )?prefer ${REST}`), weight: 6, build: (m) => `Prefers ${m[1]}` },
  { re: re(String.raw`\bmy favou?rite ([a-z]+(?: [a-z]+)?) is ${REST}`), weight: 6, build: (m) => `Favourite ${m[1]!.toLowerCase()} is ${m[2]}` },
  {
    re: re(String.raw`\bmy (${ADVISERS}) (?:told|advised|recommended|suggested|reminded|wants) me (?:to|that i should) ([^.;!?]+)`),
    weight: 6,
    build: (m) => `Was advised by their ${m[1]!.toLowerCase()} to ${m[2]}`,
    category: 'interesting',
  },
  { re: re(String.raw`\bi play (the )?(guitar|piano|violin|drums|bass|cello|saxophone|tennis|football|soccer|basketball|chess|golf|padel|volleyball)\b`), weight: 5, build: (m) => `Plays ${m[1] ?? ''}${m[2]}` },
  { re: re(String.raw`\bi(?:'m| am) (?:a |an )(?:total |real |big |huge )?([a-z]+) person\b`), weight: 6, build: (m) => `Is a ${m[1]!.toLowerCase()} person` },
  {
    re: re(String.raw`\bi(?:'d| would)? (?:really )?(?:want|like|hope|plan) to (?:move (?:toward|towards|into) |become |grow into |step into )(?:an? )?([a-z]+(?: [a-z]+)?) role\b`),
    weight: 7,
    build: (m) => `Wants to become ${/^[aeiou]/i.test(m[1]!) ? 'an' : 'a'} ${m[1]!.toLowerCase()}`,
  },
  { re: re(String.raw`\bi (?:want|hope|plan) to become (an? [a-z]+(?: [a-z]+)?)`), weight: 7, build: (m) => `Wants to become ${m[1]}` },
  { re: re(String.raw`\bi (?:usually )?work (from home|remotely)( on [A-Za-z]+days)?\b`), weight: 6, build: (m) => `Works ${m[1]!.toLowerCase()}${m[2] ?? ''}` },
  { re: re(String.raw`\bi (?:really |absolutely |do |just )?(love|hate|enjoy|can't stand|dislike) ${REST}`), weight: 4, build: (m) => (NOT_AN_OBJECT.test(m[2]!) ? null : `${verb3(m[1]!)} ${m[2]}`) },
];

const ALL_PATTERNS: readonly Pattern[] = [...PATTERNS, ...PEOPLE_PATTERNS];

/** "…staying here in Denver, fully remote…": where the user is staying, and whether remotely. */
function placeIn(sentence: string): string {
  const place = /\b(?:in|from) ([A-Z][a-z]+)\b/.exec(sentence)?.[1];
  return `${place ? ` from ${place}` : ''}${/\bremote(?:ly)?\b/i.test(sentence) ? ', works remotely' : ''}`;
}

const verb3 = (v: string): string => ({ love: 'Loves', hate: 'Hates', enjoy: 'Enjoys', "can't stand": "Can't stand", dislike: 'Dislikes' })[v.toLowerCase()] ?? v;

const SKIP_SENTENCE = /\?\s*$|\b(?:if i|if we|would(?! (?:really )?like to)|wish|imagine|pretend|dream|someday|she said|he said|they said|was joking)\b/i;
const TAG_QUESTION = /,\s*(?:is|isn't|are|aren't|do|does|can|could|would|should|will|what|how|right|okay|ok|yeah)\b[^,]*\?\s*$/i;
const OBJECT_CUT = /,\s*(?:so|but|and|which|because|it's|it is|though)\b|\s+(?:so|but|because|though|since)\s+|\s+and (?:i|he|she|they|it|we)\b/i;
const TRAILING = /\s+(?:now|too|as well|though|anyway|these days|right now|at the moment|lately|really|actually|by the way|or something|you know)$/i;

export function extractMemories(conversation: Conversation, existing: readonly string[]): ExtractedMemory[] {
  const found: Array<ExtractedMemory & { weight: number; order: number }> = [];
  const earlier: string[] = [];
  for (const u of conversation.utterances) {
    if (!u.isUser) {
      earlier.push(...u.sentences);
      continue;
    }
    for (const sentence of u.sentences) {
      earlier.push(sentence);
      // "I'm on lisinopril, is that okay?": the statement stands without its tag question.
      const raw = sentence.replace(TAG_QUESTION, '.');
      if (SKIP_SENTENCE.test(raw)) continue;
      for (const p of ALL_PATTERNS) {
        const m = p.re.exec(raw);
        if (!m) continue;
        const content = withReferent(clean(p.build(m)), earlier.slice(-5, -1));
        if (content) found.push({ content, category: p.category ?? 'system', weight: p.weight, order: found.length });
      }
    }
  }
  for (const c of contextMemories(conversation)) {
    const content = clean(c.content);
    if (content) found.push({ content, category: c.category ?? 'system', weight: c.weight, order: found.length });
  }
  found.sort((a, b) => b.weight - a.weight || a.order - b.order);
  const kept: ExtractedMemory[] = [];
  const seen = existing.map(memoryKey);
  for (const f of found) {
    if (kept.length >= MAX_MEMORIES_PER_CONVERSATION) break;
    const key = memoryKey(f.content);
    if (key.size === 0 || seen.some((k) => nearDuplicate(k, key)) || namedElsewhere(f.content, found)) continue;
    seen.push(key);
    kept.push({ content: f.content, category: f.category });
  }
  return kept;
}

const KIN_NAMES = /^(?:grandma|grandpa|mom|mum|dad|nan|granny)$/i;

/** "Is allergic to her cat" → "Is allergic to Grandma's cat"; with nobody to name, the fact is dropped. */
function withReferent(content: string | null, earlier: readonly string[]): string | null {
  if (content === null || !/\b(?:her|his|him|she|he)\b/i.test(content)) return content;
  const who = resolvePronoun('her', earlier);
  if (who === null) return null;
  const name = /^[A-Z]/.test(who) ? who : KIN_NAMES.test(who) ? capitalize(who) : `their ${who}`;
  return content.replace(/\b(?:her|his)\b(?=\s+[a-z])/gi, `${name}'s`).replace(/\b(?:her|him|she|he)\b/gi, name);
}

function clean(content: string | null): string | null {
  if (content === null) return null;
  let s = content;
  const cut = OBJECT_CUT.exec(s);
  if (cut && cut.index > 0) s = s.slice(0, cut.index);
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(TRAILING, '').replace(/[\s,]+$/, '');
  }
  s = tidy(s);
  const words = s.split(/\s+/);
  if (words.length < 2 || words.length > 16) return null;
  return capitalize(s);
}

/** "Colleague is named Farah" says nothing "Colleague Farah just got promoted" does not. */
function namedElsewhere(content: string, found: ReadonlyArray<{ content: string }>): boolean {
  const m = /^(.+) is named ([A-Z][a-z]+)$/.exec(content);
  if (!m) return false;
  const phrase = `${m[1]!.toLowerCase()} ${m[2]!.toLowerCase()} `;
  return found.some((f) => f.content !== content && f.content.toLowerCase().startsWith(phrase));
}

/** The content's meaning-bearing terms, with "User"/"The user" and pronoun subjects dropped. */
export function memoryKey(content: string): Set<string> {
  const text = content.replace(/^\s*(?:the user|user|he|she|they)\b(?:'s)?/i, '');
  return new Set(contentTokens(text).map(stem).map((t) => t.replace(/e$/, '')));
}

/** Near-duplicates share most of their terms: 80% of the smaller set, or 60% of the union. */
export function nearDuplicate(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  const shared = [...a].filter((t) => b.has(t)).length;
  return shared / Math.min(a.size, b.size) >= 0.8 || shared / new Set([...a, ...b]).size >= 0.6;
}
