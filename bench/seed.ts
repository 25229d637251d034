/**
 * The benchmark's data set, written straight into a migrated database (no HTTP, no password
 * hashing per user): one heavy user with years of data, a thousand light users around them, and
 * a user whose memories grow for the growth runs. Rows go in through the repositories (so the
 * keyword-index triggers fire exactly as in production) except memories, which go in as
 * multi-row inserts because there are up to a million of them.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Config } from '../src/config/config.ts';
import { scoringFor } from '../src/modules/memories/categories.ts';
import { createServices } from '../src/services.ts';
import type { Database } from '../src/storage/schema.ts';
import type { Storage } from '../src/storage/storage.ts';
import { openDatabase, openStorage } from '../src/storage/index.ts';
import { storedActionItem, storedConversation } from '../test/helpers/records.ts';

export const SCOPES = ['memories:read', 'memories:write', 'action_items:read', 'action_items:write', 'goals:read', 'conversations:read', 'conversations:write'];

/** A deterministic stream of pseudo-random numbers in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

// Words from the labelled search corpus, so memories and search queries read like a person's.
const corpus = JSON.parse(readFileSync(new URL('../test/fixtures/search/corpus.json', import.meta.url), 'utf8')) as {
  memories: { content: string }[];
};
export const VOCABULARY = [...new Set(corpus.memories.flatMap((m) => m.content.toLowerCase().match(/[a-z]{4,}/g) ?? []))];

export function words(next: () => number, count: number): string {
  return Array.from({ length: count }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]!).join(' ');
}

const CATEGORIES = ['system', 'interesting', 'manual'];
const SPAN_MS = 3 * 365 * 24 * 3600_000; // three years of data
const END = Date.UTC(2026, 10, 1);

/** `count` memories for `userId`, numbered from `from`, created over three years. */
export async function insertMemories(db: Kysely<Database>, userId: string, from: number, count: number): Promise<void> {
  const next = random(from + 7);
  const BATCH = 400;
  for (let start = from; start < from + count; start += 5_000) {
    await db.transaction().execute(async (tx) => {
      for (let i = start; i < Math.min(from + count, start + 5_000); i += BATCH) {
        const rows = [];
        for (let j = i; j < Math.min(from + count, start + 5_000, i + BATCH); j++) {
          const createdAt = new Date(END - SPAN_MS + Math.floor((j * 7919) % SPAN_MS)).toISOString();
          const manual = j % 10 === 0;
          const category = CATEGORIES[j % 3]!;
          rows.push({
            user_id: userId,
            id: `m-${j.toString(36)}-${randomUUID().slice(0, 8)}`,
            content: `${words(next, 6 + (j % 10))} ${j}`,
            category,
            visibility: 'private',
            tags: '[]',
            created_at: createdAt,
            updated_at: createdAt,
            manually_added: manual ? 1 : 0,
            reviewed: 0,
            user_review: null,
            edited: 0,
            scoring: scoringFor(manual, category, createdAt),
            conversation_id: null,
            invalid_at: null,
          });
        }
        await tx.insertInto('memories').values(rows).execute();
      }
    });
  }
}

/** A plausible meeting transcript, in storage's shape. */
function segments(next: () => number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    text: `${words(next, 8 + (i % 12))}.`,
    speaker: `SPEAKER_0${i % 2}`,
    speakerId: i % 2,
    isUser: i % 2 === 0,
    personId: null,
    start: i * 6,
    end: i * 6 + 5,
  }));
}

async function insertConversations(storage: Storage, userId: string, count: number, segmentCount: (i: number) => number): Promise<string[]> {
  const next = random(count * 31 + userId.length);
  const ids: string[] = [];
  for (let start = 0; start < count; start += 500) {
    await storage.transaction(async (tx) => {
      for (let i = start; i < Math.min(count, start + 500); i++) {
        const at = new Date(END - SPAN_MS + Math.floor((i * SPAN_MS) / count)).toISOString();
        const conversation = storedConversation(userId, {
          createdAt: at,
          updatedAt: at,
          startedAt: at,
          finishedAt: at,
          title: words(next, 4),
          overview: `${words(next, 20)}.`,
          segments: segments(next, segmentCount(i)),
          actionItems: [{ description: words(next, 5), completed: false, createdAt: at, updatedAt: at, dueAt: null, completedAt: null, conversationId: null }],
        });
        await tx.conversations.insert(conversation);
        ids.push(conversation.id);
      }
    });
  }
  return ids;
}

