import type { SqliteOrderStore } from '@orderops/lambda-order-processor/sqlite-store';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ANALYTICS_STORE } from '../../src/ports/analytics-store.js';
import { startAnalytics, type StartedAnalytics } from '../support/analytics-app.js';
import { approvedOrderBody, seedOrderStore } from '../support/seed.js';

const NO_CACHE = 'no-cache, no-store, must-revalidate';

describe('health endpoints', () => {
  let dataDir: string;
  let analytics: StartedAnalytics;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'analytics-health-'));
    await seedOrderStore(dataDir, [{ at: new Date().toISOString(), body: approvedOrderBody() }]);
    analytics = await startAnalytics({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await analytics.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('GET /health: liveness in the terminus format, never cached', async () => {
    const response = await analytics.http.get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    expect(response.headers['cache-control']).toBe(NO_CACHE);
  });

  it('GET /health/ready: the store indicator is up', async () => {
    const response = await analytics.http.get('/health/ready').expect(200);
    expect(response.body).toEqual({ status: 'ok', info: { store: { status: 'up' } }, error: {}, details: { store: { status: 'up' } } });
    expect(response.headers['cache-control']).toBe(NO_CACHE);
  });

  it('GET /actuator/health: exactly {"status":"UP"}', async () => {
    const response = await analytics.http.get('/actuator/health').expect(200).expect('content-type', /application\/json/);
    expect(response.text).toBe('{"status":"UP"}');
  });
});

describe('health when the store does not answer', () => {
  let analytics: StartedAnalytics;

  beforeAll(async () => {
    analytics = await startAnalytics({});
    // The store connection goes away under the running application.
    await analytics.app.get<SqliteOrderStore>(ANALYTICS_STORE).close();
  });
  afterAll(async () => {
    await analytics.close();
  });

  it('GET /health/ready: 503 with the reason', async () => {
    const response = await analytics.http.get('/health/ready').expect(503);
    const down = { store: { status: 'down', message: 'Order store unavailable (ping)' } };
    expect(response.body).toEqual({ status: 'error', info: {}, error: down, details: down });
  });

  it('GET /actuator/health: 503 exactly {"status":"DOWN"}', async () => {
    const response = await analytics.http.get('/actuator/health').expect(503);
    expect(response.text).toBe('{"status":"DOWN"}');
  });

  it('GET /health: still alive (a store outage must not restart the process)', async () => {
    await analytics.http.get('/health').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
  });
});

describe('analytics started before the order API ever ran', () => {
  it('creates the store in an empty DATA_DIR and is ready', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'analytics-fresh-'));
    const nested = path.join(dataDir, 'not', 'yet', 'created');
    const analytics = await startAnalytics({ DATA_DIR: nested });
    try {
      expect(existsSync(path.join(nested, 'orderops.sqlite'))).toBe(true);
      await analytics.http.get('/health/ready').expect(200);
      await analytics.http.get('/actuator/health').expect(200, { status: 'UP' });
    } finally {
      await analytics.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the order API then writes to the same store, and the analytics reads it', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'analytics-first-'));
    const analytics = await startAnalytics({ DATA_DIR: dataDir });
    try {
      const [order] = await seedOrderStore(dataDir, [{ at: new Date().toISOString(), body: approvedOrderBody() }]);
      const metrics = await analytics.http.get('/metrics').expect(200);
      expect(metrics.text).toContain('orderops_orders{status="APPROVED"} 1');
      expect(order!.finalStatus).toBe('APPROVED');
    } finally {
      await analytics.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
