import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { RequestUnits } from '../../domain/costs/usage.js';
import type { OrderEvent } from '../../domain/events/order-event.js';
import type { CustomerProfile, CustomerProfileDelta } from '../../domain/order/customer.js';
import type { OrderStatus, ReviewRecord, StoredOrder } from '../../domain/order/order.js';
import { assertPageLimit, listStartAfter, pageOf } from '../../domain/order/list-cursor.js';
import { ROLLUP_COUNTERS, emptyRollupCounters } from '../../domain/order/rollup.js';
import type { DailyRollup, RollupDelta } from '../../domain/order/rollup.js';
import type { VelocityQuery, VelocitySnapshot } from '../../domain/order/velocity.js';
import { StoreUnavailableError } from '../../ports/order-store.js';
import type {
  ApplyReviewInput,
  ApplyReviewResult,
  ListOrdersQuery,
  Metered,
  OrderPage,
  OrderStore,
  OrderSummary,
  PlannedWrite,
  RecordOrderInput,
  RecordOrderResult,
} from '../../ports/order-store.js';
import type { Outbox, OutboxEntry, OutboxOutcome } from '../../ports/outbox.js';
import { DEFAULT_VELOCITY_RETENTION_SECONDS } from '../dynamodb-store/items.js';
import { estimateWriteUnits } from '../dynamodb-store/write-units.js';
import { getCustomerProfileUnits, getOrderUnits, getVelocityUnits } from './dynamodb-equivalent-units.js';
import { CUSTOMER_COUNTERS, CUSTOMERS, ORDERS, OUTBOX, REVIEWS, ROLLUP_COUNTER_COLUMNS, ROLLUPS, VELOCITY, migrate } from './schema.js';

export interface SqliteOrderStoreOptions {
  /** Database file; its folder is created when missing. */
  file: string;
  /**
   * How long an order write waits for another connection's lock before failing as unavailable. The
   * wait is asynchronous (short synchronous attempts with timers between), so a locked database
   * never freezes the event loop: reads, health checks and other requests keep being answered.
   */
  busyTimeoutMs?: number;
  /**
   * Copy the WAL back into the database from a worker thread every so many milliseconds (0 = off).
   * A checkpoint copies pages and syncs the file; run inside a commit it stalls every request behind
   * it, so the server checkpoints in the background and keeps only a rare, cheap backstop inline.
   */
  backgroundCheckpointMs?: number;
  /**
   * The velocity retention the DynamoDB deployment would use (its TTL attribute is part of each
   * velocity item's size), so request units are estimated as DynamoDB would bill them.
   */
  velocityRetentionSeconds?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/**
 * The synchronous part of a lock wait (SQLite's busy_timeout blocks the thread): kept short, the
 * rest of an order write's wait happens between attempts, on timers.
 */
const LOCK_ATTEMPT_MS = 20;
const LOCK_RETRY_DELAY_MS = 25;
/** SQLite's default: checkpoint inline once the WAL holds this many pages. */
const INLINE_CHECKPOINT_PAGES = 1000;
/** With background checkpoints, the inline one is only a backstop (its frames are mostly copied already). */
const BACKSTOP_CHECKPOINT_PAGES = 20_000;
/** After the WAL restarts, its file is truncated back to this size. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
const MAX_ERROR_LENGTH = 1000;

/**
 * SQLite result codes (primary part of the extended code) that mean the database cannot answer
 * right now, as opposed to a bug in a statement or its data.
 */
const UNAVAILABLE_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_NOMEM',
  'SQLITE_PROTOCOL',
  'SQLITE_INTERRUPT',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_NOLFS',
]);

/*
 * Errors are recognised by name and code, not instanceof: under test runners that load modules in
 * a separate realm, errors thrown by Node and by the native addon come from another realm's classes.
 */
function errorField(error: unknown, field: 'name' | 'code' | 'message' | 'syscall'): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

function isUnavailable(error: unknown): boolean {
  const code = errorField(error, 'code');
  if (errorField(error, 'name') === 'SqliteError' && code !== undefined) {
    const primaryCode = code.split('_').slice(0, 2).join('_');
    return UNAVAILABLE_CODES.has(primaryCode);
  }
  // better-sqlite3 reports a closed connection and a missing folder as TypeErrors.
  return (
    errorField(error, 'name') === 'TypeError' &&
    /database connection is not open|directory does not exist/i.test(errorField(error, 'message') ?? '')
  );
}

/** Operating-system errors (ENOENT, EACCES, ENOTDIR, ENOSPC, ...) while preparing the file. */
function isFileSystemError(error: unknown): boolean {
  return errorField(error, 'syscall') !== undefined && errorField(error, 'code')?.startsWith('E') === true;
}

