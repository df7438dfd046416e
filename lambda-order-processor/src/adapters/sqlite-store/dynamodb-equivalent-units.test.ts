import { itemSizeBytes } from '../../domain/costs/dynamodb-units.js';
import type { StoredOrder } from '../../domain/order/order.js';
import { velocityKeysFor } from '../../domain/order/velocity.js';
import { storedOrderFixture } from '../../../test/fixtures/stored-orders.js';
import { DEFAULT_VELOCITY_RETENTION_SECONDS, orderItem, velocityItems } from '../dynamodb-store/items.js';
import { getCustomerProfileUnits, getOrderUnits, getVelocityUnits } from './dynamodb-equivalent-units.js';

const RETENTION = DEFAULT_VELOCITY_RETENTION_SECONDS;
/**
 * The fixture's card velocity item: PK 2+36, SK 2+61, entity 6+8, orderId 7+36, customerId 10+10,
 * email 5+23, expiresAt 9+5 (1736294400: 8 significant digits).
 */
const CARD_ITEM_BYTES = 220;

/** The fixture order, padded through its email so its DynamoDB item is exactly `bytes` long. */
function orderOfSize(bytes: number): StoredOrder {
  const order = { ...storedOrderFixture(), customerEmail: '' };
  return { ...order, customerEmail: 'x'.repeat(bytes - itemSizeBytes(orderItem(order))) };
}

describe('DynamoDB-equivalent read units of the SQLite store', () => {
  it('reads an order strongly consistent: one unit per started 4 KB of its DynamoDB item, one for a miss', () => {
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

    expect(getVelocityUnits(keys, { customer: 0, card: 0, address: 0 }, RETENTION)).toEqual({ readUnits: 1.5, writeUnits: 0 });
    expect(getVelocityUnits(keys, { customer: 3, card: 5, address: 7 }, RETENTION)).toEqual({ readUnits: 1.5, writeUnits: 0 });
    expect(getVelocityUnits({ ...keys, cardKey: null }, { customer: 3, card: null, address: 7 }, RETENTION)).toEqual({ readUnits: 1, writeUnits: 0 });
  });

  it('charges a card-testing burst on the size of the card items the query reads', () => {
    const keys = velocityKeysFor(storedOrderFixture().request);
    const sample = { ...keys, orderId: '00000000-0000-0000-0000-000000000000', at: '2025-01-01T00:00:00.000Z' };
    const cardItemBytes = itemSizeBytes(velocityItems(sample, RETENTION)[1] ?? {});
    expect(cardItemBytes).toBe(CARD_ITEM_BYTES);
    // Plus the two quiet keys (0.5 each).
    // 1000 x 220 bytes = 54 units of 4 KB, halved = 27.
    expect(getVelocityUnits(keys, { customer: 1, card: 1000, address: 1 }, RETENTION)).toEqual({ readUnits: 28, writeUnits: 0 });
  });
});
