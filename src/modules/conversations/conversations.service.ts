import { randomUUID } from 'node:crypto';
import { clamp, parseCategoryFilter } from '../../lib/category-filter.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { conversationIdForSession } from '../../lib/ids.ts';
import { type Clock, toIso, toStoredDateTime } from '../../lib/time.ts';
import type { JobQueue } from '../../jobs/job-queue.ts';
import type { ConversationProcessor, ProcessingInput } from '../../processing/processor.ts';
import type { Storage } from '../../storage/storage.ts';
import { CONVERSATION_CATEGORIES } from './categories.ts';
import { speakerName } from './conversations.presenter.ts';
import type {
  CreateConversationFromTranscriptRequest,
  CreateConversationRequest,
  GeolocationInput,
  ListConversationsQuery,
  UpdateConversationRequest,
} from './conversations.schema.ts';
import { DEFAULT_LIMIT } from './conversations.schema.ts';
import type { Conversation, Geolocation, TranscriptSegment } from './conversations.types.ts';
import { rankedPage, type SearchService } from '../search/search.service.ts';
import { DAILY_SUMMARY_DELAY_MS, enqueueDailySummary, enqueuePostProcessing } from './post-processing.ts';

export const MAX_TEXT_LENGTH = 100_000;
export const MAX_SEGMENTS = 500;
/** A `processing` claim older than this belongs to a request that died; a retry may take it over. */
export const STALE_CLAIM_MS = 15 * 60_000;
const TEXT_DEFAULT_DURATION_MS = 300_000;

export interface CreatedConversation {
  id: string;
  status: string;
  discarded: boolean;
}

export interface FromSegmentsInput extends CreateConversationFromTranscriptRequest {
  /** Resolved from `client_session_id` or one of its aliases. */
  clientSessionId?: string | null | undefined;
}

export class ConversationsService {
  constructor(
    private readonly storage: Storage,
    private readonly processor: ConversationProcessor,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly search: SearchService,
    private readonly dailySummaryDelayMs = DAILY_SUMMARY_DELAY_MS,
  ) {}

  /** Newest first, or by relevance to `q` when it is given. */
  async list(userId: string, query: ListConversationsQuery): Promise<Conversation[]> {
    const categories = parseCategoryFilter(query.categories, CONVERSATION_CATEGORIES, 'CategoryEnum');
    const filters = {
      startDate: query.start_date != null ? toStoredDateTime(query.start_date, 'start_date') : undefined,
      endDate: query.end_date != null ? toStoredDateTime(query.end_date, 'end_date') : undefined,
      categories,
      folderId: query.folder_id ?? undefined,
      starred: query.starred ?? undefined,
      withTranscript: query.include_transcript,
    };
    const page = {
      limit: clamp(query.limit ?? DEFAULT_LIMIT, 1, query.include_transcript ? 25 : 100),
      offset: Math.max(0, query.offset ?? 0),
    };
    const hits = await this.search.candidates(userId, 'conversation', query.q);
    if (!hits) return this.storage.conversations.list(userId, { ...filters, ...page });
    return rankedPage(hits, (ids) => this.storage.conversations.list(userId, { ...filters, ids, limit: ids.length, offset: 0 }), page);
  }

  async get(userId: string, id: string, withTranscript: boolean): Promise<Conversation> {
    const conversation = await this.storage.conversations.get(userId, id, { withTranscript });
    if (!conversation) throw notFound('Conversation not found');
    return conversation;
  }

  async createFromText(userId: string, input: CreateConversationRequest): Promise<CreatedConversation> {
    const text = input.text.trim();
    if (text === '') throw unprocessable('text cannot be empty');
    if (text.length > MAX_TEXT_LENGTH) throw unprocessable('text cannot exceed 100,000 characters');
    const now = this.clock.now();
    const startedAt = input.started_at != null ? toStoredDateTime(input.started_at, 'started_at') : toIso(now);
    const finishedAt =
      input.finished_at != null
        ? toStoredDateTime(input.finished_at, 'finished_at')
        : after(startedAt, TEXT_DEFAULT_DURATION_MS);
    if (finishedAt < startedAt) throw unprocessable('finished_at must be after started_at');
    const draft = this.draft(userId, randomUUID(), now, {
      startedAt,
      finishedAt,
      source: 'external_integration',
      language: input.language ?? 'en',
      geolocation: toGeolocation(input.geolocation),
      text,
      textSource: input.text_source ?? 'other_text',
      textSourceSpec: input.text_source_spec ?? null,
    });
    return this.process(draft, false);
  }

