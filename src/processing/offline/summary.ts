/**
 * Title and overview, drawn from the content rather than its first characters.
 *
 * Overview: sentences are scored by how many of the conversation's recurring terms they carry
 * (a centrality proxy), with small talk, questions and fragments penalised and plans with a when
 * favoured; the best one to three, not repeating each other, are given in their original order,
 * cleaned of disfluencies and rewritten into the third person ("I'll send…" → "Alex will send…"),
 * every first-person sentence or none. A decision ("We agreed to…") is always kept. The title is
 * built in title.ts.
 */
import { scoreConversation, sentenceScore, type ScoredConversation, type Sentence } from './sentences.ts';
import { capitalize, ensurePeriod } from './text.ts';
import { buildTitle, type TitleHints } from './title.ts';
import type { Conversation } from './utterances.ts';
import { toThirdPerson } from './third-person.ts';

export type { TitleHints } from './title.ts';

export interface SummaryText {
  title: string;
  overview: string;
}

export function summarizeText(conversation: Conversation, userName: string | null, hints: TitleHints): SummaryText {
  const scored = scoreConversation(conversation, hints.speakers);
  return { title: buildTitle(scored, hints), overview: buildOverview(scored, userName) };
}

const DECISION = /\b(?:we|they|everyone)\s+(?:all\s+)?(?:agreed|decided|settled on|chose|went with)\b|\b(?:the decision is|decision was|we're going with|we will go with|we'll go with)\b/i;

function buildOverview(scored: ScoredConversation, userName: string | null): string {
  const { sentences, weights } = scored;
  if (sentences.length === 0) return '';
  const total = sentences.length;
  const decisions = sentences.filter((s) => !s.isQuestion && DECISION.test(s.text));
  // A decision is what people remember of a conversation; a short one keeps it beside its plans.
  const want = (total <= 2 ? 1 : total < 10 ? 2 : 3) + (decisions.length > 0 && total <= 3 ? 1 : 0);
  const ranked = sentences
    .map((s) => ({ s, score: sentenceScore(s, weights, total) * (decisions.includes(s) ? 2 : 1) }))
    .sort((a, b) => b.score - a.score || a.s.position - b.s.position);
  const chosen: Sentence[] = [];
  for (const { s, score } of ranked) {
    if (chosen.length >= want) break;
    if (score <= 0 && chosen.length > 0) break;
    if (s.isQuestion && ranked.some((r) => !r.s.isQuestion && r.score > 0)) continue;
    // A first-person sentence that cannot be told about its speaker ("remind me if I forget") would keep the whole overview in the first person.
    const label = speakerLabel(s, userName);
    if (label !== null && toThirdPerson(s.text, label) === null) continue;
    const terms = new Set(s.terms);
    const repeats = chosen.some((c) => c.terms.filter((t) => terms.has(t)).length >= 0.6 * Math.max(terms.size, 1));
    if (!repeats) chosen.push(s);
  }
  if (chosen.length === 0) chosen.push(ranked[0]!.s);
  chosen.sort((a, b) => a.position - b.position);
  const texts = chosen.map((s) => s.text.replace(/^(?:please\s+)?remind me to\b/i, 'Reminder to').replace(/^don't forget to\b/i, 'Reminder to'));
  // Either every first-person sentence is rewritten about its speaker, or none is.
  const rewritten = texts.map((text, i) => {
    const name = speakerLabel(chosen[i]!, userName);
    return name === null ? text : toThirdPerson(text, name);
  });
  const final = rewritten.every((t) => t !== null) ? (rewritten as string[]) : texts;
  return final.map((t) => ensurePeriod(capitalize(t)).replace(/\?$/, '.')).join(' ');
}

/** Who a sentence is about in the third person: the user's name (or "The user"), another speaker's real name. */
function speakerLabel(s: Sentence, userName: string | null): string | null {
  if (s.isUser) return userName?.trim() || 'The user';
  return /^(?:speaker \d+|unknown|user)$/i.test(s.speakerName) ? null : s.speakerName;
}
