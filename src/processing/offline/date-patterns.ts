/**
 * The phrase patterns behind dates.ts: each finds one kind of date or time expression and
 * resolves it against the reference day. The rules they implement are documented in dates.ts.
 */
import { addDays, compareDates, daysInMonth, weekday, type CalendarDate, type ClockTime } from './calendar.ts';

export interface Resolved {
  date?: CalendarDate;
  time?: ClockTime;
  instant?: string;
  /** For dates: the part of day said with it ("tomorrow morning"). For times: am/pm as stated. */
  daypart?: 'am' | 'pm' | null;
}

export interface DatePattern {
  re: RegExp;
  /** A cheap test that must pass before `re` runs. */
  cue?: RegExp;
  /** Specificity: 3 a calendar date, 2 a day of the month or an absolute time, 1 relative, 0 vague. */
  rank: number;
  resolve(m: RegExpMatchArray, ref: CalendarDate, refMs: number): Resolved | null;
}

const PREP = String.raw`(?:\b(?:by|before|until|till|til|on|for|from|as of|no later than|starting)\s+)?`;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)`;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAY = String.raw`(sunday|monday|tuesday|wednesday|thursday|friday|saturday)`;
const SMALL_NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, 'forty-five': 45, ninety: 90,
  'a couple of': 2, 'couple of': 2, 'a few': 3,
};
const NUM = String.raw`(\d{1,3}|a couple of|couple of|a few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty-five|forty|ninety)`;
const HOUR_WORD = String.raw`(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;
const ORDINAL_WORDS = [
  'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh',
  'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth',
  'twentieth', 'twenty-first', 'twenty-second', 'twenty-third', 'twenty-fourth', 'twenty-fifth', 'twenty-sixth',
  'twenty-seventh', 'twenty-eighth', 'twenty-ninth', 'thirtieth', 'thirty-first',
];

// Longest first, so "twenty-first" is not read as "twenty"… and "first" wins over nothing.
const ORDINAL = [...ORDINAL_WORDS].sort((a, b) => b.length - a.length).join('|');
/** "14th", "14" or "fourteenth" as a day of the month. */
const dayNumber = (word: string): number => {
  const i = ORDINAL_WORDS.indexOf(word.toLowerCase());
  return i >= 0 ? i + 1 : parseInt(word, 10);
};

export const DAYPART = /^\s*(?:in the\s+)?(morning|afternoon|evening|night|tonight)\b/i;

const num = (word: string): number => SMALL_NUMBERS[word.toLowerCase()] ?? Number(word);
const monthOf = (word: string): number => MONTHS.indexOf(word.toLowerCase().slice(0, 3)) + 1;
const daypartOf = (word: string | undefined): 'am' | 'pm' | null =>
  word === undefined ? null : /morning/i.test(word) ? 'am' : 'pm';

function valid(year: number, month: number, day: number): CalendarDate | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** This year's date, or next year's when it has already passed. */
function upcoming(ref: CalendarDate, month: number, day: number, year?: string): CalendarDate | null {
  if (year !== undefined) return valid(Number(year), month, day);
  const candidate = valid(ref.year, month, day);
  if (candidate && compareDates(candidate, ref) >= 0) return candidate;
  return valid(ref.year + 1, month, day);
}

/** The next `day` of a month on or after the reference day. */
function dayOfMonth(ref: CalendarDate, day: number): CalendarDate | null {
  if (day < 1 || day > 31) return null;
  for (let i = 0; i < 12; i += 1) {
    const month = ((ref.month - 1 + i) % 12) + 1;
    const year = ref.year + Math.floor((ref.month - 1 + i) / 12);
    const d = valid(year, month, day);
    if (d && compareDates(d, ref) >= 0) return d;
  }
  return null;
}

/** The next given weekday strictly after the reference day. */
export function nextWeekday(ref: CalendarDate, target: number): CalendarDate {
  const delta = (target - weekday(ref) + 7) % 7;
  return addDays(ref, delta === 0 ? 7 : delta);
}

/** A weekday in the week (Monday-based) after the reference day's week. */
export function weekdayOfNextWeek(ref: CalendarDate, target: number): CalendarDate {
  const mondayNext = addDays(ref, 7 - ((weekday(ref) + 6) % 7));
  return addDays(mondayNext, (target + 6) % 7);
}

/** The coming Friday, or the reference day itself when it is Friday; Saturday and Sunday look ahead. */
const endOfWeek = (ref: CalendarDate): CalendarDate => addDays(ref, (5 - weekday(ref) + 7) % 7);

const re = (source: string): RegExp => new RegExp(source, 'gi');
const MONTH_CUE = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;

export const DATE_PATTERNS: readonly DatePattern[] = [
  { cue: /\d-\d/, re: re(String.raw`${PREP}\b(\d{4})-(\d{2})-(\d{2})\b`), rank: 3, resolve: (m) => dateOf(valid(+m[1]!, +m[2]!, +m[3]!)) },
  {
    cue: MONTH_CUE, re: re(String.raw`${PREP}(?:the\s+)?\b${MONTH}\.?\s+(?:the\s+)?(\d{1,2}(?:st|nd|rd|th)?|${ORDINAL})\b(?!:)(?:,?\s+(\d{4})\b)?`),
    rank: 3,
    resolve: (m, ref) => dateOf(upcoming(ref, monthOf(m[1]!), dayNumber(m[2]!), m[3])),
  },
  {
    cue: MONTH_CUE, re: re(String.raw`${PREP}(?:the\s+)?\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}\b(?:,?\s+(\d{4})\b)?`),
    rank: 3,
    resolve: (m, ref) => dateOf(upcoming(ref, monthOf(m[2]!), +m[1]!, m[3])),
  },
  {
    cue: /\d\/\d/, re: re(String.raw`\b(?:on|by|until|before|due)\s+(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b`),
    rank: 3,
    resolve: (m, ref) => {
      const [a, b] = [+m[1]!, +m[2]!];
      const [month, day] = a > 12 ? [b, a] : [a, b];
      const year = m[3] === undefined ? undefined : String(m[3].length === 2 ? 2000 + +m[3] : +m[3]);
      return dateOf(upcoming(ref, month, day, year));
    },
  },
  { cue: /\d(?:st|nd|rd|th)/i, re: re(String.raw`${PREP}the\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?${MONTH})`), rank: 2, resolve: (m, ref) => dateOf(dayOfMonth(ref, +m[1]!)) },
  {
    // "on the fifth", and after a weekday: "Thursday the nineteenth".
    cue: /the\s+[a-z-]+(?:st|nd|rd|th)\b/i, re: re(String.raw`(?:\b(?:on|by|until|before)\s+|(?<=(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+))the\s+(${ORDINAL})\b`),
    rank: 2,
    resolve: (m, ref) => dateOf(dayOfMonth(ref, ORDINAL_WORDS.indexOf(m[1]!.toLowerCase()) + 1)),
  },
  { cue: /tomorrow/i, re: re(String.raw`${PREP}(?:the\s+)?day after tomorrow\b`), rank: 1, resolve: (_m, ref) => ({ date: addDays(ref, 2) }) },
  {
    cue: /tom|tmr/i, re: re(String.raw`${PREP}\b(?:tomorrow|tmrw|tmr)\b(?:\s+(morning|afternoon|evening|night))?`),
    rank: 1,
    resolve: (m, ref) => ({ date: addDays(ref, 1), daypart: daypartOf(m[1]) }),
  },
  {
    cue: /today|tonight|this\s/i, re: re(String.raw`${PREP}\b(?:today|(tonight)|this\s+(morning|afternoon|evening))\b`),
    rank: 1,
    resolve: (m, ref) => ({ date: ref, daypart: m[1] ? 'pm' : daypartOf(m[2]) }),
  },
  {
    cue: /end of|eod|cob|close of|later today|after (?:lunch|work)/i, re: re(String.raw`${PREP}\b(?:(?:the\s+)?end of (?:the\s+)?(?:business\s+)?day|eod|cob|close of business|later today|after lunch|after work)\b`),
    rank: 0,
    resolve: (_m, ref) => ({ date: ref }),
  },
  { cue: /end of next/i, re: re(String.raw`${PREP}(?:the\s+)?end of next week\b`), rank: 1, resolve: (_m, ref) => ({ date: weekdayOfNextWeek(ref, 5) }) },
  {
    cue: /week/i, re: re(String.raw`${PREP}(?:the\s+)?end of (?:the\s+|this\s+)?week\b|\b(?:sometime\s+|later\s+)?this\s+week\b`),
    rank: 1,
    resolve: (_m, ref) => ({ date: endOfWeek(ref) }),
  },
  {
    cue: /end of/i, re: re(String.raw`${PREP}(?:the\s+)?end of (?:the\s+|this\s+)?month\b`),
    rank: 1,
    resolve: (_m, ref) => ({ date: { year: ref.year, month: ref.month, day: daysInMonth(ref.year, ref.month) } }),
  },
  { cue: /next week/i, re: re(String.raw`${PREP}(?:early\s+)?next week\b`), rank: 1, resolve: (_m, ref) => ({ date: weekdayOfNextWeek(ref, 1) }) },
  {
    cue: /next month/i, re: re(String.raw`${PREP}next month\b`),
    rank: 1,
    resolve: (_m, ref) => ({ date: ref.month === 12 ? { year: ref.year + 1, month: 1, day: 1 } : { year: ref.year, month: ref.month + 1, day: 1 } }),
  },
  { cue: /next weekend/i, re: re(String.raw`${PREP}next weekend\b`), rank: 1, resolve: (_m, ref) => ({ date: weekdayOfNextWeek(ref, 6) }) },
  {
    cue: /weekend/i, re: re(String.raw`${PREP}(?:this|the)\s+weekend\b`),
    rank: 1,
    resolve: (_m, ref) => ({ date: weekday(ref) === 6 || weekday(ref) === 0 ? ref : nextWeekday(ref, 6) }),
  },
  {
    cue: /\b(?:in|within)\s/i, re: re(String.raw`\b(?:in|within)\s+${NUM}\s+(day|week|month|hour|minute|min)s?\b|\bin half an hour\b`),
    rank: 1,
    resolve: (m, ref, refMs) => {
      if (m[1] === undefined) return { instant: new Date(refMs + 30 * 60_000).toISOString() };
      const n = num(m[1]);
      const unit = m[2]!.toLowerCase();
      if (!Number.isFinite(n) || n > 400) return null;
      if (unit === 'hour' || unit === 'minute' || unit === 'min') {
        return { instant: new Date(refMs + n * (unit === 'hour' ? 3_600_000 : 60_000)).toISOString() };
      }
      if (unit === 'month') {
        const total = ref.month - 1 + n;
        const year = ref.year + Math.floor(total / 12);
        const month = (total % 12) + 1;
        return { date: { year, month, day: Math.min(ref.day, daysInMonth(year, month)) } };
      }
      return { date: addDays(ref, unit === 'week' ? n * 7 : n) };
    },
  },
  {
    cue: /day/i, re: re(String.raw`${PREP}(?:(next|this coming|this|coming)\s+)?\b${WEEKDAY}\b(?!s\b)(?:\s+(morning|afternoon|evening|night))?`),
    rank: 1,
    resolve: (m, ref) => {
      const target = WEEKDAYS.indexOf(m[2]!.toLowerCase());
      const date = m[1]?.toLowerCase() === 'next' ? weekdayOfNextWeek(ref, target) : nextWeekday(ref, target);
      return { date, daypart: daypartOf(m[3]) };
    },
  },
];

const dateOf = (date: CalendarDate | null): Resolved | null => (date ? { date } : null);

const AT = String.raw`(?:\b(?:at|by|around|from|until|till)\s+(?:about\s+|around\s+|like\s+)?|@\s*)?`;
const AMPM = String.raw`(a\.?m\.?|p\.?m\.?)`;
const ZONE = String.raw`(?:\s*(?:utc|gmt)\b)?`;
const NOT_QUANTITY = String.raw`(?!\s*(?:%|percent|per\b|dollars?|euros?|pounds?|bucks|minutes?|mins?|hours?|days?|weeks?|months?|years?|people|seats|times|degrees|point|of\b|k\b|x\b|in a row|[.,:/]\d))`;

/** An hour word followed by minutes or am/pm ("seven thirty", "eight AM"): a clock time even without "at". */
export const SPOKEN_CLOCK = String.raw`(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:[ap]\.?m\b|fifteen|twenty|thirty|forty|fifty|oh\b)`;
const WORD_HOUR = String.raw`(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;
const WORD_MINUTE = String.raw`(oh[ -](?:one|two|three|four|five|six|seven|eight|nine)|fifteen|twenty(?:[ -]five)?|thirty(?:[ -]five)?|forty(?:[ -]five)?|fifty(?:[ -]five)?)`;
const MINUTE_PARTS: Record<string, number> = { oh: 0, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, five: 5 };

/** "forty-five" → 45, "oh five" → 5. */
function minuteOf(words: string): number | null {
  let total = 0;
  for (const w of words.toLowerCase().split(/[ -]/)) {
    const v = MINUTE_PARTS[w] ?? SMALL_NUMBERS[w];
    if (v === undefined) return null;
    total += v;
  }
  return total;
}

function clock(hour: number, minute: number, ampm: string | undefined): Resolved | null {
  if (minute > 59) return null;
  if (ampm === undefined) return hour > 23 ? null : { time: { hour, minute } };
  if (hour < 1 || hour > 12) return null;
  const pm = /^p/i.test(ampm);
  return { time: { hour: (hour % 12) + (pm ? 12 : 0), minute }, daypart: pm ? 'pm' : 'am' };
}

export const TIME_PATTERNS: readonly DatePattern[] = [
  {
    cue: /\d:\d/, re: re(String.raw`${AT}(?<![\d:.])(\d{1,2}):(\d{2})(?![:\d])\s*${AMPM}?${ZONE}`),
    rank: 1,
    resolve: (m) => {
      const r = clock(+m[1]!, +m[2]!, m[3]);
      // "09:00" written with a leading zero is a 24-hour time, as is anything past 12.
      return r && (m[1]!.length === 2 && m[1]!.startsWith('0')) ? { ...r, daypart: 'am' } : r;
    },
  },
  {
    cue: /\d\s*\.?\d*\s*[ap]\.?m/i, re: re(String.raw`${AT}(?<![\d:.])(\d{1,2})(?:\.(\d{2}))?\s*${AMPM}(?![a-z])${ZONE}`),
    rank: 1,
    resolve: (m) => clock(+m[1]!, m[2] === undefined ? 0 : +m[2], m[3]),
  },
  {
    cue: /(?:half|quarter) (?:past|to)\s/i, re: re(String.raw`${AT}\b(half|quarter)\s+(past|to)\s+${HOUR_WORD}\b(?:\s*${AMPM}(?![a-z]))?`),
    rank: 1,
    resolve: (m) => {
      const hour = num(m[3]!);
      if (!Number.isInteger(hour) || hour < 1 || hour > 12) return null;
      const minutes = /half/i.test(m[1]!) ? 30 : 15;
      const before = /to/i.test(m[2]!);
      const r = clock(before ? (hour === 1 ? 12 : hour - 1) : hour, before ? 60 - minutes : minutes, m[4]);
      return r;
    },
  },
  {
    // Spoken clock times without "at": "eight AM", "seven thirty", "ten forty in the morning".
    cue: new RegExp(String.raw`\b${SPOKEN_CLOCK}`, 'i'),
    re: re(String.raw`${AT}\b${WORD_HOUR}(?:\s+${WORD_MINUTE})?(?:\s*${AMPM}(?![a-z]))?\b${NOT_QUANTITY}`),
    rank: 1,
    resolve: (m) => {
      if (m[2] === undefined && m[3] === undefined) return null;
      const minute = m[2] === undefined ? 0 : minuteOf(m[2]);
      return minute === null ? null : clock(num(m[1]!), minute, m[3]);
    },
  },
  {
    // British "half six" is 6:30.
    cue: /\bhalf (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b/i, re: re(String.raw`${AT}\bhalf\s+${WORD_HOUR}\b${NOT_QUANTITY}`),
    rank: 1,
    resolve: (m) => clock(num(m[1]!), 30, undefined),
  },
  {
    cue: /noon|midday|midnight/i, re: re(String.raw`${AT}\b(noon|midday|midnight)\b`),
    rank: 2,
    resolve: (m) => ({ time: /midnight/i.test(m[1]!) ? { hour: 23, minute: 59 } : { hour: 12, minute: 0 } }),
  },
  {
    cue: /\b(?:at|around|by)\s/i, re: re(String.raw`\b(?:at|around|by)\s+(?:about\s+|like\s+)?${HOUR_WORD}(?:\s+(o'clock|thirty|fifteen|forty-five))?\b${NOT_QUANTITY}`),
    rank: 1,
    resolve: (m) => {
      const hour = num(m[1]!);
      if (!Number.isInteger(hour) || hour < 1 || hour > 12) return null;
      const minute = m[2] === undefined || /o'clock/i.test(m[2]) ? 0 : num(m[2]);
      return { time: { hour, minute } };
    },
  },
];
