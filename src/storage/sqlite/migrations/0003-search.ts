import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema.ts';
import { DOCUMENTS_DDL, keywordIndexDdl, sqliteKeywordIndex } from '../keyword-index.ts';

/**
 * Search: the FTS5 keyword index with the triggers that keep it in step, filled from the rows
 * already stored, and the table of embeddings.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('search_vectors')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('dims', 'integer', (c) => c.notNull())
    .addColumn('vector', 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_vectors_pk', ['user_id', 'kind', 'ref_id'])
    .execute();
  // Bumped by every change to a user's vectors: in-process copies of them compare it to know they are current.
  await db.schema
    .createTable('search_vector_generations')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('generation', 'integer', (c) => c.notNull())
    .execute();
  await sql.raw(DOCUMENTS_DDL).execute(db);
  for (const statement of keywordIndexDdl()) await sql.raw(statement).execute(db);
  await sqliteKeywordIndex.rebuild(db as Kysely<Database>);
}
