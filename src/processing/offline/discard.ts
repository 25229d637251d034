/**
 * Discard detection (omi-behaviour.md §13 step 1): a conversation is kept when at least one
 * sentence says something, however short ("Remind me to call mom tomorrow at 5pm", "Buy milk"),
 * and discarded when it is empty, fillers and backchannels only ("um uh yeah okay"), sound tags
 * ("[music]"), a microphone check, one word repeated, symbol soup, or scattered fragments with no
 * complete thought (a television in the background).
 */
import { BROADCAST } from './media.ts';
import type { Conversation } from './utterances.ts';
import { FILLERS, removeSoundTags, STOPWORDS, stripOpeners, tokenize, WEAK_WORDS } from './text.ts';
import { ACTION_VERBS } from './verbs.ts';

/** Words of a microphone check or counting, which say nothing on their own. */
const MIC_CHECK: ReadonlySet<string> = new Set(
  'test tests testing tested check checking mic mike microphone hello one two three four five six seven eight nine ten thing'.split(' '),
);

const FIRST_PERSON_START = /^(?:i|i'm|i'll|i've|i'd|my|we|we're|we'll|let's|remind|please|don't|can you|could you)\b/i;

/** Whether a token reads as a word: letters with a vowel, a number with a unit ("5pm"), or non-Latin script. */
function wordLike(token: string): boolean {
  if (/\p{L}/u.test(token) && !/[a-z]/i.test(token)) return [...token].length >= 2 || /\p{Script=Han}/u.test(token);
  if (/^\d+(?:am|pm|st|nd|rd|th|k|m)?$/.test(token)) return /[a-z]/.test(token);
  if (token.length <= 2) return false;
  return /[aeiouy]/i.test(token) && !/[bcdfghjklmnpqrstvwxz]{5,}/i.test(token);
}

const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** Scripts written without spaces count about one word per two characters. */
function words(token: string): string[] {
  if (!UNSPACED.test(token)) return [token];
  const chars = [...token];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += 2) out.push(chars.slice(i, i + 2).join(''));
  return out;
}

/** The tokens that carry meaning: not stopwords, fillers, mic-check words or generic verbs. */
function meaningful(text: string): string[] {
  return tokenize(text)
    .flatMap(words)
    .filter((t) => !STOPWORDS.has(t) && !FILLERS.has(t) && !MIC_CHECK.has(t) && !WEAK_WORDS.has(t) && wordLike(t));
}

/** A sentence is a complete thought when it has three content words, or two and reads as a statement of intent or a task. */
function isCompleteThought(sentence: string): boolean {
  const words = meaningful(sentence);
  if (words.length >= 3) return true;
  if (words.length < 2) return false;
  const core = stripOpeners(sentence.trim());
  // "Not yet, I'll book them tomorrow": the intent may follow a short reply.
  const clauses = core.split(/,\s*/).map((c) => stripOpeners(c.trim()));
  return clauses.some((c) => FIRST_PERSON_START.test(c)) || ACTION_VERBS.has(tokenize(core)[0] ?? '');
}

/** A clause of the user's own in the first person with something in it ("I'll renew it"). */
function statesIntent(sentence: string): boolean {
  return meaningful(sentence).length >= 1 && sentence.split(/,\s*/).some((c) => FIRST_PERSON_START.test(stripOpeners(c.trim())));
}

export interface DiscardVerdict {
  discarded: boolean;
  /** Why, for logs and tests. */
  reason: 'empty' | 'symbols' | 'repetition' | 'no-content' | 'fragments' | 'background' | 'kept';
}

export function judgeContent(conversation: Conversation): DiscardVerdict {
  const text = removeSoundTags(conversation.utterances.map((u) => u.text).join('\n'));
  const tokens = tokenize(text);
  if (tokens.length === 0) return { discarded: true, reason: 'empty' };
  if (tokens.length < 12) {
    const visible = text.replace(/\s+/g, '');
    const wordChars = (visible.match(/[\p{L}\p{N}]/gu) ?? []).length;
    if (wordChars / visible.length < 0.4) return { discarded: true, reason: 'symbols' };
  }
  const distinct = new Set(tokens).size;
  if (tokens.length >= 3 && distinct <= 2 && tokens.length / distinct >= 3) return { discarded: true, reason: 'repetition' };
  if (isBackground(conversation)) return { discarded: true, reason: 'background' };
  if (conversation.utterances.some((u) => u.sentences.some(isCompleteThought))) return { discarded: false, reason: 'kept' };
  const content = new Set(meaningful(text));
  if (content.size === 0) return { discarded: true, reason: 'no-content' };
  // No complete thought anywhere: a handful of scattered words is background, a lot of them is not.
  return content.size < 8 ? { discarded: true, reason: 'fragments' } : { discarded: false, reason: 'kept' };
}

/** A well-formed sentence: starts with a capital (or a digit) and ends with terminal punctuation. */
const WELL_FORMED = /^[\p{Lu}\p{N}"'].*[^.][.!?]["')]?$/u;

/**
 * A television or radio with the wearer only murmuring along: the user speaks, but never a complete
 * thought, most turns are backchannels ("uh huh", "yeah", "mm"), and what the other voices say is
 * cut-off fragments rather than sentences, or broadcast copy (adverts, traffic reports) — however
 * much a date or an offer in an advert sounds like content.
 */
function isBackground(conversation: Conversation): boolean {
  const { utterances } = conversation;
  if (conversation.monologue || !conversation.userKnown) return false;
  const user = utterances.filter((u) => u.isUser);
  if (user.length === 0 || user.some((u) => u.sentences.some(isCompleteThought))) return false;
  // With the set's own voice set aside, a person talking in complete sentences and the user
  // answering with an intent of their own ("Not yet, I'll book them tomorrow") is a conversation.
  if (conversation.background?.length && utterances.some((u) => !u.isUser && u.sentences.some(isCompleteThought)) && user.some((u) => u.sentences.some(statesIntent))) return false;
  // Broadcast copy (a traffic report, an advert, a DJ's link) is background however well-formed.
  const others = [...utterances.filter((u) => !u.isUser).map((u) => u.text), ...(conversation.background ?? [])].join(' ');
  if ((others.match(BROADCAST) ?? []).length >= 2) return true;
  const backchannels = utterances.filter((u) => meaningful(u.sentences.join(' ')).length === 0).length;
  if (backchannels / utterances.length < 0.4) return false;
  const sentences = utterances.filter((u) => !u.isUser).flatMap((u) => u.sentences);
  const formed = sentences.filter((s) => isCompleteThought(s) && WELL_FORMED.test(s.trim())).length;
  return formed < 3 && formed / Math.max(sentences.length, 1) < 0.25;
}
