import { nanosToDollars } from '@orderops/lambda-order-processor/domain/costs/money';
import { ROLLUP_COUNTERS, emptyRollupCounters } from '@orderops/lambda-order-processor/domain/order/rollup';
import type { DailyRollup, RollupCounters } from '@orderops/lambda-order-processor/domain/order/rollup';

import { eachDay, inRange } from './date-range.js';
import type { DateRange } from './date-range.js';

/**
 * FinOps metrics of a date range, computed from the daily rollups only (O(days), never orders).
 * Every sum is taken on the stored integers (nano-dollars, cents, counts) and converted to dollars
 * once, so each dollar figure is the double nearest the exact sum.
 */

/** Estimated processing cost by service, dollars (SPEC section 6 names). */
export interface ServiceCosts {
  bedrockCost: number;
  lambdaCost: number;
  dynamoDbCost: number;
  s3Cost: number;
  snsCost: number;
  apiGatewayCost: number;
  cloudwatchCost: number;
}

/** What every period of the metrics reports, one day or a whole range. */
export interface OrderCountsAndCost extends ServiceCosts {
  /** Orders screened (validation failures are not orders). */
  totalOrders: number;
  /** Current status counts: a review moves an order from pendingReviewOrders to approved/rejected. */
  approvedOrders: number;
  rejectedOrders: number;
  pendingReviewOrders: number;
  /** Requests refused by validation (processed and costed, never stored as orders). */
  validationErrors: number;
  /** Every estimated processing cost: screened orders, validation failures and reviews. */
  totalProcessingCost: number;
  /**
   * Cost per screened order: totalProcessingCost / totalOrders, rounded to the nano-dollar. The
   * numerator includes what validation failures and reviews cost, so this is what each order really
   * costs the business; null when there are no orders.
   */
  costPerOrder: number | null;
}

export interface DailyMetrics extends OrderCountsAndCost {
  day: string;
}

/** Orders per AI/risk score bucket: `scoreDistribution[k]` counts scores in [k, k+1) (10 counts 10). */
export type ScoreDistribution = number[];

export interface FinOpsMetrics extends OrderCountsAndCost {
  startDate: string;
  endDate: string;
  /** Bedrock input + output tokens. */
  totalBedrockTokens: number;
  aiCalls: number;
  /** AI calls that failed and fell back to the rules decision. */
  aiFallbacks: number;
  /** Sum of the values of orders now REJECTED, dollars. */
  blockedFraudAmount: number;
  /** Orders a person decided (they were PENDING_REVIEW). */
  reviewedOrders: number;
  /** Billed Lambda milliseconds of every request (orders, validation failures, reviews). */
  lambdaBilledMs: number;
  scoreDistribution: ScoreDistribution;
  /** One entry per day of the range, oldest first, days without data included as zeros. */
  daily: DailyMetrics[];
}

/** One day of the series the forecast reads. */
export interface DailyCostPoint {
  day: string;
  orders: number;
  costNanos: number;
}

export const SCORE_BUCKETS = 11;

/** Dollars for messages: plain decimal to the nano-dollar, no exponent ("$0.0000005", not "$5e-7"). */
export function formatDollars(dollars: number): string {
  if (dollars === 0) return '$0';
  const sign = dollars < 0 ? '-' : '';
  const amount = Math.abs(dollars);
  // Whole amounts as money; sub-dollar amounts (a cost per order is millionths) to three significant digits.
  return `${sign}$${(amount >= 1 ? WHOLE_DOLLARS : SMALL_DOLLARS).format(amount)}`;
}

const WHOLE_DOLLARS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const SMALL_DOLLARS = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** A plain figure for messages: thousands grouped, at most one decimal. */
export function formatFigure(value: number): string {
  return FIGURE.format(value);
}

const FIGURE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** Sums counters counter by counter (integers, so exact while inside 2^53). */
function addCounters(into: RollupCounters, from: RollupCounters): void {
  for (const name of ROLLUP_COUNTERS) into[name] += from[name];
}

