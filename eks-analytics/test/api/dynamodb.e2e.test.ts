import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nanosToDollars } from '@orderops/lambda-order-processor/domain/costs/money';
import { dynamoDbClient } from '@orderops/lambda-order-processor/dynamodb-store';
import { createOrderTable, startDynamoDbLocal, type DynamoDbLocal } from '@orderops/lambda-order-processor/dynamodb-local';
import { startAnalytics, type StartedAnalytics } from '../support/analytics-app.js';
import {
  approvedOrderBody,
  pendingReviewOrderBody,
  rejectedOrderBody,
  seedOrderStore,
  seedValidationFailures,
  type SeedOrder,
  type SeededOrder,
  type SeedStoreEnv,
} from '../support/seed.js';

jest.setTimeout(120_000);

const TABLE = 'orderops-analytics-e2e';
const REGION = 'us-east-1';
/** DynamoDB Local accepts any credentials; the SDK's default chain reads these. */
const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' } as const;
const RANGE = 'startDate=2026-01-30&endDate=2026-02-02';
const COST_FIELDS = ['totalProcessingCost', 'bedrockCost', 'lambdaCost', 'dynamoDbCost', 's3Cost', 'snsCost', 'apiGatewayCost', 'cloudwatchCost', 'costPerOrder'] as const;

/** Exact dollars of one cost line over the seeded orders, summed in nano-dollars first (as the API must). */
function sumDollars(orders: readonly SeededOrder[], line: 'total' | 'lambda' | 'dynamodb' | 's3' | 'sns'): number {
  return nanosToDollars(orders.reduce((sum, order) => sum + order.costNanos[line], 0));
}

/** A response without its cost figures (and the measured billed time): what must be identical whichever engine stored the orders. */
function withoutCosts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCosts);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !/cost|billed/i.test(key)).map(([key, inner]) => [key, withoutCosts(inner)]));
}

