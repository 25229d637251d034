import type { Config } from './config/config.ts';
import { JobQueue } from './jobs/job-queue.ts';
import type { JobHandler, JobLogger } from './jobs/job-runner.ts';
import { systemClock, type Clock } from './lib/time.ts';
import { AccountsService } from './modules/accounts/accounts.service.ts';
import { ActionItemsService } from './modules/action-items/action-items.service.ts';
import { ApiKeysService } from './modules/api-keys/api-keys.service.ts';
import { ConversationsService } from './modules/conversations/conversations.service.ts';
import { DAILY_SUMMARY_DELAY_MS, JOB_KINDS, postProcessingHandlers } from './modules/conversations/post-processing.ts';
import { DailySummariesService } from './modules/daily-summaries/daily-summaries.service.ts';
import { FoldersService } from './modules/folders/folders.service.ts';
import { GoalsService } from './modules/goals/goals.service.ts';
import { MemoriesService } from './modules/memories/memories.service.ts';
import { createAnswerer, createMemoryCategorizer, createProcessor } from './processing/index.ts';
import { ExtractiveAnswerer } from './processing/offline/answer.ts';
import { AskService } from './modules/ask/ask.service.ts';
import { McpKeysService } from './modules/mcp-keys/mcp-keys.service.ts';
import { McpOAuthService } from './modules/mcp-oauth/mcp-oauth.service.ts';
import { receiverJobHandlers } from './modules/receivers/receivers.jobs.ts';
import { ReceiversService } from './modules/receivers/receivers.service.ts';
import { OfflineMemoryCategorizer, type MemoryCategorizer } from './processing/memory-categorizer.ts';
import { OfflineProcessor } from './processing/offline/offline-processor.ts';
import type { ConversationProcessor } from './processing/processor.ts';
import type { Storage } from './storage/storage.ts';
import { OpenAiEmbeddingsClient, type Embedder } from './processing/embeddings/embeddings-client.ts';
import { EMBED_JOB, QUERY_EMBEDDING_TIMEOUT_MS, SearchService } from './modules/search/search.service.ts';

export interface Services {
  accounts: AccountsService;
  apiKeys: ApiKeysService;
  memories: MemoriesService;
  actionItems: ActionItemsService;
  goals: GoalsService;
  conversations: ConversationsService;
  folders: FoldersService;
  dailySummaries: DailySummariesService;
  search: SearchService;
  ask: AskService;
  mcpKeys: McpKeysService;
  mcpOAuth: McpOAuthService;
  /** Receivers of the Omi app's developer webhooks. */
  receivers: ReceiversService;
  /** Where services enqueue background work, and the handlers a JobRunner runs it with. */
  jobs: { queue: JobQueue; handlers: Readonly<Record<string, JobHandler>> };
}

export interface ServiceOptions {
  clock?: Clock;
  memoryCategorizer?: MemoryCategorizer;
  processor?: ConversationProcessor;
  /** Where the pipeline reports LLM fallbacks and job failures. */
  log?: JobLogger;
  /** How long a day's summary waits for more changes before it is regenerated (default 60 s). */
  dailySummaryDelayMs?: number;
  /** Overrides the embeddings client made from OMI_EMBEDDINGS_* (unset there: keyword search only). */
  embedder?: Embedder;
}

const silent: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Wires every service to one storage; the composition root and the tests both call this. */
export function createServices(config: Config, storage: Storage, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silent;
  const offline = new OfflineProcessor();
  const processor = options.processor ?? createProcessor(config, log, { offline });
  const queue = new JobQueue(clock);
  const embedderWithin = (timeoutMs: number) =>
    options.embedder ?? (config.embeddings && new OpenAiEmbeddingsClient(config.embeddings, { timeoutMs }));
  // A search waits for its query's embedding only briefly, then answers from keywords.
  const search = new SearchService(storage, queue, embedderWithin(config.llmTimeoutMs), log, {
    queryEmbedder: embedderWithin(Math.min(config.llmTimeoutMs, QUERY_EMBEDDING_TIMEOUT_MS)),
  });
  const folders = new FoldersService(storage, clock);
  const conversations = new ConversationsService(storage, processor, queue, clock, search, options.dailySummaryDelayMs);
  const dailySummaries = new DailySummariesService(storage, processor, clock);
  return {
    accounts: new AccountsService(storage, clock, {
      allowSignup: config.allowSignup,
      sessionTtlSeconds: config.sessionTtlSeconds,
    }),
    apiKeys: new ApiKeysService(storage, clock),
    memories: new MemoriesService(storage, options.memoryCategorizer ?? createMemoryCategorizer(config, log, { offline: new OfflineMemoryCategorizer() }), clock, search),
    actionItems: new ActionItemsService(storage, clock, search),
    goals: new GoalsService(storage, clock),
    conversations,
    folders,
    dailySummaries,
    search,
    mcpKeys: new McpKeysService(storage, clock),
    mcpOAuth: new McpOAuthService(storage, clock),
    receivers: new ReceiversService(storage, queue, clock),
    ask: new AskService(storage, search, conversations, createAnswerer(config, log, { offline: new ExtractiveAnswerer() }), clock),
    jobs: {
      queue,
      handlers: {
        ...postProcessingHandlers({
          storage,
          processor,
          folders,
          clock,
          search,
          processingInput: (conversation) => conversations.processingInput(conversation),
        }),
        [JOB_KINDS.dailySummary]: dailySummaries.jobHandler,
        [EMBED_JOB]: search.embedJob,
        ...receiverJobHandlers({
          storage,
          conversations,
          folders,
          jobs: queue,
          clock,
          search,
          dailySummaryDelayMs: options.dailySummaryDelayMs ?? DAILY_SUMMARY_DELAY_MS,
        }),
      },
    },
  };
}
