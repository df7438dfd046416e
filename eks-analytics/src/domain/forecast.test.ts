import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addDays } from './date-range.js';
import { FORECAST_HORIZON_DAYS, Z_80, fitOrdersModel, forecastMonthlyCost } from './forecast.js';
import type { Forecast, ForecastResult } from './forecast.js';
import type { DailyCostPoint } from './metrics.js';

const COST_PER_ORDER_NANOS = 12_345;

function series(orders: readonly number[], start = '2026-01-01', costPerOrder = COST_PER_ORDER_NANOS): DailyCostPoint[] {
  return orders.map((count, i) => ({ day: addDays(start, i), orders: count, costNanos: count * costPerOrder }));
}

function expectForecast(result: ForecastResult): Forecast {
  if (result.forecastedMonthlyCost === null) throw new Error(`expected a forecast, got: ${result.reason}`);
  return result as Forecast;
}

/** The load generator's mulberry32, a small deterministic PRNG, so every "random" series is the same on every run. */
const { random: prng } = (await import(
  pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bench/order-generator.mjs')).href
)) as { random(seed: number): () => number };

function normal(random: () => number): number {
  // Box-Muller
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Busy weekdays, quiet weekends (index per day index mod 7, mean 1). */
const WEEKLY = [1.2, 1.15, 1.1, 1.05, 1.1, 0.7, 0.7];

interface Synthetic {
  level: number;
  growthPerDay: number;
  weekly: readonly number[];
  /** Standard deviation of the additive Gaussian noise, orders per day. */
  noiseSd: number;
  seed: number;
}

/** Whole orders per day: (level + growth x t) x weekly index + noise, never below 0. */
function synthetic(days: number, spec: Synthetic): number[] {
  const random = prng(spec.seed);
  return Array.from({ length: days }, (_, t) => {
    const expected = (spec.level + spec.growthPerDay * t) * (spec.weekly[t % 7] ?? 1);
    return Math.max(0, Math.round(expected + spec.noiseSd * normal(random)));
  });
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Fits on the first `historyDays`, returns the forecast and the actual cost of the next 30 days. */
function backTest(historyDays: number, spec: Synthetic): { forecast: Forecast; actualCost: number; actualOrders: number } {
  const orders = synthetic(historyDays + FORECAST_HORIZON_DAYS, spec);
  const forecast = expectForecast(forecastMonthlyCost(series(orders.slice(0, historyDays))));
  const actualOrders = sum(orders.slice(historyDays));
  return { forecast, actualOrders, actualCost: (actualOrders * COST_PER_ORDER_NANOS) / 1e9 };
}

describe('forecastMonthlyCost: too little history', () => {
  it('gives no forecast without orders', () => {
    expect(forecastMonthlyCost(series([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toEqual({
      forecastedMonthlyCost: null,
      reason: 'no orders in the history; at least 7 days are needed',
      historyDays: 0,
    });
    expect(forecastMonthlyCost([])).toEqual({ forecastedMonthlyCost: null, reason: 'no orders in the history; at least 7 days are needed', historyDays: 0 });
  });

  it('starts the history at the first day with orders', () => {
    expect(forecastMonthlyCost(series([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 0, 7]))).toEqual({
      forecastedMonthlyCost: null,
      reason: 'only 4 days of history; at least 7 are needed',
      historyDays: 4,
    });
    expect(forecastMonthlyCost(series([0, 0, 3]))).toEqual({
      forecastedMonthlyCost: null,
      reason: 'only 1 day of history; at least 7 are needed',
      historyDays: 1,
    });
  });

  it('forecasts from exactly 7 days, trailing zero days included', () => {
    const result = expectForecast(forecastMonthlyCost(series([0, 0, 10, 10, 10, 10, 10, 0, 0])));
    expect(result.historyDays).toBe(7);
  });

  it('refuses a series with a gap, out of order or with non-integer counts', () => {
    const gap = [...series([1, 2, 3]), { day: '2026-01-05', orders: 1, costNanos: 1 }];
    expect(() => forecastMonthlyCost(gap)).toThrow('the daily series must have one entry per day, oldest first: 2026-01-03 is followed by 2026-01-05');
    expect(() => forecastMonthlyCost([{ day: '2026-01-01', orders: 1.5, costNanos: 1 }])).toThrow('orders on 2026-01-01 must be a count: 1.5');
    expect(() => forecastMonthlyCost([{ day: '2026-01-01', orders: 1, costNanos: 0.5 }])).toThrow(
      'cost on 2026-01-01 must be integer nano-dollars: 0.5',
    );
  });
});

describe('forecastMonthlyCost: exact small cases', () => {
  it('a flat week forecasts the level with no uncertainty', () => {
    const result = expectForecast(forecastMonthlyCost(series([10, 10, 10, 10, 10, 10, 10], '2026-03-01', 1_000)));
    expect(result).toEqual({
      forecastedMonthlyCost: 0.0003,
      lower80: 0.0003,
      upper80: 0.0003,
      method: 'level',
      description:
        'orders per day forecast from 7 days of history by the mean level (no significant trend), times the cost per order of the last 7 days ($0.000001)',
      horizonDays: 30,
      horizonStartDate: '2026-03-08',
      horizonEndDate: '2026-04-06',
      historyDays: 7,
      forecastedOrders: 300,
      unitCost: 0.000001,
    });
  });

  it('an exact line 1..7 continues to 8..37', () => {
    const result = expectForecast(forecastMonthlyCost(series([1, 2, 3, 4, 5, 6, 7], '2026-03-01', 1_000)));
    // 8 + 9 + ... + 37 = (8 + 37) x 30 / 2 = 675 orders, 1,000 nano-dollars each
    expect(result.method).toBe('linear-trend');
    expect(result.forecastedOrders).toBe(675);
    expect(result.forecastedMonthlyCost).toBe(0.000675);
    expect(result.lower80).toBe(0.000675);
    expect(result.upper80).toBe(0.000675);
  });

  it('a falling line stops at zero orders per day', () => {
    // 14, 12, ..., 2: reaches 0 on day index 7 and stays there.
    const result = expectForecast(forecastMonthlyCost(series([14, 12, 10, 8, 6, 4, 2])));
    expect(result.method).toBe('linear-trend');
    expect(result.forecastedOrders).toBe(0);
    expect(result.forecastedMonthlyCost).toBe(0);
    expect(result.lower80).toBe(0);
  });

  it('keeps a level when the slope is noise', () => {
    const result = expectForecast(forecastMonthlyCost(series([10, 12, 9, 11, 10, 12, 9, 11, 10, 10])));
    // mean 10.4 orders/day x 30
    expect(result.method).toBe('level');
    expect(result.forecastedOrders).toBe(312);
  });

  it('an exact weekly pattern without trend repeats: 4 weeks + 2 days', () => {
    const week = [10, 10, 10, 10, 10, 5, 5];
    const result = expectForecast(forecastMonthlyCost(series([...week, ...week, ...week, ...week], '2026-03-02', 100)));
    // the horizon starts on the pattern's first day: 4 x 60 + 10 + 10 = 260 orders
    expect(result.method).toBe('seasonal-level');
    expect(result.forecastedOrders).toBe(260);
    expect(result.forecastedMonthlyCost).toBe(0.000026);
    expect(result.upper80 - result.lower80).toBeLessThan(1e-9);
  });

  it('takes the unit cost from the last 28 days, so a price change shows at once', () => {
    const old = series(Array.from({ length: 30 }, () => 10), '2026-01-01', 1_000);
    const recent = series(Array.from({ length: 28 }, () => 10), '2026-01-31', 3_000);
    const result = expectForecast(forecastMonthlyCost([...old, ...recent]));
    expect(result.unitCost).toBe(0.000003);
    expect(result.forecastedMonthlyCost).toBe(0.0009);
  });

  it('uses the whole history for the unit cost when the last 28 days had no orders', () => {
    const result = expectForecast(forecastMonthlyCost(series([...Array.from({ length: 7 }, () => 4), ...Array.from({ length: 28 }, () => 0)], '2026-01-01', 2_500)));
    expect(result.unitCost).toBe(0.0000025);
    expect(result.description).toContain('the cost per order of the last 35 days');
  });

  it('counts validation failure and review cost in the unit cost', () => {
    const points = series([10, 10, 10, 10, 10, 10, 10], '2026-03-01', 1_000).map((p, i) =>
      i === 3 ? { ...p, costNanos: p.costNanos + 7_000 } : p,
    );
    // (70 x 1,000 + 7,000) / 70 orders = 1,100 nano-dollars per order
    expect(expectForecast(forecastMonthlyCost(points)).unitCost).toBe(0.0000011);
  });

  it('widens the interval with noise, symmetric around the total until it reaches 0', () => {
    const result = expectForecast(forecastMonthlyCost(series([10, 14, 7, 12, 9, 13, 8, 11])));
    expect(result.method).toBe('level');
    expect(result.lower80).toBeLessThan(result.forecastedMonthlyCost);
    expect(result.upper80).toBeGreaterThan(result.forecastedMonthlyCost);
    expect(result.upper80 - result.forecastedMonthlyCost).toBeCloseTo(result.forecastedMonthlyCost - result.lower80, 8);
    // mean 10.5, sample sd 2.44949; sd(total) = sqrt(30 x 6 + 30^2 x 6 / 8) = sqrt(855) = 29.2404 orders
    const halfWidthOrders = Z_80 * Math.sqrt(855);
    expect(result.upper80).toBeCloseTo(((315 + halfWidthOrders) * COST_PER_ORDER_NANOS) / 1e9, 8);
  });
});

describe('forecastMonthlyCost: back-test on synthetic series', () => {
  const trendy: Omit<Synthetic, 'seed' | 'noiseSd'> = { level: 200, growthPerDay: 2, weekly: WEEKLY };

  it.each([[21], [28], [56], [90]])('without noise, %i days of history forecast the 30-day cost within 2%%', (historyDays) => {
    const { forecast, actualCost } = backTest(historyDays, { ...trendy, noiseSd: 0, seed: 1 });
    expect(forecast.method).toBe('seasonal-trend');
    expect(Math.abs(forecast.forecastedMonthlyCost - actualCost) / actualCost).toBeLessThan(0.02);
  });

  it('without noise and without seasonality, 14 days forecast within 0.5% by a linear trend', () => {
    const { forecast, actualCost } = backTest(14, { level: 50, growthPerDay: 1.5, weekly: [1, 1, 1, 1, 1, 1, 1], noiseSd: 0, seed: 1 });
    expect(forecast.method).toBe('linear-trend');
    expect(Math.abs(forecast.forecastedMonthlyCost - actualCost) / actualCost).toBeLessThan(0.005);
  });

  it('with noise, the actual 30-day cost falls inside the 80% interval for most seeds, and the error stays small', () => {
    const seeds = Array.from({ length: 200 }, (_, i) => i + 1);
    let inside = 0;
    const errors: number[] = [];
    for (const seed of seeds) {
      const { forecast, actualCost } = backTest(56, { ...trendy, noiseSd: 25, seed });
      if (actualCost >= forecast.lower80 && actualCost <= forecast.upper80) inside++;
      errors.push(Math.abs(forecast.forecastedMonthlyCost - actualCost) / actualCost);
    }
    const coverage = inside / seeds.length;
    expect(coverage).toBeGreaterThanOrEqual(0.7);
    expect(coverage).toBeLessThanOrEqual(0.95);
    errors.sort((a, b) => a - b);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(0.05);
  });

  it('with weekly seasonality, the seasonal model beats the non-seasonal one day by day', () => {
    let seasonalError = 0;
    let plainError = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const orders = synthetic(56 + FORECAST_HORIZON_DAYS, { ...trendy, noiseSd: 10, seed });
      const history = orders.slice(0, 56);
      const seasonal = fitOrdersModel(history, { seasonal: true });
      const plain = fitOrdersModel(history, { seasonal: false });
      for (let h = 0; h < FORECAST_HORIZON_DAYS; h++) {
        const actual = orders[56 + h] ?? 0;
        seasonalError += Math.abs(seasonal.ordersOn(56 + h) - actual);
        plainError += Math.abs(plain.ordersOn(56 + h) - actual);
      }
    }
    expect(seasonalError).toBeLessThan(0.5 * plainError);
  });
});
