import { itemSizeBytes } from '../../domain/costs/dynamodb-units.js';
import { emptyRollupCounters } from '../../domain/order/rollup.js';
import type { StoredOrder } from '../../domain/order/order.js';
import { recordInputFor, reviewInputFor, storedOrderFixture } from '../../../test/fixtures/stored-orders.js';
import { DEFAULT_VELOCITY_RETENTION_SECONDS, orderItem, velocityItems } from './items.js';
import { estimateWriteUnits, indexEntryBytes, rollupShardItemBytes } from './write-units.js';

const RETENTION = DEFAULT_VELOCITY_RETENTION_SECONDS;

/** The fixture order, padded through its email so its DynamoDB item is exactly `bytes` long. */
function orderOfSize(bytes: number, overrides: Partial<StoredOrder> = {}): StoredOrder {
  const order = { ...storedOrderFixture(), ...overrides, customerEmail: '' };
  const padding = bytes - itemSizeBytes(orderItem(order));
  if (padding < 0) throw new Error(`fixture order is already ${itemSizeBytes(orderItem(order))} bytes`);
  return { ...order, customerEmail: 'x'.repeat(padding) };
}

describe('estimateWriteUnits (DynamoDB billing of the items the store writes)', () => {
  it('sizes the order item from its content, byte for byte', () => {
    const order = storedOrderFixture();
    const size = itemSizeBytes(orderItem(order));
    expect(itemSizeBytes(orderItem({ ...order, customerEmail: `${order.customerEmail}0123456789` })) - size).toBe(10);
    expect(itemSizeBytes(orderItem({ ...order, customerEmail: `${order.customerEmail}é` })) - size).toBe(2);
    expect(itemSizeBytes(orderItem(orderOfSize(2048)))).toBe(2048);
  });

  it('fits a whole rollup shard, a listing-index entry and a velocity item in one write unit each', () => {
    const order = orderItem(orderOfSize(2048));
    expect(rollupShardItemBytes('2025-06-02')).toBeGreaterThan(500);
    expect(rollupShardItemBytes('2025-06-02')).toBeLessThanOrEqual(1024);
    // Index entries project the summary only, not the 2 KB document.
    expect(indexEntryBytes(order, 'status')).toBeLessThanOrEqual(1024);
    expect(indexEntryBytes(order, 'day')).toBeLessThanOrEqual(1024);
    for (const item of velocityItems(recordInputFor(orderOfSize(2048)).velocity, RETENTION)) expect(itemSizeBytes(item)).toBeLessThanOrEqual(1024);
  });

  it('prices a recorded card order: order, shard, profile and three velocity items transactional, plus two index entries', () => {
    // 2 KB order = 2 x 2, shard 2, profile 2, velocity 3 x 2, GSI1 and GSI2 entries 1 each.
    expect(estimateWriteUnits({ kind: 'order', input: recordInputFor(orderOfSize(2048)) }, RETENTION)).toEqual({ readUnits: 0, writeUnits: 16 });
    // One byte more starts a third KB of the order item (2 more transactional units).
    expect(estimateWriteUnits({ kind: 'order', input: recordInputFor(orderOfSize(2049)) }, RETENTION)).toEqual({ readUnits: 0, writeUnits: 18 });
  });

  it('writes no card velocity item for a payment without a card', () => {
    const input = recordInputFor(orderOfSize(2048));
    input.velocity = { ...input.velocity, cardKey: null };
    expect(estimateWriteUnits({ kind: 'order', input }, RETENTION)).toEqual({ readUnits: 0, writeUnits: 14 });
  });

  it('prices a review: order update, review item, shard and profile transactional, the status index entry moved, the day entry rewritten', () => {
    const pending = orderOfSize(2560, { status: 'PENDING_REVIEW' });
    const input = reviewInputFor(pending, { decision: 'APPROVED', reviewedAt: '2025-06-03T08:00:00.000Z' });
    // The updated order gained a decision: still within 3 KB.
    expect(itemSizeBytes(orderItem(input.updatedOrder))).toBeGreaterThan(2560);
    expect(itemSizeBytes(orderItem(input.updatedOrder))).toBeLessThanOrEqual(3072);
    // 3 x 2 + review 2 + shard 2 + profile 2 + GSI1 delete and put 2 + GSI2 1.
    expect(estimateWriteUnits({ kind: 'review', input }, RETENTION)).toEqual({ readUnits: 0, writeUnits: 15 });
  });

  it('prices a validation failure as one standard update of a rollup shard', () => {
    expect(estimateWriteUnits({ kind: 'validation-failure', rollup: { day: '2025-06-02', counters: emptyRollupCounters() } }, RETENTION)).toEqual({
      readUnits: 0,
      writeUnits: 1,
    });
  });
});
