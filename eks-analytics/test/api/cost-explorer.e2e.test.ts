import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addDays } from '../../src/domain/date-range.js';
import { startAnalytics, type StartedAnalytics } from '../support/analytics-app.js';
import { DATA_UNAVAILABLE, FakeCostExplorer, THROTTLED, type UsageRow } from '../support/fake-cost-explorer.js';
import { approvedOrderBody, seedOrderStore } from '../support/seed.js';

/**
 * The analytics service with COST_SOURCE=cost-explorer against a local Cost Explorer speaking the
 * wire protocol (AWS_ENDPOINT_URL_COST_EXPLORER), over a store seeded with two weeks of orders.
 */

const DAY_MS = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const yesterday = addDays(today, -1);
const daysAgo = (days: number, hour: number): string => {
  const at = new Date(Date.now() - days * DAY_MS);
  at.setUTCHours(hour, 0, 0, 0);
  return at.toISOString();
};

const USAGE: UsageRow[] = [
  { day: yesterday, service: 'AWS Lambda', amount: '0.0001' },
  { day: yesterday, service: 'Amazon Bedrock', amount: '0.00002' },
  { day: yesterday, service: 'Claude 3 Haiku (Amazon Bedrock Edition)', amount: '0.00003' },
  { day: yesterday, service: 'AmazonCloudWatch', amount: '0.000005' },
  { day: yesterday, service: 'Amazon Elastic Container Service for Kubernetes', amount: '2.4' },
  { day: addDays(today, -2), service: 'AWS Lambda', amount: '0.0002', estimated: false },
  // Another project's cost, excluded by the tag filter.
  { day: yesterday, service: 'AWS Lambda', amount: '50', tag: { key: 'project', value: 'shop' } },
];

