/**
 * Unit economics (issue 6): cost per 1,000 orders at AWS list prices for the realistic order mix
 * (bench/order-generator.mjs) under AI_MODE never / gray-zone / always, and for the original Java
 * design, all from the price catalog through the domain cost model (lambda-order-processor/dist):
 * no price is written here.
 *
 * Our design: the generated orders go through the order processor's own handler, in-process, one at
 * a time (as Lambda runs them), on a fresh SQLite store that reports what each operation would
 * consume on DynamoDB. Each stored order's measured usage (handler time, request units from the
 * actual item sizes, archive PUT, notification, log bytes) is then priced per AI mode: the model is
 * asked for every order (always), for the orders the rules sent to review (gray-zone) or for none.
 * The input tokens of a call are the measured size of the prompt our prompt builder makes for that
 * order, its signals and score (domain/ai/prompt.ts); see ASSUMPTIONS for what is estimated.
 *
 *   npm run bench:economics
 *   BENCH_ECONOMICS_ORDERS=500 node bench/unit-economics.mjs   # after npm run build
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '@orderops/lambda-order-processor/config';
import { DEFAULT_BEDROCK_MODEL_ID } from '@orderops/lambda-order-processor/domain/ai/analysis';
import { buildAiPrompt } from '@orderops/lambda-order-processor/domain/ai/prompt';
import { addCosts, zeroCost } from '@orderops/lambda-order-processor/domain/costs/breakdown';
import { BEDROCK_PROVIDER, computeOrderCost } from '@orderops/lambda-order-processor/domain/costs/cost-model';
import { itemSizeBytes, writeUnitsFor } from '@orderops/lambda-order-processor/domain/costs/dynamodb-units';
import { costNanos, exactQuantity, nanosToDollars, quantity } from '@orderops/lambda-order-processor/domain/costs/money';
import { PRICE_CATALOG } from '@orderops/lambda-order-processor/domain/costs/price-catalog';
import { createRuntime } from '@orderops/lambda-order-processor/runtime';
import { LAMBDA_PLATFORM_LOG_BYTES } from '@orderops/lambda-order-processor/services/request-metering';
import Database from 'better-sqlite3';
import { DEFAULT_ROLLUP_SHARDS } from '../lambda-order-processor/dist/adapters/dynamodb-store/table-design.js';
import { rollupShardItemBytes } from '../lambda-order-processor/dist/adapters/dynamodb-store/write-units.js';
import { localLambdaContext, toApiGatewayEvent } from '../lambda-order-processor/dist/local/api-gateway-event.js';
import { measuredLine, writeSection as writeDocSection } from './lib/report.mjs';
import { orderStream } from './order-generator.mjs';

const ORDERS = Number(process.env.BENCH_ECONOMICS_ORDERS ?? 5_000);
const ORIGINAL_README = '`../shared/seed/original-system-README.md`';

/**
 * What this bench cannot measure here (no AWS account), each stated where it is used. Latencies
 * enter the bill through Lambda's billed duration: a Lambda waiting on Bedrock or DynamoDB pays for it.
 */
