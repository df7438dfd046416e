import { nanosToDollars } from '@orderops/lambda-order-processor/domain/costs/money';

import { addDays } from './date-range.js';
import { formatDollars } from './metrics.js';
import type { DailyCostPoint } from './metrics.js';

/**
 * The cost of the next 30 days, forecast from the daily series when no billing forecast (Cost
 * Explorer) is available: forecast orders per day, times the measured cost per order.
 *
 * History. The series has one entry per day, oldest first, days without orders as zeros. History
 * starts at the first day with orders (the zero days before it are days before the service was in
 * use, not days of zero demand) and runs to the last day of the series, zero days included. The
 * caller should end the series yesterday: today is not over.
 *
 * Orders model, by history length n:
 * - n < 7: no forecast (and the reason).
 * - 7 <= n < 21: a straight line fitted by least squares to orders per day.
 * - n >= 21 (three weeks, so each weekday is seen at least twice in the moving average): weekly
 *   seasonality by classical multiplicative decomposition. A centred 7-day moving average gives the
 *   local level; each weekday's index is its mean ratio to that level, scaled so the seven average
 *   1; the line is fitted to the de-seasonalised series (orders / index); the forecast is the line
 *   times the weekday's index.
 * In both cases the slope is kept only when it is distinguishable from noise (|t| >= 2, t = slope /
 * its standard error); otherwise the level (the mean) is used, because extrapolating a noise slope
 * 30 days ahead is worse than assuming no trend. A forecast day is never below zero orders.
 *
 * Unit cost: total cost / total orders over the last 28 days of history (four whole weeks, so the
 * weekday mix does not bias it, and recent enough to reflect the current AI mode and prices), or
 * over the whole history when those 28 days have no orders. Cost includes validation failures and
 * reviews, as in costPerOrder.
 *
 * 80% prediction interval of the 30-day total (orders, then times the unit cost):
 *   sd(total)^2 = H * s^2                                  (noise of H = 30 future days, independent)
 *               + S^2 * sd^2 * (1/m + (tw - tmean)^2 / Sxx)   (uncertainty of the fitted line)
 * where s is the residual standard deviation of the fit (residual sum of squares / (n - parameters)),
 * sd the same on the de-seasonalised scale (= s without seasonality), m the number of points fitted,
 * tmean their mean day index, Sxx = sum of (t - tmean)^2, S the sum of the seasonal indices over the
 * horizon (= H without seasonality) and tw the index-weighted mean day of the horizon; for the level
 * model the second term is S^2 * sd^2 / m. Bounds are total -/+ z * sd(total) with z = 1.2816 (10% in
 * each tail), the lower one never below 0. The unit cost and the seasonal indices are taken as known
 * (their uncertainty is not in the interval).
 */

export const FORECAST_HORIZON_DAYS = 30;
export const MIN_HISTORY_DAYS = 7;
export const SEASONAL_MIN_HISTORY_DAYS = 21;
export const UNIT_COST_WINDOW_DAYS = 28;
/** Standard normal quantile for a two-sided 80% interval. */
export const Z_80 = 1.2816;
/** A slope is kept only when |slope / standard error| reaches this. */
export const TREND_MIN_T = 2;
const WEEK = 7;
const SEASONAL_PARAMETERS = WEEK - 1;

/** How the orders model was fitted ('cost-explorer' is reserved for the billing forecast adapter). */
export type ForecastMethod = 'seasonal-trend' | 'seasonal-level' | 'linear-trend' | 'level' | 'cost-explorer';
type SeriesMethod = Exclude<ForecastMethod, 'cost-explorer'>;

export interface Forecast {
  /** Cost of the next 30 days, dollars. */
  forecastedMonthlyCost: number;
  lower80: number;
  upper80: number;
  method: ForecastMethod;
  /** The method in words, with the figures it used. */
  description: string;
  horizonDays: typeof FORECAST_HORIZON_DAYS;
  horizonStartDate: string;
  horizonEndDate: string;
  historyDays: number;
  /** Orders expected over the horizon, one decimal. */
  forecastedOrders: number;
  /** Dollars per order used, rounded to the nano-dollar. */
  unitCost: number;
}

export interface NoForecast {
  forecastedMonthlyCost: null;
  reason: string;
  historyDays: number;
}

export type ForecastResult = Forecast | NoForecast;

/** A fitted orders-per-day model over day indices 0..n-1 of the history. */
export interface OrdersModel {
  method: SeriesMethod;
  /** Orders expected on day index t (t >= n for the future), never below 0. */
  ordersOn(t: number): number;
  /** Expected total and its standard deviation over days n .. n + horizon - 1. */
  horizonTotal(horizon: number): { total: number; sd: number };
  /** Residual standard deviation of the fit, orders per day. */
  residualSd: number;
}

interface Line {
  intercept: number;
  slope: number;
  /** Points fitted. */
  m: number;
  meanT: number;
  sxx: number;
  /** Residual variance on the fitted scale. */
  variance: number;
  trend: boolean;
}

