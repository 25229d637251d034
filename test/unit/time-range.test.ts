import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidTimeZone, resolveTimeRange } from '../../src/modules/ask/time-range.ts';
import { startOfZonedDay, zonedParts } from '../../src/modules/ask/zoned-time.ts';

// Thursday 2026-11-26: 15:00 in UTC, 07:00 in Los Angeles (PST), already Friday 00:00 in Tokyo.
const THURSDAY = new Date('2026-11-26T15:00:00Z');
const LA = 'America/Los_Angeles';
const TOKYO = 'Asia/Tokyo';

/** [from, to] for a question, or undefined when nothing is recognised. */
function span(question: string, now: Date = THURSDAY, zone = 'UTC'): [string, string] | undefined {
  const range = resolveTimeRange(question, now, zone);
  return range ? [range.from, range.to] : undefined;
}

/** [from, to] of whole UTC days, written as dates. */
const days = (from: string, to: string): [string, string] => [`${from}T00:00:00.000Z`, `${to}T00:00:00.000Z`];
const at = (from: string, to: string): [string, string] => [`${from}.000Z`, `${to}.000Z`];
const hours = ([from, to]: [string, string]): number => (Date.parse(to) - Date.parse(from)) / 3_600_000;

describe('isValidTimeZone', () => {
  it('accepts IANA zones Intl knows', () => {
    for (const zone of ['UTC', 'Europe/Berlin', LA, TOKYO, 'Asia/Kolkata', 'Etc/GMT+2']) {
      expect(isValidTimeZone(zone)).toBe(true);
    }
  });

  it('rejects empty, unknown and offset-only values', () => {
    for (const zone of ['', ' ', 'Mars/Base', '+02:00', '-0500', 'Europe/Nowhere', 'UTC+2']) {
      expect(isValidTimeZone(zone)).toBe(false);
    }
  });
});

describe('resolveTimeRange: days', () => {
  it('today and its parts of the day', () => {
    for (const q of ['today', 'this morning', 'this afternoon', 'this evening', 'tonight']) {
      expect(span(`What happened ${q}?`)).toEqual(days('2026-11-26', '2026-11-27'));
    }
    expect(span('today', THURSDAY, LA)).toEqual(at('2026-11-26T08:00:00', '2026-11-27T08:00:00'));
    expect(span('today', THURSDAY, TOKYO)).toEqual(at('2026-11-26T15:00:00', '2026-11-27T15:00:00'));
  });

  it('uses the local date, not the UTC one', () => {
    // 03:00 UTC on Friday is still Thursday evening in Los Angeles.
    const evening = new Date('2026-11-27T03:00:00Z');
    expect(span('today', evening, LA)).toEqual(at('2026-11-26T08:00:00', '2026-11-27T08:00:00'));
    expect(span('today', evening)).toEqual(days('2026-11-27', '2026-11-28'));
  });

  it('yesterday, with or without a part of the day, and last night', () => {
    for (const q of ['yesterday', 'yesterday morning', 'yesterday evening', 'last night']) {
      expect(span(q)).toEqual(days('2026-11-25', '2026-11-26'));
    }
    expect(span('yesterday', THURSDAY, LA)).toEqual(at('2026-11-25T08:00:00', '2026-11-26T08:00:00'));
    expect(span('yesterday', THURSDAY, TOKYO)).toEqual(at('2026-11-25T15:00:00', '2026-11-26T15:00:00'));
    expect(resolveTimeRange('yesterday afternoon', THURSDAY, 'UTC')?.phrase).toBe('yesterday afternoon');
  });

  it('the day before yesterday', () => {
    expect(span('the day before yesterday')).toEqual(days('2026-11-24', '2026-11-25'));
    expect(span('day before yesterday')).toEqual(days('2026-11-24', '2026-11-25'));
    expect(resolveTimeRange('What did I do the day before yesterday?', THURSDAY, 'UTC')?.phrase).toBe(
      'the day before yesterday',
    );
    expect(span('the day before yesterday', THURSDAY, TOKYO)).toEqual(at('2026-11-24T15:00:00', '2026-11-25T15:00:00'));
  });

  it('N days ago, in digits or words', () => {
    expect(span('3 days ago')).toEqual(days('2026-11-23', '2026-11-24'));
    expect(span('three days ago')).toEqual(days('2026-11-23', '2026-11-24'));
    expect(span('a day ago')).toEqual(days('2026-11-25', '2026-11-26'));
    expect(span('one day ago')).toEqual(days('2026-11-25', '2026-11-26'));
    expect(span('ten days ago')).toEqual(days('2026-11-16', '2026-11-17'));
    expect(span('30 days ago')).toEqual(days('2026-10-27', '2026-10-28'));
    expect(span('3 days ago', THURSDAY, LA)).toEqual(at('2026-11-23T08:00:00', '2026-11-24T08:00:00'));
    // In Tokyo it is already Friday the 27th.
    expect(span('3 days ago', THURSDAY, TOKYO)).toEqual(at('2026-11-23T15:00:00', '2026-11-24T15:00:00'));
  });

  it('last/past N days run from the start of the day N days ago to the end of today', () => {
    expect(span('last 3 days')).toEqual(days('2026-11-23', '2026-11-27'));
    expect(span('in the past seven days')).toEqual(days('2026-11-19', '2026-11-27'));
    expect(span('past 3 days', THURSDAY, LA)).toEqual(at('2026-11-23T08:00:00', '2026-11-27T08:00:00'));
    expect(span('past 3 days', THURSDAY, TOKYO)).toEqual(at('2026-11-23T15:00:00', '2026-11-27T15:00:00'));
    expect(span('last 2 weeks')).toEqual(days('2026-11-12', '2026-11-27'));
  });
});

