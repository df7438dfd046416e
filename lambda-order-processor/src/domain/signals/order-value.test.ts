import { aProfile, aContext, anOrder } from './testing/screening-context.js';
import { ORDER_VALUE_LARGE, ORDER_VALUE_SMALL, orderValueRule } from './order-value.js';

function signalsFor(totalAmount: number, profile = aContext().profile) {
  return orderValueRule(aContext({ order: anOrder({ totalAmount }), profile }));
}

describe('orderValueRule', () => {
  it('lowers the risk of small orders', () => {
    expect(signalsFor(30)).toEqual([{ code: ORDER_VALUE_SMALL, points: 0.3, reason: 'Order value: $30 (Low risk)' }]);
    expect(signalsFor(49.99)).toEqual([{ code: ORDER_VALUE_SMALL, points: 0.3, reason: 'Order value: $49.99 (Low risk)' }]);
  });

  it('says nothing about ordinary orders', () => {
    expect(signalsFor(50)).toEqual([]);
    expect(signalsFor(499.99)).toEqual([]);
  });

  it('grades large orders from a new customer by tier', () => {
    expect(signalsFor(500)).toEqual([{ code: ORDER_VALUE_LARGE, points: -0.4, reason: 'Order value: $500 (Slight risk)' }]);
    expect(signalsFor(1200)).toEqual([{ code: ORDER_VALUE_LARGE, points: -0.7, reason: 'Order value: $1200 (Medium risk)' }]);
    expect(signalsFor(3000)).toEqual([{ code: ORDER_VALUE_LARGE, points: -1.5, reason: 'Order value: $3000 (High risk)' }]);
    expect(signalsFor(5000)).toEqual([{ code: ORDER_VALUE_LARGE, points: -2, reason: 'Order value: $5000 (Very high risk)' }]);
  });

  it('softens large orders for customers the store knows', () => {
    expect(signalsFor(5000, aProfile({ approvedCount: 2 }))).toEqual([
      { code: ORDER_VALUE_LARGE, points: -1.2, reason: 'Order value: $5000 (High risk)' },
    ]);
    expect(signalsFor(5000, aProfile({ approvedCount: 12, ageDays: 200 }))).toEqual([
      { code: ORDER_VALUE_LARGE, points: -0.6, reason: 'Order value: $5000 (Medium risk)' },
    ]);
  });
});