/**
 * Least-squares line through (t, y), reduced to the level when the slope is not significant.
 * `extraParameters` are the parameters fitted elsewhere (seasonal indices), for degrees of freedom.
 */
function fitLine(points: ReadonlyArray<{ t: number; y: number }>, extraParameters: number): Line {
  const m = points.length;
  const meanT = points.reduce((sum, p) => sum + p.t, 0) / m;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / m;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const { t, y } of points) {
    sxx += (t - meanT) ** 2;
    sxy += (t - meanT) * (y - meanY);
    syy += (y - meanY) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const trendSse = points.reduce((sum, { t, y }) => sum + (y - meanY - slope * (t - meanT)) ** 2, 0);
  const trendDof = m - 2 - extraParameters;
  // A perfect fit has no noise to compare the slope with: any slope above rounding error is real.
  const scale = Math.abs(meanY) + 1;
  const exact = trendSse <= 1e-18 * scale * scale * m;
  const significant =
    trendDof > 0 &&
    sxx > 0 &&
    (exact ? Math.abs(slope) * m > 1e-9 * scale : Math.abs(slope) / Math.sqrt(trendSse / trendDof / sxx) >= TREND_MIN_T);
  if (significant) {
    return { intercept: meanY - slope * meanT, slope, m, meanT, sxx, variance: trendSse / trendDof, trend: true };
  }
  const levelDof = Math.max(1, m - 1 - extraParameters);
  return { intercept: meanY, slope: 0, m, meanT, sxx, variance: syy / levelDof, trend: false };
}

/** Variance of the fitted line's sum over future days, each weighted (seasonal index or 1). */
function lineSumVariance(line: Line, days: ReadonlyArray<{ t: number; weight: number }>): number {
  const weightSum = days.reduce((sum, d) => sum + d.weight, 0);
  if (weightSum === 0) return 0;
  if (!line.trend) return weightSum ** 2 * line.variance / line.m;
  const weightedT = days.reduce((sum, d) => sum + d.weight * d.t, 0) / weightSum;
  return weightSum ** 2 * line.variance * (1 / line.m + (weightedT - line.meanT) ** 2 / line.sxx);
}

function futureDays(n: number, horizon: number): number[] {
  return Array.from({ length: horizon }, (_, h) => n + h);
}

function nonSeasonalModel(orders: readonly number[]): OrdersModel {
  const n = orders.length;
  const line = fitLine(orders.map((y, t) => ({ t, y })), 0);
  const ordersOn = (t: number): number => Math.max(0, line.intercept + line.slope * t);
  return {
    method: line.trend ? 'linear-trend' : 'level',
    ordersOn,
    residualSd: Math.sqrt(line.variance),
    horizonTotal(horizon) {
      const days = futureDays(n, horizon);
      const total = days.reduce((sum, t) => sum + ordersOn(t), 0);
      const variance = horizon * line.variance + lineSumVariance(line, days.map((t) => ({ t, weight: 1 })));
      return { total, sd: Math.sqrt(variance) };
    },
  };
}

/** Weekday indices (mean 1) by ratio to the centred 7-day moving average. */
function seasonalIndices(orders: readonly number[]): number[] {
  const half = (WEEK - 1) / 2;
  const ratios: number[][] = Array.from({ length: WEEK }, () => []);
  for (let t = half; t < orders.length - half; t++) {
    let sum = 0;
    for (let k = t - half; k <= t + half; k++) sum += orders[k] ?? 0;
    const average = sum / WEEK;
    if (average > 0) ratios[t % WEEK]?.push((orders[t] ?? 0) / average);
  }
  const raw = ratios.map((list) => (list.length === 0 ? 1 : list.reduce((a, b) => a + b, 0) / list.length));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((index) => (total > 0 ? (index * WEEK) / total : 1));
}

function seasonalModel(orders: readonly number[]): OrdersModel {
  const n = orders.length;
  const indices = seasonalIndices(orders);
  const indexOf = (t: number): number => indices[t % WEEK] ?? 1;
  // A weekday whose index is 0 (never any orders) tells nothing about the level: left out of the fit.
  const points = orders.flatMap((y, t) => (indexOf(t) > 0 ? [{ t, y: y / indexOf(t) }] : []));
  const line = fitLine(points, SEASONAL_PARAMETERS);
  const ordersOn = (t: number): number => Math.max(0, line.intercept + line.slope * t) * indexOf(t);
  const parameters = (line.trend ? 2 : 1) + SEASONAL_PARAMETERS;
  const sse = orders.reduce((sum, y, t) => sum + (y - ordersOn(t)) ** 2, 0);
  const variance = sse / Math.max(1, n - parameters);
  return {
    method: line.trend ? 'seasonal-trend' : 'seasonal-level',
    ordersOn,
    residualSd: Math.sqrt(variance),
    horizonTotal(horizon) {
      const days = futureDays(n, horizon);
      const total = days.reduce((sum, t) => sum + ordersOn(t), 0);
      const lineVariance = lineSumVariance(line, days.map((t) => ({ t, weight: indexOf(t) })));
      return { total, sd: Math.sqrt(horizon * variance + lineVariance) };
    },
  };
}

