import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validOrderBody } from '../fixtures/valid-order.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

// Thresholds are configuration: with these, every order that is not rejected outright waits for a person.
const EVERYTHING_IN_REVIEW = { REJECT_BELOW_SCORE: '0', APPROVE_FROM_SCORE: '10' };

describe('manual review of PENDING_REVIEW orders', () => {
  let api: TestApi;
  const today = new Date().toISOString().slice(0, 10);

  beforeEach(async () => {
    api = await startTestApi(EVERYTHING_IN_REVIEW);
  });
  afterEach(async () => {
    await api.stop();
  });

  async function pendingOrder(orderId: string): Promise<Record<string, unknown>> {
    const response = await api.post('/orders', validOrderBody({ orderId }));
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('PENDING_REVIEW');
    expect((response.body.rejectionReasons as string[]).length).toBeGreaterThan(0);
    return response.body;
  }

  it('settles a pending order, keeps the audit record, moves the rollup and notifies', async () => {
    const screened = await pendingOrder('REVIEW-1');
    const order = validOrderBody({ orderId: 'REVIEW-1' });
    const before = (await api.runtime.store.getRollups(today, today))[0]!.counters;
    expect(before).toMatchObject({ pendingReview: 1, approved: 0, amountPendingCents: Math.round((order.totalAmount as number) * 100) });

    const review = await api.post('/orders/REVIEW-1/review', { decision: 'APPROVED', reviewer: 'ana@risk-team', note: 'Called the customer' });
    expect(review.status).toBe(200);
    expect(review.body.status).toBe('APPROVED');
    expect(review.body.decisions).toEqual([
      { status: 'PENDING_REVIEW', source: 'screening', at: screened.timestamp },
      { status: 'APPROVED', source: 'review', at: expect.any(String), reviewer: 'ana@risk-team', note: 'Called the customer' },
    ]);

    const stored = await api.get('/orders/REVIEW-1');
    expect(stored.body.status).toBe('APPROVED');
    expect(stored.body.reviews).toEqual([
      { orderId: 'REVIEW-1', decision: 'APPROVED', reviewer: 'ana@risk-team', note: 'Called the customer', reviewedAt: expect.any(String), previousStatus: 'PENDING_REVIEW' },
    ]);
    // The review's own processing cost is part of what the order cost.
    const screenedCost = (screened.costMetrics as Record<string, number>).totalProcessingCost;
    expect((stored.body.costMetrics as Record<string, number>).totalProcessingCost).toBeGreaterThan(screenedCost!);

    const after = (await api.runtime.store.getRollups(today, today))[0]!.counters;
    expect(after).toMatchObject({ ordersTotal: 1, pendingReview: 0, approved: 1, reviewedApproved: 1, amountPendingCents: 0 });
    expect(after.amountApprovedCents).toBe(before.amountPendingCents!);
    expect(after.costTotalNanos).toBeGreaterThan(before.costTotalNanos);

    await api.drainOutbox();
    const notifications = readFileSync(path.join(api.dataDir, 'notifications.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(notifications.map((line) => `${line.type}:${line.status}`)).toEqual(['ORDER_SCREENED:PENDING_REVIEW', 'ORDER_REVIEWED:APPROVED']);
    const archived = JSON.parse(readFileSync(path.join(api.dataDir, 'archive', 'APPROVED', today, 'REVIEW-1.json'), 'utf8')) as Record<string, unknown>;
    expect(archived.status).toBe('APPROVED');
  });

  it('answers 409 when the order is no longer pending, and changes nothing', async () => {
    await pendingOrder('REVIEW-2');
    expect((await api.post('/orders/REVIEW-2/review', { decision: 'REJECTED', reviewer: 'bo' })).status).toBe(200);
    const again = await api.post('/orders/REVIEW-2/review', { decision: 'APPROVED', reviewer: 'cy' });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('REJECTED');
    const counters = (await api.runtime.store.getRollups(today, today))[0]!.counters;
    expect(counters).toMatchObject({ rejected: 1, approved: 0, pendingReview: 0, reviewedRejected: 1, reviewedApproved: 0 });
  });

  it('gives one decision and one 409 when two reviewers settle the same order at once', async () => {
    await pendingOrder('REVIEW-RACE');
    const answers = await Promise.all([
      api.post('/orders/REVIEW-RACE/review', { decision: 'APPROVED', reviewer: 'first' }),
      api.post('/orders/REVIEW-RACE/review', { decision: 'REJECTED', reviewer: 'second' }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const stored = await api.get('/orders/REVIEW-RACE');
    expect((stored.body.reviews as unknown[]).length).toBe(1);
  });

  it('answers 404 for an unknown order and 400 for a bad review body or order id', async () => {
    expect((await api.post('/orders/NOPE-1/review', { decision: 'APPROVED', reviewer: 'x' })).status).toBe(404);
    await pendingOrder('REVIEW-3');
    const bad = await api.post('/orders/REVIEW-3/review', { decision: 'MAYBE', reviewer: '' });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Array<{ field: string }>).map((error) => error.field).sort()).toEqual(['decision', 'reviewer']);
    expect((await api.post('/orders/REVIEW-3/review', { decision: 'APPROVED', reviewer: 'x', extra: 1 })).status).toBe(400);
    expect((await api.get('/orders/%20bad%20id')).status).toBe(400);
    expect((await api.get('/orders/REVIEW-3')).body.status).toBe('PENDING_REVIEW');
  });
});
