import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nanosToDollars } from '@orderops/lambda-order-processor/domain/costs/money';
import { startAnalytics, type StartedAnalytics } from '../support/analytics-app.js';
import {
  approvedOrderBody,
  pendingReviewOrderBody,
  rejectedOrderBody,
  seedOrderStore,
  seedValidationFailures,
  type SeededOrder,
} from '../support/seed.js';

/** Exact dollars of a set of seeded orders, summed in nano-dollars first (as the API must). */
function totalDollars(orders: readonly SeededOrder[], line: 'total' | 'lambda' | 'dynamodb' = 'total'): number {
  return nanosToDollars(orders.reduce((sum, order) => sum + order.costNanos[line], 0));
}

describe('FinOps API over a store written by the order API', () => {
  let dataDir: string;
  let seeded: SeededOrder[];
  let api: StartedAnalytics;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'finops-e2e-'));
    // Orders on both sides of a month boundary; one pending order is reviewed on a later day.
    seeded = await seedOrderStore(dataDir, [
      { at: '2026-01-30T10:00:00.000Z', body: approvedOrderBody() },
      { at: '2026-01-30T11:00:00.000Z', body: rejectedOrderBody() },
      { at: '2026-01-31T09:00:00.000Z', body: pendingReviewOrderBody(), review: { decision: 'REJECTED', reviewer: 'ana', at: '2026-02-02T08:00:00.000Z' } },
      { at: '2026-01-31T12:00:00.000Z', body: pendingReviewOrderBody() },
      { at: '2026-02-01T08:00:00.000Z', body: approvedOrderBody() },
      { at: '2026-02-01T09:30:00.000Z', body: approvedOrderBody() },
      { at: '2026-02-02T23:59:00.000Z', body: rejectedOrderBody() },
    ]);
    await seedValidationFailures(dataDir, ['2026-02-01T10:00:00.000Z', '2026-02-01T10:00:01.000Z']);
    api = await startAnalytics({ DATA_DIR: dataDir });
  });

  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds what the scenario needs', () => {
    expect(seeded.map((order) => `${order.day}:${order.status}>${order.finalStatus}`)).toEqual([
      '2026-01-30:APPROVED>APPROVED',
      '2026-01-30:REJECTED>REJECTED',
      '2026-01-31:PENDING_REVIEW>REJECTED',
      '2026-01-31:PENDING_REVIEW>PENDING_REVIEW',
      '2026-02-01:APPROVED>APPROVED',
      '2026-02-01:APPROVED>APPROVED',
      '2026-02-02:REJECTED>REJECTED',
    ]);
  });

  describe('GET /api/finops/metrics', () => {
    it('aggregates a range crossing a month boundary, reviews moving counts, costs exact to the nano-dollar', async () => {
      const response = await api.http.get('/api/finops/metrics?startDate=2026-01-30&endDate=2026-02-02').expect(200);
      const body = response.body as Record<string, unknown>;
      expect(body).toMatchObject({
        startDate: '2026-01-30',
        endDate: '2026-02-02',
        totalOrders: 7,
        approvedOrders: 3,
        rejectedOrders: 3,
        pendingReviewOrders: 1,
        reviewedOrders: 1,
        validationErrors: 2,
        totalBedrockTokens: 0,
        aiCalls: 0,
        bedrockCost: 0,
        blockedFraudAmount: 5000 + 2500 + 5000,
      });
      // Refused requests are priced too: their cost is in the total but not in any order's.
      const refusedCost = (body.totalProcessingCost as number) - totalDollars(seeded);
      expect(refusedCost).toBeGreaterThan(0);
      expect(body.lambdaCost).toBeGreaterThan(totalDollars(seeded, 'lambda'));
      expect(body.dynamoDbCost).toBeGreaterThan(totalDollars(seeded, 'dynamodb'));
      expect(body.costPerOrder).toBeCloseTo((body.totalProcessingCost as number) / 7, 9);
      expect((body.scoreDistribution as number[]).reduce((sum, count) => sum + count, 0)).toBe(7);
      const daily = body.daily as Array<Record<string, unknown>>;
      expect(daily.map((day) => [day.day, day.totalOrders, day.approvedOrders, day.rejectedOrders, day.pendingReviewOrders, day.validationErrors])).toEqual([
        ['2026-01-30', 2, 1, 1, 0, 0],
        ['2026-01-31', 2, 0, 1, 1, 0],
        ['2026-02-01', 2, 2, 0, 0, 2],
        ['2026-02-02', 1, 0, 1, 0, 0],
      ]);
    });

    it('sums a day exactly: the orders of that day and nothing else', async () => {
      const response = await api.http.get('/api/finops/metrics?startDate=2026-01-30&endDate=2026-01-30').expect(200);
      const day = seeded.filter((order) => order.day === '2026-01-30');
      expect(response.body).toMatchObject({ totalOrders: 2, approvedOrders: 1, rejectedOrders: 1, totalProcessingCost: totalDollars(day) });
      expect(response.body.daily).toHaveLength(1);
    });

    it('answers an empty range with zeros, a day entry per day and no cost per order', async () => {
      const response = await api.http.get('/api/finops/metrics?startDate=2025-12-01&endDate=2025-12-03').expect(200);
      expect(response.body).toMatchObject({ totalOrders: 0, totalProcessingCost: 0, costPerOrder: null, blockedFraudAmount: 0 });
      expect((response.body.daily as Array<{ day: string }>).map((day) => day.day)).toEqual(['2025-12-01', '2025-12-02', '2025-12-03']);
    });

    it.each([
      ['startDate=2026-02-30&endDate=2026-03-01', /2026-02-30 is not a calendar date/],
      ['startDate=2026-02-10&endDate=2026-02-01', /after endDate/],
      ['startDate=2025-01-01&endDate=2026-02-01', /at most 366/],
      ['startDate=01-02-2026', /YYYY-MM-DD/],
      ['startDate=2026-01-01&endDate=2026-01-02&extra=1', /should not exist/],
    ])('refuses %s with a clear 400', async (query, message) => {
      const response = await api.http.get(`/api/finops/metrics?${query}`).expect(400);
      expect(JSON.stringify(response.body.message)).toMatch(message);
    });
  });

  describe('GET /api/finops/costs', () => {
    it('says the actual costs are unavailable when no cost source is configured, never inventing numbers', async () => {
      const response = await api.http.get('/api/finops/costs?startDate=2026-01-30&endDate=2026-02-02').expect(200);
      expect(response.body).toMatchObject({ source: 'unavailable', actualLambdaCost: null, actualTotalCost: null, reason: expect.stringContaining('COST_SOURCE') });
    });
  });

  describe('GET /api/finops/report', () => {
    it('reports a period with trends versus the previous period of equal length and no variance without actual costs', async () => {
      const response = await api.http.get('/api/finops/report?startDate=2026-02-01&endDate=2026-02-02').expect(200);
      const previous = seeded.filter((order) => order.day === '2026-01-30' || order.day === '2026-01-31');
      const current = seeded.filter((order) => order.day >= '2026-02-01');
      expect(response.body).toMatchObject({
        reportDate: '2026-02-02',
        period: 'Custom',
        totalOrders: 3,
        costSource: 'unavailable',
        estimatedVsActualVariance: null,
        // 3 orders against 4 in the two days before.
        orderTrend: -25,
      });
      expect(response.body.previousPeriod).toMatchObject({ startDate: '2026-01-30', endDate: '2026-01-31', totalOrders: previous.length });
      expect(current).toHaveLength(3);
      expect(Array.isArray(response.body.recommendations)).toBe(true);
      expect(response.body.optimizationRecommendations).toEqual((response.body.recommendations as Array<{ message: string }>).map((entry) => entry.message));
    });

    it('labels a single day Daily and a week Weekly', async () => {
      expect((await api.http.get('/api/finops/report?startDate=2026-01-31&endDate=2026-01-31').expect(200)).body.period).toBe('Daily');
      expect((await api.http.get('/api/finops/report?startDate=2026-01-27&endDate=2026-02-02').expect(200)).body.period).toBe('Weekly');
    });
  });

  describe('with a FOCUS export as the actual cost source', () => {
    let withCosts: StartedAnalytics;
    const exportFile = () => path.join(dataDir, 'focus-export.csv');

    beforeAll(async () => {
      const header = 'BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName';
      const rows = [
        '0.000120,USD,2026-02-01T00:00:00Z,2026-02-02T00:00:00Z,AWS Lambda',
        '0.000030,USD,2026-02-02T00:00:00Z,2026-02-03T00:00:00Z,Amazon DynamoDB',
        '0.000010,USD,2026-02-01T00:00:00Z,2026-02-02T00:00:00Z,Amazon Simple Storage Service',
        '0.500000,USD,2026-01-15T00:00:00Z,2026-01-16T00:00:00Z,AWS Lambda',
      ];
      writeFileSync(exportFile(), [header, ...rows].join('\n'));
      withCosts = await startAnalytics({ DATA_DIR: dataDir, COST_SOURCE: 'focus-file', COST_EXPORT_FILE: exportFile() });
    });
    afterAll(async () => {
      await withCosts.close();
    });

    it('sums billed cost by service for the range only', async () => {
      const response = await withCosts.http.get('/api/finops/costs?startDate=2026-02-01&endDate=2026-02-02').expect(200);
      expect(response.body).toMatchObject({
        source: 'focus-file',
        actualLambdaCost: 0.00012,
        actualDynamoDbCost: 0.00003,
        actualS3Cost: 0.00001,
        actualBedrockCost: 0,
        actualTotalCost: 0.00016,
      });
    });

    it('computes the variance of actual against estimated cost in the report', async () => {
      const metrics = (await withCosts.http.get('/api/finops/metrics?startDate=2026-02-01&endDate=2026-02-02').expect(200)).body as { totalProcessingCost: number };
      const report = (await withCosts.http.get('/api/finops/report?startDate=2026-02-01&endDate=2026-02-02').expect(200)).body as Record<string, number>;
      const expected = Math.round(((0.00016 - metrics.totalProcessingCost) / metrics.totalProcessingCost) * 1000) / 10;
      expect(report.costSource).toBe('focus-file');
      expect(report.estimatedVsActualVariance).toBe(expected);
    });
  });
});