/** Smallest histories each model can be fitted on (the product rules are MIN_HISTORY_DAYS etc.). */
const MIN_FIT_DAYS = { nonSeasonal: 3, seasonal: 2 * WEEK };

/** Fits the orders model on a history (day index 0 = first day); `seasonal` chooses the family. */
export function fitOrdersModel(orders: readonly number[], options: { seasonal: boolean }): OrdersModel {
  const minimum = options.seasonal ? MIN_FIT_DAYS.seasonal : MIN_FIT_DAYS.nonSeasonal;
  if (orders.length < minimum) throw new Error(`a ${options.seasonal ? 'seasonal' : 'non-seasonal'} fit needs at least ${minimum} days`);
  for (const value of orders) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`orders per day must be finite and not negative: ${value}`);
  }
  return options.seasonal ? seasonalModel(orders) : nonSeasonalModel(orders);
}

function checkSeries(series: readonly DailyCostPoint[]): void {
  series.forEach((point, i) => {
    const previous = series[i - 1];
    if (previous && addDays(previous.day, 1) !== point.day) {
      throw new Error(`the daily series must have one entry per day, oldest first: ${previous.day} is followed by ${point.day}`);
    }
    if (!Number.isSafeInteger(point.orders) || point.orders < 0) throw new Error(`orders on ${point.day} must be a count: ${point.orders}`);
    if (!Number.isSafeInteger(point.costNanos)) throw new Error(`cost on ${point.day} must be integer nano-dollars: ${point.costNanos}`);
  });
}

/** Nano-dollars per order over the last UNIT_COST_WINDOW_DAYS of history, else the whole history. */
function unitCostNanos(history: readonly DailyCostPoint[]): { nanos: number; days: number } {
  const ratio = (points: readonly DailyCostPoint[]) => {
    const orders = points.reduce((sum, p) => sum + p.orders, 0);
    const cost = points.reduce((sum, p) => sum + p.costNanos, 0);
    return orders > 0 ? cost / orders : null;
  };
  const window = history.slice(-UNIT_COST_WINDOW_DAYS);
  const recent = ratio(window);
  if (recent !== null) return { nanos: recent, days: window.length };
  return { nanos: ratio(history) ?? 0, days: history.length };
}

const METHOD_WORDS: Record<SeriesMethod, string> = {
  'seasonal-trend': 'a least-squares linear trend with weekly seasonal indices',
  'seasonal-level': 'the mean level with weekly seasonal indices (no significant trend)',
  'linear-trend': 'a least-squares linear trend',
  level: 'the mean level (no significant trend)',
};

export function forecastMonthlyCost(series: readonly DailyCostPoint[]): ForecastResult {
  checkSeries(series);
  const first = series.findIndex((point) => point.orders > 0);
  if (first < 0) return { forecastedMonthlyCost: null, reason: 'no orders in the history; at least 7 days are needed', historyDays: 0 };
  const history = series.slice(first);
  const historyDays = history.length;
  if (historyDays < MIN_HISTORY_DAYS) {
    return {
      forecastedMonthlyCost: null,
      reason: `only ${historyDays} day${historyDays === 1 ? '' : 's'} of history; at least ${MIN_HISTORY_DAYS} are needed`,
      historyDays,
    };
  }
  const model = fitOrdersModel(
    history.map((point) => point.orders),
    { seasonal: historyDays >= SEASONAL_MIN_HISTORY_DAYS },
  );
  const { total, sd } = model.horizonTotal(FORECAST_HORIZON_DAYS);
  const unit = unitCostNanos(history);
  const dollars = (orders: number) => nanosToDollars(Math.round(orders * unit.nanos));
  const lastDay = history[historyDays - 1]?.day ?? '';
  const unitCost = nanosToDollars(Math.round(unit.nanos));
  return {
    forecastedMonthlyCost: dollars(total),
    lower80: dollars(Math.max(0, total - Z_80 * sd)),
    upper80: dollars(total + Z_80 * sd),
    method: model.method,
    description:
      `orders per day forecast from ${historyDays} days of history by ${METHOD_WORDS[model.method]}, ` +
      `times the cost per order of the last ${unit.days} days (${formatDollars(unitCost)})`,
    horizonDays: FORECAST_HORIZON_DAYS,
    horizonStartDate: addDays(lastDay, 1),
    horizonEndDate: addDays(lastDay, FORECAST_HORIZON_DAYS),
    historyDays,
    forecastedOrders: Math.round(total * 10) / 10,
    unitCost,
  };
}
