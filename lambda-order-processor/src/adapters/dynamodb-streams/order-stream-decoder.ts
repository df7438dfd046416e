import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { orderEvent, type OrderEvent } from '../../domain/events/order-event.js';
import { ORDER_STATUSES, type OrderStatus, type StoredOrder } from '../../domain/order/order.js';
import {
  CUSTOMER_PREFIX,
  ORDER_PREFIX,
  ORDER_SORT_KEY,
  PARTITION_KEY,
  REVIEW_PREFIX,
  ROLLUP_PREFIX,
  SORT_KEY,
  VELOCITY_PREFIX,
} from '../dynamodb-store/table-design.js';
import { withoutKeys } from '../dynamodb-store/items.js';

/**
 * Turns a record of the order table's stream (DynamoDB Streams, Lambda event JSON) into the order
 * event the local path's outbox would have carried for the same state change, so the archive
 * object and the notification are the same whichever store recorded the order:
 *
 * - INSERT of an order item (`PK=ORDER#<id>`, `SK=ORDER`): `ORDER_SCREENED`, occurred at the
 *   order's `createdAt` (the store's conditional put makes this happen once per order).
 * - MODIFY of an order item whose status changed (old image, with NEW_AND_OLD_IMAGES) or, with a
 *   NEW_IMAGE stream, whose latest decision is a review: `ORDER_REVIEWED`, occurred when reviewed.
 *   The order item, not the review item inserted in the same transaction, is the source: its new
 *   image is the whole updated order the archive keeps, where the review item is only the audit line.
 *
 * Everything else (review, profile, rollup and velocity items, REMOVE of any item such as TTL
 * expiry, a MODIFY that changed no status) is not an order event: it is skipped, with the reason.
 * A record that claims to be an order event but cannot be read is an error (the caller reports it
 * as a failed batch item, to be retried and then dead-lettered, never silently dropped).
 */

export const SKIP_REASONS = ['REMOVE', 'REVIEW', 'CUSTOMER_PROFILE', 'ROLLUP_SHARD', 'VELOCITY', 'OTHER_ITEM', 'NO_STATUS_CHANGE'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type DecodedStreamRecord = { kind: 'event'; event: OrderEvent } | { kind: 'skipped'; reason: SkipReason };

/** A stream record that should carry an order event but does not decode to one. */
export class OrderStreamRecordError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrderStreamRecordError';
  }
}

type Image = Record<string, AttributeValue>;

function plain(image: Image, what: string): Record<string, unknown> {
  try {
    // The Lambda event's attribute values are the SDK's, with binaries as base64 strings (the order item has none).
    return unmarshall(image as unknown as Record<string, SdkAttributeValue>);
  } catch (error) {
    throw new OrderStreamRecordError(`${what} is not a DynamoDB item: ${(error as Error).message}`, { cause: error });
  }
}

function keyOf(keys: Image | undefined, name: string): string {
  const value = keys?.[name]?.S;
  if (value === undefined) throw new OrderStreamRecordError(`stream record without a string ${name} key`);
  return value;
}

/** What kind of item a key names, for the items that carry no order event. */
function nonOrderItem(pk: string, sk: string): SkipReason | null {
  if (pk.startsWith(ORDER_PREFIX)) return sk === ORDER_SORT_KEY ? null : sk.startsWith(REVIEW_PREFIX) ? 'REVIEW' : 'OTHER_ITEM';
  if (pk.startsWith(CUSTOMER_PREFIX)) return 'CUSTOMER_PROFILE';
  if (pk.startsWith(ROLLUP_PREFIX)) return 'ROLLUP_SHARD';
  if (pk.startsWith(VELOCITY_PREFIX)) return 'VELOCITY';
  return 'OTHER_ITEM';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isString = (value: unknown): value is string => typeof value === 'string';

function isStatus(value: unknown): value is OrderStatus {
  return (ORDER_STATUSES as readonly unknown[]).includes(value);
}

/**
 * The stored order of an order item's image (table keys and bookkeeping attributes removed), checked
 * for what the archive and the notification read from it.
 */
function storedOrder(image: Image, orderId: string): StoredOrder {
  const item = withoutKeys<Record<string, unknown>>(plain(image, `the new image of order ${orderId}`));
  const problems: string[] = [];
  if (item.orderId !== orderId) problems.push(`orderId ${JSON.stringify(item.orderId)} differs from its key`);
  if (!isStatus(item.status)) problems.push(`status ${JSON.stringify(item.status)}`);
  if (!isString(item.day) || !DAY.test(item.day)) problems.push(`day ${JSON.stringify(item.day)}`);
  if (!isString(item.createdAt) || !Number.isFinite(Date.parse(item.createdAt))) problems.push(`createdAt ${JSON.stringify(item.createdAt)}`);
  if (!isString(item.customerId) || !isString(item.customerEmail)) problems.push('customer');
  if (typeof item.score !== 'number' || !Number.isFinite(item.score)) problems.push(`score ${JSON.stringify(item.score)}`);
  if (!Number.isSafeInteger(item.totalAmountCents)) problems.push(`totalAmountCents ${JSON.stringify(item.totalAmountCents)}`);
  if (!Array.isArray(item.rejectionReasons) || !item.rejectionReasons.every(isString)) problems.push('rejectionReasons');
  if (!Array.isArray(item.decisions)) problems.push('decisions');
  if (problems.length > 0) throw new OrderStreamRecordError(`order ${orderId} in the stream is not a stored order: ${problems.join(', ')}`);
  return item as unknown as StoredOrder;
}

/** The latest decision when it was a person's review of the order's current status. */
function latestReview(order: StoredOrder): { at: string } | null {
  const latest = order.decisions.at(-1);
  return latest !== undefined && latest.source === 'review' && latest.status === order.status && isString(latest.at) ? latest : null;
}

export function decodeOrderStreamRecord(record: DynamoDBRecord): DecodedStreamRecord {
  const change = record.dynamodb;
  if (record.eventName === 'REMOVE') return { kind: 'skipped', reason: 'REMOVE' };
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') {
    throw new OrderStreamRecordError(`stream record with event name ${JSON.stringify(record.eventName)}`);
  }
  const pk = keyOf(change?.Keys, PARTITION_KEY);
  const skipped = nonOrderItem(pk, keyOf(change?.Keys, SORT_KEY));
  if (skipped !== null) return { kind: 'skipped', reason: skipped };

  const orderId = pk.slice(ORDER_PREFIX.length);
  if (change?.NewImage === undefined) {
    throw new OrderStreamRecordError(`${record.eventName} of order ${orderId} carries no new image (the stream must be NEW_IMAGE or NEW_AND_OLD_IMAGES)`);
  }
  const order = storedOrder(change.NewImage, orderId);
  if (record.eventName === 'INSERT') return { kind: 'event', event: orderEvent('ORDER_SCREENED', order, order.createdAt) };

  const review = latestReview(order);
  if (change.OldImage !== undefined) {
    const previousStatus = plain(change.OldImage, `the old image of order ${orderId}`).status;
    if (previousStatus === order.status) return { kind: 'skipped', reason: 'NO_STATUS_CHANGE' };
  } else if (review === null) {
    return { kind: 'skipped', reason: 'NO_STATUS_CHANGE' };
  }
  return { kind: 'event', event: orderEvent('ORDER_REVIEWED', order, review?.at ?? order.updatedAt) };
}