function isLockBusy(error: unknown): boolean {
  return errorField(error, 'name') === 'SqliteError' && errorField(error, 'code')?.startsWith('SQLITE_BUSY') === true;
}

function toStoreError(error: unknown, operation: string): unknown {
  if (isUnavailable(error)) return new StoreUnavailableError(`Order store unavailable (${operation})`, { cause: error });
  return error;
}

/*
 * The checkpointer: a worker thread with its own connection running PASSIVE checkpoints, which never
 * block the writer. Inline source (not a module file) so it runs the same from dist, under jest and
 * inside a bundle; the driver path is resolved here and handed over.
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;

interface Checkpointer {
  worker: Worker;
  exited: Promise<unknown>;
}

function startCheckpointer(file: string, intervalMs: number): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { driver, file: path.resolve(file), intervalMs } });
  // Checkpoints are an optimisation: if the worker dies, the inline backstop still bounds the WAL.
  worker.on('error', () => undefined);
  return { worker, exited: new Promise((resolve) => worker.once('exit', resolve)) };
}

function epochMs(isoTime: string): number {
  const ms = Date.parse(isoTime);
  if (!Number.isFinite(ms)) throw new RangeError(`Not an ISO timestamp: ${isoTime}`);
  return ms;
}

interface ReviewRow {
  orderId: string;
  decision: ReviewRecord['decision'];
  reviewer: string;
  note: string | null;
  reviewedAt: string;
  previousStatus: OrderStatus;
}

interface OutboxRow {
  id: number;
  event: string;
  /** The order's current document, for events stored without their order. */
  orderDocument: string | null;
  attempts: number;
  delivered: string;
}

interface VelocityCountRow {
  matched: number;
  otherCustomers: number;
  otherEmails: number;
}

function profileCounters(delta: CustomerProfileDelta): number[] {
  return CUSTOMER_COUNTERS.map((counter) => delta[counter]);
}

function outboxEvent(row: OutboxRow): OrderEvent {
  const event = JSON.parse(row.event) as Partial<OrderEvent>;
  if (event.order === undefined) {
    if (row.orderDocument === null) throw new Error(`Outbox entry ${row.id} refers to a missing order`);
    event.order = JSON.parse(row.orderDocument) as StoredOrder;
  }
  return event as OrderEvent;
}

/** The database file the connection opened, to notice it being deleted or replaced underneath. */
interface DatabaseFile {
  path: string;
  dev: number;
  ino: number;
  /** How long an order write may wait for another connection's write lock. */
  lockWaitMs: number;
}

interface PendingRecord {
  input: RecordOrderInput;
  document: string;
  units: RequestUnits;
  /** Until when (epoch ms) the write may wait for another connection's lock. */
  lockDeadline: number;
  resolve: (result: RecordOrderResult) => void;
  reject: (error: unknown) => void;
}

type Statement<Result = unknown> = Database.Statement<unknown[], Result>;

const O = ORDERS;
const C = CUSTOMERS;
const R = REVIEWS;
const V = VELOCITY;
const X = OUTBOX;

const ORDER_SUMMARY_COLUMNS = `${O.orderId} AS orderId, ${O.customerId} AS customerId, ${O.status} AS status,
  ${O.score} AS score, ${O.totalAmountCents} AS totalAmountCents, ${O.createdAt} AS createdAt, ${O.day} AS day`;

/** Newest first. Ordering by day before createdAt (day is createdAt's UTC day) lets the index serve it. */
const LIST_ORDER = `ORDER BY ${O.day} DESC, ${O.createdAt} DESC, ${O.orderId} DESC LIMIT ?`;

/**
 * After a cursor, the cursor itself is the upper bound (it is at or before the end day), so the
 * index seeks straight to it instead of skipping every row of the earlier pages.
 */
function listStatement(db: Database.Database, byStatus: boolean, afterCursor: boolean): Statement<OrderSummary> {
  const upperBound = afterCursor ? `(${O.day}, ${O.createdAt}, ${O.orderId}) < (?, ?, ?)` : `${O.day} <= ?`;
  return db.prepare(
    `SELECT ${ORDER_SUMMARY_COLUMNS} FROM ${O.table}
     WHERE ${byStatus ? `${O.status} = ? AND ` : ''}${O.day} >= ? AND ${upperBound}
     ${LIST_ORDER}`,
  );
}