  async createFromSegments(userId: string, input: FromSegmentsInput): Promise<CreatedConversation> {
    if (input.transcript_segments.length === 0) throw unprocessable('transcript_segments cannot be empty');
    if (input.transcript_segments.length > MAX_SEGMENTS) throw unprocessable('Maximum 500 transcript segments allowed');
    const segments = input.transcript_segments.map((segment, i): TranscriptSegment => {
      const text = segment.text.trim();
      if (text === '') throw unprocessable(`Segment ${i}: text cannot be empty`);
      if (segment.start < 0) throw unprocessable(`Segment ${i}: start time cannot be negative`);
      if (segment.end <= segment.start) throw unprocessable(`Segment ${i}: end time must be after start time`);
      const speaker = segment.speaker ?? 'SPEAKER_00';
      return {
        id: randomUUID(),
        text,
        speaker,
        speakerId: segment.speaker_id ?? speakerIdFrom(speaker),
        isUser: segment.is_user ?? false,
        personId: segment.person_id ?? null,
        start: segment.start,
        end: segment.end,
      };
    });
    let sessionId: string | null = null;
    if (input.clientSessionId != null) {
      sessionId = input.clientSessionId.trim();
      if (sessionId === '') throw unprocessable('client_session_id cannot be empty');
      if (sessionId.length > 200) throw unprocessable('client_session_id cannot exceed 200 characters');
    }
    const now = this.clock.now();
    const startedAt = input.started_at != null ? toStoredDateTime(input.started_at, 'started_at') : toIso(now);
    const lastEnd = segments[segments.length - 1]!.end;
    const finishedAt =
      input.finished_at != null
        ? toStoredDateTime(input.finished_at, 'finished_at')
        : after(startedAt, Math.round(lastEnd * 1000));
    if (finishedAt <= startedAt) throw unprocessable('finished_at must be after started_at');
    const id = sessionId === null ? randomUUID() : conversationIdForSession(userId, sessionId);
    const draft = this.draft(userId, id, now, {
      startedAt,
      finishedAt,
      source: input.source ?? 'phone',
      language: input.language ?? 'en',
      geolocation: toGeolocation(input.geolocation),
      segments,
      clientSessionId: sessionId,
      clientDeviceId: input.client_device_id ?? null,
      clientPlatform: input.client_platform ?? null,
    });
    return this.process(draft, sessionId !== null);
  }

  /** Title and/or discarded; the day's summary is refreshed afterwards. */
  async update(userId: string, id: string, input: UpdateConversationRequest): Promise<Conversation> {
    if (input.title == null && input.discarded == null) {
      throw unprocessable('At least one field (title or discarded) must be provided');
    }
    const title = input.title?.trim();
    if (title === '') throw unprocessable('title cannot be empty');
    const updated = await this.storage.transaction(async (tx) => {
      const patched = await tx.conversations.update(userId, id, {
        ...(title !== undefined && { title }),
        ...(input.discarded != null && { discarded: input.discarded }),
        updatedAt: toIso(this.clock.now()),
      });
      const next = patched && (await tx.conversations.get(userId, id, { withTranscript: false }));
      if (!next) throw notFound('Conversation not found');
      await enqueueDailySummary(this.jobs, tx, next, this.dailySummaryDelayMs);
      await this.search.changed(tx, userId);
      return next;
    });
    this.jobs.notify();
    return updated;
  }

  async delete(userId: string, id: string): Promise<void> {
    await this.storage.transaction(async (tx) => {
      const current = await tx.conversations.get(userId, id, { withTranscript: false });
      if (!current || !(await tx.conversations.delete(userId, id))) throw notFound('Conversation not found');
      await enqueueDailySummary(this.jobs, tx, current, this.dailySummaryDelayMs);
    });
    this.jobs.notify();
  }

  /** What the processor sees: the text, or the segments as `Name: text` lines. */
  async processingInput(conversation: Conversation, knownUserName?: string | null): Promise<ProcessingInput> {
    // Callers preparing several conversations of one user look the name up once and pass it.
    const userName = knownUserName !== undefined ? knownUserName : ((await this.storage.users.findById(conversation.userId))?.name ?? null);
    const segments =
      conversation.segments.length > 0
        ? conversation.segments.map((s) => ({
            speaker: s.speaker,
            isUser: s.isUser,
            speakerName: speakerName(s, userName),
            text: s.text,
            start: s.start,
            end: s.end,
          }))
        : null;
    return {
      text: segments ? segments.map((s) => `${s.speakerName}: ${s.text}`).join('\n') : (conversation.text ?? ''),
      segments,
      textSource: conversation.textSource,
      textSourceSpec: conversation.textSourceSpec,
      startedAt: conversation.startedAt ?? conversation.createdAt,
      language: conversation.language ?? 'en',
      userName,
    };
  }

