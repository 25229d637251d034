/**
 * Title and overview, drawn from the content rather than its first characters.
 *
 * Overview: sentences are scored by how many of the conversation's recurring terms they carry
 * (a centrality proxy), with small talk, questions and fragments penalised and plans with a when
 * favoured; the best one to three, not repeating each other, are given in their original order,
 * cleaned of disfluencies and told to the user in the second person ("I'll send her…" → "You'll
 * send Priya…"), never naming the account, never with a "her" whose person was left out. A decision ("We agreed to…") is always kept. The title is
 * built in title.ts.
 */
import { scoreConversation, sentenceScore, type ScoredConversation, type Sentence } from './sentences.ts';
import { capitalize, ensurePeriod } from './text.ts';
import { buildTitle, type TitleHints } from './title.ts';
import type { Conversation } from './utterances.ts';
import { resolvePronoun } from './reference.ts';
import { hasFirstPerson, toSecondPerson, toThirdPerson } from './third-person.ts';

export type { TitleHints } from './title.ts';

export interface SummaryText {
  title: string;
  overview: string;
}

export function summarizeText(conversation: Conversation, hints: TitleHints): SummaryText {
  const scored = scoreConversation(conversation, hints.speakers);
  return { title: buildTitle(scored, hints), overview: buildOverview(scored) };
}

const DECISION = /\b(?:we|they|everyone)\s+(?:all\s+)?(?:agreed|decided|settled on|chose|went with)\b|\b(?:the decision is|decision was|we're going with|we will go with|we'll go with)\b/i;

function buildOverview(scored: ScoredConversation): string {
  const { sentences, weights } = scored;
  if (sentences.length === 0) return '';
  const total = sentences.length;
  const decisions = sentences.filter((s) => !s.isQuestion && DECISION.test(s.text));
  // A decision is what people remember of a conversation; a short one keeps it beside its plans.
  const want = (total <= 2 ? 1 : total < 10 ? 2 : 3) + (decisions.length > 0 && total <= 3 ? 1 : 0);
  const ranked = sentences
    .map((s) => ({ s, score: sentenceScore(s, weights, total) * (decisions.includes(s) ? 2 : 1) }))
    .sort((a, b) => b.score - a.score || a.s.position - b.s.position);
  const chosen: Array<{ s: Sentence; text: string }> = [];
  for (const { s, score } of ranked) {
    if (chosen.length >= want) break;
    if (score <= 0 && chosen.length > 0) break;
    if (s.isQuestion && ranked.some((r) => !r.s.isQuestion && r.score > 0)) continue;
    // A sentence that cannot be told to the user ("remind me if I forget"), or whose "her" points nowhere, is passed over.
    const told = tell(s, sentences);
    if (told === null) continue;
    const terms = new Set(s.terms);
    const repeats = chosen.some((c) => c.s.terms.filter((t) => terms.has(t)).length >= 0.6 * Math.max(terms.size, 1));
    if (!repeats) chosen.push({ s, text: told });
  }
  if (chosen.length === 0) chosen.push({ s: ranked[0]!.s, text: ranked[0]!.s.text });
  chosen.sort((a, b) => a.s.position - b.s.position);
  return chosen.map((c) => ensurePeriod(capitalize(c.text)).replace(/\?$/, '.')).join(' ');
}

/**
 * A sentence as the overview tells it: the user's own lines in the second person ("You'll send…"),
 * a named speaker's in the third, an unnamed speaker's only when it has no "I" to misattribute;
 * "she"/"her" become the person named just before. Null when that cannot be done.
 */
function tell(s: Sentence, all: readonly Sentence[]): string | null {
  const text = s.text.replace(/^(?:please\s+)?remind me to\b/i, 'Reminder to').replace(/^don't forget to\b/i, 'Reminder to');
  const named = !/^(?:speaker \d+|unknown|user)$/i.test(s.speakerName);
  const told = s.isUser ? toSecondPerson(text) : named ? toThirdPerson(text, s.speakerName) : hasFirstPerson(text) ? null : text;
  if (told === null) return null;
  const earlier = all.filter((e) => e.position < s.position && e.position >= s.position - 4).map((e) => e.text);
  return withReferents(told, earlier);
}

const PERSONAL = /\b(?:she|he|her|him|his)\b/gi;
const OBJECT_FOLLOWERS = /^(?:$|[,.;:!?]|the\b|a\b|an\b|some\b|to\b|about\b|on\b|at\b|by\b|in\b|that\b|back\b|up\b|out\b|off\b|know\b|tomorrow\b|today\b|tonight\b|later\b|again\b|and\b|if\b|when\b)/i;

function withReferents(text: string, earlier: readonly string[]): string | null {
  let lost = false;
  const out = text.replace(PERSONAL, (word: string, offset: number) => {
    // "Priya said she…": the referent is right there.
    if (/\b[A-Z][a-z]+\b/.test(text.slice(1, offset))) return word;
    const who = resolvePronoun('her', earlier);
    if (who === null) {
      lost = true;
      return word;
    }
    const name = /^[A-Z]/.test(who) ? who : `${offset === 0 ? 'The' : 'the'} ${who}`;
    const lower = word.toLowerCase();
    const rest = text.slice(offset + word.length).trimStart();
    return lower === 'his' || (lower === 'her' && !OBJECT_FOLLOWERS.test(rest)) ? `${name}'s` : name;
  });
  return lost ? null : out;
}
