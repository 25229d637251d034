export interface Memory {
  id: string;
  userId: string;
  content: string;
  category: string;
  visibility: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  manuallyAdded: boolean;
  reviewed: boolean;
  userReview: boolean | null;
  edited: boolean;
  scoring: string;
  conversationId: string | null;
}

export interface MemoryListQuery {
  categories?: readonly string[] | undefined;
  /** Only these memories (the candidates of a search), in no order; limit and offset do not apply. */
  ids?: readonly string[] | undefined;
  limit: number;
  offset: number;
}

export interface MemoryPatch {
  content?: string;
  category?: string;
  visibility?: string;
  tags?: string[];
  edited?: boolean;
  scoring?: string;
  updatedAt: string;
}
