/**
 * Who is who: transcripts label voices `Speaker N`, but people name each other as they talk.
 * A leading or trailing vocative ("Mike, where are we?", "how was it, Mia?") names whoever
 * answers next; a self-introduction ("this is Dana speaking") names the speaker; in a two-person
 * conversation the user's greeting ("Hey Jo") names the other party.
 */

import type { Conversation } from './utterances.ts';

const NOT_NAMES = new Set(
  (
    'okay ok yes yeah yep sure great thanks thank right so well also oh honestly perfect cool nice hey hi hello ' +
    'sorry please no and but then now look listen wait good alright fine morning guys everyone team folks love ' +
    'honey buddy babe dear sweetie man dude mate the this that what why how who when where i you we they he she ' +
    'it mom dad mum mommy daddy grandma grandpa sir madam doc like just anyway quick totally ha haha oof wow ' +
    'first second third fourth fifth next finally lastly plus otherwise meanwhile later today tomorrow tonight'
  ).split(' '),
);

const LEAD_IN = /^(?:(?:and|okay|ok|so|oh|hey|hi|great|cool|nice|right|well|also|now)[,.]?\s+)*/i;
const LEADING_VOCATIVE = /^@?([A-Z][a-z]+)[,:]?\s(?<=,\s|:\s|@\w+\s)/;
const TRAILING_VOCATIVE = /,\s*([A-Z][a-z]+)[?.!]*$/;
const GREETING = /^(?:hi|hey|hello|thanks|thank you|morning|good morning|good afternoon)[,]?\s+((?:(?:mr|mrs|ms|dr)\.?\s+)?[a-z]+)\b/i;
const SELF_INTRO = /\b(?:this is|my name is|i'm|i am|it's)\s+([A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?(?:\s+speaking|\s+here|[,.]|$)/;

export const asName = (word: string | undefined): string | null =>
  word !== undefined && /^(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?[A-Z]/.test(word) && !NOT_NAMES.has(word.toLowerCase()) && !/ly$/.test(word) ? word : null;

/** The person a (cleaned) sentence addresses by name, if it does. */
export function vocative(sentence: string): string | null {
  if (!sentence.includes(',') && !sentence.includes('@')) return null;
  const s = sentence.replace(LEAD_IN, '');
  return asName(LEADING_VOCATIVE.exec(s)?.[1]) ?? asName(TRAILING_VOCATIVE.exec(s)?.[1]);
}

/** A vocative that hands the floor to someone: a question or something said to "you". */
const handsOver = (sentence: string): boolean => /\?\s*$|\byou(?:'re|'ll|'ve)?\b/i.test(sentence);

export interface Cast {
  /** Speaker key → real name, where the conversation reveals it. */
  names: Map<string, string>;
  /** In a two-person conversation: the other party's speaker key. */
  other: string | null;
  /** The user's speaker key, when known. */
  user: string | null;
}

export function learnCast(conversation: Conversation): Cast {
  const { utterances } = conversation;
  const names = new Map<string, string>();
  const speakers = [...new Set(utterances.map((u) => u.speaker))];
  const user = utterances.find((u) => u.isUser)?.speaker ?? null;
  const other = speakers.length === 2 && user !== null ? (speakers.find((s) => s !== user) ?? null) : null;
  for (const u of utterances) {
    if (!/^(?:speaker \d+|unknown|user)$/i.test(u.name) && u.speaker !== 'author') names.set(u.speaker, u.name);
  }
  const taken = new Set(names.values());
  const assign = (speaker: string, name: string | null): void => {
    if (name === null || speaker === user || names.has(speaker) || taken.has(name)) return;
    names.set(speaker, name);
    taken.add(name);
  };
  utterances.forEach((u, i) => {
    const sentences = u.sentences;
    if (!u.isUser) for (const s of sentences) assign(u.speaker, asName(SELF_INTRO.exec(s)?.[1]));
    if (u.isUser && other !== null) for (const s of sentences) assign(other, asName(GREETING.exec(s)?.[1]));
    const next = utterances[i + 1];
    if (!next || next.speaker === u.speaker) return;
    const called = [...sentences].reverse().filter(handsOver).map(vocative).find((v) => v !== null) ?? null;
    assign(next.speaker, called);
  });
  return { names, other, user };
}

/** Who an utterance speaks to: named in it, the other party of a two-person talk, or whoever spoke just before. */
export interface Addressee {
  isUser: boolean;
  name: string | null;
}

export function addresseeOf(conversation: Conversation, cast: Cast, index: number, sentence: string): Addressee | null {
  const u = conversation.utterances[index]!;
  const named = vocative(sentence);
  const userName = cast.user === null ? null : (cast.names.get(cast.user) ?? null);
  if (named) return named === userName ? { isUser: true, name: null } : { isUser: false, name: named };
  if (cast.other !== null) {
    return u.isUser ? { isUser: false, name: cast.names.get(cast.other) ?? null } : { isUser: true, name: null };
  }
  for (let j = index - 1; j >= Math.max(0, index - 3); j -= 1) {
    const prev = conversation.utterances[j]!;
    if (prev.speaker === u.speaker) continue;
    return { isUser: prev.isUser, name: prev.isUser ? null : (cast.names.get(prev.speaker) ?? null) };
  }
  return null;
}
