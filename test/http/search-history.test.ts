import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateHistory, type HistoryScores } from '../../scripts/eval-search-history.ts';

/**
 * Retrieval over one person's long conversation history (test/fixtures/search/history: 30
 * sessions of chit-chat with facts scattered through them, 52 labelled questions), ingested over
 * HTTP with the background jobs run, on the database under test: question-style queries find the
 * answering conversation, better than a plain BM25 over the raw transcripts, and embeddings (the
 * fake endpoint) never make a figure worse than keywords alone.
 */
describe('search over a long conversation history', () => {
  let keyword: HistoryScores;
  let hybrid: HistoryScores;

  beforeAll(async () => {
    keyword = await evaluateHistory('keyword', 'all', [1]);
    hybrid = await evaluateHistory('hybrid', 'all', [1]);
  }, 300_000);

  it('ranks an answering conversation first for at least 80 % of the questions, MRR@10 at least 0.85', () => {
    expect(keyword.questions).toBe(52);
    expect(keyword.top1 / keyword.questions).toBeGreaterThanOrEqual(0.8);
    expect(keyword.mrr / keyword.questions).toBeGreaterThanOrEqual(0.85);
  });

  it('beats a naive BM25 over the raw transcripts', () => {
    expect(keyword.top1).toBeGreaterThan(keyword.bm25Top1);
    expect(keyword.mrr).toBeGreaterThan(keyword.bm25Mrr);
  });

  it('ask cites an answering conversation for most questions and never answers "nothing found"', () => {
    expect(keyword.askHit / keyword.questions).toBeGreaterThanOrEqual(0.85);
    expect(keyword.askNothing).toBe(0);
  });

  it('with an embeddings endpoint every figure is at least as good as keywords alone', () => {
    expect(hybrid.questions).toBe(keyword.questions);
    expect(hybrid.top1).toBeGreaterThanOrEqual(keyword.top1);
    expect(hybrid.mrr).toBeGreaterThanOrEqual(keyword.mrr - 1e-9);
    expect(hybrid.askHit).toBeGreaterThanOrEqual(keyword.askHit);
    expect(hybrid.askNothing).toBeLessThanOrEqual(keyword.askNothing);
    expect(hybrid.memoriesHit).toBeGreaterThanOrEqual(keyword.memoriesHit);
  });
});