async function insertActionItems(storage: Storage, userId: string, count: number): Promise<void> {
  const next = random(count * 17 + userId.length);
  for (let start = 0; start < count; start += 5_000) {
    await storage.transaction(async (tx) => {
      for (let i = start; i < Math.min(count, start + 5_000); i++) {
        const at = new Date(END - SPAN_MS + Math.floor((i * SPAN_MS) / count)).toISOString();
        await tx.actionItems.insert(
          storedActionItem(userId, {
            description: words(next, 6),
            createdAt: at,
            updatedAt: at,
            completed: i % 3 === 0,
            completedAt: i % 3 === 0 ? at : null,
            dueAt: i % 2 === 0 ? at : null,
          }),
        );
      }
    });
  }
}

export interface SeedSizes {
  memories: number;
  conversations: number;
  segments: number;
  actionItems: number;
  lightUsers: number;
  /** The growth user's first size. */
  growthMemories: number;
}

export interface Seeded {
  /** The heavy user's developer key. */
  key: string;
  /** A key of the growth user. */
  growthKey: string;
  growthUserId: string;
  /** The heavy user's conversation with 500 segments. */
  longConversationId: string;
}

export async function seed(config: Config, sizes: SeedSizes, log: (line: string) => void): Promise<Seeded> {
  const storage = await openStorage(config.databaseUrl);
  const services = createServices(config, storage);
  const { db, close } = await openDatabase(config.databaseUrl);
  try {
    const started = performance.now();
    const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
    // One real password hash, shared by the light users (they never sign in during the run).
    const heavy = await services.accounts.createUser({ email: 'heavy@example.com', name: 'Heavy User', password: 'bench-password' });
    const { passwordHash } = (await storage.users.findByEmail('heavy@example.com'))!;
    const { secret: key } = await services.apiKeys.create(heavy.id, { name: 'bench', scopes: SCOPES });

    await insertMemories(db, heavy.id, 0, sizes.memories);
    log(`  ${sizes.memories.toLocaleString('en')} memories (${elapsed()})`);
    const longConversationId = (await insertConversations(storage, heavy.id, 1, () => 500))[0]!;
    await insertConversations(storage, heavy.id, sizes.conversations - 1, (i) => sizes.segments - 20 + (i % 41));
    log(`  ${sizes.conversations.toLocaleString('en')} conversations of ~${sizes.segments} segments (${elapsed()})`);
    await insertActionItems(storage, heavy.id, sizes.actionItems);
    log(`  ${sizes.actionItems.toLocaleString('en')} action items (${elapsed()})`);

    for (let u = 0; u < sizes.lightUsers; u++) {
      const id = randomUUID();
      await storage.users.insert({ id, email: `light-${u}@example.com`, name: `Light ${u}`, createdAt: new Date().toISOString(), passwordHash });
      await services.apiKeys.create(id, { name: 'script', scopes: SCOPES });
      await insertMemories(db, id, u * 20, 20);
      await insertConversations(storage, id, 3, () => 20);
      await insertActionItems(storage, id, 10);
    }
    log(`  ${sizes.lightUsers.toLocaleString('en')} light users, each 20 memories, 3 conversations, 10 action items (${elapsed()})`);

    const growth = await services.accounts.createUser({ email: 'growth@example.com', name: 'Growth User', password: 'bench-password' });
    const { secret: growthKey } = await services.apiKeys.create(growth.id, { name: 'bench', scopes: SCOPES });
    await insertMemories(db, growth.id, 0, sizes.growthMemories);
    log(`  growth user: ${sizes.growthMemories.toLocaleString('en')} memories (${elapsed()})`);
    return { key, growthKey, growthUserId: growth.id, longConversationId };
  } finally {
    await close();
    await storage.close();
  }
}

/** Adds memories to the growth user until it has `total`. */
export async function growTo(databaseUrl: string, userId: string, from: number, total: number): Promise<void> {
  const { db, close } = await openDatabase(databaseUrl);
  try {
    await insertMemories(db, userId, from, total - from);
  } finally {
    await close();
  }
}
