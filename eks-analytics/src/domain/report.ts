import { nanosToDollars } from '@orderops/lambda-order-processor/domain/costs/money';

import { ACTUAL_COST_FIELDS, type ActualCostFigures, type ActualCosts, type CostSourceName } from '../ports/cost-source.js';
import { isWholeCalendarMonth } from './date-range.js';
import type { DateRange } from './date-range.js';
import type { ForecastResult } from './forecast.js';
import type { FinOpsMetrics } from './metrics.js';
import { recommend } from './recommendations.js';
import type { Recommendation } from './recommendations.js';
import { percentChange, variancePercent } from './trends.js';

export type ReportPeriod = 'Daily' | 'Weekly' | 'Monthly' | 'Custom';

export interface PreviousPeriodSummary {
  startDate: string;
  endDate: string;
  totalOrders: number;
  totalProcessingCost: number;
  costPerOrder: number | null;
}

/** The FinOps report: every metrics field, actual costs, trends, forecast and recommendations. */
export interface FinOpsReport extends FinOpsMetrics, ActualCostFigures {
  /** The last day the report covers (= endDate). */
  reportDate: string;
  period: ReportPeriod;
  days: number;
  costSource: CostSourceName;
  /** Why actual costs are unavailable (or a note from the source), else null. */
  costSourceReason: string | null;
  /**
   * Actual cost of the seven services the per-order estimate covers (actualTotalCost without
   * actualOtherCost): what the variance compares the estimate with, so that costs the estimate does
   * not model (the analytics cluster, data transfer, tax) do not read as estimation error.
   */
  actualComparableCost: number | null;
  actualCostByService: Record<string, number>;
  /** (actualComparableCost - totalProcessingCost) / totalProcessingCost x 100, one decimal; null when either is unknown or zero estimate. */
  estimatedVsActualVariance: number | null;
  /** Percent change of totalProcessingCost versus the previous period of equal length; null when that had no cost. */
  costTrend: number | null;
  /** Percent change of totalOrders versus the previous period; null when that had no orders. */
  orderTrend: number | null;
  previousPeriod: PreviousPeriodSummary;
  /** Cost of the next 30 days, dollars; null when there is no forecast (forecast.reason says why). */
  forecastedMonthlyCost: number | null;
  forecast: ForecastResult;
  recommendations: Recommendation[];
  /** The recommendation messages (the original system's field name). */
  optimizationRecommendations: string[];
}

export interface ReportInput {
  range: DateRange;
  metrics: FinOpsMetrics;
  /** Metrics of previousPeriod(range). */
  previous: FinOpsMetrics;
  actual: ActualCosts;
  forecast: ForecastResult;
  /** Configured Lambda memory of the order function, for the memory recommendation. */
  lambdaMemoryMb?: number | null;
}

const WEEK_DAYS = 7;

export function periodLabel(range: DateRange): ReportPeriod {
  if (range.days === 1) return 'Daily';
  if (range.days === WEEK_DAYS) return 'Weekly';
  if (isWholeCalendarMonth(range)) return 'Monthly';
  return 'Custom';
}

/** The services the estimate models: actual costs outside them (actualOtherCost) have nothing to compare with. */
const COMPARABLE_FIELDS = ACTUAL_COST_FIELDS.filter((field) => field !== 'actualOtherCost');

/** Sum of the covered services, rounded back to the nano-dollar (each field is a nano-dollar amount). */
export function comparableActualCost(actual: ActualCosts): number | null {
  let nanos = 0;
  for (const field of COMPARABLE_FIELDS) {
    const value = actual[field];
    if (value === null) return null;
    nanos += Math.round(value * 1e9);
  }
  return nanosToDollars(nanos);
}

export function buildReport(input: ReportInput): FinOpsReport {
  const { range, metrics, previous, actual, forecast } = input;
  if (metrics.startDate !== range.startDate || metrics.endDate !== range.endDate) {
    throw new Error(`metrics cover ${metrics.startDate}..${metrics.endDate}, not the report range ${range.startDate}..${range.endDate}`);
  }
  const actualComparableCost = comparableActualCost(actual);
  const recommendations = recommend({ metrics, previous, actualComparableCost, lambdaMemoryMb: input.lambdaMemoryMb ?? null });
  return {
    reportDate: range.endDate,
    period: periodLabel(range),
    days: range.days,
    ...metrics,
    costSource: actual.source,
    costSourceReason: actual.reason ?? null,
    actualLambdaCost: actual.actualLambdaCost,
    actualBedrockCost: actual.actualBedrockCost,
    actualDynamoDbCost: actual.actualDynamoDbCost,
    actualS3Cost: actual.actualS3Cost,
    actualSnsCost: actual.actualSnsCost,
    actualApiGatewayCost: actual.actualApiGatewayCost,
    actualCloudWatchCost: actual.actualCloudWatchCost,
    actualOtherCost: actual.actualOtherCost,
    actualTotalCost: actual.actualTotalCost,
    actualComparableCost,
    actualCostByService: actual.byService,
    estimatedVsActualVariance: variancePercent(metrics.totalProcessingCost, actualComparableCost),
    costTrend: percentChange(metrics.totalProcessingCost, previous.totalProcessingCost),
    orderTrend: percentChange(metrics.totalOrders, previous.totalOrders),
    previousPeriod: {
      startDate: previous.startDate,
      endDate: previous.endDate,
      totalOrders: previous.totalOrders,
      totalProcessingCost: previous.totalProcessingCost,
      costPerOrder: previous.costPerOrder,
    },
    forecastedMonthlyCost: forecast.forecastedMonthlyCost,
    forecast,
    recommendations,
    optimizationRecommendations: recommendations.map((r) => r.message),
  };
}
