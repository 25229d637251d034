import { SearchParam } from '../search/search.schema.ts';
import { Type, type Static } from 'typebox';
import { component, DateTime, Nullable, StringEnum } from '../../http/schema.ts';
import { CONVERSATION_CATEGORIES, CONVERSATION_SOURCES, TEXT_SOURCES } from './categories.ts';

/** Wire schemas for conversations, named and shaped as in the published OpenAPI document. */
export const CategoryEnum = component('CategoryEnum', StringEnum(CONVERSATION_CATEGORIES));
export const ConversationSourceSchema = component('ConversationSource', StringEnum(CONVERSATION_SOURCES));
export const TextSourceSchema = component('ExternalIntegrationConversationSource', StringEnum(TEXT_SOURCES));

export const DeveloperTranscriptSegment = component(
  'DeveloperTranscriptSegment',
  Type.Object({
    id: Nullable(Type.String(), { title: 'Id' }),
    text: Type.String({ title: 'Text' }),
    speaker_id: Nullable(Type.Integer(), { title: 'Speaker Id' }),
    speaker_name: Nullable(Type.String(), { title: 'Speaker Name' }),
    start: Type.Number({ title: 'Start' }),
    end: Type.Number({ title: 'End' }),
  }),
);

export const DeveloperConversationActionItem = component(
  'DeveloperConversationActionItem',
  Type.Object({
    description: Type.String({ title: 'Description' }),
    completed: Type.Boolean({ title: 'Completed', default: false }),
    created_at: Nullable(DateTime(), { title: 'Created At' }),
    updated_at: Nullable(DateTime(), { title: 'Updated At' }),
    due_at: Nullable(DateTime(), { title: 'Due At' }),
    completed_at: Nullable(DateTime(), { title: 'Completed At' }),
    conversation_id: Nullable(Type.String(), { title: 'Conversation Id' }),
  }),
);

export const DeveloperConversationEvent = component(
  'DeveloperConversationEvent',
  Type.Object({
    title: Type.String({ title: 'Title' }),
    description: Type.String({ title: 'Description', default: '' }),
    start: DateTime({ title: 'Start' }),
    duration: Type.Integer({ title: 'Duration', default: 30 }),
    created: Type.Boolean({ title: 'Created', default: false }),
  }),
);

export const DeveloperConversationStructured = component(
  'DeveloperConversationStructured',
  Type.Object({
    title: Type.String({ title: 'Title' }),
    overview: Type.String({ title: 'Overview' }),
    emoji: Type.String({ title: 'Emoji', default: '🧠' }),
    category: CategoryEnum,
    action_items: Type.Array(DeveloperConversationActionItem, { title: 'Action Items', default: [] }),
    events: Type.Array(DeveloperConversationEvent, { title: 'Events', default: [] }),
  }),
);

export const GeolocationSchema = component(
  'Geolocation',
  Type.Object({
    latitude: Type.Number({ minimum: -90, maximum: 90, title: 'Latitude' }),
    longitude: Type.Number({ minimum: -180, maximum: 180, title: 'Longitude' }),
    address: Type.Optional(Nullable(Type.String(), { title: 'Address' })),
    google_place_id: Type.Optional(Nullable(Type.String(), { title: 'Google Place Id' })),
    location_type: Type.Optional(Nullable(Type.String(), { title: 'Location Type' })),
  }),
);

export const GeolocationInput = component(
  'GeolocationInput',
  Type.Object(
    {
      latitude: Type.Number({ title: 'Latitude' }),
      longitude: Type.Number({ title: 'Longitude' }),
      address: Type.Optional(Nullable(Type.String(), { title: 'Address' })),
      google_place_id: Type.Optional(Nullable(Type.String(), { title: 'Google Place Id' })),
      location_type: Type.Optional(Nullable(Type.String(), { title: 'Location Type' })),
    },
    {
      description:
        'Coordinates where the conversation happened. Latitude must be within -90..90 and longitude within ' +
        '-180..180 (checked before anything is stored; out of range is a 422).',
    },
  ),
);
export type GeolocationInput = Static<typeof GeolocationInput>;

export const DeveloperConversation = component(
  'DeveloperConversation',
  Type.Object({
    id: Type.String({ title: 'Id' }),
    created_at: DateTime({ title: 'Created At' }),
    started_at: Nullable(DateTime(), { title: 'Started At' }),
    finished_at: Nullable(DateTime(), { title: 'Finished At' }),
    structured: DeveloperConversationStructured,
    language: Nullable(Type.String(), { title: 'Language' }),
    source: Nullable(Type.String(), { title: 'Source' }),
    transcript_segments: Type.Optional(
      Nullable(Type.Array(DeveloperTranscriptSegment), { title: 'Transcript Segments' }),
    ),
    geolocation: Nullable(GeolocationSchema),
    folder_id: Nullable(Type.String(), { title: 'Folder Id' }),
    folder_name: Nullable(Type.String(), { title: 'Folder Name' }),
  }),
);
export type DeveloperConversation = Static<typeof DeveloperConversation>;

export const ConversationCreateResponse = component(
  'ConversationCreateResponse',
  Type.Object({
    id: Type.String({ title: 'Id' }),
    status: Type.String({ title: 'Status' }),
    discarded: Type.Boolean({ title: 'Discarded' }),
  }),
);

