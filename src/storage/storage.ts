import type { Session, User, UserWithPassword } from '../modules/accounts/accounts.types.ts';
import type { ActionItem, ActionItemListQuery, ActionItemPatch } from '../modules/action-items/action-items.types.ts';
import type { ApiKey, KeyFamily } from '../modules/api-keys/api-keys.types.ts';
import type { McpSession } from '../modules/mcp-keys/mcp-keys.types.ts';
import type { Goal, GoalHistoryEntry, GoalPatch } from '../modules/goals/goals.types.ts';
import type { Memory, MemoryListQuery, MemoryPatch } from '../modules/memories/memories.types.ts';
import type { Conversation, ConversationListQuery, ConversationPatch } from '../modules/conversations/conversations.types.ts';
import type { DailySummary, DailySummaryListQuery } from '../modules/daily-summaries/daily-summaries.types.ts';
import type { Folder } from '../modules/folders/folders.types.ts';
import type { Job, NewJob } from '../jobs/jobs.types.ts';
import type { Hit, KeywordQuery, PendingDocument, SearchKind, StoredVector } from '../modules/search/search.types.ts';

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
  readonly conversations: ConversationsRepository;
  readonly folders: FoldersRepository;
  readonly dailySummaries: DailySummariesRepository;
  readonly jobs: JobsRepository;
  readonly search: SearchRepository;
  readonly mcpSessions: McpSessionsRepository;
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
  listByUser(userId: string, family: KeyFamily): Promise<ApiKey[]>;
  findByHash(hashedKey: string): Promise<ApiKey | undefined>;
  findById(userId: string, id: string, family: KeyFamily): Promise<ApiKey | undefined>;
  delete(userId: string, id: string, family: KeyFamily): Promise<boolean>;
  /** Replaces the secret; the old hash stops matching in the same statement. */
  rotate(
    userId: string,
    id: string,
    family: KeyFamily,
    secret: { hashedKey: string; keyPrefix: string; rotatedAt: string },
  ): Promise<ApiKey | undefined>;
  /** Sets last_used_at unless it is already newer than `staleBefore` (one write per key per interval). */
  touch(id: string, now: string, staleBefore: string): Promise<void>;
}

export interface MemoriesRepository {
  /** Inserts, or for an existing id (same content) refreshes the record; returns what is stored. */
  upsert(memory: Memory): Promise<Memory>;
  list(userId: string, query: MemoryListQuery): Promise<Memory[]>;
  get(userId: string, id: string): Promise<Memory | undefined>;
  update(userId: string, id: string, patch: MemoryPatch): Promise<Memory | undefined>;
  delete(userId: string, id: string): Promise<boolean>;
}

