import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import type { ForecastResult } from '../../domain/forecast.js';
import type { DailyMetrics, FinOpsMetrics, ServiceCosts } from '../../domain/metrics.js';
import { RECOMMENDATION_CODES, type Recommendation, type RecommendationCode } from '../../domain/recommendations.js';
import type { FinOpsReport, PreviousPeriodSummary, ReportPeriod } from '../../domain/report.js';
import type { ActualCostFigures, ActualCosts, CostSourceName } from '../../ports/cost-source.js';

// The response classes document the API (OpenAPI) and implement the domain types, so a field
// the domain adds or renames fails the build until it is documented here.

const DOLLARS = 'US dollars (estimated from measured usage x catalog prices; exact sums of nano-dollars)';

/** Estimated processing cost by service (SPEC section 6 names), dollars. */
export class ServiceCostsResponse implements ServiceCosts {
  @ApiProperty() bedrockCost!: number;
  @ApiProperty() lambdaCost!: number;
  @ApiProperty() dynamoDbCost!: number;
  @ApiProperty() s3Cost!: number;
  @ApiProperty() snsCost!: number;
  @ApiProperty() apiGatewayCost!: number;
  @ApiProperty() cloudwatchCost!: number;
}

export class DailyMetricsResponse extends ServiceCostsResponse implements DailyMetrics {
  @ApiProperty({ example: '2026-11-24' }) day!: string;
  @ApiProperty() totalOrders!: number;
  @ApiProperty() approvedOrders!: number;
  @ApiProperty() rejectedOrders!: number;
  @ApiProperty() pendingReviewOrders!: number;
  @ApiProperty() validationErrors!: number;
  @ApiProperty({ description: DOLLARS }) totalProcessingCost!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Cost per screened order; null without orders.' }) costPerOrder!: number | null;
}

export class FinOpsMetricsResponse extends ServiceCostsResponse implements FinOpsMetrics {
  @ApiProperty({ example: '2026-11-18' }) startDate!: string;
  @ApiProperty({ example: '2026-11-24' }) endDate!: string;
  @ApiProperty() totalOrders!: number;
  @ApiProperty() approvedOrders!: number;
  @ApiProperty() rejectedOrders!: number;
  @ApiProperty() pendingReviewOrders!: number;
  @ApiProperty({ description: 'Requests refused by validation (counted and priced, not stored as orders).' }) validationErrors!: number;
  @ApiProperty({ description: 'Pending orders settled by a reviewer.' }) reviewedOrders!: number;
  @ApiProperty({ description: DOLLARS }) totalProcessingCost!: number;
  @ApiProperty({ description: 'Input plus output tokens reported by the AI provider.' }) totalBedrockTokens!: number;
  @ApiProperty() aiCalls!: number;
  @ApiProperty({ description: 'AI calls that failed and fell back to the rules decision.' }) aiFallbacks!: number;
  @ApiProperty({ description: 'Billed Lambda milliseconds of every request (orders, validation failures, reviews).' }) lambdaBilledMs!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'totalProcessingCost / totalOrders (the numerator includes validation failures and reviews); null without orders.' })
  costPerOrder!: number | null;
  @ApiProperty({ description: 'Sum of the values of rejected orders, dollars.' }) blockedFraudAmount!: number;
  @ApiProperty({ type: [Number], description: 'Orders per score bucket 0..10 (floor of the score).' }) scoreDistribution!: number[];
  @ApiProperty({ type: [DailyMetricsResponse], description: 'One entry per day of the range, days without orders included.' })
  daily!: DailyMetricsResponse[];
}

/** Actual cost by service, dollars; null when the cost source is unavailable (never invented). */
export class ActualCostFiguresResponse implements ActualCostFigures {
  @ApiProperty({ nullable: true, type: Number }) actualLambdaCost!: number | null;
  @ApiProperty({ nullable: true, type: Number }) actualBedrockCost!: number | null;
  @ApiProperty({ nullable: true, type: Number }) actualDynamoDbCost!: number | null;
  @ApiProperty({ nullable: true, type: Number }) actualS3Cost!: number | null;
  @ApiProperty({ nullable: true, type: Number }) actualSnsCost!: number | null;
  @ApiProperty({ nullable: true, type: Number }) actualApiGatewayCost!: number | null;
  @ApiProperty({ nullable: true, type: Number }) actualCloudWatchCost!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Services outside the order path.' }) actualOtherCost!: number | null;
  @ApiProperty({ nullable: true, type: Number }) actualTotalCost!: number | null;
}