describe('resolveTimeRange: weeks, weekends, months, years', () => {
  it('this week and last week are Monday-based', () => {
    expect(span('this week')).toEqual(days('2026-11-23', '2026-11-30'));
    expect(span('last week')).toEqual(days('2026-11-16', '2026-11-23'));
    expect(span('the past week')).toEqual(days('2026-11-16', '2026-11-23'));
    expect(span('this week', THURSDAY, LA)).toEqual(at('2026-11-23T08:00:00', '2026-11-30T08:00:00'));
    expect(span('last week', THURSDAY, TOKYO)).toEqual(at('2026-11-15T15:00:00', '2026-11-22T15:00:00'));
    expect(span('a week ago')).toEqual(days('2026-11-16', '2026-11-23'));
  });

  it('weekends run from Saturday 00:00 to Monday 00:00', () => {
    expect(span('this weekend')).toEqual(days('2026-11-28', '2026-11-30'));
    expect(span('last weekend')).toEqual(days('2026-11-21', '2026-11-23'));
    expect(span('over the weekend')).toEqual(days('2026-11-21', '2026-11-23'));
    expect(span('last weekend', THURSDAY, LA)).toEqual(at('2026-11-21T08:00:00', '2026-11-23T08:00:00'));
    const sunday = new Date('2026-11-29T12:00:00Z');
    expect(span('this weekend', sunday)).toEqual(days('2026-11-28', '2026-11-30'));
    expect(span('the weekend', sunday)).toEqual(days('2026-11-28', '2026-11-30'));
    expect(span('last weekend', sunday)).toEqual(days('2026-11-21', '2026-11-23'));
  });

  it('this month, last month, N months ago', () => {
    expect(span('this month')).toEqual(days('2026-11-01', '2026-12-01'));
    expect(span('last month')).toEqual(days('2026-10-01', '2026-11-01'));
    expect(span('2 months ago')).toEqual(days('2026-09-01', '2026-10-01'));
    // Los Angeles: November begins in daylight time and ends in standard time.
    expect(span('this month', THURSDAY, LA)).toEqual(at('2026-11-01T07:00:00', '2026-12-01T08:00:00'));
    expect(span('last month', THURSDAY, TOKYO)).toEqual(at('2026-09-30T15:00:00', '2026-10-31T15:00:00'));
  });

  it('this year and last year', () => {
    expect(span('this year')).toEqual(days('2026-01-01', '2027-01-01'));
    expect(span('last year')).toEqual(days('2025-01-01', '2026-01-01'));
    expect(span('last year', THURSDAY, LA)).toEqual(at('2025-01-01T08:00:00', '2026-01-01T08:00:00'));
    expect(span('this year', THURSDAY, TOKYO)).toEqual(at('2025-12-31T15:00:00', '2026-12-31T15:00:00'));
  });

  it('crosses the year boundary in January', () => {
    const january = new Date('2026-01-15T12:00:00Z');
    expect(span('last month', january)).toEqual(days('2025-12-01', '2026-01-01'));
    expect(span('this month', january)).toEqual(days('2026-01-01', '2026-02-01'));
    expect(span('last year', january)).toEqual(days('2025-01-01', '2026-01-01'));
    expect(span('last week', new Date('2026-01-02T12:00:00Z'))).toEqual(days('2025-12-22', '2025-12-29'));
  });
});