  /**
   * Summarises inside the request (as upstream), stores the result and queues the rest of the
   * pipeline in the same transaction. With a client session id the record is claimed first, so
   * concurrent retries see the claim (409) or the finished record, never a second conversation.
   */
  private async process(draft: Conversation, idempotent: boolean): Promise<CreatedConversation> {
    if (idempotent) {
      const existing = await this.claim(draft);
      if (existing) return existing;
    }
    let stored: Conversation;
    try {
      const { discarded, structured } = await this.processor.summarize(await this.processingInput(draft));
      stored = {
        ...draft,
        status: 'completed',
        discarded,
        title: structured.title,
        overview: structured.overview,
        emoji: structured.emoji || '🧠',
        category: structured.category,
        actionItems: structured.actionItems.map((item) => ({
          description: item.description,
          completed: false,
          createdAt: draft.createdAt,
          updatedAt: draft.createdAt,
          dueAt: item.dueAt,
          completedAt: null,
          conversationId: draft.id,
        })),
        events: structured.events.map((event) => ({ ...event, created: false })),
        claimedAt: null,
      };
    } catch (error) {
      if (idempotent) await this.storage.conversations.releaseClaim(draft.userId, draft.id, draft.claimedAt!);
      throw error;
    }
    const saved = await this.storage.transaction(async (tx) => {
      if (idempotent) {
        // Our claim may have been taken over meanwhile (we were slower than 15 minutes).
        const current = await tx.conversations.get(draft.userId, draft.id, { withTranscript: false });
        if (!current || current.status !== 'processing' || current.claimedAt !== draft.claimedAt) {
          // Another request finished it (answer with that record) or holds it now (409).
          return current?.status === 'processing' ? undefined : current;
        }
        await tx.conversations.save(stored);
      } else {
        await tx.conversations.insert(stored);
      }
      if (!stored.discarded) await enqueuePostProcessing(this.jobs, tx, stored, this.dailySummaryDelayMs);
      await this.search.changed(tx, stored.userId);
      return stored;
    });
    this.jobs.notify();
    if (!saved) throw conflict('Conversation creation already in progress');
    return { id: saved.id, status: saved.status, discarded: saved.discarded };
  }

  /** Takes the idempotency claim, or answers for the request that holds it. */
  private async claim(draft: Conversation): Promise<CreatedConversation | undefined> {
    const claimedAt = draft.claimedAt!;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.storage.conversations.claim(draft)) return undefined;
      const existing = await this.storage.conversations.get(draft.userId, draft.id, { withTranscript: false });
      if (!existing) continue; // deleted between our insert and read: try once more
      if (existing.status !== 'processing') {
        return { id: existing.id, status: existing.status, discarded: existing.discarded };
      }
      const staleBefore = toIso(new Date(Date.parse(claimedAt) - STALE_CLAIM_MS));
      if (await this.storage.conversations.takeOverStaleClaim(draft.userId, draft.id, staleBefore, claimedAt)) {
        return undefined;
      }
      break;
    }
    throw conflict('Conversation creation already in progress');
  }

  private draft(userId: string, id: string, now: Date, fields: Partial<Conversation>): Conversation {
    const iso = toIso(now);
    return {
      id,
      userId,
      createdAt: iso,
      updatedAt: iso,
      startedAt: iso,
      finishedAt: null,
      source: 'external_integration',
      language: 'en',
      status: 'processing',
      discarded: false,
      starred: false,
      folderId: null,
      title: '',
      overview: '',
      emoji: '🧠',
      category: 'other',
      actionItems: [],
      events: [],
      segments: [],
      text: null,
      textSource: null,
      textSourceSpec: null,
      geolocation: null,
      clientSessionId: null,
      clientDeviceId: null,
      clientPlatform: null,
      claimedAt: iso,
      ...fields,
    };
  }
}

/** `iso` plus `ms`, refused (422) when it leaves the calendar the API can express (years 0–9999). */
function after(iso: string, ms: number): string {
  const date = new Date(Date.parse(iso) + ms);
  const result = Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  if (result === undefined || !/^\d{4}-/.test(result)) throw unprocessable('finished_at is out of range');
  return result;
}

/** `SPEAKER_01` → 1; anything without a number → 0. */
export function speakerIdFrom(speaker: string): number {
  const match = /(\d+)\s*$/.exec(speaker);
  const id = match ? Number.parseInt(match[1]!, 10) : 0;
  return Number.isSafeInteger(id) ? id : 0;
}

/** Bounds are checked before anything is stored (the schema accepts any number, as upstream's). */
function toGeolocation(input: GeolocationInput | null | undefined): Geolocation | null {
  if (input == null) return null;
  if (!(input.latitude >= -90 && input.latitude <= 90)) throw unprocessable('latitude must be between -90 and 90');
  if (!(input.longitude >= -180 && input.longitude <= 180)) throw unprocessable('longitude must be between -180 and 180');
  return {
    latitude: input.latitude,
    longitude: input.longitude,
    address: input.address ?? null,
    googlePlaceId: input.google_place_id ?? null,
    locationType: input.location_type ?? null,
  };
}
