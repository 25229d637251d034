/**
 * Finds a relative date expression in a question ("yesterday", "last week", "in March", …) and
 * turns it into a UTC time range. Days are the user's local days: they begin at local midnight in
 * the request's time zone. Weeks begin on Monday.
 */
import {
  addDays,
  addMonths,
  civilDate,
  compareCivil,
  daysInMonth,
  isoWeekday,
  startOfZonedDay,
  type CivilDate,
} from './zoned-time.ts';

/** A resolved range: `from` inclusive, `to` exclusive (UTC ISO strings). */
export interface TimeRange {
  from: string;
  to: string;
  /** The expression as it appears in the question. */
  phrase: string;
  /** The question without the expression (and a preposition directly before it). */
  rest: string;
}

/** True for a time zone name that Intl accepts, such as "UTC" or "Europe/Berlin". */
export function isValidTimeZone(zone: string): boolean {
  // Newer engines also accept bare offsets ("+02:00"); only named zones are allowed here.
  if (!/^[A-Za-z]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Local days [start, end): `end` is the first day after the range. */
interface DaySpan {
  start: CivilDate;
  end: CivilDate;
}

interface Context {
  today: CivilDate;
  /** The question text before and after the match. */
  before: string;
  after: string;
}

interface Rule {
  pattern: RegExp;
  resolve: (match: RegExpExecArray, context: Context) => DaySpan | undefined;
}

const NUMBER_WORDS = ['a', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const NUMBER = `(\\d{1,4}|an|${NUMBER_WORDS.join('|')})`;
const UNIT = '(day|week|month|year)s?';
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];
/** "this may be …": words that make "this may" a verb phrase rather than a month. */
const MAY_AS_VERB =
  /^\s+(?:be|have|not|also|well|just|take|help|mean|need|seem|sound|look|work|come|cause|affect|change|happen|explain)\b/i;
const PREPOSITION_BEFORE = /\b(?:on|in|during|from|over|for|within)\s+$/i;

type Unit = 'day' | 'week' | 'month' | 'year';

function parseNumber(text: string): number {
  const word = text.toLowerCase();
  if (word === 'a' || word === 'an') return 1;
  const index = NUMBER_WORDS.indexOf(word);
  return index > 0 ? index : Number(word);
}

const daySpan = (date: CivilDate): DaySpan => ({ start: date, end: addDays(date, 1) });
const mondayOf = (date: CivilDate): CivilDate => addDays(date, 1 - isoWeekday(date));
const weekSpan = (monday: CivilDate): DaySpan => ({ start: monday, end: addDays(monday, 7) });
const monthSpan = (year: number, monthNumber: number): DaySpan => {
  const start = { year, month: monthNumber, day: 1 };
  return { start, end: addMonths(start, 1) };
};
const yearSpan = (value: number): DaySpan => ({
  start: { year: value, month: 1, day: 1 },
  end: { year: value + 1, month: 1, day: 1 },
});

/** The calendar day, week, month or year `count` units before the one containing `today`. */
function unitAgo(today: CivilDate, unit: Unit, count: number): DaySpan {
  if (unit === 'day') return daySpan(addDays(today, -count));
  if (unit === 'week') return weekSpan(addDays(mondayOf(today), -7 * count));
  if (unit === 'month') {
    const target = addMonths({ ...today, day: 1 }, -count);
    return monthSpan(target.year, target.month);
  }
  return yearSpan(today.year - count);
}

/** From the start of the day `count` units ago through the end of today. */
function lastUnits(today: CivilDate, unit: Unit, count: number): DaySpan {
  const start =
    unit === 'day' ? addDays(today, -count)
    : unit === 'week' ? addDays(today, -7 * count)
    : addMonths(today, -count * (unit === 'year' ? 12 : 1));
  return { start, end: addDays(today, 1) };
}

/** The most recent `weekdayIndex` (0 = Monday) strictly before today, or the one in this week. */
function weekday(today: CivilDate, weekdayIndex: number, thisWeek: boolean): DaySpan {
  if (thisWeek) return daySpan(addDays(mondayOf(today), weekdayIndex));
  const back = (isoWeekday(today) - 1 - weekdayIndex + 7) % 7 || 7;
  return daySpan(addDays(today, -back));
}

function namedMonth(match: RegExpExecArray, { today, before, after }: Context): DaySpan | undefined {
  const modifier = match[1]?.toLowerCase();
  const name = (match[2] ?? '').toLowerCase();
  const dayText = match[3];
  const yearText = match[4];
  // "may" is usually a verb: only a month when the context says so.
  if (name === 'may' && !dayText && !yearText) {
    if (!modifier && !/\b(?:in|during)\s+$/i.test(before)) return undefined;
    if (modifier === 'this' && MAY_AS_VERB.test(after)) return undefined;
  }
  const monthNumber = MONTHS.indexOf(name) + 1;
  let targetYear = yearText ? Number(yearText) : today.year;
  if (dayText) {
    const date = (y: number): CivilDate => ({
      year: y,
      month: monthNumber,
      day: Math.min(Number(dayText), daysInMonth(y, monthNumber)),
    });
    if (!yearText && compareCivil(date(targetYear), today) > 0) targetYear -= 1;
    return daySpan(date(targetYear));
  }
  if (!yearText) {
    if (modifier === 'last') targetYear = monthNumber < today.month ? today.year : today.year - 1;
    else if (modifier !== 'this' && monthNumber > today.month) targetYear = today.year - 1;
  }
  return monthSpan(targetYear, monthNumber);
}

const RULES: Rule[] = [
  {
    pattern: /\b(?:the\s+)?day\s+before\s+yesterday\b/gi,
    resolve: (_, { today }) => daySpan(addDays(today, -2)),
  },
  {
    pattern: /\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b/gi,
    resolve: (_, { today }) => daySpan(today),
  },
  {
    pattern: /\b(?:yesterday(?:\s+(?:morning|afternoon|evening|night))?|last\s+night)\b/gi,
    resolve: (_, { today }) => daySpan(addDays(today, -1)),
  },
  {
    pattern: new RegExp(`\\b${NUMBER}\\s+${UNIT}\\s+ago\\b`, 'gi'),
    resolve: (m, { today }) => unitAgo(today, (m[2] ?? 'day').toLowerCase() as Unit, parseNumber(m[1] ?? '1')),
  },
  {
    pattern: new RegExp(`\\b(?:the\\s+)?(?:last|past)\\s+${NUMBER}\\s+${UNIT}\\b`, 'gi'),
    resolve: (m, { today }) => lastUnits(today, (m[2] ?? 'day').toLowerCase() as Unit, parseNumber(m[1] ?? '1')),
  },
  {
    pattern: /\b(this|(?:the\s+)?(?:last|past))\s+(week|month|year)\b/gi,
    resolve: (m, { today }) =>
      unitAgo(today, (m[2] ?? 'week').toLowerCase() as Unit, m[1]?.toLowerCase() === 'this' ? 0 : 1),
  },
  {
    pattern: /\b(this|last|the)\s+weekend\b/gi,
    resolve: (m, { today }) => {
      const saturday = addDays(mondayOf(today), 5);
      const which = m[1]?.toLowerCase();
      // "the weekend" is the latest one that has begun: this one on Saturday and Sunday.
      const current = which === 'this' || (which === 'the' && isoWeekday(today) >= 6);
      const start = current ? saturday : addDays(saturday, -7);
      return { start, end: addDays(start, 2) };
    },
  },
  {
    pattern: new RegExp(`\\b(?:(this|last|past)\\s+)?(${WEEKDAYS.join('|')})\\b`, 'gi'),
    resolve: (m, { today }) =>
      weekday(today, WEEKDAYS.indexOf((m[2] ?? '').toLowerCase()), m[1]?.toLowerCase() === 'this'),
  },
  {
    pattern: new RegExp(
      `\\b(?:(this|last)\\s+)?(${MONTHS.join('|')})\\b` +
        '(?:\\s+(0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?\\b)?(?:,?\\s+((?:19|20)\\d{2})\\b)?',
      'gi',
    ),
    resolve: namedMonth,
  },
];

interface Found {
  index: number;
  length: number;
  span: DaySpan;
}

function firstMatch(question: string, today: CivilDate): Found | undefined {
  let best: Found | undefined;
  for (const { pattern, resolve } of RULES) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(question); m; m = pattern.exec(question)) {
      if (best && m.index > best.index) break;
      const span = resolve(m, {
        today,
        before: question.slice(0, m.index),
        after: question.slice(m.index + m[0].length),
      });
      if (!span) continue;
      if (!best || m.index < best.index || (m.index === best.index && m[0].length > best.length)) {
        best = { index: m.index, length: m[0].length, span };
      }
      break;
    }
  }
  return best;
}

function removePhrase(question: string, index: number, length: number): string {
  const before = question.slice(0, index).replace(PREPOSITION_BEFORE, '');
  return `${before} ${question.slice(index + length)}`
    .replace(/\s+/g, ' ')
    .replace(/\s+([?.!,;:])/g, '$1')
    .replace(/^[\s,;:]+/, '')
    .trim();
}

/**
 * Resolves the first relative date expression in `question` against `now`, with day boundaries at
 * local midnight in `timeZone`. Returns undefined when the question has none. Throws RangeError for
 * a time zone Intl does not know (check with `isValidTimeZone` first).
 */
export function resolveTimeRange(question: string, now: Date, timeZone: string): TimeRange | undefined {
  const found = firstMatch(question, civilDate(now, timeZone));
  if (!found) return undefined;
  return {
    from: startOfZonedDay(found.span.start, timeZone).toISOString(),
    to: startOfZonedDay(found.span.end, timeZone).toISOString(),
    phrase: question.slice(found.index, found.index + found.length),
    rest: removePhrase(question, found.index, found.length),
  };
}
