import { itemSizeBytes, readUnitsFor, writeUnitsFor } from '../../domain/costs/dynamodb-units.js';
import type { RequestUnits } from '../../domain/costs/usage.js';
import type { CustomerProfile, CustomerProfileDelta } from '../../domain/order/customer.js';
import type { ReviewRecord, StoredOrder } from '../../domain/order/order.js';
import { ROLLUP_COUNTERS } from '../../domain/order/rollup.js';
import type { VelocityEntry, VelocityKeys } from '../../domain/order/velocity.js';
import type { ApplyReviewInput, PlannedWrite, RecordOrderInput } from '../../ports/order-store.js';

/**
 * What each SQLite store operation would consume on DynamoDB, item by item, in the single-table
 * layout of SPEC section 5. Why: request units are part of every order's cost, so the local run
 * prices orders as the AWS deployment would; a local cost figure then means what it will mean
 * after deploying, instead of "free because SQLite".
 *
 * Sizes of items the SQLite store does not hold in DynamoDB form (rollup shards, velocity items)
 * are estimated from representative items; the order item is sized from the actual document.
 */

type VelocityKind = 'CUSTOMER' | 'CARD' | 'ADDRESS';

/** A cumulative counter on a busy shard: 12 digits (about $120 in nano-dollars). */
const REPRESENTATIVE_COUNTER_VALUE = 123_456_789_012;
const REPRESENTATIVE_DAY = '2025-01-01';
/** Order ids are client-chosen; velocity reads size other orders' items with a UUID-length id. */
const REPRESENTATIVE_ORDER_ID = '00000000-0000-0000-0000-000000000000';
const REPRESENTATIVE_ISO_TIME = '2025-01-01T00:00:00.000Z';
const TTL_EPOCH_SECONDS = 1_735_689_600;

/** `PK=ORDER#id, SK=ORDER`, the order attributes as a map, and the status/time GSI keys. */
export function orderItemBytes(order: StoredOrder): number {
  const keys = {
    PK: `ORDER#${order.orderId}`,
    SK: 'ORDER',
    GSI1PK: `STATUS#${order.status}`,
    GSI1SK: `${order.createdAt}#${order.orderId}`,
  };
  return itemSizeBytes(keys) + itemSizeBytes({ ...order });
}

/** `PK=ORDER#id, SK=REVIEW#<reviewedAt>`: the audit record next to its order. */
function reviewItemBytes(review: ReviewRecord): number {
  return itemSizeBytes({ PK: `ORDER#${review.orderId}`, SK: `REVIEW#${review.reviewedAt}`, ...review });
}

/** `PK=ROLLUP#yyyy-mm-dd, SK=SHARD#k` holding every counter. */
export const ROLLUP_SHARD_ITEM_BYTES = itemSizeBytes({
  PK: `ROLLUP#${REPRESENTATIVE_DAY}`,
  SK: 'SHARD#00',
  ...Object.fromEntries(ROLLUP_COUNTERS.map((counter) => [counter, REPRESENTATIVE_COUNTER_VALUE])),
});

function profileItemBytes(profile: CustomerProfile): number {
  return itemSizeBytes({ PK: `CUSTOMER#${profile.customerId}`, SK: 'PROFILE', ...profile });
}

function profileFromDelta(delta: CustomerProfileDelta): CustomerProfile {
  return {
    customerId: delta.customerId,
    firstSeenAt: delta.at,
    lastOrderAt: delta.at,
    orderCount: delta.orderCount,
    approvedCount: delta.approvedCount,
    rejectedCount: delta.rejectedCount,
    pendingCount: delta.pendingCount,
    approvedAmountCents: delta.approvedAmountCents,
  };
}

/** `PK=VELOCITY#<kind>#<key>, SK=<at>#<orderId>` with the fields the distinct counts need and a TTL. */
function velocityItemBytes(kind: VelocityKind, key: string, entry: VelocityEntry): number {
  return itemSizeBytes({
    PK: `VELOCITY#${kind}#${key}`,
    SK: `${entry.at}#${entry.orderId}`,
    customerId: entry.customerId,
    email: entry.email,
    expiresAt: TTL_EPOCH_SECONDS,
  });
}

