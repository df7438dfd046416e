import { itemSizeBytes, readUnitsFor } from '../../domain/costs/dynamodb-units.js';
import type { RequestUnits } from '../../domain/costs/usage.js';
import type { CustomerProfile } from '../../domain/order/customer.js';
import type { StoredOrder } from '../../domain/order/order.js';
import type { VelocityEntry, VelocityKeys } from '../../domain/order/velocity.js';
import { orderItem, profileItem, velocityItems, velocityKinds } from '../dynamodb-store/items.js';
import type { VelocityKind } from '../dynamodb-store/table-design.js';

/**
 * What each SQLite store read would consume on DynamoDB, sized on the very items the DynamoDB store
 * writes (dynamodb-store/items.ts, pure: no SDK at run time). Why: request units are part of every
 * order's cost, so the local run prices orders as the AWS deployment would. Writes are priced by
 * the DynamoDB store's own estimate (dynamodb-store/write-units.ts); the DynamoDB store takes its
 * read units from ConsumedCapacity, so only the SQLite store needs these.
 */

/** Order ids are client-chosen; velocity reads size other orders' items with a UUID-length id. */
const REPRESENTATIVE_ORDER_ID = '00000000-0000-0000-0000-000000000000';
const REPRESENTATIVE_ISO_TIME = '2025-01-01T00:00:00.000Z';

/** Strongly consistent GetItem: the idempotency look-up must see a just-committed order. A miss still costs a read. */
export function getOrderUnits(order: StoredOrder | null): RequestUnits {
  return { readUnits: readUnitsFor(order === null ? 0 : itemSizeBytes(orderItem(order)), 'strong'), writeUnits: 0 };
}

/** Eventually consistent GetItem of the profile item. */
export function getCustomerProfileUnits(profile: CustomerProfile | null): RequestUnits {
  return { readUnits: readUnitsFor(profile === null ? 0 : itemSizeBytes(profileItem(profile)), 'eventual'), writeUnits: 0 };
}

/** How many velocity items each queried key matched (the card is not queried without a card). */
export interface VelocityMatches {
  customer: number;
  card: number | null;
  address: number;
}

/**
 * One eventually consistent Query per queried key; a Query is charged on the total size of the
 * items it reads, so a key with a burst of activity costs more than one quiet key.
 * `velocityRetentionSeconds` as the DynamoDB store would be configured (it sizes the TTL).
 */
export function getVelocityUnits(keys: VelocityKeys, matches: VelocityMatches, velocityRetentionSeconds: number): RequestUnits {
  const sample: VelocityEntry = { ...keys, orderId: REPRESENTATIVE_ORDER_ID, at: REPRESENTATIVE_ISO_TIME };
  const matched: Record<VelocityKind, number> = { CUSTOMER: matches.customer, CARD: matches.card ?? 0, ADDRESS: matches.address };
  const kinds = velocityKinds(sample);
  let readUnits = 0;
  // velocityItems builds one item per velocityKinds entry, in the same order.
  velocityItems(sample, velocityRetentionSeconds).forEach((item, index) => {
    const kind = kinds[index]?.[0];
    if (kind !== undefined) readUnits += readUnitsFor(matched[kind] * itemSizeBytes(item), 'eventual');
  });
  return { readUnits, writeUnits: 0 };
}
