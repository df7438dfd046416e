import {
  CUSTOMER_ESTABLISHED,
  CUSTOMER_NEW,
  CUSTOMER_NO_APPROVED_ORDERS,
  CUSTOMER_PRIOR_REJECTIONS,
  customerHistoryRule,
  customerStanding,
  scaleForStanding,
} from './customer-history.js';
import { aContext, anOrder, aProfile, RECEIVED_AT } from './testing/screening-context.js';

describe('customerHistoryRule', () => {
  it('marks a customer the store has never seen as new', () => {
    expect(customerHistoryRule(aContext())).toEqual([
      { code: CUSTOMER_NEW, points: -1, reason: 'New customer: no order history on record (Medium risk)' },
    ]);
  });

  it('lets a client claim soften the new-customer penalty only slightly and add nothing else', () => {
    const claimed = customerHistoryRule(aContext({ order: anOrder({ customerType: 'VIP', orderHistory: 50 }) }));
    expect(claimed).toEqual([
      {
        code: CUSTOMER_NEW,
        points: -0.8,
        reason: 'New customer: no order history on record, claimed VIP status and 50 prior orders unverified (Medium risk)',
      },
    ]);
  });

  it('treats a BUSINESS claim or a claimed history alone the same way', () => {
    const business = customerHistoryRule(aContext({ order: anOrder({ customerType: 'BUSINESS', orderHistory: 0 }) }));
    expect(business.map((signal) => signal.points)).toEqual([-0.8]);
    const history = customerHistoryRule(aContext({ order: anOrder({ orderHistory: 1 }) }));
    expect(history[0]?.reason).toBe('New customer: no order history on record, claimed 1 prior order unverified (Medium risk)');
  });

  it('ignores the claim once the store knows the customer', () => {
    const profile = aProfile({ approvedCount: 2, orderCount: 2, ageDays: 10 });
    const claimed = customerHistoryRule(aContext({ profile, order: anOrder({ customerType: 'VIP', orderHistory: 500 }) }));
    expect(claimed).toEqual([]);
  });

  it('flags a known customer without any approved order', () => {
    const profile = aProfile({ approvedCount: 0, pendingCount: 1, orderCount: 1 });
    expect(customerHistoryRule(aContext({ profile }))).toEqual([
      { code: CUSTOMER_NO_APPROVED_ORDERS, points: -1, reason: 'Customer history: no approved orders on record (Medium risk)' },
    ]);
  });

  it('grades prior rejections and caps them', () => {
    const pointsFor = (rejectedCount: number) =>
      customerHistoryRule(aContext({ profile: aProfile({ rejectedCount }) })).find(
        (signal) => signal.code === CUSTOMER_PRIOR_REJECTIONS,
      );
    expect(pointsFor(1)).toEqual({
      code: CUSTOMER_PRIOR_REJECTIONS,
      points: -1.5,
      reason: 'Customer history: 1 rejected order on record (High risk)',
    });
    expect(pointsFor(2)?.points).toBe(-2);
    expect(pointsFor(9)?.points).toBe(-3);
  });

  it('rewards an established record, more for a long one', () => {
    expect(customerHistoryRule(aContext({ profile: aProfile({ approvedCount: 3, ageDays: 30 }) }))).toEqual([
      { code: CUSTOMER_ESTABLISHED, points: 1, reason: 'Customer history: 3 approved orders over 30 days (Low risk)' },
    ]);
    expect(customerHistoryRule(aContext({ profile: aProfile({ approvedCount: 12, ageDays: 200 }) }))).toEqual([
      { code: CUSTOMER_ESTABLISHED, points: 1.5, reason: 'Customer history: 12 approved orders over 200 days (Low risk)' },
    ]);
  });

  it('gives no bonus to a record that is too young or too thin', () => {
    expect(customerHistoryRule(aContext({ profile: aProfile({ approvedCount: 12, ageDays: 29 }) }))).toEqual([]);
    expect(customerHistoryRule(aContext({ profile: aProfile({ approvedCount: 2, ageDays: 300 }) }))).toEqual([]);
  });
});

describe('customerStanding', () => {
  it('classifies from the store record only', () => {
    expect(customerStanding(null, RECEIVED_AT)).toBe('uncorroborated');
    expect(customerStanding(aProfile({ approvedCount: 0 }), RECEIVED_AT)).toBe('uncorroborated');
    expect(customerStanding(aProfile({ approvedCount: 2, rejectedCount: 2 }), RECEIVED_AT)).toBe('uncorroborated');
    expect(customerStanding(aProfile({ approvedCount: 5, rejectedCount: 1 }), RECEIVED_AT)).toBe('known');
    expect(customerStanding(aProfile({ approvedCount: 2 }), RECEIVED_AT)).toBe('known');
    expect(customerStanding(aProfile({ approvedCount: 3, ageDays: 30 }), RECEIVED_AT)).toBe('established');
  });
});

describe('scaleForStanding', () => {
  it('keeps full risk for uncorroborated customers and softens it for known and established ones', () => {
    expect(scaleForStanding(-2, 'uncorroborated')).toBe(-2);
    expect(scaleForStanding(-2, 'known')).toBe(-1.2);
    expect(scaleForStanding(-2, 'established')).toBe(-0.6);
    expect(scaleForStanding(-0.7, 'known')).toBe(-0.4);
  });

  it('never rounds a risk away entirely', () => {
    expect(scaleForStanding(-0.1, 'established')).toBe(-0.1);
  });
});
