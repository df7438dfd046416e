import { emptyRollupCounters } from '@orderops/lambda-order-processor/domain/order/rollup';
import type { DailyRollup, RollupCounters } from '@orderops/lambda-order-processor/domain/order/rollup';

import { actualCostsFromNanos, unavailableCosts } from '../ports/cost-source.js';
import { previousPeriod } from './date-range.js';
import type { DateRange } from './date-range.js';
import { forecastMonthlyCost } from './forecast.js';
import { aggregateMetrics } from './metrics.js';
import { buildReport, comparableActualCost, periodLabel } from './report.js';

function rollup(day: string, counters: Partial<RollupCounters>): DailyRollup {
  return { day, counters: { ...emptyRollupCounters(), ...counters } };
}

const RANGE: DateRange = { startDate: '2026-03-02', endDate: '2026-03-08', days: 7 };

const ROLLUPS = [
  // previous week (2026-02-23..2026-03-01): 40 orders, $0.004
  rollup('2026-02-25', { ordersTotal: 40, approved: 36, rejected: 4, costTotalNanos: 4_000_000, costLambdaNanos: 4_000_000, amountRejectedCents: 200_00 }),
  // this week: 50 orders, $0.006 of which $0.0045 Bedrock
  rollup('2026-03-03', {
    ordersTotal: 30,
    approved: 25,
    pendingReview: 2,
    rejected: 3,
    costBedrockNanos: 3_000_000,
    costLambdaNanos: 600_000,
    costTotalNanos: 3_600_000,
    aiCalls: 5,
    lambdaBilledMs: 3_000,
    amountRejectedCents: 300_00,
  }),
  rollup('2026-03-06', {
    ordersTotal: 20,
    approved: 20,
    costBedrockNanos: 1_500_000,
    costLambdaNanos: 900_000,
    costTotalNanos: 2_400_000,
    aiCalls: 0,
    lambdaBilledMs: 2_000,
  }),
];

function input(actual = unavailableCosts(RANGE, 'no cost source configured (set COST_SOURCE=focus-file and COST_EXPORT_FILE)')) {
  const previous = previousPeriod(RANGE);
  return {
    range: RANGE,
    metrics: aggregateMetrics(RANGE, ROLLUPS),
    previous: aggregateMetrics(previous, ROLLUPS),
    actual,
    forecast: forecastMonthlyCost([]),
    lambdaMemoryMb: 512,
  };
}

describe('periodLabel', () => {
  it.each([
    [{ startDate: '2026-03-08', endDate: '2026-03-08', days: 1 }, 'Daily'],
    [{ startDate: '2026-03-02', endDate: '2026-03-08', days: 7 }, 'Weekly'],
    [{ startDate: '2026-02-01', endDate: '2026-02-28', days: 28 }, 'Monthly'],
    [{ startDate: '2026-03-01', endDate: '2026-03-31', days: 31 }, 'Monthly'],
    [{ startDate: '2026-03-02', endDate: '2026-03-31', days: 30 }, 'Custom'],
    [{ startDate: '2026-03-01', endDate: '2026-03-02', days: 2 }, 'Custom'],
  ] as const)('%j is %s', (range, label) => {
    expect(periodLabel(range)).toBe(label);
  });
});

