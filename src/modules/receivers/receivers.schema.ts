import { type Static, Type } from 'typebox';
import { DateTime, Nullable } from '../../http/schema.ts';

/**
 * What the Omi app's developer webhooks send (omi-webhooks-and-data.md §1.2, §2): only the fields
 * this server stores are described; anything else in a payload is ignored.
 */
const OptionalNullable = <T extends Parameters<typeof Nullable>[0]>(schema: T) => Type.Optional(Nullable(schema));

export const ReceiverQuery = Type.Object({ uid: Type.Optional(Type.String({ maxLength: 200 })) });
export const ReceiverParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });

const ActionItemPayload = Type.Object({
  description: Type.String({ maxLength: 2000 }),
  completed: Type.Optional(Type.Boolean()),
  due_at: OptionalNullable(DateTime()),
});

const EventPayload = Type.Object({
  title: Type.String({ maxLength: 500 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  start: DateTime(),
  duration: Type.Optional(Type.Number({ minimum: 0 })),
  created: Type.Optional(Type.Boolean()),
});

/** A transcript segment: realtime batches carry no `speaker_name`; memory_created ones do. */
export const SegmentPayload = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  text: Type.String({ maxLength: 20_000 }),
  speaker: OptionalNullable(Type.String({ maxLength: 100 })),
  speaker_id: OptionalNullable(Type.Integer({ minimum: 0 })),
  is_user: Type.Optional(Type.Boolean()),
  person_id: OptionalNullable(Type.String()),
  start: Type.Number({ minimum: 0 }),
  end: Type.Number({ minimum: 0 }),
});
export type SegmentPayload = Static<typeof SegmentPayload>;

const GeolocationPayload = Type.Object({
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
  address: OptionalNullable(Type.String()),
  google_place_id: OptionalNullable(Type.String()),
  location_type: OptionalNullable(Type.String()),
});

/** The conversation object (memory_created). */
export const ConversationPayload = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  created_at: DateTime(),
  started_at: OptionalNullable(DateTime()),
  finished_at: OptionalNullable(DateTime()),
  source: OptionalNullable(Type.String({ maxLength: 100 })),
  language: OptionalNullable(Type.String({ maxLength: 20 })),
  structured: Type.Object({
    title: Type.Optional(Type.String({ maxLength: 1000 })),
    overview: Type.Optional(Type.String({ maxLength: 20_000 })),
    emoji: Type.Optional(Type.String({ maxLength: 50 })),
    category: Type.Optional(Type.String({ maxLength: 100 })),
    action_items: Type.Optional(Type.Array(ActionItemPayload, { maxItems: 200 })),
    events: Type.Optional(Type.Array(EventPayload, { maxItems: 200 })),
  }),
  transcript_segments: Type.Optional(Type.Array(SegmentPayload, { maxItems: 5000 })),
  geolocation: OptionalNullable(GeolocationPayload),
  discarded: Type.Optional(Type.Boolean()),
  starred: Type.Optional(Type.Boolean()),
  folder_name: OptionalNullable(Type.String({ maxLength: 200 })),
});
export type ConversationPayload = Static<typeof ConversationPayload>;

/** realtime_transcript: `session_id` is the Omi user id. */
export const RealtimePayload = Type.Object({
  segments: Type.Array(Type.Intersect([SegmentPayload, Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) })]), {
    maxItems: 500,
  }),
  session_id: Type.Optional(Type.String({ maxLength: 200 })),
});
export type RealtimePayload = Static<typeof RealtimePayload>;

/** day_summary: `summary` is a Python repr; `summary_json` (newer senders) is the structured recap. */
export const DaySummaryPayload = Type.Object({
  summary: Type.String({ maxLength: 100_000 }),
  uid: Type.Optional(Type.String()),
  created_at: DateTime(),
  summary_json: OptionalNullable(
    Type.Object({
      date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
      headline: Type.Optional(Type.String()),
      overview: Type.Optional(Type.String()),
      day_emoji: Type.Optional(Type.String()),
      stats: Type.Optional(
        Type.Object({
          total_conversations: Type.Optional(Type.Integer({ minimum: 0 })),
          total_duration_minutes: Type.Optional(Type.Number({ minimum: 0 })),
          action_items_count: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
      ),
      highlights: Type.Optional(Type.Array(Type.Object({ topic: Type.Optional(Type.String()), summary: Type.Optional(Type.String()) }))),
      action_items: Type.Optional(
        Type.Array(Type.Object({ description: Type.String(), completed: Type.Optional(Type.Boolean()) })),
      ),
      knowledge_nuggets: Type.Optional(Type.Array(Type.Object({ insight: Type.String() }))),
    }),
  ),
});
export type DaySummaryPayload = Static<typeof DaySummaryPayload>;

export const ReceiverUrls = Type.Object({
  memory_created: Type.String(),
  realtime_transcript: Type.String(),
  day_summary: Type.String(),
});
