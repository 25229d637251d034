import type {
  ConversationProcessor,
  DayInput,
  DaySummaryContent,
  ExtractedMemory,
  MemoryContext,
  ProcessingInput,
  SummaryResult,
} from '../processor.ts';
import { LlmError, type ChatClient, type ChatMessage } from './chat-client.ts';
import {
  DaySummaryReplySchema,
  MemoriesReplySchema,
  readDaySummaryReply,
  readMemoriesReply,
  readSummaryReply,
  SCHEMA_NAMES,
  SummaryReplySchema,
} from './llm-schemas.ts';
import { daySummaryPrompt, memoriesPrompt, summarizePrompt, type PromptOptions } from './prompts.ts';

/** The slice of a pino logger the LLM path needs. */
export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Asks an LLM and validates its answer; on any failure (unreachable, timeout, HTTP error, invalid
 * or unusable JSON) it logs one warning and answers with the fallback processor instead, so an LLM
 * outage degrades the summaries but never fails a request or a job.
 */
export class LlmProcessor implements ConversationProcessor {
  readonly kind = 'llm' as const;

  constructor(
    private readonly client: ChatClient,
    private readonly fallback: ConversationProcessor,
    private readonly log: WarnLogger,
    private readonly options: PromptOptions = {},
  ) {}

  async summarize(input: ProcessingInput): Promise<SummaryResult> {
    return askOrFallback(this.client, this.log, {
      operation: 'summarize',
      messages: summarizePrompt(input, this.options),
      schemaName: SCHEMA_NAMES.summary,
      schema: SummaryReplySchema,
      read: readSummaryReply,
      fallback: () => this.fallback.summarize(input),
    });
  }

  async extractMemories(input: ProcessingInput, context: MemoryContext): Promise<ExtractedMemory[]> {
    return askOrFallback(this.client, this.log, {
      operation: 'extract_memories',
      messages: memoriesPrompt(input, context, this.options),
      schemaName: SCHEMA_NAMES.memories,
      schema: MemoriesReplySchema,
      read: (reply) => readMemoriesReply(reply, context.existing),
      fallback: () => this.fallback.extractMemories(input, context),
    });
  }

  async summarizeDay(input: DayInput): Promise<DaySummaryContent> {
    return askOrFallback(this.client, this.log, {
      operation: 'summarize_day',
      messages: daySummaryPrompt(input, this.options),
      schemaName: SCHEMA_NAMES.daySummary,
      schema: DaySummaryReplySchema,
      read: readDaySummaryReply,
      fallback: () => this.fallback.summarizeDay(input),
    });
  }
}

export interface LlmAsk<T> {
  /** Named in the warning so an operator sees which step fell back. */
  operation: string;
  messages: ChatMessage[];
  schemaName: string;
  schema: object;
  /** Turns the reply into the result, or undefined when it is unusable. */
  read: (reply: unknown) => T | undefined;
  fallback: () => Promise<T>;
}

/** Raised when a reply is JSON but not the JSON asked for. */
class InvalidReply extends Error {}

/** The fallback rule shared by the LLM processor and the LLM memory categorizer. */
export async function askOrFallback<T>(client: ChatClient, log: WarnLogger, ask: LlmAsk<T>): Promise<T> {
  try {
    const reply = await client.completeJson(ask.messages, { schemaName: ask.schemaName, schema: ask.schema });
    const result = ask.read(reply);
    if (result === undefined) throw new InvalidReply();
    return result;
  } catch (error) {
    log.warn(failureFields(error, ask.operation), 'LLM processing failed; using the offline processor');
    return ask.fallback();
  }
}

function failureFields(error: unknown, operation: string): object {
  if (error instanceof LlmError) {
    const status = error.status === undefined ? {} : { status: error.status };
    return { err: error.reason, ...status, operation };
  }
  // Anything else is named but not detailed: its message could quote the transcript.
  return { err: error instanceof InvalidReply ? 'invalid_reply' : 'unexpected', operation };
}
