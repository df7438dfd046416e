import { BadRequestException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import { CostExportError } from '../adapters/focus-file/focus-file-cost-source.js';
import { addDays, dateRange, DateRangeError, previousPeriod, resolveDateRange, utcToday, type DateRange, type DateRangeInput } from '../domain/date-range.js';
import { forecastMonthlyCost, type ForecastResult } from '../domain/forecast.js';
import { aggregateMetrics, dailyCostSeries, type FinOpsMetrics } from '../domain/metrics.js';
import { buildReport, type FinOpsReport } from '../domain/report.js';
import { ANALYTICS_STORE, type AnalyticsStore } from '../ports/analytics-store.js';
import { COST_SOURCE, unavailableCosts, type ActualCosts, type CostSource } from '../ports/cost-source.js';
import { LAMBDA_MEMORY_MB } from './finops.tokens.js';

/** Metrics and actual costs default to the last 7 days (today included); the report to yesterday. */
const DEFAULT_RANGE_DAYS = 7;
/** The forecast learns from up to eight weeks of whole days (today is not over yet). */
const FORECAST_HISTORY_DAYS = 56;

/**
 * The FinOps use cases: each reads the daily rollups of its range (O(days), never the orders),
 * and hands them to the pure domain (metrics, forecast, report).
 */
@Injectable()
export class FinopsService {
  constructor(
    @Inject(ANALYTICS_STORE) private readonly store: AnalyticsStore,
    @Inject(COST_SOURCE) private readonly costSource: CostSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LAMBDA_MEMORY_MB) private readonly lambdaMemoryMb: number | null,
  ) {}

  async metrics(query: DateRangeInput): Promise<FinOpsMetrics> {
    const range = this.range(query, { defaultDays: DEFAULT_RANGE_DAYS });
    return aggregateMetrics(range, await this.store.getRollups(range.startDate, range.endDate));
  }

  async costs(query: DateRangeInput): Promise<ActualCosts> {
    const range = this.range(query, { defaultDays: DEFAULT_RANGE_DAYS });
    try {
      return await this.costSource.actualCosts(range);
    } catch (error) {
      // A broken export is an operator's problem to fix, not a number to guess.
      if (error instanceof CostExportError) throw new ServiceUnavailableException(`actual costs unavailable: ${error.message}`);
      throw error;
    }
  }

  async forecast(): Promise<ForecastResult> {
    const yesterday = addDays(utcToday(this.clock()), -1);
    const history = dateRange(addDays(yesterday, -(FORECAST_HISTORY_DAYS - 1)), yesterday);
    return forecastMonthlyCost(dailyCostSeries(history, await this.store.getRollups(history.startDate, history.endDate)));
  }

  async report(query: DateRangeInput): Promise<FinOpsReport> {
    const range = this.range(query, { defaultDays: 1, endsYesterday: true });
    const previous = previousPeriod(range);
    // One read covers the period and the one before it.
    const rollups = await this.store.getRollups(previous.startDate, range.endDate);
    const [actual, forecast] = await Promise.all([this.actualOrUnavailable(range), this.forecast()]);
    return buildReport({
      range,
      metrics: aggregateMetrics(range, rollups),
      previous: aggregateMetrics(previous, rollups),
      actual,
      forecast,
      lambdaMemoryMb: this.lambdaMemoryMb,
    });
  }

  /** In the report, an unreadable export makes the actual side unavailable rather than failing the report. */
  private async actualOrUnavailable(range: DateRange): Promise<ActualCosts> {
    try {
      return await this.costSource.actualCosts(range);
    } catch (error) {
      if (error instanceof CostExportError) return unavailableCosts(range, error.message);
      throw error;
    }
  }

  private range(query: DateRangeInput, defaults: { defaultDays: number; endsYesterday?: boolean }): DateRange {
    try {
      return resolveDateRange(query, { today: utcToday(this.clock()), ...defaults });
    } catch (error) {
      if (error instanceof DateRangeError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
