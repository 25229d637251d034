import { derivedId } from '../../lib/ids.ts';
import { type Clock, toIso } from '../../lib/time.ts';
import type { Repositories, Storage } from '../../storage/storage.ts';
import { CATEGORY_FOLDER, isConversationCategory, type SystemFolderKind } from '../conversations/categories.ts';
import type { Folder, FolderWithCount } from './folders.types.ts';

/** Upstream's system folders (omi-behaviour.md §5.5), created on first need. */
export const SYSTEM_FOLDERS: Record<SystemFolderKind, Pick<Folder, 'name' | 'description' | 'color' | 'icon' | 'order'>> = {
  work: {
    name: 'Work',
    description: 'Work meetings, projects, business, technology, finance and learning.',
    color: '#3B82F6',
    icon: '💼',
    order: 0,
  },
  personal: {
    name: 'Personal',
    description: 'Health, family, relationships, travel, hobbies and reflections.',
    color: '#10B981',
    icon: '👤',
    order: 1,
  },
  social: {
    name: 'Social',
    description: 'Friends, entertainment, music, news and the world around.',
    color: '#8B5CF6',
    icon: '👥',
    order: 2,
  },
};

export class FoldersService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /** Read-only, as upstream: a user without folders gets `[]`. */
  async list(userId: string): Promise<FolderWithCount[]> {
    const [folders, counts] = await Promise.all([
      this.storage.folders.list(userId),
      this.storage.conversations.countByFolder(userId),
    ]);
    return folders.map((folder) => ({ ...folder, conversationCount: counts.get(folder.id) ?? 0 }));
  }

  /** Folder id → name, for `folder_name` on conversations. */
  async names(userId: string): Promise<Map<string, string>> {
    return new Map((await this.storage.folders.list(userId)).map((f) => [f.id, f.name]));
  }

  /**
   * Creates Work, Personal and Social if missing and returns the id of the one a conversation of
   * `category` belongs in. Ids are derived from the user and the folder kind, so concurrent
   * first uses create each folder once.
   */
  async ensureSystemFolders(tx: Repositories, userId: string, category: string): Promise<string> {
    const now = toIso(this.clock.now());
    for (const [kind, folder] of Object.entries(SYSTEM_FOLDERS) as [SystemFolderKind, (typeof SYSTEM_FOLDERS)['work']][]) {
      await tx.folders.insertIfAbsent({
        ...folder,
        id: systemFolderId(userId, kind),
        userId,
        isDefault: false,
        isSystem: true,
        categoryMapping: kind,
        createdAt: now,
        updatedAt: now,
      });
    }
    return systemFolderId(userId, isConversationCategory(category) ? CATEGORY_FOLDER[category] : 'personal');
  }
}

export const systemFolderId = (userId: string, kind: SystemFolderKind): string => derivedId('system-folder', userId, kind);
