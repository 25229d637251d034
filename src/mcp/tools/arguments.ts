import { parseDateTime } from '../../lib/time.ts';
import { parseKeywordQuery } from '../../modules/search/query-terms.ts';
import { invalidArguments } from './results.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A page size: the default when absent, otherwise clamped to 1..max (as the REST API clamps). */
export const pageSize = (value: number | undefined, fallback: number, max: number): number =>
  Math.min(max, Math.max(1, value ?? fallback));

/** A `YYYY-MM-DD` argument, checked against the calendar. */
export function parseDay(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!DATE_ONLY.test(value) || parseDateTime(value) === undefined) {
    throw invalidArguments(`Invalid ${field} format: '${value}'. Expected YYYY-MM-DD.`);
  }
  return value;
}

/** The first instant of a `YYYY-MM-DD` day (UTC). */
export const startOfDay = (day: string): string => `${day}T00:00:00.000Z`;
/** The last instant of a `YYYY-MM-DD` day (UTC): an end date includes its whole day. */
export const endOfDay = (day: string): string => `${day}T23:59:59.999Z`;

/**
 * A bound given as a day (whole day: its start, or its end when `end`) or an ISO 8601 date-time,
 * as a stored UTC timestamp.
 */
export function parseBound(value: string | undefined, field: string, end: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (DATE_ONLY.test(value)) {
    const day = parseDay(value, field)!;
    return end ? endOfDay(day) : startOfDay(day);
  }
  const iso = parseDateTime(value);
  if (iso === undefined) throw invalidArguments(`Invalid ${field} format: '${value}'. Expected YYYY-MM-DD or ISO 8601.`);
  return iso;
}

/** An enum argument checked in the tool, so a wrong value is an `invalid_arguments` result. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidArguments(`Invalid ${field} '${value}'. Expected one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}

/**
 * A search query: required and not blank. False when it has no words to match (only
 * punctuation), in which case nothing matches.
 */
export function searchable(query: string): boolean {
  if (query.trim() === '') throw invalidArguments('query is required');
  return parseKeywordQuery(query).terms.length > 0;
}
