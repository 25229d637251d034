import type { Kysely, Selectable } from 'kysely';
import type { SystemFolderKind } from '../../modules/conversations/categories.ts';
import type { Folder } from '../../modules/folders/folders.types.ts';
import type { Database, FoldersTable } from '../schema.ts';
import type { FoldersRepository } from '../storage.ts';
import { fixedQuery } from './fixed-query.ts';
import { fromFlag, toFlag } from './rows.ts';

const toFolder = (row: Selectable<FoldersTable>): Folder => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  description: row.description,
  color: row.color,
  icon: row.icon,
  order: row.position,
  isDefault: fromFlag(row.is_default),
  isSystem: fromFlag(row.is_system),
  categoryMapping: row.category_mapping as SystemFolderKind | null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function foldersRepository(db: Kysely<Database>): FoldersRepository {
  // Read by every conversation list (folder names).
  const ofUser = fixedQuery(db, (userId: string) =>
    db.selectFrom('folders').selectAll().where('user_id', '=', userId).orderBy('position', 'asc').orderBy('created_at', 'asc').orderBy('id', 'asc'),
  );
  return {
    async list(userId) {
      return (await ofUser(userId)).map(toFolder);
    },
    async insertIfAbsent(folder) {
      await db
        .insertInto('folders')
        .values({
          user_id: folder.userId,
          id: folder.id,
          name: folder.name,
          description: folder.description,
          color: folder.color,
          icon: folder.icon,
          position: folder.order,
          is_default: toFlag(folder.isDefault),
          is_system: toFlag(folder.isSystem),
          category_mapping: folder.categoryMapping,
          created_at: folder.createdAt,
          updated_at: folder.updatedAt,
        })
        .onConflict((oc) => oc.columns(['user_id', 'id']).doNothing())
        .execute();
    },
  };
}
