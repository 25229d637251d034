import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmbeddingsError, OpenAiEmbeddingsClient } from '../../src/processing/embeddings/embeddings-client.ts';
import { reciprocalRankFusion, scoreFusion } from '../../src/modules/search/fusion.ts';
import { passagesOf, rerankByPassage } from '../../src/modules/search/passages.ts';
import { hasContentWords, parseKeywordQuery } from '../../src/modules/search/query-terms.ts';
import { nearest, pack, VectorCache } from '../../src/modules/search/vector-cache.ts';
import { FAKE_EMBEDDING_MODEL, startFakeEmbeddings } from '../helpers/fake-embeddings.ts';

const unit = (...xs: number[]) => {
  const norm = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / norm));
};

describe('parseKeywordQuery', () => {
  it('keeps letters and digits only, lower-cased and accent-folded, without stop words', () => {
    expect(parseKeywordQuery('What did I say about the Café meeting?')).toEqual({ terms: ['cafe', 'meeting'], prefix: false });
    expect(parseKeywordQuery('"dentist" OR NEAR(a b) *')).toEqual({ terms: ['dentist', 'near', 'b'], prefix: false });
  });

  it('lets the last word match as a prefix only while it is being typed', () => {
    expect(parseKeywordQuery('dentis')).toEqual({ terms: ['dentis'], prefix: true });
    expect(parseKeywordQuery('dentis ')).toEqual({ terms: ['dentis'], prefix: false });
    expect(parseKeywordQuery('plans to')).toEqual({ terms: ['plans'], prefix: false });
  });

  it('keeps stop words when there is nothing else', () => {
    expect(parseKeywordQuery('the who').terms).toEqual(['the', 'who']);
    expect(parseKeywordQuery('?!').terms).toEqual([]);
    expect(parseKeywordQuery('\u1ffd').terms).toEqual([]);
    expect(hasContentWords('what did I do yesterday')).toBe(true);
    expect(hasContentWords('what did I do')).toBe(false);
  });

  it('never lets query syntax through, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const { terms } = parseKeywordQuery(text);
        expect(terms.length).toBeLessThanOrEqual(24);
        for (const term of terms) expect(term).toMatch(/^[\p{L}\p{N}\p{M}]*[\p{L}\p{N}][\p{L}\p{N}\p{M}]*$/u);
      }),
    );
  });
});

describe('reciprocalRankFusion', () => {
  it('ranks what both lists agree on first, scores in [0, 1], 1 for first in every list', () => {
    const fused = reciprocalRankFusion([
      [{ id: 'a', score: 9 }, { id: 'b', score: 5 }],
      [{ id: 'a', score: 0.9 }, { id: 'c', score: 0.8 }, { id: 'b', score: 0.1 }],
    ]);
    expect(fused.map((h) => h.id)).toEqual(['a', 'b', 'c']);
    expect(fused[0]!.score).toBe(1);
    for (const hit of fused) expect(hit.score).toBeGreaterThan(0);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });

  it('keeps a single list in order', () => {
    const list = ['x', 'y', 'z'].map((id, i) => ({ id, score: 3 - i }));
    expect(reciprocalRankFusion([list]).map((h) => h.id)).toEqual(['x', 'y', 'z']);
  });
});

describe('scoreFusion', () => {
  const keyword = [{ id: 'clear', score: 10 }, { id: 'close-a', score: 5 }, { id: 'close-b', score: 4.9 }];

  it('keeps a clear keyword winner first; vectors settle close calls and add documents without the words', () => {
    const vector = [{ id: 'close-b', score: 0.9 }, { id: 'semantic', score: 0.85 }, { id: 'clear', score: 0.3 }];
    const fused = scoreFusion(keyword, vector, 0.2);
    expect(fused.map((h) => h.id)).toEqual(['clear', 'close-b', 'close-a', 'semantic']);
    for (const hit of fused) expect(hit.score).toBeGreaterThan(0);
    for (const hit of fused) expect(hit.score).toBeLessThanOrEqual(1);
  });

  it('scores 1 only for first in both, and is the keyword order when vectors found nothing', () => {
    expect(scoreFusion(keyword, [{ id: 'clear', score: 0.7 }], 0.2)[0]).toEqual({ id: 'clear', score: 1 });
    expect(scoreFusion(keyword, [], 0.2).map((h) => h.id)).toEqual(['clear', 'close-a', 'close-b']);
    expect(scoreFusion([], [], 0.2)).toEqual([]);
  });
});

