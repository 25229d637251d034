import { CONVERSATION_CATEGORIES } from '../../modules/conversations/categories.ts';
import {
  MAX_MEMORIES_PER_CONVERSATION,
  type DayInput,
  type MemoryContext,
  type ProcessingInput,
} from '../processor.ts';
import type { ChatMessage } from './chat-client.ts';

/**
 * The prompts, modelled on upstream's: the instructions sit in the system message and the content
 * in the user message, fenced so that text inside it reads as data rather than instructions.
 * Every input is bounded so a 100,000-character text cannot overflow a small local model's context.
 */
export const DEFAULT_MAX_INPUT_CHARS = 24_000;
/** The existing-memories list shown for de-duplication gets its own, smaller budget. */
const MAX_EXISTING_CHARS = 4_000;

export interface PromptOptions {
  maxInputChars?: number;
}

/** Keeps the beginning and the end of an over-long text, where the gist and the conclusions usually are. */
export function truncateMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const marker = `\n[… ${text.length - maxChars} characters omitted …]\n`;
  const keep = Math.max(maxChars - marker.length, 2);
  const head = avoidSplitPair(text, Math.ceil(keep / 2));
  const tail = avoidSplitPair(text, text.length - Math.floor(keep / 2));
  return text.slice(0, head) + marker + text.slice(tail);
}

/** Moves a cut point off the middle of a surrogate pair (an emoji), which would leave half a character. */
function avoidSplitPair(text: string, index: number): number {
  const code = text.charCodeAt(index - 1);
  return code >= 0xd800 && code <= 0xdbff ? index - 1 : index;
}

const fence = (text: string): string => '```\n' + text.replaceAll('```', "'''") + '\n```';

function contentBlock(input: ProcessingInput, maxChars: number): { framing: string; label: string; body: string } {
  if (input.segments !== null) {
    const lines = input.segments.map((line) => `${line.speakerName}${line.isUser ? ' (the user)' : ''}: ${line.text}`);
    return {
      framing: 'The content is a transcript of a recorded conversation; each line is "Speaker: words".',
      label: 'Transcript',
      body: truncateMiddle(lines.join('\n'), maxChars),
    };
  }
  const spec = input.textSourceSpec === null ? '' : ` (${input.textSourceSpec})`;
  const body = truncateMiddle(input.text, maxChars);
  switch (input.textSource) {
    case 'message':
      return {
        framing: `The content is a message exchange${spec}, such as a chat thread or an email.`,
        label: 'Messages',
        body,
      };
    case 'audio_transcript':
      return {
        framing: `The content is a transcript of spoken audio${spec}; expect transcription errors and filler words.`,
        label: 'Transcript',
        body,
      };
    default:
      return { framing: `The content is a text${spec} the user captured.`, label: 'Text', body };
  }
}

const userLine = (userName: string | null): string =>
  userName === null ? 'The user is the person who captured this content.' : `The user is ${userName}.`;

