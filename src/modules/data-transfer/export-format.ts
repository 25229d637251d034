import type { UserDataRow, UserDataTable } from '../../storage/storage.ts';

/**
 * The export document's format: `{"format": "omi-dev-api.export", "version": 1, ...}`. Each record
 * is a stored row without its owner: every column, under its column name, with JSON columns as
 * JSON values and 0/1 flags as booleans, so an import writes back exactly what was read.
 */
export const EXPORT_FORMAT = 'omi-dev-api.export';
export const EXPORT_VERSION = 1;

type ColumnType = 'string' | 'number' | 'boolean' | 'json';

interface ColumnSpec {
  type: ColumnType;
  nullable?: boolean;
}

type TableSpec = Record<string, ColumnSpec>;

const str: ColumnSpec = { type: 'string' };
const strN: ColumnSpec = { type: 'string', nullable: true };
const num: ColumnSpec = { type: 'number' };
const numN: ColumnSpec = { type: 'number', nullable: true };
const bool: ColumnSpec = { type: 'boolean' };
const boolN: ColumnSpec = { type: 'boolean', nullable: true };
const json: ColumnSpec = { type: 'json' };
const jsonN: ColumnSpec = { type: 'json', nullable: true };

/** Every column of every exported table (user_id aside), in the order records are written. */
export const TABLE_SPECS: Record<UserDataTable, TableSpec> = {
  folders: {
    id: str, name: str, description: strN, color: str, icon: str, position: num, is_default: bool,
    is_system: bool, category_mapping: strN, created_at: str, updated_at: str,
  },
  conversations: {
    id: str, created_at: str, updated_at: str, started_at: strN, finished_at: strN, source: str, language: strN,
    status: str, discarded: bool, starred: bool, folder_id: strN, title: str, overview: str, emoji: str,
    category: str, action_items: json, events: json, transcript_segments: json, text: strN, text_source: strN,
    text_source_spec: strN, geolocation: jsonN, client_session_id: strN, client_device_id: strN,
    client_platform: strN, claimed_at: strN,
  },
  memories: {
    id: str, content: str, category: str, visibility: str, tags: json, created_at: str, updated_at: str,
    manually_added: bool, reviewed: bool, user_review: boolN, edited: bool, scoring: str, conversation_id: strN,
    invalid_at: strN,
  },
  action_items: {
    id: str, description: str, completed: bool, created_at: str, updated_at: str, due_at: strN, completed_at: strN,
    conversation_id: strN,
  },
  goals: {
    id: str, title: str, desired_outcome: str, why_it_matters: strN, success_criteria: str, horizon_at: strN,
    status: str, focus_rank: numN, source: str, metric_type: strN, metric_current: numN, metric_target: numN,
    metric_min: numN, metric_max: numN, metric_unit: strN, created_at: str, updated_at: str,
  },
  daily_summaries: {
    id: str, date: str, day_emoji: str, headline: str, overview: str, stats: json, highlights: json,
    action_items: json, knowledge_nuggets: json, created_at: str, updated_at: str,
  },
};

/** The document's sections, in the order they are written (folders before what links to them). */
export const SECTIONS: readonly UserDataTable[] = ['folders', 'conversations', 'memories', 'action_items', 'goals', 'daily_summaries'];

/** A stored row → its record in the document. */
export function encodeRow(table: UserDataTable, row: UserDataRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(TABLE_SPECS[table])) {
    const value = row[name];
    if (value === null || value === undefined) out[name] = null;
    else if (spec.type === 'json') out[name] = JSON.parse(String(value));
    else if (spec.type === 'boolean') out[name] = Number(value) !== 0;
    else if (spec.type === 'number') out[name] = Number(value);
    else out[name] = String(value);
  }
  return out;
}

/** A record of the document → the row to store; the record was validated first. */
export function decodeRecord(table: UserDataTable, record: Record<string, unknown>): UserDataRow {
  const row: UserDataRow = {};
  for (const [name, spec] of Object.entries(TABLE_SPECS[table])) {
    const value = record[name];
    if (value === null) row[name] = null;
    else if (spec.type === 'json') row[name] = JSON.stringify(value);
    else if (spec.type === 'boolean') row[name] = value ? 1 : 0;
    else row[name] = value;
  }
  return row;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** What is wrong with a record, or undefined when nothing is. */
export function recordProblem(table: UserDataTable, record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'is not an object';
  const fields = record as Record<string, unknown>;
  for (const [name, spec] of Object.entries(TABLE_SPECS[table])) {
    if (!(name in fields)) return `lacks "${name}"`;
    const value = fields[name];
    if (value === null) {
      if (!spec.nullable) return `has null "${name}"`;
      continue;
    }
    const ok =
      spec.type === 'json' ? value !== undefined
      : spec.type === 'number' ? typeof value === 'number' && Number.isFinite(value)
      : typeof value === spec.type;
    if (!ok) return `has "${name}" that is not a ${spec.type}`;
    if (typeof value === 'string' && value.includes('\u0000')) return `has a NUL character in "${name}"`;
    if (name.endsWith('_at') && typeof value === 'string' && !TIMESTAMP.test(value)) {
      return `has "${name}" that is not an ISO 8601 UTC timestamp`;
    }
  }
  if (typeof fields.id !== 'string' || fields.id.length === 0 || fields.id.length > 200) return 'has an invalid "id"';
  if (table === 'daily_summaries' && !/^\d{4}-\d{2}-\d{2}$/.test(String(fields.date))) return 'has a "date" that is not YYYY-MM-DD';
  return undefined;
}
