import { nanosToDollars } from '@orderops/lambda-order-processor/domain/costs/money';
import type { SqliteOrderStore } from '@orderops/lambda-order-processor/sqlite-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addDays } from '../../src/domain/date-range.js';
import { ANALYTICS_STORE } from '../../src/ports/analytics-store.js';
import { startAnalytics, type StartedAnalytics } from '../support/analytics-app.js';
import { approvedOrderBody, pendingReviewOrderBody, rejectedOrderBody, seedOrderStore, type SeededOrder, type SeedOrder } from '../support/seed.js';

/** The samples of a Prometheus text exposition: `name{labels}` -> value. */
function samples(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    result.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return result;
}

const today = new Date().toISOString().slice(0, 10);
const at = (day: string, time: string): string => `${day}T${time}Z`;
const review = (decision: 'APPROVED' | 'REJECTED', day: string) => ({ decision, reviewer: 'ana@risk-team', at: at(day, '12:00:00') });

describe('GET /metrics', () => {
  let dataDir: string;
  let analytics: StartedAnalytics;
  let seeded: SeededOrder[];

  // Times are within each UTC day (the order API's clock is set per order), whatever the wall time.
  const threeDaysAgo = addDays(today, -3);
  const tenDaysAgo = addDays(today, -10);
  const fortyDaysAgo = addDays(today, -40);
  const orders: SeedOrder[] = [
    { at: at(today, '00:00:01'), body: approvedOrderBody() },
    { at: at(today, '00:00:02'), body: approvedOrderBody() },
    { at: at(today, '00:00:03'), body: pendingReviewOrderBody() },
    { at: at(today, '00:00:04'), body: pendingReviewOrderBody(), review: review('APPROVED', today) },
    { at: at(today, '00:00:05'), body: rejectedOrderBody() },
    { at: at(threeDaysAgo, '09:00:00'), body: approvedOrderBody() },
    { at: at(threeDaysAgo, '09:00:01'), body: pendingReviewOrderBody(), review: review('REJECTED', threeDaysAgo) },
    // Outside the 7-day gauges, inside the 30-day review queue.
    { at: at(tenDaysAgo, '23:59:59'), body: pendingReviewOrderBody() },
    { at: at(tenDaysAgo, '10:00:00'), body: approvedOrderBody() },
    // Outside every window.
    { at: at(fortyDaysAgo, '10:00:00'), body: pendingReviewOrderBody() },
  ];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'analytics-metrics-'));
    seeded = await seedOrderStore(dataDir, orders);
    analytics = await startAnalytics({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await analytics.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers Prometheus text with the default process metrics', async () => {
    const response = await analytics.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const values = samples(response.text);
    expect(values.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(values.get('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(response.text).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('the seeded orders landed where the gauges expect them', () => {
    expect(seeded.map((order) => `${order.day} ${order.status}>${order.finalStatus}`)).toEqual([
      `${today} APPROVED>APPROVED`,
      `${today} APPROVED>APPROVED`,
      `${today} PENDING_REVIEW>PENDING_REVIEW`,
      `${today} PENDING_REVIEW>APPROVED`,
      `${today} REJECTED>REJECTED`,
      `${threeDaysAgo} APPROVED>APPROVED`,
      `${threeDaysAgo} PENDING_REVIEW>REJECTED`,
      `${tenDaysAgo} PENDING_REVIEW>PENDING_REVIEW`,
      `${tenDaysAgo} APPROVED>APPROVED`,
      `${fortyDaysAgo} PENDING_REVIEW>PENDING_REVIEW`,
    ]);
  });

  it('business gauges equal the seeded orders exactly (reviews move the counts)', async () => {
    const values = samples((await analytics.http.get('/metrics').expect(200)).text);
    expect(values.get('orderops_store_up')).toBe(1);
    expect(values.get('orderops_orders{status="APPROVED"}')).toBe(3);
    expect(values.get('orderops_orders{status="PENDING_REVIEW"}')).toBe(1);
    expect(values.get('orderops_orders{status="REJECTED"}')).toBe(1);
    expect(values.get('orderops_orders_last_7_days{status="APPROVED"}')).toBe(4);
    expect(values.get('orderops_orders_last_7_days{status="PENDING_REVIEW"}')).toBe(1);
    expect(values.get('orderops_orders_last_7_days{status="REJECTED"}')).toBe(2);
    expect(values.get('orderops_review_queue_orders')).toBe(2);

    // Costs of the last 7 days: the first 7 seeded orders, each with its review's cost, to the nano-dollar.
    const recent = seeded.slice(0, 7);
    const sum = (pick: (order: SeededOrder) => number): number => recent.reduce((total, order) => total + pick(order), 0);
    const services = {
      bedrock: sum((order) => order.costNanos.bedrock),
      lambda: sum((order) => order.costNanos.lambda),
      dynamodb: sum((order) => order.costNanos.dynamodb),
      s3: sum((order) => order.costNanos.s3),
      sns: sum((order) => order.costNanos.sns),
      apigateway: sum((order) => order.costNanos.apiGateway),
      cloudwatch: sum((order) => order.costNanos.cloudwatch),
    };
    for (const [service, nanos] of Object.entries(services)) {
      expect(values.get(`orderops_processing_cost_dollars_last_7_days{service="${service}"}`)).toBe(nanosToDollars(nanos));
    }
    const totalNanos = sum((order) => order.costNanos.total);
    expect(Object.values(services).reduce((a, b) => a + b, 0)).toBe(totalNanos);
    // Reviews cost something: two of the seven orders cost more than one screening.
    expect(totalNanos).toBeGreaterThan(sum((order) => Math.round(order.costMetrics.totalProcessingCost * 1e9)));
    expect(values.get('orderops_cost_per_order_dollars')).toBe(nanosToDollars(Math.round(totalNanos / 7)));
  });

  it('records request latency by route pattern, method and status', async () => {
    const orderId = seeded[0]!.orderId;
    await analytics.http.get('/health/ready').expect(200);
    await analytics.http.get('/health/ready').expect(200);
    await analytics.http.get(`/api/orders/${orderId}`).expect(200);
    await analytics.http.get(`/api/orders/${seeded[1]!.orderId}`).expect(200);
    await analytics.http.get('/no/such/page').expect(404);
    await analytics.http.get('/docs-json').expect(200);

    const values = samples((await analytics.http.get('/metrics').expect(200)).text);
    const count = (route: string, status: number) => values.get(`http_request_duration_seconds_count{method="GET",route="${route}",status_code="${status}"}`);
    expect(count('/health/ready', 200)).toBe(2);
    // One series for every order id: the pattern, never the URL.
    expect(count('/api/orders/:orderId', 200)).toBe(2);
    expect([...values.keys()].some((key) => key.includes(orderId))).toBe(false);
    expect(count('unmatched', 404)).toBe(1);
    expect(count('/docs-json', 200)).toBe(1);
    expect(values.get('http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/health/ready",status_code="200"}')).toBe(2);
    expect(values.get('http_request_duration_seconds_sum{method="GET",route="/health/ready",status_code="200"}')).toBeGreaterThan(0);
  });
});

describe('GET /metrics on an empty store, and without a store', () => {
  let analytics: StartedAnalytics;

  beforeAll(async () => {
    analytics = await startAnalytics({});
  });
  afterAll(async () => {
    await analytics.close();
  });

  it('reports zero orders and no cost per order (undefined without orders)', async () => {
    const response = await analytics.http.get('/metrics').expect(200);
    const values = samples(response.text);
    expect(values.get('orderops_store_up')).toBe(1);
    expect(values.get('orderops_orders{status="APPROVED"}')).toBe(0);
    expect(values.get('orderops_orders_last_7_days{status="PENDING_REVIEW"}')).toBe(0);
    expect(values.get('orderops_processing_cost_dollars_last_7_days{service="lambda"}')).toBe(0);
    expect(values.get('orderops_review_queue_orders')).toBe(0);
    expect(response.text).not.toContain('orderops_cost_per_order_dollars');
  });

  it('still answers when the store is gone: store_up 0 and no business gauges, never stale ones', async () => {
    await analytics.app.get<SqliteOrderStore>(ANALYTICS_STORE).close();
    const response = await analytics.http.get('/metrics').expect(200);
    const values = samples(response.text);
    expect(values.get('orderops_store_up')).toBe(0);
    expect(response.text).not.toContain('orderops_orders');
    expect(response.text).not.toContain('orderops_review_queue_orders');
    expect(values.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });
});
