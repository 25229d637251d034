import { unprocessable } from '../../lib/errors.ts';
import type { Clock } from '../../lib/time.ts';
import type { AnswerSource, QuestionAnswerer } from '../../processing/answerer.ts';
import type { Storage } from '../../storage/storage.ts';
import type { Conversation } from '../conversations/conversations.types.ts';
import type { ConversationsService } from '../conversations/conversations.service.ts';
import { hasContentWords } from '../search/query-terms.ts';
import { rankedPage, type SearchService } from '../search/search.service.ts';
import { isValidTimeZone, resolveTimeRange } from './time-range.ts';

export const NO_MATCH_ANSWER = "I couldn't find anything relevant in your conversations to answer that.";

/**
 * Words that ask about a stretch of time as a whole ("what happened yesterday?", "recap last
 * week"): with a date and nothing else, the answer is built from that time's conversations.
 */
const ABOUT_A_TIME = new Set(
  'happen happened happening going went up day days week weeks month summarize summarise summary recap overview doing done busy'.split(' '),
);

/** A date phrase tied to today ("yesterday", "last week", "3 days ago", "this June") or a year: never taken loosely. */
const ANCHORED = /\b(?:today|tonight|yesterday|ago|last|past|this|night|weekend|\d{4})\b/i;

/** Conversations searched before a date filter narrows them to `limit`. */
const DATED_CANDIDATES = 200;

export interface AskInput {
  question: string;
  limit?: number | undefined;
  timezone?: string | undefined;
}

export interface AskResult {
  answer: string;
  sources: Conversation[];
}

/**
 * `POST /v1/dev/user/ask`: finds the conversations that answer a question (search, narrowed to
 * the dates the question names, like "yesterday" in the caller's time zone), then has the
 * answerer write a cited answer from them. Nothing found: a fixed answer, and no LLM call.
 */
export class AskService {
  constructor(
    private readonly storage: Storage,
    private readonly search: SearchService,
    private readonly conversations: ConversationsService,
    private readonly answerer: QuestionAnswerer,
    private readonly clock: Clock,
  ) {}

  async ask(userId: string, input: AskInput): Promise<AskResult> {
    const question = input.question.trim();
    if (question === '') throw unprocessable('question cannot be empty');
    const timeZone = input.timezone ?? 'UTC';
    if (!isValidTimeZone(timeZone)) {
      throw unprocessable([
        {
          type: 'value_error',
          loc: ['body', 'timezone'],
          msg: `Value error, timezone must be a valid IANA timezone (e.g. "UTC", "Europe/Berlin"), got "${timeZone}"`,
          input: timeZone,
        },
      ]);
    }
    const limit = input.limit ?? 5;
    const now = this.clock.now();
    const found = await this.retrieve(userId, question, timeZone, now, limit);
    if (found.length === 0) return { answer: NO_MATCH_ANSWER, sources: [] };

    const userName = (await this.storage.users.findById(userId))?.name ?? null;
    const sources: AnswerSource[] = [];
    for (const summary of found) {
      const conversation = await this.storage.conversations.get(userId, summary.id, { withTranscript: true });
      if (!conversation) continue;
      sources.push({
        id: conversation.id,
        title: conversation.title,
        overview: conversation.overview,
        startedAt: conversation.startedAt ?? conversation.createdAt,
        text: (await this.conversations.processingInput(conversation, userName)).text,
      });
    }
    if (sources.length === 0) return { answer: NO_MATCH_ANSWER, sources: [] };
    const { answer, cited } = await this.answerer.answer({ question, timeZone, now, sources });
    const byId = new Map(found.map((c) => [c.id, c]));
    const used = cited.length > 0 ? cited : sources.map((s) => s.id);
    return { answer, sources: used.flatMap((id) => byId.get(id) ?? []) };
  }

  /** The best `limit` kept conversations for the question, best first. */
  private async retrieve(userId: string, question: string, timeZone: string, now: Date, limit: number): Promise<Conversation[]> {
    const range = resolveTimeRange(question, now, timeZone);
    const words = range ? range.rest : question;
    const startedWithin = range && { from: range.from, to: range.to };
    const list = (q: { ids?: string[]; limit: number }) =>
      this.storage.conversations.list(userId, { ...q, startedWithin, withTranscript: false, offset: 0 });
    if (!hasContentWords(words, ABOUT_A_TIME)) {
      // "What did I do yesterday?": the day's conversations are the answer's material.
      return range ? list({ limit }) : [];
    }
    // More candidates than needed: the date and visibility filters below may drop some.
    const hits = await this.search.rank(userId, 'conversation', words, range ? DATED_CANDIDATES : limit + 20);
    const dated = await rankedPage(hits, (ids) => list({ ids, limit: ids.length }), { offset: 0, limit });
    if (dated.length > 0 || !range || ANCHORED.test(range.phrase)) return dated;
    // "In June", "on Sunday": a bare name is taken as the latest such day or month, but a person
    // may mean an earlier one. Nothing then: the matches of any date, rather than no answer.
    const undated = (ids: string[]) => this.storage.conversations.list(userId, { ids, limit: ids.length, offset: 0, withTranscript: false });
    return rankedPage(hits, undated, { offset: 0, limit });
  }
}
