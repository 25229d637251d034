/**
 * Action items: commitments ("I'll…", "let me…"), requests ("can you…?", "please…", "don't forget
 * to…", "make sure…"), reminders and needs ("remind me to…", "I need to…", "we should…"), and
 * stated deadlines ("the problem set is due Friday").
 *
 * Whose list: in a note, a single-author text or a meeting of three or more, every task is
 * listed (meeting minutes list everyone's). In a two-person conversation only the user's tasks
 * are: their own promises and needs, what the other person asked of them, and what the user asked
 * of the other person. A task that belongs to someone else is written as the user's follow-up
 * when that person's name is known ("Follow up with Sarah on booking the flights"), otherwise
 * as the plain imperative.
 *
 * Deadlines come from the clause, else its sentence; a turn's only task also takes a date said
 * earlier in the turn or added as a short afterthought ("Like, by Monday?"); "by then" takes the
 * date named just before, and a request takes the date of its answer ("Yep, by tonight"). "I'll do
 * that tomorrow" dates the task it points back to. A date introduced by "for" inside the task is
 * its subject, not its deadline ("ask for Friday off"). Date rules are in dates.ts.
 *
 * Skipped: hypotheticals and musings ("if we…", "maybe", "I think we should", "I'll think about
 * it"), questions that ask nothing of anyone, and requests the other person reports done. At most
 * ten items, near-duplicates merged.
 */
import type { ExtractedActionItem } from '../processor.ts';
import { dueAtFrom, findTemporal, stripSpans, type TemporalMatch } from './dates.ts';
import { addresseeOf, vocative, type Cast } from './names.ts';
import { phraseTask, type PhrasingContext } from './task-phrasing.ts';
import { matchTrigger, ownerOf } from './task-triggers.ts';
import { stem, STOPWORDS, stripOpeners } from './text.ts';
import type { Conversation } from './utterances.ts';
import { PARTICLES } from './verbs.ts';

export const MAX_ACTION_ITEMS = 10;

const HYPOTHETICAL = /^(?:if|unless|maybe|perhaps|what if|in case|i think|i guess|i wonder|not sure|should we|shall we)\b/i;
const CLAUSE_SPLIT =
  /\s*;\s*|,?\s+(?:so|but|and then|because)\s+(?=\S)|,\s+(?=(?:and\s+)?(?:i|we|you|i'll|we'll|i'm|let's|can you|could you|please|don't|remind|somebody|someone|it|she|he|they|can i|could i|should i|shall i|do you|is it|is that|are you|what|how|when|where|why)\b)|\s+and\s+(?=(?:i|we|i'll|we'll|i'm|then)\b)/i;
/** A clause that opens with a date, which hides the trigger behind it until the date is removed. */
const LEADING_DATE =
  /^(?:(?:on|by|this|next|after|before|at|in|until|from|so)\s+)?(?:today|tonight|tomorrow|tmrw|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next|this|the|\d|first thing|later|eod|end of)/i;
/** A reply that reports the request already done ("done", "sending now") — not a promise ("done by tonight"). */
const DONE_REPLY = /^(?:done|all done|already (?:did|done|booked|sent)|booked|sent|just sent|did it|sending(?: it)? now|on it)\b(?!\s+(?:by|before|until|tomorrow|tonight|today|later))/i;
/** "by then", "before then": the deadline named just before. */
const BY_THEN = /\b(?:by|before|until) then\b/i;
const DEADLINE_SENTENCE = /\b(?:deadline is|is due|are due|due (?:on|by))\b/i;

interface Candidate {
  core: string;
  description: string;
  dueAt: string | null;
  /** A deadline from context, used when the turn itself states none ("by then"; "sure, by tonight"). */
  fallbackDue: string | null;
  utterance: number;
  /** Index of its sentence within the turn. */
  sentence: number;
  rephrase: (ctx: Pick<PhrasingContext, 'owner'>) => void;
}

