import { emptyRollupCounters } from '../../domain/order/rollup.js';
import type { StoredOrder } from '../../domain/order/order.js';
import { velocityKeysFor } from '../../domain/order/velocity.js';
import { recordInputFor, reviewInputFor, storedOrderFixture } from '../../../test/fixtures/stored-orders.js';
import {
  ROLLUP_SHARD_ITEM_BYTES,
  applyReviewUnits,
  estimateWriteUnits,
  getCustomerProfileUnits,
  getOrderUnits,
  getVelocityUnits,
  orderItemBytes,
  recordOrderUnits,
  validationFailureUnits,
} from './dynamodb-equivalent-units.js';

/** The fixture order, padded through its email so its DynamoDB item is exactly `bytes` long. */
function orderOfSize(bytes: number, overrides: Partial<StoredOrder> = {}): StoredOrder {
  const order = { ...storedOrderFixture(), ...overrides, customerEmail: '' };
  const padding = bytes - orderItemBytes(order);
  if (padding < 0) throw new Error(`fixture order is already ${orderItemBytes(order)} bytes`);
  return { ...order, customerEmail: 'x'.repeat(padding) };
}

describe('DynamoDB-equivalent request units', () => {
  it('sizes the order item from its content, byte for byte', () => {
    const order = storedOrderFixture();
    const longer = { ...order, customerEmail: `${order.customerEmail}0123456789` };
    const accented = { ...order, customerEmail: `${order.customerEmail}é` };

    expect(orderItemBytes(longer) - orderItemBytes(order)).toBe(10);
    expect(orderItemBytes(accented) - orderItemBytes(order)).toBe(2);
    expect(orderOfSize(2048).customerEmail.length).toBeGreaterThan(0);
    expect(orderItemBytes(orderOfSize(2048))).toBe(2048);
  });

  it('fits a whole rollup shard in one write unit', () => {
    expect(ROLLUP_SHARD_ITEM_BYTES).toBeGreaterThan(500);
    expect(ROLLUP_SHARD_ITEM_BYTES).toBeLessThanOrEqual(1024);
    expect(validationFailureUnits()).toEqual({ readUnits: 0, writeUnits: 1 });
  });

  it('prices a recorded card order as one transaction: order, shard, profile and three velocity items, doubled', () => {
    // 2 KB order = 2 units, rollup shard 1, profile 1, velocity 3 x 1; transactional = x2.
    expect(recordOrderUnits(recordInputFor(orderOfSize(2048)))).toEqual({ readUnits: 0, writeUnits: 14 });
    // One byte more starts a third KB of the order item.
    expect(recordOrderUnits(recordInputFor(orderOfSize(2049)))).toEqual({ readUnits: 0, writeUnits: 16 });
  });

  it('writes no card velocity item for a payment without a card', () => {
    const order = orderOfSize(2048);
    const input = recordInputFor(order);
    input.velocity = { ...input.velocity, cardKey: null };

    expect(recordOrderUnits(input)).toEqual({ readUnits: 0, writeUnits: 12 });
  });

  it('prices a review as one transaction: order update, review item, shard and profile, doubled', () => {
    const pending = orderOfSize(2048, { status: 'PENDING_REVIEW' });
    const input = reviewInputFor(pending, { decision: 'APPROVED', reviewedAt: '2025-06-03T08:00:00.000Z' });
    // The updated order gained a decision: still within 3 KB.
    expect(orderItemBytes(input.updatedOrder)).toBeGreaterThan(2048);
    expect(orderItemBytes(input.updatedOrder)).toBeLessThanOrEqual(3072);

    expect(applyReviewUnits(input)).toEqual({ readUnits: 0, writeUnits: 12 });
  });

  it('answers every planned write kind', () => {
    const input = recordInputFor(orderOfSize(2048));
    expect(estimateWriteUnits({ kind: 'order', input })).toEqual(recordOrderUnits(input));
    expect(estimateWriteUnits({ kind: 'validation-failure', rollup: { day: '2025-06-02', counters: emptyRollupCounters() } })).toEqual({
      readUnits: 0,
      writeUnits: 1,
    });
    const review = reviewInputFor(orderOfSize(2048, { status: 'PENDING_REVIEW' }), { decision: 'REJECTED', reviewedAt: '2025-06-03T08:00:00.000Z' });
    expect(estimateWriteUnits({ kind: 'review', input: review })).toEqual({ readUnits: 0, writeUnits: 12 });
  });

  it('reads an order strongly consistent: one unit per started 4 KB, one for a miss', () => {
    expect(getOrderUnits(null)).toEqual({ readUnits: 1, writeUnits: 0 });
    expect(getOrderUnits(orderOfSize(4096))).toEqual({ readUnits: 1, writeUnits: 0 });
    expect(getOrderUnits(orderOfSize(4097))).toEqual({ readUnits: 2, writeUnits: 0 });
  });

  it('reads a customer profile eventually consistent: half a unit, hit or miss', () => {
    const profile = {
      customerId: 'CUST-48213',
      firstSeenAt: '2025-06-01T09:00:00.000Z',
      lastOrderAt: '2025-06-03T11:00:00.000Z',
      orderCount: 3,
      approvedCount: 1,
      rejectedCount: 1,
      pendingCount: 1,
      approvedAmountCents: 10_000,
    };
    expect(getCustomerProfileUnits(profile)).toEqual({ readUnits: 0.5, writeUnits: 0 });
    expect(getCustomerProfileUnits(null)).toEqual({ readUnits: 0.5, writeUnits: 0 });
  });

  it('reads velocity with one eventually consistent query per key, charged on what it matched', () => {
    const keys = velocityKeysFor(storedOrderFixture().request);

    expect(getVelocityUnits(keys, { customer: 0, card: 0, address: 0 })).toEqual({ readUnits: 1.5, writeUnits: 0 });
    expect(getVelocityUnits(keys, { customer: 3, card: 5, address: 7 })).toEqual({ readUnits: 1.5, writeUnits: 0 });
    expect(getVelocityUnits({ ...keys, cardKey: null }, { customer: 3, card: null, address: 7 })).toEqual({ readUnits: 1, writeUnits: 0 });
    // A card-testing burst: 1,000 card items of 163 bytes = 40 units of 4 KB, halved; plus the two quiet keys.
    expect(getVelocityUnits(keys, { customer: 1, card: 1000, address: 1 })).toEqual({ readUnits: 21, writeUnits: 0 });
  });
});