describe('resolveTimeRange: weekday names', () => {
  it('is the most recent such day strictly before today', () => {
    expect(span('on Monday')).toEqual(days('2026-11-23', '2026-11-24'));
    expect(span('monday')).toEqual(days('2026-11-23', '2026-11-24'));
    expect(span('last Tuesday')).toEqual(days('2026-11-24', '2026-11-25'));
    expect(span('on Wednesday')).toEqual(days('2026-11-25', '2026-11-26'));
    expect(span('on Friday')).toEqual(days('2026-11-20', '2026-11-21'));
    expect(span('on Sunday')).toEqual(days('2026-11-22', '2026-11-23'));
  });

  it('means a week ago when today is that weekday', () => {
    expect(span('on Thursday')).toEqual(days('2026-11-19', '2026-11-20'));
    expect(span('last thursday')).toEqual(days('2026-11-19', '2026-11-20'));
    // Friday in Tokyo: "Thursday" is yesterday there, "Friday" a week ago.
    expect(span('on Thursday', THURSDAY, TOKYO)).toEqual(at('2026-11-25T15:00:00', '2026-11-26T15:00:00'));
    expect(span('on Friday', THURSDAY, TOKYO)).toEqual(at('2026-11-19T15:00:00', '2026-11-20T15:00:00'));
  });

  it('"this <weekday>" is the one in the current Monday-based week', () => {
    expect(span('this Monday')).toEqual(days('2026-11-23', '2026-11-24'));
    expect(span('this Thursday')).toEqual(days('2026-11-26', '2026-11-27'));
    expect(span('this Saturday')).toEqual(days('2026-11-28', '2026-11-29'));
    expect(span('this Monday', THURSDAY, LA)).toEqual(at('2026-11-23T08:00:00', '2026-11-24T08:00:00'));
  });

  it('only matches whole words', () => {
    expect(span('Do I have notes about Mondays?')).toBeUndefined();
  });
});

