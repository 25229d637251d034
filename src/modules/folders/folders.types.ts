import type { SystemFolderKind } from '../conversations/categories.ts';

export interface Folder {
  id: string;
  userId: string;
  name: string;
  description: string | null;
  color: string;
  icon: string;
  order: number;
  isDefault: boolean;
  isSystem: boolean;
  categoryMapping: SystemFolderKind | null;
  createdAt: string;
  updatedAt: string;
}

export interface FolderWithCount extends Folder {
  /** Kept (non-discarded), completed conversations filed in the folder. */
  conversationCount: number;
}