/** Rollups of the range by day; days outside the range are ignored, repeated days are added. */
function countersByDay(range: DateRange, rollups: readonly DailyRollup[]): Map<string, RollupCounters> {
  const byDay = new Map<string, RollupCounters>();
  for (const rollup of rollups) {
    if (!inRange(range, rollup.day)) continue;
    let counters = byDay.get(rollup.day);
    if (!counters) {
      counters = emptyRollupCounters();
      byDay.set(rollup.day, counters);
    }
    addCounters(counters, rollup.counters);
  }
  return byDay;
}

/** Integer nano-dollars per order, rounded half up, or null without orders. */
function costPerOrderNanos(costNanos: number, orders: number): number | null {
  return orders > 0 ? Math.round(costNanos / orders) : null;
}

function costPerOrder(counters: RollupCounters): number | null {
  const nanos = costPerOrderNanos(counters.costTotalNanos, counters.ordersTotal);
  return nanos === null ? null : nanosToDollars(nanos);
}

function serviceCosts(counters: RollupCounters): ServiceCosts {
  return {
    bedrockCost: nanosToDollars(counters.costBedrockNanos),
    lambdaCost: nanosToDollars(counters.costLambdaNanos),
    dynamoDbCost: nanosToDollars(counters.costDynamodbNanos),
    s3Cost: nanosToDollars(counters.costS3Nanos),
    snsCost: nanosToDollars(counters.costSnsNanos),
    apiGatewayCost: nanosToDollars(counters.costApiGatewayNanos),
    cloudwatchCost: nanosToDollars(counters.costCloudwatchNanos),
  };
}

function countsAndCost(counters: RollupCounters): OrderCountsAndCost {
  return {
    totalOrders: counters.ordersTotal,
    approvedOrders: counters.approved,
    rejectedOrders: counters.rejected,
    pendingReviewOrders: counters.pendingReview,
    validationErrors: counters.validationErrors,
    totalProcessingCost: nanosToDollars(counters.costTotalNanos),
    costPerOrder: costPerOrder(counters),
    ...serviceCosts(counters),
  };
}

function scoreDistribution(counters: RollupCounters): ScoreDistribution {
  return [
    counters.score0,
    counters.score1,
    counters.score2,
    counters.score3,
    counters.score4,
    counters.score5,
    counters.score6,
    counters.score7,
    counters.score8,
    counters.score9,
    counters.score10,
  ];
}

/** The integer totals of the range (what every derived figure is computed from). */
export function sumRollups(range: DateRange, rollups: readonly DailyRollup[]): RollupCounters {
  const total = emptyRollupCounters();
  for (const counters of countersByDay(range, rollups).values()) addCounters(total, counters);
  return total;
}

export function aggregateMetrics(range: DateRange, rollups: readonly DailyRollup[]): FinOpsMetrics {
  const byDay = countersByDay(range, rollups);
  const total = emptyRollupCounters();
  const daily: DailyMetrics[] = [];
  for (const day of eachDay(range)) {
    const counters = byDay.get(day) ?? emptyRollupCounters();
    addCounters(total, counters);
    daily.push({ day, ...countsAndCost(counters) });
  }
  return {
    startDate: range.startDate,
    endDate: range.endDate,
    ...countsAndCost(total),
    totalBedrockTokens: total.aiInputTokens + total.aiOutputTokens,
    aiCalls: total.aiCalls,
    aiFallbacks: total.aiFallbacks,
    blockedFraudAmount: total.amountRejectedCents / 100,
    reviewedOrders: total.reviewedApproved + total.reviewedRejected,
    lambdaBilledMs: total.lambdaBilledMs,
    scoreDistribution: scoreDistribution(total),
    daily,
  };
}

/** Orders and exact cost per day of the range, days without data as zeros: the forecast's input. */
export function dailyCostSeries(range: DateRange, rollups: readonly DailyRollup[]): DailyCostPoint[] {
  const byDay = countersByDay(range, rollups);
  return eachDay(range).map((day) => {
    const counters = byDay.get(day);
    return { day, orders: counters?.ordersTotal ?? 0, costNanos: counters?.costTotalNanos ?? 0 };
  });
}
