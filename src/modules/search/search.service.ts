import { createHash } from 'node:crypto';
import type { JobQueue } from '../../jobs/job-queue.ts';
import type { JobHandler, JobLogger } from '../../jobs/job-runner.ts';
import type { Embedder } from '../../processing/embeddings/embeddings-client.ts';
import type { Repositories, Storage } from '../../storage/storage.ts';
import { reciprocalRankFusion, scoreFusion } from './fusion.ts';
import { passagesOf, rerankByPassage } from './passages.ts';
import { parseKeywordQuery } from './query-terms.ts';
import type { Hit, SearchKind } from './search.types.ts';
import { nearest, VectorCache } from './vector-cache.ts';

export const EMBED_JOB = 'search.embed';

/** Each retriever contributes at least this many candidates to the fusion. */
const MIN_CANDIDATES = 50;
/**
 * What vectors weigh beside keywords in the fused score (keywords weigh 1). Reciprocal-rank fusion
 * let a weak embedding model reorder a clear keyword ranking: on the long conversation history,
 * answering-conversation-first fell from 82 % to 31 %. By score, a memory's or action item's
 * vector (of its whole text) may weigh as much as its words. A conversation's
 * vector is of its title and overview only, while its keyword score reads every passage of the
 * transcript: there vectors do not reorder the keyword matches (even a small weight flipped near
 * ties the wrong way more often than the right one) but add, after them, the conversations that
 * share no word with the question. Measured with `npm run eval:search`.
 */
export const VECTOR_WEIGHT: Record<SearchKind, number> = { memory: 1, action_item: 1, conversation: 0 };
/** How many of a conversation search's best keyword matches are re-ranked by their best passage. */
const PASSAGE_POOL = 30;
/** Below this cosine similarity a vector neighbour is treated as unrelated, not as a match. */
export const MIN_SIMILARITY = 0.2;
/** Documents embedded per job (one embeddings request); a longer backlog queues the next job. */
const EMBED_BATCH = 64;
/** Characters of a document sent to the embeddings endpoint. */
const MAX_EMBED_CHARS = 8_000;
const QUERY_CACHE_SIZE = 256;
/** How long a search waits for its query's embedding before answering from keywords alone. */
export const QUERY_EMBEDDING_TIMEOUT_MS = 3_000;
/** In-process copies of users' vectors (100,000 memories at 768 dimensions take 300 MB). */
const VECTOR_CACHE_BYTES = 512 * 1024 * 1024;

const VECTOR_KINDS: ReadonlySet<SearchKind> = new Set(['memory', 'conversation', 'action_item']);
/** A conversation's transcript as lines: its segments, or its text (a text conversation) cut into sentences. */
const transcriptLines = (c: { segments: { text: string }[]; text: string | null }): string[] =>
  c.segments.length > 0 ? c.segments.map((s) => s.text) : (c.text ?? '').split(/(?<=[.!?])\s+|\n+/u).filter((line) => line.trim() !== '');
const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/** What `reindex` reports as it goes: the keyword index once rebuilt, then each embedded batch. */
export type ReindexProgress =
  | { phase: 'keyword'; documents: number }
  | { phase: 'embeddings'; embedded: number; users: number; usersDone: number };

/**
 * Finding a user's memories, conversations and action items by the words a person would use.
 * Keyword matches come from the database's full-text index, which triggers keep in step with
 * every write. With an embeddings endpoint configured, memories, conversations and action items are also
 * embedded by background jobs, and the two are fused by score (fusion.ts).
 */
export class SearchService {
  private readonly queryVectors = new Map<string, Float32Array>();
  /** Embeds search queries: the same model, with a shorter timeout than background jobs. */
  private readonly queryEmbedder: Embedder | undefined;
  private readonly vectorCache = new VectorCache(VECTOR_CACHE_BYTES);

  constructor(
    private readonly storage: Storage,
    private readonly queue: JobQueue,
    private readonly embedder: Embedder | undefined,
    private readonly log: JobLogger,
    options: { queryEmbedder?: Embedder | undefined } = {},
  ) {
    this.queryEmbedder = options.queryEmbedder ?? embedder;
  }


  /** Whether vector search is configured. */
  get hybrid(): boolean {
    return this.embedder !== undefined;
  }

