import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Repositories } from '../storage.ts';
import { actionItemsRepository } from './action-items.repo.ts';
import { apiKeysRepository } from './api-keys.repo.ts';
import { goalsRepository } from './goals.repo.ts';
import { memoriesRepository } from './memories.repo.ts';
import { sessionsRepository, usersRepository } from './accounts.repo.ts';
import { conversationsRepository } from './conversations.repo.ts';
import { dailySummariesRepository } from './daily-summaries.repo.ts';
import { foldersRepository } from './folders.repo.ts';
import { jobsRepository } from './jobs.repo.ts';
import { mcpSessionsRepository } from './mcp-sessions.repo.ts';
import { oauthRepository } from './oauth.repo.ts';
import { userDataRepository } from './user-data.repo.ts';
import { receiversRepository } from './receivers.repo.ts';
import { searchRepository, type KeywordIndex, type VectorCodec } from './search.repo.ts';

/** What differs between databases, as capabilities rather than `if (postgres)`. */
export interface DialectCapabilities {
  /** `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL); SQLite serialises writers instead. */
  skipLocked: boolean;
  /** Full-text matching and ranking: FTS5 on SQLite, tsvector on PostgreSQL. */
  keywordIndex: KeywordIndex;
  /** How the search_vectors column holds a vector: a float32 BLOB on SQLite, `real[]` on PostgreSQL. */
  vectors: VectorCodec;
}

/**
 * The repositories, written once in dialect-neutral Kysely. An adapter passes its own Kysely
 * instance (or a transaction) and gets the same behaviour on its database.
 */
export function createRepositories(db: Kysely<Database>, capabilities: DialectCapabilities): Repositories {
  return {
    users: usersRepository(db),
    sessions: sessionsRepository(db),
    apiKeys: apiKeysRepository(db),
    memories: memoriesRepository(db),
    actionItems: actionItemsRepository(db),
    goals: goalsRepository(db),
    conversations: conversationsRepository(db),
    folders: foldersRepository(db),
    dailySummaries: dailySummariesRepository(db),
    jobs: jobsRepository(db, capabilities),
    search: searchRepository(db, capabilities.keywordIndex, capabilities.vectors),
    mcpSessions: mcpSessionsRepository(db),
    oauth: oauthRepository(db),
    userData: userDataRepository(db),
    receivers: receiversRepository(db),
  };
}
