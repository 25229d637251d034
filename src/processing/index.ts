import type { OpenAiCompatibleEndpoint } from '../config/config.ts';
import { ChatClient } from './llm/chat-client.ts';
import { LlmMemoryCategorizer } from './llm/llm-memory-categorizer.ts';
import { LlmProcessor, type WarnLogger } from './llm/llm-processor.ts';
import type { MemoryCategorizer } from './memory-categorizer.ts';
import type { ConversationProcessor } from './processor.ts';
import type { QuestionAnswerer } from './answerer.ts';
import { LlmAnswerer } from './llm/llm-answerer.ts';

export interface ProcessingConfig {
  /** Unset: everything runs offline. */
  llm: OpenAiCompatibleEndpoint | undefined;
  /** Budget for one LLM call, retries included; past it the offline result is used. */
  llmTimeoutMs: number;
}

/** The offline processor when no LLM is configured, else the LLM one with the offline one as its fallback. */
export function createProcessor(
  config: ProcessingConfig,
  log: WarnLogger,
  deps: { offline: ConversationProcessor },
): ConversationProcessor {
  if (config.llm === undefined) return deps.offline;
  return new LlmProcessor(new ChatClient(config.llm, { timeoutMs: config.llmTimeoutMs }), deps.offline, log);
}

/** Likewise for categorising memories created without a category. */
export function createMemoryCategorizer(
  config: ProcessingConfig,
  log: WarnLogger,
  deps: { offline: MemoryCategorizer },
): MemoryCategorizer {
  if (config.llm === undefined) return deps.offline;
  return new LlmMemoryCategorizer(new ChatClient(config.llm, { timeoutMs: config.llmTimeoutMs }), deps.offline, log);
}

/** Likewise for answering questions (`POST /v1/dev/user/ask`). */
export function createAnswerer(config: ProcessingConfig, log: WarnLogger, deps: { offline: QuestionAnswerer }): QuestionAnswerer {
  if (config.llm === undefined) return deps.offline;
  return new LlmAnswerer(new ChatClient(config.llm, { timeoutMs: config.llmTimeoutMs }), deps.offline, log);
}
