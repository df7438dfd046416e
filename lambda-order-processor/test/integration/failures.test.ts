import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { validOrderBody } from '../fixtures/valid-order.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const today = (): string => new Date().toISOString().slice(0, 10);

describe('failures of one part never lose an order or an event', () => {
  let api: TestApi;
  afterEach(async () => {
    await api.stop();
  });

  it('keeps retrying the archive while its folder cannot be written, then delivers exactly once', async () => {
    // Tests run as root, so permissions cannot block a folder: a plain file where the folder should be does.
    api = await startTestApi({}, { dispatcher: { baseBackoffMs: 1, maxBackoffMs: 5 } });
    const archiveDir = path.join(api.dataDir, 'archive');
    writeFileSync(archiveDir, 'not a folder');

    const response = await api.post('/orders', validOrderBody({ orderId: 'ARCHIVE-RETRY-1' }));
    expect(response.status).toBe(200);
    const status = response.body.status as string;

    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await api.dispatcher.drainOnce(new Date(Date.now() + attempt * 60_000));
    }
    // The notification went out; the archive did not, and the event is still waiting for it.
    const notifications = readFileSync(path.join(api.dataDir, 'notifications.jsonl'), 'utf8').trim().split('\n');
    expect(notifications).toHaveLength(1);
    expect(await api.outbox.pendingCount()).toBe(1);
    const [entry] = await api.outbox.due(new Date(Date.now() + 3_600_000), 10);
    expect(entry?.attempts).toBeGreaterThanOrEqual(3);
    expect(entry?.delivered).toEqual(['notify']);

    rmSync(archiveDir);
    await api.dispatcher.drainOnce(new Date(Date.now() + 3_600_000));
    expect(await api.outbox.pendingCount()).toBe(0);
    expect(existsSync(path.join(archiveDir, status, today(), 'ARCHIVE-RETRY-1.json'))).toBe(true);
    // The notification was not sent again while the archive was retried.
    expect(readFileSync(path.join(api.dataDir, 'notifications.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('posts notifications to NOTIFY_WEBHOOK_URL and retries while the webhook fails', async () => {
    const received: Array<Record<string, unknown>> = [];
    let failuresLeft = 2;
    const webhook = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          response.writeHead(503).end();
          return;
        }
        received.push({ ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>), key: request.headers['idempotency-key'] });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hooks/orders`;
    try {
      api = await startTestApi({ NOTIFY_WEBHOOK_URL: webhookUrl }, { dispatcher: { baseBackoffMs: 1, maxBackoffMs: 5 } });
      expect((await api.post('/orders', validOrderBody({ orderId: 'WEBHOOK-1' }))).status).toBe(200);
      for (let attempt = 1; attempt <= 4 && received.length === 0; attempt += 1) {
        await api.dispatcher.drainOnce(new Date(Date.now() + attempt * 60_000));
      }
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ orderId: 'WEBHOOK-1', type: 'ORDER_SCREENED', key: expect.stringContaining('WEBHOOK-1') });
      // The file line and the archive were written once, whatever the webhook did.
      expect(readFileSync(path.join(api.dataDir, 'notifications.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
      expect(await api.outbox.pendingCount()).toBe(0);
    } finally {
      await new Promise((resolve) => webhook.close(resolve));
    }
  });

  it('answers 503 with Retry-After when the store is unavailable, writes nothing, and the health check says so', async () => {
    api = await startTestApi();
    await api.runtime.store.close();
    const response = await api.post('/orders', validOrderBody({ orderId: 'STORE-DOWN-1' }));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.body).toEqual({ status: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
    expect(response.text).not.toMatch(/sqlite|database|Error/i);
    const health = await api.get('/health');
    expect(health.status).toBe(503);
  });

  it('refuses to acknowledge orders once the database file was deleted under the running server', async () => {
    api = await startTestApi();
    expect((await api.post('/orders', validOrderBody({ orderId: 'FILE-GONE-0' }))).status).toBe(200);
    // The open connection would go on writing into the unlinked file; those orders would vanish at the next start.
    const file = path.join(api.dataDir, 'orderops.sqlite');
    renameSync(file, `${file}.moved-away`);
    const order = await api.post('/orders', validOrderBody({ orderId: 'FILE-GONE-1' }));
    expect(order.status).toBe(503);
    expect(order.headers.get('retry-after')).toBe('5');
    expect((await api.get('/health')).status).toBe(503);
  });
});

describe('routing, health and CORS', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.stop();
  });

  it('answers /health when the store answers', async () => {
    const health = await api.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'UP', store: 'UP' });
  });

  it('answers unknown routes with a JSON 404 and unknown orders with 404', async () => {
    const missing = await api.get('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.status).toBe('NOT_FOUND');
    expect((await api.get('/orders/UNKNOWN-1')).status).toBe(404);
  });

  it('sends CORS headers so a browser client can call the API', async () => {
    const response = await fetch(`${api.url}/health`, { headers: { origin: 'https://shop.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