export interface ActionItemsRepository {
  insert(item: ActionItem): Promise<void>;
  /** An item of the user's with exactly this description, due date and state, if there is one. */
  findIdentical(userId: string, item: Pick<ActionItem, 'description' | 'dueAt' | 'completed'>): Promise<ActionItem | undefined>;
  /** Open items created at or after `since`, newest first (what extraction deduplicates against). */
  listOpenSince(userId: string, since: string): Promise<ActionItem[]>;
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

export interface ConversationsRepository {
  insert(conversation: Conversation): Promise<void>;
  /** Inserts unless the id exists; true when this call inserted it (took the idempotency claim). */
  claim(conversation: Conversation): Promise<boolean>;
  /** Moves a `processing` claim taken before `staleBefore` to a new owner; true when it did. */
  takeOverStaleClaim(userId: string, id: string, staleBefore: string, claimedAt: string): Promise<boolean>;
  /** Deletes a `processing` placeholder, only if it is still the claim taken at `claimedAt`. */
  releaseClaim(userId: string, id: string, claimedAt: string): Promise<void>;
  /** Writes every column of an existing record (a finished claim); false if it is gone. */
  save(conversation: Conversation): Promise<boolean>;
  /** Changes only the given fields (the transcript is not rewritten); false if the record is gone. */
  update(userId: string, id: string, patch: ConversationPatch): Promise<boolean>;
  /** Files a conversation that is in no folder yet; one already filed keeps its folder. */
  assignFolder(userId: string, id: string, folderId: string, updatedAt: string): Promise<void>;
  get(userId: string, id: string, options: { withTranscript: boolean }): Promise<Conversation | undefined>;
  /** Completed, kept conversations, newest first. */
  list(userId: string, query: ConversationListQuery): Promise<Conversation[]>;
  /** Completed, kept conversations started in [from, to), oldest first, without transcripts. */
  listStartedBetween(userId: string, from: string, to: string): Promise<Conversation[]>;
  /** Words in each conversation's transcript or text. */
  wordCounts(userId: string, ids: string[]): Promise<Map<string, number>>;
  /** Completed, kept conversations per folder id. */
  countByFolder(userId: string): Promise<Map<string, number>>;
  delete(userId: string, id: string): Promise<boolean>;
}

export interface FoldersRepository {
  /** Sorted by `order`. */
  list(userId: string): Promise<Folder[]>;
  insertIfAbsent(folder: Folder): Promise<void>;
}

export interface DailySummariesRepository {
  /** One summary per user and date: a second write for the date replaces the content, keeping id and created_at. */
  upsert(summary: DailySummary): Promise<void>;
  deleteForDate(userId: string, date: string): Promise<void>;
  /** Newest date first. */
  list(userId: string, query: DailySummaryListQuery): Promise<DailySummary[]>;
  get(userId: string, id: string): Promise<DailySummary | undefined>;
}

export interface JobsRepository {
  enqueue(job: Required<Omit<NewJob, 'dedupeKey' | 'delayMs'>> & { id: string; dedupeKey: string | undefined; runAt: string; now: string }): Promise<void>;
  /** Takes the oldest due job (or one whose lease ran out) for `owner` until `leaseUntil`. */
  claim(owner: string, now: string, leaseUntil: string): Promise<Job | undefined>;
  /** Removes a finished job; false if `owner` no longer holds it (its lease was taken over). */
  complete(id: string, owner: string): Promise<boolean>;
  /** Gives a job back after a failure: queued again at `runAt`, or `failed` for good. */
  release(id: string, owner: string, outcome: { failed: boolean; runAt: string; error: string; now: string }): Promise<void>;
  list(filter?: { userId?: string; status?: Job['status'] }): Promise<Job[]>;
  /** Owners holding running jobs (to find workers that died). */
  runningOwners(): Promise<string[]>;
  /** Queues again every job `owner` holds (a worker known to be dead); returns how many. */
  releaseOwner(owner: string, now: string): Promise<number>;
}

export interface SearchRepository {
  /** The user's visible documents of `kind` matching any query word, best first (the keyword index). */
  keyword(userId: string, kind: SearchKind, query: KeywordQuery, limit: number): Promise<Hit[]>;
  /** Rebuilds the keyword index from the source tables; returns how many documents it indexed. */
  rebuildKeywordIndex(): Promise<number>;
  /** A number that changes whenever any of the user's stored embeddings change (0: none ever stored). */
  vectorGeneration(userId: string): Promise<number>;
  /** The user's stored embeddings of `kind` made by `model`. */
  vectors(userId: string, kind: SearchKind, model: string): Promise<StoredVector[]>;
  /** Memories and conversations whose embedding by `model` is missing or older than the row. */
  pendingEmbeddings(userId: string, model: string, limit: number): Promise<PendingDocument[]>;
  saveVector(
    userId: string,
    doc: { kind: SearchKind; id: string; version: string; digest: string },
    model: string,
    vector: Float32Array,
  ): Promise<void>;
  /** Records that the stored embedding still fits the row at `version` (its text did not change). */
  markCurrent(userId: string, doc: { kind: SearchKind; id: string; version: string }): Promise<void>;
  usersWithPendingEmbeddings(model: string): Promise<string[]>;
  clearVectors(): Promise<void>;
}

export interface McpSessionsRepository {
  insert(session: McpSession): Promise<void>;
  get(id: string): Promise<McpSession | undefined>;
  delete(id: string): Promise<boolean>;
  /** Forgets sessions begun before `before`; returns how many. */
  deleteOlderThan(before: string): Promise<number>;
}
