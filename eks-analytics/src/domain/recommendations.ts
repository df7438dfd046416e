import { formatDollars as dollars, formatFigure } from './metrics.js';
import type { FinOpsMetrics } from './metrics.js';
import { percentChange, roundPercent, variancePercent } from './trends.js';

/**
 * Recommendations computed from the data only. Each states the figure that triggered it and the
 * threshold it crossed, in the same unit (the unit is in each rule's comment). A rule whose
 * denominator is zero stays silent, so an empty range gives no recommendations: the report's zero
 * counts already say there was nothing, and an empty list never pretends to be a finding.
 */
export interface Recommendation {
  code: RecommendationCode;
  message: string;
  figure: number;
  threshold: number;
}

export const RECOMMENDATION_CODES = [
  'AI_COST_SHARE',
  'AI_CALLS_PER_ORDER',
  'REVIEW_RATE',
  'COST_PER_ORDER_TREND',
  'FRAUD_BLOCKED_PAYS_FOR_SCREENING',
  'FRAUD_BLOCKED_BELOW_SCREENING_COST',
  'LAMBDA_MEMORY',
  'VALIDATION_ERROR_RATE',
  'ESTIMATE_VARIANCE',
] as const;
export type RecommendationCode = (typeof RECOMMENDATION_CODES)[number];

/** Every threshold in one place. */
export const RECOMMENDATION_THRESHOLDS = {
  /** Percent of total processing cost spent on Bedrock. */
  aiCostSharePercent: 50,
  /** AI calls per screened order (gray-zone mode calls the model only for the review band). */
  aiCallsPerOrder: 0.5,
  /** Percent of screened orders sent to a person (still pending or already reviewed). */
  reviewRatePercent: 10,
  /** Percent increase of cost per order over the previous period of equal length. */
  costPerOrderIncreasePercent: 20,
  /** Blocked fraud value as a multiple of the processing cost, above which screening clearly pays. */
  fraudValueMultiple: 10,
  /** Below this multiple (with orders rejected) screening cost more than the fraud it blocked. */
  fraudValueBreakEven: 1,
  /** Average billed Lambda milliseconds per request under which less memory is worth a try. */
  lambdaBilledMsPerRequest: 50,
  /** Percent of requests refused by validation. */
  validationErrorRatePercent: 5,
  /** Absolute percent difference between the actual bill and the estimate. */
  estimateVariancePercent: 10,
} as const;

/** The smallest Lambda memory size: nothing to save below it. */
const LAMBDA_MIN_MEMORY_MB = 128;

export interface RecommendationInput {
  metrics: FinOpsMetrics;
  /** The previous period of equal length, for trends. */
  previous?: FinOpsMetrics | null;
  /** The actual cost of the services the estimate covers (see report.ts), null when unknown. */
  actualComparableCost?: number | null;
  /** The Lambda memory configured for the order function, when known (for the message). */
  lambdaMemoryMb?: number | null;
}

const T = RECOMMENDATION_THRESHOLDS;

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

type Rule = (input: RecommendationInput) => Recommendation | null;

const aiCostShare: Rule = ({ metrics }) => {
  if (metrics.totalProcessingCost <= 0) return null;
  const share = roundPercent((metrics.bedrockCost / metrics.totalProcessingCost) * 100);
  if (share <= T.aiCostSharePercent) return null;
  return {
    code: 'AI_COST_SHARE',
    figure: share,
    threshold: T.aiCostSharePercent,
    message:
      `Bedrock is ${share}% of the processing cost (${dollars(metrics.bedrockCost)} of ${dollars(metrics.totalProcessingCost)}), above ${T.aiCostSharePercent}%: ` +
      'use the cheapest adequate model (amazon.nova-micro-v1:0) and call the AI only for gray-zone orders (AI_MODE=gray-zone).',
  };
};

const aiCallsPerOrder: Rule = ({ metrics }) => {
  if (metrics.totalOrders === 0) return null;
  const perOrder = round(metrics.aiCalls / metrics.totalOrders, 2);
  if (perOrder <= T.aiCallsPerOrder) return null;
  return {
    code: 'AI_CALLS_PER_ORDER',
    figure: perOrder,
    threshold: T.aiCallsPerOrder,
    message:
      `${perOrder} AI calls per order (${metrics.aiCalls} calls for ${metrics.totalOrders} orders), above ${T.aiCallsPerOrder}: ` +
      'set AI_MODE=gray-zone so only orders the rules cannot decide reach the model.',
  };
};

const reviewRate: Rule = ({ metrics }) => {
  if (metrics.totalOrders === 0) return null;
  const sentToReview = metrics.pendingReviewOrders + metrics.reviewedOrders;
  const rate = roundPercent((sentToReview / metrics.totalOrders) * 100);
  if (rate <= T.reviewRatePercent) return null;
  return {
    code: 'REVIEW_RATE',
    figure: rate,
    threshold: T.reviewRatePercent,
    message:
      `${rate}% of orders needed a person (${sentToReview} of ${metrics.totalOrders}; ${metrics.pendingReviewOrders} still pending), above ${T.reviewRatePercent}%: ` +
      'review the gray-zone band and the signals that send most orders to review.',
  };
};

