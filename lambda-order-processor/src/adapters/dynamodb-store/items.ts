import type { CustomerProfile, CustomerProfileDelta } from '../../domain/order/customer.js';
import type { ReviewRecord, StoredOrder } from '../../domain/order/order.js';
import type { VelocityEntry, VelocityKeys } from '../../domain/order/velocity.js';
import type { OrderSummary } from '../../ports/order-store.js';
import {
  ENTITIES,
  ENTITY_ATTRIBUTE,
  KEY_ATTRIBUTES,
  ORDER_SUMMARY_ATTRIBUTES,
  TTL_ATTRIBUTE,
  orderIndexKeys,
  orderKey,
  profileKey,
  reviewKey,
  velocityKey,
  type VelocityKind,
} from './table-design.js';

/**
 * The items the DynamoDB store writes, built from domain objects (pure: no SDK, no I/O). The store
 * sends them and estimateWriteUnits sizes them, so the predicted units are those of the real items.
 */

/** Profile counters, updated with ADD. */
export const CUSTOMER_COUNTERS = ['orderCount', 'approvedCount', 'rejectedCount', 'pendingCount', 'approvedAmountCents'] as const;

/** How long velocity entries live unless configured (TTL): well beyond the default windows. */
export const DEFAULT_VELOCITY_RETENTION_SECONDS = 7 * 86_400;

export function isoTime(value: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`Not an ISO timestamp: ${value}`);
  return new Date(ms).toISOString();
}

/** The order document as a map, with its keys, its listing-index keys and its entity. */
export function orderItem(order: StoredOrder): Record<string, unknown> {
  return { ...order, ...orderKey(order.orderId), ...orderIndexKeys(order), [ENTITY_ATTRIBUTE]: ENTITIES.order };
}

/** The sequence of a review in its order's decision history (unique per order, so two reviews never share a key). */
export function reviewSequence(updatedOrder: StoredOrder): number {
  return updatedOrder.decisions.length;
}

export function reviewItem(review: ReviewRecord, updatedOrder: StoredOrder): Record<string, unknown> {
  return { ...review, ...reviewKey(review.orderId, review.reviewedAt, reviewSequence(updatedOrder)), [ENTITY_ATTRIBUTE]: ENTITIES.review };
}

/** The velocity keys an entry is counted under (no card key for purchase orders). */
export function velocityKinds(keys: VelocityKeys): [VelocityKind, string][] {
  const kinds: [VelocityKind, string][] = [['CUSTOMER', keys.customerId]];
  if (keys.cardKey !== null) kinds.push(['CARD', keys.cardKey]);
  kinds.push(['ADDRESS', keys.addressKey]);
  return kinds;
}

/** One item per velocity key, expiring (TTL) `retentionSeconds` after the entry's time. */
export function velocityItems(entry: VelocityEntry, retentionSeconds: number): Record<string, unknown>[] {
  const at = isoTime(entry.at);
  const expiresAt = Math.floor(Date.parse(at) / 1000) + retentionSeconds;
  return velocityKinds(entry).map(([kind, key]) => ({
    ...velocityKey(kind, key, at, entry.orderId),
    [ENTITY_ATTRIBUTE]: ENTITIES.velocity,
    orderId: entry.orderId,
    customerId: entry.customerId,
    email: entry.email,
    [TTL_ATTRIBUTE]: expiresAt,
  }));
}

/** The profile item as stored (what a read of it returns and is charged on). */
export function profileItem(profile: CustomerProfile): Record<string, unknown> {
  return { ...profileKey(profile.customerId), [ENTITY_ATTRIBUTE]: ENTITIES.profile, ...profile };
}

/** The profile item as a new order would leave it (updates are charged on the larger image; profiles stay small). */
export function profileItemFor(delta: CustomerProfileDelta): Record<string, unknown> {
  const { at, ...counters } = delta;
  return profileItem({ ...counters, firstSeenAt: at, lastOrderAt: at });
}

const KEY_ATTRIBUTE_SET: ReadonlySet<string> = new Set(KEY_ATTRIBUTES);

/** The item without the table's key and bookkeeping attributes: the stored domain object. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([attribute]) => !KEY_ATTRIBUTE_SET.has(attribute))) as T;
}

/** A listing-index entry (or order item) as the summary a listing returns. */
export function summaryOf(item: Record<string, unknown>): OrderSummary {
  return Object.fromEntries(ORDER_SUMMARY_ATTRIBUTES.map((attribute) => [attribute, item[attribute]])) as unknown as OrderSummary;
}