describe('COST_SOURCE=cost-explorer', () => {
  let fake: FakeCostExplorer;
  let dataDir: string;
  let api: StartedAnalytics;
  let env: Record<string, string>;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    fake = new FakeCostExplorer();
    fake.usage = USAGE;
    const endpoint = await fake.start();
    // The SDK's default credential chain reads these; one attempt, so a throttled answer fails at once.
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_MAX_ATTEMPTS = '1';
    dataDir = mkdtempSync(path.join(tmpdir(), 'cost-explorer-e2e-'));
    const orders = [];
    for (let days = 14; days >= 1; days -= 1) orders.push({ at: daysAgo(days, 12), body: approvedOrderBody() }, { at: daysAgo(days, 13), body: approvedOrderBody() });
    await seedOrderStore(dataDir, orders);
    env = { DATA_DIR: dataDir, COST_SOURCE: 'cost-explorer', AWS_ENDPOINT_URL_COST_EXPLORER: endpoint, COST_ALLOCATION_TAG_VALUE: 'orderops' };
    api = await startAnalytics(env);
  });

  afterAll(async () => {
    await api.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.env = savedEnv;
  });

  beforeEach(() => {
    fake.requests.length = 0;
    fake.clearQueued();
  });

  it('GET /api/finops/costs: the tagged cost by service, exact, with the cache age; a second call is served from the cache', async () => {
    const first = await api.http.get(`/api/finops/costs?startDate=${yesterday}&endDate=${yesterday}`).expect(200);
    expect(first.body).toMatchObject({
      source: 'cost-explorer',
      startDate: yesterday,
      endDate: yesterday,
      actualLambdaCost: 0.0001,
      actualBedrockCost: 0.00005,
      actualCloudWatchCost: 0.000005,
      actualOtherCost: 2.4,
      actualTotalCost: 2.400155,
      byService: {
        'AWS Lambda': 0.0001,
        'Amazon Bedrock': 0.00002,
        'Claude 3 Haiku (Amazon Bedrock Edition)': 0.00003,
        AmazonCloudWatch: 0.000005,
        'Amazon Elastic Container Service for Kubernetes': 2.4,
      },
      cacheAgeSeconds: 0,
    });
    expect(Date.now() - Date.parse(first.body.cachedAt as string)).toBeLessThan(60_000);
    expect(fake.requestsOf('GetCostAndUsage').map((request) => request.body)).toEqual([
      {
        TimePeriod: { Start: yesterday, End: today },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        Filter: { Tags: { Key: 'project', Values: ['orderops'], MatchOptions: ['EQUALS'] } },
      },
    ]);

    const second = await api.http.get(`/api/finops/costs?startDate=${yesterday}&endDate=${yesterday}`).expect(200);
    expect(second.body.cachedAt).toBe(first.body.cachedAt);
    expect(fake.requests).toHaveLength(1);
  });

  it('GET /api/finops/costs answers 503 when Cost Explorer throttles', async () => {
    fake.failNext(THROTTLED, { operation: 'GetCostAndUsage' });
    const response = await api.http.get('/api/finops/costs?startDate=2026-01-01&endDate=2026-01-01').expect(503);
    expect(response.body.message).toBe('actual costs unavailable: Cost Explorer GetCostAndUsage failed: LimitExceededException: Rate exceeded');
  });

  it("GET /api/finops/forecast: Cost Explorer's forecast and interval, with the orders forecast beside it", async () => {
    const response = await api.http.get('/api/finops/forecast').expect(200);
    expect(response.body).toMatchObject({
      method: 'cost-explorer',
      forecastedMonthlyCost: 42.123456789,
      lower80: 37.25,
      upper80: 48.25,
      horizonDays: 30,
      horizonStartDate: today,
      horizonEndDate: addDays(today, 29),
      historyDays: 14,
      forecastedOrders: 60,
      description: expect.stringMatching(/^Cost Explorer's forecast of the tagged cost, as of \d{4}-\d{2}-\d{2}T/),
    });
    expect(fake.requestsOf('GetCostForecast').map((request) => request.body)).toEqual([
      {
        TimePeriod: { Start: today, End: addDays(today, 30) },
        Metric: 'UNBLENDED_COST',
        Granularity: 'MONTHLY',
        PredictionIntervalLevel: 80,
        Filter: { Tags: { Key: 'project', Values: ['orderops'], MatchOptions: ['EQUALS'] } },
      },
    ]);
  });

  it("GET /api/finops/report: variance of the tagged actual cost against the estimate, Cost Explorer's forecast", async () => {
    const metrics = (await api.http.get(`/api/finops/metrics?startDate=${yesterday}&endDate=${yesterday}`).expect(200)).body as { totalProcessingCost: number };
    const report = (await api.http.get('/api/finops/report').expect(200)).body as Record<string, unknown>;
    // Lambda + Bedrock + Claude + CloudWatch; the cluster (other) is not what the estimate covers.
    const comparable = 0.000155;
    expect(report).toMatchObject({
      reportDate: yesterday,
      period: 'Daily',
      totalOrders: 2,
      costSource: 'cost-explorer',
      costSourceReason: null,
      actualComparableCost: comparable,
      actualOtherCost: 2.4,
      estimatedVsActualVariance: Math.round(((comparable - metrics.totalProcessingCost) / metrics.totalProcessingCost) * 1000) / 10,
      forecastedMonthlyCost: 42.123456789,
    });
    // Both answers were cached by the tests above: the report cost nothing.
    expect(fake.requests).toHaveLength(0);
  });

  it("the report's actual side is unavailable, not a failure, when Cost Explorer throttles", async () => {
    fake.failNext(THROTTLED, { operation: 'GetCostAndUsage' });
    const report = (await api.http.get('/api/finops/report?startDate=2026-01-05&endDate=2026-01-05').expect(200)).body as Record<string, unknown>;
    expect(report).toMatchObject({
      costSource: 'unavailable',
      costSourceReason: 'Cost Explorer GetCostAndUsage failed: LimitExceededException: Rate exceeded',
      actualTotalCost: null,
      estimatedVsActualVariance: null,
    });
  });

  it('names the Cost Explorer forecast in the reason when the order history is too short for an orders forecast', async () => {
    const shortDir = mkdtempSync(path.join(tmpdir(), 'cost-explorer-e2e-short-'));
    await seedOrderStore(shortDir, [3, 2, 1].map((days) => ({ at: daysAgo(days, 12), body: approvedOrderBody() })));
    const short = await startAnalytics({ ...env, DATA_DIR: shortDir });
    try {
      const response = await short.http.get('/api/finops/forecast').expect(200);
      expect(response.body).toEqual({
        forecastedMonthlyCost: null,
        historyDays: 3,
        reason: expect.stringMatching(
          new RegExp(
            `^only 3 days of history; at least 7 are needed for an orders forecast; Cost Explorer forecasts \\$42\\.12\\d* \\(80% interval \\$37\\.25\\d* to \\$48\\.25\\d*\\) for ${today} to ${addDays(today, 29)}, as of `,
          ),
        ),
      });
    } finally {
      await short.close();
      rmSync(shortDir, { recursive: true, force: true });
    }
  });

  it("falls back to the computed forecast when Cost Explorer has too little history, or says why it failed", async () => {
    fake.failNext(DATA_UNAVAILABLE, { operation: 'GetCostForecast' });
    const fresh = await startAnalytics(env);
    try {
      const computed = (await fresh.http.get('/api/finops/forecast').expect(200)).body as Record<string, unknown>;
      expect(computed.method).not.toBe('cost-explorer');
      expect(computed).toMatchObject({ historyDays: 14, forecastedOrders: 60, horizonStartDate: today });
      expect(computed.description).not.toMatch(/Cost Explorer/);
    } finally {
      await fresh.close();
    }

    fake.failNext(THROTTLED, { operation: 'GetCostForecast' });
    const throttled = await startAnalytics(env);
    try {
      const computed = (await throttled.http.get('/api/finops/forecast').expect(200)).body as Record<string, unknown>;
      expect(computed.method).not.toBe('cost-explorer');
      expect(computed.description).toMatch(/; Cost Explorer's forecast is unavailable \(Cost Explorer GetCostForecast failed: LimitExceededException: Rate exceeded\)$/);
    } finally {
      await throttled.close();
    }
  });
});