describe('buildReport', () => {
  it('without actual costs: every metric, trends, null variance and the unavailable source', () => {
    const report = buildReport(input());
    expect(report).toMatchObject({
      reportDate: '2026-03-08',
      period: 'Weekly',
      days: 7,
      startDate: '2026-03-02',
      endDate: '2026-03-08',
      totalOrders: 50,
      approvedOrders: 45,
      pendingReviewOrders: 2,
      rejectedOrders: 3,
      totalProcessingCost: 0.006,
      bedrockCost: 0.0045,
      lambdaCost: 0.0015,
      costPerOrder: 0.00012,
      blockedFraudAmount: 300,
      costSource: 'unavailable',
      costSourceReason: 'no cost source configured (set COST_SOURCE=focus-file and COST_EXPORT_FILE)',
      actualLambdaCost: null,
      actualBedrockCost: null,
      actualTotalCost: null,
      actualComparableCost: null,
      actualCostByService: {},
      estimatedVsActualVariance: null,
      // $0.004 -> $0.006 and 40 -> 50 orders
      costTrend: 50,
      orderTrend: 25,
      previousPeriod: { startDate: '2026-02-23', endDate: '2026-03-01', totalOrders: 40, totalProcessingCost: 0.004, costPerOrder: 0.0001 },
      forecastedMonthlyCost: null,
      forecast: { forecastedMonthlyCost: null, reason: 'no orders in the history; at least 7 days are needed', historyDays: 0 },
    });
    expect(report.daily).toHaveLength(7);
    // Bedrock is 75% of cost; cost per order +20% exactly is not above 20%; $300 blocked for $0.006
    expect(report.recommendations.map((r) => [r.code, r.figure])).toEqual([
      ['AI_COST_SHARE', 75],
      ['FRAUD_BLOCKED_PAYS_FOR_SCREENING', 50_000],
    ]);
    expect(report.optimizationRecommendations).toEqual(report.recommendations.map((r) => r.message));
  });

  it('with actual costs: variance against the services the estimate covers', () => {
    const actual = actualCostsFromNanos(
      'focus-file',
      RANGE,
      new Map([
        ['Amazon Bedrock', 4_000_000],
        ['Claude 3 Haiku (Amazon Bedrock Edition)', 1_000_000],
        ['AWS Lambda', 1_900_000],
        ['Amazon Elastic Container Service for Kubernetes', 2_400_000_000],
      ]),
    );
    const report = buildReport(input(actual));
    expect(report).toMatchObject({
      costSource: 'focus-file',
      costSourceReason: null,
      actualBedrockCost: 0.005,
      actualLambdaCost: 0.0019,
      actualOtherCost: 2.4,
      actualTotalCost: 2.4069,
      actualComparableCost: 0.0069,
      // (0.0069 - 0.006) / 0.006 = +15%
      estimatedVsActualVariance: 15,
      actualCostByService: {
        'AWS Lambda': 0.0019,
        'Amazon Bedrock': 0.004,
        'Amazon Elastic Container Service for Kubernetes': 2.4,
        'Claude 3 Haiku (Amazon Bedrock Edition)': 0.001,
      },
    });
    expect(report.recommendations.map((r) => r.code)).toContain('ESTIMATE_VARIANCE');
  });

  it('reports null trends when the previous period had nothing, and no recommendations for an empty range', () => {
    const empty = buildReport({ ...input(), metrics: aggregateMetrics(RANGE, []), previous: aggregateMetrics(previousPeriod(RANGE), []) });
    expect(empty.costTrend).toBeNull();
    expect(empty.orderTrend).toBeNull();
    expect(empty.costPerOrder).toBeNull();
    expect(empty.recommendations).toEqual([]);
    expect(empty.optimizationRecommendations).toEqual([]);
  });

  it('carries the forecast', () => {
    const series = Array.from({ length: 7 }, (_, i) => ({ day: `2026-03-0${i + 2}`, orders: 10, costNanos: 10_000 }));
    const report = buildReport({ ...input(), forecast: forecastMonthlyCost(series) });
    expect(report.forecastedMonthlyCost).toBe(0.0003);
    expect(report.forecast).toMatchObject({ method: 'level', forecastedOrders: 300 });
  });

  it('refuses metrics of another range', () => {
    expect(() => buildReport({ ...input(), range: { startDate: '2026-03-01', endDate: '2026-03-08', days: 8 } })).toThrow(
      'metrics cover 2026-03-02..2026-03-08, not the report range 2026-03-01..2026-03-08',
    );
  });
});

describe('comparableActualCost', () => {
  it('sums the seven covered services exactly, and is null when unavailable', () => {
    const actual = actualCostsFromNanos(
      'focus-file',
      RANGE,
      new Map([
        ['Amazon DynamoDB', 100_000_000],
        ['Amazon Simple Storage Service', 200_000_000],
        ['Tax', 5_000_000_000],
      ]),
    );
    expect(comparableActualCost(actual)).toBe(0.3);
    expect(comparableActualCost(unavailableCosts(RANGE, 'x'))).toBeNull();
  });
});
