import { utcDay } from '@orderops/lambda-order-processor/domain/order/order';

/**
 * Date ranges of the analytics API (SPEC section 6): UTC calendar days written `YYYY-MM-DD`, both
 * ends inclusive. Day arithmetic is done on integer day numbers (days since 1970-01-01 in the
 * proleptic Gregorian calendar), never through local time, so month ends, leap days and year ends
 * need no special cases.
 */
export interface DateRange {
  startDate: string;
  endDate: string;
  /** Number of days covered, both ends included (1 for a one-day range). */
  days: number;
}

/** The longest range a request may ask for (a leap year). */
export const MAX_RANGE_DAYS = 366;

/** A request's dates are wrong; the message is written for a 400 response body. */
export class DateRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DateRangeError';
  }
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil, integer arithmetic only). */
function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The civil date of a day number (H. Hinnant's civil_from_days). */
function civilOf(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function format(dayNumber: number): string {
  const { year, month, day } = civilOf(dayNumber);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

type DayProblem = 'format' | 'calendar';

function parse(text: string): number | DayProblem {
  const match = DAY_PATTERN.exec(text);
  if (!match) return 'format';
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'calendar';
  return dayNumberOf(year, month, day);
}

/** True for an exact `YYYY-MM-DD` that names a real calendar day. */
export function isCalendarDay(text: string): boolean {
  return typeof parse(text) === 'number';
}

/**
 * The day number of a `YYYY-MM-DD` day. `name` is the parameter the text came from, used in the
 * message. Nothing is trimmed or padded: `" 2026-01-05"`, `"2026-1-5"`, `"20260105"` and `""` are
 * refused, so a request means exactly one thing.
 */
function dayNumberFromParameter(name: string, text: string): number {
  const parsed = parse(text);
  if (parsed === 'format') throw new DateRangeError(`${name} must be a date in the form YYYY-MM-DD`);
  if (parsed === 'calendar') throw new DateRangeError(`${name} ${text} is not a calendar date`);
  return parsed;
}

/** Day number of a day the program itself produced (not user input): a bad one is a bug. */
function dayNumber(day: string): number {
  const parsed = parse(day);
  if (typeof parsed !== 'number') throw new Error(`"${day}" is not a YYYY-MM-DD calendar day`);
  return parsed;
}

/** `day` plus `count` days (count may be negative). */
export function addDays(day: string, count: number): string {
  return format(dayNumber(day) + count);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Day of the week, 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(day: string): number {
  return (((dayNumber(day) + 4) % 7) + 7) % 7;
}

function rangeOf(start: number, end: number): DateRange {
  const days = end - start + 1;
  if (days > MAX_RANGE_DAYS) {
    throw new DateRangeError(`the range covers ${days} days; at most ${MAX_RANGE_DAYS} are allowed`);
  }
  return { startDate: format(start), endDate: format(end), days };
}

export interface DateRangeInput {
  startDate?: string | undefined;
  endDate?: string | undefined;
}

export interface DateRangeDefaults {
  /** Today's UTC day (see utcToday). */
  today: string;
  /** Length of the default range, 1..366. */
  defaultDays: number;
  /** The default range ends yesterday instead of today (the report covers whole days). */
  endsYesterday?: boolean;
}

/**
 * The range a request asks for.
 *
 * - Neither date: the last `defaultDays` days ending on the default end day, which is today, or
 *   yesterday when `endsYesterday` (metrics and costs: 7 days ending today; the report: 1 day, yesterday).
 * - Only `startDate`: from it to the default end day ("since"). When startDate is after the default
 *   end (today, or yesterday for the report), the range is that single day.
 * - Only `endDate`: the `defaultDays` days ending on it.
 * - Both: exactly as given.
 *
 * An empty string is a malformed date, not a missing one. Throws DateRangeError (a 400) for a
 * malformed or impossible date, a start after the end, or more than MAX_RANGE_DAYS days.
 */
export function resolveDateRange(query: DateRangeInput, defaults: DateRangeDefaults): DateRange {
  const { defaultDays } = defaults;
  if (!Number.isInteger(defaultDays) || defaultDays < 1 || defaultDays > MAX_RANGE_DAYS) {
    throw new Error(`defaultDays must be an integer from 1 to ${MAX_RANGE_DAYS}: ${defaultDays}`);
  }
  const defaultEnd = dayNumber(defaults.today) - (defaults.endsYesterday === true ? 1 : 0);
  const start = query.startDate === undefined ? undefined : dayNumberFromParameter('startDate', query.startDate);
  const end = query.endDate === undefined ? undefined : dayNumberFromParameter('endDate', query.endDate);

  if (start !== undefined && end !== undefined) {
    if (start > end) throw new DateRangeError(`startDate ${format(start)} is after endDate ${format(end)}`);
    return rangeOf(start, end);
  }
  if (start !== undefined) return rangeOf(start, Math.max(start, defaultEnd));
  if (end !== undefined) return rangeOf(end - defaultDays + 1, end);
  return rangeOf(defaultEnd - defaultDays + 1, defaultEnd);
}

/** A range from two days the program produced (e.g. a forecast horizon); not limited to 366 days. */
export function dateRange(startDate: string, endDate: string): DateRange {
  const days = daysBetween(startDate, endDate) + 1;
  if (days < 1) throw new Error(`startDate ${startDate} is after endDate ${endDate}`);
  return { startDate, endDate, days };
}

/** The period of the same length that ends the day before `range` starts. */
export function previousPeriod(range: DateRange): DateRange {
  const start = dayNumber(range.startDate);
  return { startDate: format(start - range.days), endDate: format(start - 1), days: range.days };
}

/** Every day of the range, oldest first. */
export function eachDay(range: DateRange): string[] {
  const start = dayNumber(range.startDate);
  const days: string[] = [];
  for (let offset = 0; offset < range.days; offset++) days.push(format(start + offset));
  return days;
}

/** True when `day` lies in the range (both ends inclusive). `YYYY-MM-DD` strings order like days. */
export function inRange(range: DateRange, day: string): boolean {
  return day >= range.startDate && day <= range.endDate;
}

/** True when the range is one whole calendar month (the 1st to the month's last day). */
export function isWholeCalendarMonth(range: DateRange): boolean {
  const start = civilOf(dayNumber(range.startDate));
  const end = civilOf(dayNumber(range.endDate));
  return start.day === 1 && end.year === start.year && end.month === start.month && end.day === daysInMonth(end.year, end.month);
}

/** Today's UTC day. */
export function utcToday(now: Date): string {
  return utcDay(now);
}