const ASSUMPTIONS = {
  charsPerToken: {
    value: 4,
    why: 'tokens = prompt characters / 4, the usual rule of thumb for English and JSON (Nova\'s tokenizer is not public); in production the tokens come from the provider\'s response',
  },
  outputTokens: {
    value: 150,
    why: 'the verdict JSON the prompt asks for is "about 150 tokens" (domain/ai/analysis.ts, AI_MAX_OUTPUT_TOKENS comment)',
  },
  aiLatencyMs: {
    value: Number(process.env.BENCH_AI_LATENCY_MS ?? 800),
    why: 'Bedrock Converse answer time for about 1k tokens in and 150 out, billed as Lambda time while the handler waits (not measured; BENCH_AI_LATENCY_MS overrides)',
  },
  awsCallMs: {
    value: Number(process.env.BENCH_AWS_CALL_MS ?? 10),
    why: 'one in-region DynamoDB / S3 / SNS / CloudWatch API round trip from Lambda (not measured; BENCH_AWS_CALL_MS overrides)',
  },
  ourStoreRoundTrips: {
    value: 3,
    why: 'our order path on DynamoDB: get order, then profile and velocity in parallel, then one TransactWriteItems (services/order-submission.ts)',
  },
  eventsBatchSize: {
    value: 100,
    why: 'our events Lambda (archive to S3, publish to SNS) gets stream records in batches; one invocation per 100 records, one S3 PUT and one SNS publish per record, done one after the other',
  },
  originalTokens: {
    value: 850,
    why: `tokens per order in the original's example response (\`"bedrockTokensUsed": 850\`, ${ORIGINAL_README}); split into the same 150 output tokens and 700 input`,
  },
  originalModel: {
    value: DEFAULT_BEDROCK_MODEL_ID,
    why: `the original called "Amazon Bedrock (Amazon Nova Micro)" on every order (${ORIGINAL_README}, Overview); its own estimate priced every model at $0.003 per 1K tokens (SPEC section 8), which is not what AWS bills. The Bedrock-by-model table below shows larger models`,
  },
  originalLambda: {
    value: { lambdaMemoryMb: 512, lambdaArchitecture: 'x86_64' },
    why: `"AWS Lambda: Serverless order processing (512 MB, 30s timeout)", Java 17 on the default x86_64 architecture (${ORIGINAL_README})`,
  },
  originalApi: {
    value: 'REST',
    why: `"Amazon API Gateway: REST API endpoint for order submission" (${ORIGINAL_README}; issue 4 models the original with a REST API). SPEC section 8 says its Terraform deployed an HTTP API while pricing REST: then this line would be the HTTP API price`,
  },
  originalCalls: {
    value: 6,
    why: 'synchronous AWS calls after the model answers, one after the other in the handler: DynamoDB PutItem, S3 PUT, SNS publish (README "Components") and one PutMetricData per custom metric (below); Java CPU time and JVM cold starts are left out, so its Lambda figure is a lower bound',
  },
  originalPutMetricData: {
    value: 3,
    why: `"PutMetricData was called synchronously on every order" (SPEC section 8), one call per custom metric the README lists: OrdersProcessed, FraudScore, ProcessingCost (${ORIGINAL_README}, "Custom Metrics")`,
  },
  originalItem: {
    value: 'order and cost metrics as JSON strings',
    why: '"costs were parsed out of a JSON string with indexOf" (SPEC section 8): the item holds the order and the cost metrics as JSON strings, one standard PutItem (no condition: "duplicates overwrote orders"), plus the status GSI ("Order storage with GSI for status queries") written with the same size (projection ALL assumed); no profile, velocity or rollup items',
  },
  originalLogs: {
    value: LAMBDA_PLATFORM_LOG_BYTES,
    why: 'CloudWatch Logs: only Lambda\'s START/END/REPORT lines (services/request-metering.ts); whatever the Java code logged is unknown and left out',
  },
};
const A = Object.fromEntries(Object.entries(ASSUMPTIONS).map(([name, { value }]) => [name, value]));

const MODES = ['never', 'gray-zone', 'always'];
const LINES = ['lambda', 'apiGateway', 'dynamodb', 's3', 'sns', 'bedrock', 'cloudwatch'];
const tokens = (text) => Math.ceil(text.length / A.charsPerToken);

/** Runs the orders through the handler one at a time and returns the stored orders (with their measured usage). */
async function screenOrders(dataDir) {
  const config = loadConfig({ DATA_DIR: dataDir, OUTBOX_DELIVERY: 'inline', AI_PROVIDER: 'none' });
  const runtime = await createRuntime(config, { logger: new Logger({ serviceName: 'bench-economics', logLevel: 'SILENT' }), metricsSink: () => undefined });
  await runtime.delivery.stop(); // events stay in the outbox: their S3 PUT and SNS publish are priced, not performed
  const nextOrder = orderStream({ seed: 23, runId: 'economics' });
  const request = { method: 'POST', url: '/orders', httpVersion: '1.1', rawHeaders: ['host', 'localhost', 'content-type', 'application/json'], socket: { remoteAddress: '127.0.0.1' } };
  const statuses = {};
  for (let i = 0; i < ORDERS; i += 1) {
    const event = toApiGatewayEvent(request, Buffer.from(JSON.stringify(nextOrder())), new Date());
    const result = await runtime.handler(event, localLambdaContext(event.requestContext.requestId, config.deployment.lambdaMemoryMb));
    statuses[result.statusCode] = (statuses[result.statusCode] ?? 0) + 1;
  }
  await runtime.close(0);
  const db = new Database(config.sqliteFile, { readonly: true });
  const stored = db.prepare('SELECT document FROM orders').pluck().all().map((document) => JSON.parse(document));
  db.close();
  if (stored.length !== ORDERS) throw new Error(`expected ${ORDERS} stored orders, found ${stored.length} (status codes ${JSON.stringify(statuses)})`);
  return { stored, deployment: config.deployment, thresholds: config.screening.thresholds };
}

