import type { VelocitySnapshot } from '../order/velocity.js';
import { DEFAULT_SCREENING_SETTINGS } from '../scoring/defaults.js';
import type { ScreeningSettings } from './signal.js';
import { aContext, NO_VELOCITY } from './testing/screening-context.js';
import {
  addressSharedRule,
  cardSharedRule,
  customerBurstRule,
  VELOCITY_ADDRESS_SHARED,
  VELOCITY_CARD_SHARED,
  VELOCITY_CUSTOMER_BURST,
} from './velocity.js';

const withVelocity = (velocity: Partial<VelocitySnapshot>, settings: ScreeningSettings = DEFAULT_SCREENING_SETTINGS) =>
  aContext({ velocity: { ...NO_VELOCITY, ...velocity }, settings });

describe('customerBurstRule', () => {
  it('fires once the customer reaches the limit of recent orders, harder far past it', () => {
    expect(customerBurstRule(withVelocity({ customerRecentOrders: 2 }))).toEqual([]);
    expect(customerBurstRule(withVelocity({ customerRecentOrders: 3 }))).toEqual([
      { code: VELOCITY_CUSTOMER_BURST, points: -1.5, reason: 'Velocity: 3 earlier orders from this customer recently (High risk)' },
    ]);
    expect(customerBurstRule(withVelocity({ customerRecentOrders: 6 }))[0]?.points).toBe(-3);
  });

  it('follows the configured limit', () => {
    const settings = { ...DEFAULT_SCREENING_SETTINGS, velocity: { ...DEFAULT_SCREENING_SETTINGS.velocity, customerMaxOrders: 10 } };
    expect(customerBurstRule(withVelocity({ customerRecentOrders: 6 }, settings))).toEqual([]);
    expect(customerBurstRule(withVelocity({ customerRecentOrders: 10 }, settings))).toHaveLength(1);
  });
});

describe('cardSharedRule', () => {
  it('allows one other customer on a card and address (a household)', () => {
    expect(cardSharedRule(withVelocity({ cardOtherCustomers: 1, cardOtherEmails: 1 }))).toEqual([]);
  });

  it('flags card testing by other customers or other emails', () => {
    expect(cardSharedRule(withVelocity({ cardOtherCustomers: 2, cardOtherEmails: 2 }))).toEqual([
      { code: VELOCITY_CARD_SHARED, points: -2.5, reason: 'Velocity: this card was used by 2 other customers recently (Very high risk)' },
    ]);
    expect(cardSharedRule(withVelocity({ cardOtherCustomers: 0, cardOtherEmails: 3 }))[0]?.reason).toBe(
      'Velocity: this card was used by 3 other emails recently (Very high risk)',
    );
    expect(cardSharedRule(withVelocity({ cardOtherCustomers: 4 }))[0]?.points).toBe(-4);
  });
});

describe('addressSharedRule', () => {
  it('flags an address receiving orders from more customers than the limit', () => {
    expect(addressSharedRule(withVelocity({ addressOtherCustomers: 3 }))).toEqual([]);
    expect(addressSharedRule(withVelocity({ addressOtherCustomers: 4 }))).toEqual([
      { code: VELOCITY_ADDRESS_SHARED, points: -1.5, reason: 'Velocity: 4 other customers shipped to this address recently (High risk)' },
    ]);
    expect(addressSharedRule(withVelocity({ addressOtherCustomers: 8 }))[0]?.points).toBe(-2.5);
  });
});
