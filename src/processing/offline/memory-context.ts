/**
 * Memories that need the conversation around a sentence, not the sentence alone: a place named in
 * the user's answer to "are you still in that place in Oakland?", an allergy whose allergen was
 * named a sentence earlier ("No shellfish, ever. I'm super allergic."), and a partner the others
 * ask about ("How long have you two been together?") after the user mentioned them by name.
 * Only the user's own lines are read for the fact; others' lines only set the question.
 */
import { replyMemories } from './memory-replies.ts';
import { asName, vocative } from './names.ts';
import type { Conversation, Utterance } from './utterances.ts';

export interface ContextMemory {
  content: string;
  /** Same scale as the sentence patterns' weights. */
  weight: number;
  /** Advice the user was given; facts about the user are `system`. */
  category?: 'interesting';
}

const WHERE_QUESTION = /\b(?:where do you live|where are you (?:based|living)|(?:live|living|based|place|apartment|flat|house) in|still in)\b/i;
const ANSWER_LEAD = /^(?:(?:yeah|yes|yep|yup|still|we're|we are|i'm|i am|right|so)[,]?\s+)*(?:still )?in\s+/i;
const PLACE_NAME = /^([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b/;
const NOT_PEOPLE = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|God)$/;
const ALLERGIC_BARE = /\bi(?:'m| am) (?:really |very |severely |super |so |deathly )?allergic\b(?!\s+to\b)/i;
const ALLERGENS =
  /\b(shellfish|peanuts?|tree nuts|nuts|gluten|dairy|eggs|soy|sesame|shrimp|penicillin|latex|bee stings|pollen|cats|dogs|wheat|lactose|fish)\b/i;
const TOGETHER_QUESTION = /\b(?:you two|you guys|the two of you) (?:been )?(?:together|married|dating)\b|\bhow long have you (?:two|guys) been\b/i;
const PLACE_WORD = /\b(?:in|at|from|to|off|on|near)\s+$/i;
const NEGATIVE_REPLY = /^(?:no|nope|not)\b/i;

function userReplyAfter(utterances: readonly Utterance[], index: number): Utterance | null {
  const next = utterances[index + 1];
  return next && next.isUser ? next : null;
}

/** Other people's questions the user answers with where they live. */
function homePlace(utterances: readonly Utterance[]): ContextMemory[] {
  const out: ContextMemory[] = [];
  utterances.forEach((u, i) => {
    if (u.isUser || !u.sentences.some((s) => s.trim().endsWith('?') && WHERE_QUESTION.test(s))) return;
    const reply = userReplyAfter(utterances, i);
    const first = reply?.sentences[0];
    if (!first || NEGATIVE_REPLY.test(first)) return;
    const lead = ANSWER_LEAD.exec(first);
    const place = lead ? asName(PLACE_NAME.exec(first.slice(lead[0].length))?.[1]) : null;
    if (place) out.push({ content: `Lives in ${place}`, weight: 9 });
  });
  return out;
}

/** "I'm super allergic" with the allergen named in the same or the previous sentence. */
function bareAllergy(utterances: readonly Utterance[]): ContextMemory[] {
  const out: ContextMemory[] = [];
  for (const u of utterances) {
    if (!u.isUser) continue;
    u.sentences.forEach((s, j) => {
      if (!ALLERGIC_BARE.test(s)) return;
      const allergen = ALLERGENS.exec(s)?.[1] ?? ALLERGENS.exec(u.sentences[j - 1] ?? '')?.[1];
      if (allergen) out.push({ content: `Is allergic to ${allergen.toLowerCase()}`, weight: 10 });
    });
  }
  return out;
}

/** People named in a sentence who are not being addressed and not a place ("in Oakland"). */
function mentionedNames(sentence: string, addressed: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (const m of sentence.matchAll(/\b[A-Z][a-z]+\b/g)) {
    const name = asName(m[0]);
    if (!name || addressed.has(name) || NOT_PEOPLE.test(name) || PLACE_WORD.test(sentence.slice(0, m.index))) continue;
    names.push(name);
  }
  return names;
}

/** A "you two been together" question after the user talked about someone by name. */
function partner(utterances: readonly Utterance[]): ContextMemory[] {
  const addressed = new Set(utterances.flatMap((u) => u.sentences.map(vocative)).filter((n): n is string => n !== null));
  for (const u of utterances) addressed.add(u.name);
  for (let i = 0; i < utterances.length; i += 1) {
    const u = utterances[i]!;
    if (u.isUser || !u.sentences.some((s) => TOGETHER_QUESTION.test(s))) continue;
    const reply = userReplyAfter(utterances, i);
    if (!reply || NEGATIVE_REPLY.test(reply.sentences[0] ?? '')) continue;
    const before = utterances.slice(Math.max(0, i - 4), i);
    // The user must have spoken of them too, so the pair is the user and that person.
    const userNamed = new Set(before.filter((b) => b.isUser).flatMap((b) => b.sentences.flatMap((s) => mentionedNames(s, addressed))));
    const recent = before.flatMap((b) => b.sentences.flatMap((s) => mentionedNames(s, addressed))).filter((n) => userNamed.has(n));
    const name = recent[recent.length - 1];
    if (name) return [{ content: `Has a partner named ${name}`, weight: 8 }];
  }
  return [];
}

export function contextMemories(conversation: Conversation): ContextMemory[] {
  if (conversation.monologue) return bareAllergy(conversation.utterances);
  const { utterances } = conversation;
  return [...bareAllergy(utterances), ...homePlace(utterances), ...partner(utterances), ...replyMemories(conversation)];
}
