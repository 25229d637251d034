/**
 * Turns what follows a task trigger ("I'll ___", "can you ___?") into a description that stands
 * alone: an imperative without the deadline phrase, fillers or trailing hedges, with pronouns
 * resolved from the conversation and "you"/"me" rewritten for the reader of the to-do list.
 */
import type { Addressee } from './names.ts';
import { enrichPhrase, nounPhrases, resolvePronoun } from './reference.ts';
import { capitalize, STOPWORDS, tidy } from './text.ts';
import { ACTION_VERBS, DATIVE_VERBS, gerund, NON_TASK_VERBS, PARTICLES } from './verbs.ts';

export interface PhrasingContext {
  /** Earlier sentences of the conversation, oldest first (the last few are enough). */
  earlier: readonly string[];
  speakerIsUser: boolean;
  /** The speaker's real name, if known. */
  speakerName: string | null;
  addressee: Addressee | null;
  /** Whose task it is: the user's own list, or someone else's that the user follows up on. */
  owner: { isUser: true } | { isUser: false; name: string | null };
  /** A note or single-author text: "you" is the reader, left as written. */
  monologue: boolean;
}

/** `reference`: the body is "do that"/"handle it", a pointer to a task named just before. */
export type Phrased = { kind: 'task'; text: string; core: string } | { kind: 'reference' } | null;

