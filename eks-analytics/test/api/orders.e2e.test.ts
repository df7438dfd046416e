import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAnalytics, type StartedAnalytics } from '../support/analytics-app.js';
import { approvedOrderBody, pendingReviewOrderBody, seedOrderStore, type SeedOrder } from '../support/seed.js';

describe('review queue and order drill-down over a store written by the order API', () => {
  let dataDir: string;
  let api: StartedAnalytics;
  const pendingIds: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'orders-e2e-'));
    const orders: SeedOrder[] = [];
    // 25 pending orders over three days (the review queue), 3 approved ones, and one pending order settled by a reviewer.
    for (let index = 0; index < 25; index += 1) {
      const day = 10 + (index % 3);
      orders.push({ at: `2026-03-${day}T${String(8 + (index % 10)).padStart(2, '0')}:${String(index).padStart(2, '0')}:00.000Z`, body: pendingReviewOrderBody() });
    }
    for (let index = 0; index < 3; index += 1) orders.push({ at: `2026-03-11T20:0${index}:00.000Z`, body: approvedOrderBody() });
    orders.push({ at: '2026-03-12T21:00:00.000Z', body: pendingReviewOrderBody(), review: { decision: 'APPROVED', reviewer: 'ana', at: '2026-03-12T22:00:00.000Z' } });
    const seeded = await seedOrderStore(dataDir, orders);
    pendingIds.push(...seeded.filter((order) => order.finalStatus === 'PENDING_REVIEW').map((order) => order.orderId));
    api = await startAnalytics({ DATA_DIR: dataDir });
  });

  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pages through the review queue with a cursor, newest first, visiting every pending order once', async () => {
    expect(pendingIds).toHaveLength(25);
    const seen: Array<{ orderId: string; createdAt: string; status: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/orders?status=PENDING_REVIEW&startDate=2026-03-01&endDate=2026-03-31&limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await api.http.get(query).expect(200)).body as { orders: typeof seen; nextCursor: string | null };
      seen.push(...page.orders);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen.map((order) => order.orderId).sort()).toEqual([...pendingIds].sort());
    expect(seen.every((order) => order.status === 'PENDING_REVIEW')).toBe(true);
    const times = seen.map((order) => order.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('filters by status and day range, and lists every status without a filter', async () => {
    const approved = (await api.http.get('/api/orders?status=APPROVED&startDate=2026-03-11&endDate=2026-03-12').expect(200)).body as { orders: Array<{ aiScore: number; totalAmount: number }> };
    // Three approved on the 11th, and the reviewed one on the 12th.
    expect(approved.orders).toHaveLength(4);
    expect(approved.orders[0]).toMatchObject({ aiScore: expect.any(Number), totalAmount: expect.any(Number) });
    const oneDay = (await api.http.get('/api/orders?startDate=2026-03-10&endDate=2026-03-10&limit=100').expect(200)).body as { orders: Array<{ day: string }> };
    expect(oneDay.orders.length).toBe(9);
    expect(oneDay.orders.every((order) => order.day === '2026-03-10')).toBe(true);
    const empty = (await api.http.get('/api/orders?startDate=2026-04-01&endDate=2026-04-30').expect(200)).body;
    expect(empty).toEqual({ orders: [], nextCursor: null, startDate: '2026-04-01', endDate: '2026-04-30' });
  });

  it('returns one order with its decision history and reviews', async () => {
    const page = (await api.http.get('/api/orders?status=APPROVED&startDate=2026-03-12&endDate=2026-03-12').expect(200)).body as { orders: Array<{ orderId: string }> };
    const reviewedId = page.orders[0]!.orderId;
    const detail = (await api.http.get(`/api/orders/${reviewedId}`).expect(200)).body as Record<string, unknown>;
    expect(detail).toMatchObject({ orderId: reviewedId, status: 'APPROVED' });
    expect((detail.decisions as Array<{ source: string; status: string }>).map((decision) => `${decision.source}:${decision.status}`)).toEqual([
      'screening:PENDING_REVIEW',
      'review:APPROVED',
    ]);
    expect(detail.reviews).toEqual([expect.objectContaining({ decision: 'APPROVED', reviewer: 'ana', previousStatus: 'PENDING_REVIEW' })]);
  });

  it.each([
    ['/api/orders?status=MAYBE', 400],
    ['/api/orders?limit=0', 400],
    ['/api/orders?limit=101', 400],
    ['/api/orders?limit=ten', 400],
    ['/api/orders?cursor=not-a-cursor', 400],
    ['/api/orders?startDate=2026-03-12&endDate=2026-03-01', 400],
    ['/api/orders?unknown=1', 400],
    ['/api/orders/NO-SUCH-ORDER', 404],
    ['/api/orders/bad%20id', 400],
  ])('answers %s with %i and a message', async (url, status) => {
    const response = await api.http.get(url).expect(status);
    expect(response.body.message).toBeDefined();
    expect(JSON.stringify(response.body)).not.toMatch(/at .+\.(js|ts):\d+/);
  });
});
