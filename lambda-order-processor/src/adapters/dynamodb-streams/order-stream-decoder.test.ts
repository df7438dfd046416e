import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { storedOrderFixture } from '../../../test/fixtures/stored-orders.js';
import { orderEvent } from '../../domain/events/order-event.js';
import { settleOrder } from '../../domain/order/review.js';
import type { StoredOrder } from '../../domain/order/order.js';
import { orderIndexKeys, orderKey, profileKey, reviewKey, rollupShardKey, velocityKey } from '../dynamodb-store/table-design.js';
import { decodeOrderStreamRecord, OrderStreamRecordError } from './order-stream-decoder.js';

type Image = Record<string, AttributeValue>;

function image(item: Record<string, unknown>): Image {
  return marshall(item, { removeUndefinedValues: true }) as unknown as Image;
}

/** The order item as the DynamoDB store writes it: the order, its keys, index keys and entity. */
function orderItem(order: StoredOrder): Record<string, unknown> {
  return { ...order, ...orderKey(order.orderId), ...orderIndexKeys(order), entity: 'ORDER' };
}

function streamRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  keys: { PK: string; SK: string },
  images: { newImage?: Record<string, unknown>; oldImage?: Record<string, unknown> } = {},
): DynamoDBRecord {
  return {
    eventID: 'a1b2c3',
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1_764_000_000,
      Keys: image(keys),
      ...(images.newImage ? { NewImage: image(images.newImage) } : {}),
      ...(images.oldImage ? { OldImage: image(images.oldImage) } : {}),
      SequenceNumber: '000000000000000000042',
      SizeBytes: 512,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

describe('decodeOrderStreamRecord', () => {
  const pending = storedOrderFixture({ orderId: 'ORD-STREAM-1', status: 'PENDING_REVIEW', createdAt: '2026-11-25T09:15:00.250Z' });
  const { updatedOrder: reviewed } = settleOrder(pending, { decision: 'REJECTED', reviewer: 'ana@risk-team', reviewedAt: '2026-11-25T10:02:03.004Z' });

  it('turns the INSERT of an order item into the ORDER_SCREENED event the outbox would carry', () => {
    const decoded = decodeOrderStreamRecord(streamRecord('INSERT', orderKey(pending.orderId), { newImage: orderItem(pending) }));
    expect(decoded).toEqual({ kind: 'event', event: orderEvent('ORDER_SCREENED', pending, pending.createdAt) });
  });

  it('turns a MODIFY that moved the status into ORDER_REVIEWED at the review time, from old and new images', () => {
    const decoded = decodeOrderStreamRecord(streamRecord('MODIFY', orderKey(pending.orderId), { newImage: orderItem(reviewed), oldImage: orderItem(pending) }));
    expect(decoded).toEqual({ kind: 'event', event: orderEvent('ORDER_REVIEWED', reviewed, '2026-11-25T10:02:03.004Z') });
    if (decoded.kind !== 'event') throw new Error('expected an event');
    expect(decoded.event.eventId).toBe('ORD-STREAM-1:ORDER_REVIEWED:REJECTED');
  });

  it('recognises a review from the new image alone on a NEW_IMAGE stream', () => {
    const decoded = decodeOrderStreamRecord(streamRecord('MODIFY', orderKey(pending.orderId), { newImage: orderItem(reviewed) }));
    expect(decoded).toEqual({ kind: 'event', event: orderEvent('ORDER_REVIEWED', reviewed, '2026-11-25T10:02:03.004Z') });
  });

  it('skips a MODIFY of an order that changed no status', () => {
    const touched = { ...orderItem(pending), updatedAt: '2026-11-25T09:20:00.000Z' };
    expect(decodeOrderStreamRecord(streamRecord('MODIFY', orderKey(pending.orderId), { newImage: touched, oldImage: orderItem(pending) }))).toEqual({
      kind: 'skipped',
      reason: 'NO_STATUS_CHANGE',
    });
    expect(decodeOrderStreamRecord(streamRecord('MODIFY', orderKey(pending.orderId), { newImage: touched }))).toEqual({ kind: 'skipped', reason: 'NO_STATUS_CHANGE' });
  });

  it.each([
    ['REVIEW', streamRecord('INSERT', reviewKey('ORD-STREAM-1', '2026-11-25T10:02:03.004Z', 1), { newImage: { decision: 'REJECTED' } })],
    ['CUSTOMER_PROFILE', streamRecord('MODIFY', profileKey('CUST-1'), { newImage: { orderCount: 2 } })],
    ['ROLLUP_SHARD', streamRecord('INSERT', rollupShardKey('2026-11-25', 3), { newImage: { orders: 1 } })],
    ['VELOCITY', streamRecord('INSERT', velocityKey('CARD', '4242|us|62704', '2026-11-25T09:15:00.250Z', 'ORD-STREAM-1'), { newImage: { orderId: 'ORD-STREAM-1' } })],
    ['OTHER_ITEM', streamRecord('INSERT', { PK: 'MIGRATION#1', SK: 'STATE' }, { newImage: { done: true } })],
    ['REMOVE', streamRecord('REMOVE', orderKey('ORD-STREAM-1'), { oldImage: orderItem(pending) })],
  ])('skips a %s record', (reason, record) => {
    expect(decodeOrderStreamRecord(record)).toEqual({ kind: 'skipped', reason });
  });

  it('fails an order record it cannot read, naming what is wrong', () => {
    const cases: Array<[DynamoDBRecord, RegExp]> = [
      [streamRecord('INSERT', orderKey('ORD-STREAM-1')), /carries no new image/],
      [streamRecord('INSERT', orderKey('ORD-STREAM-1'), { newImage: { ...orderItem(pending), status: 'LOST' } }), /status "LOST"/],
      [streamRecord('INSERT', orderKey('ORD-STREAM-1'), { newImage: { ...orderItem(pending), orderId: 'ORD-OTHER' } }), /differs from its key/],
      [streamRecord('INSERT', orderKey('ORD-STREAM-1'), { newImage: { ...orderItem(pending), score: 'high' } }), /score "high"/],
      [streamRecord('INSERT', orderKey('ORD-STREAM-1'), { newImage: { ...orderItem(pending), day: undefined } }), /day undefined/],
    ];
    for (const [record, message] of cases) {
      expect(() => decodeOrderStreamRecord(record)).toThrow(OrderStreamRecordError);
      expect(() => decodeOrderStreamRecord(record)).toThrow(message);
    }
    const garbage = streamRecord('INSERT', orderKey('ORD-STREAM-1'));
    if (garbage.dynamodb) garbage.dynamodb.NewImage = { orderId: { X: 'what' } } as unknown as Image;
    expect(() => decodeOrderStreamRecord(garbage)).toThrow(/not a DynamoDB item/);
    const keyless = streamRecord('INSERT', orderKey('ORD-STREAM-1'), { newImage: orderItem(pending) });
    if (keyless.dynamodb) delete keyless.dynamodb.Keys;
    expect(() => decodeOrderStreamRecord(keyless)).toThrow(/without a string PK key/);
  });
});
