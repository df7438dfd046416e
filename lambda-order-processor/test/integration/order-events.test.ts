import { jest } from '@jest/globals';
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoDbOrderStore } from '../../src/adapters/dynamodb-store/dynamodb-order-store.js';
import { orderKey, profileKey } from '../../src/adapters/dynamodb-store/table-design.js';
import { loadConfig } from '../../src/config/config.js';
import { notificationFor } from '../../src/domain/events/notification.js';
import { archiveKey, type OrderEvent } from '../../src/domain/events/order-event.js';
import { createOrderEventsRuntime, type OrderEventsBatchSummary, type OrderEventsFunction } from '../../src/handler/order-events/order-events.js';
import { localLambdaContext } from '../../src/local/api-gateway-event.js';
import { createOrderTable } from '../../src/local/dynamodb-local.js';
import { StreamPoller, toLambdaRecord } from '../../src/local/stream-poller.js';
import { recordInputFor, reviewInputFor, storedOrderFixture } from '../fixtures/stored-orders.js';
import { startDynamoDbLocalTable, type DynamoDbLocalTable } from '../support/dynamodb-local.js';
import { latestStreamArn, readStreamRecords, streamsClient } from '../support/dynamodb-stream.js';
import { SNS_ERRORS, startFakeSnsServer, type FakeSnsServer, type PublishedMessage } from '../support/fake-sns-server.js';
import { useLocalSinkEndpoints } from '../support/local-sink-endpoints.js';
import { startS3rver, type LocalS3 } from '../support/s3rver.js';

// Project configs cannot set testTimeout (a global option): a loaded machine makes these take seconds.
jest.setTimeout(60_000);

const BUCKET = 'orderops-order-events-it';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orderops-order-events';
const REVIEWED_AT = '2025-06-02T20:00:00.000Z';

/**
 * The events Lambda on real parts: orders written by the DynamoDB store to DynamoDB Local, the real
 * stream records read with the DynamoDB Streams API, delivered to s3rver (S3) and the local SNS
 * server through the events function's own composition root (ARCHIVE=s3, NOTIFIER=sns).
 */
