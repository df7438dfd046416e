import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { REVIEWS } from '../../src/adapters/sqlite-store/schema.js';
import { validOrderBody } from '../fixtures/valid-order.js';
import {
  auditStore,
  expectNoDrift,
  getAnswer,
  openStoreReadOnly,
  postJson,
  sleep,
  sqliteFile,
  startServerProcess,
  stopAllServers,
  type Answer,
  type ServerProcess,
} from './support/server-process.js';

/*
 * Store outage (issue 6, item 2). The outage modelled: another process holds the database's write
 * lock (a backup, a migration, an operator's shell) longer than the server's busy timeout (5 s).
 * It is real SQLite behaviour on the real file, and it ends on its own, so it also shows whether
 * the server recovers without anyone restarting it.
 */
const BASELINE = 5;
const DURING_OUTAGE = 3;
const TIMEOUT_MS = 120_000;

async function waitUntilDelivered(dataDir: string): Promise<void> {
  const db = openStoreReadOnly(dataDir);
  try {
    const deadline = Date.now() + 30_000;
    while (auditStore(db).pendingEvents > 0 && Date.now() < deadline) await sleep(100);
  } finally {
    db.close();
  }
}

function reviewCount(dataDir: string): number {
  const db = openStoreReadOnly(dataDir);
  try {
    return db.prepare(`SELECT count(*) FROM ${REVIEWS.table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('store outage: the write lock held by another process', () => {
  let dataDir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'orderops-outage-'));
    // Every order waits for review, so the outage also meets a review.
    server = await startServerProcess(dataDir, { REJECT_BELOW_SCORE: '0', APPROVE_FROM_SCORE: '10' });
  });
  afterAll(async () => {
    await stopAllServers();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After, writes nothing, and recovers by itself when the lock is released', async () => {
    const baseline = Array.from({ length: BASELINE }, (_, index) => validOrderBody({ orderId: `OUTAGE-BASE-${index}` }));
    for (const order of baseline) expect((await postJson(`${server.url}/orders`, order)).body.status).toBe('PENDING_REVIEW');
    await waitUntilDelivered(dataDir);

    const locker = new Database(sqliteFile(dataDir));
    locker.pragma('busy_timeout = 5000');
    locker.exec('BEGIN IMMEDIATE');
    const outageOrders = Array.from({ length: DURING_OUTAGE }, (_, index) => validOrderBody({ orderId: `OUTAGE-NEW-${index}`, customerId: `CUST-OUTAGE-${index}` }));
    let refused: Answer[];
    let review: Answer;
    let outageMs: number;
    let read: Answer;
    let health: Answer;
    let healthDuringMs = 0;
    let healthDuring: Answer | undefined;
    try {
      const started = Date.now();
      // A health check sent while the writes wait for the lock: how long the server cannot answer anything.
      const healthCheck = sleep(500)
        .then(() => getAnswer(`${server.url}/health`))
        .then((answer) => {
          healthDuringMs = Date.now() - started - 500;
          healthDuring = answer;
        });
      [refused, review] = await Promise.all([
        Promise.all(outageOrders.map((order) => postJson(`${server.url}/orders`, order))),
        postJson(`${server.url}/orders/OUTAGE-BASE-0/review`, { decision: 'APPROVED', reviewer: 'ana@risk-team' }),
      ]);
      outageMs = Date.now() - started;
      await healthCheck;
      // Reads do not need the write lock (WAL): they keep working during the outage.
      read = await getAnswer(`${server.url}/orders/OUTAGE-BASE-1`);
      health = await getAnswer(`${server.url}/health`);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }

    for (const answer of [...refused, review]) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.body).toEqual({ status: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
      expect(answer.text).not.toMatch(/sqlite|database|busy|Error/i);
    }
    expect(read.status).toBe(200);
    // Orders wait for the lock on timers, not inside SQLite: the server answers meanwhile, and its
    // health check says what is true, that orders cannot be recorded now.
    expect(healthDuring?.status).toBe(503);
    expect(healthDuringMs).toBeLessThan(1_000);
    expect(health.status).toBe(503);

    // Nothing of the refused requests was written: the store is exactly the baseline.
    const during = openStoreReadOnly(dataDir);
    const audit = auditStore(during);
    during.close();
    expectNoDrift(audit);
    expect(audit.ordersByStatus).toEqual({ APPROVED: 0, PENDING_REVIEW: BASELINE, REJECTED: 0 });
    expect(reviewCount(dataDir)).toBe(0);

    // Recovery without a restart: the same requests, retried as the client was told to, succeed,
    // and none is a replay, so none had been half-recorded during the outage.
    const retried = await Promise.all(outageOrders.map((order) => postJson(`${server.url}/orders`, order)));
    expect(retried.map((answer) => answer.status)).toEqual(Array(DURING_OUTAGE).fill(200));
    expect(retried.filter((answer) => answer.headers.get('idempotent-replay') !== null)).toEqual([]);
    const reviewed = await postJson(`${server.url}/orders/OUTAGE-BASE-0/review`, { decision: 'APPROVED', reviewer: 'ana@risk-team' });
    expect(reviewed.status).toBe(200);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    await waitUntilDelivered(dataDir);
    const after = openStoreReadOnly(dataDir);
    const final = auditStore(after);
    after.close();
    expectNoDrift(final);
    expect(final).toMatchObject({ orders: BASELINE + DURING_OUTAGE, pendingEvents: 0 });
    expect(final.ordersByStatus).toEqual({ APPROVED: 1, PENDING_REVIEW: BASELINE + DURING_OUTAGE - 1, REJECTED: 0 });
    expect(reviewCount(dataDir)).toBe(1);
    expect(await server.stop()).toBe(0);

    console.log(`store outage: ${DURING_OUTAGE} orders and 1 review refused with 503 in ${outageMs} ms (busy timeout 5 s), a health check sent meanwhile waited ${healthDuringMs} ms, all retried with 200 after the lock was released, no restart`);
  }, TIMEOUT_MS);
});
