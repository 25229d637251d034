import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Hit, KeywordQuery, PendingDocument, SearchKind, StoredVector } from '../../modules/search/search.types.ts';
import type { Database, StoredVectorValue } from '../schema.ts';
import type { SearchRepository } from '../storage.ts';

/**
 * What each searchable table is to the keyword index, whichever database holds it. Migration 0003
 * builds its triggers from this (and from each adapter's keyword-index.ts): a change here changes
 * what new databases get, so it needs a new migration that recreates the triggers and rebuilds.
 */
export interface SearchableTable {
  table: string;
  /** Columns whose change re-indexes the row. */
  columns: string[];
  /** Columns the row's embedding is made from: a change drops its vector until it is embedded again. */
  embedded: string[];
  /** The text shown to the user (alias `src`); words found in it as typed rank higher. */
  surface: string;
  /**
   * How much higher a document ranks when all the query's words are in its surface as typed.
   * None for conversations: their surface is a title and overview drawn from the transcript, so
   * it favours the conversations whose summary happens to repeat a question's words over the
   * one whose transcript answers it (measured on the long conversation history).
   */
  typedBoost: number;
  /** Which rows searches may return (alias `src`); the rest stay indexed, as they may become visible again. */
  visible: string;
}

export const SEARCHABLE: Record<SearchKind, SearchableTable> = {
  memory: {
    table: 'memories',
    columns: ['content', 'tags'],
    embedded: ['content'],
    surface: 'src.content',
    typedBoost: 0.5,
    visible: 'src.invalid_at is null and (src.user_review is null or src.user_review = 1)',
  },
  conversation: {
    table: 'conversations',
    columns: ['title', 'overview', 'text', 'transcript_segments'],
    embedded: ['title', 'overview'],
    surface: `src.title || ' ' || src.overview`,
    typedBoost: 0,
    visible: `src.status = 'completed' and src.discarded = 0`,
  },
  action_item: {
    table: 'action_items',
    columns: ['description'],
    embedded: ['description'],
    surface: 'src.description',
    typedBoost: 0.5,
    visible: '1 = 1',
  },
};

/** SQL that removes a row's vector and tells in-process copies (trigger bodies, row alias `old`). */
export const forgetVectorSql = (kind: SearchKind) =>
  `delete from search_vectors where user_id = old.user_id and kind = '${kind}' and ref_id = old.id;
      update search_vector_generations set generation = generation + 1 where user_id = old.user_id;`;

/**
 * The part of a keyword search both databases share. `pool` (the dialect's index query) yields
 * `id, user_id, score` for the best matches; they are joined to the source rows for visibility,
 * and a document that shows the query words as typed ranks up to half again higher than one that
 * only shares their stems ("meeting" also matches "meet"). `contains(haystack, needle)` is the
 * dialect's substring test.
 */
export async function rankPool(
  db: Kysely<Database>,
  kind: SearchKind,
  query: KeywordQuery,
  limit: number,
  pool: RawBuilder<unknown>,
  contains: (haystack: RawBuilder<unknown>, needle: string) => RawBuilder<unknown>,
): Promise<Hit[]> {
  const source = SEARCHABLE[kind];
  const surface = sql.raw(`lower(${source.surface})`);
  const asTyped = sql.join(
    query.terms.map((t) => sql`(case when ${contains(surface, t)} then 1.0 else 0.0 end)`),
    sql` + `,
  );
  const { rows } = await sql<{ id: string; score: number | string }>`
    select c.id, c.score * (1.0 + ${sql.raw(source.typedBoost.toFixed(2))} * (${asTyped}) / ${query.terms.length}) as score
    from (${pool}) c
    join ${sql.table(source.table)} src on src.user_id = c.user_id and src.id = c.id
    where ${sql.raw(source.visible)}
    order by score desc, c.id
    limit ${limit}`.execute(db);
  return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
}

/**
 * How many of the index's best matches are read from the source table (for visibility and the
 * words-as-typed boost) to return `limit`: the index ranks every match cheaply, reading rows
 * does not scale with the number of matches.
 */
export const poolSize = (limit: number): number => limit + 200;

/** The one part of search each database does its own way: full-text matching and ranking. */
export interface KeywordIndex {
  /** The user's visible documents of `kind` matching any query word, best first. */
  search(db: Kysely<Database>, userId: string, kind: SearchKind, query: KeywordQuery, limit: number): Promise<Hit[]>;
  /** Re-indexes every row of every source table; returns how many documents it indexed. */
  rebuild(db: Kysely<Database>): Promise<number>;
}

/** Embeddings are kept for memories (content), conversations (title and overview) and action items (description). */
const EMBEDDED = {
  memory: { table: 'memories', text: sql<string>`src.content`, eligible: sql.raw(SEARCHABLE.memory.visible) },
  conversation: {
    table: 'conversations',
    text: sql<string>`src.title || '. ' || src.overview`,
    eligible: sql`src.status = 'completed' and src.discarded = 0`,
  },
  action_item: { table: 'action_items', text: sql<string>`src.description`, eligible: sql`1 = 1` },
} as const;

export type EmbeddedKind = keyof typeof EMBEDDED;
export const EMBEDDED_KINDS = Object.keys(EMBEDDED) as EmbeddedKind[];

/** How a database column holds a vector. */
export interface VectorCodec {
  /** What a search selects as `vector` (the fastest form for the driver to hand over). */
  select: RawBuilder<StoredVectorValue>;
  encode(vector: Float32Array): StoredVectorValue;
  /** Reads the column as stored, or as `select` yields it. */
  decode(value: StoredVectorValue): Float32Array;
}