export const CreateConversationRequest = component(
  'CreateConversationRequest',
  Type.Object({
    text: Type.String({
      minLength: 1,
      maxLength: 100000,
      title: 'Text',
      description: 'The conversation text/transcript',
    }),
    text_source: Type.Optional({
      ...TextSourceSchema,
      default: 'other_text',
      description: 'Source type: audio_transcript, message, or other_text',
    }),
    text_source_spec: Type.Optional(
      Nullable(Type.String(), {
        title: 'Text Source Spec',
        description: "Additional source specification (e.g., 'email', 'slack', 'whatsapp')",
      }),
    ),
    started_at: Type.Optional(
      Nullable(DateTime(), { title: 'Started At', description: 'When the conversation started (defaults to now)' }),
    ),
    finished_at: Type.Optional(
      Nullable(DateTime(), {
        title: 'Finished At',
        description: 'When the conversation finished (defaults to started_at + 5 minutes)',
      }),
    ),
    language: Type.Optional(
      Nullable(Type.String(), { default: 'en', title: 'Language', description: "Language code (ISO 639-1, e.g., 'en', 'es', 'fr')" }),
    ),
    geolocation: Type.Optional(Nullable(GeolocationInput, { description: 'Geolocation where conversation occurred' })),
  }),
);
export type CreateConversationRequest = Static<typeof CreateConversationRequest>;

export const CreateConversationTranscriptSegment = component(
  'CreateConversationTranscriptSegment',
  Type.Object({
    text: Type.String({ title: 'Text', description: 'The text spoken in this segment' }),
    speaker: Type.Optional(
      Nullable(Type.String(), {
        default: 'SPEAKER_00',
        title: 'Speaker',
        description: "Speaker identifier (e.g., 'SPEAKER_00', 'SPEAKER_01')",
      }),
    ),
    speaker_id: Type.Optional(Nullable(Type.Integer(), { title: 'Speaker Id', description: 'Numeric speaker ID' })),
    is_user: Type.Optional(
      Type.Boolean({ default: false, title: 'Is User', description: 'Whether this segment is from the user' }),
    ),
    person_id: Type.Optional(
      Nullable(Type.String(), { title: 'Person Id', description: 'ID of person speaking (if known)' }),
    ),
    start: Type.Number({ title: 'Start', description: 'Start time in seconds (e.g., 0.0, 1.5, 60.2)' }),
    end: Type.Number({ title: 'End', description: 'End time in seconds (e.g., 1.5, 3.0, 65.8)' }),
  }),
);
export type CreateConversationTranscriptSegment = Static<typeof CreateConversationTranscriptSegment>;

export const CreateConversationFromTranscriptRequest = component(
  'CreateConversationFromTranscriptRequest',
  Type.Object({
    transcript_segments: Type.Array(CreateConversationTranscriptSegment, {
      minItems: 1,
      maxItems: 500,
      title: 'Transcript Segments',
      description: 'List of transcript segments with speaker and timing info',
    }),
    client_session_id: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 200 }), {
        title: 'Client Session Id',
        description:
          'Stable client-generated session ID. When provided, retries return the same conversation ID. ' +
          '(`client_conversation_id`, `session_id` and `client_id` are accepted as aliases.)',
      }),
    ),
    source: Type.Optional(
      Nullable(ConversationSourceSchema, {
        default: 'phone',
        description: 'Source of the conversation (e.g., omi, friend, openglass, phone, external_integration)',
      }),
    ),
    started_at: Type.Optional(
      Nullable(DateTime(), { title: 'Started At', description: 'When conversation started (defaults to now)' }),
    ),
    finished_at: Type.Optional(
      Nullable(DateTime(), {
        title: 'Finished At',
        description: 'When conversation finished (calculated from segments duration if not provided)',
      }),
    ),
    language: Type.Optional(
      Nullable(Type.String(), { default: 'en', title: 'Language', description: "Language code (ISO 639-1, e.g., 'en', 'es', 'fr')" }),
    ),
    geolocation: Type.Optional(Nullable(GeolocationInput, { description: 'Geolocation where conversation occurred' })),
    client_device_id: Type.Optional(
      Nullable(Type.String(), { title: 'Client Device Id', description: 'Capture device id ({platform}_{hash})' }),
    ),
    client_platform: Type.Optional(
      Nullable(Type.String(), { title: 'Client Platform', description: 'Client platform (ios/android/macos)' }),
    ),
  }),
);
export type CreateConversationFromTranscriptRequest = Static<typeof CreateConversationFromTranscriptRequest>;

export const UpdateConversationRequest = component(
  'UpdateConversationRequest',
  Type.Object({
    title: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 500 }), {
        title: 'Title',
        description: 'New title for the conversation',
      }),
    ),
    discarded: Type.Optional(
      Nullable(Type.Boolean(), { title: 'Discarded', description: 'Whether the conversation is discarded' }),
    ),
  }),
);
export type UpdateConversationRequest = Static<typeof UpdateConversationRequest>;

export const DEFAULT_LIMIT = 25;

export const ListConversationsQuery = Type.Object({
  start_date: Type.Optional(Nullable(DateTime(), { title: 'Start Date' })),
  end_date: Type.Optional(Nullable(DateTime(), { title: 'End Date' })),
  categories: Type.Optional(Nullable(Type.String(), { title: 'Categories' })),
  limit: Type.Integer({ default: DEFAULT_LIMIT, title: 'Limit' }),
  offset: Type.Integer({ default: 0, title: 'Offset' }),
  include_transcript: Type.Boolean({ default: false, title: 'Include Transcript' }),
  folder_id: Type.Optional(Nullable(Type.String({ minLength: 1 }), { title: 'Folder Id' })),
  starred: Type.Optional(Nullable(Type.Boolean(), { title: 'Starred' })),
  q: SearchParam('conversations'),
});
export type ListConversationsQuery = Static<typeof ListConversationsQuery>;

export const GetConversationQuery = Type.Object({
  include_transcript: Type.Boolean({ default: false, title: 'Include Transcript' }),
});

export const ConversationIdParams = Type.Object({ conversation_id: Type.String({ title: 'Conversation Id' }) });
