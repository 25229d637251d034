/**
 * Action items: commitments ("I'll…", "let me…"), requests ("can you…?", "please…", "don't forget
 * to…", "make sure…"), reminders and needs ("remind me to…", "I need to…", "we should…"), and
 * stated deadlines ("the problem set is due Friday").
 *
 * Whose list: in a note, a single-author text, or a conversation whose user's lines are unknown,
 * every task is listed. In a group of three or more that the user leads (opens, or speaks in
 * most), requests are listed, but another person's own promise only when the user asks for it
 * in reply ("Please do", "Thanks, Marco"). In a two-person conversation only the
 * user's tasks are: their own promises and needs, what the other person asked of them, and what
 * the user asked of the other person. In a group the user only attends, only what the user takes
 * on or is asked to do. A task that belongs to someone else is written as the user's follow-up
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
import { splitClauses, splitCoordinated } from './clauses.ts';
import { dueAtFrom, findTemporal, stripSpans, type TemporalMatch } from './dates.ts';
import { addresseeOf, vocative, type Cast } from './names.ts';
import { phraseTask, type PhrasingContext } from './task-phrasing.ts';
import { endorsed, headingDate } from './task-context.ts';
import { matchTrigger, ownerOf, type TriggerMatch } from './task-triggers.ts';
import { stem, STOPWORDS, stripOpeners } from './text.ts';
import type { Conversation } from './utterances.ts';
import { PARTICLES } from './verbs.ts';

export const MAX_ACTION_ITEMS = 10;

const HYPOTHETICAL = /^(?:if|unless|maybe|perhaps|what if|in case|i think|i guess|i wonder|not sure|should we|shall we)\b/i;
/** "ask for Friday off", "request for Monday": the date names what is asked for. */
const SUBJECT_BEFORE = /\b(?:ask|asks|asked|asking|request|requests|requested)\s+(?:\w+\s+){0,2}$/i;
/** A clause that opens with a date, which hides the trigger behind it until the date is removed. */
const LEADING_DATE =
  /^(?:(?:on|by|this|next|after|before|at|in|until|from|so)\s+)?(?:today|tonight|tomorrow|tmrw|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next|this|the|\d|first thing|later|eod|end of)/i;
