import { unprocessable } from './errors.ts';

/** The source of "now", passed explicitly so tests can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Timestamps are stored and returned as UTC ISO 8601 strings with milliseconds. */
export const toIso = (date: Date): string => date.toISOString();

/** Python's `datetime.isoformat()` for a UTC value (`…+00:00`), which upstream uses for goals. */
export const toPythonIso = (iso: string): string => iso.replace(/Z$/, '+00:00');

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 date-time as the upstream API accepts it: with an offset, naive (taken as
 * UTC), or a bare date (midnight UTC). Returns the normalised ISO string, or undefined if invalid.
 */
export function parseDateTime(value: string): string | undefined {
  const trimmed = value.trim();
  let candidate: string;
  if (DATE_ONLY.test(trimmed)) candidate = `${trimmed}T00:00:00Z`;
  else if (DATE_TIME.test(trimmed)) {
    candidate = trimmed.replace(' ', 'T');
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(candidate)) candidate += 'Z';
    // Keep milliseconds only: JavaScript dates cannot hold more precision.
    candidate = candidate.replace(/(\.\d{3})\d+/, '$1');
  } else return undefined;
  const date = new Date(candidate);
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject dates the calendar does not have (e.g. 2024-02-30), which Date would roll over.
  const [y, m, d] = trimmed.slice(0, 10).split('-').map(Number);
  const check = new Date(Date.UTC(y!, m! - 1, d!));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m! - 1 || check.getUTCDate() !== d) return undefined;
  const iso = date.toISOString();
  // Past year 9999 (e.g. 9999-12-31T23:59-05:00) the ISO form grows a sign and six digits, which
  // neither sorts as text nor is RFC 3339: refuse it.
  return /^\d{4}-/.test(iso) ? iso : undefined;
}

/** A request date-time (already format-checked) normalised for storage; 422 names the field if invalid. */
export function toStoredDateTime(value: string, field: string): string {
  const iso = parseDateTime(value);
  if (iso === undefined) throw unprocessable(`${field} is not a valid datetime`);
  return iso;
}