/** The Bedrock call our analyst would make for this order: measured prompt size, estimated answer. */
function aiCallFor(order, thresholds, model) {
  const prompt = buildAiPrompt(order.request, order.signals, order.score, thresholds);
  return { provider: BEDROCK_PROVIDER, model, inputTokens: tokens(prompt.system) + tokens(prompt.user), outputTokens: A.outputTokens };
}

const wantsAi = (mode, order) => mode === 'always' || (mode === 'gray-zone' && order.status === 'PENDING_REVIEW');

/** One order of ours on AWS under an AI mode: the order Lambda, and its share of the events Lambda. */
function ourOrderCost(order, mode, thresholds, model) {
  const ai = wantsAi(mode, order) ? aiCallFor(order, thresholds, model) : null;
  const storeWaitMs = A.ourStoreRoundTrips * A.awsCallMs;
  const orderLambda = computeOrderCost({
    ...order.usage,
    handlerDurationMs: order.usage.handlerDurationMs + storeWaitMs + (ai === null ? 0 : A.aiLatencyMs),
    ai,
  });
  return { cost: addCosts(orderLambda, eventsLambdaShare(order.usage.deployment)), ai };
}

/** Per record: the events Lambda waits for its S3 PUT and SNS publish, and its request is shared by the batch. */
function eventsLambdaShare(deployment) {
  const batch = computeOrderCost({
    deployment,
    handlerDurationMs: A.eventsBatchSize * 2 * A.awsCallMs,
    requestUnits: { readUnits: 0, writeUnits: 0 },
    archivePuts: 0,
    notifications: 0,
    logBytes: 0,
    ai: null,
  });
  return { ...zeroCost(), lambda: Math.round(batch.lambda / A.eventsBatchSize), total: Math.round(batch.lambda / A.eventsBatchSize) };
}

/** The original's order item: the order and its cost metrics as JSON strings (ASSUMPTIONS.originalItem). */
function originalItem(order) {
  return {
    orderId: order.orderId,
    status: order.status,
    aiScore: order.score,
    timestamp: order.createdAt,
    orderData: JSON.stringify(order.request),
    costMetrics: JSON.stringify(order.response.costMetrics),
  };
}

/** The original design's cost for the same order (see ASSUMPTIONS.original*). */
function originalOrderCost(order, model = A.originalModel) {
  // The table item and its copy in the status GSI.
  const writeUnits = 2 * writeUnitsFor(itemSizeBytes(originalItem(order)), false);
  const ai = { provider: BEDROCK_PROVIDER, model, inputTokens: A.originalTokens - A.outputTokens, outputTokens: A.outputTokens };
  const cost = computeOrderCost({
    deployment: { region: order.usage.deployment.region, ...A.originalLambda, apiType: A.originalApi },
    handlerDurationMs: A.aiLatencyMs + A.originalCalls * A.awsCallMs,
    requestUnits: { readUnits: 0, writeUnits },
    archivePuts: 1,
    notifications: 1,
    logBytes: A.originalLogs,
    ai,
  });
  const putMetricData = costNanos(PRICE_CATALOG.price('cloudwatch.put-metric-data'), quantity(A.originalPutMetricData));
  return { cost: { ...cost, cloudwatch: cost.cloudwatch + putMetricData, total: cost.total + putMetricData }, ai };
}

function per1000(orders, costOf) {
  let sum = zeroCost();
  let aiCalls = 0;
  let inputTokens = 0;
  for (const order of orders) {
    const { cost, ai } = costOf(order);
    sum = addCosts(sum, cost);
    if (ai !== null) {
      aiCalls += 1;
      inputTokens += ai.inputTokens;
    }
  }
  const dollars = Object.fromEntries(Object.entries(sum).map(([line, nanos]) => [line, (nanosToDollars(nanos) * 1000) / orders.length]));
  return { dollars, aiShare: aiCalls / orders.length, meanInputTokens: aiCalls === 0 ? 0 : inputTokens / aiCalls };
}

/** Eventually consistent reads: half a read unit per started 4 KB a Scan or Query returns. */
const readCostDollars = (bytes) => nanosToDollars(costNanos(PRICE_CATALOG.price('dynamodb.on-demand.read-request-units'), exactQuantity(Math.ceil(bytes / 4096) / 2)));

/**
 * The analytics read behind one metrics call over 90 days: the original scanned the whole table
 * (SPEC section 8), so its cost grows with every order stored; ours queries each day's rollup shards.
 */
