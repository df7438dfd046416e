import { emptyRollupCounters } from '@orderops/lambda-order-processor/domain/order/rollup';
import type { RollupCounters } from '@orderops/lambda-order-processor/domain/order/rollup';

import { aggregateMetrics, formatDollars } from './metrics.js';
import type { FinOpsMetrics } from './metrics.js';
import { RECOMMENDATION_THRESHOLDS, recommend } from './recommendations.js';
import type { Recommendation } from './recommendations.js';

const RANGE = { startDate: '2026-03-01', endDate: '2026-03-07', days: 7 };
const PREVIOUS_RANGE = { startDate: '2026-02-22', endDate: '2026-02-28', days: 7 };

/** Metrics as the service computes them, from one day's rollup counters. */
function metrics(counters: Partial<RollupCounters>, range = RANGE): FinOpsMetrics {
  return aggregateMetrics(range, [{ day: range.startDate, counters: { ...emptyRollupCounters(), ...counters } }]);
}

/**
 * A healthy week: 100 orders, 5 to review, 10 rejected worth $500, $0.01 of processing, 2 AI
 * calls, 8,000 billed ms over 102 requests (78.4 ms each), 2 validation errors.
 */
const HEALTHY: Partial<RollupCounters> = {
  ordersTotal: 100,
  approved: 85,
  pendingReview: 5,
  rejected: 10,
  validationErrors: 2,
  costBedrockNanos: 2_000_000,
  costLambdaNanos: 8_000_000,
  costTotalNanos: 10_000_000,
  aiCalls: 2,
  lambdaBilledMs: 8_000,
  amountRejectedCents: 500_00,
};

function codes(found: Recommendation[]): string[] {
  return found.map((r) => r.code);
}

function only(found: Recommendation[], code: string): Recommendation {
  const match = found.find((r) => r.code === code);
  if (!match) throw new Error(`no ${code} in ${JSON.stringify(codes(found))}`);
  return match;
}

