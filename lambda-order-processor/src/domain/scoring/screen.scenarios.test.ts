import standardOrder from '../../../../test-data/positive-scenarios/scenario-01-standard-order.json' with { type: 'json' };
import lowValueOrder from '../../../../test-data/positive-scenarios/scenario-02-low-value-order.json' with { type: 'json' };
import vipCustomer from '../../../../test-data/positive-scenarios/scenario-03-vip-customer.json' with { type: 'json' };
import suspiciousEmail from '../../../../test-data/negative-scenarios/scenario-06-suspicious-email.json' with { type: 'json' };
import bulkOrder from '../../../../test-data/negative-scenarios/scenario-07-bulk-order.json' with { type: 'json' };
import giftCardFraud from '../../../../test-data/negative-scenarios/scenario-09-gift-card-fraud.json' with { type: 'json' };
import type { CustomerProfile } from '../order/customer.js';
import type { OrderRequest, RiskSignal } from '../order/order.js';
import { ADDRESS_PLACEHOLDER } from '../signals/address.js';
import { CUSTOMER_ESTABLISHED, CUSTOMER_NEW, CUSTOMER_PRIOR_REJECTIONS } from '../signals/customer-history.js';
import { EMAIL_CORPORATE_DOMAIN, EMAIL_DISPOSABLE_DOMAIN, EMAIL_RANDOM_LOCAL_PART, EMAIL_SUSPICIOUS_WORD } from '../signals/email.js';
import { ORDER_VALUE_LARGE, ORDER_VALUE_SMALL } from '../signals/order-value.js';
import { PRODUCT_ELECTRONICS, PRODUCT_ELECTRONICS_BULK, PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER } from '../signals/product.js';
import { QUANTITY_BULK_SINGLE_PRODUCT } from '../signals/quantity.js';
import { aContext, anOrder, aProfile, NO_VELOCITY } from '../signals/testing/screening-context.js';
import { VELOCITY_CARD_SHARED } from '../signals/velocity.js';
import { DEFAULT_SCREENING_SETTINGS, DEFAULT_VELOCITY_WINDOWS } from './defaults.js';
import { screenWithRules } from './screen.js';

/** The seed scenarios as a first-time customer: no store profile, no velocity. */
function screen(order: OrderRequest, profile: CustomerProfile | null = null) {
  return screenWithRules(aContext({ order, profile, velocity: NO_VELOCITY }));
}

const codes = (signals: RiskSignal[]) => signals.map((signal) => signal.code);

describe('seed scenarios (unknown customer, no velocity)', () => {
  it.each([
    ['scenario-01 standard order', standardOrder as OrderRequest, [CUSTOMER_NEW, ORDER_VALUE_LARGE, PRODUCT_ELECTRONICS]],
    ['scenario-02 low value order', lowValueOrder as OrderRequest, [CUSTOMER_NEW, ORDER_VALUE_SMALL]],
    ['scenario-03 VIP customer', vipCustomer as OrderRequest, [CUSTOMER_NEW, ORDER_VALUE_LARGE, PRODUCT_ELECTRONICS, EMAIL_CORPORATE_DOMAIN]],
  ])('%s is APPROVED with a comfortable margin', (_name, order, expectedCodes) => {
    const result = screen(order);
    expect(result.status).toBe('APPROVED');
    expect(result.score).toBeGreaterThanOrEqual(7.5);
    expect(result.rejectionReasons).toEqual([]);
    expect(codes(result.signals)).toEqual(expect.arrayContaining(expectedCodes));
  });

  it.each([
    [
      'scenario-06 suspicious email',
      suspiciousEmail as OrderRequest,
      [EMAIL_DISPOSABLE_DOMAIN, EMAIL_RANDOM_LOCAL_PART, EMAIL_SUSPICIOUS_WORD, ADDRESS_PLACEHOLDER, PRODUCT_ELECTRONICS_BULK],
    ],
    [
      'scenario-07 bulk order',
      bulkOrder as OrderRequest,
      [QUANTITY_BULK_SINGLE_PRODUCT, PRODUCT_ELECTRONICS_BULK, ORDER_VALUE_LARGE, ADDRESS_PLACEHOLDER, EMAIL_SUSPICIOUS_WORD],
    ],
    [
      'scenario-09 gift card fraud',
      giftCardFraud as OrderRequest,
      [PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER, QUANTITY_BULK_SINGLE_PRODUCT, ORDER_VALUE_LARGE, CUSTOMER_NEW],
    ],
  ])('%s is REJECTED with a comfortable margin', (_name, order, expectedCodes) => {
    const result = screen(order);
    expect(result.status).toBe('REJECTED');
    expect(result.score).toBeLessThan(3);
    expect(codes(result.signals)).toEqual(expect.arrayContaining(expectedCodes));
    expect(result.rejectionReasons.length).toBeGreaterThanOrEqual(expectedCodes.length);
  });

  it('explains the gift card fraud in the seed\'s wording', () => {
    expect(screen(giftCardFraud as OrderRequest)).toEqual({
      score: 2,
      status: 'REJECTED',
      signals: expect.any(Array),
      rejectionReasons: [
        'High-risk product: 50 x Amazon Gift Card for a new customer (Very high risk)',
        'Order value: $5000 (Very high risk)',
        'Quantity: 50 items of one product (Very high risk)',
        'New customer: no order history on record (Medium risk)',
      ],
    });
  });
});

