import type { OrderItem } from '../order/order.js';
import { QUANTITY_BULK_SINGLE_PRODUCT, QUANTITY_LARGE_TOTAL, quantityRule } from './quantity.js';
import { aContext, anItem, anOrder, aProfile } from './testing/screening-context.js';

function signalsFor(items: OrderItem[], profile = aContext().profile) {
  return quantityRule(aContext({ order: anOrder({ items }), profile }));
}

describe('quantityRule', () => {
  it('ignores a handful of units', () => {
    expect(signalsFor([anItem({ quantity: 4, price: 100 })])).toEqual([]);
  });

  it('grades many units of one product', () => {
    expect(signalsFor([anItem({ quantity: 5, price: 30 })])).toEqual([
      { code: QUANTITY_BULK_SINGLE_PRODUCT, points: -1.2, reason: 'Quantity: 5 items of one product (High risk)' },
    ]);
    expect(signalsFor([anItem({ quantity: 10, price: 499 })])[0]?.points).toBe(-1.5);
    expect(signalsFor([anItem({ quantity: 50, price: 100 })])).toEqual([
      { code: QUANTITY_BULK_SINGLE_PRODUCT, points: -2, reason: 'Quantity: 50 items of one product (Very high risk)' },
    ]);
  });

  it('looks at the largest line, not the sum of small ones', () => {
    const items = [anItem({ productId: 'A', quantity: 3, price: 100 }), anItem({ productId: 'B', quantity: 12, price: 20 })];
    expect(signalsFor(items)).toEqual([
      { code: QUANTITY_BULK_SINGLE_PRODUCT, points: -1.5, reason: 'Quantity: 12 items of one product (High risk)' },
    ]);
  });

  it('does not treat cheap consumables as bulk, but notes a very large total', () => {
    expect(signalsFor([anItem({ quantity: 40, price: 2 })])).toEqual([]);
    expect(signalsFor([anItem({ quantity: 60, price: 1 })])).toEqual([
      { code: QUANTITY_LARGE_TOTAL, points: -0.5, reason: 'Quantity: 60 items in total (Medium risk)' },
    ]);
  });

  it('softens bulk for an established customer', () => {
    expect(signalsFor([anItem({ quantity: 20, price: 50 })], aProfile())).toEqual([
      { code: QUANTITY_BULK_SINGLE_PRODUCT, points: -0.6, reason: 'Quantity: 20 items of one product (Medium risk)' },
    ]);
  });
});