  /** The user's best `limit` documents of `kind` for `text`, best first, scores in [0, 1]. */
  async rank(userId: string, kind: SearchKind, text: string, limit: number): Promise<Hit[]> {
    const depth = Math.max(limit, MIN_CANDIDATES);
    const query = parseKeywordQuery(text);
    const [matches, vector] = await Promise.all([
      this.storage.search.keyword(userId, kind, query, depth),
      this.vectorHits(userId, kind, text, depth),
    ]);
    const fused = vector === undefined ? matches : scoreFusion(matches, vector, VECTOR_WEIGHT[kind]);
    const ranked = kind === 'conversation' ? await this.byPassage(userId, fused, matches, query.terms) : fused;
    // Keyword scores (BM25) have no fixed scale: alone, they become rank-based scores in [0, 1].
    return (vector === undefined ? reciprocalRankFusion([ranked]) : ranked).slice(0, limit);
  }

  /**
   * Conversations re-ranked by their best transcript passage (passages.ts). The passages read are
   * those of the best PASSAGE_POOL keyword matches, whatever vectors add: a word's rarity is
   * measured among the conversations that have the query's words.
   */
  private async byPassage(userId: string, hits: Hit[], matches: Hit[], terms: string[]): Promise<Hit[]> {
    if (hits.length < 2 || matches.length === 0) return hits;
    const ids = matches.slice(0, PASSAGE_POOL).map((h) => h.id);
    const conversations = await this.storage.conversations.list(userId, { ids, limit: ids.length, offset: 0, withTranscript: true });
    const documents = conversations.map((c) => ({ id: c.id, passages: passagesOf(transcriptLines(c), `${c.title}. ${c.overview}`) }));
    return rerankByPassage(hits, documents, terms);
  }

  /**
   * The candidates for a list route's `q`: up to MAX_SEARCH_CANDIDATES matches, best first, or
   * undefined when `q` is absent or has no letters or digits (then it filters nothing).
   */
  async candidates(userId: string, kind: SearchKind, q: string | null | undefined): Promise<Hit[] | undefined> {
    if (q == null || parseKeywordQuery(q).terms.length === 0) return undefined;
    return this.rank(userId, kind, q, MAX_SEARCH_CANDIDATES);
  }

  /**
   * Asks for the user's new or changed documents to be embedded, inside the transaction that
   * changed them (a no-op without embeddings). The caller notifies the queue after commit.
   */
  async changed(tx: Repositories, userId: string): Promise<void> {
    if (!this.embedder) return;
    await this.queue.enqueue(tx, { userId, kind: EMBED_JOB, payload: {}, dedupeKey: `${EMBED_JOB}:${userId}` });
  }

  /**
   * Runs `work` in one transaction that also asks for the user's documents to be (re-)embedded,
   * and wakes the job runner once it has committed.
   */
  async write<T>(userId: string, work: (tx: Repositories) => Promise<T>): Promise<T> {
    const result = await this.storage.transaction(async (tx) => {
      const value = await work(tx);
      await this.changed(tx, userId);
      return value;
    });
    this.committed();
    return result;
  }

  /** Wakes this process's job runner after a commit that called `changed`. */
  committed(): void {
    if (this.embedder) this.queue.notify();
  }

  /** Queues embedding for every user with documents not yet embedded by the current model (start-up). */
  async enqueueBacklog(): Promise<number> {
    if (!this.embedder) return 0;
    const users = await this.storage.search.usersWithPendingEmbeddings(this.embedder.model);
    for (const userId of users) await this.storage.transaction((tx) => this.changed(tx, userId));
    if (users.length > 0) this.queue.notify();
    return users.length;
  }

  /**
   * Rebuilds the keyword index; with embeddings configured, also embeds every pending document
   * now (`reembed`: every document).
   */
  async reindex(options: { reembed: boolean; onProgress?: (progress: ReindexProgress) => void }): Promise<{ documents: number; embedded: number }> {
    const documents = await this.storage.transaction((tx) => tx.search.rebuildKeywordIndex());
    options.onProgress?.({ phase: 'keyword', documents });
    let embedded = 0;
    if (this.embedder) {
      if (options.reembed) await this.storage.search.clearVectors();
      const users = await this.storage.search.usersWithPendingEmbeddings(this.embedder.model);
      for (const [done, userId] of users.entries()) {
        for (;;) {
          const { effect, count } = await this.embedBatch(userId);
          if (count === 0) break;
          await this.storage.transaction(effect);
          embedded += count;
          options.onProgress?.({ phase: 'embeddings', embedded, users: users.length, usersDone: done });
        }
      }
    }
    return { documents, embedded };
  }

