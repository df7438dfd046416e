import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoDbOrderStore, dynamoDbClient } from '../../src/adapters/dynamodb-store/dynamodb-order-store.js';
import { orderIndexKeys, orderKey } from '../../src/adapters/dynamodb-store/table-design.js';
import type { StoredOrder } from '../../src/domain/order/order.js';
import { rollupForValidationFailure } from '../../src/domain/order/rollup.js';
import { StoreUnavailableError } from '../../src/ports/order-store.js';
import { costBreakdown, recordInputFor, reviewInputFor, storedOrderFixture } from '../fixtures/stored-orders.js';
import {
  WIRE_CREDENTIALS,
  cancelled,
  errorReply,
  startDynamoDbWireServer,
  type DynamoDbWireServer,
  type WireCancellationReason,
} from '../support/dynamodb-wire-server.js';

/**
 * The DynamoDB store's failure paths, against a server speaking DynamoDB's JSON protocol to the real
 * DynamoDBClient: cancellation reasons (duplicate, conflict, throttling, validation), SDK-level
 * throttling and 5xx, garbage and hanging answers, and an unreachable endpoint.
 */

const TABLE = 'orders-wire';
const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

let server: DynamoDbWireServer;

beforeEach(async () => {
  server = await startDynamoDbWireServer();
});
afterEach(async () => {
  await server.close();
});

function storeOn(options: { maxAttempts?: number; requestTimeoutMs?: number } = {}): DynamoDbOrderStore {
  return new DynamoDbOrderStore({ client: server.client(options), tableName: TABLE, rollupShards: 4, retry: FAST_RETRY });
}

/** The order item as DynamoDB holds it, in DynamoDB JSON (what ALL_OLD returns in a cancellation reason). */
function wireItem(order: StoredOrder): Record<string, unknown> {
  return marshall({ ...order, ...orderKey(order.orderId), ...orderIndexKeys(order), entity: 'ORDER' }, { removeUndefinedValues: true });
}

/** recordOrder sends: order put, rollup ADD, profile update, velocity puts (customer, card, address). */
const RECORD_ITEMS = 6;
const none = (count: number): WireCancellationReason[] => Array.from({ length: count }, () => ({ Code: 'None' }));

function transactItems(index: number): Record<string, Record<string, unknown>>[] {
  return server.requests[index]?.body.TransactItems as Record<string, Record<string, unknown>>[];
}