/** A reply that reports the request already done ("done", "sending now") — not a promise ("done by tonight"). */
const DONE_REPLY = /^(?:done|all done|already (?:did|done|booked|sent)|booked|sent|just sent|did it|sending(?: it)? now|on it)\b(?!\s+(?:by|before|until|tomorrow|tonight|today|later))/i;
/** "by then", "before then": the deadline named just before. */
const BY_THEN = /\b(?:by|before|until) then\b/i;
/** "If you can sign it and send it back by Friday, that'd be great": a polite request, not a hypothetical. */
const POLITE_IF = /\bif you (?:can|could)\s+([^,]+(?:,\s*(?!that)[^,]+)*?),\s*that(?:'d| would) (?:be (?:great|perfect|ideal|helpful|amazing|lovely|wonderful)|help(?: a lot)?)\b[^.?!]*[.!]?$/i;
/** A following sentence that opens with a date is an afterthought deadline ("Today if you can, so I can…"). */
const DATE_AFTERTHOUGHT = /^(?:today|tonight|tomorrow|by\s|before\s|no later than\s)/i;
/** A promise whose object is only a pronoun: "send that over", "dig it out", "text it to you". */
const ACCEPTS = /^[a-z]+\s+(?:(?:over|out|up|back)\s+)?(?:it|that|this|them|those)\b/i;
const DEADLINE_SENTENCE = /\b(?:deadline is|is due|are due|due (?:on|by))\b/i;

interface Candidate {
  core: string;
  description: string;
  dueAt: string | null;
  /** A deadline from context, used when the turn itself states none ("by then"; "sure, by tonight"). */
  fallbackDue: string | null;
  utterance: number;
  /** Asked of someone by the speaker ("can you…", "please…", a bare imperative). */
  request: boolean;
  /** Asked of anyone ("someone needs to…"). */
  unassigned: boolean;
  /** Taken by someone else in a group the user only attends. */
  dropped?: boolean;
  /** Index of its sentence within the turn. */
  sentence: number;
  /** Tasks split from one clause ("update the roadmap and tell sales") share this. */
  clause: number;
  rephrase: (ctx: Pick<PhrasingContext, 'owner'>) => void;
}

export function extractActionItems(conversation: Conversation, cast: Cast, startedAt: string): ExtractedActionItem[] {
  const { utterances, participants, monologue } = conversation;
  const lead = leads(conversation);
  const everyone = monologue || !conversation.userKnown;
  // In a group the user only attends, other people's tasks among themselves are not the user's.
  const group = participants >= 3 && !lead;
  const candidates: Candidate[] = [];
  const history: string[] = [];
  let clauseCount = 0;
  // A deadline stated on its own ("The hard deadline is Friday the 18th.") that no earlier task took, for the next sentence's tasks.
  let pending: { utterance: number; sentence: number; dueAt: string | null } | null = null;
  utterances.forEach((u, index) => {
    const before = candidates.length;
    const speakerName = u.isUser ? null : (cast.names.get(u.speaker) ?? null);
    u.sentences.forEach((rawSentence, sentenceIndex) => {
      // "I'll bring dessert, maybe the lemon tart she likes?": the hedge asks, the promise does not.
      const sentence = stripOpeners(rawSentence).replace(POLITE_IF, (_, task: string) => `could you ${task}?`).replace(/^((?:i|we)\s*(?:'ll|will)\s[^,?]+),\s*(?:maybe|perhaps|or maybe|probably)\s+[^,?]*\?$/i, '$1.');
      let sentenceMatch: TemporalMatch | null | undefined;
      const sentenceDue = (): TemporalMatch | null => (sentenceMatch ??= findTemporal(sentence, startedAt));
      const last = candidates[candidates.length - 1];
      // "It's mandatory and the deadline is April 4th." dates the task just before it.
      const firstHere = candidates.length;
      const clauses = splitClauses(sentence).map((raw) => readClause(raw, u.isUser, monologue, participants, startedAt));
      // A clause's own date is its deadline; a date in a clause with no task of its own ("By Friday, …") serves the others.
      const orphan = clauses.find((c) => c !== null && c.found === null && c.match !== null)?.match ?? null;
      clauses.forEach((parsed, k) => {
        if (parsed === null || parsed.hypothetical || parsed.found === null) return;
        const { found, match, subject, clause } = parsed;
        // The clauses before this one in the sentence are context too ("We need the slip, could you send it back?").
        const sameSentence = clauses.slice(0, k).flatMap((c) => (c === null ? [] : [c.clause]));
        const addressee = addresseeOf(conversation, cast, index, sentence);
        const base: Omit<PhrasingContext, 'owner'> = {
          earlier: [...history.slice(-5), ...sameSentence],
          speakerIsUser: u.isUser,
          speakerName,
          addressee,
          monologue,
        };
        const owner = ownerOf(found, u.isUser, speakerName, addressee);
        const dueAt = subject ? null : dueAtFrom(match ?? orphan, startedAt);
        const then = !subject && !match && BY_THEN.test(clause) ? earlierDate(history, startedAt) : null;
        // Someone else's own promise is theirs, unless the user running the meeting asks for it ("Please do").
        const listed = everyone || (group ? owner.isUser : u.isUser || found.kind !== 'self' || (lead && participants >= 3 && endorsed(conversation, index)));
        const clauseId = clauseCount++;
        // Someone else's compound task stays one follow-up ("Follow up with Omar on opening a ticket and attaching…").
        const bodies = owner.isUser ? splitCoordinated(found.body) : [found.body];
        // "Sure, I'll send that over in a bit" accepts the request just made rather than adding a task.
        if (u.isUser && found.kind === 'self' && ACCEPTS.test(found.body) && acceptRequest(candidates, index, dueAt)) return;
        for (const body of bodies) {
          const phrased = phraseTask(body, { ...base, owner });
          if (phrased === null) continue;
          if (phrased.kind === 'reference') {
            // "Do it tomorrow, seriously" asks the addressee to do the task just named; "I'll do it" claims it for the speaker.
            const asked = found.kind === 'request' || found.kind === 'imperative';
            const claimant: PhrasingContext['owner'] = asked ? owner : u.isUser ? { isUser: true } : { isUser: false, name: speakerName };
            claimPrevious(candidates, index, claimant, match ? dueAtFrom(match, startedAt) : null);
            continue;
          }
          if (!listed && found.kind === 'self') takeOver(candidates, index, phrased.core, group, speakerName);
          // "Someone needs to tell finance…" — "I'll email finance about it today": the user's own wording stands.
          if (u.isUser && found.kind === 'self') supersede(candidates, index, phrased.core);
          if (!listed || (found.kind === 'request' && answeredDone(conversation, index))) continue;
          const candidate: Candidate = {
            core: phrased.core,
            description: phrased.text,
            dueAt,
            fallbackDue: dueAtFrom(then ?? (found.kind === 'request' ? replyDate(conversation, index, startedAt) : null), startedAt),
            utterance: index,
            request: found.kind === 'request' || found.kind === 'imperative',
            unassigned: found.kind === 'unassigned',
            sentence: sentenceIndex,
            clause: clauseId,
            rephrase: (ctx) => {
              const again = phraseTask(body, { ...base, ...ctx });
              if (again?.kind === 'task') candidate.description = again.text;
            },
          };
          candidates.push(candidate);
        }
      });
      // …unless the sentence named a task of its own ("…is submit the report, that's due Friday").
      if (DEADLINE_SENTENCE.test(sentence) && candidates.length === firstHere) {
        if (last?.dueAt === null && last.utterance === index) last.dueAt = dueAtFrom(sentenceDue(), startedAt);
        else pending = { utterance: index, sentence: sentenceIndex, dueAt: dueAtFrom(sentenceDue(), startedAt) };
      }
      if (pending?.utterance === index && pending.sentence === sentenceIndex - 1) {
        for (const c of candidates.slice(firstHere)) c.dueAt ??= pending.dueAt;
      }
      history.push(sentence);
    });
    // A turn's only task takes a date said just before it ("Thursday works. I'll leave the key…") or
    // added as an afterthought ("Can you send it? Like, by Monday?").
    const added = candidates.slice(before);
    const lone = added.length > 0 && added.every((c) => c.clause === added[0]!.clause) ? added[0]! : undefined;
    if (lone && lone.dueAt === null) {
      const context = u.sentences.filter((s, k) => k < lone.sentence || (k > lone.sentence && (s.split(/\s+/).length <= 5 || DATE_AFTERTHOUGHT.test(s))));
      const due = context.length > 0 ? dueAtFrom(findTemporal(context.join(' '), startedAt), startedAt) : null;
      for (const c of added) c.dueAt = due;
    }
    for (const c of candidates.slice(before)) c.dueAt ??= c.fallbackDue;
  });
  // A note headed by its day ("Priorities for today.", "Tomorrow:") dates every task it lists without a date of its own.
  const heading = monologue ? headingDate(utterances[0]?.sentences[0], startedAt) : null;
  if (heading) for (const c of candidates) c.dueAt ??= heading;
  return dedupe(candidates.filter((c) => !c.dropped)).slice(0, MAX_ACTION_ITEMS).map((c) => ({ description: c.description, dueAt: c.dueAt }));
}

/** Whether the user runs the conversation: speaks first, or takes at least as many turns as anyone else. */
function leads(conversation: Conversation): boolean {
  const turns = new Map<string, number>();
  for (const u of conversation.utterances) turns.set(u.speaker, (turns.get(u.speaker) ?? 0) + 1);
  const user = conversation.utterances.find((u) => u.isUser);
  if (!user) return false;
  if (conversation.utterances[0]?.isUser) return true;
  return Math.max(...turns.values()) <= (turns.get(user.speaker) ?? 0);
}

interface ParsedClause {
  clause: string;
  hypothetical: boolean;
  found: TriggerMatch | null;
  match: TemporalMatch | null;
  /** The date is what the task is about ("ask for Friday off"), not its deadline. */
  subject: boolean;
}

function readClause(raw: string, isUser: boolean, monologue: boolean, participants: number, startedAt: string): ParsedClause | null {
  let clause = stripOpeners(raw.trim());
  const named = vocative(clause);
  if (named) clause = clause.replace(new RegExp(`^(?:\\w+[,.]?\\s+)*?${named},\\s*|^@${named}[,:]?\\s+`), '');
  if (clause.length === 0) return null;
  const match = findTemporal(clause, startedAt);
  if (HYPOTHETICAL.test(clause)) return { clause, hypothetical: true, found: null, match, subject: false };
  const told = named !== null;
  // Most clauses hold no task: only a trigger, or a date in front of one ("Tomorrow I need to…"), is worth a second look.
  if (!matchTrigger(clause, isUser, monologue, participants, told) && !LEADING_DATE.test(clause)) {
    return { clause, hypothetical: false, found: null, match, subject: false };
  }
  // "ask for Friday off", "move Thursday's appointment": the date names what the task is about.
  const subject =
    match?.spans.some(([s, e]) => /^'s\b/.test(clause.slice(e)) || (/^for\b/i.test(clause.slice(s)) && SUBJECT_BEFORE.test(clause.slice(0, s))) || /^\s*off\b/i.test(clause.slice(e))) ?? false;
  const stripped = match && !subject ? stripSpans(clause, match.spans) : clause;
  return { clause, hypothetical: false, found: matchTrigger(stripped, isUser, monologue, participants, told), match, subject };
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

/**
 * "Someone needs to review them." — "I can review them": another person takes the open task. In a
 * group the user only attends it leaves the user's list; otherwise it becomes a follow-up with them.
 */
function takeOver(candidates: Candidate[], index: number, core: string, group: boolean, name: string | null): void {
  const key = keyOf(core);
  const at = candidates.findIndex((c) => c.unassigned && c.utterance === index - 1 && [...keyOf(c.core)].some((t) => key.has(t)));
  if (at < 0) return;
  if (group) candidates[at]!.dropped = true;
  else candidates[at]!.rephrase({ owner: { isUser: false, name } });
}

function supersede(candidates: Candidate[], index: number, core: string): void {
  const key = keyOf(core);
  for (const c of candidates) {
    if (!c.unassigned || c.utterance < index - 2) continue;
    const shared = [...keyOf(c.core)].filter((t) => key.has(t)).length;
    if (shared >= 2) c.dropped = true;
  }
}

/** A request from the turn just before, still undated or dated, that the user takes on; its own date wins. */
function acceptRequest(candidates: Candidate[], index: number, dueAt: string | null): boolean {
  const previous = [...candidates].reverse().find((c) => c.utterance === index - 1 && c.request);
  if (!previous) return false;
  previous.dueAt ??= dueAt;
  return true;
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
