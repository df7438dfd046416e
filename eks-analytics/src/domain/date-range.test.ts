import {
  DateRangeError,
  MAX_RANGE_DAYS,
  addDays,
  dateRange,
  dayOfWeek,
  daysBetween,
  eachDay,
  inRange,
  isCalendarDay,
  isWholeCalendarMonth,
  previousPeriod,
  resolveDateRange,
  utcToday,
} from './date-range.js';

const METRICS_DEFAULTS = { today: '2026-03-10', defaultDays: 7 };
const REPORT_DEFAULTS = { today: '2026-03-10', defaultDays: 1, endsYesterday: true };

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('resolveDateRange', () => {
  it('defaults to the last 7 days ending today', () => {
    expect(resolveDateRange({}, METRICS_DEFAULTS)).toEqual({ startDate: '2026-03-04', endDate: '2026-03-10', days: 7 });
  });

  it('defaults the report to yesterday', () => {
    expect(resolveDateRange({}, REPORT_DEFAULTS)).toEqual({ startDate: '2026-03-09', endDate: '2026-03-09', days: 1 });
  });

  it('default ranges cross month and year ends', () => {
    expect(resolveDateRange({}, { today: '2026-03-03', defaultDays: 7 })).toEqual({ startDate: '2026-02-25', endDate: '2026-03-03', days: 7 });
    expect(resolveDateRange({}, { today: '2026-01-01', defaultDays: 1, endsYesterday: true })).toEqual({
      startDate: '2025-12-31',
      endDate: '2025-12-31',
      days: 1,
    });
  });

  it('takes both dates exactly', () => {
    expect(resolveDateRange({ startDate: '2026-01-01', endDate: '2026-01-01' }, METRICS_DEFAULTS)).toEqual({
      startDate: '2026-01-01',
      endDate: '2026-01-01',
      days: 1,
    });
    expect(resolveDateRange({ startDate: '2026-01-25', endDate: '2026-02-05' }, METRICS_DEFAULTS)).toEqual({
      startDate: '2026-01-25',
      endDate: '2026-02-05',
      days: 12,
    });
  });

  it('counts leap days: February has 29 days in 2024 and 28 in 2026, 2000 is leap, 2100 is not', () => {
    expect(resolveDateRange({ startDate: '2024-02-01', endDate: '2024-03-01' }, METRICS_DEFAULTS).days).toBe(30);
    expect(resolveDateRange({ startDate: '2026-02-01', endDate: '2026-03-01' }, METRICS_DEFAULTS).days).toBe(29);
    expect(resolveDateRange({ startDate: '2000-02-29', endDate: '2000-02-29' }, METRICS_DEFAULTS).days).toBe(1);
    expect(errorOf(() => resolveDateRange({ startDate: '2100-02-29', endDate: '2100-03-01' }, METRICS_DEFAULTS)).message).toBe(
      'startDate 2100-02-29 is not a calendar date',
    );
    expect(resolveDateRange({ startDate: '2025-12-30', endDate: '2026-01-02' }, METRICS_DEFAULTS).days).toBe(4);
  });

  it('allows exactly 366 days and refuses 367', () => {
    expect(resolveDateRange({ startDate: '2024-01-01', endDate: '2024-12-31' }, METRICS_DEFAULTS)).toEqual({
      startDate: '2024-01-01',
      endDate: '2024-12-31',
      days: MAX_RANGE_DAYS,
    });
    const error = errorOf(() => resolveDateRange({ startDate: '2024-01-01', endDate: '2025-01-01' }, METRICS_DEFAULTS));
    expect(error).toBeInstanceOf(DateRangeError);
    expect(error.message).toBe('the range covers 367 days; at most 366 are allowed');
    expect(errorOf(() => resolveDateRange({ startDate: '2025-01-01', endDate: '2026-02-04' }, METRICS_DEFAULTS)).message).toBe(
      'the range covers 400 days; at most 366 are allowed',
    );
  });

  it('refuses a start after the end', () => {
    const error = errorOf(() => resolveDateRange({ startDate: '2026-03-02', endDate: '2026-03-01' }, METRICS_DEFAULTS));
    expect(error).toBeInstanceOf(DateRangeError);
    expect(error.message).toBe('startDate 2026-03-02 is after endDate 2026-03-01');
  });

  it.each([
    ['2026-1-5'],
    ['20260101'],
    [''],
    [' 2026-01-05'],
    ['2026-01-05 '],
    ['2026-01-05T00:00:00Z'],
    ['2026/01/05'],
    ['26-01-05'],
    ['+2026-01-05'],
    ['２０２６-01-05'],
  ])('refuses the malformed date %j', (text) => {
    const error = errorOf(() => resolveDateRange({ startDate: text, endDate: '2026-03-01' }, METRICS_DEFAULTS));
    expect(error).toBeInstanceOf(DateRangeError);
    expect(error.message).toBe('startDate must be a date in the form YYYY-MM-DD');
    expect(errorOf(() => resolveDateRange({ endDate: text }, METRICS_DEFAULTS)).message).toBe('endDate must be a date in the form YYYY-MM-DD');
  });

  it.each([['2026-13-01'], ['2026-00-10'], ['2026-02-30'], ['2026-02-29'], ['2026-04-31'], ['2026-01-00'], ['2026-01-32']])(
    'refuses the impossible date %s',
    (text) => {
      const error = errorOf(() => resolveDateRange({ startDate: '2026-01-01', endDate: text }, METRICS_DEFAULTS));
      expect(error).toBeInstanceOf(DateRangeError);
      expect(error.message).toBe(`endDate ${text} is not a calendar date`);
    },
  );

  it('checks startDate before endDate', () => {
    expect(errorOf(() => resolveDateRange({ startDate: 'x', endDate: 'y' }, METRICS_DEFAULTS)).message).toBe(
      'startDate must be a date in the form YYYY-MM-DD',
    );
  });

  it('with only startDate, runs to the default end day', () => {
    expect(resolveDateRange({ startDate: '2026-02-27' }, METRICS_DEFAULTS)).toEqual({ startDate: '2026-02-27', endDate: '2026-03-10', days: 12 });
    expect(resolveDateRange({ startDate: '2026-03-01' }, REPORT_DEFAULTS)).toEqual({ startDate: '2026-03-01', endDate: '2026-03-09', days: 9 });
  });

  it('with only startDate on or after the default end day, covers that single day', () => {
    expect(resolveDateRange({ startDate: '2026-03-10' }, REPORT_DEFAULTS)).toEqual({ startDate: '2026-03-10', endDate: '2026-03-10', days: 1 });
    expect(resolveDateRange({ startDate: '2026-04-01' }, METRICS_DEFAULTS)).toEqual({ startDate: '2026-04-01', endDate: '2026-04-01', days: 1 });
  });

  it('with only startDate far in the past, refuses a range over 366 days', () => {
    expect(errorOf(() => resolveDateRange({ startDate: '2025-01-01' }, METRICS_DEFAULTS)).message).toBe(
      'the range covers 434 days; at most 366 are allowed',
    );
  });

  it('with only endDate, covers the default number of days ending there', () => {
    expect(resolveDateRange({ endDate: '2024-03-02' }, METRICS_DEFAULTS)).toEqual({ startDate: '2024-02-25', endDate: '2024-03-02', days: 7 });
    expect(resolveDateRange({ endDate: '2026-01-01' }, REPORT_DEFAULTS)).toEqual({ startDate: '2026-01-01', endDate: '2026-01-01', days: 1 });
  });

  it('refuses defaults that are programming errors', () => {
    expect(() => resolveDateRange({}, { today: '2026-03-10', defaultDays: 0 })).toThrow('defaultDays must be an integer from 1 to 366: 0');
    expect(() => resolveDateRange({}, { today: '2026-3-10', defaultDays: 7 })).toThrow('"2026-3-10" is not a YYYY-MM-DD calendar day');
    expect(errorOf(() => resolveDateRange({}, { today: '2026-03-10', defaultDays: 1.5 }))).not.toBeInstanceOf(DateRangeError);
  });
});

