import type { TranscriptSegment } from '../conversations/conversations.types.ts';

/** The three Omi developer webhooks this server receives. */
export const RECEIVER_KINDS = ['memory_created', 'realtime_transcript', 'day_summary'] as const;
export type ReceiverKind = (typeof RECEIVER_KINDS)[number];

/** A received payload waiting to be processed (memory_created and day_summary). */
export interface InboxEntry {
  id: string;
  userId: string;
  kind: ReceiverKind;
  /** The `?uid=` the sender gave: recorded, never trusted (the path token names the user). */
  omiUid: string | null;
  payload: unknown;
  receivedAt: string;
}

/** A live transcript segment as the realtime webhook sends it (times in seconds from the session's start): a stored segment's shape. */
export type LiveSegment = TranscriptSegment;

export interface BufferedSegment {
  segment: LiveSegment;
  receivedAt: string;
  seq: number;
}
