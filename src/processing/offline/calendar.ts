/** Calendar-day arithmetic in UTC, shared by the date patterns and their resolver. */

export interface CalendarDate {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
}

export interface ClockTime {
  hour: number;
  minute: number;
}

const DAY_MS = 86_400_000;

export function fromIso(iso: string): CalendarDate {
  const d = new Date(iso);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const utc = (d: CalendarDate): number => Date.UTC(d.year, d.month - 1, d.day);

export const addDays = (date: CalendarDate, days: number): CalendarDate =>
  fromIso(new Date(utc(date) + days * DAY_MS).toISOString());

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (date: CalendarDate): number => new Date(utc(date)).getUTCDay();

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

export const compareDates = (a: CalendarDate, b: CalendarDate): number => utc(a) - utc(b);

export const formatDate = (d: CalendarDate): string =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

export const toInstant = (date: CalendarDate, time: ClockTime): string =>
  new Date(Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute, 0)).toISOString();

/** The end of a day that has no stated time: 23:59:00 UTC. */
export const END_OF_DAY: ClockTime = { hour: 23, minute: 59 };