export function extractActionItems(conversation: Conversation, cast: Cast, startedAt: string): ExtractedActionItem[] {
  const { utterances, participants, monologue } = conversation;
  const everyone = monologue || participants >= 3 || !conversation.userKnown;
  const candidates: Candidate[] = [];
  const history: string[] = [];
  utterances.forEach((u, index) => {
    const before = candidates.length;
    const speakerName = u.isUser ? null : (cast.names.get(u.speaker) ?? null);
    u.sentences.forEach((rawSentence, sentenceIndex) => {
      const sentence = stripOpeners(rawSentence);
      let sentenceMatch: TemporalMatch | null | undefined;
      const sentenceDue = (): TemporalMatch | null => (sentenceMatch ??= findTemporal(sentence, startedAt));
      const last = candidates[candidates.length - 1];
      // "It's mandatory and the deadline is April 4th." dates the task just before it.
      if (DEADLINE_SENTENCE.test(sentence) && last?.dueAt === null && last.utterance === index) {
        last.dueAt = dueAtFrom(sentenceDue(), startedAt);
      }
      for (const clauseRaw of sentence.split(CLAUSE_SPLIT)) {
        let clause = stripOpeners(clauseRaw.trim());
        const named = vocative(clause);
        if (named) clause = clause.replace(new RegExp(`^(?:\\w+[,.]?\\s+)*?${named},\\s*|^@${named}[,:]?\\s+`), '');
        if (clause.length === 0 || HYPOTHETICAL.test(clause)) continue;
        const told = named !== null;
        // Most clauses hold no task: only a trigger, or a date in front of one ("Tomorrow I need to…"), is worth the date scan.
        if (!matchTrigger(clause, u.isUser, monologue, participants, told) && !LEADING_DATE.test(clause)) continue;
        const match = findTemporal(clause, startedAt);
        const subject = match?.spans.some(([s]) => /^for\b/i.test(clause.slice(s))) ?? false;
        const stripped = match && !subject ? stripSpans(clause, match.spans) : clause;
        const found = matchTrigger(stripped, u.isUser, monologue, participants, told);
        if (!found) continue;
        const addressee = addresseeOf(conversation, cast, index, sentence);
        const base: Omit<PhrasingContext, 'owner'> = {
          earlier: history.slice(-5),
          speakerIsUser: u.isUser,
          speakerName,
          addressee,
          monologue,
        };
        const owner = ownerOf(found, u.isUser, speakerName, addressee);
        const dueAt = subject ? null : dueAtFrom(match ?? sentenceDue(), startedAt);
        const then = !subject && !match && BY_THEN.test(clause) ? earlierDate(history, startedAt) : null;
        const phrased = phraseTask(found.body, { ...base, owner });
        if (phrased === null) continue;
        if (phrased.kind === 'reference') {
          const claimant: PhrasingContext['owner'] = u.isUser ? { isUser: true } : { isUser: false, name: speakerName };
          claimPrevious(candidates, index, claimant, match ? dueAtFrom(match, startedAt) : null);
          continue;
        }
        const listed = everyone || u.isUser || found.kind !== 'self';
        if (!listed || (found.kind === 'request' && answeredDone(conversation, index))) continue;
        const candidate: Candidate = {
          core: phrased.core,
          description: phrased.text,
          dueAt,
          fallbackDue: dueAtFrom(then ?? (found.kind === 'request' ? replyDate(conversation, index, startedAt) : null), startedAt),
          utterance: index,
          sentence: sentenceIndex,
          rephrase: (ctx) => {
            const again = phraseTask(found.body, { ...base, ...ctx });
            if (again?.kind === 'task') candidate.description = again.text;
          },
        };
        candidates.push(candidate);
      }
      history.push(sentence);
    });
    // A turn's only task takes a date said just before it ("Thursday works. I'll leave the key…") or
    // added as an afterthought ("Can you send it? Like, by Monday?").
    const lone = candidates.length === before + 1 ? candidates[before]! : undefined;
    if (lone && lone.dueAt === null) {
      const context = u.sentences.filter((s, k) => k < lone.sentence || (k > lone.sentence && s.split(/\s+/).length <= 5));
      if (context.length > 0) lone.dueAt = dueAtFrom(findTemporal(context.join(' '), startedAt), startedAt);
    }
    for (const c of candidates.slice(before)) c.dueAt ??= c.fallbackDue;
  });
  return dedupe(candidates).slice(0, MAX_ACTION_ITEMS).map((c) => ({ description: c.description, dueAt: c.dueAt }));
}

/** The date in the answer to a request ("Yep, done by tonight"). */
function replyDate(conversation: Conversation, index: number, startedAt: string): TemporalMatch | null {
  const next = conversation.utterances[index + 1];
  if (!next || next.speaker === conversation.utterances[index]!.speaker) return null;
  return findTemporal(next.sentences.join(' '), startedAt);
}

function earlierDate(history: readonly string[], startedAt: string): TemporalMatch | null {
  for (const sentence of history.slice(-4).reverse()) {
    const match = findTemporal(sentence, startedAt);
    if (match) return match;
  }
  return null;
}

/** "I can do that" / "I'll handle it": the speaker takes on the task named just before. */
function claimPrevious(candidates: Candidate[], index: number, owner: PhrasingContext['owner'], dueAt: string | null): void {
  const previous = [...candidates].reverse().find((c) => c.utterance >= index - 2);
  if (!previous) return;
  previous.rephrase({ owner });
  if (dueAt) previous.dueAt = dueAt;
}

function answeredDone(conversation: Conversation, index: number): boolean {
  const next = conversation.utterances[index + 1];
  return next !== undefined && next.speaker !== conversation.utterances[index]!.speaker && DONE_REPLY.test(stripOpeners(next.text.trim()));
}

const keyOf = (core: string): Set<string> =>
  new Set(
    (core.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => !STOPWORDS.has(t) && !PARTICLES.has(t)).map(stem),
  );

/** Keeps the first of near-identical tasks (filling in a deadline a later mention adds), up to the cap. */
function dedupe(candidates: Candidate[]): Candidate[] {
  const kept: Array<{ c: Candidate; key: Set<string> }> = [];
  for (const c of candidates) {
    const key = keyOf(c.core);
    const twin = kept.find(({ key: k }) => {
      let shared = 0;
      for (const t of key) if (k.has(t)) shared += 1;
      return shared / Math.min(key.size, k.size) >= 0.8 || shared / (key.size + k.size - shared) >= 0.6;
    });
    if (twin) {
      if (twin.c.dueAt === null) twin.c.dueAt = c.dueAt;
    } else if (kept.length < MAX_ACTION_ITEMS) kept.push({ c, key });
  }
  return kept.map(({ c }) => c);
}