function prepareStatements(db: Database.Database) {
  const counterColumns = ROLLUP_COUNTERS.map((counter) => ROLLUP_COUNTER_COLUMNS[counter]);
  const customerCounterColumns = CUSTOMER_COUNTERS.map((counter) => C[counter]);
  return {
    insertOrder: db.prepare(
      `INSERT INTO ${O.table} (${O.orderId}, ${O.customerId}, ${O.status}, ${O.score}, ${O.totalAmountCents}, ${O.day},
         ${O.createdAt}, ${O.updatedAt}, ${O.requestHash}, ${O.document})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (${O.orderId}) DO NOTHING`,
    ),
    selectOrderDocument: db.prepare(`SELECT ${O.document} AS document FROM ${O.table} WHERE ${O.orderId} = ?`).pluck() as Statement<string>,
    selectOrderStatus: db.prepare(`SELECT ${O.status} FROM ${O.table} WHERE ${O.orderId} = ?`).pluck() as Statement<OrderStatus>,
    updateReviewedOrder: db.prepare(
      `UPDATE ${O.table} SET ${O.status} = ?, ${O.document} = ?, ${O.updatedAt} = ?
       WHERE ${O.orderId} = ? AND ${O.status} = ?`,
    ),
    upsertRollup: db.prepare(
      `INSERT INTO ${ROLLUPS.table} (${ROLLUPS.day}, ${counterColumns.join(', ')})
       VALUES (?, ${counterColumns.map(() => '?').join(', ')})
       ON CONFLICT (${ROLLUPS.day}) DO UPDATE SET ${counterColumns.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')}`,
    ),
    selectRollups: db.prepare(
      `SELECT ${ROLLUPS.day} AS day, ${ROLLUP_COUNTERS.map((counter) => `${ROLLUP_COUNTER_COLUMNS[counter]} AS ${counter}`).join(', ')}
       FROM ${ROLLUPS.table} WHERE ${ROLLUPS.day} >= ? AND ${ROLLUPS.day} <= ? ORDER BY ${ROLLUPS.day}`,
    ) as Statement<Record<string, number | string>>,
    upsertCustomerForOrder: db.prepare(
      `INSERT INTO ${C.table} (${C.customerId}, ${C.firstSeenAt}, ${C.lastOrderAt}, ${customerCounterColumns.join(', ')})
       VALUES (?, ?, ?, ${customerCounterColumns.map(() => '?').join(', ')})
       ON CONFLICT (${C.customerId}) DO UPDATE SET
         ${C.firstSeenAt} = min(${C.firstSeenAt}, excluded.${C.firstSeenAt}),
         ${C.lastOrderAt} = max(${C.lastOrderAt}, excluded.${C.lastOrderAt}),
         ${customerCounterColumns.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')}`,
    ),
    // A review moves counters only: it is not an order, so first/last order times stay.
    addCustomerCountersForReview: db.prepare(
      `UPDATE ${C.table} SET ${customerCounterColumns.map((column) => `${column} = ${column} + ?`).join(', ')}
       WHERE ${C.customerId} = ?`,
    ),
    selectCustomer: db.prepare(
      `SELECT ${C.customerId} AS customerId, ${C.firstSeenAt} AS firstSeenAt, ${C.lastOrderAt} AS lastOrderAt,
         ${CUSTOMER_COUNTERS.map((counter) => `${C[counter]} AS ${counter}`).join(', ')}
       FROM ${C.table} WHERE ${C.customerId} = ?`,
    ) as Statement<CustomerProfile>,
    insertVelocity: db.prepare(
      `INSERT INTO ${V.table} (${V.orderId}, ${V.customerId}, ${V.email}, ${V.cardKey}, ${V.addressKey}, ${V.at})
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    countCustomerOrders: db.prepare(
      `SELECT count(*) FROM ${V.table} WHERE ${V.customerId} = ? AND ${V.at} >= ?`,
    ).pluck() as Statement<number>,
    countCardUse: db.prepare(
      `SELECT count(*) AS matched,
         count(DISTINCT CASE WHEN ${V.customerId} <> ? THEN ${V.customerId} END) AS otherCustomers,
         count(DISTINCT CASE WHEN ${V.email} <> ? THEN ${V.email} END) AS otherEmails
       FROM ${V.table} WHERE ${V.cardKey} = ? AND ${V.at} >= ?`,
    ) as Statement<VelocityCountRow>,
    countAddressUse: db.prepare(
      `SELECT count(*) AS matched,
         count(DISTINCT CASE WHEN ${V.customerId} <> ? THEN ${V.customerId} END) AS otherCustomers, 0 AS otherEmails
       FROM ${V.table} WHERE ${V.addressKey} = ? AND ${V.at} >= ?`,
    ) as Statement<VelocityCountRow>,
    insertReview: db.prepare(
      `INSERT INTO ${R.table} (${R.orderId}, ${R.decision}, ${R.reviewer}, ${R.note}, ${R.reviewedAt}, ${R.previousStatus})
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    selectReviews: db.prepare(
      `SELECT ${R.orderId} AS orderId, ${R.decision} AS decision, ${R.reviewer} AS reviewer, ${R.note} AS note,
         ${R.reviewedAt} AS reviewedAt, ${R.previousStatus} AS previousStatus
       FROM ${R.table} WHERE ${R.orderId} = ? ORDER BY ${R.reviewedAt}, ${R.id}`,
    ) as Statement<ReviewRow>,
    listOrders: listStatement(db, false, false),
    listOrdersAfter: listStatement(db, false, true),
    listOrdersByStatus: listStatement(db, true, false),
    listOrdersByStatusAfter: listStatement(db, true, true),
    insertOutbox: db.prepare(
      `INSERT INTO ${X.table} (${X.eventId}, ${X.orderId}, ${X.event}, ${X.nextAttemptAt})
       VALUES (?, ?, ?, ?) ON CONFLICT (${X.eventId}) DO NOTHING`,
    ),
    selectDueOutbox: db.prepare(
      `SELECT x.${X.id} AS id, x.${X.event} AS event, x.${X.attempts} AS attempts, x.${X.delivered} AS delivered,
         o.${O.document} AS orderDocument
       FROM ${X.table} x LEFT JOIN ${O.table} o ON o.${O.orderId} = x.${X.orderId}
       WHERE x.${X.doneAt} IS NULL AND x.${X.nextAttemptAt} <= ?
         AND NOT EXISTS (SELECT 1 FROM ${X.table} earlier
           WHERE earlier.${X.orderId} = x.${X.orderId} AND earlier.${X.id} < x.${X.id} AND earlier.${X.doneAt} IS NULL)
       ORDER BY x.${X.id} LIMIT ?`,
    ) as Statement<OutboxRow>,
    // Before an order's document changes, its pending events that point at it get their own copy.
    embedOrderInPendingEvents: db.prepare(
      `UPDATE ${X.table}
       SET ${X.event} = json_set(${X.event}, '$.order', json((SELECT ${O.document} FROM ${O.table} WHERE ${O.orderId} = :orderId)))
       WHERE ${X.orderId} = :orderId AND ${X.doneAt} IS NULL AND json_type(${X.event}, '$.order') IS NULL`,
    ),
    // Appends the sink unless it is already in the comma list, so a repeated call changes nothing.
    markOutboxDelivered: db.prepare(
      `UPDATE ${X.table} SET ${X.delivered} = CASE
         WHEN ${X.delivered} = '' THEN :sink
         WHEN instr(',' || ${X.delivered} || ',', ',' || :sink || ',') > 0 THEN ${X.delivered}
         ELSE ${X.delivered} || ',' || :sink END
       WHERE ${X.id} = :id`,
    ),
    // The usual outcome, one statement: every remaining sink succeeded. The dispatcher never delivers
    // to a sink already in the list, so the new sinks are appended as they are.
    markOutboxDone: db.prepare(
      `UPDATE ${X.table} SET ${X.doneAt} = :now,
         ${X.delivered} = CASE WHEN :sinks = '' THEN ${X.delivered} WHEN ${X.delivered} = '' THEN :sinks ELSE ${X.delivered} || ',' || :sinks END
       WHERE ${X.id} = :id AND ${X.doneAt} IS NULL`,
    ),
    markOutboxFailed: db.prepare(
      `UPDATE ${X.table} SET ${X.attempts} = ${X.attempts} + 1, ${X.lastError} = ?, ${X.nextAttemptAt} = ?
       WHERE ${X.id} = ?`,
    ),
    // Retention (DynamoDB expires the same data with TTL). Rows arrive in time order, so the oldest
    // rows by rowid are the candidates: each call examines at most `limit` of them, never the table.
    pruneVelocity: db.prepare(
      `DELETE FROM ${V.table} WHERE rowid IN (SELECT rowid FROM ${V.table} ORDER BY rowid LIMIT :limit) AND ${V.at} < :before`,
    ),
    pruneDeliveredOutbox: db.prepare(
      `DELETE FROM ${X.table} WHERE ${X.id} IN (SELECT ${X.id} FROM ${X.table} ORDER BY ${X.id} LIMIT :limit) AND ${X.doneAt} < :before`,
    ),
    countPendingOutbox: db.prepare(`SELECT count(*) FROM ${X.table} WHERE ${X.doneAt} IS NULL`).pluck() as Statement<number>,
    ping: db.prepare('SELECT 1'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/**
 * The embedded order store (local default): one SQLite file in WAL mode. Every state change is
 * one transaction, including the outbox rows that carry its events to the archive and notifier.
 * better-sqlite3 is synchronous, so calls on one store never interleave inside a transaction.
 */
export class SqliteOrderStore implements OrderStore, Outbox {
  private readonly statements: Statements;
  private readonly estimatedUnits = new WeakMap<RecordOrderInput, RequestUnits>();
  private readonly recordTransaction: Database.Transaction<(input: RecordOrderInput, document: string) => StoredOrder | null>;
  private readonly reviewTransaction: Database.Transaction<(input: ApplyReviewInput, document: string) => ApplyReviewResult>;
  private readonly settleTransaction: Database.Transaction<(outcomes: readonly OutboxOutcome[], now: number) => void>;
  private readonly batchTransaction: Database.Transaction<(work: () => void) => void>;
  private pendingRecords: PendingRecord[] = [];

  private commitRetryTimer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly db: Database.Database,
    private readonly checkpointer: Checkpointer | null,
    private readonly velocityRetentionSeconds: number,
    private readonly file: DatabaseFile,
  ) {
    this.statements = prepareStatements(db);
    this.recordTransaction = db.transaction((input: RecordOrderInput, document: string) => this.writeOrder(input, document));
    this.reviewTransaction = db.transaction((input: ApplyReviewInput, document: string) => this.writeReview(input, document));
    this.batchTransaction = db.transaction((work: () => void) => work());
    this.settleTransaction = db.transaction((outcomes: readonly OutboxOutcome[], now: number) => this.writeOutcomes(outcomes, now));
  }

  /** Opens (creating when needed) and migrates the database. Throws StoreUnavailableError when the file cannot be opened. */
  static open(options: SqliteOrderStoreOptions): SqliteOrderStore {
    let db: Database.Database | undefined;
    try {
      fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
      db = new Database(options.file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma(`busy_timeout = ${LOCK_ATTEMPT_MS}`);
      db.pragma('foreign_keys = ON');
      // Hot pages (today's rollup row, index roots) are rewritten by every order: a larger page cache
      // and memory-mapped reads keep them in memory, and a larger WAL between checkpoints copies each
      // hot page back once per checkpoint instead of every thousand pages.
      db.pragma('cache_size = -65536');
      db.pragma('mmap_size = 268435456');
      const background = (options.backgroundCheckpointMs ?? 0) > 0;
      db.pragma(`wal_autocheckpoint = ${background ? BACKSTOP_CHECKPOINT_PAGES : INLINE_CHECKPOINT_PAGES}`);
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
      migrate(db);
      const checkpointer = background ? startCheckpointer(options.file, options.backgroundCheckpointMs ?? 0) : null;
      const { dev, ino } = fs.statSync(options.file);
      return new SqliteOrderStore(db, checkpointer, options.velocityRetentionSeconds ?? DEFAULT_VELOCITY_RETENTION_SECONDS, {
        path: path.resolve(options.file),
        dev,
        ino,
        lockWaitMs: Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS),
      });
    } catch (error) {
      db?.close();
      if (isFileSystemError(error)) {
        throw new StoreUnavailableError(`Order store unavailable: cannot create ${options.file}`, { cause: error });
      }
      throw toStoreError(error, 'open');
    }
  }

  /** Runs a synchronous database operation, turning engine outages into StoreUnavailableError. */
  private run<T>(operation: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  /**
   * Group commit: orders recorded in the same event-loop turn share one transaction (one WAL commit).
   * Should one of them fail, the batch is written again with each order in its own savepoint, so the
   * failing order rolls back alone and the others still commit.
   * Under concurrent load this amortises the commit, the dominant cost of a write; a lone order
   * waits only until the end of the current turn.
   */
  recordOrder(input: RecordOrderInput): Promise<RecordOrderResult> {
    return new Promise((resolve, reject) => {
      let document: string;
      try {
        document = JSON.stringify(input.order);
      } catch (error) {
        reject(error);
        return;
      }
      const units = this.estimatedUnits.get(input) ?? this.estimateWriteUnits({ kind: 'order', input });
      this.pendingRecords.push({ input, document, units, lockDeadline: Date.now() + this.file.lockWaitMs, resolve, reject });
      if (this.pendingRecords.length === 1 && this.commitRetryTimer === null) setImmediate(() => this.commitPendingRecords());
    });
  }

  private commitPendingRecords(): void {
    const batch = this.pendingRecords;
    this.pendingRecords = [];
    if (batch.length === 0) return;
    let outcomes: Array<{ existing: StoredOrder | null } | { error: unknown }> = [];
    try {
      this.assertFileIntact();
      try {
        // Optimistic: the whole batch without savepoints (two statements fewer per order).
        this.batchTransaction.immediate(() => {
          for (const { input, document } of batch) outcomes.push({ existing: this.writeOrder(input, document) });
        });
      } catch (error) {
        if (isLockBusy(error)) throw error;
        // An order failed and rolled the batch back: again, each order in its own savepoint, so it
        // fails alone and the others commit.
        outcomes = [];
        this.batchTransaction.immediate(() => {
          for (const { input, document } of batch) {
            try {
              // A transaction function called inside a transaction runs in a savepoint.
              outcomes.push({ existing: this.recordTransaction(input, document) });
            } catch (orderError) {
              outcomes.push({ error: orderError });
            }
          }
        });
      }
    } catch (error) {
      // The commit itself failed: nothing of the batch was written.
      if (isLockBusy(error)) {
        this.retryAfterLockWait(batch, error);
        return;
      }
      const storeError = toStoreError(error, 'recordOrder');
      for (const pending of batch) pending.reject(storeError);
      return;
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index] ?? { error: new Error('order missing from its group commit') };
      if ('error' in outcome) pending.reject(toStoreError(outcome.error, 'recordOrder'));
      else if (outcome.existing === null) pending.resolve({ outcome: 'created', units: pending.units });
      else pending.resolve({ outcome: 'exists', existing: outcome.existing, units: pending.units });
    });
  }

  /**
   * A database file deleted or replaced under the running process keeps accepting writes into the
   * unlinked file, which vanish at the next start: no write may be acknowledged then (one stat per
   * commit, a few microseconds).
   */
  private assertFileIntact(): void {
    const current = fs.statSync(this.file.path, { throwIfNoEntry: false });
    if (current?.dev !== this.file.dev || current.ino !== this.file.ino) {
      throw new StoreUnavailableError(`Order store unavailable: ${this.file.path} was deleted or replaced while open`);
    }
  }

  /**
   * Another connection holds the write lock: the batch waits on a timer (the event loop stays free)
   * and is tried again ahead of newer orders; orders whose lock wait is used up fail as unavailable.
   */
  private retryAfterLockWait(batch: PendingRecord[], error: unknown): void {
    const now = Date.now();
    const waiting = batch.filter((pending) => pending.lockDeadline > now);
    const storeError = toStoreError(error, 'recordOrder');
    for (const pending of batch) if (pending.lockDeadline <= now) pending.reject(storeError);
    if (waiting.length === 0) return;
    this.pendingRecords = [...waiting, ...this.pendingRecords];
    this.commitRetryTimer ??= setTimeout(() => {
      this.commitRetryTimer = null;
      this.commitPendingRecords();
    }, LOCK_RETRY_DELAY_MS);
  }

  /** Inside the transaction. Returns the stored order when the orderId was taken (nothing written), else null. */
  private writeOrder(input: RecordOrderInput, document: string): StoredOrder | null {
    const { order, velocity } = input;
    const inserted = this.statements.insertOrder.run(
      order.orderId,
      order.customerId,
      order.status,
      order.score,
      order.totalAmountCents,
      order.day,
      order.createdAt,
      order.updatedAt,
      order.requestHash,
      document,
    ).changes;
    if (inserted === 0) {
      const existing = this.loadOrder(order.orderId);
      if (existing === null) throw new Error(`Order ${order.orderId} conflicted but cannot be read`);
      return existing;
    }
    this.addRollup(input.rollup);
    this.addProfileForOrder(input.profile);
    this.statements.insertVelocity.run(
      velocity.orderId,
      velocity.customerId,
      velocity.email,
      velocity.cardKey,
      velocity.addressKey,
      epochMs(velocity.at),
    );
    this.addOutboxEvents(input.events, order);
    return null;
  }

  private addRollup(delta: RollupDelta): void {
    const values: unknown[] = [delta.day];
    for (const counter of ROLLUP_COUNTERS) values.push(delta.counters[counter] ?? 0);
    this.statements.upsertRollup.run(values);
  }

  private addProfileForOrder(delta: CustomerProfileDelta): void {
    this.statements.upsertCustomerForOrder.run(delta.customerId, delta.at, delta.at, ...profileCounters(delta));
  }

  /** The order exists, so its customer's profile does; a missing one is a broken invariant, not a new customer. */
  private addProfileForReview(delta: CustomerProfileDelta): void {
    const changed = this.statements.addCustomerCountersForReview.run(...profileCounters(delta), delta.customerId).changes;
    if (changed === 0) throw new Error(`Reviewed order's customer ${delta.customerId} has no profile`);
  }

  /**
   * Serialised inside the transaction, so an event that cannot be written rolls the whole change
   * back. An event about the document just written is stored without it (the order row holds it,
   * and `due` joins it back), which halves what each order writes; writeReview copies the document
   * into pending events before it changes, so every event still carries its own snapshot.
   */
  private addOutboxEvents(events: readonly OrderEvent[], writtenOrder: StoredOrder): void {
    for (const event of events) {
      const json =
        event.order === writtenOrder && event.orderId === writtenOrder.orderId
          ? JSON.stringify({ ...event, order: undefined })
          : JSON.stringify(event);
      this.statements.insertOutbox.run(event.eventId, event.orderId, json, epochMs(event.occurredAt));
    }
  }

  private loadOrder(orderId: string): StoredOrder | null {
    const document = this.statements.selectOrderDocument.get(orderId);
    return document === undefined ? null : (JSON.parse(document) as StoredOrder);
  }

  /** What the write would consume on DynamoDB, so local orders are priced as deployed ones. */
  estimateWriteUnits(write: PlannedWrite): RequestUnits {
    const units = estimateWriteUnits(write, this.velocityRetentionSeconds);
    // The order is priced with this estimate before it is written; recordOrder reports the same figure.
    if (write.kind === 'order') this.estimatedUnits.set(write.input, units);
    return units;
  }

  async recordValidationFailure(rollup: RollupDelta): Promise<RequestUnits> {
    this.run('recordValidationFailure', () => {
      this.assertFileIntact();
      this.addRollup(rollup);
    });
    return estimateWriteUnits({ kind: 'validation-failure', rollup }, this.velocityRetentionSeconds);
  }

  async getOrder(orderId: string): Promise<Metered<StoredOrder | null>> {
    const order = this.run('getOrder', () => this.loadOrder(orderId));
    return { value: order, units: getOrderUnits(order) };
  }

  async getReviews(orderId: string): Promise<ReviewRecord[]> {
    const rows = this.run('getReviews', () => this.statements.selectReviews.all(orderId));
    return rows.map(({ note, ...review }) => (note === null ? review : { ...review, note }));
  }

  async applyReview(input: ApplyReviewInput): Promise<ApplyReviewResult> {
    if (input.updatedOrder.orderId !== input.orderId) {
      throw new Error(`Review of ${input.orderId} carries order ${input.updatedOrder.orderId}`);
    }
    const document = JSON.stringify(input.updatedOrder);
    return this.run('applyReview', () => {
      this.assertFileIntact();
      return this.reviewTransaction.immediate(input, document);
    });
  }

  /** Inside the transaction: the status guard makes concurrent reviews of one order apply once. */
  private writeReview(input: ApplyReviewInput, document: string): ApplyReviewResult {
    const { updatedOrder, review } = input;
    this.statements.embedOrderInPendingEvents.run({ orderId: input.orderId });
    const changed = this.statements.updateReviewedOrder.run(
      updatedOrder.status,
      document,
      updatedOrder.updatedAt,
      input.orderId,
      input.expectedStatus,
    ).changes;
    if (changed === 0) {
      const currentStatus = this.statements.selectOrderStatus.get(input.orderId);
      return currentStatus === undefined ? { outcome: 'not_found' } : { outcome: 'status_changed', currentStatus };
    }
    this.statements.insertReview.run(
      review.orderId,
      review.decision,
      review.reviewer,
      review.note ?? null,
      review.reviewedAt,
      review.previousStatus,
    );
    this.addRollup(input.rollup);
    this.addProfileForReview(input.profile);
    this.addOutboxEvents(input.events, updatedOrder);
    return { outcome: 'applied' };
  }

  async getCustomerProfile(customerId: string): Promise<Metered<CustomerProfile | null>> {
    const profile = this.run('getCustomerProfile', () => this.statements.selectCustomer.get(customerId)) ?? null;
    return { value: profile, units: getCustomerProfileUnits(profile) };
  }

  /** Activity at or after `now - window` for each key; "other" excludes this customer and this email. */
  async getVelocity(query: VelocityQuery): Promise<Metered<VelocitySnapshot>> {
    const { keys, windows } = query;
    const now = epochMs(query.now);
    const { customer, card, address } = this.run('getVelocity', () => ({
      customer: this.statements.countCustomerOrders.get(keys.customerId, now - windows.customerSeconds * 1000) ?? 0,
      card:
        keys.cardKey === null
          ? null
          : this.statements.countCardUse.get(keys.customerId, keys.email, keys.cardKey, now - windows.cardSeconds * 1000),
      address: this.statements.countAddressUse.get(keys.customerId, keys.addressKey, now - windows.addressSeconds * 1000),
    }));
    return {
      value: {
        customerRecentOrders: customer,
        cardOtherCustomers: card?.otherCustomers ?? 0,
        cardOtherEmails: card?.otherEmails ?? 0,
        addressOtherCustomers: address?.otherCustomers ?? 0,
      },
      units: getVelocityUnits(keys, { customer, card: card?.matched ?? null, address: address?.matched ?? 0 }, this.velocityRetentionSeconds),
    };
  }

  async getRollups(startDay: string, endDay: string): Promise<DailyRollup[]> {
    const rows = this.run('getRollups', () => this.statements.selectRollups.all(startDay, endDay));
    return rows.map((row) => {
      const counters = emptyRollupCounters();
      for (const counter of ROLLUP_COUNTERS) counters[counter] = row[counter] as number;
      return { day: row.day as string, counters };
    });
  }

  /** Keyset pagination, newest first: the cursor is the (day, createdAt, orderId) of the last row returned. */
  async listOrders(query: ListOrdersQuery): Promise<OrderPage> {
    assertPageLimit(query.limit);
    const after = listStartAfter(query.cursor, query.endDay);
    const filter: unknown[] = query.status === undefined ? [] : [query.status];
    filter.push(query.startDay);
    if (after === null) filter.push(query.endDay);
    else filter.push(after.day, after.createdAt, after.orderId);
    // One extra row tells whether another page exists (pageOf).
    filter.push(query.limit + 1);
    const statement =
      query.status === undefined
        ? after === null ? this.statements.listOrders : this.statements.listOrdersAfter
        : after === null ? this.statements.listOrdersByStatus : this.statements.listOrdersByStatusAfter;
    return pageOf(this.run('listOrders', () => statement.all(filter)), query.limit);
  }

  /**
   * Ready means orders can be recorded, not only read: the file the connection writes is still the
   * one at the configured path (a deleted or replaced file keeps accepting writes that vanish at the
   * next start), and the write lock can be taken now (another process holding it stalls every order).
   */
  async ping(): Promise<void> {
    this.run('ping', () => {
      this.statements.ping.get();
      this.assertFileIntact();
      // Our own open transaction (a group commit in progress) already holds the lock.
      if (!this.db.inTransaction) {
        this.db.exec('BEGIN IMMEDIATE');
        this.db.exec('ROLLBACK');
      }
    });
  }

  async close(): Promise<void> {
    if (this.checkpointer) {
      this.checkpointer.worker.postMessage('stop');
      await this.checkpointer.exited;
    }
    if (this.db.open) this.db.close();
  }

  async due(now: Date, limit: number): Promise<OutboxEntry[]> {
    const rows = this.run('outbox.due', () => this.statements.selectDueOutbox.all(now.getTime(), limit));
    return rows.map((row) => ({
      id: row.id,
      event: outboxEvent(row),
      attempts: row.attempts,
      delivered: row.delivered === '' ? [] : row.delivered.split(','),
    }));
  }

  async settle(outcomes: readonly OutboxOutcome[]): Promise<void> {
    for (const { delivered } of outcomes) {
      // Sinks are kept as a comma list.
      const invalid = delivered.find((sink) => sink === '' || sink.includes(','));
      if (invalid !== undefined) throw new RangeError(`Invalid outbox sink name: "${invalid}"`);
    }
    if (outcomes.length > 0) this.run('outbox.settle', () => this.settleTransaction.immediate(outcomes, Date.now()));
  }

  private writeOutcomes(outcomes: readonly OutboxOutcome[], now: number): void {
    const { markOutboxDelivered, markOutboxDone, markOutboxFailed } = this.statements;
    for (const { id, delivered, failure } of outcomes) {
      if (failure === null) {
        markOutboxDone.run({ id, now, sinks: delivered.join(',') });
        continue;
      }
      for (const sink of delivered) markOutboxDelivered.run({ id, sink });
      markOutboxFailed.run(failure.error.slice(0, MAX_ERROR_LENGTH), failure.retryAt.getTime(), id);
    }
  }

  /**
   * Deletes velocity entries older than any window can look and outbox entries delivered long ago,
   * at most `limit` rows of each per call so a call never holds the write lock for long.
   */
  async prune(options: { velocityBefore: Date; deliveredBefore: Date; limit: number }): Promise<{ velocity: number; outbox: number }> {
    return this.run('prune', () => ({
      velocity: this.statements.pruneVelocity.run({ before: options.velocityBefore.getTime(), limit: options.limit }).changes,
      outbox: this.statements.pruneDeliveredOutbox.run({ before: options.deliveredBefore.getTime(), limit: options.limit }).changes,
    }));
  }

  async pendingCount(): Promise<number> {
    return this.run('outbox.pendingCount', () => this.statements.countPendingOutbox.get() ?? 0);
  }
}
