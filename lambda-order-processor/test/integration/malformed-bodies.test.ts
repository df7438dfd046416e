import { malformedOrderCases } from '../fixtures/malformed-orders.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

describe('hostile and malformed order bodies over real HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.stop();
  });

  const cases = malformedOrderCases();

  it('has a corpus of at least 200 distinct cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(new Set(cases.map((entry) => entry.name)).size).toBe(cases.length);
  });

  it('answers every case with its 4xx, a JSON error body and no internals, and stores nothing', async () => {
    const mismatches: string[] = [];
    for (const entry of cases) {
      const response = await api.postRaw('/orders', entry.rawBody, entry.contentType || null);
      if (response.status !== entry.expectedStatus) mismatches.push(`${entry.name}: ${response.status} ${response.text.slice(0, 120)}`);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(typeof response.body.status).toBe('string');
      expect(response.text).not.toMatch(/at .+\.(js|ts):\d+|node_modules|Error:/);
      if (response.status === 400) {
        expect(response.body.status).toBe('VALIDATION_ERROR');
        expect((response.body.errors as unknown[]).length).toBeGreaterThan(0);
        expect(response.body.rejectionReasons).toEqual(expect.any(Array));
      }
    }
    expect(mismatches).toEqual([]);

    const today = new Date().toISOString().slice(0, 10);
    const [rollup] = await api.runtime.store.getRollups(today, today);
    expect(rollup?.counters.ordersTotal ?? 0).toBe(0);
    // Every refused request was processed, so it is counted and priced.
    expect(rollup?.counters.validationErrors).toBe(cases.length);
    expect(rollup?.counters.costTotalNanos).toBeGreaterThan(0);
    const page = await api.runtime.store.listOrders({ startDay: today, endDay: today, limit: 10 });
    expect(page.orders).toEqual([]);
    expect(await api.outbox.pendingCount()).toBe(0);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('still serves valid orders after the corpus', async () => {
    const health = await api.get('/health');
    expect(health.status).toBe(200);
  });
});
