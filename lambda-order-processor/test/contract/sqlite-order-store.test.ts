import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_VELOCITY_RETENTION_SECONDS } from '../../src/adapters/dynamodb-store/items.js';
import { estimateWriteUnits } from '../../src/adapters/dynamodb-store/write-units.js';
import { OUTBOX, ROLLUP_COUNTER_COLUMNS, ROLLUPS, SCHEMA_VERSION } from '../../src/adapters/sqlite-store/schema.js';
import { SqliteOrderStore } from '../../src/adapters/sqlite-store/sqlite-order-store.js';
import { orderEvent } from '../../src/domain/events/order-event.js';
import type { OrderEvent } from '../../src/domain/events/order-event.js';
import { ROLLUP_COUNTERS } from '../../src/domain/order/rollup.js';
import { velocityKeysFor } from '../../src/domain/order/velocity.js';
import { StoreUnavailableError } from '../../src/ports/order-store.js';
import { recordInputFor, reviewInputFor, storedOrderFixture } from '../fixtures/stored-orders.js';
import { describeOrderStoreContract } from './order-store.contract.js';

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'orderops-sqlite-store-'));
let fileNumber = 0;

function freshFile(): string {
  fileNumber += 1;
  return path.join(directory, `store-${fileNumber}`, 'orders.db');
}

