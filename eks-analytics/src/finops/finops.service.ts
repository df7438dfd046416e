import { BadRequestException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import { CostExplorerError } from '../adapters/cost-explorer/cost-explorer-cost-source.js';
import { CostExportError } from '../adapters/focus-file/focus-file-cost-source.js';
import { addDays, dateRange, DateRangeError, previousPeriod, resolveDateRange, utcToday, type DateRange, type DateRangeInput } from '../domain/date-range.js';
import { FORECAST_HORIZON_DAYS, forecastMonthlyCost, type ForecastResult } from '../domain/forecast.js';
import { aggregateMetrics, dailyCostSeries, formatDollars, type FinOpsMetrics } from '../domain/metrics.js';
import { buildReport, type FinOpsReport } from '../domain/report.js';
import { ANALYTICS_STORE, type AnalyticsStore } from '../ports/analytics-store.js';
import { COST_SOURCE, unavailableCosts, type ActualCosts, type BillingForecast, type CostSource } from '../ports/cost-source.js';
import { LAMBDA_MEMORY_MB } from './finops.tokens.js';

/** Errors of a cost source that mean "unavailable" (an operator's problem), not a bug. */
function isCostSourceError(error: unknown): error is CostExportError | CostExplorerError {
  return error instanceof CostExportError || error instanceof CostExplorerError;
}

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
      // A broken export, or Cost Explorer refusing (throttling, access), is an operator's problem to fix, not a number to guess.
      if (isCostSourceError(error)) throw new ServiceUnavailableException(`actual costs unavailable: ${error.message}`);
      throw error;
    }
  }

  /**
   * The cost source's billing forecast (Cost Explorer) when it has one, else the forecast computed
   * from the daily series. The billing forecast keeps the computed orders and cost per order beside
   * it; without an orders forecast it is only named in the reason. A failing billing forecast falls
   * back to the computed one and says why.
   */
  async forecast(): Promise<ForecastResult> {
    const yesterday = addDays(utcToday(this.clock()), -1);
    const history = dateRange(addDays(yesterday, -(FORECAST_HISTORY_DAYS - 1)), yesterday);
    const horizon = dateRange(addDays(yesterday, 1), addDays(yesterday, FORECAST_HORIZON_DAYS));
    const [computed, billing] = await Promise.all([
      this.store.getRollups(history.startDate, history.endDate).then((rollups) => forecastMonthlyCost(dailyCostSeries(history, rollups))),
      this.billingForecast(horizon),
    ]);
    if (typeof billing === 'string') {
      const note = `Cost Explorer's forecast is unavailable (${billing})`;
      return computed.forecastedMonthlyCost === null ? { ...computed, reason: `${computed.reason}; ${note}` } : { ...computed, description: `${computed.description}; ${note}` };
    }
    if (billing === null) return computed;
    const figures = `${formatDollars(billing.forecastedCost)} (80% interval ${formatDollars(billing.lower80)} to ${formatDollars(billing.upper80)})`;
    const asOf = `as of ${billing.cachedAt}`;
    if (computed.forecastedMonthlyCost === null) {
      return { ...computed, reason: `${computed.reason} for an orders forecast; Cost Explorer forecasts ${figures} for ${billing.startDate} to ${billing.endDate}, ${asOf}` };
    }
    return {
      ...computed,
      forecastedMonthlyCost: billing.forecastedCost,
      lower80: billing.lower80,
      upper80: billing.upper80,
      method: 'cost-explorer',
      description:
        `Cost Explorer's forecast of the tagged cost, ${asOf}; orders and cost per order from the daily series ` +
        `(${computed.method}: ${formatDollars(computed.forecastedMonthlyCost)} for the order path)`,
      horizonStartDate: billing.startDate,
      horizonEndDate: billing.endDate,
    };
  }

  /** The source's billing forecast, null when it has none, or why it failed. */
  private async billingForecast(horizon: DateRange): Promise<BillingForecast | null | string> {
    if (!this.costSource.forecast) return null;
    try {
      return await this.costSource.forecast(horizon);
    } catch (error) {
      if (isCostSourceError(error)) return error.message;
      throw error;
    }
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
      if (isCostSourceError(error)) return unavailableCosts(range, error.message);
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
