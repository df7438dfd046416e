import type { AiUsage, CostBreakdown, CostMetricsBody } from '../order/order.js';
import type { PricedQuantity, Quantity } from './money.js';
import { exactQuantity, lineCostNanos, nanosToDollars, quantity, sumNanos } from './money.js';
import type { PriceCatalog } from './price-catalog.js';
import { PRICE_CATALOG } from './price-catalog.js';
import type { ApiType, LambdaArchitecture, OrderUsage } from './usage.js';

/**
 * Per-order processing cost (SPEC section 4): measured usage times catalog prices, one line per
 * service, each line rounded once to integer nano-dollars and the total the exact sum of the lines.
 */

/** Catalog price ids the cost model uses (the catalog holds the prices themselves). */
export const PRICE_IDS = {
  lambda: {
    arm64: { duration: 'lambda.arm64.duration', request: 'lambda.arm64.requests' },
    x86_64: { duration: 'lambda.x86_64.duration', request: 'lambda.x86_64.requests' },
  } satisfies Record<LambdaArchitecture, { duration: string; request: string }>,
  apiGateway: { HTTP: 'apigateway.http.requests', REST: 'apigateway.rest.requests' } satisfies Record<ApiType, string>,
  dynamodbWrite: 'dynamodb.on-demand.write-request-units',
  dynamodbRead: 'dynamodb.on-demand.read-request-units',
  s3Put: 's3.standard.put',
  snsPublish: 'sns.publish',
  logsIngestion: 'cloudwatch.logs.ingestion',
} as const;

/**
 * Cross-region inference profiles (`us.amazon.nova-micro-v1:0`, `eu.…`, `apac.…`, `global.…`) are
 * billed at the model's own on-demand price, so they are priced by the model id they route to.
 */
const INFERENCE_PROFILE_PREFIX = /^(?:us|us-gov|eu|apac|ca|jp|au|global)\./;

export function bedrockPriceIds(modelId: string): { input: string; output: string } {
  const pricedModel = modelId.replace(INFERENCE_PROFILE_PREFIX, '');
  return { input: `bedrock.${pricedModel}.input`, output: `bedrock.${pricedModel}.output` };
}

/** The AiUsage provider whose tokens are billed by Bedrock; other providers are not AWS charges. */
export const BEDROCK_PROVIDER = 'bedrock';

/** Lambda duration is billed in GB-seconds: billed ms x MB / (1024 MB per GB x 1000 ms per s). */
const MB_MS_PER_GB_SECOND = 1024n * 1000n;
/**
 * AWS meters data volume in binary gigabytes (2^30 bytes, as its usage reports convert bytes);
 * dividing by 10^9 would overstate log ingestion by about 7%.
 */
const BYTES_PER_GB = 2n ** 30n;

/** Lambda bills duration rounded up to the next whole millisecond, at least 1 ms. */
export function billedDurationMs(durationMs: number): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new Error(`Lambda duration must be a finite non-negative number of ms: ${durationMs}`);
  }
  return Math.max(1, Math.ceil(durationMs));
}

/** Fails fast (at configuration time) when the catalog cannot price a Bedrock model. */
export function assertModelPriced(modelId: string, catalog: PriceCatalog = PRICE_CATALOG): void {
  const ids = bedrockPriceIds(modelId);
  if (!catalog.has(ids.input) || !catalog.has(ids.output)) {
    const priced = catalog
      .entries()
      .filter((entry) => entry.id.startsWith('bedrock.') && entry.id.endsWith('.input'))
      .map((entry) => entry.id.slice('bedrock.'.length, -'.input'.length));
    throw new Error(
      `Bedrock model "${modelId}" has no input/output price in the catalog; priced models: ${priced.join(', ')}`,
    );
  }
}

export function computeOrderCost(usage: OrderUsage, catalog: PriceCatalog = PRICE_CATALOG): CostBreakdown {
  const { deployment } = usage;
  const priced = (id: string, amount: Quantity): PricedQuantity => ({ price: catalog.price(id), quantity: amount });
  const line = (...terms: PricedQuantity[]): number => lineCostNanos(terms);

  const lambdaIds = PRICE_IDS.lambda[deployment.lambdaArchitecture];
  const mbMs = BigInt(billedDurationMs(usage.handlerDurationMs)) * BigInt(deployment.lambdaMemoryMb);
  const lines = {
    bedrock: bedrockNanos(usage.ai, catalog),
    lambda: line(
      priced(lambdaIds.duration, quantity(mbMs, MB_MS_PER_GB_SECOND)),
      priced(lambdaIds.request, quantity(1)),
    ),
    dynamodb: line(
      priced(PRICE_IDS.dynamodbWrite, exactQuantity(usage.requestUnits.writeUnits)),
      priced(PRICE_IDS.dynamodbRead, exactQuantity(usage.requestUnits.readUnits)),
    ),
    s3: line(priced(PRICE_IDS.s3Put, quantity(usage.archivePuts))),
    sns: line(priced(PRICE_IDS.snsPublish, quantity(usage.notifications))),
    apiGateway: line(priced(PRICE_IDS.apiGateway[deployment.apiType], quantity(1))),
    // EMF metrics are log lines, so CloudWatch costs only their ingestion (no PutMetricData calls).
    cloudwatch: line(priced(PRICE_IDS.logsIngestion, quantity(usage.logBytes, BYTES_PER_GB))),
  };
  return { ...lines, total: sumNanos(Object.values(lines)) };
}

function bedrockNanos(ai: AiUsage | null, catalog: PriceCatalog): number {
  if (ai === null || ai.provider !== BEDROCK_PROVIDER) return 0;
  assertModelPriced(ai.model, catalog);
  const ids = bedrockPriceIds(ai.model);
  return lineCostNanos([
    { price: catalog.price(ids.input), quantity: quantity(ai.inputTokens) },
    { price: catalog.price(ids.output), quantity: quantity(ai.outputTokens) },
  ]);
}

/** The costMetrics block of the API response: dollars, plus the tokens the AI provider reported. */
export function costMetricsBody(cost: CostBreakdown, ai: AiUsage | null): CostMetricsBody {
  return {
    bedrockTokensUsed: ai === null ? 0 : ai.inputTokens + ai.outputTokens,
    bedrockCost: nanosToDollars(cost.bedrock),
    lambdaCost: nanosToDollars(cost.lambda),
    dynamodbCost: nanosToDollars(cost.dynamodb),
    s3Cost: nanosToDollars(cost.s3),
    snsCost: nanosToDollars(cost.sns),
    apiGatewayCost: nanosToDollars(cost.apiGateway),
    cloudwatchCost: nanosToDollars(cost.cloudwatch),
    totalProcessingCost: nanosToDollars(cost.total),
  };
}
