import {
  emptyRollupCounters,
  rollupForReview,
  rollupForScreenedOrder,
  rollupForValidationFailure,
} from '@orderops/lambda-order-processor/domain/order/rollup';
import type { DailyRollup, RollupCounters, RollupDelta } from '@orderops/lambda-order-processor/domain/order/rollup';

import { SCORE_BUCKETS, aggregateMetrics, dailyCostSeries, sumRollups } from './metrics.js';

function rollup(day: string, counters: Partial<RollupCounters>): DailyRollup {
  return { day, counters: { ...emptyRollupCounters(), ...counters } };
}

/** Applies deltas the way both stores do (addition only), giving one rollup per day, ascending. */
function applyDeltas(deltas: RollupDelta[]): DailyRollup[] {
  const byDay = new Map<string, RollupCounters>();
  for (const delta of deltas) {
    const counters = byDay.get(delta.day) ?? emptyRollupCounters();
    for (const [name, value] of Object.entries(delta.counters) as [keyof RollupCounters, number][]) counters[name] += value;
    byDay.set(delta.day, counters);
  }
  return [...byDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, counters]) => ({ day, counters }));
}

const ZERO_COSTS = { bedrockCost: 0, lambdaCost: 0, dynamoDbCost: 0, s3Cost: 0, snsCost: 0, apiGatewayCost: 0, cloudwatchCost: 0 };

