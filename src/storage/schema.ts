import type { Generated } from 'kysely';

/**
 * The tables, as Kysely sees them. Timestamps are UTC ISO 8601 strings (`toISOString()`), which
 * sort correctly as text; booleans are 0/1 integers; lists are JSON text. Every table that holds
 * user data carries `user_id`, and every query on it filters by that column.
 */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  memories: MemoriesTable;
  action_items: ActionItemsTable;
  goals: GoalsTable;
  goal_history: GoalHistoryTable;
  conversations: ConversationsTable;
  folders: FoldersTable;
  daily_summaries: DailySummariesTable;
  jobs: JobsTable;
  search_vectors: SearchVectorsTable;
  search_vector_generations: SearchVectorGenerationsTable;
  memory_list_generations: MemoryListGenerationsTable;
  mcp_sessions: McpSessionsTable;
  oauth_clients: OAuthClientsTable;
  oauth_grants: OAuthGrantsTable;
  oauth_codes: OAuthCodesTable;
  oauth_tokens: OAuthTokensTable;
  receiver_tokens: ReceiverTokensTable;
  receiver_inbox: ReceiverInboxTable;
  receiver_segments: ReceiverSegmentsTable;
}

export interface UsersTable {
  id: string;
  /** Lower-cased: emails are unique case-insensitively. */
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
}

export interface ApiKeysTable {
  /** 'developer' or 'mcp'. */
  family: Generated<string>;
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 (hex) of the secret after the `omi_dev_` prefix. */
  hashed_key: string;
  key_prefix: string;
  /** JSON array, or null for "the read-only default". */
  scopes: string | null;
  created_at: string;
  last_used_at: string | null;
  rotated_at: string | null;
}

export interface MemoriesTable {
  user_id: string;
  id: string;
  content: string;
  category: string;
  visibility: string;
  tags: string;
  created_at: string;
  updated_at: string;
  manually_added: number;
  reviewed: number;
  user_review: number | null;
  edited: number;
  scoring: string;
  conversation_id: string | null;
  invalid_at: string | null;
}

export interface ActionItemsTable {
  id: string;
  user_id: string;
  description: string;
  completed: number;
  created_at: string;
  updated_at: string;
  due_at: string | null;
  completed_at: string | null;
  conversation_id: string | null;
}

export interface GoalsTable {
  id: string;
  user_id: string;
  title: string;
  desired_outcome: string;
  why_it_matters: string | null;
  success_criteria: string;
  horizon_at: string | null;
  status: string;
  focus_rank: number | null;
  source: string;
  /** The metric, flattened; `metric_type` null means a qualitative goal. */
  metric_type: string | null;
  metric_current: number | null;
  metric_target: number | null;
  metric_min: number | null;
  metric_max: number | null;
  metric_unit: string | null;
  created_at: string;
  updated_at: string;
}

export interface GoalHistoryTable {
  id: Generated<number>;
  goal_id: string;
  user_id: string;
  value: number;
  recorded_at: string;
}

export interface ConversationsTable {
  user_id: string;
  id: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  source: string;
  language: string | null;
  /** ConversationStatus; `processing` while a create holds the idempotency claim. */
  status: string;
  discarded: number;
  starred: number;
  folder_id: string | null;
  title: string;
  overview: string;
  emoji: string;
  category: string;
  /** JSON arrays of the structured summary's action items and events. */
  action_items: string;
  events: string;
  /** JSON array of stored transcript segments (from-segments conversations). */
  transcript_segments: string;
  /** The submitted text of a text-created conversation. */
  text: string | null;
  text_source: string | null;
  text_source_spec: string | null;
  /** JSON object, or null. */
  geolocation: string | null;
  client_session_id: string | null;
  client_device_id: string | null;
  client_platform: string | null;
  /** When the idempotency claim was taken (a `processing` row older than 15 minutes is stale). */
  claimed_at: string | null;
}

export interface FoldersTable {
  user_id: string;
  id: string;
  name: string;
  description: string | null;
  color: string;
  icon: string;
  /** The folder's place in the list (`order` on the wire; a reserved word in SQL). */
  position: number;
  is_default: number;
  is_system: number;
  /** `work` | `personal` | `social` for system folders. */
  category_mapping: string | null;
  created_at: string;
  updated_at: string;
}