describe('DynamoDbOrderStore over the DynamoDB wire protocol', () => {
  describe('recordOrder cancellation reasons', () => {
    it('sends one signed TransactWriteItems: conditional order put, rollup ADD, profile update, velocity puts, INDEXES capacity', async () => {
      server.script({ status: 200, body: { ConsumedCapacity: [{ TableName: TABLE, CapacityUnits: 17, Table: { CapacityUnits: 13 }, GlobalSecondaryIndexes: { GSI1: { CapacityUnits: 2 }, GSI2: { CapacityUnits: 2 } } }] } });
      const order = storedOrderFixture({ orderId: 'WIRE-1' });

      const result = await storeOn().recordOrder(recordInputFor(order));

      expect(result).toEqual({ outcome: 'created', units: { readUnits: 0, writeUnits: 17 } });
      expect(server.requests).toHaveLength(1);
      const [request] = server.requests;
      expect(request?.operation).toBe('TransactWriteItems');
      expect(request?.signed).toBe(true);
      expect(request?.body.ReturnConsumedCapacity).toBe('INDEXES');
      const items = transactItems(0);
      expect(items).toHaveLength(RECORD_ITEMS);
      expect(items[0]?.Put).toMatchObject({ TableName: TABLE, ConditionExpression: 'attribute_not_exists(PK)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
      // The order is a map, not a JSON string.
      expect((items[0]?.Put?.Item as Record<string, Record<string, unknown>>).request).toHaveProperty('M');
      expect(items[1]?.Update?.UpdateExpression).toMatch(/^SET #entity = :entity ADD #c0 :c0, /);
      expect((items[1]?.Update?.Key as Record<string, Record<string, string>>).SK?.S).toMatch(/^SHARD#0[0-3]$/);
      expect(items.slice(3).map((item) => (item.Put?.Item as Record<string, Record<string, string>>).PK?.S?.split('#')[1])).toEqual(['CUSTOMER', 'CARD', 'ADDRESS']);
    });

    it('answers exists with the stored order (from ALL_OLD) on ConditionalCheckFailed of the order put, without retrying', async () => {
      const stored = storedOrderFixture({ orderId: 'WIRE-DUP', status: 'PENDING_REVIEW' });
      server.script(cancelled([{ Code: 'ConditionalCheckFailed', Item: wireItem(stored) }, ...none(RECORD_ITEMS - 1)]));
      const store = storeOn();
      const input = recordInputFor(storedOrderFixture({ orderId: 'WIRE-DUP', status: 'APPROVED', customerId: 'CUST-OTHER' }));

      const result = await store.recordOrder(input);

      expect(result).toEqual({ outcome: 'exists', existing: stored, units: store.estimateWriteUnits({ kind: 'order', input }) });
      expect(server.requests).toHaveLength(1);
    });

    it('retries TransactionConflict and succeeds, reporting the units of the attempt that committed', async () => {
      const conflict = cancelled([{ Code: 'None' }, { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }, ...none(RECORD_ITEMS - 2)]);
      server.script(conflict, conflict, { status: 200, body: { ConsumedCapacity: [{ TableName: TABLE, CapacityUnits: 14 }] } });

      const result = await storeOn().recordOrder(recordInputFor(storedOrderFixture({ orderId: 'WIRE-CONFLICT' })));

      expect(result).toEqual({ outcome: 'created', units: { readUnits: 0, writeUnits: 14 } });
      expect(server.requests).toHaveLength(3);
      expect(transactItems(2)).toEqual(transactItems(0));
    });

    it.each(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded'])(
      'retries %s with backoff, then answers StoreUnavailableError after maxAttempts',
      async (code) => {
        server.setDefault(cancelled([{ Code: 'None' }, { Code: code }, ...none(RECORD_ITEMS - 2)]));

        const error: unknown = await storeOn().recordOrder(recordInputFor(storedOrderFixture({ orderId: `WIRE-${code}` }))).catch((caught: unknown) => caught);

        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect((error as Error).message).toBe(`Order store unavailable (recordOrder): ${code} after ${FAST_RETRY.maxAttempts} attempts`);
        expect((error as Error).cause).toMatchObject({ name: 'TransactionCanceledException' });
        expect(server.requests).toHaveLength(FAST_RETRY.maxAttempts);
      },
    );

    it('treats a failed condition as decisive even when another item reports a conflict', async () => {
      const stored = storedOrderFixture({ orderId: 'WIRE-MIXED' });
      server.script(cancelled([{ Code: 'ConditionalCheckFailed', Item: wireItem(stored) }, { Code: 'TransactionConflict' }, ...none(RECORD_ITEMS - 2)]));

      const result = await storeOn().recordOrder(recordInputFor(stored));

      expect(result.outcome).toBe('exists');
      expect(server.requests).toHaveLength(1);
    });

    it('re-aims the profile update when the customer already has a later order, without using the retry budget', async () => {
      const order = storedOrderFixture({ orderId: 'WIRE-EARLY', customerId: 'CUST-LATE', createdAt: '2025-06-01T08:00:00.000Z' });
      const profile = marshall({ PK: 'CUSTOMER#CUST-LATE', SK: 'PROFILE', customerId: 'CUST-LATE', firstSeenAt: '2025-06-05T08:00:00.000Z', lastOrderAt: '2025-06-07T08:00:00.000Z', orderCount: 2 });
      server.script(cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: profile }, ...none(RECORD_ITEMS - 3)]), { status: 200, body: {} });

      const result = await storeOn().recordOrder(recordInputFor(order));

      expect(result.outcome).toBe('created');
      expect(server.requests).toHaveLength(2);
      expect(transactItems(0)[2]?.Update?.ConditionExpression).toBe('attribute_not_exists(PK) OR #last <= :at');
      // The order is the customer's earliest: first seen moves back, last order stays.
      expect(transactItems(1)[2]?.Update).toMatchObject({ ConditionExpression: '#first > :at' });
      expect(transactItems(1)[2]?.Update?.UpdateExpression).toMatch(/^SET #entity = :entity, #customerId = :customerId, #first = :at ADD /);
    });

    it('does not disguise a validation failure as unavailability', async () => {
      server.script(cancelled([{ Code: 'ValidationError', Message: 'Item size has exceeded the maximum allowed size' }, ...none(RECORD_ITEMS - 1)]));

      const error: unknown = await storeOn().recordOrder(recordInputFor(storedOrderFixture({ orderId: 'WIRE-INVALID' }))).catch((caught: unknown) => caught);

      expect(error).not.toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ name: 'TransactionCanceledException' });
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('applyReview cancellation reasons', () => {
    const pending = () => storedOrderFixture({ orderId: 'WIRE-REV', status: 'PENDING_REVIEW' });

    it('answers status_changed with the status the other reviewer left', async () => {
      server.script(cancelled([{ Code: 'ConditionalCheckFailed', Item: wireItem({ ...pending(), status: 'REJECTED' }) }, ...none(3)]));

      const result = await storeOn().applyReview(reviewInputFor(pending(), { decision: 'APPROVED', reviewedAt: '2025-06-03T08:00:00.000Z' }));

      expect(result).toEqual({ outcome: 'status_changed', currentStatus: 'REJECTED' });
      const items = transactItems(0);
      expect(items[0]?.Put).toMatchObject({ ConditionExpression: '#status = :expected', ExpressionAttributeValues: { ':expected': { S: 'PENDING_REVIEW' } } });
    });

    it('answers not_found when the condition failed on no item', async () => {
      server.script(cancelled([{ Code: 'ConditionalCheckFailed' }, ...none(3)]));

      expect(await storeOn().applyReview(reviewInputFor(pending(), { decision: 'APPROVED', reviewedAt: '2025-06-03T08:00:00.000Z' }))).toEqual({ outcome: 'not_found' });
    });

    it('retries a conflict with a concurrent transaction, then applies', async () => {
      server.script(cancelled([{ Code: 'TransactionConflict' }, ...none(3)]), { status: 200, body: {} });

      expect(await storeOn().applyReview(reviewInputFor(pending(), { decision: 'REJECTED', reviewedAt: '2025-06-03T08:00:00.000Z' }))).toEqual({ outcome: 'applied' });
      expect(server.requests).toHaveLength(2);
    });
  });

  describe('request failures', () => {
    const failure = rollupForValidationFailure('2025-06-02', costBreakdown({ bedrock: 0, lambda: 1, dynamodb: 1, s3: 0, sns: 0, apiGateway: 1, cloudwatch: 1 }), 1);

    it('retries a plain write that met a running transaction (TransactionConflictException)', async () => {
      server.script(errorReply(400, 'TransactionConflictException', 'Transaction is ongoing for the item'), {
        status: 200,
        body: { ConsumedCapacity: { TableName: TABLE, CapacityUnits: 1, Table: { CapacityUnits: 1 } } },
      });

      expect(await storeOn().recordValidationFailure(failure)).toEqual({ readUnits: 0, writeUnits: 1 });
      expect(server.requests.map((request) => [request.operation, request.body.ReturnConsumedCapacity])).toEqual([
        ['UpdateItem', 'INDEXES'],
        ['UpdateItem', 'INDEXES'],
      ]);
    });

    it('leaves throttling exceptions to the SDK retry strategy, then answers StoreUnavailableError', async () => {
      server.setDefault(errorReply(400, 'ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded'));

      const error: unknown = await storeOn({ maxAttempts: 2 }).getOrder('WIRE-THROTTLED').catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).cause).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
      // Two attempts by the SDK, none added by the store.
      expect(server.requests).toHaveLength(2);
    });

    it('answers StoreUnavailableError for a 500', async () => {
      server.setDefault(errorReply(500, 'InternalServerError', 'Internal server error'));

      await expect(storeOn().getCustomerProfile('CUST-1')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(storeOn().ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it('answers StoreUnavailableError for a 200 whose body is not JSON', async () => {
      server.setDefault({ status: 200, body: '<html>upstream proxy error</html>' });

      const error: unknown = await storeOn().getOrder('WIRE-GARBAGE').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).cause).toMatchObject({ name: 'SyntaxError' });
      await expect(storeOn().recordOrder(recordInputFor(storedOrderFixture({ orderId: 'WIRE-GARBAGE' })))).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it('answers StoreUnavailableError when DynamoDB does not answer within the request timeout', async () => {
      server.setDefault('hang');
      const started = Date.now();

      await expect(storeOn({ requestTimeoutMs: 200 }).recordOrder(recordInputFor(storedOrderFixture({ orderId: 'WIRE-HANG' })))).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it('answers StoreUnavailableError when nothing listens on the endpoint', async () => {
      const gone = await startDynamoDbWireServer();
      await gone.close();
      const client = new DynamoDBClient({ region: 'us-east-1', endpoint: gone.endpoint, credentials: WIRE_CREDENTIALS, maxAttempts: 1 });
      const store = new DynamoDbOrderStore({ client, tableName: TABLE });
      const windows = { customerSeconds: 60, cardSeconds: 60, addressSeconds: 60 };

      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.getVelocity({ keys: { customerId: 'C', email: 'e@example.com', cardKey: null, addressKey: 'A' }, now: '2025-06-02T10:00:00.000Z', windows })).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      await expect(store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'WIRE-GONE' })))).rejects.toBeInstanceOf(StoreUnavailableError);
      await store.close();
    });

    it('dynamoDbClient: signed requests to the endpoint override, 5xx retried by the SDK three times in all', async () => {
      server.setDefault(errorReply(503, 'ServiceUnavailable', 'Service unavailable'));
      const store = new DynamoDbOrderStore({ client: dynamoDbClient({ region: 'eu-west-1', endpoint: server.endpoint, credentials: WIRE_CREDENTIALS }), tableName: TABLE });

      await expect(store.getOrder('WIRE-SDK-RETRY')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(server.requests.map((request) => [request.operation, request.signed])).toEqual([
        ['GetItem', true],
        ['GetItem', true],
        ['GetItem', true],
      ]);
      await store.close();
    });

    it('answers StoreUnavailableError for every call after close, without sending anything', async () => {
      const store = storeOn();
      await store.close();

      await expect(store.getOrder('X')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'WIRE-CLOSED' })))).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(server.requests).toHaveLength(0);
      await store.close();
    });
  });
});
