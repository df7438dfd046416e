import type { Address } from '../order/order.js';
import { COUNTRY_MISMATCH, countryMismatchRule } from './country-mismatch.js';
import { aContext, anOrder, aProfile } from './testing/screening-context.js';

const SHIPPING: Address = { street: '1 Main St', city: 'Austin', state: 'TX', zipCode: '73301', country: 'USA' };
const billingIn = (country: string): Address => ({ ...SHIPPING, country });

function signalsFor(totalAmount: number, billingAddress: Address | undefined, profile = aContext().profile) {
  return countryMismatchRule(aContext({ order: anOrder({ totalAmount, shippingAddress: SHIPPING, billingAddress }), profile }));
}

describe('countryMismatchRule', () => {
  it('flags a high-value order billed in another country', () => {
    expect(signalsFor(1200, billingIn('Nigeria'))).toEqual([
      { code: COUNTRY_MISMATCH, points: -1.5, reason: 'Country mismatch: billing Nigeria, shipping USA on a $1200 order (High risk)' },
    ]);
  });

  it('compares countries, not spellings', () => {
    expect(signalsFor(5000, billingIn('United States'))).toEqual([]);
    expect(signalsFor(5000, billingIn('us'))).toEqual([]);
  });

  it('ignores lower-value orders and orders without a billing address', () => {
    expect(signalsFor(999.99, billingIn('Nigeria'))).toEqual([]);
    expect(signalsFor(5000, undefined)).toEqual([]);
  });

  it('softens the mismatch for an established customer', () => {
    expect(signalsFor(1200, billingIn('Canada'), aProfile())[0]?.points).toBe(-0.4);
  });
});
