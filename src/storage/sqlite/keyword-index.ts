import { sql } from 'kysely';
import type { KeywordQuery, SearchKind } from '../../modules/search/search.types.ts';
import { forgetVectorSql, poolSize, rankPool, SEARCHABLE, type KeywordIndex } from '../repositories/search.repo.ts';

/**
 * The SQLite keyword index: one FTS5 table (BM25, Porter stemming, accents folded) over every
 * searchable row, with three weighted columns: title, summary, body. Triggers on the source
 * tables keep it in step with every write, whichever code path makes it (a request, a batch, a
 * background job), inside the writer's own transaction.
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

const docId = (kind: SearchKind, row: string) =>
  `(select doc_id from search_documents where kind = '${kind}' and user_id = ${row}.user_id and ref_id = ${row}.id)`;

/** Indexes the rows of `from` (a row alias, `new` in a trigger) that have a search_documents entry. */
const indexRows = (kind: SearchKind, row: string, from: string) => {
  const c = COLUMNS[kind];
  return `insert into search_fts (rowid, title, summary, body)
      select d.doc_id, ${c.title(row)}, ${c.summary(row)}, ${c.body(row)}
      from ${from} join search_documents d on d.kind = '${kind}' and d.user_id = ${row}.user_id and d.ref_id = ${row}.id`;
};

/** DDL for the index and its triggers (migration 0003). */
export function keywordIndexDdl(): string[] {
  const statements = [
    `create table search_documents (
      doc_id integer primary key,
      kind text not null,
      user_id text not null,
      ref_id text not null,
      unique (kind, user_id, ref_id))`,
    `create virtual table search_fts using fts5(title, summary, body,
      content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2')`,
  ];
  for (const kind of KINDS) {
    const { table: t, columns, embedded } = SEARCHABLE[kind];
    // In a trigger body `new` is a row, not a table: select it through a one-row subquery.
    const indexNew = indexRows(kind, 'new', '(select 1)');
    statements.push(
      `create trigger ${t}_search_insert after insert on ${t} begin
        insert or ignore into search_documents (kind, user_id, ref_id) values ('${kind}', new.user_id, new.id);
        ${indexNew};
      end`,
      `create trigger ${t}_search_update after update of ${columns.join(', ')} on ${t} begin
        delete from search_fts where rowid = ${docId(kind, 'old')};
        ${indexNew};
      end`,
      // A vector of text that is no longer there would keep finding the row by its old meaning.
      `create trigger ${t}_vector_stale after update of ${embedded.join(', ')} on ${t}
        when ${embedded.map((c) => `old.${c} is not new.${c}`).join(' or ')} begin
        ${forgetVectorSql(kind)}
      end`,
      `create trigger ${t}_search_delete after delete on ${t} begin
        delete from search_fts where rowid = ${docId(kind, 'old')};
        delete from search_documents where kind = '${kind}' and user_id = old.user_id and ref_id = old.id;
        ${forgetVectorSql(kind)}
      end`,
    );
  }
  return statements;
}

/** An FTS5 expression: each word as a quoted string (never syntax), any of them matching. */
function matchExpression(query: KeywordQuery): string {
  return query.terms.map((t, i) => `"${t}"${query.prefix && i === query.terms.length - 1 ? '*' : ''}`).join(' OR ');
}

export const sqliteKeywordIndex: KeywordIndex = {
  async search(db, userId, kind, query, limit) {
    if (query.terms.length === 0) return [];
    // bm25() is lower-is-better; a title word counts four times a body word, a summary word twice.
    const pool = sql`
      select d.ref_id as id, d.user_id, -bm25(search_fts, 4.0, 2.0, 1.0) as score
      from search_fts
      join search_documents d on d.doc_id = search_fts.rowid
      where search_fts match ${matchExpression(query)} and d.kind = ${kind} and d.user_id = ${userId}
      order by score desc
      limit ${poolSize(limit)}`;
    return rankPool(db, kind, query, limit, pool, (haystack, needle) => sql`instr(${haystack}, ${needle}) > 0`);
  },

  async rebuild(db) {
    await sql`insert into search_fts (search_fts) values ('delete-all')`.execute(db);
    await sql`delete from search_documents`.execute(db);
    let total = 0;
    for (const kind of KINDS) {
      const { table } = SEARCHABLE[kind];
      await sql.raw(`insert into search_documents (kind, user_id, ref_id) select '${kind}', user_id, id from ${table}`).execute(db);
      const result = await sql.raw(indexRows(kind, 'r', `${table} r`)).execute(db);
      total += Number(result.numAffectedRows ?? 0n);
    }
    return total;
  },
};