describe('resolveTimeRange: month names', () => {
  it('is the whole month in the latest year where it is not in the future', () => {
    expect(span('in March')).toEqual(days('2026-03-01', '2026-04-01'));
    expect(span('March')).toEqual(days('2026-03-01', '2026-04-01'));
    expect(span('during november')).toEqual(days('2026-11-01', '2026-12-01'));
    expect(span('in December')).toEqual(days('2025-12-01', '2026-01-01'));
    expect(span('in March', THURSDAY, LA)).toEqual(at('2026-03-01T08:00:00', '2026-04-01T07:00:00'));
    expect(span('in December', THURSDAY, TOKYO)).toEqual(at('2025-11-30T15:00:00', '2025-12-31T15:00:00'));
  });

  it('asking about December in January means last December', () => {
    const january = new Date('2026-01-15T12:00:00Z');
    expect(span('What did I do in December?', january)).toEqual(days('2025-12-01', '2026-01-01'));
    expect(span('in January', january)).toEqual(days('2026-01-01', '2026-02-01'));
    expect(span('last January', january)).toEqual(days('2025-01-01', '2025-02-01'));
  });

  it('"last" and "this" with a month name', () => {
    expect(span('last November')).toEqual(days('2025-11-01', '2025-12-01'));
    expect(span('last March')).toEqual(days('2026-03-01', '2026-04-01'));
    expect(span('this December')).toEqual(days('2026-12-01', '2027-01-01'));
  });

  it('a month with a day or a year', () => {
    expect(span('March 3')).toEqual(days('2026-03-03', '2026-03-04'));
    expect(span('on December 25th')).toEqual(days('2025-12-25', '2025-12-26'));
    expect(span('in March 2025')).toEqual(days('2025-03-01', '2025-04-01'));
    expect(span('February 30')).toEqual(days('2026-02-28', '2026-03-01'));
  });

  it('treats "may" as a month only when the context says so', () => {
    expect(span('May I know what I said about the budget?')).toBeUndefined();
    expect(span('What may have caused the delay?')).toBeUndefined();
    expect(span('This may be important')).toBeUndefined();
    expect(span('may I know what happened yesterday')).toEqual(days('2026-11-25', '2026-11-26'));
    expect(span('in May')).toEqual(days('2026-05-01', '2026-06-01'));
    expect(span('during may')).toEqual(days('2026-05-01', '2026-06-01'));
    expect(span('last May')).toEqual(days('2026-05-01', '2026-06-01'));
    expect(span('this May')).toEqual(days('2026-05-01', '2026-06-01'));
    expect(span('May 5')).toEqual(days('2026-05-05', '2026-05-06'));
    expect(span('May 2025')).toEqual(days('2025-05-01', '2025-06-01'));
  });

  it('only matches whole words', () => {
    expect(span('Who was marching?')).toBeUndefined();
  });
});

describe('resolveTimeRange: daylight saving time', () => {
  it('Europe/Berlin 2026-03-29 is 23 hours long', () => {
    const now = new Date('2026-03-29T12:00:00Z'); // Sunday 14:00 CEST
    const today = span('today', now, 'Europe/Berlin');
    expect(today).toEqual(at('2026-03-28T23:00:00', '2026-03-29T22:00:00'));
    expect(hours(today!)).toBe(23);
    expect(span('yesterday', now, 'Europe/Berlin')).toEqual(at('2026-03-27T23:00:00', '2026-03-28T23:00:00'));
    expect(span('this week', now, 'Europe/Berlin')).toEqual(at('2026-03-22T23:00:00', '2026-03-29T22:00:00'));
    expect(span('this month', now, 'Europe/Berlin')).toEqual(at('2026-02-28T23:00:00', '2026-03-31T22:00:00'));
    expect(span('on Sunday', now, 'Europe/Berlin')).toEqual(at('2026-03-21T23:00:00', '2026-03-22T23:00:00'));
    expect(span('this weekend', now, 'Europe/Berlin')).toEqual(at('2026-03-27T23:00:00', '2026-03-29T22:00:00'));
  });

  it('America/New_York 2026-11-01 is 25 hours long', () => {
    const now = new Date('2026-11-01T18:00:00Z'); // Sunday 13:00 EST
    const today = span('today', now, 'America/New_York');
    expect(today).toEqual(at('2026-11-01T04:00:00', '2026-11-02T05:00:00'));
    expect(hours(today!)).toBe(25);
    expect(span('yesterday', now, 'America/New_York')).toEqual(at('2026-10-31T04:00:00', '2026-11-01T04:00:00'));
    expect(span('the day before yesterday', new Date('2026-11-03T12:00:00Z'), 'America/New_York')).toEqual(
      at('2026-11-01T04:00:00', '2026-11-02T05:00:00'),
    );
  });

  it('a day whose midnight is skipped begins when the clocks jump', () => {
    // Santiago moves from 00:00 -04 straight to 01:00 -03 on 2026-09-06.
    const start = startOfZonedDay({ year: 2026, month: 9, day: 6 }, 'America/Santiago');
    expect(start.toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(zonedParts(new Date(start.getTime() - 1000), 'America/Santiago').day).toBe(5);
  });

  it('"today" always contains now and starts at a local midnight', () => {
    const zones = ['UTC', LA, TOKYO, 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const now = new Date(ms);
          const [from, to] = span('today', now, zone)!;
          expect(Date.parse(from)).toBeLessThanOrEqual(ms);
          expect(Date.parse(to)).toBeGreaterThan(ms);
          expect(hours([from, to])).toBeGreaterThanOrEqual(23);
          expect(hours([from, to])).toBeLessThanOrEqual(25);
          const local = zonedParts(new Date(from), zone);
          expect([local.hour, local.minute, local.second]).toEqual([0, 0, 0]);
        },
      ),
    );
  });
});