describe('FinOps defaults and forecast against the real clock', () => {
  let dataDir: string;
  let api: StartedAnalytics | undefined;
  const dayMs = 86_400_000;
  const daysAgo = (days: number, hour = 12): string => {
    const at = new Date(Date.now() - days * dayMs);
    at.setUTCHours(hour, 0, 0, 0);
    return at.toISOString();
  };

  afterEach(async () => {
    await api?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives no forecast, with the reason, when there are fewer than 7 days of history', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'finops-forecast-'));
    await seedOrderStore(dataDir, [1, 2, 3].map((days) => ({ at: daysAgo(days), body: approvedOrderBody() })));
    api = await startAnalytics({ DATA_DIR: dataDir });
    const response = await api.http.get('/api/finops/forecast').expect(200);
    expect(response.body).toMatchObject({ forecastedMonthlyCost: null, historyDays: 3, reason: expect.stringMatching(/at least 7/) });
  });

  it('forecasts 30 days from two weeks of history with an 80% interval, and the default ranges end today and yesterday', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'finops-forecast-'));
    const orders = [];
    for (let days = 14; days >= 1; days -= 1) orders.push({ at: daysAgo(days), body: approvedOrderBody() }, { at: daysAgo(days, 13), body: approvedOrderBody() });
    const seeded = await seedOrderStore(dataDir, orders);
    // A refused request today: counted and priced today, so the forecast's history (whole days) ignores it.
    await seedValidationFailures(dataDir, [new Date().toISOString()]);
    api = await startAnalytics({ DATA_DIR: dataDir });

    const forecast = (await api.http.get('/api/finops/forecast').expect(200)).body as Record<string, number | string>;
    expect(forecast).toMatchObject({ horizonDays: 30, historyDays: 14, forecastedOrders: 60, method: expect.any(String) });
    const unitCost = totalDollars(seeded.filter((order) => order.status === 'APPROVED')) / 28;
    expect(forecast.unitCost).toBeCloseTo(unitCost, 8);
    expect(forecast.forecastedMonthlyCost).toBeCloseTo(60 * unitCost, 6);
    expect(forecast.lower80).toBeLessThanOrEqual(forecast.forecastedMonthlyCost as number);
    expect(forecast.upper80).toBeGreaterThanOrEqual(forecast.forecastedMonthlyCost as number);

    const metrics = (await api.http.get('/api/finops/metrics').expect(200)).body as { startDate: string; endDate: string; totalOrders: number };
    expect(metrics.endDate).toBe(new Date().toISOString().slice(0, 10));
    expect(metrics.startDate).toBe(daysAgo(6).slice(0, 10));
    expect(metrics.totalOrders).toBe(12);
    const report = (await api.http.get('/api/finops/report').expect(200)).body as { reportDate: string; period: string; totalOrders: number; forecastedMonthlyCost: number };
    expect(report).toMatchObject({ reportDate: daysAgo(1).slice(0, 10), period: 'Daily', totalOrders: 2 });
    expect(report.forecastedMonthlyCost).toBe(forecast.forecastedMonthlyCost);
  });
});
