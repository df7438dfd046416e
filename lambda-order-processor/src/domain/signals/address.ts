import { getAlpha2Codes, getAlpha3Codes } from 'i18n-iso-countries/index.js';
import englishNames from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import { validate as validatePostalCode } from 'postal-codes-js';
import type { Address, RiskSignal } from '../order/order.js';
import { riskSignal } from './reason.js';
import type { SignalRule } from './signal.js';

export const ADDRESS_INCOMPLETE = 'ADDRESS_INCOMPLETE';
export const ADDRESS_PLACEHOLDER = 'ADDRESS_PLACEHOLDER';
export const ADDRESS_UNKNOWN_COUNTRY = 'ADDRESS_UNKNOWN_COUNTRY';
export const ADDRESS_POSTAL_CODE_INVALID = 'ADDRESS_POSTAL_CODE_INVALID';

export const INCOMPLETE_FIRST_FIELD_POINTS = -1;
export const PLACEHOLDER_FIRST_FIELD_POINTS = -1.5;
export const EACH_FURTHER_FIELD_POINTS = -0.5;
export const MAX_INCOMPLETE_POINTS = -2;
export const MAX_PLACEHOLDER_POINTS = -3;
export const UNKNOWN_COUNTRY_POINTS = -1;
export const POSTAL_CODE_INVALID_POINTS = -1;

const TOPIC = 'Address';

type AddressField = keyof Address;
const FIELDS: readonly AddressField[] = ['street', 'city', 'state', 'zipCode', 'country'];
/** State stays optional: many countries have none. */
const REQUIRED_FIELDS: readonly AddressField[] = ['street', 'city', 'zipCode', 'country'];
const FIELD_LABELS: Readonly<Record<AddressField, string>> = {
  street: 'street',
  city: 'city',
  state: 'state',
  zipCode: 'zip code',
  country: 'country',
};

/** Whole values people type when they have no real address. ("NA" is left out: it is Namibia.) */
export const PLACEHOLDER_VALUES: ReadonlySet<string> = new Set([
  'unknown', 'n/a', 'none', 'null', 'undefined', 'nil', 'tbd', 'xx', 'xxx', '-', '--', '.', '?', 'test', 'fake',
  'asdf', 'nowhere', 'sample', 'example', 'placeholder', 'anytown', 'any town',
]);
/** Words that make any address line a placeholder ("123 Fake St", "Test City"). */
const PLACEHOLDER_WORD_PATTERN = /\b(?:fake|test|nowhere|unknown|sample|example|placeholder|asdf|qwerty|dummy)\b/i;
const PLACEHOLDER_ZIP_PATTERN = /^(?:[0\s-]+|x+)$/i;

function normaliseName(value: string): string {
  return value.trim().toLowerCase().replace(/\./g, '').replace(/\s+/g, ' ');
}

/** Every English name, alias, alpha-2 and alpha-3 code, normalised, to its alpha-2 code; built once. */
const ALPHA2_BY_NAME: ReadonlyMap<string, string> = (() => {
  const byName = new Map<string, string>();
  for (const alpha2 of Object.keys(getAlpha2Codes())) byName.set(alpha2.toLowerCase(), alpha2);
  for (const [alpha3, alpha2] of Object.entries(getAlpha3Codes())) byName.set(alpha3.toLowerCase(), alpha2);
  for (const [alpha2, names] of Object.entries(englishNames.countries)) {
    for (const name of typeof names === 'string' ? [names] : names) byName.set(normaliseName(name), alpha2);
  }
  return byName;
})();

/** ISO alpha-2 code for "USA", "US", "United States", "DEU", "Germany", ...; null when unknown. */
export function resolveCountryCode(country: string): string | null {
  return ALPHA2_BY_NAME.get(normaliseName(country)) ?? null;
}

function isBlank(value: string): boolean {
  return value.trim() === '';
}

export function isPlaceholder(field: AddressField, value: string): boolean {
  if (isBlank(value)) return false;
  if (field === 'zipCode' && PLACEHOLDER_ZIP_PATTERN.test(value.trim())) return true;
  return PLACEHOLDER_VALUES.has(value.trim().toLowerCase()) || PLACEHOLDER_WORD_PATTERN.test(value);
}

/** postal-codes-js answers this (instead of a verdict) for the few countries it has no data on. */
const UNSUPPORTED_COUNTRY_ANSWER = 'Unknown alpha2/alpha3 country code';

function isPostalCodeRejected(alpha2: string, zipCode: string): boolean {
  const verdict = validatePostalCode(alpha2, zipCode);
  return verdict !== true && !(typeof verdict === 'string' && verdict.startsWith(UNSUPPORTED_COUNTRY_ANSWER));
}

function pointsForFields(count: number, first: number, max: number): number {
  return Math.max(max, first + EACH_FURTHER_FIELD_POINTS * (count - 1));
}

function labels(fields: readonly AddressField[]): string {
  return fields.map((field) => FIELD_LABELS[field]).join(', ');
}

export const addressRule: SignalRule = (context) => {
  const address = context.order.shippingAddress;
  const missing = REQUIRED_FIELDS.filter((field) => isBlank(address[field]));
  const placeholders = FIELDS.filter((field) => isPlaceholder(field, address[field]));

  const signals: RiskSignal[] = [];
  if (missing.length > 0) {
    const points = pointsForFields(missing.length, INCOMPLETE_FIRST_FIELD_POINTS, MAX_INCOMPLETE_POINTS);
    signals.push(riskSignal(ADDRESS_INCOMPLETE, points, TOPIC, `missing ${labels(missing)}`));
  }
  if (placeholders.length > 0) {
    const points = pointsForFields(placeholders.length, PLACEHOLDER_FIRST_FIELD_POINTS, MAX_PLACEHOLDER_POINTS);
    signals.push(riskSignal(ADDRESS_PLACEHOLDER, points, TOPIC, `placeholder values in ${labels(placeholders)}`));
  }

  // A blank or placeholder country or zip code is already counted above.
  if (missing.includes('country') || placeholders.includes('country')) return signals;
  const alpha2 = resolveCountryCode(address.country);
  if (alpha2 === null) {
    signals.push(riskSignal(ADDRESS_UNKNOWN_COUNTRY, UNKNOWN_COUNTRY_POINTS, TOPIC, `unknown country "${address.country.trim()}"`));
    return signals;
  }
  if (missing.includes('zipCode') || placeholders.includes('zipCode')) return signals;
  if (isPostalCodeRejected(alpha2, address.zipCode)) {
    signals.push(
      riskSignal(
        ADDRESS_POSTAL_CODE_INVALID,
        POSTAL_CODE_INVALID_POINTS,
        TOPIC,
        `zip code ${address.zipCode.trim()} is not valid for ${alpha2}`,
      ),
    );
  }
  return signals;
};
