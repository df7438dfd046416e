import { emptyRollupCounters } from '@orderops/lambda-order-processor/domain/order/rollup';
import type { DailyRollup, RollupCounters } from '@orderops/lambda-order-processor/domain/order/rollup';
import { businessSnapshot, snapshotStartDay } from './business-metrics.js';

function rollup(day: string, counters: Partial<RollupCounters>): DailyRollup {
  return { day, counters: { ...emptyRollupCounters(), ...counters } };
}

describe('business gauges from daily rollups', () => {
  const today = '2025-03-01';

  it('reads 30 days ending today (crossing February of a non-leap year)', () => {
    expect(snapshotStartDay(today)).toBe('2025-01-31');
  });

  it('splits today, the last 7 days and the 30-day review queue', () => {
    const rollups = [
      // Outside the 7-day window (8 days ago) but inside the review queue's 30 days.
      rollup('2025-02-21', { ordersTotal: 5, approved: 1, pendingReview: 4, costTotalNanos: 999_999, costLambdaNanos: 999_999 }),
      // First day of the 7-day window.
      rollup('2025-02-23', { ordersTotal: 3, approved: 1, rejected: 1, pendingReview: 1, costTotalNanos: 50_000, costLambdaNanos: 20_000, costDynamodbNanos: 30_000 }),
      rollup(today, {
        ordersTotal: 4,
        approved: 2,
        pendingReview: 1,
        rejected: 1,
        validationErrors: 1,
        costTotalNanos: 70_001,
        costBedrockNanos: 1,
        costLambdaNanos: 10_000,
        costDynamodbNanos: 30_000,
        costS3Nanos: 20_000,
        costSnsNanos: 2_000,
        costApiGatewayNanos: 5_000,
        costCloudwatchNanos: 3_000,
      }),
    ];
    expect(businessSnapshot(rollups, today)).toEqual({
      today,
      ordersToday: { APPROVED: 2, PENDING_REVIEW: 1, REJECTED: 1 },
      ordersLast7Days: { APPROVED: 3, PENDING_REVIEW: 2, REJECTED: 2 },
      // (50,000 + 70,001) nano-dollars over 7 orders = 17,143 nano-dollars (17,143.0 rounded) per order.
      costPerOrderDollarsLast7Days: 0.000017143,
      processingCostDollarsLast7Days: {
        bedrock: 0.000000001,
        lambda: 0.00003,
        dynamodb: 0.00006,
        s3: 0.00002,
        sns: 0.000002,
        apigateway: 0.000005,
        cloudwatch: 0.000003,
      },
      reviewQueueOrders: 4 + 1 + 1,
    });
  });

  it('has no cost per order without orders, and zeros elsewhere', () => {
    const snapshot = businessSnapshot([rollup('2025-01-30', { ordersTotal: 9, pendingReview: 9 })], today);
    expect(snapshot.costPerOrderDollarsLast7Days).toBeNull();
    expect(snapshot.ordersLast7Days).toEqual({ APPROVED: 0, PENDING_REVIEW: 0, REJECTED: 0 });
    // 2025-01-30 is 31 days before today: no longer in the queue window.
    expect(snapshot.reviewQueueOrders).toBe(0);
  });
});
