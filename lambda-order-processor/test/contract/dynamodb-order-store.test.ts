import { GetItemCommand, QueryCommand, type ConsumedCapacity, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDbOrderStore } from '../../src/adapters/dynamodb-store/dynamodb-order-store.js';
import { orderKey, velocityPartitionKey } from '../../src/adapters/dynamodb-store/table-design.js';
import { rollupForValidationFailure } from '../../src/domain/order/rollup.js';
import { velocityKeysFor } from '../../src/domain/order/velocity.js';
import { createOrderTable } from '../../src/local/dynamodb-local.js';
import { costBreakdown, recordInputFor, reviewInputFor, storedOrderFixture } from '../fixtures/stored-orders.js';
import { startDynamoDbLocalTable, type DynamoDbLocalTable } from '../support/dynamodb-local.js';
import { describeOrderStoreContract } from './order-store.contract.js';

// DynamoDB Local runs in a JVM beside the tests; concurrent transactions retry on conflicts, slower on a loaded machine.

let db: DynamoDbLocalTable;
let tableNumber = 0;

beforeAll(async () => {
  db = await startDynamoDbLocalTable('orders-contract-0');
}, 60_000);

afterAll(async () => {
  await db.stop();
});

async function freshTable(): Promise<string> {
  tableNumber += 1;
  const tableName = `orders-contract-${tableNumber}`;
  await createOrderTable(db.client(), tableName);
  return tableName;
}

// A fresh, empty table per test on the suite's DynamoDB Local.
describeOrderStoreContract('dynamodb', async () => {
  const store = new DynamoDbOrderStore({ client: db.client(), tableName: await freshTable(), rollupShards: 4 });
  return { store, dispose: () => store.close() };
});

/** Every ConsumedCapacity DynamoDB Local answered, per operation, read off the wire by a client middleware. */
function recordConsumedCapacity(client: DynamoDBClient): { operation: string; units: number }[] {
  const seen: { operation: string; units: number }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
      seen.push({ operation: context.commandName ?? '', units: list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0) });
      return result;
    },
    { step: 'initialize', name: 'recordConsumedCapacity' },
  );
  return seen;
}

