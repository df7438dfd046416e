import type { RiskSignal } from '../order/order.js';
import { PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER } from '../signals/product.js';
import type { DecisionThresholds } from '../signals/signal.js';
import { decide, OUTRIGHT_REJECT_CODES } from './decision.js';

const DEFAULTS: DecisionThresholds = { rejectBelow: 4, approveFrom: 7 };

const NEW_CUSTOMER: RiskSignal = { code: 'CUSTOMER_NEW', points: -1, reason: 'New customer: no order history on record (Medium risk)' };
const LARGE_ORDER: RiskSignal = { code: 'ORDER_VALUE_LARGE', points: -2, reason: 'Order value: $5000 (Very high risk)' };
const CORPORATE: RiskSignal = { code: 'EMAIL_CORPORATE_DOMAIN', points: 0.3, reason: 'Email: corporate domain company.com (Low risk)' };
const BULK_GIFT_CARDS: RiskSignal = {
  code: PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER,
  points: -3,
  reason: 'High-risk product: 50 x Amazon Gift Card for a new customer (Very high risk)',
};

describe('decide', () => {
  it('applies the default thresholds at their boundaries', () => {
    expect(decide(3.9, [], DEFAULTS).status).toBe('REJECTED');
    expect(decide(4, [], DEFAULTS).status).toBe('PENDING_REVIEW');
    expect(decide(6.9, [], DEFAULTS).status).toBe('PENDING_REVIEW');
    expect(decide(7, [], DEFAULTS).status).toBe('APPROVED');
  });

  it('follows configured thresholds', () => {
    const strict: DecisionThresholds = { rejectBelow: 5, approveFrom: 8 };
    expect(decide(4.9, [], strict).status).toBe('REJECTED');
    expect(decide(5, [], strict).status).toBe('PENDING_REVIEW');
    expect(decide(7.9, [], strict).status).toBe('PENDING_REVIEW');
    expect(decide(8, [], strict).status).toBe('APPROVED');
  });

  it('gives no reasons for an approval', () => {
    expect(decide(8, [NEW_CUSTOMER, CORPORATE], DEFAULTS)).toEqual({ status: 'APPROVED', rejectionReasons: [] });
  });

  it('lists the negative reasons, most negative first, for review and rejection', () => {
    expect(decide(6, [NEW_CUSTOMER, CORPORATE, LARGE_ORDER], DEFAULTS)).toEqual({
      status: 'PENDING_REVIEW',
      rejectionReasons: [LARGE_ORDER.reason, NEW_CUSTOMER.reason],
    });
  });

  it('rejects bulk gift cards for a new customer outright, whatever the score', () => {
    expect(OUTRIGHT_REJECT_CODES.has(PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER)).toBe(true);
    const outright = { ...BULK_GIFT_CARDS, points: -0.5 };
    expect(decide(9.5, [NEW_CUSTOMER, outright, CORPORATE], DEFAULTS)).toEqual({
      status: 'REJECTED',
      rejectionReasons: [outright.reason, NEW_CUSTOMER.reason],
    });
  });

  it('puts the outright reason first even when another signal weighs more', () => {
    const heavier: RiskSignal = { code: 'ADDRESS_PLACEHOLDER', points: -3, reason: 'Address: placeholder values in street (Very high risk)' };
    expect(decide(2, [heavier, BULK_GIFT_CARDS], DEFAULTS).rejectionReasons).toEqual([BULK_GIFT_CARDS.reason, heavier.reason]);
  });
});
