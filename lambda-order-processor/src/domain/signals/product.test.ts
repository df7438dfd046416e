import type { OrderItem } from '../order/order.js';
import {
  PRODUCT_ELECTRONICS,
  PRODUCT_ELECTRONICS_BULK,
  PRODUCT_GIFT_CARD,
  PRODUCT_GIFT_CARD_BULK,
  PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER,
  productRule,
} from './product.js';
import { aContext, anItem, anOrder, aProfile } from './testing/screening-context.js';

function signalsFor(items: OrderItem[], profile = aContext().profile) {
  return productRule(aContext({ order: anOrder({ items }), profile }));
}

const giftCards = (quantity: number) => anItem({ productId: 'GC', name: 'Amazon Gift Card', quantity, price: 100 });

describe('productRule', () => {
  it('ignores ordinary goods', () => {
    expect(signalsFor([anItem({ name: 'USB Cable', quantity: 2, price: 15 })])).toEqual([]);
  });

  it('flags a gift card', () => {
    expect(signalsFor([giftCards(1)])).toEqual([
      { code: PRODUCT_GIFT_CARD, points: -1, reason: 'High-risk product: Amazon Gift Card (Medium risk)' },
    ]);
  });

  it('recognises gift and prepaid cards by category or other wording', () => {
    const byCategory = anItem({ name: 'Steam Code 50', category: 'Gift Cards', quantity: 1, price: 50 });
    expect(signalsFor([byCategory]).map((signal) => signal.code)).toEqual([PRODUCT_GIFT_CARD]);
    const prepaid = anItem({ name: 'Visa Prepaid Card', quantity: 2, price: 200 });
    expect(signalsFor([prepaid])).toEqual([
      { code: PRODUCT_GIFT_CARD, points: -1, reason: 'High-risk product: 2 x Visa Prepaid Card (Medium risk)' },
    ]);
  });

  it('marks bulk gift cards for a new customer with the outright-reject code', () => {
    expect(signalsFor([giftCards(50)])).toEqual([
      {
        code: PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER,
        points: -3,
        reason: 'High-risk product: 50 x Amazon Gift Card for a new customer (Very high risk)',
      },
    ]);
  });

  it('adds up gift cards across lines', () => {
    const items = [giftCards(3), anItem({ productId: 'GC2', name: 'Apple Gift Card', quantity: 2, price: 50 })];
    expect(signalsFor(items)).toEqual([
      {
        code: PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER,
        points: -3,
        reason: 'High-risk product: 5 units of Amazon Gift Card and 1 other product for a new customer (Very high risk)',
      },
    ]);
  });

  it('keeps bulk gift cards for a corroborated customer as a scaled risk, not an outright rejection', () => {
    expect(signalsFor([giftCards(50)], aProfile({ approvedCount: 2 }))).toEqual([
      { code: PRODUCT_GIFT_CARD_BULK, points: -1.5, reason: 'High-risk product: 50 x Amazon Gift Card (High risk)' },
    ]);
    expect(signalsFor([giftCards(50)], aProfile())[0]?.code).toBe(PRODUCT_GIFT_CARD_BULK);
  });

  it('flags resellable electronics, single and in bulk', () => {
    expect(signalsFor([anItem({ name: 'Laptop', price: 1200 })])).toEqual([
      { code: PRODUCT_ELECTRONICS, points: -0.5, reason: 'High-risk product: Laptop (Medium risk)' },
    ]);
    expect(signalsFor([anItem({ name: 'Gaming Console', quantity: 10, price: 499 })])).toEqual([
      { code: PRODUCT_ELECTRONICS_BULK, points: -1.5, reason: 'High-risk product: 10 x Gaming Console (High risk)' },
    ]);
    expect(signalsFor([anItem({ name: 'iPhone 15 Pro', quantity: 5, price: 999 })])[0]?.code).toBe(PRODUCT_ELECTRONICS_BULK);
  });

  it('does not count cheap accessories as electronics', () => {
    expect(signalsFor([anItem({ name: 'iPhone 15 Case', price: 25 })])).toEqual([]);
  });

  it('softens electronics for an established customer', () => {
    expect(signalsFor([anItem({ name: 'MacBook Pro', price: 2500 })], aProfile())).toEqual([
      { code: PRODUCT_ELECTRONICS, points: -0.1, reason: 'High-risk product: MacBook Pro (Slight risk)' },
    ]);
  });
});
