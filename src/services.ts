import type { Config } from './config/config.ts';
import { systemClock, type Clock } from './lib/time.ts';
import { AccountsService } from './modules/accounts/accounts.service.ts';
import { ActionItemsService } from './modules/action-items/action-items.service.ts';
import { ApiKeysService } from './modules/api-keys/api-keys.service.ts';
import { GoalsService } from './modules/goals/goals.service.ts';
import { MemoriesService } from './modules/memories/memories.service.ts';
import { OfflineMemoryCategorizer, type MemoryCategorizer } from './processing/memory-categorizer.ts';
import type { Storage } from './storage/storage.ts';

export interface Services {
  accounts: AccountsService;
  apiKeys: ApiKeysService;
  memories: MemoriesService;
  actionItems: ActionItemsService;
  goals: GoalsService;
}

export interface ServiceOptions {
  clock?: Clock;
  memoryCategorizer?: MemoryCategorizer;
}

/** Wires every service to one storage; the composition root and the tests both call this. */
export function createServices(config: Config, storage: Storage, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  return {
    accounts: new AccountsService(storage, clock, {
      allowSignup: config.allowSignup,
      sessionTtlSeconds: config.sessionTtlSeconds,
    }),
    apiKeys: new ApiKeysService(storage, clock),
    memories: new MemoriesService(storage, options.memoryCategorizer ?? new OfflineMemoryCategorizer(), clock),
    actionItems: new ActionItemsService(storage, clock),
    goals: new GoalsService(storage, clock),
  };
}
