import { itemSizeBytes, writeUnitsFor } from '../../domain/costs/dynamodb-units.js';
import type { RequestUnits } from '../../domain/costs/usage.js';
import { ROLLUP_COUNTERS } from '../../domain/order/rollup.js';
import type { PlannedWrite } from '../../ports/order-store.js';
import { orderItem, profileItemFor, reviewItem, velocityItems } from './items.js';
import {
  DAY_INDEX_PARTITION_KEY,
  DAY_INDEX_SORT_KEY,
  ENTITIES,
  ENTITY_ATTRIBUTE,
  ORDER_SUMMARY_ATTRIBUTES,
  PARTITION_KEY,
  SORT_KEY,
  STATUS_INDEX_PARTITION_KEY,
  STATUS_INDEX_SORT_KEY,
  rollupShardKey,
} from './table-design.js';

/**
 * Predicted write units of the DynamoDB store's writes, from the sizes of the very items it writes
 * (built by items.ts, as the store sends them). Pure, so any engine can price a write as DynamoDB
 * would bill it. DynamoDB bills:
 * - each item of a TransactWriteItems at the transactional rate (2 WRU per started KB), an update
 *   on the larger of the item before and after it;
 * - each global secondary index entry the write creates, changes or deletes at the standard rate
 *   (1 WRU per started KB of the projected entry): putting a new order writes one GSI1 and one GSI2
 *   entry; a review that changes the status deletes the old GSI1 entry, puts the new one and
 *   rewrites the GSI2 entry (its projected status changed);
 * - a plain UpdateItem (a validation failure's rollup ADD) at the standard rate.
 */

/** A cumulative counter on a busy shard: 12 digits (about $120 in nano-dollars). */
const REPRESENTATIVE_COUNTER_VALUE = 123_456_789_012;

/**
 * The last day sized: the size depends on the day only, and every order of a day updates the same
 * shape of shard (issue 6 profile: building and sizing the item, about 30 counters, again on every
 * order was 4% of the order API's main thread).
 */
let lastRollupShard = { day: '', bytes: 0 };

/** A rollup shard holding every counter: updates are charged on the larger (existing) item. */
export function rollupShardItemBytes(day: string): number {
  if (day === lastRollupShard.day) return lastRollupShard.bytes;
  const bytes = itemSizeBytes({
    ...rollupShardKey(day, 0),
    [ENTITY_ATTRIBUTE]: ENTITIES.rollupShard,
    ...Object.fromEntries(ROLLUP_COUNTERS.map((counter) => [counter, REPRESENTATIVE_COUNTER_VALUE])),
  });
  lastRollupShard = { day, bytes };
  return bytes;
}

/** The entry an order item projects into one listing index (its keys, the table keys and the summary). */
export function indexEntryBytes(item: Record<string, unknown>, index: 'status' | 'day'): number {
  const [partitionKey, sortKey] = index === 'status' ? [STATUS_INDEX_PARTITION_KEY, STATUS_INDEX_SORT_KEY] : [DAY_INDEX_PARTITION_KEY, DAY_INDEX_SORT_KEY];
  const entry: Record<string, unknown> = { [PARTITION_KEY]: item[PARTITION_KEY], [SORT_KEY]: item[SORT_KEY], [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] };
  for (const attribute of ORDER_SUMMARY_ATTRIBUTES) entry[attribute] = item[attribute];
  return itemSizeBytes(entry);
}

const transactional = (item: Record<string, unknown> | number): number => writeUnitsFor(typeof item === 'number' ? item : itemSizeBytes(item), true);
const standard = (sizeBytes: number): number => writeUnitsFor(sizeBytes, false);

/** The write units of a planned write; `velocityRetentionSeconds` as the store is configured (it sizes the TTL). */
export function estimateWriteUnits(write: PlannedWrite, velocityRetentionSeconds: number): RequestUnits {
  switch (write.kind) {
    case 'order': {
      const { input } = write;
      const order = orderItem(input.order);
      let units = transactional(order) + transactional(rollupShardItemBytes(input.rollup.day)) + transactional(profileItemFor(input.profile));
      for (const item of velocityItems(input.velocity, velocityRetentionSeconds)) units += transactional(item);
      units += standard(indexEntryBytes(order, 'status')) + standard(indexEntryBytes(order, 'day'));
      return { readUnits: 0, writeUnits: units };
    }
    case 'review': {
      const { input } = write;
      const order = orderItem(input.updatedOrder);
      const units =
        transactional(order) +
        transactional(reviewItem(input.review, input.updatedOrder)) +
        transactional(rollupShardItemBytes(input.rollup.day)) +
        transactional(profileItemFor(input.profile)) +
        // The status changes: the old GSI1 entry is deleted and a new one put; GSI2's entry is rewritten.
        2 * standard(indexEntryBytes(order, 'status')) +
        standard(indexEntryBytes(order, 'day'));
      return { readUnits: 0, writeUnits: units };
    }
    case 'validation-failure':
      return { readUnits: 0, writeUnits: standard(rollupShardItemBytes(write.rollup.day)) };
  }
}
