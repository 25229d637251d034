import { sql, type Kysely } from 'kysely';

/**
 * A counter per user that changes whenever the user's memories list can change: a memory
 * inserted or deleted, or one whose place or visibility in the list changed (scoring,
 * created_at, id, invalid_at, user_review, user_id). The repository remembers where deep pages
 * of the list begin and trusts what it remembered only while the counter is the same, so the
 * counter must be kept by the database itself, for every writer, every process and every
 * instance: triggers do it. A user with no row here has counter 0.
 *
 * A row removed by the deletion of its user (cascade) bumps nothing: the user is gone, and with
 * them the counter. Written so that running it again changes nothing.
 */
export const MEMORY_LIST_COLUMNS = ['scoring', 'created_at', 'id', 'invalid_at', 'user_review', 'user_id'] as const;

const bump = (user: string, condition: string) => `insert into memory_list_generations (user_id, generation)
      select ${user}, 1 where ${condition}
      on conflict (user_id) do update set generation = generation + 1;`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('memory_list_generations')
    .ifNotExists()
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('generation', 'integer', (c) => c.notNull())
    .execute();
  const changed = MEMORY_LIST_COLUMNS.map((c) => `old.${c} is not new.${c}`).join(' or ');
  const statements = [
    `create trigger if not exists memories_list_generation_insert after insert on memories begin
      ${bump('new.user_id', '1 = 1')}
    end`,
    `create trigger if not exists memories_list_generation_delete after delete on memories begin
      ${bump('old.user_id', 'exists (select 1 from users where id = old.user_id)')}
    end`,
    `create trigger if not exists memories_list_generation_update after update of ${MEMORY_LIST_COLUMNS.join(', ')} on memories
    when ${changed} begin
      ${bump('old.user_id', '1 = 1')}
      ${bump('new.user_id', 'new.user_id is not old.user_id')}
    end`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
