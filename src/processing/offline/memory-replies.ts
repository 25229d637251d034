/**
 * Memories the user confirms rather than states: the workplace named in their answer to "how's
 * the new job?", a goal the other person recalls ("the deadlift goal — you said a hundred kilos
 * by December, right?" — "Yeah"), a diet the other person arranges for them ("I added the
 * vegetarian meal for you"), and advice given to the user in a two-person conversation about
 * training, food, sleep or health ("I want you at about 120 grams of protein a day"). The fact
 * is kept only when the user's next turn answers it without a no.
 */
import type { ContextMemory } from './memory-context.ts';
import type { Conversation, Utterance } from './utterances.ts';

const JOB_QUESTION = /\b(?:(?:the|your) new job|your job|how(?:'s| is) (?:work|the job)|new role)\b/i;
const WORKPLACE =
  /\bthe ((?:[a-z]+ ){0,2}(?:pharmacy|hospital|clinic|school|office|bank|restaurant|cafe|café|store|shop|lab|firm|agency|studio|warehouse|library|hotel|surgery|practice|ward|startup))\b/i;
const GOAL = /\b(?:your|the) ((?:[a-z]+ )?goal)\b/i;
const YOU_SAID = /\byou said ([^,?]+)/i;
const DIET_FOR_YOU = /\bthe (vegetarian|vegan|gluten[- ]free|dairy[- ]free|kosher|halal|pescatarian) (?:meal|option|menu|dish)s? for you\b/i;
const ADVICE =
  /^(?:(?:and|so|but|now|okay|ok)[,]?\s+)*(i want you (?:at|on|to)|you should|you need to|make sure you|try to|aim for|swap|switch|stick to|avoid|cut out|always do|keep)\s+([^.;!?,]+)/i;
const HEALTH_WORDS =
  /\b(?:protein|calories|carbs|water|sleep|squats?|deadlifts?|lunges|stretch(?:es|ing)?|warm-up|mobility|reps|sets|cardio|steps|diet|meals?|sugar|caffeine|alcohol|medication|physio|posture|knee|back|shoulder|hips?)\b/i;
const NEGATIVE = /^(?:no|nope|not really|nah)\b/i;
const AFFIRM = /^(?:yes|yeah|yep|yup|right|exactly|correct|that's right|totally|definitely)\b/i;

function nextUserTurn(utterances: readonly Utterance[], index: number): Utterance | null {
  const next = utterances[index + 1];
  return next && next.isUser ? next : null;
}

/** "How's the new job?" — "…the hospital pharmacy is way busier…" */
function workplace(utterances: readonly Utterance[]): ContextMemory[] {
  for (let i = 0; i < utterances.length; i += 1) {
    const u = utterances[i]!;
    if (u.isUser || !u.sentences.some((s) => s.includes('?') && JOB_QUESTION.test(s))) continue;
    const reply = nextUserTurn(utterances, i);
    if (!reply || NEGATIVE.test(reply.sentences[0] ?? '')) continue;
    const place = reply.sentences.map((s) => WORKPLACE.exec(s)?.[1]).find((p) => p !== undefined);
    const isNew = u.sentences.some((s) => /\bnew (?:job|role)\b/i.test(s));
    if (place) return [{ content: `${isNew ? 'Has a new job' : 'Works'} at the ${place.toLowerCase()}`, weight: 8 }];
  }
  return [];
}

/** "Now, the deadlift goal. You said a hundred kilos by December, right?" — "Yeah, …" */
function recalledGoal(utterances: readonly Utterance[]): ContextMemory[] {
  for (let i = 0; i < utterances.length; i += 1) {
    const u = utterances[i]!;
    const goal = u.isUser ? null : u.sentences.map((s) => GOAL.exec(s)?.[1]).find((g) => g !== undefined);
    if (!goal) continue;
    const reply = nextUserTurn(utterances, i);
    if (!reply || !AFFIRM.test(reply.sentences[0] ?? '')) continue;
    const said = u.sentences.map((s) => YOU_SAID.exec(s)?.[1]).find((x) => x !== undefined);
    return [{ content: `Has a ${goal.toLowerCase()}${said ? ` of ${said.replace(/\s+right$/i, '').trim()}` : ''}`, weight: 7 }];
  }
  return [];
}

/** "I added the vegetarian meal for you already." */
function arrangedDiet(utterances: readonly Utterance[]): ContextMemory[] {
  for (const u of utterances) {
    if (u.isUser) continue;
    const diet = u.sentences.map((s) => DIET_FOR_YOU.exec(s)?.[1]).find((d) => d !== undefined);
    if (diet) return [{ content: `Is ${diet.toLowerCase().replace(' ', '-')}`, weight: 8 }];
  }
  return [];
}

/** Health and training advice from the one other person, which the user does not turn down. */
function advice(utterances: readonly Utterance[]): ContextMemory[] {
  const out: ContextMemory[] = [];
  utterances.forEach((u, i) => {
    if (u.isUser) return;
    const reply = nextUserTurn(utterances, i);
    if (reply && NEGATIVE.test(reply.sentences[0] ?? '')) return;
    for (const sentence of u.sentences) {
      const m = ADVICE.exec(sentence.trim());
      if (!m || !HEALTH_WORDS.test(m[2]!) || m[2]!.split(/\s+/).length > 14) continue;
      const trigger = m[1]!.toLowerCase();
      // "you should rest" → "rest"; "I want you at 120 grams" → "aim for 120 grams"; "swap them for…" keeps its verb.
      const verb = /^i want you (?:at|on)$/.test(trigger) ? 'aim for ' : /^(?:i want you to|you should|you need to|make sure you|try to)$/.test(trigger) ? '' : `${trigger} `;
      const advised = m[2]!.trim().replace(/\byour\b/gi, 'their').replace(/\byou\b/gi, 'them');
      out.push({ content: `Was advised to ${verb}${advised}`, weight: 6, category: 'interesting' });
    }
  });
  return out;
}

const ORIGIN_QUESTION = /\bwhere (?:did you|have you) (?:just )?(?:move|moved|come) from\b|\bwhere are you (?:originally )?from\b/i;
const HABIT_QUESTION = /\b(?:are you still|do you still|you still) (?:doing |into |playing |going )?([a-z]+(?: [a-z]+)?)\?/i;
const PLACE_ANSWER = /^(?:(?:oh|well|so|yeah|originally|from)[,]?\s+)*([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b/;
const FREQUENCY = /\b((?:once|twice|three times|\w+ times) a (?:week|month|day)|every (?:day|week|weekend|morning|evening)|on (?:\w+days|weekends))\b/i;

/** "Where did you move from?" — "Manchester."; "Are you still doing climbing?" — "Yeah, twice a week." */
function answers(utterances: readonly Utterance[]): ContextMemory[] {
  const out: ContextMemory[] = [];
  for (let i = 0; i < utterances.length; i += 1) {
    const u = utterances[i]!;
    const reply = u.isUser ? null : nextUserTurn(utterances, i);
    const first = reply?.sentences[0];
    if (!reply || first === undefined || NEGATIVE.test(first)) continue;
    const asked = u.sentences.join(' ');
    const place = ORIGIN_QUESTION.test(asked) ? PLACE_ANSWER.exec(first)?.[1] : undefined;
    if (place && !/^(?:I|I'm|My|We|Yes|Yeah|The)$/.test(place)) out.push({ content: `${/move|come/i.test(asked) ? 'Moved from' : 'Is from'} ${place}`, weight: 7 });
    const habit = HABIT_QUESTION.exec(asked)?.[1];
    if (habit && AFFIRM.test(first)) {
      const often = FREQUENCY.exec(reply.sentences.slice(0, 2).join(' '))?.[1];
      out.push({ content: `Still does ${habit.toLowerCase()}${often ? ` ${often}` : ''}`, weight: 6 });
    }
  }
  return out;
}

export function replyMemories(conversation: Conversation): ContextMemory[] {
  if (conversation.monologue || !conversation.userKnown) return [];
  const { utterances } = conversation;
  const found = [...workplace(utterances), ...recalledGoal(utterances), ...arrangedDiet(utterances), ...answers(utterances)];
  // Advice read off someone else's lines is only the user's when the user is the one they talk to.
  return conversation.participants === 2 ? [...found, ...advice(utterances)] : found;
}
