import type { Session, User, UserWithPassword } from '../modules/accounts/accounts.types.ts';
import type { ActionItem, ActionItemListQuery, ActionItemPatch } from '../modules/action-items/action-items.types.ts';
import type { ApiKey } from '../modules/api-keys/api-keys.types.ts';
import type { Goal, GoalHistoryEntry, GoalPatch } from '../modules/goals/goals.types.ts';
import type { Memory, MemoryListQuery, MemoryPatch } from '../modules/memories/memories.types.ts';

/**
 * What the services need from a database. Adapters (src/storage/sqlite, later postgres) build it;
 * services never see SQL. Every method on user data takes the owner's id first.
 */
export interface Storage {
  readonly users: UsersRepository;
  readonly sessions: SessionsRepository;
  readonly apiKeys: ApiKeysRepository;
  readonly memories: MemoriesRepository;
  readonly actionItems: ActionItemsRepository;
  readonly goals: GoalsRepository;
  /** Runs `work` against repositories bound to one transaction: all of it is written, or none. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** The migrations this open applied (empty when the schema was already current). */
  readonly appliedMigrations: readonly string[];
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type Repositories = Omit<Storage, 'transaction' | 'ping' | 'close' | 'appliedMigrations'>;

export interface UsersRepository {
  insert(user: UserWithPassword): Promise<void>;
  findByEmail(email: string): Promise<UserWithPassword | undefined>;
  findById(id: string): Promise<User | undefined>;
}

export interface SessionsRepository {
  insert(session: Session): Promise<void>;
  /** The user of an unexpired session with this token hash. */
  findUser(tokenHash: string, now: string): Promise<User | undefined>;
  delete(tokenHash: string): Promise<void>;
  deleteExpired(now: string): Promise<number>;
}

export interface ApiKeysRepository {
  insert(key: ApiKey): Promise<void>;
  listByUser(userId: string): Promise<ApiKey[]>;
  findByHash(hashedKey: string): Promise<ApiKey | undefined>;
  findById(userId: string, id: string): Promise<ApiKey | undefined>;
  delete(userId: string, id: string): Promise<boolean>;
  /** Replaces the secret; the old hash stops matching in the same statement. */
  rotate(
    userId: string,
    id: string,
    secret: { hashedKey: string; keyPrefix: string; rotatedAt: string },
  ): Promise<ApiKey | undefined>;
  /** Sets last_used_at unless it is already newer than `staleBefore` (one write per key per interval). */
  touch(id: string, now: string, staleBefore: string): Promise<void>;
}

export interface MemoriesRepository {
  /** Inserts, or for an existing id (same content) refreshes the record; returns what is stored. */
  upsert(memory: Memory): Promise<Memory>;
  list(userId: string, query: MemoryListQuery): Promise<Memory[]>;
  /** Every memory a list would show, for in-process ranking. */
  listAllVisible(userId: string): Promise<Memory[]>;
  get(userId: string, id: string): Promise<Memory | undefined>;
  update(userId: string, id: string, patch: MemoryPatch): Promise<Memory | undefined>;
  delete(userId: string, id: string): Promise<boolean>;
}

export interface ActionItemsRepository {
  insert(item: ActionItem): Promise<void>;
  list(userId: string, query: ActionItemListQuery): Promise<ActionItem[]>;
  get(userId: string, id: string): Promise<ActionItem | undefined>;
  update(userId: string, id: string, patch: ActionItemPatch): Promise<ActionItem | undefined>;
  delete(userId: string, id: string): Promise<boolean>;
}

export interface GoalsRepository {
  insert(goal: Goal): Promise<void>;
  /** Active goals (background/focused) up to `limit`, or every goal when `includeInactive`. */
  list(userId: string, query: { includeInactive: boolean; limit: number }): Promise<Goal[]>;
  get(userId: string, id: string): Promise<Goal | undefined>;
  update(userId: string, id: string, patch: GoalPatch): Promise<Goal | undefined>;
  delete(userId: string, id: string): Promise<boolean>;
  addHistory(userId: string, goalId: string, entry: GoalHistoryEntry): Promise<void>;
  history(userId: string, goalId: string, since: string): Promise<GoalHistoryEntry[]>;
}
