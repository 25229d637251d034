import type { Session, User, UserWithPassword } from '../modules/accounts/accounts.types.ts';
import type {
  ActionItem,
  ActionItemFeedPosition,
  ActionItemListQuery,
  ActionItemPatch,
} from '../modules/action-items/action-items.types.ts';
import type { ApiKey, KeyFamily } from '../modules/api-keys/api-keys.types.ts';
import type { McpSession } from '../modules/mcp-keys/mcp-keys.types.ts';
import type { OAuthClient, OAuthCode, OAuthGrant, OAuthToken } from '../modules/mcp-oauth/mcp-oauth.types.ts';
import type { Goal, GoalHistoryEntry, GoalPatch } from '../modules/goals/goals.types.ts';
import type { Memory, MemoryListQuery, MemoryPatch } from '../modules/memories/memories.types.ts';
import type { Conversation, ConversationListQuery, ConversationPatch } from '../modules/conversations/conversations.types.ts';
import type { DailySummary, DailySummaryListQuery } from '../modules/daily-summaries/daily-summaries.types.ts';
import type { Folder } from '../modules/folders/folders.types.ts';
import type { Job, JobKindStats, NewJob, RetryOutcome } from '../jobs/jobs.types.ts';
import type { BufferedSegment, InboxEntry } from '../modules/receivers/receivers.types.ts';
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
  readonly oauth: OAuthRepository;
  /** Receivers of the Omi app's developer webhooks: URL tokens, the inbox, the live-segment buffer. */
  readonly receivers: ReceiversRepository;
  /** Whole rows of one account's data, for export and import (src/modules/data-transfer). */
  readonly userData: UserDataRepository;
  /** Runs `work` against repositories bound to one transaction: all of it is written, or none. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** The migrations this open applied (empty when the schema was already current). */
  readonly appliedMigrations: readonly string[];
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** The connection pool's state (PostgreSQL); absent where there is no pool (SQLite: one connection). */
  poolStats?(): PoolStats;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections open. */
  total: number;
  /** Connections open and idle. */
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

export type Repositories = Omit<Storage, 'transaction' | 'ping' | 'close' | 'appliedMigrations' | 'poolStats'>;

export interface UsersRepository {
  insert(user: UserWithPassword): Promise<void>;
  findByEmail(email: string): Promise<UserWithPassword | undefined>;
  findById(id: string): Promise<User | undefined>;
  /** Changes the name and/or the password hash of an account; false when there is none. */
  update(id: string, changes: { name?: string; passwordHash?: string }): Promise<boolean>;
  /** Every account, oldest first (the operator's view; never reached from HTTP). */
  list(): Promise<User[]>;
  /** Deletes the account; its data goes with it (foreign keys cascade). False if there was none. */
  delete(id: string): Promise<boolean>;
}

