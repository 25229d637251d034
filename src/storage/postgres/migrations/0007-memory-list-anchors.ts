import { sql, type Kysely } from 'kysely';
import { MEMORY_LIST_COLUMNS } from '../../sqlite/migrations/0007-memory-list-anchors.ts';

/**
 * The same counter per user as on SQLite (see its migration 0007), kept by a trigger function:
 * bumped whenever a user's memories list can change. Written so that running it again changes nothing.
 */
const bump = (user: string, condition: string) => `insert into memory_list_generations (user_id, generation)
          select ${user}, 1 where ${condition}
          on conflict (user_id) do update set generation = memory_list_generations.generation + 1;`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('memory_list_generations')
    .ifNotExists()
    .addColumn('user_id', 'text', (c) => c.modifyEnd(sql`collate "C"`).primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('generation', 'integer', (c) => c.notNull())
    .execute();
  const changed = MEMORY_LIST_COLUMNS.map((c) => `old.${c} is distinct from new.${c}`).join(' or ');
  const statements = [
    // A row removed by the deletion of its user (cascade) bumps nothing: the user's counter goes with them.
    `create or replace function memories_list_generation_bump() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          ${bump('new.user_id', 'true')}
        elsif tg_op = 'DELETE' then
          ${bump('old.user_id', 'exists (select 1 from users where id = old.user_id)')}
        else
          ${bump('old.user_id', 'true')}
          ${bump('new.user_id', 'new.user_id is distinct from old.user_id')}
        end if;
        return null;
      end $$`,
    `drop trigger if exists memories_list_generation_change on memories`,
    `create trigger memories_list_generation_change after insert or delete on memories
      for each row execute function memories_list_generation_bump()`,
    `drop trigger if exists memories_list_generation_update on memories`,
    `create trigger memories_list_generation_update after update of ${MEMORY_LIST_COLUMNS.join(', ')} on memories
      for each row when (${changed}) execute function memories_list_generation_bump()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
