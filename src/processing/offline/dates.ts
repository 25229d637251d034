/**
 * Relative date and time resolution for spoken English, against a reference instant (the
 * conversation's `startedAt`). Pure functions; all arithmetic is in UTC, and stated times are
 * taken as UTC because the processor has no time zone for the user.
 *
 * Rules (documented once, applied everywhere):
 * - A weekday name ("Friday", "by Friday", "this Friday") is the next such day strictly after the
 *   reference day, so "by Friday" said on a Friday means next week's Friday. "next Friday" is the
 *   Friday of next week (weeks start on Monday).
 * - "the 14th" is the next 14th on or after the reference day; "March 3rd" is this year's unless
 *   that day has passed, then next year's (year rollover). "3/14" after by/on/until is month/day
 *   unless the first number cannot be a month.
 * - "next week" is the Monday of next week, "end of the week" the coming Friday, "next month" its
 *   first day, "end of the month" its last day, "this weekend" the coming Saturday.
 * - A bare hour ("at 3") reads 1–6 as afternoon and 7–11 as morning unless the sentence says
 *   otherwise (evening, tonight, dinner…); "midnight" is the last minute of that day.
 */
import { addDays, END_OF_DAY, fromIso, toInstant, type CalendarDate, type ClockTime } from './calendar.ts';
import { DAYPART, DATE_PATTERNS, SPOKEN_CLOCK, TIME_PATTERNS, type DatePattern } from './date-patterns.ts';

export { addDays, formatDate, fromIso, toInstant, type CalendarDate, type ClockTime } from './calendar.ts';

export interface TemporalMatch {
  date: CalendarDate | null;
  time: ClockTime | null;
  /** An exact instant, for offsets such as "in two hours". */
  instant: string | null;
  /** Where the date and time phrases sit in the text ([start, end)), so callers can strip them. */
  spans: Array<[number, number]>;
}

/** A cheap test that rules out most sentences before the full pattern set runs. */
const TEMPORAL_CUE = new RegExp(
  String.raw`\d|\b(?:today|tonight|tomorrow|tmrw?|eod|cob|end of|close of|after lunch|after work|later today|week|weekend|month|noon|midday|midnight|(?:mon|tues|wednes|thurs|fri|satur|sun)day|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|(?:on|by|until|before) the [a-z]|(?:half|quarter) (?:past|to) |half (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b|in (?:a|an|half|one|two|three|four|five|six|seven|eight|nine|ten|twelve|couple)\b|(?:at|by|around) (?:about |like )?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b|${SPOKEN_CLOCK})`, 'i');

interface Candidate {
  start: number;
  end: number;
  rank: number;
  date: CalendarDate | null;
  time: ClockTime | null;
  instant: string | null;
  daypart: 'am' | 'pm' | null;
}

/**
 * Finds the first date (and the time stated with it) in `text`, resolved against `referenceIso`.
 * `surroundings` (nearby sentences) only hint at the part of day of a bare hour: "Saturday at
 * seven" said right after "Grandma's birthday dinner" is 19:00.
 */
export function findTemporal(text: string, referenceIso: string, surroundings = ''): TemporalMatch | null {
  const refMs = Date.parse(referenceIso);
  if (Number.isNaN(refMs) || !TEMPORAL_CUE.test(text)) return null;
  const ref = fromIso(referenceIso);
  const dates = collect(text, DATE_PATTERNS, ref, refMs);
  const times = collect(text, TIME_PATTERNS, ref, refMs);
  const cluster = firstCluster(dates);
  let time: Candidate | undefined;
  if (cluster) {
    time = times
      .filter((t) => t.start >= cluster.start - 40 && t.start <= cluster.end + 40)
      .sort((a, b) => distance(a, cluster) - distance(b, cluster))[0];
  } else time = times[0];
  if (!cluster && !time) return null;
  const spans: Array<[number, number]> = [];
  if (cluster) spans.push([cluster.start, cluster.end]);
  let clock: ClockTime | null = null;
  if (time?.time) {
    spans.push([time.start, time.end]);
    const hint = daypartAround(text, time, spans) ?? cluster?.daypart ?? contextDaypart(text) ?? (EVENING_PLANS.test(surroundings) ? 'pm' : null);
    clock = inferHour(time, hint);
  }
  if (cluster?.instant) return { date: fromIso(cluster.instant), time: null, instant: cluster.instant, spans };
  return { date: cluster?.date ?? null, time: clock, instant: null, spans: spans.sort((a, b) => a[0] - b[0]) };
}