afterAll(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

describeOrderStoreContract('sqlite', async () => {
  const store = SqliteOrderStore.open({ file: freshFile() });
  return { store, dispose: () => store.close() };
});

/** A second, raw connection to look at what the store wrote. */
function inspect<T>(file: string, query: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

const WINDOWS = { customerSeconds: 86_400, cardSeconds: 86_400, addressSeconds: 86_400 };
const LATER = new Date('2030-01-01T00:00:00.000Z');

describe('SqliteOrderStore', () => {
  let file: string;
  let store: SqliteOrderStore;

  beforeEach(() => {
    file = freshFile();
    store = SqliteOrderStore.open({ file });
  });
  afterEach(async () => {
    await store.close();
  });

  describe('outbox', () => {
    it('holds the events of a recorded order, written with it, due at once', async () => {
      const order = storedOrderFixture({ orderId: 'OUT-1', createdAt: '2025-06-02T10:00:00.000Z' });
      const input = recordInputFor(order);
      await store.recordOrder(input);

      const due = await store.due(new Date('2025-06-02T10:00:00.000Z'), 10);
      expect(due).toEqual([{ id: expect.any(Number), event: input.events[0], attempts: 0, delivered: [] }]);
      expect(await store.pendingCount()).toBe(1);
      // Not due before the event happened.
      expect(await store.due(new Date('2025-06-02T09:59:59.999Z'), 10)).toEqual([]);
    });

    it('adds no outbox entry when the order already exists', async () => {
      const order = storedOrderFixture({ orderId: 'OUT-2' });
      await store.recordOrder(recordInputFor(order));
      const again = await store.recordOrder(
        recordInputFor({ ...order, status: 'REJECTED' }, { events: [orderEvent('ORDER_SCREENED', { ...order, status: 'REJECTED' }, order.createdAt)] }),
      );

      expect(again.outcome).toBe('exists');
      expect(await store.pendingCount()).toBe(1);
      expect((await store.due(LATER, 10)).map((entry) => entry.event.eventId)).toEqual(['OUT-2:ORDER_SCREENED:APPROVED']);
    });

    it('writes the review event with the review', async () => {
      const pending = storedOrderFixture({ orderId: 'OUT-3', status: 'PENDING_REVIEW' });
      await store.recordOrder(recordInputFor(pending));
      const review = reviewInputFor(pending, { decision: 'APPROVED', reviewedAt: '2025-06-03T08:00:00.000Z' });
      await store.applyReview(review);

      // The review event is due once the screening event (with its own snapshot) has been delivered.
      const [screened] = await store.due(LATER, 10);
      expect(screened?.event).toEqual(recordInputFor(pending).events[0]);
      await store.settle([{ id: screened!.id, delivered: ['archive'], failure: null }]);
      expect((await store.due(LATER, 10)).map((entry) => entry.event)).toEqual([review.events[0]]);
    });

    it('returns due entries oldest first, up to the limit', async () => {
      for (const id of ['OUT-A', 'OUT-B', 'OUT-C']) await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: id })));

      expect((await store.due(LATER, 2)).map((entry) => entry.event.orderId)).toEqual(['OUT-A', 'OUT-B']);
    });

    it('records delivered sinks once each, and forgets done entries', async () => {
      await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'OUT-4' })));
      const [entry] = await store.due(LATER, 10);
      const id = entry!.id;

      const failed = { error: 'notify down', retryAt: LATER };
      await store.settle([{ id, delivered: ['archive'], failure: failed }]);
      await store.settle([{ id, delivered: ['archive'], failure: failed }]);
      expect((await store.due(LATER, 10))[0]?.delivered).toEqual(['archive']);
      await store.settle([{ id, delivered: ['notify', 'archive'], failure: failed }]);
      expect((await store.due(LATER, 10))[0]?.delivered).toEqual(['archive', 'notify']);
      await expect(store.settle([{ id, delivered: ['a,b'], failure: null }])).rejects.toThrow(RangeError);
      expect(await store.pendingCount()).toBe(1);

      await store.settle([{ id, delivered: [], failure: null }]);
      expect(await store.due(LATER, 10)).toEqual([]);
      expect(await store.pendingCount()).toBe(0);
    });

    it("returns only each order's oldest pending event, so an order's events are delivered in order", async () => {
      const pending = storedOrderFixture({ orderId: 'OUT-ORDERED', status: 'PENDING_REVIEW' });
      await store.recordOrder(recordInputFor(pending));
      await store.applyReview(reviewInputFor(pending, { decision: 'APPROVED', reviewedAt: '2025-06-03T08:00:00.000Z' }));
      await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'OUT-OTHER' })));

      const first = await store.due(LATER, 10);
      expect(first.map((entry) => `${entry.event.orderId}:${entry.event.type}`)).toEqual(['OUT-ORDERED:ORDER_SCREENED', 'OUT-OTHER:ORDER_SCREENED']);
      const screened = first[0]!;
      // A failed first event holds the later one back, even once the later one would be due.
      await store.settle([{ id: screened.id, delivered: [], failure: { error: 'down', retryAt: new Date(LATER.getTime() + 60_000) } }]);
      expect((await store.due(LATER, 10)).map((entry) => entry.event.orderId)).toEqual(['OUT-OTHER']);
      await store.settle([{ id: screened.id, delivered: [], failure: null }]);
      expect((await store.due(LATER, 10)).map((entry) => `${entry.event.orderId}:${entry.event.type}`)).toEqual([
        'OUT-ORDERED:ORDER_REVIEWED',
        'OUT-OTHER:ORDER_SCREENED',
      ]);
    });

    it('settles many entries in one call: done ones leave, failed ones wait for their retry time', async () => {
      for (const id of ['OUT-S1', 'OUT-S2', 'OUT-S3']) await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: id })));
      const entries = await store.due(LATER, 10);
      const retryAt = new Date(LATER.getTime() + 60_000);
      await store.settle(
        entries.map((entry) => ({
          id: entry.id,
          delivered: entry.event.orderId === 'OUT-S2' ? ['notify'] : ['archive', 'notify'],
          failure: entry.event.orderId === 'OUT-S2' ? { error: 'archive down', retryAt } : null,
        })),
      );
      expect(await store.pendingCount()).toBe(1);
      expect(await store.due(LATER, 10)).toEqual([]);
      const [waiting] = await store.due(retryAt, 10);
      expect(waiting).toMatchObject({ attempts: 1, delivered: ['notify'], event: { orderId: 'OUT-S2' } });
    });

    it('retries a failed entry at its next attempt time, counting attempts and keeping a truncated error', async () => {
      await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'OUT-5', createdAt: '2025-06-02T10:00:00.000Z' })));
      const [entry] = await store.due(LATER, 10);
      const retryAt = new Date('2025-06-02T10:05:00.000Z');

      await store.settle([{ id: entry!.id, delivered: [], failure: { error: `archive unreachable: ${'x'.repeat(5000)}`, retryAt } }]);

      expect(await store.due(new Date('2025-06-02T10:04:59.999Z'), 10)).toEqual([]);
      expect(await store.due(retryAt, 10)).toEqual([{ ...entry, attempts: 1 }]);
      await store.settle([{ id: entry!.id, delivered: [], failure: { error: 'archive unreachable again', retryAt: new Date('2025-06-02T10:10:00.000Z') } }]);
      expect((await store.due(LATER, 10))[0]?.attempts).toBe(2);
      expect(await store.pendingCount()).toBe(1);

      await store.close();
      const lastError = inspect(file, (db) =>
        db.prepare(`SELECT ${OUTBOX.lastError} FROM ${OUTBOX.table} WHERE ${OUTBOX.id} = ?`).pluck().get(entry!.id),
      );
      expect(lastError).toBe('archive unreachable again');
    });

    it('truncates long errors to 1000 characters', async () => {
      await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'OUT-6' })));
      const [entry] = await store.due(LATER, 10);
      await store.settle([{ id: entry!.id, delivered: [], failure: { error: 'e'.repeat(5000), retryAt: LATER } }]);
      await store.close();

      const lastError = inspect(file, (db) => db.prepare(`SELECT ${OUTBOX.lastError} FROM ${OUTBOX.table}`).pluck().get()) as string;
      expect(lastError).toHaveLength(1000);
    });
  });

  describe('database file', () => {
    it('runs in WAL mode with the current schema version', async () => {
      await store.ping();
      const settings = inspect(file, (db) => ({
        journalMode: db.pragma('journal_mode', { simple: true }),
        userVersion: db.pragma('user_version', { simple: true }),
      }));
      expect(settings).toEqual({ journalMode: 'wal', userVersion: SCHEMA_VERSION });
      expect(SCHEMA_VERSION).toBe(1);
    });

    it('has one rollup column per rollup counter', async () => {
      const columns = inspect(file, (db) => (db.pragma(`table_info(${ROLLUPS.table})`) as { name: string }[]).map((column) => column.name));
      expect(columns).toEqual([ROLLUPS.day, ...ROLLUP_COUNTERS.map((counter) => ROLLUP_COUNTER_COLUMNS[counter])]);
      expect(ROLLUP_COUNTER_COLUMNS.costApiGatewayNanos).toBe('cost_api_gateway_nanos');
      expect(ROLLUP_COUNTER_COLUMNS.score10).toBe('score10');
    });

    it('adds a missing counter column when it opens, keeping the data', async () => {
      const order = storedOrderFixture({ orderId: 'MIG-1', score: 10 });
      await store.recordOrder(recordInputFor(order));
      await store.close();
      const raw = new Database(file);
      raw.exec(`ALTER TABLE ${ROLLUPS.table} DROP COLUMN ${ROLLUP_COUNTER_COLUMNS.score10}`);
      raw.close();

      store = SqliteOrderStore.open({ file });

      const [rollup] = await store.getRollups(order.day, order.day);
      expect(rollup?.counters).toMatchObject({ ordersTotal: 1, score10: 0 });
      await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'MIG-2', score: 10 })));
      expect((await store.getRollups(order.day, order.day))[0]?.counters).toMatchObject({ ordersTotal: 2, score10: 1 });
    });

    it('keeps everything across close and reopen', async () => {
      const order = storedOrderFixture({ orderId: 'KEEP-1', customerId: 'CUST-KEEP' });
      const input = recordInputFor(order);
      await store.recordOrder(input);
      await store.close();

      store = SqliteOrderStore.open({ file });

      expect((await store.getOrder('KEEP-1')).value).toEqual(order);
      expect((await store.getCustomerProfile('CUST-KEEP')).value).toMatchObject({ orderCount: 1 });
      expect((await store.getRollups(order.day, order.day))[0]?.counters.ordersTotal).toBe(1);
      expect((await store.getVelocity({ keys: velocityKeysFor(order.request), now: order.createdAt, windows: WINDOWS })).value.customerRecentOrders).toBe(1);
      expect(await store.pendingCount()).toBe(1);
    });
  });

  describe('errors', () => {
    it('reports every call after close as StoreUnavailableError', async () => {
      await store.close();
      await store.close(); // closing twice is harmless

      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.getOrder('X')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.recordOrder(recordInputFor(storedOrderFixture()))).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.due(LATER, 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it('reports a database whose folder cannot be created as StoreUnavailableError', () => {
      const blocker = path.join(directory, `not-a-folder-${fileNumber}`);
      fs.writeFileSync(blocker, 'a file where a folder should be');

      expect(() => SqliteOrderStore.open({ file: path.join(blocker, 'data', 'orders.db') })).toThrow(StoreUnavailableError);
    });

    it('reports a locked database as StoreUnavailableError with the SQLite cause', async () => {
      await store.close();
      store = SqliteOrderStore.open({ file, busyTimeoutMs: 20 });
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      try {
        const failure = await store.recordOrder(recordInputFor(storedOrderFixture({ orderId: 'LOCKED-1' }))).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(StoreUnavailableError);
        expect((failure as StoreUnavailableError).cause).toMatchObject({ code: 'SQLITE_BUSY' });
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect((await store.getOrder('LOCKED-1')).value).toBeNull();
    });

    it('does not disguise a constraint violation as unavailability', async () => {
      const pending = storedOrderFixture({ orderId: 'BUG-1', status: 'PENDING_REVIEW' });
      await store.recordOrder(recordInputFor(pending));
      const review = reviewInputFor(pending, { decision: 'APPROVED', reviewedAt: '2025-06-03T08:00:00.000Z' });
      // A delta that would drive the customer's pending count below zero.
      review.profile = { ...review.profile, pendingCount: -2 };

      const failure = await store.applyReview(review).catch((error: unknown) => error);

      expect(failure).not.toBeInstanceOf(StoreUnavailableError);
      expect(failure).toMatchObject({ code: 'SQLITE_CONSTRAINT_CHECK' });
    });

    it('rejects a malformed cursor', async () => {
      await expect(store.listOrders({ startDay: '2025-01-01', endDay: '2025-12-31', limit: 10, cursor: 'not-a-cursor' })).rejects.toThrow(
        'Invalid cursor',
      );
      await expect(store.listOrders({ startDay: '2025-01-01', endDay: '2025-12-31', limit: 0 })).rejects.toThrow(RangeError);
    });
  });

  describe('retention', () => {
    it('prunes velocity entries older than the cut-off and delivered outbox entries, in bounded steps', async () => {
      const old = storedOrderFixture({ orderId: 'RET-OLD', customerId: 'CUST-RET', createdAt: '2025-06-01T00:00:00.000Z' });
      const recent = storedOrderFixture({ orderId: 'RET-NEW', customerId: 'CUST-RET', createdAt: '2025-06-03T00:00:00.000Z' });
      await store.recordOrder(recordInputFor(old));
      await store.recordOrder(recordInputFor(recent));
      const [oldEvent] = await store.due(LATER, 10);
      await store.settle([{ id: oldEvent!.id, delivered: ['archive'], failure: null }]);
      const windows = { customerSeconds: 10 * 86_400, cardSeconds: 10 * 86_400, addressSeconds: 10 * 86_400 };
      const velocityAt = async () =>
        (await store.getVelocity({ keys: velocityKeysFor(recent.request), now: '2025-06-04T00:00:00.000Z', windows })).value.customerRecentOrders;
      expect(await velocityAt()).toBe(2);

      const cutOff = new Date('2025-06-02T00:00:00.000Z');
      expect(await store.prune({ velocityBefore: cutOff, deliveredBefore: LATER, limit: 10 })).toEqual({ velocity: 1, outbox: 1 });
      expect(await velocityAt()).toBe(1);
      // The pending event of the recent order stays, and so do the orders themselves.
      expect(await store.pendingCount()).toBe(1);
      expect((await store.getOrder('RET-OLD')).value?.orderId).toBe('RET-OLD');
      expect(await store.prune({ velocityBefore: cutOff, deliveredBefore: LATER, limit: 10 })).toEqual({ velocity: 0, outbox: 0 });
    });
  });

  describe('background checkpoints', () => {
    it('copies the WAL into the database file from a worker thread, and closes cleanly twice', async () => {
      await store.close();
      const checkpointed = freshFile();
      store = SqliteOrderStore.open({ file: checkpointed, backgroundCheckpointMs: 10 });
      const sizeAfterSchema = fs.statSync(checkpointed).size;
      await Promise.all(
        Array.from({ length: 200 }, (_, index) => store.recordOrder(recordInputFor(storedOrderFixture({ orderId: `CKPT-${index}`, customerId: `CUST-CKPT-${index}` })))),
      );
      // The inline backstop is 20,000 pages away, so only the worker can have grown the main file.
      const deadline = Date.now() + 5_000;
      while (fs.statSync(checkpointed).size <= sizeAfterSchema && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(fs.statSync(checkpointed).size).toBeGreaterThan(sizeAfterSchema);
      await store.close();
      await store.close();
      const reopened = SqliteOrderStore.open({ file: checkpointed });
      expect((await reopened.getOrder('CKPT-199')).value?.orderId).toBe('CKPT-199');
      await reopened.close();
    });
  });

  describe('atomicity', () => {
    function unserialisableEvent(order: ReturnType<typeof storedOrderFixture>): OrderEvent {
      const poison = {
        toJSON(): never {
          throw new Error('cannot serialise');
        },
      };
      return { ...orderEvent('ORDER_SCREENED', order, order.createdAt), eventId: `${order.orderId}:poison`, poison } as OrderEvent;
    }

    it('writes nothing of an order when its transaction fails halfway', async () => {
      const order = storedOrderFixture({ orderId: 'ATOM-1', customerId: 'CUST-ATOM' });
      const good = orderEvent('ORDER_SCREENED', order, order.createdAt);
      const input = recordInputFor(order, { events: [good, unserialisableEvent(order)] });

      await expect(store.recordOrder(input)).rejects.toThrow('cannot serialise');

      expect((await store.getOrder('ATOM-1')).value).toBeNull();
      expect(await store.getRollups(order.day, order.day)).toEqual([]);
      expect((await store.getCustomerProfile('CUST-ATOM')).value).toBeNull();
      const velocity = await store.getVelocity({ keys: velocityKeysFor(order.request), now: order.createdAt, windows: WINDOWS });
      expect(velocity.value).toEqual({ customerRecentOrders: 0, cardOtherCustomers: 0, cardOtherEmails: 0, addressOtherCustomers: 0 });
      expect(await store.pendingCount()).toBe(0);

      // The same order records cleanly afterwards.
      expect((await store.recordOrder(recordInputFor(order))).outcome).toBe('created');
    });

    it('commits the other orders of a group commit when one of them fails', async () => {
      const bad = storedOrderFixture({ orderId: 'ATOM-GROUP-BAD', customerId: 'CUST-GROUP-BAD' });
      const goodOrders = ['ATOM-GROUP-1', 'ATOM-GROUP-2'].map((orderId) => storedOrderFixture({ orderId, customerId: `CUST-${orderId}` }));
      const badInput = recordInputFor(bad, { events: [unserialisableEvent(bad)] });

      // Recorded in the same turn, so they share one transaction.
      const results = await Promise.allSettled([
        store.recordOrder(recordInputFor(goodOrders[0]!)),
        store.recordOrder(badInput),
        store.recordOrder(recordInputFor(goodOrders[1]!)),
      ]);

      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await store.getOrder('ATOM-GROUP-BAD')).value).toBeNull();
      expect((await store.getCustomerProfile('CUST-GROUP-BAD')).value).toBeNull();
      for (const order of goodOrders) expect((await store.getOrder(order.orderId)).value).toEqual(order);
      expect((await store.getRollups(bad.day, bad.day))[0]?.counters.ordersTotal).toBe(2);
      expect(await store.pendingCount()).toBe(2);
    });

    it('leaves the order pending and unreviewed when a review fails halfway', async () => {
      const pending = storedOrderFixture({ orderId: 'ATOM-2', customerId: 'CUST-ATOM', status: 'PENDING_REVIEW' });
      await store.recordOrder(recordInputFor(pending));
      const countersBefore = (await store.getRollups(pending.day, pending.day))[0]?.counters;
      const review = reviewInputFor(pending, { decision: 'APPROVED', reviewedAt: '2025-06-03T08:00:00.000Z' });
      review.events = [...review.events, unserialisableEvent(review.updatedOrder)];

      await expect(store.applyReview(review)).rejects.toThrow('cannot serialise');

      expect((await store.getOrder('ATOM-2')).value).toEqual(pending);
      expect(await store.getReviews('ATOM-2')).toEqual([]);
      expect((await store.getRollups(pending.day, pending.day))[0]?.counters).toEqual(countersBefore);
      expect((await store.getCustomerProfile('CUST-ATOM')).value).toMatchObject({ pendingCount: 1, approvedCount: 0 });
      expect(await store.pendingCount()).toBe(1);
    });
  });

  describe('metering', () => {
    it('reports the units the DynamoDB store estimates for the same write, the same for a duplicate', async () => {
      const input = recordInputFor(storedOrderFixture({ orderId: 'METER-1' }));
      const expected = estimateWriteUnits({ kind: 'order', input }, DEFAULT_VELOCITY_RETENTION_SECONDS);
      // The fixture order: 4 transactional item writes of 1 KB and 3 velocity items (2 WRU each) plus 2 GSI entries.
      expect(expected).toEqual({ readUnits: 0, writeUnits: 16 });

      expect(store.estimateWriteUnits({ kind: 'order', input })).toEqual(expected);
      expect((await store.recordOrder(input)).units).toEqual(expected);
      expect((await store.recordOrder(input)).units).toEqual(expected);
    });
  });
});
