/**
 * The conversation as scored sentences: cleaned of disfluencies and openers, with the term
 * weights that summary and title selection share.
 */
import { vocative } from './names.ts';
import { contentTokens, stem, stripOpeners } from './text.ts';
import type { Conversation } from './utterances.ts';

export interface Sentence {
  /** Cleaned text, as it may appear in an overview. */
  text: string;
  utterance: number;
  /** Order in the conversation. */
  position: number;
  isUser: boolean;
  speakerName: string;
  isQuestion: boolean;
  /** Stemmed content terms. */
  terms: string[];
}

export interface ScoredConversation {
  sentences: Sentence[];
  /** Stemmed term → weight (grows with how often the conversation returns to it). */
  weights: Map<string, number>;
}

const PLEASANTRY =
  /^(?:hey|hi|hello|good (?:morning|afternoon|evening)|how are you|how's it going|thanks|thank you|bye|talk soon|see you|you're welcome|sounds good|got it|no worries|of course|absolutely|perfect|great|cool|noted|deal)\b/i;

export const WHEN = /\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|next week|next month|\d{1,2}(?::\d{2})?\s*(?:am|pm)|at \d)/i;
const PICTOGRAPHS = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu;
/** Letter furniture: "Subject: …", "Hi team,", "Thanks,", a signature. */
const HEADER = /^(?:subject|re|fwd?|from|to|cc|date)\s*:|^(?:hi|hello|dear|hey)\b[^.!?]{0,20},?$|^(?:thanks|thank you|cheers|best|regards|best regards)\b[^.!?]{0,20}[,.!]?$/i;

/** "Leo, you still need to…" → "You still need to…": the name is an address, not content. */
function withoutVocative(text: string): string {
  // "Hi Alex, this is the clinic calling to confirm…": the greeting goes, the message stays.
  const greeting = /^(?:hi|hello|hey|good (?:morning|afternoon|evening))(?:\s+[A-Z][a-z]+)?,\s+(?=\S+(?:\s+\S+){5})/i.exec(text);
  if (greeting) return capitalizeFirst(text.slice(greeting[0].length));
  const endearment = /^(?:buddy|honey|love|sweetie|sweetheart|babe|dad|mom|mum|guys|everyone|folks|team),\s+(?=\S)/i.exec(text);
  if (endearment) return capitalizeFirst(text.slice(endearment[0].length));
  const name = vocative(text);
  if (!name || !text.startsWith(`${name},`)) return text;
  const rest = text.slice(name.length + 1).trim();
  return rest.length > 0 ? capitalizeFirst(rest) : text;
}

const capitalizeFirst = (text: string): string => (text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text);

export function scoreConversation(conversation: Conversation, names: ReadonlyMap<string, string> = new Map()): ScoredConversation {
  const sentences: Sentence[] = [];
  conversation.utterances.forEach((u, utterance) => {
    for (const raw of u.sentences) {
      const text = withoutVocative(stripOpeners(raw).replace(PICTOGRAPHS, '').trim());
      if (!/[\p{L}\p{N}]/u.test(text)) continue;
      sentences.push({
        text,
        utterance,
        position: sentences.length,
        isUser: u.isUser,
        speakerName: u.isUser ? u.name : (names.get(u.speaker) ?? u.name),
        isQuestion: /\?["')]*$/.test(text),
        terms: contentTokens(text).map(stem),
      });
    }
  });
  const counts = new Map<string, number>();
  for (const s of sentences) for (const t of s.terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  const weights = new Map<string, number>();
  // Centrality: a term said once adds little; terms the conversation keeps returning to add more.
  for (const [term, n] of counts) weights.set(term, 0.25 + Math.log(n));
  return { sentences, weights };
}

/** How representative a sentence is: dense in the conversation's recurring terms, not small talk. */
export function sentenceScore(s: Sentence, weights: Map<string, number>, total: number): number {
  const unique = [...new Set(s.terms)];
  if (unique.length === 0) return 0;
  let score = unique.reduce((sum, t) => sum + (weights.get(t) ?? 0), 0) / Math.sqrt(Math.max(unique.length, 4));
  const words = s.text.split(/\s+/).length;
  if (s.isQuestion) score *= 0.45;
  if (HEADER.test(s.text)) score *= 0.1;
  if (/^(?:it|it's|this|that|that's|they|they're|these|those|he|she|he's|she's)\b/i.test(s.text)) score *= 0.6;
  if (PLEASANTRY.test(s.text)) score *= 0.3;
  if (unique.length < 3) score *= 0.5;
  if (words > 40) score *= 0.7;
  if (/\b(?:agreed|decided|plan|planning|because|need to|will|going to|deadline|results?|moved|booked)\b/i.test(s.text)) score *= 1.2;
  if (/\d/.test(s.text)) score *= 1.1;
  // Plans with a when are what people remember of a conversation.
  if (WHEN.test(s.text)) score *= 1.3;
  if (total > 3 && s.position < total / 3) score *= 1.1;
  return score;
}
