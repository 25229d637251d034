export interface ActionItem {
  id: string;
  userId: string;
  description: string;
  completed: boolean;
  createdAt: string;
  updatedAt: string;
  dueAt: string | null;
  completedAt: string | null;
  conversationId: string | null;
}

export interface ActionItemListQuery {
  conversationId?: string | undefined;
  /** Only these items (the candidates of a search), in no order; limit and offset do not apply. */
  ids?: readonly string[] | undefined;
  completed?: boolean | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
  limit: number;
  offset: number;
}

export interface ActionItemPatch {
  description?: string;
  completed?: boolean;
  completedAt?: string | null;
  /** A date-time, or null to clear the due date. */
  dueAt?: string | null;
  updatedAt: string;
}

/** Where an incremental feed (`updated_since`) continues: after this item in `(updated_at, id)` order. */
export interface ActionItemFeedPosition {
  updatedAt: string;
  id: string;
}