describe('previousPeriod', () => {
  it('is the same length, ending the day before the start', () => {
    expect(previousPeriod({ startDate: '2026-03-04', endDate: '2026-03-10', days: 7 })).toEqual({
      startDate: '2026-02-25',
      endDate: '2026-03-03',
      days: 7,
    });
  });

  it('crosses year ends and leap days', () => {
    expect(previousPeriod({ startDate: '2026-01-01', endDate: '2026-01-01', days: 1 })).toEqual({
      startDate: '2025-12-31',
      endDate: '2025-12-31',
      days: 1,
    });
    expect(previousPeriod({ startDate: '2024-03-01', endDate: '2024-03-31', days: 31 })).toEqual({
      startDate: '2024-01-30',
      endDate: '2024-02-29',
      days: 31,
    });
    expect(previousPeriod({ startDate: '2025-01-01', endDate: '2025-12-31', days: 365 })).toEqual({
      startDate: '2024-01-02',
      endDate: '2024-12-31',
      days: 365,
    });
  });
});

describe('eachDay', () => {
  it('lists every day oldest first, across a leap day and a year end', () => {
    expect(eachDay({ startDate: '2024-02-27', endDate: '2024-03-02', days: 5 })).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2024-03-02',
    ]);
    expect(eachDay({ startDate: '2025-12-31', endDate: '2026-01-01', days: 2 })).toEqual(['2025-12-31', '2026-01-01']);
  });

  it('lists 366 days for a leap year, ending on 31 December', () => {
    const days = eachDay({ startDate: '2024-01-01', endDate: '2024-12-31', days: 366 });
    expect(days).toHaveLength(366);
    expect(days[59]).toBe('2024-02-29');
    expect(days[365]).toBe('2024-12-31');
    expect(new Set(days).size).toBe(366);
  });
});

