import { derivedId } from '../../lib/ids.ts';
import { parseDateTime, toStoredDateTime } from '../../lib/time.ts';
import { unprocessable } from '../../lib/errors.ts';
import { isConversationCategory } from '../conversations/categories.ts';
import { speakerIdFrom } from '../conversations/conversations.service.ts';
import type { Conversation, TranscriptSegment } from '../conversations/conversations.types.ts';
import type { DailySummary } from '../daily-summaries/daily-summaries.types.ts';
import type { ConversationPayload, DaySummaryPayload, SegmentPayload } from './receivers.schema.ts';
import type { LiveSegment } from './receivers.types.ts';

const stored = (value: string | null | undefined, field: string): string | null =>
  value == null ? null : toStoredDateTime(value, field);

/** `ConversationSource.omi` (the app's test trigger) → `omi`. */
const sourceOf = (source: string | null | undefined): string => (source ?? 'omi').replace(/^ConversationSource\./, '') || 'omi';

export function segmentFrom(segment: SegmentPayload, id: string): LiveSegment {
  const speaker = segment.speaker ?? `SPEAKER_${String(segment.speaker_id ?? 0).padStart(2, '0')}`;
  return {
    id,
    text: segment.text,
    speaker,
    speakerId: segment.speaker_id ?? speakerIdFrom(speaker),
    isUser: segment.is_user ?? false,
    personId: segment.person_id ?? null,
    start: segment.start,
    end: segment.end,
  };
}

/**
 * The delivered conversation as this server stores it: its own id, times, structured summary,
 * action items, events, transcript and place, completed as sent (the sender already processed it).
 * Throws 422 naming the field when a date cannot be stored.
 */
export function conversationFromPayload(userId: string, payload: ConversationPayload, folderId: string | null): Conversation {
  const createdAt = toStoredDateTime(payload.created_at, 'created_at');
  const startedAt = stored(payload.started_at, 'started_at');
  const finishedAt = stored(payload.finished_at, 'finished_at');
  if (startedAt && finishedAt && finishedAt < startedAt) throw unprocessable('finished_at must be after started_at');
  const s = payload.structured;
  const segments = (payload.transcript_segments ?? []).map(
    (segment, i): TranscriptSegment => segmentFrom(segment, segment.id ?? derivedId('receiver-segment', payload.id, String(i))),
  );
  const geo = payload.geolocation;
  return {
    id: payload.id,
    userId,
    createdAt,
    updatedAt: createdAt,
    startedAt,
    finishedAt,
    source: sourceOf(payload.source),
    language: payload.language ?? null,
    status: 'completed',
    discarded: payload.discarded ?? false,
    starred: payload.starred ?? false,
    folderId,
    title: s.title ?? '',
    overview: s.overview ?? '',
    emoji: s.emoji || '🧠',
    category: s.category && isConversationCategory(s.category) ? s.category : 'other',
    actionItems: (s.action_items ?? []).map((item, i) => ({
      description: item.description,
      completed: item.completed ?? false,
      createdAt,
      updatedAt: createdAt,
      dueAt: stored(item.due_at, `structured.action_items[${i}].due_at`),
      completedAt: null,
      conversationId: payload.id,
    })),
    events: (s.events ?? []).map((event, i) => ({
      title: event.title,
      description: event.description ?? '',
      start: toStoredDateTime(event.start, `structured.events[${i}].start`),
      duration: event.duration ?? 0,
      created: event.created ?? false,
    })),
    segments,
    text: null,
    textSource: null,
    textSourceSpec: null,
    geolocation: geo
      ? {
          latitude: geo.latitude,
          longitude: geo.longitude,
          address: geo.address ?? null,
          googlePlaceId: geo.google_place_id ?? null,
          locationType: geo.location_type ?? null,
        }
      : null,
    clientSessionId: null,
    clientDeviceId: null,
    clientPlatform: null,
    claimedAt: null,
  };
}

/** The recap as this server's daily summary of its date (`summary_json` preferred, else the plain text). */
export function daySummaryFromPayload(userId: string, payload: DaySummaryPayload, now: string): DailySummary {
  const createdAt = toStoredDateTime(payload.created_at, 'created_at');
  const json = payload.summary_json ?? undefined;
  const date = json?.date ?? createdAt.slice(0, 10);
  if (parseDateTime(date) === undefined) throw unprocessable('summary_json.date is not a valid date');
  const overview = json?.overview ?? payload.summary;
  if ((json?.headline ?? '').trim() === '' && overview.trim() === '') throw unprocessable('summary cannot be empty');
  const actionItems = (json?.action_items ?? []).map((a) => ({ description: a.description, completed: a.completed ?? false }));
  return {
    id: derivedId('daily-summary', userId, date),
    userId,
    date,
    dayEmoji: json?.day_emoji || '📅',
    headline: json?.headline ?? '',
    overview,
    stats: {
      total_conversations: json?.stats?.total_conversations ?? 0,
      action_items_count: json?.stats?.action_items_count ?? actionItems.length,
      words_spoken: 0,
      total_duration_minutes: Math.round(json?.stats?.total_duration_minutes ?? 0),
      categories: {},
    },
    highlights: (json?.highlights ?? [])
      .map((h) => [h.topic, h.summary].filter((part) => part && part.trim() !== '').join(': '))
      .filter((h) => h !== ''),
    actionItems,
    knowledgeNuggets: (json?.knowledge_nuggets ?? []).map((k) => k.insight),
    createdAt: now,
    updatedAt: now,
  };
}