/** SQLite: a BLOB of little-endian float32. */
export const blobVectors: VectorCodec = {
  select: sql<StoredVectorValue>`vector`,
  encode: (vector) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
  // A copy, so the Float32Array is aligned whatever the driver's buffer offset.
  decode: (value) => new Float32Array(new Uint8Array(value as Uint8Array).buffer),
};

/**
 * PostgreSQL: `real[]`, readable and usable in SQL. Searches read it through `array_send` (the
 * binary array format) because node-postgres parses a text `real[]` several times slower.
 */
export const arrayVectors: VectorCodec = {
  select: sql<StoredVectorValue>`array_send(vector)`,
  encode: (vector) => Array.from(vector),
  decode: (value) => (Array.isArray(value) ? Float32Array.from(value) : fromArraySend(value)),
};

/** A one-dimensional float4 array in PostgreSQL's binary format: a header, then (length, value) pairs. */
function fromArraySend(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getInt32(0) === 0) return new Float32Array(0);
  const length = view.getInt32(12);
  const vector = new Float32Array(length);
  for (let i = 0, offset = 20; i < length; i++, offset += 8) vector[i] = view.getFloat32(offset + 4);
  return vector;
}

export function searchRepository(db: Kysely<Database>, keywordIndex: KeywordIndex, codec: VectorCodec): SearchRepository {
  return {
    keyword: (userId, kind, query, limit) => keywordIndex.search(db, userId, kind, query, limit),
    rebuildKeywordIndex: () => keywordIndex.rebuild(db),

    async vectors(userId, kind, model): Promise<StoredVector[]> {
      const rows = await db
        .selectFrom('search_vectors')
        .select(['ref_id', codec.select.as('vector')])
        .where('user_id', '=', userId)
        .where('kind', '=', kind)
        .where('model', '=', model)
        .execute();
      return rows.map((r) => ({ id: r.ref_id, vector: codec.decode(r.vector) }));
    },

    async pendingEmbeddings(userId, model, limit): Promise<PendingDocument[]> {
      const pending: PendingDocument[] = [];
      for (const kind of EMBEDDED_KINDS) {
        if (pending.length >= limit) break;
        const source = EMBEDDED[kind];
        const { rows } = await sql<{ id: string; text: string; version: string; digest: string | null }>`
          select src.id as id, ${source.text} as text, src.updated_at as version,
            case when v.model = ${model} then v.digest end as digest
          from ${sql.table(source.table)} src
          left join search_vectors v on v.user_id = src.user_id and v.kind = ${kind} and v.ref_id = src.id
          where src.user_id = ${userId} and ${source.eligible}
            and (v.ref_id is null or v.model <> ${model} or v.version <> src.updated_at)
          order by src.id
          limit ${limit - pending.length}`.execute(db);
        pending.push(...rows.map((r) => ({ kind, id: r.id, text: r.text, version: r.version, storedDigest: r.digest })));
      }
      return pending;
    },

    async saveVector(userId, doc, model, vector) {
      // Only for the row as it was embedded: one deleted or edited meanwhile stays pending instead
      // of getting a vector that no longer fits it (or fits nothing).
      const { rows } = await sql`select 1 as one from ${sql.table(EMBEDDED[doc.kind].table)}
        where user_id = ${userId} and id = ${doc.id} and updated_at = ${doc.version}`.execute(db);
      if (rows.length === 0) return;
      const row = {
        user_id: userId,
        kind: doc.kind,
        ref_id: doc.id,
        model,
        version: doc.version,
        digest: doc.digest,
        dims: vector.length,
        vector: codec.encode(vector),
      };
      const { user_id: _u, kind: _k, ref_id: _r, ...changes } = row;
      await db
        .insertInto('search_vectors')
        .values(row)
        .onConflict((oc) => oc.columns(['user_id', 'kind', 'ref_id']).doUpdateSet(changes))
        .execute();
      await db
        .insertInto('search_vector_generations')
        .values({ user_id: userId, generation: 1 })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ generation: sql`search_vector_generations.generation + 1` }))
        .execute();
    },

    async vectorGeneration(userId) {
      const row = await db
        .selectFrom('search_vector_generations')
        .select('generation')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(row?.generation ?? 0);
    },

    async markCurrent(userId, doc) {
      await db
        .updateTable('search_vectors')
        .set({ version: doc.version })
        .where('user_id', '=', userId)
        .where('kind', '=', doc.kind)
        .where('ref_id', '=', doc.id)
        .execute();
    },

    async usersWithPendingEmbeddings(model) {
      const users = new Set<string>();
      for (const kind of EMBEDDED_KINDS) {
        const source = EMBEDDED[kind];
        const { rows } = await sql<{ user_id: string }>`
          select distinct src.user_id as user_id
          from ${sql.table(source.table)} src
          left join search_vectors v on v.user_id = src.user_id and v.kind = ${kind} and v.ref_id = src.id
          where ${source.eligible} and (v.ref_id is null or v.model <> ${model} or v.version <> src.updated_at)`.execute(db);
        for (const r of rows) users.add(r.user_id);
      }
      return [...users].sort();
    },

    async clearVectors() {
      await db.deleteFrom('search_vectors').execute();
      await db.updateTable('search_vector_generations').set({ generation: sql`generation + 1` }).execute();
    },
  };
}
