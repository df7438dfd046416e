import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { seedScenarios } from '../support/seed-scenarios.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const COST_FIELDS = [
  'bedrockTokensUsed',
  'bedrockCost',
  'lambdaCost',
  'dynamodbCost',
  's3Cost',
  'snsCost',
  'apiGatewayCost',
  'cloudwatchCost',
  'totalProcessingCost',
];

describe('the six seed scenarios over real HTTP (rules only, SQLite)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.stop();
  });

  const scenarios = seedScenarios();

  it('covers the three positive and three negative seed orders', () => {
    expect(scenarios.map((scenario) => `${scenario.file}:${scenario.expectedStatus}`)).toEqual([
      'scenario-01-standard-order.json:APPROVED',
      'scenario-02-low-value-order.json:APPROVED',
      'scenario-03-vip-customer.json:APPROVED',
      'scenario-06-suspicious-email.json:REJECTED',
      'scenario-07-bulk-order.json:REJECTED',
      'scenario-09-gift-card-fraud.json:REJECTED',
    ]);
  });

  it.each(scenarios.map((scenario) => [scenario.file, scenario] as const))('%s gets its expected decision', async (_file, scenario) => {
    const response = await api.post('/orders', scenario.body);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = response.body;
    expect(body.orderId).toBe(scenario.body.orderId);
    expect(body.status).toBe(scenario.expectedStatus);
    const score = body.aiScore as number;
    if (scenario.expectedStatus === 'APPROVED') expect(score).toBeGreaterThanOrEqual(7);
    else expect(score).toBeLessThan(4);
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(10);
    expect(body.message).toEqual(expect.any(String));
    expect(body.screening).toEqual({ engine: 'rules', aiProvider: 'none', model: null, fallback: null });
    expect(Array.isArray(body.riskSignals)).toBe(true);
    for (const signal of body.riskSignals as Array<Record<string, unknown>>) {
      expect(signal).toEqual({ code: expect.stringMatching(/^[A-Z0-9_]+$/), points: expect.any(Number), reason: expect.any(String) });
    }
    const reasons = body.rejectionReasons as string[];
    if (scenario.expectedStatus === 'REJECTED') expect(reasons.length).toBeGreaterThan(0);
    else expect(reasons).toEqual([]);

    const cost = body.costMetrics as Record<string, number>;
    expect(Object.keys(cost).sort()).toEqual([...COST_FIELDS].sort());
    // Rules only: no model, no tokens; every AWS line of the order path costs something.
    expect(cost.bedrockTokensUsed).toBe(0);
    expect(cost.bedrockCost).toBe(0);
    for (const field of ['lambdaCost', 'dynamodbCost', 's3Cost', 'snsCost', 'apiGatewayCost', 'cloudwatchCost']) {
      expect(cost[field]).toBeGreaterThan(0);
    }
    // HTTP API at $1.00 per million requests, S3 PUT at $0.005 per 1,000, SNS at $0.50 per million.
    expect(cost.apiGatewayCost).toBe(0.000001);
    expect(cost.s3Cost).toBe(0.000005);
    expect(cost.snsCost).toBe(0.0000005);
    const lines = ['lambdaCost', 'dynamodbCost', 's3Cost', 'snsCost', 'apiGatewayCost', 'cloudwatchCost'].reduce((sum, field) => sum + cost[field]!, 0);
    expect(cost.totalProcessingCost).toBeCloseTo(lines, 12);
    expect(new Date(body.timestamp as string).toISOString()).toBe(body.timestamp);
  });

  it('stores every order with its decision history, archives it and notifies with masked personal data', async () => {
    await api.drainOutbox();
    for (const scenario of scenarios) {
      const orderId = scenario.body.orderId as string;
      const stored = await api.get(`/orders/${orderId}`);
      expect(stored.status).toBe(200);
      expect(stored.body.status).toBe(scenario.expectedStatus);
      expect(stored.body.decisions).toEqual([{ status: scenario.expectedStatus, source: 'screening', at: expect.any(String) }]);
      const day = (stored.body.createdAt as string).slice(0, 10);
      const archived = path.join(api.dataDir, 'archive', scenario.expectedStatus, day, `${orderId}.json`);
      expect(existsSync(archived)).toBe(true);
      expect(JSON.parse(readFileSync(archived, 'utf8'))).toMatchObject({ orderId, status: scenario.expectedStatus });
    }
    const lines = readFileSync(path.join(api.dataDir, 'notifications.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.orderId).sort()).toEqual(scenarios.map((scenario) => scenario.body.orderId).sort());
    for (const line of lines) {
      expect(line.customerEmail).toMatch(/^.\*\*\*@/);
      expect(JSON.stringify(line)).not.toMatch(/cardLast4|\b4242\b/);
    }
  });

  it('reports the day in the rollup: three approved, three rejected, every cost summed exactly', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const [rollup] = await api.runtime.store.getRollups(today, today);
    expect(rollup?.counters).toMatchObject({ ordersTotal: 6, approved: 3, rejected: 3, pendingReview: 0, validationErrors: 0 });
    const views = await Promise.all(scenarios.map((scenario) => api.get(`/orders/${String(scenario.body.orderId)}`)));
    const totalDollars = views.reduce((sum, view) => sum + ((view.body.costMetrics as Record<string, number>).totalProcessingCost ?? 0), 0);
    expect(rollup!.counters.costTotalNanos / 1e9).toBeCloseTo(totalDollars, 12);
  });
});
