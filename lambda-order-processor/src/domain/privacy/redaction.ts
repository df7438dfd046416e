/**
 * Personal data that must never reach a log line or a notification in the clear (SPEC section 3:
 * emails and card digits). Pure string functions: the logger's JSON replacer and the notification
 * builder both use them.
 */

/** `john.doe@example.com` -> `j***@example.com`. Idempotent: a masked address stays as it is. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

// Local part and domain as RFC 5322 allows in practice; good enough to find addresses inside free text.
const EMAIL_IN_TEXT = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
// 13 to 19 digits, optionally grouped by single spaces or dashes (how people type card numbers).
const CARD_NUMBER_IN_TEXT = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;

/** The Luhn checksum every payment card number satisfies; it keeps ids and timestamps out of the masking. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** `4111 1111 1111 1111` -> `************1111`: card numbers keep only their last four digits. */
export function maskCardNumbers(text: string): string {
  return text.replace(CARD_NUMBER_IN_TEXT, (match) => {
    const digits = match.replace(/[ -]/g, '');
    return passesLuhn(digits) ? `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}` : match;
  });
}

/** Masks every email address and card number inside `text`. */
export function redactText(text: string): string {
  const withoutEmails = text.includes('@') ? text.replace(EMAIL_IN_TEXT, maskEmail) : text;
  return maskCardNumbers(withoutEmails);
}

/**
 * A JSON.stringify replacer that redacts every string value, whatever its key or depth: a log
 * attribute added later (an error message quoting a request body, say) is covered too.
 */
export function redactingJsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? redactText(value) : value;
}