export class ActualCostsResponse extends ActualCostFiguresResponse implements ActualCosts {
  @ApiProperty({ enum: ['focus-file', 'cost-explorer', 'unavailable'] }) source!: CostSourceName;
  @ApiProperty({ enum: ['USD'] }) currency!: 'USD';
  @ApiProperty() startDate!: string;
  @ApiProperty() endDate!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Billed cost by service name as billed.' })
  byService!: Record<string, number>;
  @ApiPropertyOptional({ description: 'Why actual costs are unavailable.' }) reason?: string;
  @ApiPropertyOptional({ example: '2026-11-25T09:00:00.000Z', description: 'When the source produced these figures (Cost Explorer answers are cached, 6 hours by default: each request costs $0.01).' })
  cachedAt?: string;
  @ApiPropertyOptional({ example: 120, description: 'Seconds since cachedAt.' }) cacheAgeSeconds?: number;
}

/** The forecast, or no forecast with the reason (fewer than 7 days of history). */
export class ForecastResponse {
  @ApiProperty({ nullable: true, type: Number, description: 'Cost of the next 30 days, dollars; null when history is too short.' })
  forecastedMonthlyCost!: number | null;
  @ApiPropertyOptional({ description: 'Lower bound of the 80% prediction interval.' }) lower80?: number;
  @ApiPropertyOptional({ description: 'Upper bound of the 80% prediction interval.' }) upper80?: number;
  @ApiPropertyOptional({ enum: ['seasonal-trend', 'seasonal-level', 'linear-trend', 'level', 'cost-explorer'], description: 'How the forecast was computed.' })
  method?: string;
  @ApiPropertyOptional({ description: 'The method in words, with the figures it used.' }) description?: string;
  @ApiPropertyOptional() horizonStartDate?: string;
  @ApiPropertyOptional() horizonEndDate?: string;
  @ApiPropertyOptional() horizonDays?: number;
  @ApiProperty({ description: 'Days of history the forecast used.' }) historyDays!: number;
  @ApiPropertyOptional() forecastedOrders?: number;
  @ApiPropertyOptional({ description: 'Measured cost per order used, dollars.' }) unitCost?: number;
  @ApiPropertyOptional({ description: 'Why there is no forecast.' }) reason?: string;
}

export class RecommendationResponse implements Recommendation {
  @ApiProperty({ enum: RECOMMENDATION_CODES }) code!: RecommendationCode;
  @ApiProperty() message!: string;
  @ApiProperty({ description: 'The figure that triggered the recommendation.' }) figure!: number;
  @ApiProperty({ description: 'The threshold it crossed.' }) threshold!: number;
}

export class PreviousPeriodResponse implements PreviousPeriodSummary {
  @ApiProperty() startDate!: string;
  @ApiProperty() endDate!: string;
  @ApiProperty() totalOrders!: number;
  @ApiProperty() totalProcessingCost!: number;
  @ApiProperty({ nullable: true, type: Number }) costPerOrder!: number | null;
}

export class FinOpsReportResponse extends IntersectionType(FinOpsMetricsResponse, ActualCostFiguresResponse) implements FinOpsReport {
  @ApiProperty({ example: '2026-11-24' }) reportDate!: string;
  @ApiProperty({ enum: ['Daily', 'Weekly', 'Monthly', 'Custom'] }) period!: ReportPeriod;
  @ApiProperty() days!: number;
  @ApiProperty({ enum: ['focus-file', 'cost-explorer', 'unavailable'] }) costSource!: CostSourceName;
  @ApiProperty({ nullable: true, type: String, description: 'Why actual costs are unavailable, or a note from the source.' }) costSourceReason!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Actual cost of the seven services the estimate covers: what the variance compares.' })
  actualComparableCost!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) actualCostByService!: Record<string, number>;
  @ApiProperty({ nullable: true, type: Number, description: '(actual - estimated) / estimated x 100; null when actual costs are unavailable.' })
  estimatedVsActualVariance!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Percent change of total cost versus the previous period of equal length.' })
  costTrend!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Percent change of orders versus the previous period of equal length.' })
  orderTrend!: number | null;
  @ApiProperty({ type: PreviousPeriodResponse }) previousPeriod!: PreviousPeriodResponse;
  @ApiProperty({ nullable: true, type: Number }) forecastedMonthlyCost!: number | null;
  @ApiProperty({ type: ForecastResponse }) forecast!: ForecastResult;
  @ApiProperty({ type: [RecommendationResponse] }) recommendations!: RecommendationResponse[];
  @ApiProperty({ type: [String], description: 'The recommendation messages (the original system field).' }) optimizationRecommendations!: string[];
}
