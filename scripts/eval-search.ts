/**
 * Retrieval quality over a labelled corpus (test/fixtures/search): one person's 192 memories, 87
 * conversations and 91 action items, and 52 queries written as a person would ask them, each
 * with every item that answers it. Prints recall@5 and MRR@10 for keyword search alone and for
 * hybrid search (keywords fused with vectors from the deterministic local fake embeddings
 * server), overall, per kind and per query style.
 *
 * Before that, the long conversation history (test/fixtures/search/history, see its README):
 * conversations, ask and memories figures for its test split, beside a naive BM25 baseline.
 *
 * Run: `npm run eval:search` (add `--verbose` to list each query's misses, `--split tune` to look
 * at the tuning half of the history instead, `--history-only` to skip the 52-query set).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../src/config/config.ts';
import { systemClock } from '../src/lib/time.ts';
import type { SearchKind } from '../src/modules/search/search.types.ts';
import { createServices } from '../src/services.ts';
import { openStorage } from '../src/storage/index.ts';
import { FAKE_EMBEDDING_MODEL, startFakeEmbeddings } from '../test/helpers/fake-embeddings.ts';
import { storedActionItem, storedConversation, storedMemory } from '../test/helpers/records.ts';
import { evaluateHistory, printHistory } from './eval-search-history.ts';

interface Corpus {
  user: { name: string };
  memories: { id: string; content: string; category: string }[];
  conversations: {
    id: string;
    title: string;
    overview: string;
    category: string;
    started_at: string;
    duration_minutes: number;
    transcript: { speaker: string; is_user: boolean; text: string }[];
  }[];
  action_items: { id: string; description: string; completed: boolean }[];
}

interface Query {
  id: string;
  kind: 'memories' | 'conversations' | 'action_items';
  query: string;
  relevant: string[];
  style: string;
}

const KIND: Record<Query['kind'], SearchKind> = { memories: 'memory', conversations: 'conversation', action_items: 'action_item' };

export interface QueryScore {
  query: Query;
  recallAt5: number;
  reciprocalRank: number;
  top: string[];
}

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../test/fixtures/search/${name}`, import.meta.url), 'utf8')) as unknown;

/** Loads the corpus into a fresh in-memory database and scores every query. */
export async function evaluate(mode: 'keyword' | 'hybrid'): Promise<QueryScore[]> {
  const corpus = fixture('corpus.json') as Corpus;
  const queries = fixture('queries.json') as Query[];
  const fake = mode === 'hybrid' ? await startFakeEmbeddings() : undefined;
  const env: Record<string, string> = { OMI_DATABASE_URL: 'sqlite::memory:' };
  if (fake) Object.assign(env, { OMI_EMBEDDINGS_BASE_URL: fake.url, OMI_EMBEDDINGS_MODEL: FAKE_EMBEDDING_MODEL });
  const config = parseConfig(env);
  const storage = await openStorage(config.databaseUrl);
  try {
    const services = createServices(config, storage);
    const user = await services.accounts.createUser({ email: 'eval@example.com', name: corpus.user.name, password: 'evaluation' });
    await seed(storage, user.id, corpus);
    await services.search.reindex({ reembed: false });
    const scores: QueryScore[] = [];
    for (const query of queries) {
      const hits = await services.search.rank(user.id, KIND[query.kind], query.query, 10);
      const top = hits.map((h) => h.id);
      const found = query.relevant.filter((id) => top.slice(0, 5).includes(id)).length;
      const first = top.findIndex((id) => query.relevant.includes(id));
      scores.push({ query, recallAt5: found / query.relevant.length, reciprocalRank: first === -1 ? 0 : 1 / (first + 1), top });
    }
    return scores;
  } finally {
    await storage.close();
    await fake?.close();
  }
}