function analyticsReadLine(stored) {
  const meanItemBytes = stored.reduce((sum, order) => sum + itemSizeBytes(originalItem(order)), 0) / stored.length;
  const scans = [100_000, 1_000_000, 10_000_000].map((orders) => `${money(readCostDollars(orders * meanItemBytes))} at ${orders.toLocaleString('en-US')} orders`);
  const ours = 90 * readCostDollars(DEFAULT_ROLLUP_SHARDS * rollupShardItemBytes('2025-01-01'));
  return `Analytics reads (DynamoDB, not in the per-order table): one metrics call of the original scanned the whole table (SPEC section 8; items of ${Math.round(meanItemBytes)} bytes on average in this mix): ${scans.join(', ')}, per call; ours reads 90 days × ${DEFAULT_ROLLUP_SHARDS} rollup shards for a 90-day range, ${money(ours)} per call whatever the number of orders.`;
}

const money = (dollars) => (dollars === 0 ? '0' : dollars >= 0.1 ? `$${dollars.toFixed(3)}` : `$${dollars.toPrecision(3)}`);

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orderops-economics-'));
  try {
    const { stored, deployment, thresholds } = await screenOrders(dataDir);
    const byStatus = stored.reduce((counts, order) => ({ ...counts, [order.status]: (counts[order.status] ?? 0) + 1 }), {});
    const rows = [
      ...MODES.map((mode) => [`ours, AI_MODE=${mode}`, per1000(stored, (order) => ourOrderCost(order, mode, thresholds, DEFAULT_BEDROCK_MODEL_ID))]),
      ['original design', per1000(stored, (order) => originalOrderCost(order))],
    ];
    const models = PRICE_CATALOG.entries()
      .filter((entry) => entry.id.startsWith('bedrock.') && entry.id.endsWith('.input'))
      .map((entry) => entry.id.slice('bedrock.'.length, -'.input'.length));
    const modelRows = models.map((model) => {
      const bedrockFor = (costOf) => money(per1000(stored, costOf).dollars.bedrock);
      const ours = (mode) => bedrockFor((order) => ourOrderCost(order, mode, thresholds, model));
      return `| ${model} | ${ours('gray-zone')} | ${ours('always')} | ${bedrockFor((order) => originalOrderCost(order, model))} |`;
    });
    const section = [
      '<!-- bench:unit-economics:start -->',
      measuredLine('npm run bench:economics'),
      `(${ORDERS.toLocaleString('en-US')} generated orders through the order handler one at a time on SQLite with DynamoDB-equivalent request units; prices from \`lambda-order-processor/src/domain/costs/price-catalog.json\`, ${deployment.region}; ours deployed as ${deployment.lambdaMemoryMb} MB ${deployment.lambdaArchitecture}, ${deployment.apiType} API; the machine is shared with other work, so the measured handler times are noisy).`,
      `Rules decisions of the mix: ${Object.entries(byStatus).map(([status, count]) => `${status} ${count}`).join(', ')}; the gray zone (PENDING_REVIEW, the orders AI_MODE=gray-zone sends to the model) is ${((100 * (byStatus.PENDING_REVIEW ?? 0)) / stored.length).toFixed(1)}% of orders.`,
      '',
      '| per 1,000 orders | Lambda | API Gateway | DynamoDB | S3 | SNS | Bedrock | CloudWatch | total | orders sent to AI | input tokens per AI call |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows.map(([label, { dollars, aiShare, meanInputTokens }]) =>
        `| ${label} | ${LINES.map((line) => money(dollars[line])).join(' | ')} | **${money(dollars.total)}** | ${(aiShare * 100).toFixed(1)}% | ${Math.round(meanInputTokens)} |`),
      '',
      analyticsReadLine(stored),
      '',
      'Bedrock per 1,000 orders by model (every Converse model the catalog prices; the tokens as above):',
      '',
      '| model | ours, gray-zone | ours, always | original design |',
      '|---|---|---|---|',
      ...modelRows,
      '',
      'Assumptions (everything else is measured or read from the catalog):',
      '',
      ...Object.entries(ASSUMPTIONS).map(([name, { value, why }]) => `- \`${name}\` = ${typeof value === 'object' ? JSON.stringify(value) : value}: ${why}.`),
      '<!-- bench:unit-economics:end -->',
    ].join('\n');
    writeSection(section);
    console.log(section);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Replaces this bench's marked section of docs/performance.md (re-read right before writing), or appends it. */
function writeSection(section) {
  const intro = 'Cost per 1,000 orders at AWS list prices for the realistic mix, ours under each AI_MODE and the original Java design, from the price catalog through the domain cost model (`bench/unit-economics.mjs`).';
  writeDocSection('unit-economics', section, { heading: 'Unit economics', intro });
}

await main();
