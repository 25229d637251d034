/**
 * Title and overview, drawn from the content rather than its first characters.
 *
 * Overview: sentences are scored by how many of the conversation's recurring terms they carry
 * (a centrality proxy), with small talk, questions and fragments penalised and plans with a when
 * favoured; the best one to three, not repeating each other, are given in their original order,
 * cleaned of disfluencies and lightly rewritten into the third person where that is mechanical
 * ("I'll send…" → "Alex will send…"). The title is built in title.ts.
 */
import { scoreConversation, sentenceScore, type ScoredConversation, type Sentence } from './sentences.ts';
import { capitalize, ensurePeriod } from './text.ts';
import { buildTitle, type TitleHints } from './title.ts';
import type { Conversation } from './utterances.ts';
import { thirdPerson } from './verbs.ts';

export type { TitleHints } from './title.ts';

export interface SummaryText {
  title: string;
  overview: string;
}

export function summarizeText(conversation: Conversation, userName: string | null, hints: TitleHints): SummaryText {
  const scored = scoreConversation(conversation, hints.speakers);
  return { title: buildTitle(scored, hints), overview: buildOverview(scored, userName) };
}

function buildOverview(scored: ScoredConversation, userName: string | null): string {
  const { sentences, weights } = scored;
  if (sentences.length === 0) return '';
  const total = sentences.length;
  const want = total <= 2 ? 1 : total < 10 ? 2 : 3;
  const ranked = sentences
    .map((s) => ({ s, score: sentenceScore(s, weights, total) }))
    .sort((a, b) => b.score - a.score || a.s.position - b.s.position);
  const chosen: Sentence[] = [];
  for (const { s, score } of ranked) {
    if (chosen.length >= want) break;
    if (score <= 0 && chosen.length > 0) break;
    if (s.isQuestion && ranked.some((r) => !r.s.isQuestion && r.score > 0)) continue;
    const terms = new Set(s.terms);
    const repeats = chosen.some((c) => c.terms.filter((t) => terms.has(t)).length >= 0.6 * Math.max(terms.size, 1));
    if (!repeats) chosen.push(s);
  }
  if (chosen.length === 0) chosen.push(ranked[0]!.s);
  return chosen
    .sort((a, b) => a.position - b.position)
    .map((s) => ensurePeriod(capitalize(neutralize(s, userName))).replace(/\?$/, '.'))
    .join(' ');
}

const SUBJECT_VERB =
  /^I(?:'m| am|'ve| have|'ll| will| was|'d| (can|could|should|would|must|might|had|did|went|got|moved|found|saw|made|shipped|booked|sent|started|finished|spent|met|told|asked|heard|need|want|think|like|love|prefer|work|live|agree|know|plan|hope|feel|believe))\b/;
const AUX: Record<string, string> = {
  "'m": 'is',
  ' am': 'is',
  "'ve": 'has',
  ' have': 'has',
  "'ll": 'will',
  ' will': 'will',
  ' was': 'was',
  "'d": 'would',
};
const PRESENT = new Set('need want think like love prefer work live agree know plan hope feel believe'.split(' '));

/**
 * Rewrites a sentence that opens with "I …" into the third person, when the speaker has a real
 * name and nothing else in the sentence would need rethinking ("I told him I'd go" stays as is).
 */
function neutralize(s: Sentence, userName: string | null): string {
  const text = s.text.replace(/^(?:please\s+)?remind me to\b/i, 'Reminder to').replace(/^don't forget to\b/i, 'Reminder to');
  const name = s.isUser ? userName : /^(?:speaker \d+|unknown|user)$/i.test(s.speakerName) ? null : s.speakerName;
  if (!name) return text;
  // A trailing aside in the first person ("…, so I see her once a month") is dropped rather than rewritten.
  const tail = /,\s*(?:so|but|and|because)\s+[^,]*\b(?:I|I'm|I'll|I've|I'd|me|my)\b.*$/.exec(text);
  const main = tail && text.slice(0, tail.index).split(/\s+/).length >= 5 ? text.slice(0, tail.index) : text;
  let rewritten: string;
  const m = SUBJECT_VERB.exec(main);
  if (m) {
    const head = m[1] ? (PRESENT.has(m[1]) ? thirdPerson(m[1]) : m[1]) : AUX[m[0].slice(1)]!;
    rewritten = `${name} ${head}${main.slice(m[0].length)}`;
  } else if (/^My\s+\w/.test(main)) rewritten = `${name}'s${main.slice(2)}`;
  else return text;
  if (/\b(?:I|I'm|I'll|I've|I'd|we|we're|our|us)\b/.test(rewritten.slice(name.length))) return text;
  return rewritten
    .replace(/\bmyself\b/gi, 'themselves')
    .replace(/\bmy\b/gi, 'their')
    .replace(/\bmine\b/gi, 'theirs')
    .replace(/\bme\b/gi, 'them');
}
