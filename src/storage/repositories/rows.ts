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
