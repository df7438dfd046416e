import type { Address } from '../order/order.js';
import {
  ADDRESS_INCOMPLETE,
  ADDRESS_PLACEHOLDER,
  ADDRESS_POSTAL_CODE_INVALID,
  ADDRESS_UNKNOWN_COUNTRY,
  addressRule,
  resolveCountryCode,
} from './address.js';
import { aContext, anOrder } from './testing/screening-context.js';

const VALID: Address = { street: '456 Oak Ave', city: 'Boston', state: 'MA', zipCode: '02101', country: 'USA' };

function signalsFor(overrides: Partial<Address>) {
  return addressRule(aContext({ order: anOrder({ shippingAddress: { ...VALID, ...overrides } }) }));
}

describe('addressRule', () => {
  it('says nothing about a complete, valid address', () => {
    expect(signalsFor({})).toEqual([]);
    expect(signalsFor({ street: '10 Downing St', city: 'London', state: '', zipCode: 'SW1A 2AA', country: 'United Kingdom' })).toEqual([]);
    expect(signalsFor({ street: 'Unter den Linden 1', city: 'Berlin', state: '', zipCode: '10117', country: 'Germany' })).toEqual([]);
  });

  it('grades placeholder values by how many fields carry them', () => {
    expect(signalsFor({ street: '123 Fake St', city: 'Nowhere', state: 'XX', zipCode: '00000', country: 'Unknown' })).toEqual([
      {
        code: ADDRESS_PLACEHOLDER,
        points: -3,
        reason: 'Address: placeholder values in street, city, state, zip code, country (Very high risk)',
      },
    ]);
    expect(signalsFor({ street: 'Unknown', city: 'Test City', state: 'CA', zipCode: '90001' })).toEqual([
      { code: ADDRESS_PLACEHOLDER, points: -2, reason: 'Address: placeholder values in street, city (Very high risk)' },
    ]);
    expect(signalsFor({ state: 'N/A' })).toEqual([
      { code: ADDRESS_PLACEHOLDER, points: -1.5, reason: 'Address: placeholder values in state (High risk)' },
    ]);
  });

  it('flags missing fields but not a missing state', () => {
    expect(signalsFor({ city: '  ' })).toEqual([
      { code: ADDRESS_INCOMPLETE, points: -1, reason: 'Address: missing city (Medium risk)' },
    ]);
    expect(signalsFor({ state: '' })).toEqual([]);
  });

  it('flags a country nobody knows', () => {
    expect(signalsFor({ country: 'Atlantis' })).toEqual([
      { code: ADDRESS_UNKNOWN_COUNTRY, points: -1, reason: 'Address: unknown country "Atlantis" (Medium risk)' },
    ]);
  });

  it('flags a postal code that is not valid for the country', () => {
    expect(signalsFor({ zipCode: '1234' })).toEqual([
      { code: ADDRESS_POSTAL_CODE_INVALID, points: -1, reason: 'Address: zip code 1234 is not valid for US (Medium risk)' },
    ]);
    expect(signalsFor({ country: 'Germany', zipCode: '1011' }).map((signal) => signal.code)).toEqual([ADDRESS_POSTAL_CODE_INVALID]);
  });

  it('stays silent where the postal code data has no entry for the country', () => {
    expect(signalsFor({ country: 'XK', zipCode: 'anything' })).toEqual([]);
  });
});

describe('resolveCountryCode', () => {
  it('maps names, aliases and ISO codes to alpha-2', () => {
    const inputs = ['USA', 'US', 'us', 'United States', 'United States of America', 'U.S.A.', 'DEU', 'Germany', 'UK', ' gb ', 'NA'];
    expect(inputs.map(resolveCountryCode)).toEqual(['US', 'US', 'US', 'US', 'US', 'US', 'DE', 'DE', 'GB', 'GB', 'NA']);
  });

  it('returns null for anything else', () => {
    expect(resolveCountryCode('Unknown')).toBeNull();
    expect(resolveCountryCode('')).toBeNull();
  });
});
