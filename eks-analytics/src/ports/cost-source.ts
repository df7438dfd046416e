import { nanosToDollars } from '@orderops/lambda-order-processor/domain/costs/money';

import type { DateRange } from '../domain/date-range.js';

/**
 * Actual (billed) cost of the range, by service, in US dollars. When no source can say, every cost
 * field is null and `reason` says why: never invented numbers, and never a zero that only means
 * "unknown".
 */
/** The actual cost figures by service, dollars; all null when the source is unavailable. */
export interface ActualCostFigures {
  actualLambdaCost: number | null;
  actualBedrockCost: number | null;
  actualDynamoDbCost: number | null;
  actualS3Cost: number | null;
  actualSnsCost: number | null;
  actualApiGatewayCost: number | null;
  actualCloudWatchCost: number | null;
  /** Every service the estimate does not cover (EKS, EC2, data transfer, tax...). */
  actualOtherCost: number | null;
  actualTotalCost: number | null;
}

export interface ActualCosts extends ActualCostFigures {
  source: CostSourceName;
  currency: 'USD';
  startDate: string;
  endDate: string;
  /** Dollars by the service name the bill uses ("AWS Lambda", "Claude 3 Haiku (Amazon Bedrock Edition)"...). */
  byService: Record<string, number>;
  /** Why costs are unavailable, or what the reader should know about them. */
  reason?: string;
  /** When the source produced these figures (ISO 8601), for sources that cache a paid API's answer (Cost Explorer). */
  cachedAt?: string;
  /** Seconds since cachedAt when this answer was given. */
  cacheAgeSeconds?: number;
}

export const COST_SOURCE_NAMES = ['focus-file', 'cost-explorer', 'unavailable'] as const;
export type CostSourceName = (typeof COST_SOURCE_NAMES)[number];

export interface CostSource {
  actualCosts(range: DateRange): Promise<ActualCosts>;
  /**
   * The billing forecast of the horizon (both ends inclusive), for sources that have one (Cost
   * Explorer); null when the source cannot forecast yet (too little billing history), so the caller
   * falls back to the forecast computed from the daily series.
   */
  forecast?(horizon: DateRange): Promise<BillingForecast | null>;
}

/** A billing source's forecast of the cost of a horizon, dollars, with its 80% prediction interval. */
export interface BillingForecast {
  /** The horizon, both ends inclusive. */
  startDate: string;
  endDate: string;
  forecastedCost: number;
  lower80: number;
  upper80: number;
  /** When the source produced the forecast (ISO 8601) and its age when given. */
  cachedAt: string;
  cacheAgeSeconds: number;
}

/** Nest injection token of the configured CostSource. */
export const COST_SOURCE = Symbol('COST_SOURCE');

/** The ActualCosts fields one billed service adds to. */
export const ACTUAL_COST_FIELDS = [
  'actualLambdaCost',
  'actualBedrockCost',
  'actualDynamoDbCost',
  'actualS3Cost',
  'actualSnsCost',
  'actualApiGatewayCost',
  'actualCloudWatchCost',
  'actualOtherCost',
] as const;
export type ActualCostField = (typeof ACTUAL_COST_FIELDS)[number];

/**
 * Bill service names (Cost Explorer SERVICE dimension, FOCUS ServiceName, CUR product name) and CUR
 * product codes, compared case-insensitively. CloudWatch appears as "AmazonCloudWatch" in Cost
 * Explorer and as "Amazon CloudWatch" elsewhere.
 */
const SERVICE_FIELDS: Readonly<Record<string, ActualCostField>> = {
  'aws lambda': 'actualLambdaCost',
  awslambda: 'actualLambdaCost',
  'amazon dynamodb': 'actualDynamoDbCost',
  amazondynamodb: 'actualDynamoDbCost',
  'amazon simple storage service': 'actualS3Cost',
  'amazon s3': 'actualS3Cost',
  amazons3: 'actualS3Cost',
  'amazon simple notification service': 'actualSnsCost',
  'amazon sns': 'actualSnsCost',
  amazonsns: 'actualSnsCost',
  'amazon api gateway': 'actualApiGatewayCost',
  amazonapigateway: 'actualApiGatewayCost',
  amazoncloudwatch: 'actualCloudWatchCost',
  'amazon cloudwatch': 'actualCloudWatchCost',
};

/**
 * Every name mentioning Bedrock is Bedrock: "Amazon Bedrock" (Amazon's own models such as Nova),
 * the CUR code "AmazonBedrock", and the marketplace models billed under their own service names,
 * such as "Claude 3 Haiku (Amazon Bedrock Edition)".
 */
const BEDROCK_NAME = /bedrock/i;

/** The ActualCosts field a billed service adds to; anything unknown is `actualOtherCost`. */
export function mapServiceName(serviceName: string): ActualCostField {
  if (BEDROCK_NAME.test(serviceName)) return 'actualBedrockCost';
  return SERVICE_FIELDS[serviceName.trim().toLowerCase()] ?? 'actualOtherCost';
}

/** The answer when no source can tell: every cost null, and why. */
export function unavailableCosts(range: DateRange, reason: string): ActualCosts {
  return {
    source: 'unavailable',
    currency: 'USD',
    startDate: range.startDate,
    endDate: range.endDate,
    actualLambdaCost: null,
    actualBedrockCost: null,
    actualDynamoDbCost: null,
    actualS3Cost: null,
    actualSnsCost: null,
    actualApiGatewayCost: null,
    actualCloudWatchCost: null,
    actualOtherCost: null,
    actualTotalCost: null,
    byService: {},
    reason,
  };
}

/**
 * ActualCosts from exact integer nano-dollar sums by bill service name (what every real source
 * produces): each field is the exact sum of its services, converted to dollars once.
 */
export function actualCostsFromNanos(
  source: Exclude<CostSourceName, 'unavailable'>,
  range: DateRange,
  nanosByService: ReadonlyMap<string, number>,
  reason?: string,
): ActualCosts {
  const fieldNanos = new Map<ActualCostField, number>(ACTUAL_COST_FIELDS.map((field) => [field, 0]));
  const byService: Record<string, number> = {};
  let totalNanos = 0;
  for (const [service, nanos] of [...nanosByService].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const field = mapServiceName(service);
    fieldNanos.set(field, (fieldNanos.get(field) ?? 0) + nanos);
    byService[service] = nanosToDollars(nanos);
    totalNanos += nanos;
  }
  const dollars = (field: ActualCostField): number => nanosToDollars(fieldNanos.get(field) ?? 0);
  return {
    source,
    currency: 'USD',
    startDate: range.startDate,
    endDate: range.endDate,
    actualLambdaCost: dollars('actualLambdaCost'),
    actualBedrockCost: dollars('actualBedrockCost'),
    actualDynamoDbCost: dollars('actualDynamoDbCost'),
    actualS3Cost: dollars('actualS3Cost'),
    actualSnsCost: dollars('actualSnsCost'),
    actualApiGatewayCost: dollars('actualApiGatewayCost'),
    actualCloudWatchCost: dollars('actualCloudWatchCost'),
    actualOtherCost: dollars('actualOtherCost'),
    actualTotalCost: nanosToDollars(totalNanos),
    byService,
    ...(reason === undefined ? {} : { reason }),
  };
}