async function seed(storage: Awaited<ReturnType<typeof openStorage>>, userId: string, corpus: Corpus): Promise<void> {
  const now = systemClock.now().toISOString();
  await storage.transaction(async (tx) => {
    for (const m of corpus.memories) {
      await tx.memories.upsert(storedMemory(userId, { id: m.id, content: m.content, category: m.category, createdAt: now, updatedAt: now }));
    }
    for (const c of corpus.conversations) {
      const started = Date.parse(c.started_at);
      let at = 0;
      const segments = c.transcript.map((s, i) => {
        const start = at;
        at += 5 + s.text.length / 15;
        return { id: `${c.id}-${i}`, text: s.text, speaker: s.speaker, speakerId: Number(s.speaker.slice(-2)), isUser: s.is_user, personId: null, start, end: at };
      });
      await tx.conversations.insert(
        storedConversation(userId, {
          id: c.id,
          createdAt: c.started_at,
          updatedAt: c.started_at,
          startedAt: new Date(started).toISOString(),
          finishedAt: new Date(started + c.duration_minutes * 60_000).toISOString(),
          title: c.title,
          overview: c.overview,
          category: c.category,
          segments,
        }),
      );
    }
    for (const a of corpus.action_items) {
      await tx.actionItems.insert(
        storedActionItem(userId, { id: a.id, description: a.description, completed: a.completed, createdAt: now, updatedAt: now, completedAt: a.completed ? now : null }),
      );
    }
  });
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const pct = (x: number) => `${(x * 100).toFixed(0)}%`.padStart(5);

function rows(scores: QueryScore[], key: (s: QueryScore) => string): Map<string, QueryScore[]> {
  const groups = new Map<string, QueryScore[]>([['all', scores]]);
  for (const s of scores) groups.set(key(s), [...(groups.get(key(s)) ?? []), s]);
  return groups;
}

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  // The history's test split unless `--split tune` (or `all`) is given: tuning looks only at the tuning half.
  const at = process.argv.indexOf('--split');
  const split = at === -1 ? 'test' : process.argv[at + 1];
  if (split !== 'tune' && split !== 'test' && split !== 'all') throw new Error('--split takes tune, test or all');
  printHistory(await evaluateHistory('keyword', split), await evaluateHistory('hybrid', split), split, verbose);
  if (process.argv.includes('--history-only')) return;
  const keyword = await evaluate('keyword');
  const hybrid = await evaluate('hybrid');
  const corpus = fixture('corpus.json') as Corpus;
  const items = corpus.memories.length + corpus.conversations.length + corpus.action_items.length;
  console.log(`Search quality: ${keyword.length} queries over ${items} items (recall@5 / MRR@10)\n`);
  console.log(`${'group'.padEnd(16)} ${'n'.padStart(3)}   ${'keyword'.padEnd(13)}   hybrid (fake embeddings)`);
  for (const [index, by] of [(s: QueryScore) => s.query.kind, (s: QueryScore) => s.query.style].entries()) {
    const k = rows(keyword, by);
    const h = rows(hybrid, by);
    for (const [group, list] of k) {
      if (index > 0 && group === 'all') continue;
      const hl = h.get(group)!;
      console.log(
        `${group.padEnd(16)} ${String(list.length).padStart(3)}   ${pct(mean(list.map((s) => s.recallAt5)))} / ${mean(list.map((s) => s.reciprocalRank)).toFixed(2)}     ${pct(mean(hl.map((s) => s.recallAt5)))} / ${mean(hl.map((s) => s.reciprocalRank)).toFixed(2)}`,
      );
    }
    console.log('');
  }
  if (verbose) {
    for (const [i, s] of hybrid.entries()) {
      const k = keyword[i]!;
      if (s.recallAt5 === 1 && k.recallAt5 === 1) continue;
      console.log(`${s.query.id} [${s.query.style}] "${s.query.query}" want ${s.query.relevant.join(',')}`);
      console.log(`   keyword ${k.top.slice(0, 5).join(',') || '-'}   hybrid ${s.top.slice(0, 5).join(',') || '-'}`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