function velocityKeyValues(keys: VelocityKeys): [VelocityKind, string][] {
  const pairs: [VelocityKind, string][] = [['CUSTOMER', keys.customerId]];
  if (keys.cardKey !== null) pairs.push(['CARD', keys.cardKey]);
  pairs.push(['ADDRESS', keys.addressKey]);
  return pairs;
}

/**
 * One TransactWriteItems: the order put, a rollup shard update, the profile update and one
 * velocity item per key, each item at the transactional (double) rate. A duplicate orderId fails
 * the order's condition and DynamoDB still charges the write, so 'exists' costs the same.
 */
export function recordOrderUnits(input: RecordOrderInput): RequestUnits {
  let writeUnits =
    writeUnitsFor(orderItemBytes(input.order), true) +
    writeUnitsFor(ROLLUP_SHARD_ITEM_BYTES, true) +
    writeUnitsFor(profileItemBytes(profileFromDelta(input.profile)), true);
  for (const [kind, key] of velocityKeyValues(input.velocity)) {
    writeUnits += writeUnitsFor(velocityItemBytes(kind, key, input.velocity), true);
  }
  return { readUnits: 0, writeUnits };
}

/**
 * One TransactWriteItems: the order update guarded by its status (charged on the larger, updated
 * item), the review put, a rollup shard update and the profile update, all at the transactional rate.
 */
export function applyReviewUnits(input: ApplyReviewInput): RequestUnits {
  const writeUnits =
    writeUnitsFor(orderItemBytes(input.updatedOrder), true) +
    writeUnitsFor(reviewItemBytes(input.review), true) +
    writeUnitsFor(ROLLUP_SHARD_ITEM_BYTES, true) +
    writeUnitsFor(profileItemBytes(profileFromDelta(input.profile)), true);
  return { readUnits: 0, writeUnits };
}

/** A single (non-transactional) UpdateItem with ADD on one rollup shard. */
export function validationFailureUnits(): RequestUnits {
  return { readUnits: 0, writeUnits: writeUnitsFor(ROLLUP_SHARD_ITEM_BYTES, false) };
}

/** The units of a write the service is about to make (OrderStore.estimateWriteUnits). */
export function estimateWriteUnits(write: PlannedWrite): RequestUnits {
  switch (write.kind) {
    case 'order':
      return recordOrderUnits(write.input);
    case 'review':
      return applyReviewUnits(write.input);
    case 'validation-failure':
      return validationFailureUnits();
  }
}

/** Strongly consistent GetItem: the idempotency look-up must see a just-committed order. A miss still costs a read. */
export function getOrderUnits(order: StoredOrder | null): RequestUnits {
  return { readUnits: readUnitsFor(order === null ? 0 : orderItemBytes(order), 'strong'), writeUnits: 0 };
}

/** Eventually consistent GetItem of the profile item. */
export function getCustomerProfileUnits(profile: CustomerProfile | null): RequestUnits {
  return { readUnits: readUnitsFor(profile === null ? 0 : profileItemBytes(profile), 'eventual'), writeUnits: 0 };
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
 */
export function getVelocityUnits(keys: VelocityKeys, matches: VelocityMatches): RequestUnits {
  const sample: VelocityEntry = { ...keys, orderId: REPRESENTATIVE_ORDER_ID, at: REPRESENTATIVE_ISO_TIME };
  const matched: Record<VelocityKind, number> = {
    CUSTOMER: matches.customer,
    CARD: matches.card ?? 0,
    ADDRESS: matches.address,
  };
  let readUnits = 0;
  for (const [kind, key] of velocityKeyValues(keys)) {
    readUnits += readUnitsFor(matched[kind] * velocityItemBytes(kind, key, sample), 'eventual');
  }
  return { readUnits, writeUnits: 0 };
}
