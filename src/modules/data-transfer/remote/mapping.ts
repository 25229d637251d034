import type { ImportRecord } from '../import.ts';

/**
 * The Developer API's wire objects → the export format's records (export-format.ts), which the
 * writer validates before anything is stored. What the API does not expose gets a default:
 * listed in README ("Import from api.omi.me").
 */
type Wire = Record<string, unknown>;

const obj = (value: unknown): Wire => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Wire) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** The API's timestamps (`…Z`, or Python's `…+00:00`, or another offset) → `…Z`; anything else is kept (and refused by validation). */
export function utc(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value.endsWith('Z')) return value;
  if (value.endsWith('+00:00')) return `${value.slice(0, -6)}Z`;
  const ms = Date.parse(value);
  return /[+-]\d{2}:\d{2}$/.test(value) && Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}

const utcOrNull = (value: unknown) => (value === undefined || value === null ? null : utc(value));

export function folderRecord(w: Wire): ImportRecord {
  return {
    id: w.id, name: w.name, description: orNull(w.description), color: w.color, icon: w.icon, position: w.order,
    is_default: w.is_default, is_system: w.is_system, category_mapping: null,
    created_at: utc(w.created_at), updated_at: utc(w.updated_at),
  };
}

const speakerLabel = (id: unknown) => `SPEAKER_${String(id).padStart(2, '0')}`;

function segment(value: unknown): Wire {
  const s = obj(value);
  return {
    id: s.id, text: s.text, speaker: speakerLabel(s.speaker_id), speakerId: s.speaker_id,
    // The wire names other speakers "Speaker N"; the user's own lines carry the user's name.
    isUser: s.speaker_name !== `Speaker ${String(s.speaker_id)}`, personId: null, start: s.start, end: s.end,
  };
}

function conversationActionItem(value: unknown): Wire {
  const a = obj(value);
  return {
    description: a.description, completed: a.completed, createdAt: utcOrNull(a.created_at), updatedAt: utcOrNull(a.updated_at),
    dueAt: utcOrNull(a.due_at), completedAt: utcOrNull(a.completed_at), conversationId: orNull(a.conversation_id),
  };
}

function geolocation(value: unknown): Wire | null {
  if (value === null || value === undefined) return null;
  const g = obj(value);
  return {
    latitude: g.latitude, longitude: g.longitude, address: orNull(g.address),
    googlePlaceId: orNull(g.google_place_id), locationType: orNull(g.location_type),
  };
}

export function conversationRecord(w: Wire): ImportRecord {
  const s = obj(w.structured);
  return {
    id: w.id, created_at: utc(w.created_at), updated_at: utc(w.created_at),
    started_at: utcOrNull(w.started_at), finished_at: utcOrNull(w.finished_at),
    source: w.source, language: orNull(w.language), status: 'completed', discarded: false, starred: false,
    folder_id: orNull(w.folder_id), title: s.title, overview: s.overview, emoji: s.emoji, category: s.category,
    action_items: list(s.action_items).map(conversationActionItem),
    events: list(s.events).map((e) => ({ ...obj(e) })),
    transcript_segments: list(w.transcript_segments).map(segment),
    text: null, text_source: null, text_source_spec: null, geolocation: geolocation(w.geolocation),
    client_session_id: null, client_device_id: null, client_platform: null, claimed_at: null,
  };
}

export function memoryRecord(w: Wire): ImportRecord {
  return {
    id: w.id, content: w.content, category: w.category, visibility: w.visibility, tags: w.tags ?? [],
    created_at: utc(w.created_at), updated_at: utc(w.updated_at), manually_added: w.manually_added,
    reviewed: w.reviewed, user_review: orNull(w.user_review), edited: w.edited, scoring: w.scoring,
    conversation_id: null, invalid_at: null,
  };
}

export function actionItemRecord(w: Wire): ImportRecord {
  return {
    id: w.id, description: w.description, completed: w.completed, created_at: utc(w.created_at), updated_at: utc(w.updated_at),
    due_at: utcOrNull(w.due_at), completed_at: utcOrNull(w.completed_at), conversation_id: orNull(w.conversation_id),
  };
}

/** A goal and its progress history (the history route's points: `{value, recorded_at}`). */
export function goalRecord(w: Wire, history: unknown[]): ImportRecord {
  const m = w.metric === null || w.metric === undefined ? null : obj(w.metric);
  return {
    id: w.id, title: w.title, desired_outcome: w.desired_outcome, why_it_matters: orNull(w.why_it_matters),
    // Stored as the JSON text of the list (export-format.ts: a string column).
    success_criteria: Array.isArray(w.success_criteria) ? JSON.stringify(w.success_criteria) : w.success_criteria, horizon_at: utcOrNull(w.horizon_at), status: w.status,
    focus_rank: orNull(w.focus_rank), source: w.source,
    metric_type: m ? m.type : null, metric_current: m ? m.current : null, metric_target: m ? m.target : null,
    metric_min: m ? orNull(m.min) : null, metric_max: m ? orNull(m.max) : null, metric_unit: m ? orNull(m.unit) : null,
    created_at: utc(w.created_at), updated_at: utc(w.updated_at),
    history: history.map((h) => ({ value: obj(h).value, recorded_at: utc(obj(h).recorded_at) })),
  };
}

export function dailySummaryRecord(w: Wire): ImportRecord {
  return {
    id: w.id, date: w.date, day_emoji: w.day_emoji, headline: w.headline, overview: w.overview, stats: w.stats ?? {},
    highlights: w.highlights ?? [], action_items: w.action_items ?? [], knowledge_nuggets: w.knowledge_nuggets ?? [],
    created_at: utc(w.created_at), updated_at: utc(w.updated_at),
  };
}