export interface DailySummariesTable {
  user_id: string;
  id: string;
  /** YYYY-MM-DD (UTC). */
  date: string;
  day_emoji: string;
  headline: string;
  overview: string;
  /** JSON: stats object, highlights, action items, knowledge nuggets. */
  stats: string;
  highlights: string;
  action_items: string;
  knowledge_nuggets: string;
  created_at: string;
  updated_at: string;
}

export interface JobsTable {
  id: string;
  user_id: string;
  kind: string;
  /** JSON object. */
  payload: string;
  /** `queued` → `running` → deleted on success; `failed` once attempts run out. */
  status: string;
  /** At most one queued job per key: enqueueing again while one waits adds nothing. */
  dedupe_key: string | null;
  attempts: number;
  max_attempts: number;
  run_at: string;
  /** Who holds the job and until when; an expired lease lets any worker take it over. */
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * One embedding per searchable document. The keyword index (`search_documents`, FTS5 or
 * tsvector) is maintained by triggers and read only through raw SQL, so it has no type here.
 */
export interface SearchVectorsTable {
  user_id: string;
  kind: string;
  ref_id: string;
  model: string;
  /** The source row's `updated_at` when it was embedded; a newer row is embedded again. */
  version: string;
  /** Digest of the embedded text: a row touched without a text change keeps its vector. */
  digest: string;
  dims: number;
  vector: StoredVectorValue;
}

/** A BLOB of little-endian float32 (SQLite) or a `real[]` (PostgreSQL). */
export type StoredVectorValue = Uint8Array | number[];

/** A counter per user, bumped in the same transaction as any change to the user's vectors. */
export interface SearchVectorGenerationsTable {
  user_id: string;
  generation: number;
}

/**
 * A counter per user, bumped by triggers on `memories` whenever the user's memories list can
 * change (a row in or out, or a change to its place in the order); no row means 0. Derived data:
 * `migrate-data` does not copy it, the target's triggers count as rows arrive.
 */
export interface MemoryListGenerationsTable {
  user_id: string;
  generation: number;
}

/** Sessions of the MCP endpoint, here so that every instance knows them. */
export interface McpSessionsTable {
  id: string;
  user_id: string;
  created_at: string;
}

/** Dynamically registered MCP OAuth clients (the built-in ones live in code). */
export interface OAuthClientsTable {
  id: string;
  name: string;
  /** JSON array of exact redirect URIs. */
  redirect_uris: string;
  /** 'none' (public) or 'client_secret_post' (confidential). */
  token_endpoint_auth_method: string;
  /** SHA-256 (hex) of the client secret; null for public clients. */
  secret_hash: string | null;
  created_at: string;
}

/** What a user allowed a client on one resource: one row per (user, client, resource). */
export interface OAuthGrantsTable {
  id: string;
  user_id: string;
  client_id: string;
  resource: string;
  /** JSON array of scopes (merged across consents). */
  scopes: string;
  /** 'active' or 'revoked'. */
  status: string;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface OAuthCodesTable {
  /** SHA-256 (hex) of the code. */
  code_hash: string;
  grant_id: string;
  user_id: string;
  client_id: string;
  redirect_uri: string;
  resource: string;
  scopes: string;
  code_challenge: string;
  /** The token family the code's exchange starts (revoked when the code is replayed). */
  family_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface OAuthTokensTable {
  /** SHA-256 (hex) of the token. */
  token_hash: string;
  id: string;
  /** 'access' or 'refresh'. */
  kind: string;
  grant_id: string;
  user_id: string;
  client_id: string;
  resource: string;
  scopes: string;
  family_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  used_at: string | null;
  replaced_by: string | null;
  replay_detected_at: string | null;
}

/** The secret path token of a user's webhook receiver URLs (one per user; rotating replaces it). */
export interface ReceiverTokensTable {
  user_id: string;
  token: string;
  created_at: string;
}

/** A received webhook payload, stored before the 2xx and removed once processed. */
export interface ReceiverInboxTable {
  id: string;
  user_id: string;
  /** memory_created | day_summary */
  kind: string;
  /** The `?uid=` the sender gave (recorded, never trusted). */
  omi_uid: string | null;
  /** The JSON body as received. */
  payload: string;
  received_at: string;
}

/** A live transcript segment waiting in its user's buffer. */
export interface ReceiverSegmentsTable {
  user_id: string;
  segment_id: string;
  /** When this server received it: the wall clock the silence gap is measured by. */
  received_at: string;
  /** Its position within its delivery. */
  seq: number;
  /** The segment as JSON. */
  segment: string;
}
