import type { FolderWithCount } from './folders.types.ts';

/** The one place a folder becomes its wire shape (DeveloperFolder). */
export const presentFolder = (folder: FolderWithCount) => ({
  id: folder.id,
  name: folder.name,
  description: folder.description,
  color: folder.color,
  icon: folder.icon,
  created_at: folder.createdAt,
  updated_at: folder.updatedAt,
  order: folder.order,
  is_default: folder.isDefault,
  is_system: folder.isSystem,
  conversation_count: folder.conversationCount,
});
