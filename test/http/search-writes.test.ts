import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { FAKE_EMBEDDING_MODEL, startFakeEmbeddings, type FakeEmbeddings } from '../helpers/fake-embeddings.ts';
import { storedMemory } from '../helpers/records.ts';

/** Every write path keeps the embeddings in step, and a vector never outlives the text it was made from. */
describe('embeddings follow every write', () => {
  let fake: FakeEmbeddings;
  let ctx: TestContext;

  beforeAll(async () => {
    fake = await startFakeEmbeddings();
    ctx = await createTestContext({ OMI_EMBEDDINGS_BASE_URL: fake.url, OMI_EMBEDDINGS_MODEL: FAKE_EMBEDDING_MODEL });
  });
  afterAll(async () => {
    await ctx.close();
    await fake.close();
  });

  const vectorIds = async (userId: string, kind: 'memory' | 'action_item') =>
    (await ctx.storage.search.vectors(userId, kind, FAKE_EMBEDDING_MODEL)).map((v) => v.id);

  it('POST, batch and PATCH of action items queue their embedding; an edited description drops the old vector at once', async () => {
    const { userId, key } = await ctx.developer();
    const one = (await ctx.call('POST', '/v1/dev/user/action-items', key, { description: 'Renew the passport' })).json() as { id: string };
    const batch = (await ctx.call('POST', '/v1/dev/user/action-items/batch', key, {
      action_items: [{ description: 'Book the dentist' }, { description: 'Water the basil' }],
    })).json() as { action_items: { id: string }[] };
    await ctx.drainJobs();
    expect((await vectorIds(userId, 'action_item')).sort()).toEqual([one.id, ...batch.action_items.map((i) => i.id)].sort());

    await ctx.call('PATCH', `/v1/dev/user/action-items/${one.id}`, key, { description: 'Buy a birthday present for Maya' });
    expect(await vectorIds(userId, 'action_item')).not.toContain(one.id);
    await ctx.drainJobs();
    expect(await vectorIds(userId, 'action_item')).toContain(one.id);
    expect(fake.embeddedTexts()).toContain('Buy a birthday present for Maya');
  });

  it('a vector is not stored for a row edited or deleted while it was being embedded', async () => {
    const { userId } = await ctx.developer();
    const memory = storedMemory(userId, { content: 'Plays the cello', updatedAt: '2026-01-15T10:00:00.000Z' });
    await ctx.storage.memories.upsert(memory);
    const vector = Float32Array.from([1, 0]);
    await ctx.storage.memories.update(userId, memory.id, { content: 'Races sailboats', updatedAt: '2026-01-16T10:00:00.000Z' });
    await ctx.storage.search.saveVector(userId, { kind: 'memory', id: memory.id, version: '2026-01-15T10:00:00.000Z', digest: 'old' }, FAKE_EMBEDDING_MODEL, vector);
    expect(await vectorIds(userId, 'memory')).toEqual([]);
    await ctx.storage.memories.delete(userId, memory.id);
    await ctx.storage.search.saveVector(userId, { kind: 'memory', id: memory.id, version: '2026-01-16T10:00:00.000Z', digest: 'new' }, FAKE_EMBEDDING_MODEL, vector);
    expect(await vectorIds(userId, 'memory')).toEqual([]);
  });
});
