import { validOrderBody } from '../fixtures/valid-order.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

describe('idempotency: orderId is the key', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(async () => {
    await api.stop();
  });

  async function ordersRecordedToday(): Promise<number> {
    const [rollup] = await api.runtime.store.getRollups(today(), today());
    return rollup?.counters.ordersTotal ?? 0;
  }

  it('replays the stored answer for the same body, with Idempotent-Replay, without screening again', async () => {
    const order = validOrderBody({ orderId: 'IDEM-REPLAY-1' });
    const first = await api.post('/orders', order);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replay')).toBeNull();

    // Same content, different key order and whitespace: still the same order.
    const reordered = Object.fromEntries(Object.entries(order).reverse());
    const replay = await api.postRaw('/orders', JSON.stringify(reordered, null, 4), 'application/json; charset=utf-8');
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replay')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await ordersRecordedToday()).toBe(1);
  });

  it('answers 409 for the same orderId with a different body and keeps the first order', async () => {
    const order = validOrderBody({ orderId: 'IDEM-CONFLICT-1' });
    const first = await api.post('/orders', order);
    expect(first.status).toBe(200);
    const changed = { ...order, customerEmail: 'someone.else@example.org' };
    const conflict = await api.post('/orders', changed);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({ status: 'CONFLICT', message: expect.stringContaining('IDEM-CONFLICT-1') });
    const stored = await api.get('/orders/IDEM-CONFLICT-1');
    expect((stored.body.order as Record<string, unknown>).customerEmail).toBe(order.customerEmail);
    expect(await ordersRecordedToday()).toBe(1);
  });

  it('stores exactly one order when 50 identical submissions race, and all 50 get the same answer', async () => {
    const order = validOrderBody({ orderId: 'IDEM-RACE-50' });
    const responses = await Promise.all(Array.from({ length: 50 }, () => api.post('/orders', order)));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    const bodies = new Set(responses.map((response) => JSON.stringify(response.body)));
    expect(bodies.size).toBe(1);
    expect(responses.filter((response) => response.headers.get('idempotent-replay') === 'true')).toHaveLength(49);
    expect(await ordersRecordedToday()).toBe(1);
    const page = await api.runtime.store.listOrders({ startDay: today(), endDay: today(), limit: 100 });
    expect(page.orders.map((summary) => summary.orderId)).toEqual(['IDEM-RACE-50']);
  });
});

describe('the injected clock', () => {
  it('stamps orders and their rollup day with the runtime clock, so history can be written through the API', async () => {
    const api = await startTestApi({}, { now: () => new Date('2026-01-31T23:59:59.000Z') });
    try {
      const response = await api.post('/orders', validOrderBody({ orderId: 'CLOCK-1' }));
      expect(response.body.timestamp).toBe('2026-01-31T23:59:59.000Z');
      const [rollup] = await api.runtime.store.getRollups('2026-01-01', '2026-02-28');
      expect(rollup).toMatchObject({ day: '2026-01-31', counters: { ordersTotal: 1 } });
    } finally {
      await api.stop();
    }
  });
});
