import type { DeveloperActionItem } from './action-items.schema.ts';
import type { ActionItem } from './action-items.types.ts';

/** The one place an action item becomes its wire shape (DeveloperActionItem). */
export function presentActionItem(item: ActionItem): DeveloperActionItem {
  return {
    id: item.id,
    description: item.description,
    completed: item.completed,
    created_at: item.createdAt,
    updated_at: item.updatedAt,
    due_at: item.dueAt,
    completed_at: item.completedAt,
    conversation_id: item.conversationId,
  };
}