describe('DynamoDbOrderStore on DynamoDB Local', () => {
  let tableName: string;
  let raw: DynamoDBClient;

  beforeEach(async () => {
    tableName = await freshTable();
    raw = db.client();
  });

  it('reports exactly the capacity DynamoDB consumed, for every write and read', async () => {
    const client = db.client();
    const consumed = recordConsumedCapacity(client);
    const store = new DynamoDbOrderStore({ client, tableName });
    const order = storedOrderFixture({ orderId: 'CAP-1', status: 'PENDING_REVIEW' });
    const failure = rollupForValidationFailure('2025-06-02', costBreakdown({ bedrock: 0, lambda: 1, dynamodb: 1, s3: 0, sns: 0, apiGateway: 1, cloudwatch: 1 }), 1);

    const created = await store.recordOrder(recordInputFor(order));
    const read = await store.getOrder('CAP-1');
    const profile = await store.getCustomerProfile(order.customerId);
    const velocity = await store.getVelocity({
      keys: velocityKeysFor(order.request),
      now: '2025-06-02T20:00:00.000Z',
      windows: { customerSeconds: 3600, cardSeconds: 3600, addressSeconds: 3600 },
    });
    const failureUnits = await store.recordValidationFailure(failure);

    const reported = (operation: string) => consumed.filter((entry) => entry.operation === operation).map((entry) => entry.units);
    expect(reported('TransactWriteItemsCommand')).toEqual([created.units.writeUnits]);
    expect(created.units.writeUnits).toBeGreaterThanOrEqual(10);
    // A strongly consistent read of a ~3 KB order is 1 RRU, an eventually consistent profile read 0.5.
    expect(reported('GetItemCommand')).toEqual([read.units.readUnits, profile.units.readUnits]);
    expect(read.units).toEqual({ readUnits: 1, writeUnits: 0 });
    expect(profile.units).toEqual({ readUnits: 0.5, writeUnits: 0 });
    // Three velocity queries (customer, card, address), eventually consistent.
    expect(reported('QueryCommand')).toEqual([0.5, 0.5, 0.5]);
    expect(velocity.units).toEqual({ readUnits: 1.5, writeUnits: 0 });
    // One standard UpdateItem on a small shard item: 1 WRU, as estimated before the write.
    expect(reported('UpdateItemCommand')).toEqual([1]);
    expect(failureUnits).toEqual({ readUnits: 0, writeUnits: 1 });
    expect(store.estimateWriteUnits({ kind: 'validation-failure', rollup: failure })).toEqual(failureUnits);
    await store.close();
  });

  it('stores the order as a map with its listing keys, and velocity entries with a TTL', async () => {
    const store = new DynamoDbOrderStore({ client: db.client(), tableName, velocityRetentionSeconds: 3 * 86_400 });
    const order = storedOrderFixture({ orderId: 'ITEM-1', status: 'REJECTED', createdAt: '2025-06-02T10:00:00.000Z' });
    await store.recordOrder(recordInputFor(order));

    const item = (await raw.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: 'ORDER#ITEM-1' }, SK: { S: 'ORDER' } } }))).Item;
    expect(item?.request?.M?.customerEmail).toEqual({ S: order.customerEmail });
    expect(item?.costNanos?.M?.total).toEqual({ N: String(order.costNanos.total) });
    expect(item).toMatchObject({
      GSI1PK: { S: 'STATUS#REJECTED' },
      GSI1SK: { S: '2025-06-02T10:00:00.000Z#ITEM-1' },
      GSI2PK: { S: 'DAY#2025-06-02' },
      GSI2SK: { S: '2025-06-02T10:00:00.000Z#ITEM-1' },
      entity: { S: 'ORDER' },
    });

    const expiresAt = Date.parse('2025-06-02T10:00:00.000Z') / 1000 + 3 * 86_400;
    const keys = velocityKeysFor(order.request);
    for (const [kind, key] of [['CUSTOMER', keys.customerId], ['CARD', keys.cardKey ?? ''], ['ADDRESS', keys.addressKey]] as const) {
      const { Items } = await raw.send(
        new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: velocityPartitionKey(kind, key) } } }),
      );
      expect((Items ?? []).map((entry) => unmarshall(entry))).toEqual([
        {
          PK: velocityPartitionKey(kind, key),
          SK: '2025-06-02T10:00:00.000Z#ITEM-1',
          entity: 'VELOCITY',
          orderId: 'ITEM-1',
          customerId: order.customerId,
          email: order.customerEmail,
          expiresAt,
        },
      ]);
    }
    await store.close();
  });

  it('spreads one day’s rollup over its shards with ADD, and reads back their exact sum', async () => {
    const store = new DynamoDbOrderStore({ client: db.client(), tableName, rollupShards: 5 });
    const inputs = Array.from({ length: 40 }, (_, index) =>
      recordInputFor(storedOrderFixture({ orderId: `SHARD-${index}`, customerId: `CUST-${index % 9}`, createdAt: `2025-06-02T12:${String(index).padStart(2, '0')}:00.000Z` })),
    );
    await Promise.all(inputs.map((input) => store.recordOrder(input)));

    const { Items } = await raw.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: 'ROLLUP#2025-06-02' } }, ConsistentRead: true }),
    );
    const shards = (Items ?? []).map((entry) => unmarshall(entry));
    expect(shards.map((shard) => shard.SK)).toEqual(['SHARD#00', 'SHARD#01', 'SHARD#02', 'SHARD#03', 'SHARD#04']);
    expect(shards.every((shard) => shard.entity === 'ROLLUP_SHARD' && typeof shard.ordersTotal === 'number' && shard.ordersTotal < 40)).toBe(true);
    expect(shards.reduce((sum, shard) => sum + Number(shard.ordersTotal), 0)).toBe(40);
    const [rollup] = await store.getRollups('2025-06-02', '2025-06-02');
    expect(rollup?.counters.ordersTotal).toBe(40);
    expect(rollup?.counters.amountTotalCents).toBe(40 * 7995);
    await store.close();
  });

  it('keeps the review next to its order and moves the order between status partitions of the index', async () => {
    const store = new DynamoDbOrderStore({ client: db.client(), tableName });
    const order = storedOrderFixture({ orderId: 'MOVE-1', status: 'PENDING_REVIEW', createdAt: '2025-06-02T10:00:00.000Z' });
    await store.recordOrder(recordInputFor(order));
    const review = reviewInputFor(order, { decision: 'APPROVED', reviewedAt: '2025-06-02T11:00:00.000Z', reviewer: 'ann' });

    expect(await store.applyReview(review)).toEqual({ outcome: 'applied' });

    const { Items } = await raw.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: orderKey('MOVE-1').PK } }, ConsistentRead: true }),
    );
    expect((Items ?? []).map((entry) => unmarshall(entry).SK)).toEqual(['ORDER', 'REVIEW#2025-06-02T11:00:00.000Z#0002']);
    const listed = async (status: 'PENDING_REVIEW' | 'APPROVED') =>
      (await store.listOrders({ status, startDay: '2025-06-02', endDay: '2025-06-02', limit: 10 })).orders.map((summary) => summary.orderId);
    expect(await listed('PENDING_REVIEW')).toEqual([]);
    expect(await listed('APPROVED')).toEqual(['MOVE-1']);
    await store.close();
  });
});
