import type { MemoryCategorizer } from '../memory-categorizer.ts';
import type { ChatClient } from './chat-client.ts';
import { askOrFallback, type WarnLogger } from './llm-processor.ts';
import { MemoryCategoryReplySchema, readMemoryCategoryReply, SCHEMA_NAMES } from './llm-schemas.ts';
import { memoryCategoryPrompt } from './prompts.ts';

/** Upstream's one-shot LLM categorisation of a memory created without a category, with an offline fallback. */
export class LlmMemoryCategorizer implements MemoryCategorizer {
  constructor(
    private readonly client: ChatClient,
    private readonly fallback: MemoryCategorizer,
    private readonly log: WarnLogger,
  ) {}

  async categorize(content: string): Promise<'system' | 'interesting'> {
    return askOrFallback(this.client, this.log, {
      operation: 'categorize_memory',
      messages: memoryCategoryPrompt(content),
      schemaName: SCHEMA_NAMES.memoryCategory,
      schema: MemoryCategoryReplySchema,
      read: readMemoryCategoryReply,
      fallback: () => this.fallback.categorize(content),
    });
  }
}
