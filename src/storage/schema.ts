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