describe('order events from DynamoDB Streams to S3 and SNS', () => {
  let db: DynamoDbLocalTable;
  let streams: DynamoDBStreamsClient;
  let s3: LocalS3;
  let s3Client: S3Client;
  let sns: FakeSnsServer;
  let tables = 0;
  let restoreEnv: () => void = () => undefined;

  beforeAll(async () => {
    [db, s3, sns] = await Promise.all([startDynamoDbLocalTable('order-events-0'), startS3rver([BUCKET]), startFakeSnsServer([TOPIC])]);
    streams = streamsClient(db.local.endpoint);
    s3Client = s3.client();
    // One SDK attempt: a failed record is retried by the event source mapping, not inside the function.
    restoreEnv = useLocalSinkEndpoints(s3, sns);
  }, 90_000);

  afterAll(async () => {
    restoreEnv();
    streams.destroy();
    await Promise.all([db.stop(), s3.close(), sns.close()]);
  });

  beforeEach(() => {
    sns.recover();
    sns.published.length = 0;
  });

  const pollers: StreamPoller[] = [];
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  });

  function poller(options: ConstructorParameters<typeof StreamPoller>[0]): StreamPoller {
    const created = new StreamPoller({ pollIntervalMs: 20, retryBaseMs: 5, retryMaxMs: 50, ...options });
    pollers.push(created);
    return created;
  }

  /** A fresh order table (its own stream) written through the DynamoDB store. */
  async function freshTable(): Promise<{ tableName: string; store: DynamoDbOrderStore; streamArn: string }> {
    tables += 1;
    const tableName = `order-events-${tables}`;
    await createOrderTable(db.client(), tableName);
    const store = new DynamoDbOrderStore({ client: db.client(), tableName, rollupShards: 2 });
    return { tableName, store, streamArn: await latestStreamArn(db.client(), tableName) };
  }

  /** A fresh table with one approved order per id (each its own customer), and the stream records that wrote. */
  async function tableWithOrders(orderIds: string[]): Promise<{ store: DynamoDbOrderStore; records: DynamoDBRecord[] }> {
    const { store, streamArn } = await freshTable();
    for (const orderId of orderIds) await store.recordOrder(recordInputFor(storedOrderFixture({ orderId, customerId: `CUST-${orderId}` })));
    return { store, records: await readStreamRecords(streams, streamArn) };
  }

  /** The events function as the Lambda builds it, archiving under its own prefix. */
  function eventsFunction(prefix: string): { handle: OrderEventsFunction; summaries: OrderEventsBatchSummary[] } {
    const summaries: OrderEventsBatchSummary[] = [];
    const config = loadConfig({ ...process.env, ARCHIVE: 's3', ARCHIVE_BUCKET: BUCKET, ARCHIVE_PREFIX: prefix, NOTIFIER: 'sns', SNS_TOPIC_ARN: TOPIC });
    const runtime = createOrderEventsRuntime(config, { logger: new Logger({ logLevel: 'SILENT' }), onBatch: (summary) => summaries.push(summary) });
    return { handle: runtime.handle, summaries };
  }

  async function archivedKeys(prefix: string): Promise<string[]> {
    const listing = await s3Client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (listing.Contents ?? []).map((object) => object.Key ?? '').sort();
  }

  async function archivedBody(key: string): Promise<string> {
    const object = await s3Client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(object.ContentType).toBe('application/json');
    expect(object.Metadata).toEqual(expect.objectContaining({ 'order-id': expect.any(String) as string, status: expect.any(String) as string }));
    return (await object.Body?.transformToString()) ?? '';
  }

  const eventIdOf = (message: PublishedMessage): string => (JSON.parse(message.message) as { eventId: string }).eventId;

  function sequenceOf(records: DynamoDBRecord[], eventName: string, orderId: string): string {
    const record = records.find((candidate) => candidate.eventName === eventName && candidate.dynamodb?.Keys?.PK?.S === orderKey(orderId).PK);
    const sequenceNumber = record?.dynamodb?.SequenceNumber;
    if (sequenceNumber === undefined) throw new Error(`no ${eventName} record of ${orderId}`);
    return sequenceNumber;
  }

  it('archives each order event once at its deterministic key and publishes it, exactly as the local outbox path; redelivery is harmless', async () => {
    const { store, streamArn } = await freshTable();
    const approved = storedOrderFixture({ orderId: 'EV1-APPROVED', status: 'APPROVED' });
    const pending = storedOrderFixture({ orderId: 'EV1-PENDING', status: 'PENDING_REVIEW', customerId: 'CUST-EV1-P', customerEmail: 'paul.pending@example.org' });
    const rejected = storedOrderFixture({ orderId: 'EV1-REJECTED', status: 'REJECTED', customerId: 'CUST-EV1-R' });
    const inputs = [approved, pending, rejected].map((order) => recordInputFor(order));
    for (const input of inputs) expect((await store.recordOrder(input)).outcome).toBe('created');
    const review = reviewInputFor(pending, { decision: 'APPROVED', reviewedAt: REVIEWED_AT, reviewer: 'ana@risk-team' });
    expect((await store.applyReview(review)).outcome).toBe('applied');
    // The events the SQLite outbox would have carried for the same four state changes.
    const expected: OrderEvent[] = [...inputs.flatMap((input) => input.events), ...review.events];

    const records = await readStreamRecords(streams, streamArn);
    const { handle, summaries } = eventsFunction('it1/');
    expect(await handle({ Records: records })).toEqual({ batchItemFailures: [] });
    // Per order: the order item, a rollup shard, the profile and three velocity entries (customer,
    // card, address); the review: the order item, the review item, the rollup shard, the profile.
    expect(summaries).toEqual([
      { records: records.length, delivered: 4, skipped: { ROLLUP_SHARD: 4, CUSTOMER_PROFILE: 4, VELOCITY: 9, REVIEW: 1 }, failed: 0 },
    ]);
    expect(records).toHaveLength(22);

    // Archive: one object per event, at <prefix><status>/<day>/<orderId>.json, holding the order as recorded.
    const keys = await archivedKeys('it1/');
    expect(keys).toEqual(
      [
        'it1/APPROVED/2025-06-02/EV1-APPROVED.json',
        'it1/APPROVED/2025-06-02/EV1-PENDING.json',
        'it1/PENDING_REVIEW/2025-06-02/EV1-PENDING.json',
        'it1/REJECTED/2025-06-02/EV1-REJECTED.json',
      ].sort(),
    );
    const bodies = new Map<string, string>();
    for (const event of expected) {
      const key = `it1/${archiveKey(event)}`;
      const body = await archivedBody(key);
      bodies.set(key, body);
      expect(JSON.parse(body)).toEqual(event.order);
    }
    const reviewedRecord = JSON.parse(bodies.get('it1/APPROVED/2025-06-02/EV1-PENDING.json') ?? '{}') as { status: string; decisions: unknown[] };
    expect(reviewedRecord.status).toBe('APPROVED');
    expect(reviewedRecord.decisions).toEqual([
      { status: 'PENDING_REVIEW', source: 'screening', at: pending.createdAt },
      { status: 'APPROVED', source: 'review', at: REVIEWED_AT, reviewer: 'ana@risk-team' },
    ]);

    // Notifications: one per event, the local path's notification, with the filterable attributes.
    expect(sns.published).toHaveLength(4);
    const byEventId = new Map(sns.published.map((message) => [eventIdOf(message), message]));
    for (const event of expected) {
      const message = byEventId.get(event.eventId);
      expect(message?.topicArn).toBe(TOPIC);
      expect(JSON.parse(message?.message ?? '{}')).toEqual(notificationFor(event));
      expect(message?.attributes).toEqual({
        status: { dataType: 'String', stringValue: event.status },
        eventType: { dataType: 'String', stringValue: event.type },
        orderId: { dataType: 'String', stringValue: event.orderId },
      });
    }
    expect(JSON.parse(byEventId.get('EV1-PENDING:ORDER_REVIEWED:APPROVED')?.message ?? '{}')).toMatchObject({
      type: 'ORDER_REVIEWED',
      status: 'APPROVED',
      customerEmail: 'p***@example.org',
      occurredAt: REVIEWED_AT,
    });
    // An order's events go out in the order they happened.
    const ids = sns.published.map(eventIdOf);
    expect(ids.indexOf('EV1-PENDING:ORDER_SCREENED:PENDING_REVIEW')).toBeLessThan(ids.indexOf('EV1-PENDING:ORDER_REVIEWED:APPROVED'));
    for (const message of sns.published) expect(message.rawBody).not.toMatch(/paul\.pending|jane\.miller/);

    // Redelivery of the same batch: same keys, same bytes, no new object; the same event ids again.
    expect(await handle({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(await archivedKeys('it1/')).toEqual(keys);
    for (const [key, body] of bodies) expect(await archivedBody(key)).toBe(body);
    expect(sns.published.slice(4).map(eventIdOf).sort()).toEqual(ids.slice().sort());
    await store.close();
  });

  it('reports exactly the record with a corrupt order image in batchItemFailures and delivers the rest', async () => {
    const { store, records: genuine } = await tableWithOrders(['EV2-GOOD', 'EV2-CORRUPT', 'EV2-ALSO-GOOD']);
    const poisoned = sequenceOf(genuine, 'INSERT', 'EV2-CORRUPT');
    const records = genuine.map((record): DynamoDBRecord => {
      if (record.dynamodb?.SequenceNumber !== poisoned || record.dynamodb.NewImage === undefined) return record;
      return { ...record, dynamodb: { ...record.dynamodb, NewImage: { ...record.dynamodb.NewImage, status: { S: 'LOST' } } } };
    });

    const { handle, summaries } = eventsFunction('it2/');
    expect(await handle({ Records: records })).toEqual({ batchItemFailures: [{ itemIdentifier: poisoned }] });
    expect(summaries[0]).toMatchObject({ records: 18, delivered: 2, failed: 1 });
    expect(await archivedKeys('it2/')).toEqual(['it2/APPROVED/2025-06-02/EV2-ALSO-GOOD.json', 'it2/APPROVED/2025-06-02/EV2-GOOD.json']);
    expect(sns.published.map(eventIdOf).sort()).toEqual(['EV2-ALSO-GOOD:ORDER_SCREENED:APPROVED', 'EV2-GOOD:ORDER_SCREENED:APPROVED']);

    // The retried record, as the stream really holds it, goes through.
    const retried = genuine.filter((record) => record.dynamodb?.SequenceNumber === poisoned);
    expect(await handle({ Records: retried })).toEqual({ batchItemFailures: [] });
    expect(await archivedKeys('it2/')).toContain('it2/APPROVED/2025-06-02/EV2-CORRUPT.json');
    await store.close();
  });

  it('fails only the record whose notification SNS refused, and holds back the later events of that order', async () => {
    const { store, records } = await tableWithOrders(['EV3-A', 'EV3-B', 'EV3-C']);
    const { handle } = eventsFunction('it3/');
    const requestsBefore = sns.requestCount();
    sns.fail(SNS_ERRORS.internal, 1);
    const response = await handle({ Records: records });
    expect(response.batchItemFailures).toHaveLength(1);
    const failedSequence = response.batchItemFailures[0]?.itemIdentifier;
    const failedOrder = ['EV3-A', 'EV3-B', 'EV3-C'].find((orderId) => sequenceOf(records, 'INSERT', orderId) === failedSequence);
    expect(failedOrder).toBeDefined();
    expect(sns.published.map((message) => message.attributes.orderId?.stringValue).sort()).toEqual(
      ['EV3-A', 'EV3-B', 'EV3-C'].filter((orderId) => orderId !== failedOrder),
    );
    expect(sns.requestCount() - requestsBefore).toBe(3);

    // A pending order and its review in one batch: the screening notification fails, so the review is
    // not delivered ahead of it (both are retried, in order).
    const pending = storedOrderFixture({ orderId: 'EV3-PENDING', status: 'PENDING_REVIEW', customerId: 'CUST-EV3-P' });
    const { store: store2, streamArn: streamArn2 } = await freshTable();
    await store2.recordOrder(recordInputFor(pending));
    await store2.applyReview(reviewInputFor(pending, { decision: 'REJECTED', reviewedAt: REVIEWED_AT }));
    const orderRecords = await readStreamRecords(streams, streamArn2);
    sns.published.length = 0;
    sns.fail(SNS_ERRORS.throttling, 1);
    const held = await handle({ Records: orderRecords });
    expect(held.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [sequenceOf(orderRecords, 'INSERT', 'EV3-PENDING'), sequenceOf(orderRecords, 'MODIFY', 'EV3-PENDING')].sort(),
    );
    expect(sns.published).toEqual([]);
    expect(await archivedKeys('it3/REJECTED/')).toEqual([]);

    // Retried from the lowest failed record, both go out in order.
    expect(await handle({ Records: orderRecords })).toEqual({ batchItemFailures: [] });
    expect(sns.published.map(eventIdOf)).toEqual(['EV3-PENDING:ORDER_SCREENED:PENDING_REVIEW', 'EV3-PENDING:ORDER_REVIEWED:REJECTED']);
    await store.close();
    await store2.close();
  });

  it('skips and counts records that are not order events: REMOVE, and a change of an order that moved no status', async () => {
    const { tableName, store, streamArn } = await freshTable();
    const order = storedOrderFixture({ orderId: 'EV4-ORDER', customerId: 'CUST-EV4' });
    await store.recordOrder(recordInputFor(order));
    const client = db.client();
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { PK: { S: orderKey('EV4-ORDER').PK }, SK: { S: orderKey('EV4-ORDER').SK } },
        UpdateExpression: 'SET #updatedAt = :now',
        ExpressionAttributeNames: { '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ':now': { S: '2025-06-02T19:45:00.000Z' } },
      }),
    );
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: { PK: { S: profileKey('CUST-EV4').PK }, SK: { S: profileKey('CUST-EV4').SK } } }));

    const records = await readStreamRecords(streams, streamArn);
    const { handle, summaries } = eventsFunction('it4/');
    expect(await handle({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(summaries).toEqual([
      { records: 8, delivered: 1, skipped: { ROLLUP_SHARD: 1, CUSTOMER_PROFILE: 1, VELOCITY: 3, NO_STATUS_CHANGE: 1, REMOVE: 1 }, failed: 0 },
    ]);
    expect(sns.published.map(eventIdOf)).toEqual(['EV4-ORDER:ORDER_SCREENED:APPROVED']);
    await store.close();
  });

  it('runs as the Lambda entry point: configuration from the environment, Middy-wrapped, with a Lambda context', async () => {
    const { records } = await tableWithOrders(['EV8-ORDER']);
    Object.assign(process.env, {
      ARCHIVE: 's3',
      ARCHIVE_BUCKET: BUCKET,
      ARCHIVE_PREFIX: 'it8/',
      NOTIFIER: 'sns',
      SNS_TOPIC_ARN: TOPIC,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const { handler } = await import('../../src/handler/order-events/index.js');
    const response = await handler({ Records: records }, localLambdaContext('events-it-8', 256));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await archivedKeys('it8/')).toEqual(['it8/APPROVED/2025-06-02/EV8-ORDER.json']);
    expect(sns.published.map(eventIdOf)).toEqual(['EV8-ORDER:ORDER_SCREENED:APPROVED']);
  });

  describe('the stream poller (the local event source mapping)', () => {
    it('delivers orders written to the table without the handler being called by hand, retrying a failed record', async () => {
      const { tableName, store } = await freshTable();
      const { handle, summaries } = eventsFunction('it5/');
      const errors: string[] = [];
      const mapping = poller({ client: streams, tableName, handler: handle, startingPosition: 'LATEST', onError: (message) => errors.push(message) });
      // Written before the poller starts at LATEST: not delivered (as the AWS mapping would not).
      await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'EV5-BEFORE', customerId: 'CUST-EV5-0' })));
      mapping.start();
      expect(await mapping.flush(10_000)).toBe(0);

      sns.fail(SNS_ERRORS.internal, 1);
      const pending = storedOrderFixture({ orderId: 'EV5-PENDING', status: 'PENDING_REVIEW', customerId: 'CUST-EV5-1' });
      const approved = storedOrderFixture({ orderId: 'EV5-APPROVED', customerId: 'CUST-EV5-2' });
      await store.recordOrder(recordInputFor(pending));
      await store.recordOrder(recordInputFor(approved));
      await store.applyReview(reviewInputFor(pending, { decision: 'APPROVED', reviewedAt: REVIEWED_AT }));
      mapping.kick();
      expect(await mapping.flush(15_000)).toBe(0);
      await mapping.stop();

      expect(await archivedKeys('it5/')).toEqual([
        'it5/APPROVED/2025-06-02/EV5-APPROVED.json',
        'it5/APPROVED/2025-06-02/EV5-PENDING.json',
        'it5/PENDING_REVIEW/2025-06-02/EV5-PENDING.json',
      ]);
      // The refused publish was retried: every event reached SNS (a record after a failed one may be redelivered).
      expect([...new Set(sns.published.map(eventIdOf))].sort()).toEqual([
        'EV5-APPROVED:ORDER_SCREENED:APPROVED',
        'EV5-PENDING:ORDER_REVIEWED:APPROVED',
        'EV5-PENDING:ORDER_SCREENED:PENDING_REVIEW',
      ]);
      expect(summaries.some((summary) => summary.failed === 1)).toBe(true);
      expect(errors).toContain('stream batch failed; retrying from the lowest failed record');
      expect(sns.published.map(eventIdOf)).not.toContain('EV5-BEFORE:ORDER_SCREENED:APPROVED');
      await store.close();
    });

    it('discards a batch that keeps failing after its retries, to the on-failure callback, and moves on', async () => {
      const { store, streamArn } = await freshTable();
      const { handle } = eventsFunction('it6/');
      const discarded: DynamoDBRecord[] = [];
      const mapping = poller({
        client: streams,
        streamArn,
        handler: handle,
        startingPosition: 'TRIM_HORIZON',
        batchSize: 10,
        maximumRetryAttempts: 2,
        onDiscarded: (records) => discarded.push(...records),
      });
      await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'EV6-DOOMED', customerId: 'CUST-EV6-1' })));
      const requestsBefore = sns.requestCount();
      sns.fail(SNS_ERRORS.internal);
      mapping.start();
      expect(await mapping.flush(15_000)).toBe(0);
      // Three attempts (one + two retries), then the batch from the failed record on is dropped.
      expect(sns.requestCount() - requestsBefore).toBe(3);
      expect(discarded.map((record) => record.eventName)).toContain('INSERT');
      expect(discarded[0]?.dynamodb?.Keys?.PK?.S).toBe(orderKey('EV6-DOOMED').PK);

      sns.recover();
      await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'EV6-LATER', customerId: 'CUST-EV6-2' })));
      expect(await mapping.flush(15_000)).toBe(0);
      await mapping.stop();
      expect(sns.published.map(eventIdOf)).toEqual(['EV6-LATER:ORDER_SCREENED:APPROVED']);
      await store.close();
    });

    it('redelivers the whole batch when the function throws, as the mapping does', async () => {
      const { store, streamArn } = await freshTable();
      const { handle } = eventsFunction('it7/');
      const calls: string[][] = [];
      const mapping = poller({
        client: streams,
        streamArn,
        startingPosition: 'TRIM_HORIZON',
        handler: async (event) => {
          calls.push(event.Records.map((record) => record.dynamodb?.SequenceNumber ?? ''));
          if (calls.length === 1) throw new Error('Task timed out after 3.00 seconds');
          return handle(event);
        },
      });
      await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'EV7-ORDER', customerId: 'CUST-EV7' })));
      mapping.start();
      expect(await mapping.flush(15_000)).toBe(0);
      expect(calls.length).toBeGreaterThanOrEqual(2);
      expect(calls[1]).toEqual(calls[0]);
      expect(sns.published.map(eventIdOf)).toEqual(['EV7-ORDER:ORDER_SCREENED:APPROVED']);
      expect(await archivedKeys('it7/')).toEqual(['it7/APPROVED/2025-06-02/EV7-ORDER.json']);
      await store.close();
    });
  });
});