export interface SessionsRepository {
  insert(session: Session): Promise<void>;
  /** The user of an unexpired session with this token hash. */
  findUser(tokenHash: string, now: string): Promise<User | undefined>;
  delete(tokenHash: string): Promise<void>;
  /** Ends every session of a user except the one with `keepTokenHash`; returns how many. */
  deleteOthers(userId: string, keepTokenHash: string): Promise<number>;
  deleteExpired(now: string): Promise<number>;
  /** Ends every session of the user (after a password change); returns how many. */
  deleteForUser(userId: string): Promise<number>;
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
  /**
   * The incremental feed: items updated at or after `since`, in `(updated_at, id)` order, starting
   * after `after` when given.
   */
  listUpdatedSince(
    userId: string,
    query: { since: string; after?: ActionItemFeedPosition | undefined; limit: number },
  ): Promise<ActionItem[]>;
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

/** The tables an account export holds whole (goal history travels with its goal). */
export type UserDataTable = 'folders' | 'conversations' | 'memories' | 'action_items' | 'goals' | 'daily_summaries';

/** One stored row without its owner column, values as the database holds them. */
export type UserDataRow = Record<string, unknown>;

export interface GoalHistoryRow {
  value: number;
  recorded_at: string;
}

export interface UserDataRepository {
  /** Up to `limit` of the owner's rows of `table`, in id order, after the id `after`. */
  page(userId: string, table: UserDataTable, after: string | undefined, limit: number): Promise<UserDataRow[]>;
  /** The progress history of these goals of the owner, oldest first per goal. */
  goalHistory(userId: string, goalIds: string[]): Promise<(GoalHistoryRow & { goal_id: string })[]>;
  /** Which of these ids already belong to another account (tables whose ids are global). */
  foreignIds(userId: string, table: UserDataTable, ids: string[]): Promise<Set<string>>;
  /** Inserts the rows for the owner, or updates the owner's rows with the same ids. */
  upsert(userId: string, table: UserDataTable, rows: UserDataRow[]): Promise<void>;
  /** Makes the goal's history exactly `entries` (left untouched when it already is). */
  replaceGoalHistory(userId: string, goalId: string, entries: GoalHistoryRow[]): Promise<void>;
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
  /** Per kind: queued, running and failed counts and the oldest due `run_at` (one grouped query). */
  stats(now: string): Promise<JobKindStats[]>;
  /** Queues a failed job again with fresh attempts, due at `now`. */
  retry(id: string, now: string): Promise<RetryOutcome>;
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

/**
 * MCP OAuth: clients, grants, codes and tokens. Codes and tokens are looked up by the SHA-256 of
 * their value (the value itself is never stored); grants are read and revoked by their owner.
 */
export interface OAuthRepository {
  insertClient(client: OAuthClient): Promise<void>;
  findClient(id: string): Promise<OAuthClient | undefined>;
  findGrant(userId: string, clientId: string, resource: string): Promise<OAuthGrant | undefined>;
  /** Inserts the grant, or replaces scopes, status and timestamps of the one with its id. */
  saveGrant(grant: OAuthGrant): Promise<void>;
  /** The owner's active grants, newest first. */
  listGrants(userId: string): Promise<OAuthGrant[]>;
  getGrant(userId: string, id: string): Promise<OAuthGrant | undefined>;
  /** Marks the owner's active grant revoked and revokes its tokens and unexchanged codes; false when there is none. */
  revokeGrant(userId: string, id: string, now: string): Promise<boolean>;
  /** Sets last_used_at unless it is already newer than `staleBefore`. */
  touchGrant(id: string, now: string, staleBefore: string): Promise<void>;
  insertCode(code: OAuthCode): Promise<void>;
  findCode(codeHash: string): Promise<OAuthCode | undefined>;
  /** Marks an unused code used; false when it was used already (a replay or a race lost). */
  useCode(codeHash: string, now: string): Promise<boolean>;
  insertToken(token: OAuthToken): Promise<void>;
  findToken(tokenHash: string): Promise<OAuthToken | undefined>;
  /** Marks an unused refresh token used and replaced; false when it was used already. */
  useRefreshToken(tokenHash: string, now: string, replacedBy: string): Promise<boolean>;
  /** Revokes every token of a family; returns how many were still live. */
  revokeFamily(familyId: string, now: string): Promise<number>;
  /** Records a refresh-token replay on the token. */
  markReplay(tokenHash: string, now: string): Promise<void>;
  /** Forgets codes and tokens that expired before `before`; returns how many. */
  deleteExpired(before: string): Promise<number>;
}

export interface McpSessionsRepository {
  insert(session: McpSession): Promise<void>;
  get(id: string): Promise<McpSession | undefined>;
  delete(id: string): Promise<boolean>;
  /** Forgets sessions begun before `before`; returns how many. */
  deleteOlderThan(before: string): Promise<number>;
}

export interface ReceiversRepository {
  /** The user's receiver URL token, if one was issued. */
  token(userId: string): Promise<string | undefined>;
  insertTokenIfAbsent(userId: string, token: string, now: string): Promise<void>;
  /** Replaces the user's token: the old one stops matching in the same statement. */
  replaceToken(userId: string, token: string, now: string): Promise<void>;
  /** The owner of a receiver token. */
  userForToken(token: string): Promise<string | undefined>;
  addToInbox(entry: InboxEntry): Promise<void>;
  inboxEntry(userId: string, id: string): Promise<InboxEntry | undefined>;
  removeFromInbox(userId: string, id: string): Promise<void>;
  /** Entries of the user still waiting to be processed. */
  inboxSize(userId: string): Promise<number>;
  /** Adds live segments to the user's buffer; a segment id already buffered is ignored. */
  bufferSegments(userId: string, segments: BufferedSegment[]): Promise<void>;
  /** The user's buffered segments in arrival order. */
  bufferedSegments(userId: string): Promise<BufferedSegment[]>;
  removeSegments(userId: string, segmentIds: string[]): Promise<void>;
  /** Drops the user's segments received at or before `at`. */
  removeSegmentsReceivedBy(userId: string, at: string): Promise<void>;
}
