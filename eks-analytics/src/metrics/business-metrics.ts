import type { OrderStatus } from '@orderops/lambda-order-processor/domain/order/order';
import type { DailyRollup } from '@orderops/lambda-order-processor/domain/order/rollup';
import { addDays, dateRange } from '../domain/date-range.js';
import { aggregateMetrics, type FinOpsMetrics, type ServiceCosts } from '../domain/metrics.js';

/**
 * The business gauges of /metrics, from the daily rollups (never from orders): one rollup read of at
 * most REVIEW_QUEUE_DAYS days per scrape. The figures are the FinOps metrics' own (aggregateMetrics),
 * so a gauge always equals what /api/finops/metrics answers for the same days.
 */

/** Days (ending today, inclusive) of the "last 7 days" gauges. */
export const RECENT_DAYS = 7;
/** Days (ending today, inclusive) in which pending orders count toward the review queue. */
export const REVIEW_QUEUE_DAYS = 30;

/** Prometheus `service` label values and the FinOps metrics field each one reports. */
export const COST_SERVICE_FIELDS = {
  bedrock: 'bedrockCost',
  lambda: 'lambdaCost',
  dynamodb: 'dynamoDbCost',
  s3: 's3Cost',
  sns: 'snsCost',
  apigateway: 'apiGatewayCost',
  cloudwatch: 'cloudwatchCost',
} as const satisfies Record<string, keyof ServiceCosts>;

export type CostService = keyof typeof COST_SERVICE_FIELDS;

export interface BusinessSnapshot {
  /** Today's UTC day, the end of every window. */
  today: string;
  ordersToday: Record<OrderStatus, number>;
  ordersLast7Days: Record<OrderStatus, number>;
  /** The last 7 days' costPerOrder; null when no order was recorded (the gauge is then absent). */
  costPerOrderDollarsLast7Days: number | null;
  processingCostDollarsLast7Days: Record<CostService, number>;
  /** Orders still PENDING_REVIEW among those recorded in the last 30 days. */
  reviewQueueOrders: number;
}

/** Orders by current status (a review moves its order between statuses on the order's own day). */
export function ordersByStatus(metrics: FinOpsMetrics): Record<OrderStatus, number> {
  return { APPROVED: metrics.approvedOrders, PENDING_REVIEW: metrics.pendingReviewOrders, REJECTED: metrics.rejectedOrders };
}

/** Estimated processing cost by service label, in dollars. */
export function costByService(metrics: ServiceCosts): Record<CostService, number> {
  const entries = Object.entries(COST_SERVICE_FIELDS).map(([service, field]) => [service, metrics[field]]);
  return Object.fromEntries(entries) as Record<CostService, number>;
}

/** The `days` days ending on `today`, today included. */
export function lastDays(today: string, days: number) {
  return dateRange(addDays(today, -(days - 1)), today);
}

/** The first day whose rollups businessSnapshot needs. */
export function snapshotStartDay(today: string): string {
  return lastDays(today, REVIEW_QUEUE_DAYS).startDate;
}

/** Every business gauge from the rollups of [snapshotStartDay(today), today]. */
export function businessSnapshot(rollups: readonly DailyRollup[], today: string): BusinessSnapshot {
  const recent = aggregateMetrics(lastDays(today, RECENT_DAYS), rollups);
  return {
    today,
    ordersToday: ordersByStatus(aggregateMetrics(lastDays(today, 1), rollups)),
    ordersLast7Days: ordersByStatus(recent),
    costPerOrderDollarsLast7Days: recent.costPerOrder,
    processingCostDollarsLast7Days: costByService(recent),
    reviewQueueOrders: aggregateMetrics(lastDays(today, REVIEW_QUEUE_DAYS), rollups).pendingReviewOrders,
  };
}
