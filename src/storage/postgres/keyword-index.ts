import { sql } from 'kysely';
import type { KeywordQuery, SearchKind } from '../../modules/search/search.types.ts';
import { forgetVectorSql, poolSize, rankPool, SEARCHABLE, type KeywordIndex } from '../repositories/search.repo.ts';

/**
 * The PostgreSQL keyword index: a `tsvector` per searchable row in `search_documents` (English
 * stemming, accents folded where unaccent is available, GIN-indexed), weighted title A, summary
 * B, body D, and ranked by `ts_rank_cd`. Trigger functions on the source tables keep it in step
 * with every write, inside the writer's transaction.
 */
const tsv = (text: string, weight: 'A' | 'B' | 'D') => `setweight(to_tsvector('english', search_fold(${text})), '${weight}')`;
const segmentsText = (r: string) =>
  `coalesce((select string_agg(t #>> '{}', ' ') from jsonb_path_query(${r}.transcript_segments::jsonb, '$[*].text') t), '')`;

/** The weighted document of a row alias. */
const DOCUMENTS: Record<SearchKind, (r: string) => string> = {
  memory: (r) => `${tsv(`${r}.content`, 'B')} || ${tsv(`${r}.tags`, 'D')}`,
  conversation: (r) =>
    `${tsv(`${r}.title`, 'A')} || ${tsv(`${r}.overview`, 'B')} || ${tsv(`coalesce(${r}.text, '') || ' ' || ${segmentsText(r)}`, 'D')}`,
  action_item: (r) => tsv(`${r}.description`, 'B'),
};

const KINDS = Object.keys(SEARCHABLE) as SearchKind[];

/** Latin letters with accents, and what they fold to, where unaccent is not available. */
const FOLD_FROM = 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ';
const FOLD_TO = 'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzsOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYy';

/**
 * `search_fold(text)`: accents folded ("café" → "cafe") with the unaccent extension where it can be
 * had (installed already, or available and creatable here), else by `translate()` over the Latin
 * letters that carry accents. Documents and queries go through the same function, so they agree.
 */
const FOLD_FUNCTION = `do $fold$
declare
  ext_schema text;
begin
  select n.nspname into ext_schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'unaccent';
  if ext_schema is null and exists (select 1 from pg_available_extensions where name = 'unaccent')
     and has_schema_privilege('public', 'CREATE') then
    begin
      create extension if not exists unaccent schema public;
      ext_schema := 'public';
    exception when others then
      ext_schema := null;
    end;
  end if;
  if ext_schema is null then
    -- Without unaccent: the Latin letters that decompose into a letter and accents.
    create function search_fold(t text) returns text language sql stable
      as $f$ select translate(t, '${FOLD_FROM}', '${FOLD_TO}') $f$;
  else
    execute format('create function search_fold(t text) returns text language sql stable as %L',
      format('select %I.unaccent(%L::regdictionary, t)', ext_schema, ext_schema || '.unaccent'));
  end if;
end $fold$`;

/** DDL for the index and its triggers (migration 0003). */
export function keywordIndexDdl(): string[] {
  const statements = [
    `create table search_documents (
      user_id text collate "C" not null,
      kind text collate "C" not null,
      ref_id text collate "C" not null,
      document tsvector not null,
      primary key (user_id, kind, ref_id))`,
    `create index search_documents_document on search_documents using gin (document)`,
    FOLD_FUNCTION,
  ];
  for (const kind of KINDS) {
    const { table: t, columns, embedded } = SEARCHABLE[kind];
    statements.push(
      `create function ${t}_search_sync() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          delete from search_documents where user_id = old.user_id and kind = '${kind}' and ref_id = old.id;
          ${forgetVectorSql(kind)}
          return null;
        end if;
        insert into search_documents (user_id, kind, ref_id, document)
          values (new.user_id, '${kind}', new.id, ${DOCUMENTS[kind]('new')})
          on conflict (user_id, kind, ref_id) do update set document = excluded.document;
        -- A vector of text that is no longer there would keep finding the row by its old meaning.
        if tg_op = 'UPDATE' and (${embedded.map((c) => `old.${c} is distinct from new.${c}`).join(' or ')}) then
          ${forgetVectorSql(kind)}
        end if;
        return null;
      end $$`,
      `create trigger ${t}_search after insert or delete or update of ${columns.join(', ')} on ${t}
        for each row execute function ${t}_search_sync()`,
    );
  }
  return statements;
}

/** The tsquery of the query's `i`-th word alone. */
const termQuery = (query: KeywordQuery, i: number) => `'${query.terms[i]}'${query.prefix && i === query.terms.length - 1 ? ':*' : ''}`;

/** A tsquery: each word quoted (never syntax), any (or every) of them matching. */
function tsquery(query: KeywordQuery): string {
  return query.terms.map((_, i) => termQuery(query, i)).join(query.every ? ' & ' : ' | ');
}

export const postgresKeywordIndex: KeywordIndex = {
  async search(db, userId, kind, query, limit) {
    if (query.terms.length === 0) return [];
    // The tsquery is written out twice (not cross-joined) so the planner uses the GIN index.
    const q = sql`to_tsquery('english', search_fold(${tsquery(query)}))`;
    const terms = sql.join(
      query.terms.map((_, i) => sql`(${sql.lit(i)}, to_tsquery('english', search_fold(${termQuery(query, i)})))`),
    );
    // The matches (best by cover density first), then scored as BM25 scores them on SQLite: each
    // word's frequency in the document (ts_rank, normalised by the document's length; title,
    // overview and body words weigh 4 : 2 : 1, as on SQLite) weighed by
    // its rarity among the matches (IDF). ts_rank_cd alone has no IDF, so a name said in every
    // conversation counted as much as the one rare word that picks out the answer.
    const pool = sql`
      with matched as (
        select d.ref_id as id, d.user_id, d.document
        from search_documents d
        where d.document @@ ${q} and d.user_id = ${userId} and d.kind = ${kind}
        order by ts_rank_cd(d.document, ${q}) desc
        limit ${poolSize(limit)}),
      terms (n, tq) as (values ${terms}),
      df as (select t.n, count(*) filter (where m.document @@ t.tq) as hits, count(*) as total
        from terms t cross join matched m group by t.n)
      select m.id, m.user_id,
        sum(ln(1.0 + (df.total - df.hits + 0.5) / (df.hits + 0.5)) * ts_rank(${sql.raw(`'{0.25, 0.25, 0.5, 1.0}'`)}, m.document, t.tq, 1)) as score
      from matched m cross join terms t join df on df.n = t.n
      group by m.id, m.user_id`;
    return rankPool(db, kind, query, limit, pool, (haystack, needle) => sql`strpos(search_fold(${haystack}), search_fold(${needle})) > 0`);
  },

  async rebuild(db) {
    await sql`delete from search_documents`.execute(db);
    let total = 0;
    for (const kind of KINDS) {
      const result = await sql
        .raw(`insert into search_documents (user_id, kind, ref_id, document)
          select r.user_id, '${kind}', r.id, ${DOCUMENTS[kind]('r')} from ${SEARCHABLE[kind].table} r`)
        .execute(db);
      total += Number(result.numAffectedRows ?? 0n);
    }
    return total;
  },
};
