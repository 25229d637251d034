import { randomBytes, randomUUID } from 'node:crypto';
import type { JobQueue } from '../../jobs/job-queue.ts';
import { notFound, unprocessable } from '../../lib/errors.ts';
import { type Clock, toIso } from '../../lib/time.ts';
import type { Storage } from '../../storage/storage.ts';
import { conversationFromPayload, daySummaryFromPayload, segmentFrom } from './receivers.mapping.ts';
import type { ConversationPayload, DaySummaryPayload, RealtimePayload } from './receivers.schema.ts';
import { RECEIVER_KINDS, type BufferedSegment, type ReceiverKind } from './receivers.types.ts';

/** Background work of the receivers (handlers in receivers.jobs.ts). */
export const RECEIVER_JOBS = {
  /** Processes one inbox entry (memory_created or day_summary). */
  inbox: 'receiver.inbox',
  /** Closes the user's live-segment buffer into conversations after a silence gap. */
  realtimeClose: 'receiver.realtime-close',
} as const;

/**
 * Live segments arriving more than this long after the previous ones start a new conversation;
 * a buffer that stays silent this long is closed.
 */
export const REALTIME_GAP_MS = 2 * 60_000;

/** Where the receivers are served: `{base}/v1/receivers/{token}/{kind}`. */
export const receiverPath = (token: string, kind: ReceiverKind): string => `/v1/receivers/${token}/${kind}`;

/** Unguessable: 192 random bits, URL-safe. */
const newToken = (): string => randomBytes(24).toString('base64url');

export class ReceiversService {
  constructor(
    private readonly storage: Storage,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  /** The user's receiver URLs (the token is issued on first use). */
  async urls(userId: string, base: string): Promise<Record<ReceiverKind, string>> {
    let token = await this.storage.receivers.token(userId);
    if (token === undefined) {
      await this.storage.receivers.insertTokenIfAbsent(userId, newToken(), this.now());
      token = (await this.storage.receivers.token(userId))!;
    }
    return urlsFor(base, token);
  }

  /** New URLs; the old ones answer 404 from now on. */
  async rotate(userId: string, base: string): Promise<Record<ReceiverKind, string>> {
    const token = newToken();
    await this.storage.receivers.replaceToken(userId, token, this.now());
    return urlsFor(base, token);
  }

  /** The owner of a receiver token; an unknown or rotated token is 404, as for any unknown path. */
  async owner(token: string): Promise<string> {
    const userId = await this.storage.receivers.userForToken(token);
    if (userId === undefined) throw notFound('Not Found');
    return userId;
  }

  /** memory_created: checked, then made durable in the inbox before the 2xx; stored by a job. */
  async receiveConversation(userId: string, omiUid: string | null, payload: ConversationPayload): Promise<void> {
    conversationFromPayload(userId, payload, null); // 422 now rather than a failing job later
    await this.enqueue(userId, 'memory_created', omiUid, payload);
  }

  async receiveDaySummary(userId: string, omiUid: string | null, payload: DaySummaryPayload): Promise<void> {
    daySummaryFromPayload(userId, payload, this.now());
    await this.enqueue(userId, 'day_summary', omiUid, payload);
  }

  /**
   * realtime_transcript: the segments join the user's buffer (a segment id already there is
   * ignored) and a close is scheduled for after the silence gap.
   */
  async receiveRealtime(userId: string, payload: RealtimePayload): Promise<{ buffered: number }> {
    payload.segments.forEach((segment, i) => {
      if (segment.end < segment.start) throw unprocessable(`segments[${i}]: end must not be before start`);
    });
    const receivedAt = this.now();
    const segments = payload.segments.map((s, seq): BufferedSegment => ({ segment: segmentFrom(s, s.id), receivedAt, seq }));
    await this.storage.transaction(async (tx) => {
      await tx.receivers.bufferSegments(userId, segments);
      await this.jobs.enqueue(tx, {
        userId,
        kind: RECEIVER_JOBS.realtimeClose,
        payload: {},
        delayMs: REALTIME_GAP_MS + 1,
        dedupeKey: `${RECEIVER_JOBS.realtimeClose}:${userId}`,
      });
    });
    this.jobs.notify();
    return { buffered: segments.length };
  }

  private async enqueue(userId: string, kind: ReceiverKind, omiUid: string | null, payload: unknown): Promise<void> {
    const id = randomUUID();
    await this.storage.transaction(async (tx) => {
      await tx.receivers.addToInbox({ id, userId, kind, omiUid, payload, receivedAt: this.now() });
      await this.jobs.enqueue(tx, { userId, kind: RECEIVER_JOBS.inbox, payload: { entryId: id } });
    });
    this.jobs.notify();
  }

  private now(): string {
    return toIso(this.clock.now());
  }
}

function urlsFor(base: string, token: string): Record<ReceiverKind, string> {
  const root = base.replace(/\/+$/, '');
  return Object.fromEntries(RECEIVER_KINDS.map((kind) => [kind, `${root}${receiverPath(token, kind)}`])) as Record<
    ReceiverKind,
    string
  >;
}
