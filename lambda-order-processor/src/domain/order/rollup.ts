import type { CostBreakdown, OrderStatus } from './order.js';

/**
 * Daily rollup counters. Both stores keep exactly these counters per UTC day and apply changes
 * with addition only (SQLite `x = x + ?`, DynamoDB `ADD`), so concurrent writers never lose updates
 * and analytics reads O(days) items instead of scanning orders. Money counters are integers:
 * costs in nano-dollars, order values in cents.
 */
export const ROLLUP_COUNTERS = [
  'ordersTotal',
  'approved',
  'pendingReview',
  'rejected',
  'validationErrors',
  'reviewedApproved',
  'reviewedRejected',
  'costBedrockNanos',
  'costLambdaNanos',
  'costDynamodbNanos',
  'costS3Nanos',
  'costSnsNanos',
  'costApiGatewayNanos',
  'costCloudwatchNanos',
  'costTotalNanos',
  'aiCalls',
  'aiFallbacks',
  'aiInputTokens',
  'aiOutputTokens',
  'lambdaBilledMs',
  'amountTotalCents',
  'amountApprovedCents',
  'amountRejectedCents',
  'amountPendingCents',
  'score0',
  'score1',
  'score2',
  'score3',
  'score4',
  'score5',
  'score6',
  'score7',
  'score8',
  'score9',
  'score10',
] as const;

export type RollupCounter = (typeof ROLLUP_COUNTERS)[number];
export type RollupCounters = Record<RollupCounter, number>;

/** A change to one day's rollup. Only non-zero counters need to be present. */
export interface RollupDelta {
  day: string;
  counters: Partial<RollupCounters>;
}

export interface DailyRollup {
  day: string;
  counters: RollupCounters;
}

export function emptyRollupCounters(): RollupCounters {
  const counters = {} as RollupCounters;
  for (const name of ROLLUP_COUNTERS) counters[name] = 0;
  return counters;
}

const STATUS_COUNTER: Record<OrderStatus, RollupCounter> = {
  APPROVED: 'approved',
  PENDING_REVIEW: 'pendingReview',
  REJECTED: 'rejected',
};

const STATUS_AMOUNT_COUNTER: Record<OrderStatus, RollupCounter> = {
  APPROVED: 'amountApprovedCents',
  PENDING_REVIEW: 'amountPendingCents',
  REJECTED: 'amountRejectedCents',
};

function costCounters(cost: CostBreakdown): Partial<RollupCounters> {
  return {
    costBedrockNanos: cost.bedrock,
    costLambdaNanos: cost.lambda,
    costDynamodbNanos: cost.dynamodb,
    costS3Nanos: cost.s3,
    costSnsNanos: cost.sns,
    costApiGatewayNanos: cost.apiGateway,
    costCloudwatchNanos: cost.cloudwatch,
    costTotalNanos: cost.total,
  };
}

/** The score histogram bucket of a 0-10 score (floor, so 6.9 counts as 6). */
export function scoreBucket(score: number): RollupCounter {
  const bucket = Math.min(10, Math.max(0, Math.floor(score)));
  return `score${bucket}` as RollupCounter;
}

export interface ScreenedOrderFacts {
  day: string;
  status: OrderStatus;
  score: number;
  amountCents: number;
  cost: CostBreakdown;
  billedLambdaMs: number;
  aiCalled: boolean;
  aiFallback: boolean;
  aiInputTokens: number;
  aiOutputTokens: number;
}

export function rollupForScreenedOrder(facts: ScreenedOrderFacts): RollupDelta {
  return {
    day: facts.day,
    counters: {
      ordersTotal: 1,
      [STATUS_COUNTER[facts.status]]: 1,
      [STATUS_AMOUNT_COUNTER[facts.status]]: facts.amountCents,
      amountTotalCents: facts.amountCents,
      [scoreBucket(facts.score)]: 1,
      ...costCounters(facts.cost),
      lambdaBilledMs: facts.billedLambdaMs,
      aiCalls: facts.aiCalled ? 1 : 0,
      aiFallbacks: facts.aiFallback ? 1 : 0,
      aiInputTokens: facts.aiInputTokens,
      aiOutputTokens: facts.aiOutputTokens,
    },
  };
}

/** A rejected-by-validation request: counted and costed, never stored as an order. */
export function rollupForValidationFailure(day: string, cost: CostBreakdown, billedLambdaMs: number): RollupDelta {
  return { day, counters: { validationErrors: 1, ...costCounters(cost), lambdaBilledMs: billedLambdaMs } };
}

export interface ReviewFacts {
  /** The day the order was recorded: reviews move counts there, so each day's counts stay per status. */
  orderDay: string;
  from: OrderStatus;
  to: OrderStatus;
  amountCents: number;
  /** What processing the review cost. */
  cost: CostBreakdown;
  billedLambdaMs: number;
}

/** A review moves the order between status counts and adds the review's processing cost. */
export function rollupForReview(facts: ReviewFacts): RollupDelta {
  const { from, to, amountCents } = facts;
  const counters: Partial<RollupCounters> = {
    ...costCounters(facts.cost),
    lambdaBilledMs: facts.billedLambdaMs,
    [STATUS_COUNTER[from]]: -1,
    [STATUS_AMOUNT_COUNTER[from]]: -amountCents,
  };
  counters[STATUS_COUNTER[to]] = (counters[STATUS_COUNTER[to]] ?? 0) + 1;
  counters[STATUS_AMOUNT_COUNTER[to]] = (counters[STATUS_AMOUNT_COUNTER[to]] ?? 0) + amountCents;
  counters[to === 'APPROVED' ? 'reviewedApproved' : 'reviewedRejected'] = 1;
  return { day: facts.orderDay, counters };
}
