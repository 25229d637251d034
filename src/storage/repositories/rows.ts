import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** Column encodings shared by the repositories: booleans as 0/1, lists as JSON text. */
export const toFlag = (value: boolean): number => (value ? 1 : 0);
export const fromFlag = (value: number | null): boolean => value === 1;
export const fromNullableFlag = (value: number | null): boolean | null => (value === null ? null : value === 1);

export function fromJsonList(value: string | null): string[] {
  if (value === null) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** A JSON column read back; a value that does not parse yields the fallback (lists skip bad records, never fail). */
export function fromJson<T>(value: string | null, fallback: T): T {
  if (value === null) return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

/** Tables whose rows belong to one user and are addressed by (user_id, id). */
export type OwnedTable = 'api_keys' | 'memories' | 'action_items' | 'goals' | 'conversations' | 'daily_summaries';

/** Deletes the owner's row; another user's id deletes nothing. */
export async function deleteOwned(db: Kysely<Database>, table: OwnedTable, userId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom(table).where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
