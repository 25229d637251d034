import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema.ts';
import { keywordIndexDdl, sqliteKeywordIndex } from '../keyword-index.ts';

/**
 * The keyword index becomes one FTS5 table per kind of document (memories, conversations, action
 * items) instead of one for all, so a memory search ranks only memories: the old table and its
 * triggers are dropped, the new ones created and filled from the rows (a database created since
 * has the new layout already, and this only rebuilds it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of keywordIndexDdl()) await sql.raw(statement).execute(db);
  await sqliteKeywordIndex.rebuild(db as Kysely<Database>);
}