  /** The background job: embeds a batch of the user's pending documents, then queues the rest. */
  readonly embedJob: JobHandler = {
    run: async (job) => {
      const { effect, count } = await this.embedBatch(job.userId);
      return async (tx) => {
        await effect(tx);
        if (count === EMBED_BATCH) await this.changed(tx, job.userId);
      };
    },
  };

  private async embedBatch(userId: string) {
    const embedder = this.embedder!;
    const pending = await this.storage.search.pendingEmbeddings(userId, embedder.model, EMBED_BATCH);
    const docs = pending.map((doc) => ({ ...doc, digest: digest(doc.text) }));
    // A row touched without a change to its text (filed in a folder, say) keeps its vector.
    const changed = docs.filter((doc) => doc.digest !== doc.storedDigest);
    const vectors = await embedder.embed(changed.map((doc) => doc.text.slice(0, MAX_EMBED_CHARS)));
    const effect = async (tx: Repositories) => {
      for (const [i, doc] of changed.entries()) await tx.search.saveVector(userId, doc, embedder.model, vectors[i]!);
      for (const doc of docs) if (doc.digest === doc.storedDigest) await tx.search.markCurrent(userId, doc);
    };
    return { effect, count: pending.length };
  }

  /** Vector neighbours, or undefined when vector search does not apply or the endpoint failed. */
  private async vectorHits(userId: string, kind: SearchKind, text: string, limit: number): Promise<Hit[] | undefined> {
    if (!this.embedder || !VECTOR_KINDS.has(kind)) return undefined;
    const { model } = this.embedder;
    const generation = await this.storage.search.vectorGeneration(userId);
    if (generation === 0) return [];
    const matrix = await this.vectorCache.get(userId, kind, model, generation, () => this.storage.search.vectors(userId, kind, model));
    if (matrix.ids.length === 0) return [];
    const query = await this.embedQuery(text);
    return query && nearest(query, matrix, limit, MIN_SIMILARITY);
  }

  private async embedQuery(text: string): Promise<Float32Array | undefined> {
    const cached = this.queryVectors.get(text);
    if (cached) return cached;
    try {
      const [vector] = await this.queryEmbedder!.embed([text]);
      if (this.queryVectors.size >= QUERY_CACHE_SIZE) this.queryVectors.delete(this.queryVectors.keys().next().value!);
      this.queryVectors.set(text, vector!);
      return vector;
    } catch (error) {
      // Keyword results still answer; the operator sees why vectors were left out.
      this.log.warn({ err: error instanceof Error ? error.message : 'unexpected' }, 'Query embedding failed; searching by keywords only');
      return undefined;
    }
  }
}


/** How many of the best matches a `q` filter on a list route considers. */
export const MAX_SEARCH_CANDIDATES = 1_000;

/**
 * A list route with `q`: the best matches, narrowed by the route's other filters (`load`
 * applies them to the candidate ids), in relevance order, then paged. Candidates are loaded in
 * rank order, a chunk at a time, until the page is full: a first page reads a few rows, not all.
 */
export async function rankedPage<T extends { id: string }>(
  hits: readonly Hit[],
  load: (ids: string[]) => Promise<T[]>,
  page: { offset: number; limit: number },
): Promise<T[]> {
  const wanted = page.offset + page.limit;
  const chunk = Math.max(2 * wanted, 100);
  const found: T[] = [];
  for (let start = 0; start < hits.length && found.length < wanted; start += chunk) {
    const ids = hits.slice(start, start + chunk).map((hit) => hit.id);
    const byId = new Map((await load(ids)).map((row) => [row.id, row]));
    for (const id of ids) if (byId.has(id)) found.push(byId.get(id)!);
  }
  return found.slice(page.offset, wanted);
}
