import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validOrderBody } from '../fixtures/valid-order.js';
import { startTestApi, type ApiResponse, type TestApi } from '../support/test-api.js';
import { auditStore, expectNoDrift, openStoreReadOnly, SOAK } from './support/server-process.js';

/*
 * Idempotency and review races under real concurrency (issue 6, item 2): many HTTP requests in
 * flight at once against the real composition root, then the SQLite file is audited directly.
 */
const SUBMISSIONS = 100;
const REVIEW_RACES = SOAK ? 500 : 25;

function auditAndCheck(api: TestApi): ReturnType<typeof auditStore> {
  const db = openStoreReadOnly(api.dataDir);
  try {
    const audit = auditStore(db);
    expectNoDrift(audit);
    return audit;
  } finally {
    db.close();
  }
}

function notificationLines(api: TestApi): string[] {
  return readFileSync(path.join(api.dataDir, 'notifications.jsonl'), 'utf8').split('\n').filter((line) => line !== '');
}

describe('idempotency under concurrency', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi({}, { metricsSink: () => undefined });
  });
  afterEach(async () => {
    await api.stop();
  });

  it(`${SUBMISSIONS} concurrent identical submissions store one order and get ${SUBMISSIONS} identical answers`, async () => {
    const order = validOrderBody({ orderId: 'CONC-SAME-1' });
    const responses = await Promise.all(Array.from({ length: SUBMISSIONS }, () => api.post('/orders', order)));

    expect(responses.map((response) => response.status)).toEqual(Array(SUBMISSIONS).fill(200));
    expect(new Set(responses.map((response) => response.text)).size).toBe(1);
    const replays = responses.filter((response) => response.headers.get('idempotent-replay') === 'true');
    expect(replays).toHaveLength(SUBMISSIONS - 1);

    const audit = auditAndCheck(api);
    expect(audit.orders).toBe(1);
    await api.drainOutbox();
    expect(notificationLines(api)).toHaveLength(1);
  });

  it(`${SUBMISSIONS} concurrent submissions of one orderId with different bodies store the first and answer the rest 409`, async () => {
    const bodies = Array.from({ length: SUBMISSIONS }, (_, index) =>
      validOrderBody({ orderId: 'CONC-DIFF-1', customerEmail: `buyer.${index}@example.com` }),
    );
    const responses = await Promise.all(bodies.map((body) => api.post('/orders', body)));

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(SUBMISSIONS - 1);
    for (const response of responses.filter((candidate) => candidate.status === 409)) {
      expect(response.body).toEqual({ status: 'CONFLICT', message: expect.stringContaining('CONC-DIFF-1') });
    }

    // The stored order is the body that was answered 200, not any of the refused ones.
    const winner = statuses.indexOf(200);
    const stored = await api.get('/orders/CONC-DIFF-1');
    expect((stored.body.order as Record<string, unknown>).customerEmail).toBe(`buyer.${winner}@example.com`);
    const audit = auditAndCheck(api);
    expect(audit.orders).toBe(1);
    // Conflicts are refusals of the request, not orders: nothing else moved.
    expect(audit.rollupOrdersTotal).toBe(1);
  });
});

describe('review races', () => {
  let api: TestApi;
  beforeAll(async () => {
    // With these thresholds every order that is not rejected outright waits for a person.
    api = await startTestApi({ REJECT_BELOW_SCORE: '0', APPROVE_FROM_SCORE: '10' }, { metricsSink: () => undefined });
  });
  afterAll(async () => {
    await api.stop();
  });

  it(`two reviewers settling the same pending order at once: one 200, one 409, one review (${REVIEW_RACES} races)`, async () => {
    const orderIds = Array.from({ length: REVIEW_RACES }, (_, index) => `CONC-REVIEW-${index}`);
    for (const orderId of orderIds) {
      const screened = await api.post('/orders', validOrderBody({ orderId }));
      expect(screened.body.status).toBe('PENDING_REVIEW');
    }

    const races = await Promise.all(
      orderIds.map((orderId) =>
        Promise.all([
          api.post(`/orders/${orderId}/review`, { decision: 'APPROVED', reviewer: 'ana@risk-team' }),
          api.post(`/orders/${orderId}/review`, { decision: 'REJECTED', reviewer: 'bob@risk-team' }),
        ]),
      ),
    );

    let approvedWins = 0;
    for (const [index, answers] of races.entries()) {
      const orderId = orderIds[index]!;
      expect(answers.map((answer: ApiResponse) => answer.status).sort()).toEqual([200, 409]);
      const winner = answers.find((answer) => answer.status === 200)!;
      const loser = answers.find((answer) => answer.status === 409)!;
      expect(loser.body).toEqual({ status: 'CONFLICT', message: `Order ${orderId} is ${String(winner.body.status)}, not PENDING_REVIEW` });
      const stored = await api.get(`/orders/${orderId}`);
      expect(stored.body.status).toBe(winner.body.status);
      expect(stored.body.reviews).toEqual([expect.objectContaining({ orderId, decision: winner.body.status, previousStatus: 'PENDING_REVIEW' })]);
      if (winner.body.status === 'APPROVED') approvedWins += 1;
    }

    // The rollups moved once per order: every order left PENDING_REVIEW exactly once.
    const audit = auditAndCheck(api);
    expect(audit.ordersByStatus).toEqual({ APPROVED: approvedWins, REJECTED: REVIEW_RACES - approvedWins, PENDING_REVIEW: 0 });
    const [rollup] = await api.runtime.store.getRollups(new Date().toISOString().slice(0, 10), new Date().toISOString().slice(0, 10));
    expect(rollup?.counters).toMatchObject({ reviewedApproved: approvedWins, reviewedRejected: REVIEW_RACES - approvedWins, pendingReview: 0 });
    // One ORDER_REVIEWED event per order reaches the notifier.
    await api.drainOutbox();
    expect(notificationLines(api).filter((line) => line.includes('"type":"ORDER_REVIEWED"'))).toHaveLength(REVIEW_RACES);
  });
});