describe('aggregateMetrics', () => {
  it('answers zeros and one zero entry per day for an empty range', () => {
    const metrics = aggregateMetrics({ startDate: '2026-02-27', endDate: '2026-03-01', days: 3 }, []);
    expect(metrics).toEqual({
      startDate: '2026-02-27',
      endDate: '2026-03-01',
      totalOrders: 0,
      approvedOrders: 0,
      rejectedOrders: 0,
      pendingReviewOrders: 0,
      validationErrors: 0,
      totalProcessingCost: 0,
      ...ZERO_COSTS,
      totalBedrockTokens: 0,
      aiCalls: 0,
      aiFallbacks: 0,
      costPerOrder: null,
      blockedFraudAmount: 0,
      reviewedOrders: 0,
      lambdaBilledMs: 0,
      scoreDistribution: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      daily: ['2026-02-27', '2026-02-28', '2026-03-01'].map((day) => ({
        day,
        totalOrders: 0,
        approvedOrders: 0,
        rejectedOrders: 0,
        pendingReviewOrders: 0,
        validationErrors: 0,
        totalProcessingCost: 0,
        costPerOrder: null,
        ...ZERO_COSTS,
      })),
    });
  });

  it('sums every counter, maps the SPEC field names and fills days without data', () => {
    const rollups = [
      rollup('2026-03-01', {
        ordersTotal: 3,
        approved: 1,
        pendingReview: 1,
        rejected: 1,
        validationErrors: 2,
        costBedrockNanos: 30_000,
        costLambdaNanos: 4_000,
        costDynamodbNanos: 500,
        costS3Nanos: 60,
        costSnsNanos: 7,
        costApiGatewayNanos: 3_000,
        costCloudwatchNanos: 11,
        costTotalNanos: 37_578,
        aiCalls: 2,
        aiFallbacks: 1,
        aiInputTokens: 700,
        aiOutputTokens: 50,
        lambdaBilledMs: 250,
        amountTotalCents: 1_234_56,
        amountRejectedCents: 999_99,
        score2: 1,
        score5: 1,
        score9: 1,
      }),
      rollup('2026-03-03', {
        ordersTotal: 1,
        approved: 1,
        costLambdaNanos: 2_000,
        costTotalNanos: 2_000,
        lambdaBilledMs: 40,
        score10: 1,
      }),
    ];
    const metrics = aggregateMetrics({ startDate: '2026-03-01', endDate: '2026-03-03', days: 3 }, rollups);
    expect(metrics).toMatchObject({
      totalOrders: 4,
      approvedOrders: 2,
      rejectedOrders: 1,
      pendingReviewOrders: 1,
      validationErrors: 2,
      totalProcessingCost: 0.000039578,
      bedrockCost: 0.00003,
      lambdaCost: 0.000006,
      dynamoDbCost: 0.0000005,
      s3Cost: 0.00000006,
      snsCost: 0.000000007,
      apiGatewayCost: 0.000003,
      cloudwatchCost: 0.000000011,
      totalBedrockTokens: 750,
      aiCalls: 2,
      aiFallbacks: 1,
      // 39578 nanos / 4 orders = 9894.5, rounded half up
      costPerOrder: 0.000009895,
      blockedFraudAmount: 999.99,
      reviewedOrders: 0,
      lambdaBilledMs: 290,
      scoreDistribution: [0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1],
    });
    expect(metrics.scoreDistribution).toHaveLength(SCORE_BUCKETS);
    expect(metrics.daily.map((d) => [d.day, d.totalOrders, d.totalProcessingCost, d.costPerOrder, d.lambdaCost])).toEqual([
      ['2026-03-01', 3, 0.000037578, 0.000012526, 0.000004],
      ['2026-03-02', 0, 0, null, 0],
      ['2026-03-03', 1, 0.000002, 0.000002, 0.000002],
    ]);
    expect(metrics.daily[0]).toEqual({
      day: '2026-03-01',
      totalOrders: 3,
      approvedOrders: 1,
      rejectedOrders: 1,
      pendingReviewOrders: 1,
      validationErrors: 2,
      totalProcessingCost: 0.000037578,
      costPerOrder: 0.000012526,
      bedrockCost: 0.00003,
      lambdaCost: 0.000004,
      dynamoDbCost: 0.0000005,
      s3Cost: 0.00000006,
      snsCost: 0.000000007,
      apiGatewayCost: 0.000003,
      cloudwatchCost: 0.000000011,
    });
  });

  it('ignores rollups outside the range', () => {
    const rollups = [
      rollup('2026-02-28', { ordersTotal: 100, costTotalNanos: 1_000_000 }),
      rollup('2026-03-01', { ordersTotal: 2, costTotalNanos: 3_000 }),
      rollup('2026-03-02', { ordersTotal: 50, costTotalNanos: 7_000_000 }),
    ];
    const metrics = aggregateMetrics({ startDate: '2026-03-01', endDate: '2026-03-01', days: 1 }, rollups);
    expect(metrics.totalOrders).toBe(2);
    expect(metrics.totalProcessingCost).toBe(0.000003);
    expect(metrics.costPerOrder).toBe(0.0000015);
    expect(metrics.daily).toHaveLength(1);
  });

  it('crosses a month end, and adds rollups given twice for one day', () => {
    const rollups = [
      rollup('2026-01-31', { ordersTotal: 1, costTotalNanos: 10 }),
      rollup('2026-02-01', { ordersTotal: 2, costTotalNanos: 20 }),
      rollup('2026-02-01', { ordersTotal: 3, costTotalNanos: 30 }),
    ];
    const metrics = aggregateMetrics({ startDate: '2026-01-31', endDate: '2026-02-01', days: 2 }, rollups);
    expect(metrics.daily.map((d) => [d.day, d.totalOrders])).toEqual([
      ['2026-01-31', 1],
      ['2026-02-01', 5],
    ]);
    expect(metrics.totalOrders).toBe(6);
    expect(metrics.totalProcessingCost).toBe(0.00000006);
  });

  it('sums exactly to the nano-dollar where adding dollars would not', () => {
    // 0.1 + 0.2 in dollars is 0.30000000000000004; in nano-dollars it is exact.
    expect(0.1 + 0.2).not.toBe(0.3);
    const rollups = [
      rollup('2026-03-01', { ordersTotal: 1, costTotalNanos: 100_000_000, costBedrockNanos: 100_000_000 }),
      rollup('2026-03-02', { ordersTotal: 1, costTotalNanos: 200_000_000, costBedrockNanos: 200_000_000 }),
    ];
    const metrics = aggregateMetrics({ startDate: '2026-03-01', endDate: '2026-03-02', days: 2 }, rollups);
    expect(metrics.totalProcessingCost).toBe(0.3);
    expect(metrics.bedrockCost).toBe(0.3);
    expect(metrics.costPerOrder).toBe(0.15);

    // A leap year of 1 nano-dollar days plus one large day stays exact.
    const many = Array.from({ length: 366 }, (_, i) =>
      rollup(new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10), { ordersTotal: 1, costTotalNanos: i === 0 ? 123_456_789_012 : 1 }),
    );
    const year = aggregateMetrics({ startDate: '2024-01-01', endDate: '2024-12-31', days: 366 }, many);
    expect(year.totalProcessingCost).toBe(123.456789377);
    expect(year.daily).toHaveLength(366);
  });

  it('reflects what the order processor writes: screened orders, validation failures and reviews', () => {
    const cost = (total: number) => ({ bedrock: 0, lambda: total, dynamodb: 0, s3: 0, sns: 0, apiGateway: 0, cloudwatch: 0, total });
    const order = (status: 'APPROVED' | 'PENDING_REVIEW' | 'REJECTED', score: number, amountCents: number, aiCalled: boolean) =>
      rollupForScreenedOrder({
        day: '2026-03-01',
        status,
        score,
        amountCents,
        cost: cost(1_000),
        billedLambdaMs: 20,
        aiCalled,
        aiFallback: false,
        aiInputTokens: aiCalled ? 300 : 0,
        aiOutputTokens: aiCalled ? 40 : 0,
      });
    const rollups = applyDeltas([
      order('APPROVED', 8.5, 10_000, false),
      order('PENDING_REVIEW', 5.2, 25_050, true),
      order('PENDING_REVIEW', 4.9, 7_500, true),
      order('REJECTED', 1.0, 400_000, false),
      rollupForValidationFailure('2026-03-01', cost(100), 3),
      rollupForReview({ orderDay: '2026-03-01', from: 'PENDING_REVIEW', to: 'REJECTED', amountCents: 25_050, cost: cost(500), billedLambdaMs: 10 }),
    ]);
    const metrics = aggregateMetrics({ startDate: '2026-03-01', endDate: '2026-03-01', days: 1 }, rollups);
    expect(metrics).toMatchObject({
      totalOrders: 4,
      approvedOrders: 1,
      pendingReviewOrders: 1,
      rejectedOrders: 2,
      validationErrors: 1,
      reviewedOrders: 1,
      aiCalls: 2,
      totalBedrockTokens: 680,
      // 4 x 1000 + 100 + 500 nanos
      totalProcessingCost: 0.0000046,
      costPerOrder: 0.00000115,
      blockedFraudAmount: 4250.5,
      lambdaBilledMs: 93,
      scoreDistribution: [0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0],
    });
  });
});

describe('sumRollups and dailyCostSeries', () => {
  const rollups = [
    rollup('2026-02-28', { ordersTotal: 9, costTotalNanos: 9 }),
    rollup('2026-03-01', { ordersTotal: 2, costTotalNanos: 3_000, lambdaBilledMs: 7 }),
    rollup('2026-03-03', { ordersTotal: 1, costTotalNanos: 5 }),
  ];
  const range = { startDate: '2026-03-01', endDate: '2026-03-03', days: 3 };

  it('sums the integer counters of the range', () => {
    const total = sumRollups(range, rollups);
    expect(total.ordersTotal).toBe(3);
    expect(total.costTotalNanos).toBe(3_005);
    expect(total.lambdaBilledMs).toBe(7);
  });

  it('gives one point per day with integer nano-dollars', () => {
    expect(dailyCostSeries(range, rollups)).toEqual([
      { day: '2026-03-01', orders: 2, costNanos: 3_000 },
      { day: '2026-03-02', orders: 0, costNanos: 0 },
      { day: '2026-03-03', orders: 1, costNanos: 5 },
    ]);
  });
});
