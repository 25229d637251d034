import { badRequest } from './errors.ts';

/**
 * A `categories` query value: comma-separated, trimmed, empty items ignored. An unknown value is
 * a 400 with upstream's text (`Invalid category ` + Python's ValueError message).
 */
export function parseCategoryFilter(
  raw: string | null | undefined,
  allowed: readonly string[],
  enumName: string,
): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const values = raw
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  for (const value of values) {
    if (!allowed.includes(value)) throw badRequest(`Invalid category '${value}' is not a valid ${enumName}`);
  }
  return values.length > 0 ? [...new Set(values)] : undefined;
}

/** Clamps a page size into [min, max] and a negative offset to 0, as upstream does. */
export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
