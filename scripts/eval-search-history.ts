/**
 * Retrieval over a long multi-session conversation history (test/fixtures/search/history): each
 * person's sessions are ingested through `POST /v1/dev/user/conversations/from-segments` into a
 * fresh in-process server (one account per person, background jobs run), then every question of
 * the chosen split is asked of `GET /v1/dev/user/conversations?q=`, `POST /v1/dev/user/ask` and
 * `GET /v1/dev/user/memories/vector/search`, beside a naive BM25 over the raw transcripts.
 */
import { readFileSync } from 'node:fs';
import { NO_MATCH_ANSWER } from '../src/modules/ask/ask.service.ts';
import { ALL_SCOPES, createTestContext } from '../test/helpers/context.ts';
import { FAKE_EMBEDDING_MODEL, startFakeEmbeddings } from '../test/helpers/fake-embeddings.ts';
import type { History, HistoryQuestion } from '../test/fixtures/search/history/generate.ts';

export interface HistoryScores {
  questions: number;
  top1: number;
  mrr: number;
  askHit: number;
  askNothing: number;
  memoriesAnswered: number;
  memoriesHit: number;
  bm25Top1: number;
  bm25Mrr: number;
  /** Memories the pipeline extracted from the ingested sessions. */
  memories: number;
  misses: { question: HistoryQuestion; top: string[] }[];
}

export const loadHistory = (): History =>
  JSON.parse(readFileSync(new URL('../test/fixtures/search/history/history.json', import.meta.url), 'utf8')) as History;

const rr = (ranked: string[], relevant: string[]) => {
  const at = ranked.slice(0, 10).findIndex((id) => relevant.includes(id));
  return at === -1 ? 0 : 1 / (at + 1);
};

/** The naive baseline: BM25 (k1 1.2, b 0.75) over each session's raw transcript, lower-cased words. */
export function naiveBm25(docs: { id: string; text: string }[]): (query: string) => string[] {
  const tokens = (t: string) => t.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const stop = new Set('a an the is are was were do does did what who whom which when where why how of to in on at for with and or i my me you your he she it they their his her'.split(' '));
  const bags = docs.map((d) => {
    const bag = new Map<string, number>();
    const words = tokens(d.text);
    for (const w of words) bag.set(w, (bag.get(w) ?? 0) + 1);
    return { id: d.id, bag, length: words.length };
  });
  const avg = bags.reduce((n, b) => n + b.length, 0) / Math.max(1, bags.length);
  const df = new Map<string, number>();
  for (const b of bags) for (const w of b.bag.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  return (query) => {
    const terms = [...new Set(tokens(query).filter((w) => !stop.has(w)))];
    return bags
      .map((b) => {
        let score = 0;
        for (const t of terms) {
          const tf = b.bag.get(t) ?? 0;
          if (tf === 0) continue;
          const idf = Math.log(1 + (bags.length - df.get(t)! + 0.5) / (df.get(t)! + 0.5));
          score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * b.length) / avg));
        }
        return { id: b.id, score };
      })
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
      .map((s) => s.id);
  };
}

