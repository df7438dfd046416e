import { resolveCountryCode } from './address.js';
import { scaleForStanding, standingOf } from './customer-history.js';
import { formatDollars, riskSignal } from './reason.js';
import type { SignalRule } from './signal.js';

export const COUNTRY_MISMATCH = 'COUNTRY_MISMATCH';

/** Below this total a billing/shipping country difference is usually a gift, not worth a signal. */
export const COUNTRY_MISMATCH_FROM_AMOUNT = 1000;
export const COUNTRY_MISMATCH_POINTS = -1.5;

/** Alpha-2 code when the name is known, else the trimmed, lower-cased text, so "US" and "USA" match. */
function countryKey(country: string): string {
  return resolveCountryCode(country) ?? country.trim().toLowerCase();
}

export const countryMismatchRule: SignalRule = (context) => {
  const { billingAddress, shippingAddress, totalAmount } = context.order;
  if (billingAddress === undefined || totalAmount < COUNTRY_MISMATCH_FROM_AMOUNT) return [];
  const billing = countryKey(billingAddress.country);
  const shipping = countryKey(shippingAddress.country);
  if (billing === shipping) return [];
  return [
    riskSignal(
      COUNTRY_MISMATCH,
      scaleForStanding(COUNTRY_MISMATCH_POINTS, standingOf(context)),
      'Country mismatch',
      `billing ${billingAddress.country.trim()}, shipping ${shippingAddress.country.trim()} on a ${formatDollars(totalAmount)} order`,
    ),
  ];
};