export function summarizePrompt(input: ProcessingInput, options: PromptOptions = {}): ChatMessage[] {
  const block = contentBlock(input, options.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS);
  const chatNote =
    input.segments === null && input.textSource === 'message'
      ? '\nSummarise what the participants communicated and agreed, not the messaging itself.'
      : '';
  const system = `You are an expert conversation analyser. You turn one conversation into a structured summary.
${block.framing}${chatNote}
${userLine(input.userName)}
Write every text field in the language with ISO 639-1 code "${input.language}".

First decide whether the conversation is worth keeping. Set "discarded" to false when it contains any of: a task, request or action item; a decision, commitment or plan; a question that needs follow-up; personal facts or preferences likely to be useful later; an insight, summary or key takeaway. Set "discarded" to true when it contains none of these (small talk without substance, background noise, fragments, test input). Length alone is never a reason to discard. When discarded, the other fields may be left empty.

For a kept conversation:
- title: a short, clear headline (at most 10 words, Title Case) naming the central topic and outcome, e.g. "Team Finalizes Q2 Budget". Never empty.
- overview: a concise summary in the third person of the main topics, key points and decisions (2 to 5 sentences).
- emoji: one emoji that specifically reflects the subject or mood (prefer 🎉 for a celebration over 👍, 💡 for a new idea over 🧠).
- category: exactly one of: ${CONVERSATION_CATEGORIES.join(', ')} ("real" means real estate).
- action_items: only concrete tasks that someone committed to or was asked to do, with real importance; skip vague remarks ("we should grab lunch sometime") and merge duplicates. Each description is imperative and self-contained, e.g. "Send Sarah the Q3 budget draft". due_at is an ISO 8601 UTC date-time when a deadline is stated, with relative dates ("tomorrow", "by Friday") resolved against the conversation's start ${input.startedAt}; null when no deadline is stated.
- events: only events the user should put on a calendar for which the conversation states an explicit date AND time of day (relative dates resolve against ${input.startedAt}). start is an ISO 8601 UTC date-time; duration is in minutes (30 when not stated). No stated time means no event. Use [] when there are none.`;
  const user = `The conversation started at ${input.startedAt} (UTC).

${block.label}:
${fence(block.body)}`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

export function memoriesPrompt(
  input: ProcessingInput,
  context: MemoryContext,
  options: PromptOptions = {},
): ChatMessage[] {
  const block = contentBlock(input, options.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS);
  const system = `You pick out what is worth remembering long-term about the user from one conversation.
${block.framing}
${userLine(input.userName)}
Write in the language with ISO 639-1 code "${input.language}".

Return at most ${MAX_MEMORIES_PER_CONVERSATION} memories; fewer, better memories beat more, and an empty list is a fine answer.
- content: one short sentence in the third person about the user, without "the user" as a prefix, e.g. "Lives in Lisbon", "Has a sister named Ana", "Prefers tea over coffee".
- category: "system" for a fact about the user (preferences, relationships, work, plans, health, habits); "interesting" for advice, wisdom or an insight that someone else shared with the user.
Skip anything already in the user's existing memories (or a rewording of one), small talk, things that matter only today, facts about other people that do not concern the user, and guesses.`;
  const user = `Existing memories (do not repeat):
${existingList(context.existing)}

${block.label}:
${fence(block.body)}`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

function existingList(existing: readonly string[]): string {
  const lines: string[] = [];
  let used = 0;
  for (const memory of existing) {
    const line = `- ${memory.replace(/\s+/g, ' ').trim()}`;
    if (used + line.length > MAX_EXISTING_CHARS) break;
    lines.push(line);
    used += line.length + 1;
  }
  return lines.length === 0 ? '(none)' : lines.join('\n');
}

export function daySummaryPrompt(input: DayInput, options: PromptOptions = {}): ChatMessage[] {
  const system = `You write the user's daily digest from the summaries of the conversations of one day.
- day_emoji: one emoji that captures the day.
- headline: one short line (at most 12 words) saying what the day was about.
- overview: 2 to 4 sentences addressed to the user in the second person ("You spent the morning…") covering the main themes and outcomes.
- highlights: 3 to 5 short bullet texts naming the most important moments, decisions or outcomes.
- knowledge_nuggets: up to 5 short facts, ideas or lessons from the day worth keeping; [] when there are none.
Use only what the conversations say; do not invent.`;
  const lines = input.conversations.map((conversation, index) => {
    const time = conversation.startedAt.slice(11, 16);
    const items = conversation.actionItems.map((item) => `${item.completed ? '[x]' : '[ ]'} ${item.description}`);
    return [
      `${index + 1}. ${time} UTC ${conversation.emoji} ${conversation.title} (${conversation.category}, ${conversation.wordCount} words)`,
      `   ${conversation.overview.replace(/\s+/g, ' ').trim()}`,
      ...(items.length > 0 ? [`   Action items: ${items.join('; ')}`] : []),
    ].join('\n');
  });
  const body = truncateMiddle(lines.join('\n'), options.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS);
  const user = `Date: ${input.date}
Conversations (${input.conversations.length}):
${fence(body)}`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/** Memories are short; a pasted essay is cut to this before classification. */
const MAX_MEMORY_CHARS = 2_000;

export function memoryCategoryPrompt(content: string): ChatMessage[] {
  const system = `You classify one memory saved by the user.
- "system": a fact about the user: who they are, their preferences, relationships, work, plans, habits or health.
- "interesting": advice, wisdom or an insight from someone else or about the world that the user found worth keeping.`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: `Memory:\n${fence(truncateMiddle(content, MAX_MEMORY_CHARS))}` },
  ];
}
