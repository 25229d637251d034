import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Repositories } from '../storage.ts';
import { actionItemsRepository } from './action-items.repo.ts';
import { apiKeysRepository } from './api-keys.repo.ts';
import { goalsRepository } from './goals.repo.ts';
import { memoriesRepository } from './memories.repo.ts';
import { sessionsRepository, usersRepository } from './accounts.repo.ts';

/**
 * The repositories, written once in dialect-neutral Kysely. An adapter passes its own Kysely
 * instance (or a transaction) and gets the same behaviour on its database.
 */
export function createRepositories(db: Kysely<Database>): Repositories {
  return {
    users: usersRepository(db),
    sessions: sessionsRepository(db),
    apiKeys: apiKeysRepository(db),
    memories: memoriesRepository(db),
    actionItems: actionItemsRepository(db),
    goals: goalsRepository(db),
  };
}
