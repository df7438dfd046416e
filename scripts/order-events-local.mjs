#!/usr/bin/env node
/**
 * The events Lambda locally, for `npm run start:dynamodb`: the order processor's stream poller reads
 * the order table's DynamoDB Local stream (ORDERS_TABLE at DYNAMODB_ENDPOINT) and invokes the events
 * function in-process, which archives and notifies with the sinks ARCHIVE/NOTIFIER choose (fs and
 * file under DATA_DIR by default, as `npm start`). SIGTERM/SIGINT deliver what the stream still
 * holds (at most STOP_FLUSH_MS) and exit 0. Runs the built order processor (npm run build).
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { loadConfig } from '@orderops/lambda-order-processor/config';
import { createOrderEventsRuntime } from '../lambda-order-processor/dist/handler/order-events/order-events.js';
import { StreamPoller } from '../lambda-order-processor/dist/local/stream-poller.js';

const STOP_FLUSH_MS = 10_000;

const config = loadConfig();
if (config.store !== 'dynamodb' || config.ordersTable === null) {
  process.stderr.write('order-events-local needs STORE=dynamodb and ORDERS_TABLE\n');
  process.exit(1);
}
const { logger, handle } = createOrderEventsRuntime(config);
const region = config.deployment.region;
const client = new DynamoDBStreamsClient({ region, ...(config.dynamodbEndpointUrl ? { endpoint: config.dynamodbEndpointUrl } : {}) });
const poller = new StreamPoller({
  client,
  tableName: config.ordersTable,
  region,
  handler: (event) => handle(event),
  onError: (message, details) => logger.warn(message, details),
  onDiscarded: (records, reason) => logger.error('stream records discarded after their retries', { reason, count: records.length }),
});
poller.start();
logger.info('order events poller started', { table: config.ordersTable, archiveDir: config.archiveDir, notificationsFile: config.notificationsFile });

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  const pending = await poller.flush(STOP_FLUSH_MS);
  await poller.stop();
  client.destroy();
  logger.info('stopped', { pending });
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