describe('toLambdaRecord', () => {
  it('gives a GetRecords record the shape of the Lambda event: epoch seconds, base64 binaries at any depth, the stream ARN', () => {
    const bytes = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
    const base64 = '3q2+7w==';
    const streamArn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-11-25T00:00:00.000';
    const unchanged = { eventID: 'e-1', eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'eu-west-1' } as const;
    const keys = { PK: { S: 'ORDER#X' }, SK: { S: 'ORDER' } };
    const sizes = { SequenceNumber: '100', SizeBytes: 64, StreamViewType: 'NEW_AND_OLD_IMAGES' } as const;
    const record = toLambdaRecord(
      {
        ...unchanged,
        dynamodb: {
          ApproximateCreationDateTime: new Date('2026-11-25T10:00:00.900Z'),
          Keys: keys,
          NewImage: { blob: { B: bytes }, set: { BS: [bytes] }, nested: { M: { list: { L: [{ B: bytes }, { N: '1.5' }] } } } },
          ...sizes,
        },
        userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
      },
      streamArn,
      'us-east-1',
    );
    expect(record).toEqual({
      ...unchanged,
      dynamodb: {
        ApproximateCreationDateTime: 1_795_600_800,
        Keys: keys,
        NewImage: { blob: { B: base64 }, set: { BS: [base64] }, nested: { M: { list: { L: [{ B: base64 }, { N: '1.5' }] } } } },
        ...sizes,
      },
      eventSourceARN: streamArn,
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
    });
  });
});