const costPerOrderTrend: Rule = ({ metrics, previous }) => {
  if (!previous || metrics.costPerOrder === null || previous.costPerOrder === null) return null;
  const change = percentChange(metrics.costPerOrder, previous.costPerOrder);
  if (change === null || change <= T.costPerOrderIncreasePercent) return null;
  return {
    code: 'COST_PER_ORDER_TREND',
    figure: change,
    threshold: T.costPerOrderIncreasePercent,
    message:
      `Cost per order rose ${change}% (${dollars(previous.costPerOrder)} to ${dollars(metrics.costPerOrder)}) versus ${previous.startDate}..${previous.endDate}, ` +
      `above ${T.costPerOrderIncreasePercent}%: check the AI call rate, the model and Lambda duration.`,
  };
};

const fraudValueVersusCost: Rule = ({ metrics }) => {
  if (metrics.totalProcessingCost <= 0 || metrics.rejectedOrders === 0) return null;
  const multiple = round(metrics.blockedFraudAmount / metrics.totalProcessingCost, 1);
  if (multiple >= T.fraudValueMultiple) {
    return {
      code: 'FRAUD_BLOCKED_PAYS_FOR_SCREENING',
      figure: multiple,
      threshold: T.fraudValueMultiple,
      message:
        `Screening blocked ${dollars(metrics.blockedFraudAmount)} of orders (${metrics.rejectedOrders} rejected), ${formatFigure(multiple)} times its processing cost of ` +
        `${dollars(metrics.totalProcessingCost)}: the screening pays for itself.`,
    };
  }
  if (multiple < T.fraudValueBreakEven) {
    return {
      code: 'FRAUD_BLOCKED_BELOW_SCREENING_COST',
      figure: multiple,
      threshold: T.fraudValueBreakEven,
      message:
        `Blocked order value (${dollars(metrics.blockedFraudAmount)}) is only ${formatFigure(multiple)} times the processing cost (${dollars(metrics.totalProcessingCost)}): ` +
        'screening costs more than the fraud it stopped; use the AI less (AI_MODE=gray-zone) or a cheaper model.',
    };
  }
  return null;
};

const lambdaMemory: Rule = ({ metrics, lambdaMemoryMb }) => {
  // Every request the function billed: screened orders, validation failures and reviews.
  const requests = metrics.totalOrders + metrics.validationErrors + metrics.reviewedOrders;
  if (requests === 0 || metrics.lambdaBilledMs === 0) return null;
  const memoryMb = lambdaMemoryMb ?? null;
  if (memoryMb !== null && memoryMb <= LAMBDA_MIN_MEMORY_MB) return null;
  const average = round(metrics.lambdaBilledMs / requests, 1);
  if (average >= T.lambdaBilledMsPerRequest) return null;
  const memory = memoryMb === null ? 'the configured memory' : `${memoryMb} MB`;
  return {
    code: 'LAMBDA_MEMORY',
    figure: average,
    threshold: T.lambdaBilledMsPerRequest,
    message:
      `Lambda bills ${average} ms per request on average at ${memory}, under ${T.lambdaBilledMsPerRequest} ms: ` +
      'try less memory (duration x memory is what is billed) and compare the measured duration.',
  };
};

const validationErrorRate: Rule = ({ metrics }) => {
  const requests = metrics.totalOrders + metrics.validationErrors;
  if (requests === 0) return null;
  const rate = roundPercent((metrics.validationErrors / requests) * 100);
  if (rate <= T.validationErrorRatePercent) return null;
  return {
    code: 'VALIDATION_ERROR_RATE',
    figure: rate,
    threshold: T.validationErrorRatePercent,
    message:
      `${rate}% of requests failed validation (${metrics.validationErrors} of ${requests}), above ${T.validationErrorRatePercent}%: ` +
      'fix the clients sending them; each one is still processed and billed.',
  };
};

const estimateVariance: Rule = ({ metrics, actualComparableCost }) => {
  const variance = variancePercent(metrics.totalProcessingCost, actualComparableCost ?? null);
  if (variance === null || Math.abs(variance) <= T.estimateVariancePercent) return null;
  return {
    code: 'ESTIMATE_VARIANCE',
    figure: variance,
    threshold: T.estimateVariancePercent,
    message:
      `The bill (${dollars(actualComparableCost ?? 0)}) differs from the estimate (${dollars(metrics.totalProcessingCost)}) by ${variance > 0 ? '+' : ''}${variance}%, ` +
      `beyond ±${T.estimateVariancePercent}%: check the price catalog and usage the estimate does not meter (storage, logs, free tier).`,
  };
};

const RULES: readonly Rule[] = [
  aiCostShare,
  aiCallsPerOrder,
  reviewRate,
  costPerOrderTrend,
  fraudValueVersusCost,
  lambdaMemory,
  validationErrorRate,
  estimateVariance,
];

export function recommend(input: RecommendationInput): Recommendation[] {
  return RULES.map((rule) => rule(input)).filter((found): found is Recommendation => found !== null);
}