const LEAD = /^(?:(?:also|just|quickly|definitely|really|actually|then|still|first|please|go ahead and|try to|try and|make sure to|make sure you|be sure to|need to|have to|get to|want to|gonna)\s+)+/i;
const HEDGE = /^(?:probably|maybe|perhaps|possibly)\b/i;
/** What a talk will cover next ("we'll get into index funds"), not something to do. */
const TALK = /^(?:get into|talk about|dive into|cover|discuss|look at (?:how|why|what|whether))\b/i;
const CUT =
  /,\s*(?:so|which|because|since|but|and then|or|though|like|right|okay|yeah|the)\b|\s+(?:because|so that|since|unless|as soon as|once|while|which|before the price|in case)\b|\s+(?:before|after|when|until)\s+(?:i|i'm|we|we're)\b|\s+or\s+(?:they|it|else|we|i|you|she|he)\b|\s+there\s+(?:was|is|were|are|'s)\b|[;:!?]|\s+[-–—]\s+|,\s*(?:i|we|it|that|this|she|he|they|just)\b|,\s+[a-z]+(?:\s+[a-z]+){0,2}\s+(?:is|are)\b/i;
/** "if" after "ask (Marcus)", "check", "see" is what to find out, not a condition. */
const CONDITION = /(?<!\b(?:check|see|ask|find out|know|confirm|sure)(?:\s+(?:[A-Z][a-z]+|him|her|them))?)\s+if\b/i;
const TRAILING =
  /[\s,]+(?:then|too|as well|though|anyway|okay|ok|right|please|for me|if you can|when you can|if possible|real quick|this time|again|first thing|now|later|soon|in a bit|asap|either way|tentatively|yeah|like|by|on|at|before|after|until|for|to|with|of|the|a|an|and|or|from|about|so|in|but|around|either|due|x)$/i;
const OBJECT_PRONOUN =
  /^(\S+)\s+(it|that|this|them|those|these|her|him|some(?!\s+of\b))\b(?:\s+(up|down|over|out|off|back|in|on|through|together)\b(?!\s+(?:the|a|an|my|your|our|his|her|their|this|that)\b))?(.*)$/i;
const TRAILING_PRONOUN = /\s+(on|with|about|for|into)\s+(it|that|this)$/i;
const DEMONSTRATIVE = /^(\S+)\s+(?:that|this|those|these)\s+(?!(?:up|down|over|out|off|back|in|on|through|together|to|for|with|at|by|from|and|or|but|if|so|when|is|are|was|were|will|would|can|could|should|now|then|today|tomorrow|tonight|too|again|first|asap|please|soon|later|one|ones)\b)([a-z][a-z-]*)\b/i;
/** Nothing after "do it" but an intensifier: "Do it, seriously". */
const AFTERWORD = /^[\s,]*(?:(?:seriously|please|now|then|asap|okay|ok|first|for me|for sure|already|honestly|properly)[\s,.!]*)*$/i;
const REFERENCE_VERBS = new Set(['do', 'handle', 'own', 'cover', 'take']);
const PICTOGRAPHS = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu;

export function phraseTask(body: string, ctx: PhrasingContext): Phrased {
  let s = tidy(body.replace(PICTOGRAPHS, ' ').replace(/["“”]/g, ''));
  s = s.replace(LEAD, '');
  if (HEDGE.test(s) || TALK.test(s)) return null;
  const cut = CUT.exec(s);
  if (cut && cut.index > 0) s = s.slice(0, cut.index);
  const cond = CONDITION.exec(s);
  if (cond && cond.index > 0) s = s.slice(0, cond.index);
  s = trimTrailing(s.replace(/[.,!?…]+$/, ''));
  const head = (s.split(/\s+/)[0] ?? '').toLowerCase();
  // "have him look at the window" is a task (have someone do it); "have it ready" is not.
  const causative = head === 'have' && /^have\s+(?:him|her|them|someone|somebody|the\s+\w+)\s+[a-z]+/i.test(s);
  if (!/^[a-z][a-z-]*$/.test(head) || (NON_TASK_VERBS.has(head) && !causative)) return null;
  if (/^take care of (?:it|that|this)\b/i.test(s)) return { kind: 'reference' };
  // "I'll book one": the thing was named in the request just made; the request is the task.
  if (/^\S+\s+(?:one|ones|one of those|some)$/i.test(s)) return { kind: 'reference' };
  // "get that knee looked at": a demonstrative before a noun is a determiner, not a pronoun.
  s = s.replace(DEMONSTRATIVE, (_m, verb: string, noun: string) => `${verb} the ${noun}`);
  // "Order both": the two things named just before, or nothing rather than a description without its objects.
  const both = /^(\S+)\s+(?:both|both of them|them both|all of them|them all)\b(.*)$/i.exec(s);
  if (both) {
    const pair = lastTwoThings(ctx.earlier);
    if (pair === null) return null;
    s = `${both[1]} ${pair}${both[2]}`;
  }
  const pronoun = OBJECT_PRONOUN.exec(s);
  if (pronoun) {
    if (REFERENCE_VERBS.has(head) && AFTERWORD.test(pronoun[4]!)) return { kind: 'reference' };
    const antecedent = resolvePronoun(pronoun[2]!, ctx.earlier);
    // "send her the budget" with no one to call "her" is still "Send the budget".
    const recipient = DATIVE_VERBS.has(head) && /^(?:her|him|them)$/i.test(pronoun[2]!) && /^\s+(?:the|a|an|my|our|your|some)\b/i.test(pronoun[4]!);
    if (antecedent === null && !recipient) return null;
    s = [pronoun[1], pronoun[3], antecedent].filter(Boolean).join(' ') + pronoun[4]!;
  }
  const dangling = TRAILING_PRONOUN.exec(s);
  if (dangling) {
    const antecedent = resolvePronoun(dangling[2]!, ctx.earlier);
    s = antecedent === null ? s.slice(0, dangling.index) : `${s.slice(0, dangling.index)} ${dangling[1]} ${antecedent}`;
  }
  if (STOPWORDS.has(head) && !ACTION_VERBS.has(head)) return null;
  s = rewritePeople(s, head, ctx);
  s = trimTrailing(tidy(s));
  let words = s.split(/\s+/);
  if (words.length < 2) return null;
  if (words.length > MAX_WORDS) words = shorten(words);
  const core = enrichPhrase(capitalize(words.join(' ')), ctx.earlier);
  const owner = ctx.owner;
  if (!owner.isUser && owner.name) return { kind: 'task', core, text: `Follow up with ${owner.name} on ${gerundize(core)}` };
  return { kind: 'task', core, text: core };
}

const MAX_WORDS = 14;

/** The last two things named in the last two sentences: "the class voucher and the biography of Churchill". */
function lastTwoThings(earlier: readonly string[]): string | null {
  const phrases = earlier.slice(-2).flatMap((sentence) => nounPhrases(sentence.replace(/\b(?:that|this)\s+(?=[a-z])/gi, 'the ')).filter((np) => !np.plural));
  const last = phrases.slice(-2).map((np) => np.text);
  return last.length === 2 && last[0] !== last[1] ? `${last[0]} and ${last[1]}` : null;
}

/** Cuts an overlong description at its last "and" or "with" that leaves a complete task, else at the limit. */
function shorten(words: string[]): string[] {
  for (let i = MAX_WORDS; i >= 4; i -= 1) {
    if (/^(?:and|with|for|so|because)$/i.test(words[i] ?? '')) return words.slice(0, i);
  }
  return trimTrailing(words.slice(0, MAX_WORDS).join(' ')).split(/\s+/);
}

function trimTrailing(text: string): string {
  let s = text.trim();
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(TRAILING, '').trim();
  }
  return s;
}

/**
 * Who "you" and "me" are depends on who said the sentence and whose list the task lands on:
 * a request to the user keeps "your" ("Bring your insurance card"); the user's own promise names
 * the other person ("Send Jennifer the report"); a follow-up speaks of the other person in the
 * third person and of the user as "you".
 */
function rewritePeople(text: string, head: string, ctx: PhrasingContext): string {
  const addresseeName = ctx.addressee && !ctx.addressee.isUser ? ctx.addressee.name : null;
  const followUp = !ctx.owner.isUser;
  let s = text;
  if (DATIVE_VERBS.has(head)) {
    s = s.replace(/^(\S+)\s+(me|you|us)\s+(?!(?:up|down|over|out|off|back|in|on|to|about|know|that|if)\b)(?=\S)/i, (_m, verb: string, who: string) => {
      const w = who.toLowerCase();
      const name = w === 'me' ? (ctx.speakerIsUser ? null : ctx.speakerName) : w === 'you' ? addresseeName : null;
      return name && !followUp ? `${verb} ${name} ` : `${verb} `;
    });
  }
  if (followUp) {
    const mine = ctx.speakerIsUser ? ['you', 'your'] : ['them', 'their'];
    return s
      .replace(/\byourself\b/gi, 'themselves')
      .replace(/\byour\b/gi, 'their')
      .replace(/\byou\b/gi, 'them')
      .replace(/\bmy\b/gi, mine[1]!)
      .replace(/\bme\b/gi, mine[0]!);
  }
  if (ctx.monologue) return s;
  if (ctx.speakerIsUser) {
    return s
      .replace(/\byour\b/gi, addresseeName ? `${addresseeName}'s` : 'their')
      .replace(/\byou\b/gi, addresseeName ?? 'them');
  }
  const speaker = ctx.speakerName;
  return s.replace(/\bmy\b/gi, speaker ? `${speaker}'s` : 'their').replace(/\bme\b/gi, speaker ?? 'them');
}

/** "Open a ticket and attach the logs" → "opening a ticket and attaching the logs". */
function gerundize(description: string): string {
  const words = description.split(' ');
  return words
    .map((w, i) => {
      const lower = w.toLowerCase();
      if (i === 0) return gerund(lower);
      if (words[i - 1]?.toLowerCase() === 'and' && ACTION_VERBS.has(lower) && !PARTICLES.has(lower)) return gerund(lower);
      return w;
    })
    .join(' ');
}
