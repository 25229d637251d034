/**
 * Calendar arithmetic in an IANA time zone, built on Intl only. A `CivilDate` is a date on the
 * wall calendar (no time, no zone); `startOfZonedDay` turns one into the UTC instant at which that
 * day begins in a given zone.
 */

/** A wall-calendar date; `month` is 1–12. Out-of-range fields are normalised by the helpers. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export interface ZonedParts extends CivilDate {
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date and time of `instant` in `timeZone` (throws RangeError for an unknown zone). */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const values: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const field = (name: string): number => values[name] ?? 0;
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour') % 24,
    minute: field('minute'),
    second: field('second'),
  };
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds. */
export function offsetMs(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

const fromUtcDate = (date: Date): CivilDate => ({
  year: date.getUTCFullYear(),
  month: date.getUTCMonth() + 1,
  day: date.getUTCDate(),
});

/** The wall-calendar date of `instant` in `timeZone`. */
export function civilDate(instant: Date, timeZone: string): CivilDate {
  const { year, month, day } = zonedParts(instant, timeZone);
  return { year, month, day };
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return fromUtcDate(new Date(Date.UTC(date.year, date.month - 1, date.day + days)));
}

/** Moves by whole months, clamping the day to the target month's length (Mar 31 − 1 month = Feb 28). */
export function addMonths(date: CivilDate, months: number): CivilDate {
  const first = fromUtcDate(new Date(Date.UTC(date.year, date.month - 1 + months, 1)));
  return { ...first, day: Math.min(date.day, daysInMonth(first.year, first.month)) };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CivilDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() || 7;
}

export function compareCivil(a: CivilDate, b: CivilDate): number {
  return Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day);
}

/**
 * The UTC instant at which `date` begins in `timeZone`: its local midnight. The offset is taken at a
 * first guess and re-checked at the result, so days next to a DST change come out right. Where the
 * zone skips midnight (clocks jump from 00:00 to 01:00), the day begins at the jump.
 */
export function startOfZonedDay(date: CivilDate, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  const first = wall - offsetMs(new Date(wall), timeZone);
  const second = wall - offsetMs(new Date(first), timeZone);
  if (first === second) return new Date(first);
  const third = wall - offsetMs(new Date(second), timeZone);
  const target = addDays(date, 0);
  const isMidnight = (instant: number): boolean => {
    const p = zonedParts(new Date(instant), timeZone);
    return p.hour === 0 && p.minute === 0 && p.second === 0 && compareCivil(p, target) === 0;
  };
  const exact = [first, second, third].filter(isMidnight);
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(first, second, third));
}
