import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { OrderStatus } from '../../domain/order/order.js';

/**
 * The single-table design of the DynamoDB order store (SPEC section 5): the one place that names
 * the table's keys, indexes, item prefixes and TTL attribute. The store builds every key with the
 * functions below, and the Terraform definition of the table is checked against these constants.
 *
 * | item              | PK                          | SK                      | notes                                     |
 * |-------------------|-----------------------------|-------------------------|-------------------------------------------|
 * | order             | `ORDER#<orderId>`           | `ORDER`                 | StoredOrder attributes as a map + GSI keys |
 * | review            | `ORDER#<orderId>`           | `REVIEW#<reviewedAt>#<nnnn>` | next to its order, oldest first  |
 * | customer profile  | `CUSTOMER#<customerId>`     | `PROFILE`               | counters (ADD), first/last order time     |
 * | daily rollup      | `ROLLUP#<yyyy-mm-dd>`       | `SHARD#<kk>`            | every ROLLUP_COUNTERS counter (ADD)        |
 * | velocity entry    | `VELOCITY#<kind>#<key>`     | `<at ISO>#<orderId>`    | customerId, email, TTL `expiresAt`        |
 *
 * Order listing: GSI1 (`GSI1PK=STATUS#<status>`, `GSI1SK=<createdAt>#<orderId>`) answers "orders of
 * one status in a date range, newest first" with one Query per page. Listing every status by date
 * uses GSI2 (`GSI2PK=DAY#<yyyy-mm-dd>`, `GSI2SK=<createdAt>#<orderId>`), one Query per day walking
 * the range backwards: a status-less listing would otherwise have to merge three GSI1 partitions
 * (the cursor would need three positions) or scan. Both indexes project only the summary attributes
 * a listing returns (INCLUDE), so the index copy of an order is a few hundred bytes, not the whole
 * document: that keeps the index write units per order at 1 each.
 *
 * Timestamps in sort keys are `Date.toISOString()` strings (UTC, millisecond precision, fixed
 * width), so their lexicographic order is their time order.
 */

export const PARTITION_KEY = 'PK';
export const SORT_KEY = 'SK';

export const STATUS_INDEX = 'GSI1';
export const STATUS_INDEX_PARTITION_KEY = 'GSI1PK';
export const STATUS_INDEX_SORT_KEY = 'GSI1SK';

export const DAY_INDEX = 'GSI2';
export const DAY_INDEX_PARTITION_KEY = 'GSI2PK';
export const DAY_INDEX_SORT_KEY = 'GSI2SK';

/** TTL attribute (epoch seconds) of velocity entries. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Marks what an item is (streams consumers and ad-hoc queries filter on it). */
export const ENTITY_ATTRIBUTE = 'entity';
export const ENTITIES = {
  order: 'ORDER',
  review: 'REVIEW',
  profile: 'CUSTOMER_PROFILE',
  rollupShard: 'ROLLUP_SHARD',
  velocity: 'VELOCITY',
} as const;

/** Key and bookkeeping attributes that are not part of the stored domain object. */
export const KEY_ATTRIBUTES = [
  PARTITION_KEY,
  SORT_KEY,
  STATUS_INDEX_PARTITION_KEY,
  STATUS_INDEX_SORT_KEY,
  DAY_INDEX_PARTITION_KEY,
  DAY_INDEX_SORT_KEY,
  ENTITY_ATTRIBUTE,
  TTL_ATTRIBUTE,
] as const;

export const ORDER_PREFIX = 'ORDER#';
export const ORDER_SORT_KEY = 'ORDER';
export const REVIEW_PREFIX = 'REVIEW#';
export const CUSTOMER_PREFIX = 'CUSTOMER#';
export const PROFILE_SORT_KEY = 'PROFILE';
export const ROLLUP_PREFIX = 'ROLLUP#';
export const SHARD_PREFIX = 'SHARD#';
export const VELOCITY_PREFIX = 'VELOCITY#';
export const STATUS_PREFIX = 'STATUS#';
export const DAY_PREFIX = 'DAY#';

/** Rollup shards per day unless configured otherwise: ten items share a busy day's ADDs. */
export const DEFAULT_ROLLUP_SHARDS = 10;
/** Readers query every shard of a day (one Query per day), so the count stays small. */
export const MAX_ROLLUP_SHARDS = 100;

