import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createOrderTable, startDynamoDbLocal, type DynamoDbLocal } from '../../src/local/dynamodb-local.js';

/** Dummy static credentials: DynamoDB Local accepts any, and the SDK must not look for real ones. */
export const DYNAMODB_LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface DynamoDbLocalTable {
  local: DynamoDbLocal;
  tableName: string;
  /** A new real DynamoDBClient on DynamoDB Local (no SDK retries unless asked); destroyed by stop(). */
  client(options?: { maxAttempts?: number }): DynamoDBClient;
  stop(): Promise<void>;
}

/** A fresh in-memory DynamoDB Local on a free port with the order table created. */
export async function startDynamoDbLocalTable(tableName = 'orderops-test'): Promise<DynamoDbLocalTable> {
  const local = await startDynamoDbLocal();
  const clients: DynamoDBClient[] = [];
  const client = (options: { maxAttempts?: number } = {}) => {
    const created = new DynamoDBClient({ region: 'us-east-1', endpoint: local.endpoint, credentials: DYNAMODB_LOCAL_CREDENTIALS, maxAttempts: options.maxAttempts ?? 1 });
    clients.push(created);
    return created;
  };
  try {
    await createOrderTable(client(), tableName);
  } catch (error) {
    await local.stop();
    throw error;
  }
  return {
    local,
    tableName,
    client,
    async stop() {
      for (const created of clients) created.destroy();
      await local.stop();
    },
  };
}
