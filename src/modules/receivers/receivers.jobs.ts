import type { JobQueue } from '../../jobs/job-queue.ts';
import type { JobHandler } from '../../jobs/job-runner.ts';
import { derivedId } from '../../lib/ids.ts';
import { type Clock, toIso } from '../../lib/time.ts';
import type { Repositories, Storage } from '../../storage/storage.ts';
import type { ConversationsService } from '../conversations/conversations.service.ts';
import { MAX_SEGMENTS } from '../conversations/conversations.service.ts';
import { enqueuePostProcessing } from '../conversations/post-processing.ts';
import { SYSTEM_FOLDERS, type FoldersService } from '../folders/folders.service.ts';
import type { SearchService } from '../search/search.service.ts';
import { conversationFromPayload, daySummaryFromPayload } from './receivers.mapping.ts';
import type { ConversationPayload, DaySummaryPayload } from './receivers.schema.ts';
import { RECEIVER_JOBS, REALTIME_GAP_MS } from './receivers.service.ts';
import type { BufferedSegment, InboxEntry } from './receivers.types.ts';

export interface ReceiverJobDeps {
  storage: Storage;
  conversations: ConversationsService;
  folders: FoldersService;
  jobs: JobQueue;
  clock: Clock;
  search: Pick<SearchService, 'changed'>;
  dailySummaryDelayMs: number;
}

const noop = async () => {};

/** The user's folder named `name` (case-insensitively), created when there is none. */
async function folderNamed(deps: ReceiverJobDeps, tx: Repositories, userId: string, name: string, now: string): Promise<string> {
  const key = name.trim().toLowerCase();
  const system = Object.values(SYSTEM_FOLDERS).some((f) => f.name.toLowerCase() === key);
  if (system) await deps.folders.ensureSystemFolders(tx, userId, 'other');
  const folders = await tx.folders.list(userId);
  const found = folders.find((f) => f.name.trim().toLowerCase() === key);
  if (found) return found.id;
  const id = derivedId('receiver-folder', userId, key);
  await tx.folders.insertIfAbsent({
    id,
    userId,
    name: name.trim(),
    description: null,
    color: '#6B7280',
    icon: '📁',
    order: folders.length,
    isDefault: false,
    isSystem: false,
    categoryMapping: null,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

/**
 * A delivered conversation, stored once under its own id; a new one goes through this server's
 * pipeline (standalone action items, memories, folder, the day's summary). It also supersedes
 * the live segments buffered before it arrived: its transcript is their final, merged form.
 */
function storeConversation(deps: ReceiverJobDeps, entry: InboxEntry) {
  const payload = entry.payload as ConversationPayload;
  return async (tx: Repositories) => {
    const { userId } = entry;
    if (!(await tx.conversations.get(userId, payload.id, { withTranscript: false }))) {
      const name = payload.folder_name?.trim();
      const folderId = name ? await folderNamed(deps, tx, userId, name, toIso(deps.clock.now())) : null;
      const conversation = conversationFromPayload(userId, payload, folderId);
      if (await tx.conversations.claim(conversation)) {
        if (!conversation.discarded) await enqueuePostProcessing(deps.jobs, tx, conversation, deps.dailySummaryDelayMs);
        await deps.search.changed(tx, userId);
      }
    }
    await tx.receivers.removeSegmentsReceivedBy(userId, entry.receivedAt);
    await tx.receivers.removeFromInbox(userId, entry.id);
  };
}

/** Consecutive segments split wherever more than the gap passed between two arrivals. */
export function splitBySilence(buffer: BufferedSegment[]): BufferedSegment[][] {
  const groups: BufferedSegment[][] = [];
  for (const item of buffer) {
    const current = groups.at(-1);
    const last = current?.at(-1);
    if (current && last && Date.parse(item.receivedAt) - Date.parse(last.receivedAt) <= REALTIME_GAP_MS) current.push(item);
    else groups.push([item]);
  }
  return groups;
}

/** One closed group as from-segments conversations (of at most MAX_SEGMENTS segments each), idempotent by its first segment. */
async function closeGroup(deps: ReceiverJobDeps, userId: string, group: BufferedSegment[]): Promise<void> {
  const usable = group.filter((g) => g.segment.text.trim() !== '');
  for (let i = 0; i < usable.length; i += MAX_SEGMENTS) {
    const chunk = usable.slice(i, i + MAX_SEGMENTS);
    const origin = chunk[0]!.segment.start;
    await deps.conversations.createFromSegments(userId, {
      transcript_segments: chunk.map(({ segment: s }) => {
        const start = Math.max(0, s.start - origin);
        return {
          text: s.text,
          speaker: s.speaker,
          speaker_id: s.speakerId,
          is_user: s.isUser,
          person_id: s.personId,
          start,
          end: Math.max(s.end - origin, start + 0.001),
        };
      }),
      started_at: chunk[0]!.receivedAt,
      source: 'omi',
      clientSessionId: `omi-realtime:${chunk[0]!.segment.id}`,
    });
  }
}

export function receiverJobHandlers(deps: ReceiverJobDeps): Record<string, JobHandler> {
  return {
    [RECEIVER_JOBS.inbox]: {
      async run(job) {
        const entry = await deps.storage.receivers.inboxEntry(job.userId, String(job.payload.entryId));
        if (!entry) return noop;
        if (entry.kind === 'memory_created') return storeConversation(deps, entry);
        const summary = daySummaryFromPayload(entry.userId, entry.payload as DaySummaryPayload, toIso(deps.clock.now()));
        return async (tx) => {
          await tx.dailySummaries.upsert(summary);
          await tx.receivers.removeFromInbox(entry.userId, entry.id);
        };
      },
    },

    [RECEIVER_JOBS.realtimeClose]: {
      async run(job) {
        const { userId } = job;
        const groups = splitBySilence(await deps.storage.receivers.bufferedSegments(userId));
        const now = deps.clock.now().getTime();
        const silent = (group: BufferedSegment[]) => now - Date.parse(group.at(-1)!.receivedAt) > REALTIME_GAP_MS;
        const closed = groups.filter(silent);
        for (const group of closed) await closeGroup(deps, userId, group);
        const open = groups.find((group) => !silent(group));
        return async (tx) => {
          await tx.receivers.removeSegments(userId, closed.flat().map((g) => g.segment.id));
          if (!open) return;
          await deps.jobs.enqueue(tx, {
            userId,
            kind: RECEIVER_JOBS.realtimeClose,
            payload: {},
            delayMs: Date.parse(open.at(-1)!.receivedAt) + REALTIME_GAP_MS + 1 - now,
            dedupeKey: `${RECEIVER_JOBS.realtimeClose}:${userId}`,
          });
        };
      },
    },
  };
}