/** The attributes GSI1 and GSI2 carry besides their keys: exactly an OrderSummary. */
export const ORDER_SUMMARY_ATTRIBUTES = ['orderId', 'customerId', 'status', 'score', 'totalAmountCents', 'createdAt', 'day'] as const;

export type VelocityKind = 'CUSTOMER' | 'CARD' | 'ADDRESS';

export interface ItemKey {
  PK: string;
  SK: string;
}

export function orderKey(orderId: string): ItemKey {
  return { PK: `${ORDER_PREFIX}${orderId}`, SK: ORDER_SORT_KEY };
}

/** The sort key of a listing entry: newest first when queried descending, orderId breaking ties. */
export function orderListSortKey(createdAt: string, orderId: string): string {
  return `${createdAt}#${orderId}`;
}

export function orderIndexKeys(order: { orderId: string; status: OrderStatus; createdAt: string; day: string }): Record<string, string> {
  const sortKey = orderListSortKey(order.createdAt, order.orderId);
  return {
    [STATUS_INDEX_PARTITION_KEY]: `${STATUS_PREFIX}${order.status}`,
    [STATUS_INDEX_SORT_KEY]: sortKey,
    [DAY_INDEX_PARTITION_KEY]: `${DAY_PREFIX}${order.day}`,
    [DAY_INDEX_SORT_KEY]: sortKey,
  };
}

/**
 * Reviews sort by time; the reviewer and a per-order sequence keep two reviews recorded in the same
 * millisecond apart (the order's decision history length makes it unique per order).
 */
export function reviewKey(orderId: string, reviewedAt: string, sequence: number): ItemKey {
  return { PK: `${ORDER_PREFIX}${orderId}`, SK: `${REVIEW_PREFIX}${reviewedAt}#${String(sequence).padStart(4, '0')}` };
}

export function profileKey(customerId: string): ItemKey {
  return { PK: `${CUSTOMER_PREFIX}${customerId}`, SK: PROFILE_SORT_KEY };
}

export function rollupPartitionKey(day: string): string {
  return `${ROLLUP_PREFIX}${day}`;
}

export function rollupShardKey(day: string, shard: number): ItemKey {
  return { PK: rollupPartitionKey(day), SK: `${SHARD_PREFIX}${String(shard).padStart(2, '0')}` };
}

export function velocityPartitionKey(kind: VelocityKind, key: string): string {
  return `${VELOCITY_PREFIX}${kind}#${key}`;
}

export function velocityKey(kind: VelocityKind, key: string, at: string, orderId: string): ItemKey {
  return { PK: velocityPartitionKey(kind, key), SK: `${at}#${orderId}` };
}

const SUMMARY_PROJECTION = { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...ORDER_SUMMARY_ATTRIBUTES] };

/**
 * CreateTable input: string keys, on-demand capacity, both listing indexes, and a stream carrying
 * new images (the events Lambda archives and notifies from the order's new image: INSERT is a new
 * order, MODIFY a review).
 * TTL and point-in-time recovery are separate calls on AWS (UpdateTimeToLive, UpdateContinuousBackups);
 * the Terraform definition sets them on the same table.
 */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: SORT_KEY, AttributeType: 'S' },
      { AttributeName: STATUS_INDEX_PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: STATUS_INDEX_SORT_KEY, AttributeType: 'S' },
      { AttributeName: DAY_INDEX_PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: DAY_INDEX_SORT_KEY, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: STATUS_INDEX,
        KeySchema: [
          { AttributeName: STATUS_INDEX_PARTITION_KEY, KeyType: 'HASH' },
          { AttributeName: STATUS_INDEX_SORT_KEY, KeyType: 'RANGE' },
        ],
        Projection: SUMMARY_PROJECTION,
      },
      {
        IndexName: DAY_INDEX,
        KeySchema: [
          { AttributeName: DAY_INDEX_PARTITION_KEY, KeyType: 'HASH' },
          { AttributeName: DAY_INDEX_SORT_KEY, KeyType: 'RANGE' },
        ],
        Projection: SUMMARY_PROJECTION,
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  };
}