describe('recommend', () => {
  it('says nothing about an empty range', () => {
    expect(recommend({ metrics: metrics({}), previous: metrics({}, PREVIOUS_RANGE), actualComparableCost: 0, lambdaMemoryMb: 512 })).toEqual([]);
  });

  it('a healthy week only reports that the blocked fraud pays for the screening', () => {
    const found = recommend({ metrics: metrics(HEALTHY), previous: metrics(HEALTHY, PREVIOUS_RANGE), actualComparableCost: 0.0105, lambdaMemoryMb: 512 });
    expect(found).toEqual([
      {
        code: 'FRAUD_BLOCKED_PAYS_FOR_SCREENING',
        figure: 50_000,
        threshold: 10,
        message: 'Screening blocked $500.00 of orders (10 rejected), 50,000 times its processing cost of $0.01: the screening pays for itself.',
      },
    ]);
  });

  it('flags Bedrock above half of the cost, with the share as the figure', () => {
    const found = recommend({ metrics: metrics({ ...HEALTHY, costBedrockNanos: 7_250_000, costLambdaNanos: 2_750_000 }) });
    expect(only(found, 'AI_COST_SHARE')).toEqual({
      code: 'AI_COST_SHARE',
      figure: 72.5,
      threshold: 50,
      message:
        'Bedrock is 72.5% of the processing cost ($0.00725 of $0.01), above 50%: use the cheapest adequate model (amazon.nova-micro-v1:0) ' +
        'and call the AI only for gray-zone orders (AI_MODE=gray-zone).',
    });
    // exactly half is not above the threshold
    expect(codes(recommend({ metrics: metrics({ ...HEALTHY, costBedrockNanos: 5_000_000, costLambdaNanos: 5_000_000 }) }))).not.toContain('AI_COST_SHARE');
  });

  it('suggests gray-zone mode above 0.5 AI calls per order', () => {
    const found = recommend({ metrics: metrics({ ...HEALTHY, aiCalls: 83 }) });
    expect(only(found, 'AI_CALLS_PER_ORDER')).toMatchObject({ figure: 0.83, threshold: 0.5 });
    expect(only(found, 'AI_CALLS_PER_ORDER').message).toContain('set AI_MODE=gray-zone');
    expect(codes(recommend({ metrics: metrics({ ...HEALTHY, aiCalls: 50 }) }))).not.toContain('AI_CALLS_PER_ORDER');
  });

  it('counts reviewed and pending orders in the review rate', () => {
    const found = recommend({ metrics: metrics({ ...HEALTHY, pendingReview: 4, reviewedApproved: 6, reviewedRejected: 2, approved: 81, rejected: 15 }) });
    expect(only(found, 'REVIEW_RATE')).toMatchObject({ figure: 12, threshold: 10 });
    expect(only(found, 'REVIEW_RATE').message).toBe(
      '12% of orders needed a person (12 of 100; 4 still pending), above 10%: review the gray-zone band and the signals that send most orders to review.',
    );
    expect(codes(recommend({ metrics: metrics({ ...HEALTHY, pendingReview: 10 }) }))).not.toContain('REVIEW_RATE');
  });

  it('flags cost per order up more than 20% versus the previous period', () => {
    const previous = metrics(HEALTHY, PREVIOUS_RANGE); // $0.0001 per order
    const found = recommend({ metrics: metrics({ ...HEALTHY, costTotalNanos: 12_500_000, costLambdaNanos: 10_500_000 }), previous });
    expect(only(found, 'COST_PER_ORDER_TREND')).toEqual({
      code: 'COST_PER_ORDER_TREND',
      figure: 25,
      threshold: 20,
      message: 'Cost per order rose 25% ($0.0001 to $0.000125) versus 2026-02-22..2026-02-28, above 20%: check the AI call rate, the model and Lambda duration.',
    });
    expect(codes(recommend({ metrics: metrics({ ...HEALTHY, costTotalNanos: 12_000_000 }), previous }))).not.toContain('COST_PER_ORDER_TREND');
    // no trend without a previous period with orders
    expect(codes(recommend({ metrics: metrics({ ...HEALTHY, costTotalNanos: 99_000_000 }), previous: metrics({}, PREVIOUS_RANGE) }))).not.toContain(
      'COST_PER_ORDER_TREND',
    );
  });

  it('warns when the blocked value is below the screening cost, and says nothing in between', () => {
    // $0.50 blocked for $1 of processing
    const cheapFraud = recommend({ metrics: metrics({ ...HEALTHY, costTotalNanos: 1_000_000_000, costLambdaNanos: 998_000_000, amountRejectedCents: 50 }) });
    expect(only(cheapFraud, 'FRAUD_BLOCKED_BELOW_SCREENING_COST')).toMatchObject({ figure: 0.5, threshold: 1 });
    // $0.05 blocked for $0.01: 5 times
    const between = recommend({ metrics: metrics({ ...HEALTHY, amountRejectedCents: 5 }) });
    expect(codes(between).filter((code) => code.startsWith('FRAUD'))).toEqual([]);
    // nothing rejected: no claim either way
    const none = recommend({ metrics: metrics({ ...HEALTHY, rejected: 0, approved: 95, amountRejectedCents: 0 }) });
    expect(codes(none).filter((code) => code.startsWith('FRAUD'))).toEqual([]);
  });

  it('suggests less Lambda memory when requests bill under 50 ms, counting validation failures and reviews', () => {
    // 4,000 ms over 100 orders + 2 validation errors + 3 reviews = 38.1 ms
    const found = recommend({ metrics: metrics({ ...HEALTHY, lambdaBilledMs: 4_000, reviewedApproved: 3 }), lambdaMemoryMb: 1024 });
    expect(only(found, 'LAMBDA_MEMORY')).toEqual({
      code: 'LAMBDA_MEMORY',
      figure: 38.1,
      threshold: 50,
      message: 'Lambda bills 38.1 ms per request on average at 1024 MB, under 50 ms: try less memory (duration x memory is what is billed) and compare the measured duration.',
    });
    expect(only(recommend({ metrics: metrics({ ...HEALTHY, lambdaBilledMs: 4_000 }) }), 'LAMBDA_MEMORY').message).toContain('at the configured memory');
    // nothing to save at the minimum size
    expect(codes(recommend({ metrics: metrics({ ...HEALTHY, lambdaBilledMs: 4_000 }), lambdaMemoryMb: 128 }))).not.toContain('LAMBDA_MEMORY');
  });

  it('flags validation errors above 5% of requests, even without orders', () => {
    const found = recommend({ metrics: metrics({ ...HEALTHY, validationErrors: 25 }) });
    expect(only(found, 'VALIDATION_ERROR_RATE')).toMatchObject({ figure: 20, threshold: 5 });
    const onlyErrors = recommend({ metrics: metrics({ validationErrors: 3, costTotalNanos: 300, costLambdaNanos: 300, lambdaBilledMs: 600 }) });
    expect(codes(onlyErrors)).toEqual(['VALIDATION_ERROR_RATE']);
    expect(only(onlyErrors, 'VALIDATION_ERROR_RATE').figure).toBe(100);
  });

  it('flags an estimate off by more than 10% from the bill, either way, only when the bill is known', () => {
    expect(only(recommend({ metrics: metrics(HEALTHY), actualComparableCost: 0.0125 }), 'ESTIMATE_VARIANCE')).toMatchObject({ figure: 25, threshold: 10 });
    const under = only(recommend({ metrics: metrics(HEALTHY), actualComparableCost: 0.0085 }), 'ESTIMATE_VARIANCE');
    expect(under.figure).toBe(-15);
    expect(under.message).toContain('by -15%');
    expect(codes(recommend({ metrics: metrics(HEALTHY), actualComparableCost: 0.011 }))).not.toContain('ESTIMATE_VARIANCE');
    expect(codes(recommend({ metrics: metrics(HEALTHY), actualComparableCost: null }))).not.toContain('ESTIMATE_VARIANCE');
  });

  it('keeps every threshold in one table', () => {
    expect(RECOMMENDATION_THRESHOLDS).toEqual({
      aiCostSharePercent: 50,
      aiCallsPerOrder: 0.5,
      reviewRatePercent: 10,
      costPerOrderIncreasePercent: 20,
      fraudValueMultiple: 10,
      fraudValueBreakEven: 1,
      lambdaBilledMsPerRequest: 50,
      validationErrorRatePercent: 5,
      estimateVariancePercent: 10,
    });
  });
});

describe('formatDollars', () => {
  it('writes plain decimals to the nano-dollar', () => {
    expect(formatDollars(0.0000005)).toBe('$0.0000005');
    expect(formatDollars(4250.5)).toBe('$4,250.50');
    expect(formatDollars(17500)).toBe('$17,500.00');
    expect(formatDollars(10)).toBe('$10.00');
    expect(formatDollars(0)).toBe('$0');
    expect(formatDollars(-2.5)).toBe('-$2.50');
    expect(formatDollars(0.000039578)).toBe('$0.0000396');
    expect(formatDollars(0.000283426)).toBe('$0.000283');
  });
});