describe('resolveTimeRange: phrase, rest and precedence', () => {
  it('removes the phrase and a preposition before it', () => {
    const monday = resolveTimeRange('What did I discuss on Monday?', THURSDAY, 'UTC');
    expect(monday?.phrase).toBe('Monday');
    expect(monday?.rest).toBe('What did I discuss?');
    const days3 = resolveTimeRange('What did I talk about during the last 3 days with Anna', THURSDAY, 'UTC');
    expect(days3?.phrase).toBe('the last 3 days');
    expect(days3?.rest).toBe('What did I talk about with Anna');
    expect(resolveTimeRange('Summarize my meetings over the weekend', THURSDAY, 'UTC')?.rest).toBe(
      'Summarize my meetings',
    );
    expect(resolveTimeRange('Yesterday, what did I eat?', THURSDAY, 'UTC')?.rest).toBe('what did I eat?');
    expect(resolveTimeRange('What  did I   plan from last week  about  travel', THURSDAY, 'UTC')?.rest).toBe(
      'What did I plan about travel',
    );
    expect(resolveTimeRange('In March what did I buy', THURSDAY, 'UTC')?.rest).toBe('what did I buy');
  });

  it('keeps the phrase as written and matches case-insensitively', () => {
    expect(resolveTimeRange('What happened YESTERDAY?', THURSDAY, 'UTC')?.phrase).toBe('YESTERDAY');
    expect(span('Last Week')).toEqual(days('2026-11-16', '2026-11-23'));
    expect(span('THIS MONTH')).toEqual(days('2026-11-01', '2026-12-01'));
  });

  it('uses the first expression when there are several', () => {
    expect(span('What did I do yesterday and last week?')).toEqual(days('2026-11-25', '2026-11-26'));
    expect(span('Compare last week with yesterday')).toEqual(days('2026-11-16', '2026-11-23'));
    expect(resolveTimeRange('In March and in May', THURSDAY, 'UTC')?.phrase).toBe('March');
  });

  it('returns undefined without a date expression', () => {
    expect(resolveTimeRange('What did I say about the budget?', THURSDAY, 'UTC')).toBeUndefined();
    expect(resolveTimeRange('', THURSDAY, 'UTC')).toBeUndefined();
    expect(resolveTimeRange('Anything about todays agenda or yesterdays news?', THURSDAY, 'UTC')).toBeUndefined();
  });

  it('throws RangeError for an unknown time zone', () => {
    expect(() => resolveTimeRange('today', THURSDAY, 'Mars/Base')).toThrow(RangeError);
  });
});
