import { sql } from 'kysely';
import type { KeywordQuery, SearchKind } from '../../modules/search/search.types.ts';
import { forgetVectorSql, poolSize, rankPool, SEARCHABLE, type KeywordIndex } from '../repositories/search.repo.ts';

/**
 * The SQLite keyword index: an FTS5 table per kind of document (BM25, Porter stemming, accents
 * folded), each with three weighted columns: title, summary, body. Triggers on the source
 * tables keep them in step with every write, whichever code path makes it (a request, a batch, a
 * background job), inside the writer's own transaction.
 *
 * One table per kind, not one for all: BM25 is computed for every match before the best are
 * kept, and a memory search must not pay for the conversations' transcripts that share its
 * words (at 100,000 memories and 10,000 conversations: ~12 ms → ~6.6 ms per search).
 *
 * FTS5 rows are keyed by `search_documents.doc_id`, an INTEGER PRIMARY KEY, because the source
 * tables' implicit rowids may be renumbered by VACUUM.
 */
interface Columns {
  title: (row: string) => string;
  summary: (row: string) => string;
  body: (row: string) => string;
}

const segmentsText = (row: string) =>
  `coalesce((select group_concat(json_extract(s.value, '$.text'), ' ') from json_each(case when json_valid(${row}.transcript_segments) then ${row}.transcript_segments else '[]' end) s), '')`;

/** What goes into each FTS5 column, for a row alias. */
const COLUMNS: Record<SearchKind, Columns> = {
  memory: { title: () => `''`, summary: (r) => `${r}.content`, body: (r) => `${r}.tags` },
  conversation: {
    title: (r) => `${r}.title`,
    summary: (r) => `${r}.overview`,
    body: (r) => `coalesce(${r}.text, '') || ' ' || ${segmentsText(r)}`,
  },
  action_item: { title: () => `''`, summary: (r) => `${r}.description`, body: () => `''` },
};

const KINDS = Object.keys(SEARCHABLE) as SearchKind[];

/** The FTS5 table of one kind of document. */
export const ftsTable = (kind: SearchKind): string => `search_fts_${kind}`;

const docId = (kind: SearchKind, row: string) =>
  `(select doc_id from search_documents where kind = '${kind}' and user_id = ${row}.user_id and ref_id = ${row}.id)`;

/** Indexes the rows of `from` (a row alias, `new` in a trigger) that have a search_documents entry. */
const indexRows = (kind: SearchKind, row: string, from: string) => {
  const c = COLUMNS[kind];
  return `insert into ${ftsTable(kind)} (rowid, title, summary, body)
      select d.doc_id, ${c.title(row)}, ${c.summary(row)}, ${c.body(row)}
      from ${from} join search_documents d on d.kind = '${kind}' and d.user_id = ${row}.user_id and d.ref_id = ${row}.id`;
};

/** The table that gives each document its FTS5 rowid (migration 0003). */
export const DOCUMENTS_DDL = `create table search_documents (
      doc_id integer primary key,
      kind text not null,
      user_id text not null,
      ref_id text not null,
      unique (kind, user_id, ref_id))`;

const TRIGGERS = ['search_insert', 'search_update', 'vector_stale', 'search_delete'];

/**
 * DDL for the FTS5 tables and the triggers that keep them, dropping whatever layout was there
 * before (the single `search_fts` of 0003 as first shipped); a `rebuild` fills them after.
 */
export function keywordIndexDdl(): string[] {
  const statements = [`drop table if exists search_fts`];
  for (const kind of KINDS) {
    const { table: t, columns, embedded } = SEARCHABLE[kind];
    const fts = ftsTable(kind);
    statements.push(
      ...TRIGGERS.map((name) => `drop trigger if exists ${t}_${name}`),
      `drop table if exists ${fts}`,
      `create virtual table ${fts} using fts5(title, summary, body,
        content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2')`,
    );
    // In a trigger body `new` is a row, not a table: select it through a one-row subquery.
    const indexNew = indexRows(kind, 'new', '(select 1)');
    statements.push(
      `create trigger ${t}_search_insert after insert on ${t} begin
        insert or ignore into search_documents (kind, user_id, ref_id) values ('${kind}', new.user_id, new.id);
        ${indexNew};
      end`,
      `create trigger ${t}_search_update after update of ${columns.join(', ')} on ${t} begin
        delete from ${fts} where rowid = ${docId(kind, 'old')};
        ${indexNew};
      end`,
      // A vector of text that is no longer there would keep finding the row by its old meaning.
      `create trigger ${t}_vector_stale after update of ${embedded.join(', ')} on ${t}
        when ${embedded.map((c) => `old.${c} is not new.${c}`).join(' or ')} begin
        ${forgetVectorSql(kind)}
      end`,
      `create trigger ${t}_search_delete after delete on ${t} begin
        delete from ${fts} where rowid = ${docId(kind, 'old')};
        delete from search_documents where kind = '${kind}' and user_id = old.user_id and ref_id = old.id;
        ${forgetVectorSql(kind)}
      end`,
    );
  }
  return statements;
}

/** An FTS5 expression: each word as a quoted string (never syntax), any (or every) of them matching. */
function matchExpression(query: KeywordQuery): string {
  return query.terms.map((t, i) => `"${t}"${query.prefix && i === query.terms.length - 1 ? '*' : ''}`).join(query.every ? ' AND ' : ' OR ');
}

export const sqliteKeywordIndex: KeywordIndex = {
  async search(db, userId, kind, query, limit) {
    if (query.terms.length === 0) return [];
    // bm25() is lower-is-better; a title word counts four times a body word, a summary word twice.
    const fts = sql.raw(ftsTable(kind));
    const pool = sql`
      select d.ref_id as id, d.user_id, -bm25(${fts}, 4.0, 2.0, 1.0) as score
      from ${fts}
      join search_documents d on d.doc_id = ${fts}.rowid
      where ${fts} match ${matchExpression(query)} and d.kind = ${kind} and d.user_id = ${userId}
      order by score desc
      limit ${poolSize(limit)}`;
    return rankPool(db, kind, query, limit, pool, (haystack, needle) => sql`instr(${haystack}, ${needle}) > 0`);
  },

  async rebuild(db) {
    await sql`delete from search_documents`.execute(db);
    let total = 0;
    for (const kind of KINDS) {
      const { table } = SEARCHABLE[kind];
      await sql.raw(`insert into ${ftsTable(kind)} (${ftsTable(kind)}) values ('delete-all')`).execute(db);
      await sql.raw(`insert into search_documents (kind, user_id, ref_id) select '${kind}', user_id, id from ${table}`).execute(db);
      const result = await sql.raw(indexRows(kind, 'r', `${table} r`)).execute(db);
      total += Number(result.numAffectedRows ?? 0n);
    }
    return total;
  },
};