/** The due instant: the stated date and time; a date alone ends at 23:59 UTC; a time alone is its next occurrence. */
export function dueAtFrom(match: TemporalMatch | null, referenceIso: string): string | null {
  if (!match) return null;
  if (match.instant) return match.instant;
  if (match.date) return toInstant(match.date, match.time ?? END_OF_DAY);
  if (!match.time) return null;
  const today = fromIso(referenceIso);
  const sameDay = toInstant(today, match.time);
  return Date.parse(sameDay) > Date.parse(referenceIso) ? sameDay : toInstant(addDays(today, 1), match.time);
}

/** An event's start: only when both a date and a time were stated. */
export function eventStartFrom(match: TemporalMatch | null): string | null {
  if (!match?.date || !match.time) return null;
  return toInstant(match.date, match.time);
}

/** Convenience for callers and tests: the due date-time a phrase implies, or null. */
export const resolveDueAt = (text: string, referenceIso: string): string | null =>
  dueAtFrom(findTemporal(text, referenceIso), referenceIso);

/** Removes the matched date/time phrases from `text`. */
export function stripSpans(text: string, spans: ReadonlyArray<[number, number]>): string {
  let out = text;
  for (const [s, e] of [...spans].sort((a, b) => b[0] - a[0])) out = `${out.slice(0, s)} ${out.slice(e)}`;
  return out.replace(/\s{2,}/g, ' ').trim();
}

function collect(text: string, patterns: readonly DatePattern[], ref: CalendarDate, refMs: number): Candidate[] {
  const found: Candidate[] = [];
  for (const p of patterns) {
    if (p.cue && !p.cue.test(text)) continue;
    for (const m of text.matchAll(p.re)) {
      if (/\b(?:last|every|past|each)\s+$/i.test(text.slice(Math.max(0, m.index - 8), m.index))) continue;
      const r = p.resolve(m, ref, refMs);
      if (!r) continue;
      found.push({
        start: m.index,
        end: m.index + m[0].length,
        rank: p.rank,
        date: r.date ?? null,
        time: r.time ?? null,
        instant: r.instant ?? null,
        daypart: r.daypart ?? null,
      });
    }
  }
  // Overlapping matches of the same phrase: keep the longest.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Candidate[] = [];
  for (const c of found) {
    const last = kept[kept.length - 1];
    if (last && c.start < last.end) {
      if (c.end - c.start > last.end - last.start) kept[kept.length - 1] = c;
      continue;
    }
    kept.push(c);
  }
  return kept;
}

/** Adjacent date phrases ("Friday, March 28th", "Friday the 16th") name one day: the most specific wins. */
function firstCluster(dates: Candidate[]): Candidate | undefined {
  const first = dates[0];
  if (!first) return undefined;
  let best = first;
  let start = first.start;
  let end = first.end;
  for (const c of dates.slice(1)) {
    if (c.start - end > 3) break;
    if (c.rank > best.rank) best = c;
    end = Math.max(end, c.end);
    start = Math.min(start, c.start);
  }
  return { ...best, start, end, daypart: best.daypart ?? first.daypart };
}

const distance = (a: Candidate, b: { start: number; end: number }): number =>
  a.start >= b.end ? a.start - b.end : Math.max(0, b.start - a.end);

function daypartAround(text: string, time: Candidate, spans: Array<[number, number]>): 'am' | 'pm' | null {
  const after = text.slice(time.end, time.end + 20);
  const m = DAYPART.exec(after);
  if (!m || after.slice(0, m.index).trim().length > 0) return null;
  spans.push([time.end + m.index, time.end + m.index + m[0].length]);
  return /morning/i.test(m[0]) ? 'am' : 'pm';
}

/** Nearby words that make a bare hour an evening one; narrower than the sentence's own cues. */
const EVENING_PLANS = /\b(?:dinner|supper|drinks|wine|cocktails|party)\b/i;

function contextDaypart(text: string): 'am' | 'pm' | null {
  if (/\b(?:tonight|evening|night|dinner|supper|drinks|wine|cocktails|party|concert|recital|show|movie)\b/i.test(text)) return 'pm';
  if (/\b(?:morning|breakfast)\b/i.test(text)) return 'am';
  return null;
}

/** Applies am/pm when the time was spoken without it. */
function inferHour(candidate: Candidate, hint: 'am' | 'pm' | null): ClockTime {
  const t = candidate.time!;
  if (candidate.daypart !== null || t.hour >= 13 || t.hour === 0 || candidate.rank >= 2) return t;
  if (hint === 'pm') return t.hour < 12 ? { hour: t.hour + 12, minute: t.minute } : t;
  if (hint === 'am') return t.hour === 12 ? { hour: 0, minute: t.minute } : t;
  return t.hour >= 1 && t.hour <= 6 ? { hour: t.hour + 12, minute: t.minute } : t;
}
