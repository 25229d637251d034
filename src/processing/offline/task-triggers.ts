/**
 * What marks a clause as a task, and whose task it is. Each trigger captures the task itself
 * ("I'll ___", "can you ___?", "remind me to ___") for task-phrasing.ts to word.
 */
import { asName } from './names.ts';
import type { PhrasingContext } from './task-phrasing.ts';
import { ACTION_VERBS } from './verbs.ts';

export type Kind = 'self' | 'group' | 'unassigned' | 'request' | 'named' | 'imperative';

interface Trigger {
  re: RegExp;
  kind: Kind;
  /** Questions only count as tasks when they ask someone to do something. */
  question?: boolean;
  rewrite?: (m: RegExpExecArray) => string | null;
  /** For "Sarah will…": the group holding the person's name. */
  nameGroup?: number;
}

const ADVERBS = String.raw`(?:(?:really|still|also|just|definitely|actually|first)\s+)*`;
const SOCIAL = /^(?:do|go|grab|hang|catch|get together|have|meet|see|try|come|get (?:dinner|lunch|drinks|a drink|coffee|breakfast|brunch|food|together))\b/i;
const IMMEDIATE = /^(?:hear|see|confirm|repeat|spell|hold|pass|hand|speak|say|believe|imagine|tell me|give me a|explain|clarify|read me)\b/i;
const APPOINTMENT = /^\S+\s+(?:dentist|doctor|vet|appointment|checkup|check-up|meeting|class|lesson|game|recital|party|interview|haircut|physio)\b/i;
/** "It doesn't have to be polished": a reassurance, not a task. */
const NEGATED_SUBJECT = /(?:n't|\bnot|\bnever|^(?:it|this|that|they|these|those))$/i;
const DUE_VERB: Array<[RegExp, string]> = [
  [/\b(?:set|assignment|homework|essay|paper|report|project|draft|application|proposal|slides|deck)s?$/i, 'Finish'],
  [/\b(?:rent|bill|invoice|payment|fee|tax|taxes)$/i, 'Pay'],
];

const TRIGGERS: readonly Trigger[] = [
  { re: /^(?:please\s+)?remind me (?:to|that i (?:need|have) to)\s+(.+)$/i, kind: 'self' },
  // "The one thing I still have to do is submit…", "What I do need to do is transfer…"
  { re: new RegExp(String.raw`^(?:the\s+(?:one\s+|only\s+|last\s+|main\s+|other\s+)?thing|what|all)\s+(?:i|we)\s+${ADVERBS}(?:do\s+)?(?:need|have|got|want)\s+to\s+do\s+(?:\w+\s+)?is\s+(?:to\s+)?(.+)$`, 'i'), kind: 'self' },
  { re: /^(?:don't|do not|dont)\s+(?:let me\s+)?forget\s+to\s+(.+)$/i, kind: 'request' },
  // "Don't forget the dentist on Thursday": an appointment to go to.
  { re: /^(?:don't|do not|dont)\s+forget\s+(?:about\s+)?((?:the|your|my|our)\s+.+)$/i, kind: 'request', rewrite: (m) => forgetNot(m[1]!) },
  { re: /^go ahead and\s+(.+)$/i, kind: 'imperative' },
  { re: /^(?:let's\s+)?make sure (?:you|that you)\s+(.+)$/i, kind: 'request' },
  { re: /^(?:let's\s+)?make sure (?:to|we|that we|i|that i)\s+(.+)$/i, kind: 'group' },
  { re: new RegExp(String.raw`^(?:i|we)\s+${ADVERBS}(?:need to|have to|'ve got to|have got to|gotta|must|got to)\s+(.+)$`, 'i'), kind: 'group' },
  { re: new RegExp(String.raw`^you\s+${ADVERBS}(?:need to|have to|'ve got to|gotta|must|'ll need to|will need to|'ll have to|should)\s+(.+)$`, 'i'), kind: 'request' },
  { re: /^(?:someone|somebody)\s+(?:needs to|has to|should|must|'s got to)\s+(.+)$/i, kind: 'unassigned' },
  { re: /^(?:we|i)\s+(?:need|want)\s+(?:someone|somebody)\s+to\s+(.+)$/i, kind: 'unassigned' },
  // Asked of the speaker, or promised by them: "she asked me to…", "I was asked to…", "I promised to…".
  { re: new RegExp(String.raw`^(?:she|he|they|[A-Z][a-z]+)\s+${ADVERBS}(?:asked|wants|wanted|needs|needed|told|would like|'d like|reminded)\s+me\s+to\s+(.+)$`, 'i'), kind: 'self' },
  { re: new RegExp(String.raw`^i\s+${ADVERBS}(?:was asked|was told|promised|agreed|offered|volunteered|said i'd|said i would|am supposed|'m supposed)\s+to\s+(.+)$`, 'i'), kind: 'self' },
  { re: /^(?:we|i)\s+should\s+(?!probably|maybe|have\b)(.+)$/i, kind: 'group', rewrite: (m) => (SOCIAL.test(m[1]!) ? null : m[1]!) },
  { re: /^(?:i|we)\s*(?:'ll|will|'m going to|am going to|'re going to|are going to|'m gonna|are gonna|'re gonna|shall)\s+(.+)$/i, kind: 'self' },
  { re: /^let me\s+(?!know|think|see|check|guess|pull|look|be\b|say|tell you|just|try)(.+)$/i, kind: 'self' },
  { re: /^i can\s+((?:help|take|handle|do|cover|pick|send|grab|drive|bring|sort|look into|follow up|set up|draft|write|prepare|run|review|fix|update|check|call|email|book|order)\b.*)$/i, kind: 'self' },
  { re: /^(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:also\s+)?(.+?)\??$/i, kind: 'request', question: true, rewrite: (m) => (IMMEDIATE.test(m[1]!) ? null : m[1]!) },
  { re: /^please\s+(?!do\b)(.+)$/i, kind: 'request' },
  // "Let us know by Friday if you need a courtesy car."
  { re: /^(?:please\s+)?let (?:us|me|them|him|her) know\s+(?:(?:by|before)\s+\S+\s+)?(?:if|whether)\s+(.+)$/i, kind: 'request', rewrite: (m) => `confirm whether ${m[1]}` },
  // "You can pick it up before six": a collection the other person sets up for the listener.
  { re: /^you can\s+((?:pick|collect|come and get|come by for|drop off|swing by for)\b.+)$/i, kind: 'request' },
  { re: /^([A-Z][a-z]+)\s*(?:'ll|will|is going to|'s going to)\s+(.+)$/, kind: 'named', nameGroup: 1, rewrite: (m) => (asName(m[1]) ? m[2]! : null) },
  { re: /^(.+?)\s+(?:needs?|has|have)\s+to\s+be\s+([a-z]+ed)\b(.*)$/i, kind: 'group', rewrite: (m) => (NEGATED_SUBJECT.test(m[1]!) ? null : `get ${commonNoun(m[1]!)} ${m[2]}${m[3]}`) },
  { re: /(?:^|,\s*)[a-z]+\s+wants?\s+(.+?)\s+([a-z]+ed)\s*$/i, kind: 'group', rewrite: (m) => `get ${m[1]} ${m[2]}` },
  {
    re: /^(?:the|your|our|my)\s+(.+?)\s+(?:is|are)\s+due\b.*$/i,
    kind: 'group',
    rewrite: (m) => {
      const verb = DUE_VERB.find(([re]) => re.test(m[1]!))?.[1];
      return verb ? `${verb} the ${m[1]}` : null;
    },
  },
];

/** "the dentist" → "attend the dentist appointment"; anything else ("the candles") waits for what is said about it. */
function forgetNot(thing: string): string | null {
  const the = thing.replace(/^(?:your|my|our)\b/i, 'the');
  // "Don't forget your rain jacket": something to bring.
  if (!APPOINTMENT.test(thing)) return /^your\s+[a-z]/i.test(thing) ? `bring ${thing}` : null;
  return /\b(?:appointment|meeting|class|lesson|game|recital|party|interview|checkup|check-up)\b/i.test(thing) ? `attend ${the}` : `attend ${the} appointment`;
}

/** A sentence-initial plural ("Timesheets need to…") is a common noun, not a name. */
const commonNoun = (phrase: string): string => phrase.replace(/^(?:The|[A-Z][a-z]+s\b)/, (w) => w.toLowerCase());

export interface TriggerMatch {
  kind: Kind;
  body: string;
  /** The person named as doing it ("Tom will…"). */
  name: string | null;
}

export function matchTrigger(clause: string, isUser: boolean, monologue: boolean, participants: number, addressed: boolean): TriggerMatch | null {
  const isQuestion = /\?\s*$/.test(clause);
  for (const t of TRIGGERS) {
    const m = t.re.exec(clause);
    if (!m) continue;
    if (isQuestion && !t.question) return null;
    const body = t.rewrite ? t.rewrite(m) : m[1]!;
    return body === null ? null : { kind: t.kind, body, name: t.nameGroup === undefined ? null : m[t.nameGroup]! };
  }
  // A bare imperative is a task in a note, or when someone is clearly told to do it.
  const first = clause.split(/\s+/)[0]?.toLowerCase() ?? '';
  const told = monologue || addressed || (participants === 2 && !isUser);
  if (!isQuestion && told && ACTION_VERBS.has(first) && clause.split(/\s+/).length >= 3) return { kind: 'imperative', body: clause, name: null };
  return null;
}

/** Whose task a trigger makes it: the speaker's, the addressee's, the named person's, or (for "we") the user's. */
export function ownerOf(found: TriggerMatch, isUser: boolean, speakerName: string | null, addressee: PhrasingContext['addressee']): PhrasingContext['owner'] {
  const kind = found.kind;
  if (kind === 'named') return { isUser: false, name: found.name };
  if (kind === 'self') return isUser ? { isUser: true } : { isUser: false, name: speakerName };
  if (kind === 'request' || kind === 'imperative') {
    return addressee && !addressee.isUser ? { isUser: false, name: addressee.name } : { isUser: true };
  }
  return { isUser: true };
}