describe('analytics on DynamoDB (STORE=dynamodb) over a table written by the order API', () => {
  const savedEnv: Record<string, string | undefined> = {};
  let dynamo: DynamoDbLocal;
  let storeEnv: SeedStoreEnv;
  let sqliteDir: string;
  let dynamoDir: string;
  let onDynamo: SeededOrder[];
  let onSqlite: SeededOrder[];
  let dynamoApi: StartedAnalytics;
  let sqliteApi: StartedAnalytics;

  beforeAll(async () => {
    for (const [name, value] of Object.entries(DUMMY_CREDENTIALS)) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }
    dynamo = await startDynamoDbLocal();
    const client = dynamoDbClient({ region: REGION, endpoint: dynamo.endpoint });
    await createOrderTable(client, TABLE);
    client.destroy();
    storeEnv = { STORE: 'dynamodb', ORDERS_TABLE: TABLE, DYNAMODB_ENDPOINT: dynamo.endpoint, ROLLUP_SHARDS: '4', AWS_REGION: REGION };

    // The same orders (same ids and bodies) recorded through the order API on each engine: one
    // pending order rejected by a reviewer two days later, then 3 approved, 2 rejected and 13 pending
    // ones spread over four days across a month boundary.
    const orders: SeedOrder[] = [
      { at: '2026-01-31T09:00:00.000Z', body: pendingReviewOrderBody(), review: { decision: 'REJECTED', reviewer: 'ana', at: '2026-02-02T08:00:00.000Z' } },
    ];
    const days = ['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02'];
    for (let index = 0; index < 18; index += 1) {
      const body = index < 3 ? approvedOrderBody() : index < 5 ? rejectedOrderBody() : pendingReviewOrderBody();
      orders.push({ at: `${days[index % days.length]!}T${10 + Math.floor(index / days.length)}:00:00.000Z`, body });
    }
    // Refused requests on a day of their own, so the range above holds only the orders' exact costs.
    const refusedAt = ['2026-02-03T10:00:00.000Z', '2026-02-03T10:00:01.000Z'];

    sqliteDir = mkdtempSync(path.join(tmpdir(), 'dynamodb-e2e-sqlite-'));
    dynamoDir = mkdtempSync(path.join(tmpdir(), 'dynamodb-e2e-'));
    onDynamo = await seedOrderStore(dynamoDir, orders, storeEnv);
    await seedValidationFailures(dynamoDir, refusedAt, storeEnv);
    onSqlite = await seedOrderStore(sqliteDir, orders);
    await seedValidationFailures(sqliteDir, refusedAt);
    [dynamoApi, sqliteApi] = await Promise.all([startAnalytics({ DATA_DIR: dynamoDir, ...storeEnv }), startAnalytics({ DATA_DIR: sqliteDir })]);
  });

  afterAll(async () => {
    await Promise.all([dynamoApi?.close(), sqliteApi?.close()]);
    await dynamo?.stop();
    for (const dir of [sqliteDir, dynamoDir]) if (dir) rmSync(dir, { recursive: true, force: true });
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  });

  it('was seeded with the same decisions on both engines', () => {
    const outcome = (orders: SeededOrder[]) => orders.map((order) => `${order.orderId}:${order.day}:${order.status}>${order.finalStatus}:${order.aiScore}`);
    expect(outcome(onDynamo)).toEqual(outcome(onSqlite));
    expect(onDynamo.filter((order) => order.finalStatus === 'PENDING_REVIEW')).toHaveLength(13);
  });

  it('GET /api/finops/metrics: counts, reviews moving counts and score histogram as on SQLite, costs exact to the nano-dollar', async () => {
    const body = (await dynamoApi.http.get(`/api/finops/metrics?${RANGE}`).expect(200)).body as Record<string, unknown>;
    expect(body).toMatchObject({
      startDate: '2026-01-30',
      endDate: '2026-02-02',
      totalOrders: 19,
      approvedOrders: 3,
      rejectedOrders: 3,
      pendingReviewOrders: 13,
      reviewedOrders: 1,
      validationErrors: 0,
      totalBedrockTokens: 0,
      aiCalls: 0,
      bedrockCost: 0,
      blockedFraudAmount: 5000 + 2500 + 5000,
    });
    // Every dollar figure is the exact nano-dollar sum of what the order API stored for each order.
    expect(body.totalProcessingCost).toBe(sumDollars(onDynamo, 'total'));
    expect(body.lambdaCost).toBe(sumDollars(onDynamo, 'lambda'));
    expect(body.dynamoDbCost).toBe(sumDollars(onDynamo, 'dynamodb'));
    expect(body.s3Cost).toBe(sumDollars(onDynamo, 's3'));
    expect(body.snsCost).toBe(sumDollars(onDynamo, 'sns'));
    // Everything but the costs (DynamoDB's are measured from consumed capacity) is the SQLite answer.
    const onSqliteBody = (await sqliteApi.http.get(`/api/finops/metrics?${RANGE}`).expect(200)).body as Record<string, unknown>;
    expect(withoutCosts(body)).toEqual(withoutCosts(onSqliteBody));
    expect(onSqliteBody.totalProcessingCost).toBe(sumDollars(onSqlite, 'total'));
    for (const field of COST_FIELDS) expect(typeof body[field]).toBe('number');
  });

  it('counts and prices the refused requests on their own day', async () => {
    const body = (await dynamoApi.http.get('/api/finops/metrics?startDate=2026-02-03&endDate=2026-02-03').expect(200)).body as Record<string, unknown>;
    expect(body).toMatchObject({ totalOrders: 0, validationErrors: 2 });
    expect(body.totalProcessingCost).toBeGreaterThan(0);
  });

  it('GET /api/orders pages the review queue with a cursor, newest first, exactly as on SQLite', async () => {
    async function allPages(api: StartedAnalytics): Promise<{ pages: number; orders: Array<Record<string, unknown>> }> {
      const orders: Array<Record<string, unknown>> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/orders?status=PENDING_REVIEW&${RANGE}&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = (await api.http.get(url).expect(200)).body as { orders: Array<Record<string, unknown>>; nextCursor: string | null };
        orders.push(...page.orders);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 10);
      return { pages, orders };
    }
    const dynamoPages = await allPages(dynamoApi);
    expect(dynamoPages.pages).toBe(3);
    expect(dynamoPages.orders.map((order) => order.orderId).sort()).toEqual(
      onDynamo
        .filter((order) => order.finalStatus === 'PENDING_REVIEW')
        .map((order) => order.orderId)
        .sort(),
    );
    const times = dynamoPages.orders.map((order) => String(order.createdAt));
    expect(times).toEqual([...times].sort().reverse());
    expect(dynamoPages.orders).toEqual((await allPages(sqliteApi)).orders);
    await dynamoApi.http.get('/api/orders?cursor=not-a-cursor').expect(400);
  });

  it('GET /api/orders/{id}: the drill-down with its decisions and review, as on SQLite', async () => {
    const reviewed = onDynamo[0]!;
    const detail = (await dynamoApi.http.get(`/api/orders/${reviewed.orderId}`).expect(200)).body as Record<string, unknown>;
    expect(detail).toMatchObject({ orderId: reviewed.orderId, status: 'REJECTED' });
    expect((detail.decisions as Array<{ source: string; status: string }>).map((decision) => `${decision.source}:${decision.status}`)).toEqual([
      'screening:PENDING_REVIEW',
      'review:REJECTED',
    ]);
    expect(detail.reviews).toEqual([expect.objectContaining({ decision: 'REJECTED', reviewer: 'ana', previousStatus: 'PENDING_REVIEW' })]);
    const onSqliteDetail = (await sqliteApi.http.get(`/api/orders/${reviewed.orderId}`).expect(200)).body as Record<string, unknown>;
    expect(withoutCosts(detail)).toEqual(withoutCosts(onSqliteDetail));
    await dynamoApi.http.get('/api/orders/NO-SUCH-ORDER').expect(404);
  });

  it('/health/ready is up while DynamoDB Local answers, and down once it is stopped', async () => {
    const up = await dynamoApi.http.get('/health/ready').expect(200);
    expect(up.body).toMatchObject({ status: 'ok', info: { store: { status: 'up' } } });
    await dynamo.stop();
    const down = await dynamoApi.http.get('/health/ready').expect(503);
    expect(down.body).toMatchObject({ status: 'error', error: { store: { status: 'down' } } });
    const metrics = await dynamoApi.http.get(`/api/finops/metrics?${RANGE}`).expect(503);
    expect(metrics.headers['retry-after']).toBe('1');
    expect(metrics.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'the order store is unavailable; retry shortly' });
  });
});
