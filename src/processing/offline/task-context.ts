/**
 * Two readings of the conversation around the tasks: whether the user running a meeting takes
 * another person's promise on ("Please do", "Thanks, Marco"), and the day a note is headed by
 * ("Priorities for today.").
 */
import { dueAtFrom, findTemporal } from './dates.ts';
import { matchTrigger } from './task-triggers.ts';
import type { Conversation } from './utterances.ts';

/** The user's next turn takes the promise on as theirs to follow up: "Please do.", "Great, thanks Marco." */
export function endorsed(conversation: Conversation, index: number): boolean {
  const next = conversation.utterances[index + 1];
  if (!next?.isUser) return false;
  const reply = next.text.trim();
  return /^(?:(?:ok(?:ay)?|great|perfect|good|cool|yes|yeah)[,!.]?\s+)?(?:please do|yes,? please|go ahead|do it)\b/i.test(reply) || /^(?:[a-z]+[,!.]?\s+)?thanks?(?: you)?,?\s+[A-Z][a-z]+\b/i.test(reply);
}

/** A note's first sentence naming only its day: the deadline of every undated task in it. */
export function headingDate(first: string | undefined, startedAt: string): string | null {
  if (!first || first.split(/\s+/).length > 5 || matchTrigger(first, true, true, 1, false)) return null;
  if (!/^(?:(?:my\s+)?(?:priorities|plan|to-?dos?|tasks|list|agenda)\s+for\s+|)(?:today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b[^.]*[.:]?$/i.test(first.trim())) return null;
  return dueAtFrom(findTemporal(first, startedAt), startedAt);
}
