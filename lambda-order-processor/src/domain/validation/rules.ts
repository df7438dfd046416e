import { isEmail } from 'class-validator';
import {
  CARD_LAST4_PATTERN,
  EMAIL_MAX_LENGTH,
  IDENTIFIER_MAX_LENGTH,
  IDENTIFIER_PATTERN,
  ITEMS_MAX,
  ITEMS_MIN,
  MONEY_DECIMALS,
  MONEY_MAX,
} from './limits.js';

/**
 * The field rules of SPEC section 2 as pure checks: each returns null when the value passes,
 * otherwise the short message shown to the client. The DTO decorators and the path-parameter
 * check both use these, so a rule and its wording live in one place.
 */
export type Problem = string | null;

/** Unicode category Cc: C0 controls, DEL and C1 controls. */
const CONTROL_CHARACTER = /\p{Cc}/u;
const CONTROL_CHARACTER_EXCEPT_LINE_BREAKS = /[^\P{Cc}\t\n\r]/u;
/** A surrogate half without its partner: not text, and not encodable as UTF-8 by the stores. */
const LONE_SURROGATE = /\p{Cs}/u;

export interface TextOptions {
  /** Free text such as a review note may span lines; tabs and line breaks are allowed there only. */
  allowLineBreaks?: boolean;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectProblem(value: unknown): Problem {
  return isPlainObject(value) ? null : 'must be an object';
}

export function textProblem(value: unknown, maxLength: number, options: TextOptions = {}): Problem {
  if (typeof value !== 'string') return 'must be a string';
  if (value.trim() === '') return 'must not be empty or blank';
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  const control = options.allowLineBreaks ? CONTROL_CHARACTER_EXCEPT_LINE_BREAKS : CONTROL_CHARACTER;
  if (control.test(value)) return 'must not contain control characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text';
  return null;
}

/** orderId / customerId: used verbatim as store keys and archive file names, so never trimmed. */
export function identifierProblem(value: unknown): Problem {
  if (typeof value !== 'string') return 'must be a string';
  if (value === '') return 'must not be empty';
  if (value.length > IDENTIFIER_MAX_LENGTH) return `must be at most ${IDENTIFIER_MAX_LENGTH} characters`;
  if (!IDENTIFIER_PATTERN.test(value)) {
    return 'must start with a letter or digit and contain only letters, digits, ".", "_", ":" or "-"';
  }
  return null;
}

export function emailProblem(value: unknown): Problem {
  if (typeof value !== 'string') return 'must be a string';
  const email = value.trim();
  if (email === '') return 'must not be empty or blank';
  if (email.length > EMAIL_MAX_LENGTH) return `must be at most ${EMAIL_MAX_LENGTH} characters`;
  if (!isEmail(email)) return 'must be a valid email address';
  return null;
}

/** Exact, case-sensitive membership. */
export function oneOfProblem(value: unknown, allowed: readonly string[]): Problem {
  return typeof value === 'string' && allowed.includes(value) ? null : `must be one of ${allowed.join(', ')}`;
}

/** JSON numbers only: a numeric string such as "5" is refused, never converted. */
export function integerProblem(value: unknown, min: number, max: number): Problem {
  const valid = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
  return valid ? null : `must be an integer between ${min} and ${max}`;
}

const CENTS_PER_UNIT = 10 ** MONEY_DECIMALS;
/** Doubles cannot hold 19.99 exactly; anything this close to a whole number of cents counts as one. */
const CENT_TOLERANCE = 1e-6;

export function hasAtMostTwoDecimals(amount: number): boolean {
  const cents = amount * CENTS_PER_UNIT;
  return Math.abs(cents - Math.round(cents)) < CENT_TOLERANCE;
}

/** price and totalAmount: dollars as a JSON number, > 0, <= MONEY_MAX, whole cents. */
export function moneyProblem(value: unknown): Problem {
  if (typeof value !== 'number') return 'must be a number';
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (value <= 0) return 'must be greater than 0';
  if (value > MONEY_MAX) return `must be at most ${MONEY_MAX}`;
  if (!hasAtMostTwoDecimals(value)) return `must have at most ${MONEY_DECIMALS} decimal places`;
  return null;
}

export function itemListProblem(value: unknown): Problem {
  if (!Array.isArray(value)) return 'must be an array';
  if (value.length < ITEMS_MIN || value.length > ITEMS_MAX) return `must contain between ${ITEMS_MIN} and ${ITEMS_MAX} items`;
  return null;
}

export function cardLast4Problem(value: unknown): Problem {
  return typeof value === 'string' && CARD_LAST4_PATTERN.test(value) ? null : 'must be exactly 4 digits';
}

/**
 * yyyy-mm-ddThh:mm[:ss[.fraction]] followed by Z or ±hh:mm. An offset is mandatory: a local
 * time without one cannot be placed on the timeline (the night-time signal needs the client's hour).
 */
const ISO_DATE_TIME_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
/** Real-world UTC offsets lie between -12:00 and +14:00. */
const MAX_OFFSET_MINUTES = 14 * 60;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leapYear = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leapYear ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Epoch milliseconds of an ISO-8601 date-time with offset, or null when it is not one (Feb 30, 24:00, no offset...). */
export function parseIsoDateTimeWithOffset(value: string): number | null {
  const match = ISO_DATE_TIME_WITH_OFFSET.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '0', , offsetHours = '0', offsetMinutes = '0'] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const offsetMinutesPart = Number(offsetMinutes);
  const valid =
    mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) &&
    Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59 &&
    offsetMinutesPart <= 59 && Number(offsetHours) * 60 + offsetMinutesPart <= MAX_OFFSET_MINUTES;
  if (!valid) return null;
  // The shape and the calendar are checked above, so Date.parse only converts.
  return Date.parse(value);
}

export function dateTimeProblem(value: unknown): Problem {
  if (typeof value === 'string' && parseIsoDateTimeWithOffset(value) !== null) return null;
  return 'must be an ISO-8601 date-time with a time zone offset or Z, e.g. 2025-06-02T14:30:00-07:00';
}
