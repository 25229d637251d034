import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeFact } from '../../src/modules/conversations/dedupe.ts';
import { EXISTING_RELATED, EXISTING_TOP } from '../../src/modules/conversations/post-processing.ts';
import { scoringFor } from '../../src/modules/memories/categories.ts';
import type { Memory } from '../../src/modules/memories/memories.types.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../helpers/databases.ts';
import { storedMemory } from '../helpers/records.ts';

const CONVERSATIONS = '/v1/dev/user/conversations';
const MEMORIES = '/v1/dev/user/memories';

/**
 * Dinner with a friend: the offline processor keeps "Is allergic to peanuts" (its strongest fact),
 * "Lives in Alfama", "Works as a product designer at Figment" and "Moved to Lisbon in April". The
 * allergy is not in the conversation's title or overview, so a search for those does not find it.
 */
const DINNER = [
  { text: "So how's the new place? You moved like two months ago, right?", speaker: 'SPEAKER_01', start: 0, end: 5 },
  { text: "Yeah, I moved to Lisbon in April. I live in Alfama now, it's tiny but the view is amazing.", speaker: 'SPEAKER_00', is_user: true, start: 5, end: 12 },
  { text: 'That is so cool. Are you working remotely?', speaker: 'SPEAKER_01', start: 13, end: 16 },
  { text: "Yeah, I work as a product designer at Figment, fully remote. They're a Berlin company.", speaker: 'SPEAKER_00', is_user: true, start: 16, end: 22 },
  { text: 'Is your sister still out there?', speaker: 'SPEAKER_01', start: 22, end: 24 },
  { text: 'Ana? Yeah, my sister Ana is a nurse at the hospital in Porto, so I see her like once a month.', speaker: 'SPEAKER_00', is_user: true, start: 24, end: 30 },
  { text: 'Wait, did you order for me?', speaker: 'SPEAKER_01', start: 30, end: 32 },
  { text: "Oh, I didn't, sorry. Just no peanuts on my side, I'm allergic to peanuts.", speaker: 'SPEAKER_00', is_user: true, start: 32, end: 37 },
];
const ALLERGY = 'Is allergic to peanuts';
const NEW_FACT = 'Works as a product designer at Figment';


interface WireMemory {
  id: string;
  content: string;
  created_at: string;
  manually_added: boolean;
}

/**
 * Memory extraction reads only the top of a user's list and the memories related to the
 * conversation, so a large history costs the same as a small one; a fact the user already has
 * anywhere in that history must still not be stored a second time.
 */
describe.each(DATABASE_KINDS)('memory extraction for a user with many memories (%s)', (kind) => {
  let database: TestDatabase;
  let ctx: TestContext;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    ctx = await createTestContext({ OMI_DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await ctx.close();
    await database.drop();
  });

  /** An extracted memory as an earlier conversation would have left it. */
  const extracted = (userId: string, content: string, createdAt: string): Memory =>
    storedMemory(userId, {
      content,
      category: 'system',
      createdAt,
      updatedAt: createdAt,
      manuallyAdded: false,
      reviewed: false,
      userReview: null,
      scoring: scoringFor(false, 'system', createdAt),
    });

  const listAll = async (key: string): Promise<WireMemory[]> => {
    const response = await ctx.call('GET', `${MEMORIES}?limit=1000`, key);
    expect(response.statusCode).toBe(200);
    return response.json<WireMemory[]>();
  };

  const tellAtDinner = async (key: string): Promise<string> => {
    const created = await ctx.call('POST', `${CONVERSATIONS}/from-segments`, key, { transcript_segments: DINNER });
    expect(created.statusCode).toBe(200);
    return created.json<{ id: string }>().id;
  };

  const copiesOf = (memories: WireMemory[], fact: string) => memories.filter((m) => normalizeFact(m.content) === normalizeFact(fact));

  it('stores the allergy, once, and the other facts for a user who did not have it', async () => {
    ctx.clock.set('2026-06-19T12:00:00.000Z');
    const { key } = await ctx.developer();
    await tellAtDinner(key);
    expect(await ctx.drainJobs()).toBeGreaterThan(0);
    const after = await listAll(key);
    expect(copiesOf(after, ALLERGY).map((m) => m.content)).toEqual([ALLERGY]);
    expect(after.map((m) => m.content)).toContain(NEW_FACT);
  });

  it('does not store again a fact held only by an old memory far below the top of the list', async () => {
    ctx.clock.set('2026-06-20T12:00:00.000Z');
    const { userId, key } = await ctx.developer();
    // Told years ago, in other words than today's extraction uses: the same fact once normalised.
    const old = extracted(userId, 'is allergic to PEANUTS!', '2019-05-01T09:00:00.000Z');
    await ctx.storage.transaction(async (tx) => {
      await tx.memories.upsert(old);
      for (let i = 0; i < 599; i++) {
        const at = new Date(Date.parse('2026-01-01T00:00:00.000Z') + i * 3600_000).toISOString();
        await tx.memories.upsert(extracted(userId, `Owns vinyl record number ${i}`, at));
      }
    });

    // The old memory is the last of the list: not among what the extraction reads whole…
    const before = await listAll(key);
    expect(before).toHaveLength(600);
    expect(before.at(-1)!.id).toBe(old.id);
    expect(before.slice(0, EXISTING_TOP).map((m) => m.id)).not.toContain(old.id);

    const conversationId = await tellAtDinner(key);
    // …nor found by the words of the conversation's title and overview.
    const conversation = (await ctx.call('GET', `${CONVERSATIONS}/${conversationId}`, key)).json<{ structured: { title: string; overview: string } }>();
    const related = await ctx.services.search.rank(userId, 'memory', `${conversation.structured.title} ${conversation.structured.overview}`, EXISTING_RELATED);
    expect(related.map((hit) => hit.id)).not.toContain(old.id);

    expect(await ctx.drainJobs()).toBeGreaterThan(0);

    const after = await listAll(key);
    expect(copiesOf(after, ALLERGY).map((m) => m.id)).toEqual([old.id]);
    // The same conversation's other facts were stored: the extraction did run.
    const added = after.filter((m) => !before.some((b) => b.id === m.id));
    expect(added.map((m) => m.content)).toContain(NEW_FACT);
    expect(added.every((m) => !m.manually_added && m.created_at === '2026-06-20T12:00:00.000Z')).toBe(true);
    const stored = await ctx.storage.memories.list(userId, { ids: added.map((m) => m.id), limit: added.length, offset: 0 });
    expect(stored.every((m) => m.conversationId === conversationId)).toBe(true);
  });

  it('does not store again a fact a user with a short list already has', async () => {
    ctx.clock.set('2026-06-21T12:00:00.000Z');
    const { userId, key } = await ctx.developer();
    const old = extracted(userId, 'is allergic to PEANUTS!', '2019-05-01T09:00:00.000Z');
    await ctx.storage.memories.upsert(old);
    await ctx.storage.memories.upsert(extracted(userId, 'Owns a vinyl record player', '2026-01-01T00:00:00.000Z'));

    await tellAtDinner(key);
    expect(await ctx.drainJobs()).toBeGreaterThan(0);

    const after = await listAll(key);
    expect(copiesOf(after, ALLERGY).map((m) => m.id)).toEqual([old.id]);
    expect(after.map((m) => m.content)).toContain(NEW_FACT);
  });
});