/** Ingests the history and scores the questions of `split`, keyword-only or with (fake) embeddings. */
export async function evaluateHistory(mode: 'keyword' | 'hybrid', split: 'tune' | 'test' | 'all', people?: number[]): Promise<HistoryScores> {
  const history = loadHistory();
  const fake = mode === 'hybrid' ? await startFakeEmbeddings() : undefined;
  const env: Record<string, string> = { OMI_RATE_LIMIT_MULTIPLIER: '0' };
  if (fake) Object.assign(env, { OMI_EMBEDDINGS_BASE_URL: fake.url, OMI_EMBEDDINGS_MODEL: FAKE_EMBEDDING_MODEL });
  const ctx = await createTestContext(env);
  const scores: HistoryScores = { questions: 0, top1: 0, mrr: 0, askHit: 0, askNothing: 0, memoriesAnswered: 0, memoriesHit: 0, bm25Top1: 0, bm25Mrr: 0, memories: 0, misses: [] };
  try {
    for (const [p, person] of history.people.entries()) {
      if (people && !people.includes(p)) continue;
      const user = await ctx.services.accounts.createUser({ email: `person${p}@example.com`, name: person.user, password: 'evaluation' });
      const { secret: key } = await ctx.services.apiKeys.create(user.id, { name: 'eval', scopes: ALL_SCOPES });
      // Session id → conversation id, and the transcripts for the baseline.
      const ids = new Map<string, string>();
      for (const session of person.sessions) {
        let at = 0;
        const transcript_segments = session.segments.map((s) => {
          const start = at;
          at += 2 + s.text.length / 15;
          return { text: s.text, speaker: s.speaker, is_user: s.is_user, start, end: at };
        });
        const res = await ctx.call('POST', '/v1/dev/user/conversations/from-segments', key, { transcript_segments, started_at: session.started_at });
        if (res.statusCode !== 200) throw new Error(`ingest ${session.id}: ${res.statusCode} ${res.body}`);
        ids.set((res.json() as { id: string }).id, session.id);
      }
      while ((await ctx.drainJobs()) > 0);
      const bm25 = naiveBm25(person.sessions.map((s) => ({ id: s.id, text: s.segments.map((g) => g.text).join(' ') })));
      const memorySession = new Map(
        (await ctx.storage.memories.list(user.id, { limit: 10_000, offset: 0 })).map((m) => [m.id, ids.get(m.conversationId ?? '') ?? '']),
      );
      scores.memories += memorySession.size;
      for (const q of history.questions.filter((x) => x.person === p && (split === 'all' || x.split === split))) {
        scores.questions++;
        const enc = encodeURIComponent(q.question);
        const listed = (await ctx.call('GET', `/v1/dev/user/conversations?q=${enc}&limit=10`, key)).json() as { id: string }[];
        const ranked = listed.map((c) => ids.get(c.id) ?? c.id);
        const r = rr(ranked, q.relevant);
        scores.mrr += r;
        if (r === 1) scores.top1++;
        else scores.misses.push({ question: q, top: ranked.slice(0, 3) });
        const baseline = rr(bm25(q.question), q.relevant);
        scores.bm25Mrr += baseline;
        if (baseline === 1) scores.bm25Top1++;
        const ask = (await ctx.call('POST', '/v1/dev/user/ask', key, { question: q.question })).json() as { answer: string; sources: { id: string }[] };
        if (ask.answer === NO_MATCH_ANSWER) scores.askNothing++;
        if (ask.sources.some((s) => q.relevant.includes(ids.get(s.id) ?? ''))) scores.askHit++;
        const found = (await ctx.call('GET', `/v1/dev/user/memories/vector/search?query=${enc}&limit=5`, key)).json() as { memories: { memory: { id: string } }[] };
        const memories = found.memories ?? [];
        if (memories.length > 0) scores.memoriesAnswered++;
        if (memories.some((m) => q.relevant.includes(memorySession.get(m.memory.id) ?? ''))) scores.memoriesHit++;
      }
    }
  } finally {
    await ctx.close();
    await fake?.close();
  }
  return scores;
}

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;

/** The table printed by `npm run eval:search` for the history's test split. */
export function printHistory(keyword: HistoryScores, hybrid: HistoryScores, split: string, verbose: boolean): void {
  const n = keyword.questions;
  console.log(`Long conversation history (${split} split): ${n} questions over ${loadHistory().people.reduce((s, p) => s + p.sessions.length, 0)} sessions of ${loadHistory().people.length} people\n`);
  console.log(`${''.padEnd(44)} ${'keyword'.padStart(9)} ${'hybrid'.padStart(9)}`);
  const row = (label: string, k: string, h: string) => console.log(`${label.padEnd(44)} ${k.padStart(9)} ${h.padStart(9)}`);
  row('conversations?q= answering session first', pct(keyword.top1, n), pct(hybrid.top1, n));
  row('conversations?q= MRR@10', (keyword.mrr / n).toFixed(3), (hybrid.mrr / n).toFixed(3));
  row('naive BM25 over raw transcripts: first', pct(keyword.bm25Top1, n), pct(hybrid.bm25Top1, n));
  row('naive BM25 over raw transcripts: MRR@10', (keyword.bm25Mrr / n).toFixed(3), (hybrid.bm25Mrr / n).toFixed(3));
  row('ask: an answering session among sources', pct(keyword.askHit, n), pct(hybrid.askHit, n));
  row('ask: "nothing found" answers', String(keyword.askNothing), String(hybrid.askNothing));
  row('memories extracted from the sessions', String(keyword.memories), String(hybrid.memories));
  row('memories/vector/search: any result', pct(keyword.memoriesAnswered, n), pct(hybrid.memoriesAnswered, n));
  row('memories/vector/search: from an answering session', pct(keyword.memoriesHit, n), pct(hybrid.memoriesHit, n));
  console.log('');
  if (verbose) for (const m of keyword.misses) console.log(`  miss ${m.question.id} "${m.question.question}" want ${m.question.relevant.join(',')} got ${m.top.join(',') || '-'}`);
}
