import { storedOrderFixture } from '../../../test/fixtures/stored-orders.js';
import { settleOrder } from './review.js';

describe('settleOrder', () => {
  const pending = storedOrderFixture({ orderId: 'REV-1', status: 'PENDING_REVIEW' });

  it('records who decided what and when, and appends the decision to the history', () => {
    const { review, updatedOrder } = settleOrder(pending, { decision: 'REJECTED', reviewer: 'ana', note: 'stolen card', reviewedAt: '2026-01-02T03:04:05.000Z' });
    expect(review).toEqual({ orderId: 'REV-1', decision: 'REJECTED', reviewer: 'ana', note: 'stolen card', reviewedAt: '2026-01-02T03:04:05.000Z', previousStatus: 'PENDING_REVIEW' });
    expect(updatedOrder.status).toBe('REJECTED');
    expect(updatedOrder.updatedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(updatedOrder.decisions).toEqual([
      ...pending.decisions,
      { status: 'REJECTED', source: 'review', at: '2026-01-02T03:04:05.000Z', reviewer: 'ana', note: 'stolen card' },
    ]);
    expect(updatedOrder.createdAt).toBe(pending.createdAt);
  });

  it('leaves the note out when there is none, and does not touch the original order', () => {
    const { review, updatedOrder } = settleOrder(pending, { decision: 'APPROVED', reviewer: 'bo', reviewedAt: '2026-01-02T03:04:05.000Z' });
    expect(review).not.toHaveProperty('note');
    expect(updatedOrder.decisions.at(-1)).toEqual({ status: 'APPROVED', source: 'review', at: '2026-01-02T03:04:05.000Z', reviewer: 'bo' });
    expect(pending.status).toBe('PENDING_REVIEW');
  });
});