describe('screenWithRules', () => {
  it('approves a plain $80 order from an unknown customer with a gmail address', () => {
    const result = screen(anOrder());
    expect(result).toEqual({
      score: 9,
      status: 'APPROVED',
      signals: [{ code: CUSTOMER_NEW, points: -1, reason: 'New customer: no order history on record (Medium risk)' }],
      rejectionReasons: [],
    });
  });

  it('scores a customer the store knows well higher than an unknown one', () => {
    const order = standardOrder as OrderRequest;
    const known = screen(order, aProfile({ approvedCount: 12, orderCount: 12, rejectedCount: 0, ageDays: 200 }));
    const unknown = screen(order);
    expect(codes(known.signals)).toContain(CUSTOMER_ESTABLISHED);
    expect(known.score).toBeGreaterThan(unknown.score);
    expect(known.score).toBe(10);
    expect(unknown.score).toBe(8);
  });

  it('lifts an uncorroborated VIP claim by a small, bounded amount at most', () => {
    const claimVip = { ...(standardOrder as OrderRequest), customerType: 'VIP' as const, orderHistory: 50 };
    const claimNothing = { ...(standardOrder as OrderRequest), customerType: 'REGULAR' as const, orderHistory: 0 };
    const vip = screen(claimVip);
    const regular = screen(claimNothing);
    expect(regular.score).toBe(7.8);
    expect(vip.score).toBe(8);
    // The claim only softens the new-customer penalty; it adds no positive signal of its own.
    const positives = (signals: RiskSignal[]) => signals.filter((signal) => signal.points > 0);
    expect(positives(vip.signals)).toEqual(positives(regular.signals));
    expect(vip.signals.find((signal) => signal.code === CUSTOMER_NEW)?.points).toBe(-0.8);
  });

  it('never lets a claim cancel a risk signal', () => {
    for (const scenario of [suspiciousEmail, bulkOrder, giftCardFraud] as OrderRequest[]) {
      const claimed = screen({ ...scenario, customerType: 'VIP', orderHistory: 50 });
      const plain = screen(scenario);
      expect(claimed.status).toBe('REJECTED');
      const others = (signals: RiskSignal[]) => signals.filter((signal) => signal.code !== CUSTOMER_NEW);
      expect(others(claimed.signals)).toEqual(others(plain.signals));
    }
  });

  it('scores a customer with prior rejections lower', () => {
    const order = anOrder();
    const clean = screen(order, aProfile({ approvedCount: 5, rejectedCount: 0, ageDays: 100 }));
    const rejectedBefore = screen(order, aProfile({ approvedCount: 5, rejectedCount: 2, ageDays: 100 }));
    const onlyRejections = screen(order, aProfile({ approvedCount: 0, rejectedCount: 2, ageDays: 100 }));
    expect(codes(rejectedBefore.signals)).toContain(CUSTOMER_PRIOR_REJECTIONS);
    expect(rejectedBefore.score).toBeLessThan(clean.score);
    expect(onlyRejections.score).toBeLessThan(screen(order).score);
  });

  it('includes velocity signals from the snapshot', () => {
    const result = screenWithRules(aContext({ velocity: { ...NO_VELOCITY, cardOtherCustomers: 3 } }));
    expect(codes(result.signals)).toEqual([CUSTOMER_NEW, VELOCITY_CARD_SHARED]);
    expect(result).toMatchObject({ score: 6.5, status: 'PENDING_REVIEW' });
  });

  it('uses the thresholds from the settings', () => {
    const settings = { ...DEFAULT_SCREENING_SETTINGS, thresholds: { rejectBelow: 4, approveFrom: 9.5 } };
    expect(screenWithRules(aContext({ settings }))).toMatchObject({
      score: 9,
      status: 'PENDING_REVIEW',
      rejectionReasons: ['New customer: no order history on record (Medium risk)'],
    });
  });
});

describe('defaults', () => {
  it('match SPEC section 3', () => {
    expect(DEFAULT_SCREENING_SETTINGS.thresholds).toEqual({ rejectBelow: 4, approveFrom: 7 });
    expect(DEFAULT_VELOCITY_WINDOWS).toEqual({ customerSeconds: 600, cardSeconds: 3600, addressSeconds: 86_400 });
  });
});
