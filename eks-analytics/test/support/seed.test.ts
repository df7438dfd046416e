import { SqliteOrderStore } from '@orderops/lambda-order-processor/sqlite-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { approvedOrderBody, orderBody, pendingReviewOrderBody, rejectedOrderBody, seedOrderStore, seedValidationFailures } from './seed.js';

describe('test support: seeding through the order API', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'analytics-seed-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function rollups(startDay: string, endDay: string) {
    const store = SqliteOrderStore.open({ file: path.join(dataDir, 'orderops.sqlite') });
    try {
      return await store.getRollups(startDay, endDay);
    } finally {
      await store.close();
    }
  }

  it('gives distinct orders whose outcomes are as named', async () => {
    const bodies = [orderBody(), approvedOrderBody(), pendingReviewOrderBody(), rejectedOrderBody()];
    expect(new Set(bodies.map((body) => body.orderId)).size).toBe(4);
    expect(new Set(bodies.map((body) => body.customerId)).size).toBe(4);
    expect(new Set(bodies.map((body) => body.customerEmail)).size).toBe(4);
    expect(new Set(bodies.map((body) => body.cardLast4)).size).toBe(4);
    const seeded = await seedOrderStore(
      dataDir,
      bodies.map((body, index) => ({ at: `2025-06-02T10:00:0${index}Z`, body })),
    );
    expect(seeded.map((order) => [order.status, order.aiScore, order.totalAmountCents])).toEqual([
      ['APPROVED', 9.2, 7995],
      ['APPROVED', 9.2, 7995],
      ['PENDING_REVIEW', 5.6, 250000],
      ['REJECTED', 2, 500000],
    ]);
    expect(seeded.every((order) => order.day === '2025-06-02' && order.timestamp.startsWith('2025-06-02T10:00:0'))).toBe(true);
  });

  it('many orders of one day do not trip each other (velocity, shared cards or addresses)', async () => {
    const seeded = await seedOrderStore(
      dataDir,
      Array.from({ length: 12 }, (_, index) => ({ at: `2025-06-02T10:00:${String(index).padStart(2, '0')}Z`, body: approvedOrderBody() })),
    );
    expect(new Set(seeded.map((order) => `${order.status} ${order.aiScore}`))).toEqual(new Set(['APPROVED 9.2']));
  });

  it('stamps each order with its own time and applies reviews at theirs, moving the rollup of the order day', async () => {
    const seeded = await seedOrderStore(dataDir, [
      { at: '2024-12-31T23:59:59Z', body: pendingReviewOrderBody(), review: { decision: 'APPROVED', reviewer: 'ana', at: '2025-01-02T08:00:00Z' } },
      { at: '2025-01-01T00:00:00Z', body: pendingReviewOrderBody(), review: { decision: 'REJECTED', reviewer: 'bo', at: '2025-01-01T00:00:00Z' } },
      { at: '2025-01-01T12:00:00Z', body: pendingReviewOrderBody() },
    ]);
    expect(seeded.map((order) => [order.day, order.status, order.finalStatus])).toEqual([
      ['2024-12-31', 'PENDING_REVIEW', 'APPROVED'],
      ['2025-01-01', 'PENDING_REVIEW', 'REJECTED'],
      ['2025-01-01', 'PENDING_REVIEW', 'PENDING_REVIEW'],
    ]);
    // The stored cost includes the review's processing; the answer was given before it.
    expect(seeded[0]!.costNanos.total).toBeGreaterThan(seeded[0]!.costMetrics.totalProcessingCost * 1e9);
    expect(seeded[2]!.costNanos.total).toBe(Math.round(seeded[2]!.costMetrics.totalProcessingCost * 1e9));

    const days = await rollups('2024-12-31', '2025-01-02');
    expect(days.map((rollup) => [rollup.day, rollup.counters.ordersTotal, rollup.counters.approved, rollup.counters.pendingReview, rollup.counters.rejected])).toEqual([
      ['2024-12-31', 1, 1, 0, 0],
      ['2025-01-01', 2, 0, 1, 1],
    ]);
    expect(days[0]!.counters.costTotalNanos).toBe(seeded[0]!.costNanos.total);
    expect(days[1]!.counters.costTotalNanos).toBe(seeded[1]!.costNanos.total + seeded[2]!.costNanos.total);
  });

  it('refuses bad seed data instead of writing something else', async () => {
    await expect(seedOrderStore(dataDir, [{ at: '2025-01-01T00:00:00Z', body: orderBody({ totalAmount: 1 }) }])).rejects.toThrow(/was refused: 400/);
    await expect(
      seedOrderStore(dataDir, [{ at: '2025-01-02T00:00:00Z', body: approvedOrderBody(), review: { decision: 'APPROVED', reviewer: 'ana', at: '2025-01-03T00:00:00Z' } }]),
    ).rejects.toThrow(/was refused: 409/);
    await expect(seedOrderStore(dataDir, [{ at: 'yesterday', body: approvedOrderBody() }])).rejects.toThrow('not an ISO timestamp');
  });

  it('counts validation failures in the rollup of their day, storing no order', async () => {
    const answers = await seedValidationFailures(dataDir, ['2025-03-01T10:00:00Z', '2025-03-01T11:00:00Z']);
    expect(answers.map((answer) => answer.status)).toEqual(['VALIDATION_ERROR', 'VALIDATION_ERROR']);
    const [day] = await rollups('2025-03-01', '2025-03-01');
    expect(day!.counters).toMatchObject({ validationErrors: 2, ordersTotal: 0 });
    expect(day!.counters.costTotalNanos).toBeGreaterThan(0);
  });
});