describe('day arithmetic', () => {
  it('agrees with the JavaScript calendar for every day of 1999-2101', () => {
    const mismatches: string[] = [];
    let day = '1999-01-01';
    let checked = 0;
    for (let ms = Date.UTC(1999, 0, 1); ms <= Date.UTC(2101, 11, 31); ms += 86_400_000) {
      const expected = new Date(ms);
      if (day !== expected.toISOString().slice(0, 10) || dayOfWeek(day) !== expected.getUTCDay()) mismatches.push(day);
      day = addDays(day, 1);
      checked++;
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(37_620);
    expect(day).toBe('2102-01-01');
  });

  it('adds, subtracts and counts days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-10', -366)).toBe('2025-03-09');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
  });

  it('knows calendar days', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2023-02-29')).toBe(false);
    expect(isCalendarDay('2026-1-5')).toBe(false);
  });

  it('tests membership with both ends inclusive', () => {
    const range = { startDate: '2026-02-28', endDate: '2026-03-01', days: 2 };
    expect(inRange(range, '2026-02-27')).toBe(false);
    expect(inRange(range, '2026-02-28')).toBe(true);
    expect(inRange(range, '2026-03-01')).toBe(true);
    expect(inRange(range, '2026-03-02')).toBe(false);
  });

  it('recognises whole calendar months', () => {
    expect(isWholeCalendarMonth({ startDate: '2024-02-01', endDate: '2024-02-29', days: 29 })).toBe(true);
    expect(isWholeCalendarMonth({ startDate: '2026-02-01', endDate: '2026-02-28', days: 28 })).toBe(true);
    expect(isWholeCalendarMonth({ startDate: '2024-02-01', endDate: '2024-02-28', days: 28 })).toBe(false);
    expect(isWholeCalendarMonth({ startDate: '2026-03-02', endDate: '2026-03-31', days: 30 })).toBe(false);
    expect(isWholeCalendarMonth({ startDate: '2026-03-01', endDate: '2026-04-30', days: 61 })).toBe(false);
    expect(isWholeCalendarMonth({ startDate: '2025-12-01', endDate: '2025-12-31', days: 31 })).toBe(true);
  });

  it('builds program ranges without the request limit', () => {
    expect(dateRange('2026-01-01', '2027-12-31').days).toBe(730);
    expect(() => dateRange('2026-01-02', '2026-01-01')).toThrow('startDate 2026-01-02 is after endDate 2026-01-01');
  });

  it('reads today in UTC, whatever the local time zone', () => {
    expect(utcToday(new Date('2026-03-10T23:59:59.999Z'))).toBe('2026-03-10');
    expect(utcToday(new Date('2026-03-10T23:30:00-05:00'))).toBe('2026-03-11');
  });
});