describe('passages', () => {
  it('splits a transcript into overlapping windows after the summary', () => {
    expect(passagesOf(['a', 'b', 'c', 'd', 'e', 'f'], 'Title. Overview')).toEqual(['Title. Overview', 'a b c d', 'c d e f']);
    expect(passagesOf(['a', 'b'])).toEqual(['a b']);
    expect(passagesOf([], '  ')).toEqual([]);
  });

  it('ranks the conversation where the words come together above one where they are far apart', () => {
    const filler = Array.from({ length: 12 }, (_, i) => `the weather was grey again on day ${i}`);
    const apart = [...filler.slice(0, 6), 'we named the goldfish', ...filler.slice(6), 'the new puppy sleeps a lot'];
    const together = [...filler.slice(0, 3), 'we brought home a puppy', 'and named him Biscuit', ...filler.slice(3, 5)];
    // The keyword index put the scattered one first (more words, a longer text).
    const hits = [{ id: 'apart', score: 3 }, { id: 'together', score: 2.6 }, { id: 'unread', score: 1 }];
    const docs = [
      { id: 'apart', passages: passagesOf(apart) },
      { id: 'together', passages: passagesOf(together) },
    ];
    const ranked = rerankByPassage(hits, docs, ['name', 'puppy']);
    expect(ranked.map((h) => h.id)).toEqual(['together', 'apart', 'unread']);
    // Without query words there is nothing to re-rank by.
    expect(rerankByPassage(hits, docs, []).map((h) => h.id)).toEqual(['apart', 'together', 'unread']);
  });
});

describe('nearest', () => {
  const matrix = pack([
    { id: 'east', vector: unit(1, 0) },
    { id: 'north', vector: unit(0, 1) },
    { id: 'north-east', vector: unit(1, 1) },
    { id: 'west', vector: unit(-1, 0) },
  ]);

  it('returns the most similar first, above the floor, at most limit', () => {
    expect(nearest(unit(1, 0.1), matrix, 10, 0.2).map((h) => h.id)).toEqual(['east', 'north-east']);
    expect(nearest(unit(1, 0.1), matrix, 1, -1).map((h) => h.id)).toEqual(['east']);
    expect(nearest(unit(1, 0, 0), matrix, 10, -1)).toEqual([]);
  });

  it('agrees with sorting every similarity', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.float({ min: -1, max: 1, noNaN: true }), fc.float({ min: -1, max: 1, noNaN: true })), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 10 }), (points, limit) => {
        const vectors = points.filter(([x, y]) => Math.hypot(x, y) > 0.01).map(([x, y], i) => ({ id: `p${String(i).padStart(2, '0')}`, vector: unit(x, y) }));
        const query = unit(0.3, 0.7);
        const expected = vectors
          .map((v) => ({ id: v.id, score: v.vector[0]! * query[0]! + v.vector[1]! * query[1]! }))
          .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
          .slice(0, limit)
          .map((h) => h.id);
        expect(nearest(query, pack(vectors), limit, -2).map((h) => h.id)).toEqual(expected);
      }),
    );
  });
});

describe('VectorCache', () => {
  it('reloads when the generation moves, and evicts the least recently used past its size', async () => {
    const cache = new VectorCache(2 * 8); // room for two 2-dimension vectors
    let loads = 0;
    const load = (id: string) => async () => {
      loads++;
      return [{ id, vector: unit(1, 0) }];
    };
    await cache.get('u1', 'memory', 'm', 1, load('a'));
    await cache.get('u1', 'memory', 'm', 1, load('a'));
    expect(loads).toBe(1);
    expect((await cache.get('u1', 'memory', 'm', 2, load('b'))).ids).toEqual(['b']);
    expect(loads).toBe(2);
    await cache.get('u2', 'memory', 'm', 1, load('c'));
    await cache.get('u3', 'memory', 'm', 1, load('d')); // evicts u1
    await cache.get('u2', 'memory', 'm', 1, load('c'));
    expect(loads).toBe(4);
    await cache.get('u1', 'memory', 'm', 2, load('b'));
    expect(loads).toBe(5);
  });
});

describe('OpenAiEmbeddingsClient', () => {
  it('sends the model and inputs, returns unit vectors in input order', async () => {
    const fake = await startFakeEmbeddings();
    try {
      const client = new OpenAiEmbeddingsClient({ baseUrl: fake.url, apiKey: 'sk-test', model: FAKE_EMBEDDING_MODEL }, { timeoutMs: 5_000 });
      const [a, b] = await client.embed(['dentist appointment', 'dentist appointments']);
      expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
      expect(fake.requests[0]!.body).toEqual({ model: FAKE_EMBEDDING_MODEL, input: ['dentist appointment', 'dentist appointments'] });
      expect(fake.requests[0]!.headers.authorization).toBe('Bearer sk-test');
      const similarity = a!.reduce((sum, x, i) => sum + x * b![i]!, 0);
      expect(similarity).toBeGreaterThan(0.8);
      expect(await client.embed([])).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it.each(['http-500', 'invalid-json', 'wrong-count'] as const)('fails with an EmbeddingsError when the server answers %s', async (mode) => {
    const fake = await startFakeEmbeddings();
    try {
      fake.mode = mode;
      const client = new OpenAiEmbeddingsClient({ baseUrl: fake.url, apiKey: 'sk-secret', model: 'm' }, { timeoutMs: 5_000 });
      const error = await client.embed(['a', 'b']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbeddingsError);
      expect(String((error as Error).message)).not.toContain('sk-secret');
    } finally {
      await fake.close();
    }
  });

  it('fails with a network error when nothing listens', async () => {
    const client = new OpenAiEmbeddingsClient({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: undefined, model: 'm' }, { timeoutMs: 5_000 });
    await expect(client.embed(['a'])).rejects.toMatchObject({ reason: 'network' });
  });
});
