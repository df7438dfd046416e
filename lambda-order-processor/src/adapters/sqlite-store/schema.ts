import type Database from 'better-sqlite3';
import { ORDER_STATUSES, REVIEW_DECISIONS } from '../../domain/order/order.js';
import { ROLLUP_COUNTERS } from '../../domain/order/rollup.js';
import type { RollupCounter } from '../../domain/order/rollup.js';

/**
 * The SQLite schema of the local order store. Table and column names live here only: the store
 * writes through these constants and the analytics service reads the same file through them.
 *
 * Time columns: order, review and profile timestamps are ISO-8601 UTC text (as in the documents);
 * velocity and outbox times are epoch milliseconds (INTEGER), because they are only compared.
 */

export const ORDERS = {
  table: 'orders',
  orderId: 'order_id',
  customerId: 'customer_id',
  status: 'status',
  score: 'score',
  totalAmountCents: 'total_amount_cents',
  /** UTC day of createdAt: the rollup day. */
  day: 'day',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  requestHash: 'request_hash',
  /** The full StoredOrder as JSON text. */
  document: 'document',
} as const;

export const REVIEWS = {
  table: 'reviews',
  id: 'id',
  orderId: 'order_id',
  decision: 'decision',
  reviewer: 'reviewer',
  note: 'note',
  reviewedAt: 'reviewed_at',
  previousStatus: 'previous_status',
} as const;

export const CUSTOMERS = {
  table: 'customers',
  customerId: 'customer_id',
  firstSeenAt: 'first_seen_at',
  lastOrderAt: 'last_order_at',
  orderCount: 'order_count',
  approvedCount: 'approved_count',
  rejectedCount: 'rejected_count',
  pendingCount: 'pending_count',
  approvedAmountCents: 'approved_amount_cents',
} as const;

/** The profile counters, in one list so statements and mappings never hand-list them. */
export const CUSTOMER_COUNTERS = [
  'orderCount',
  'approvedCount',
  'rejectedCount',
  'pendingCount',
  'approvedAmountCents',
] as const satisfies readonly (keyof typeof CUSTOMERS)[];

/** `costS3Nanos` -> `cost_s3_nanos`, `score10` -> `score10`. */
function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** One INTEGER column per rollup counter, generated from ROLLUP_COUNTERS. */
export const ROLLUP_COUNTER_COLUMNS: Readonly<Record<RollupCounter, string>> = Object.freeze(
  Object.fromEntries(ROLLUP_COUNTERS.map((counter) => [counter, snakeCase(counter)])) as Record<RollupCounter, string>,
);

export const ROLLUPS = {
  table: 'rollups',
  day: 'day',
  counters: ROLLUP_COUNTER_COLUMNS,
} as const;

export const VELOCITY = {
  table: 'velocity',
  orderId: 'order_id',
  customerId: 'customer_id',
  /** Normalised (lower-case) email. */
  email: 'email',
  /** Card fingerprint; NULL for non-card payments. */
  cardKey: 'card_key',
  addressKey: 'address_key',
  /** Epoch milliseconds. */
  at: 'at',
} as const;

export const OUTBOX = {
  table: 'outbox',
  id: 'id',
  eventId: 'event_id',
  orderId: 'order_id',
  /** The OrderEvent as JSON text. */
  event: 'event',
  attempts: 'attempts',
  /** Epoch milliseconds. */
  nextAttemptAt: 'next_attempt_at',
  /** Comma-separated sinks that already succeeded. */
  delivered: 'delivered',
  lastError: 'last_error',
  /** Epoch milliseconds; NULL while the entry is pending. */
  doneAt: 'done_at',
} as const;

function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}

const O = ORDERS;
const R = REVIEWS;
const C = CUSTOMERS;
const V = VELOCITY;
const X = OUTBOX;

function rollupCounterColumnDefinition(counter: RollupCounter): string {
  return `${ROLLUP_COUNTER_COLUMNS[counter]} INTEGER NOT NULL DEFAULT 0`;
}

const INITIAL_SCHEMA = `
CREATE TABLE ${O.table} (
  ${O.orderId} TEXT PRIMARY KEY,
  ${O.customerId} TEXT NOT NULL,
  ${O.status} TEXT NOT NULL CHECK (${O.status} IN (${sqlList(ORDER_STATUSES)})),
  ${O.score} REAL NOT NULL,
  ${O.totalAmountCents} INTEGER NOT NULL,
  ${O.day} TEXT NOT NULL,
  ${O.createdAt} TEXT NOT NULL,
  ${O.updatedAt} TEXT NOT NULL,
  ${O.requestHash} TEXT NOT NULL,
  ${O.document} TEXT NOT NULL
) STRICT;
CREATE INDEX orders_by_status_day ON ${O.table} (${O.status}, ${O.day}, ${O.createdAt}, ${O.orderId});
CREATE INDEX orders_by_day ON ${O.table} (${O.day}, ${O.createdAt}, ${O.orderId});

CREATE TABLE ${R.table} (
  ${R.id} INTEGER PRIMARY KEY,
  ${R.orderId} TEXT NOT NULL REFERENCES ${O.table} (${O.orderId}),
  ${R.decision} TEXT NOT NULL CHECK (${R.decision} IN (${sqlList(REVIEW_DECISIONS)})),
  ${R.reviewer} TEXT NOT NULL,
  ${R.note} TEXT,
  ${R.reviewedAt} TEXT NOT NULL,
  ${R.previousStatus} TEXT NOT NULL CHECK (${R.previousStatus} IN (${sqlList(ORDER_STATUSES)}))
) STRICT;
CREATE INDEX reviews_by_order ON ${R.table} (${R.orderId}, ${R.reviewedAt}, ${R.id});

CREATE TABLE ${C.table} (
  ${C.customerId} TEXT PRIMARY KEY,
  ${C.firstSeenAt} TEXT NOT NULL,
  ${C.lastOrderAt} TEXT NOT NULL,
  ${CUSTOMER_COUNTERS.map((counter) => `${C[counter]} INTEGER NOT NULL DEFAULT 0 CHECK (${C[counter]} >= 0)`).join(',\n  ')}
) STRICT;

CREATE TABLE ${ROLLUPS.table} (
  ${ROLLUPS.day} TEXT PRIMARY KEY,
  ${ROLLUP_COUNTERS.map(rollupCounterColumnDefinition).join(',\n  ')}
) STRICT;

CREATE TABLE ${V.table} (
  ${V.orderId} TEXT NOT NULL,
  ${V.customerId} TEXT NOT NULL,
  ${V.email} TEXT NOT NULL,
  ${V.cardKey} TEXT,
  ${V.addressKey} TEXT NOT NULL,
  ${V.at} INTEGER NOT NULL
) STRICT;
-- Each look-up is an index range scan; the card and address indexes also cover the DISTINCT columns.
CREATE INDEX velocity_by_customer ON ${V.table} (${V.customerId}, ${V.at});
CREATE INDEX velocity_by_card ON ${V.table} (${V.cardKey}, ${V.at}, ${V.customerId}, ${V.email}) WHERE ${V.cardKey} IS NOT NULL;
CREATE INDEX velocity_by_address ON ${V.table} (${V.addressKey}, ${V.at}, ${V.customerId});

CREATE TABLE ${X.table} (
  ${X.id} INTEGER PRIMARY KEY AUTOINCREMENT,
  ${X.eventId} TEXT NOT NULL UNIQUE,
  ${X.orderId} TEXT NOT NULL,
  ${X.event} TEXT NOT NULL,
  ${X.attempts} INTEGER NOT NULL DEFAULT 0,
  ${X.nextAttemptAt} INTEGER NOT NULL,
  ${X.delivered} TEXT NOT NULL DEFAULT '',
  ${X.lastError} TEXT,
  ${X.doneAt} INTEGER
) STRICT;
-- Only pending entries are indexed, in id order, so the dispatcher's poll stays cheap however many are done.
CREATE INDEX outbox_pending ON ${X.table} (${X.id}, ${X.nextAttemptAt}) WHERE ${X.doneAt} IS NULL;
CREATE INDEX outbox_pending_by_order ON ${X.table} (${X.orderId}, ${X.id}) WHERE ${X.doneAt} IS NULL;
`;

export interface Migration {
  /** The `user_version` the database has after this migration. */
  version: number;
  description: string;
  up(db: Database.Database): void;
}

/** Append-only: never edit a released migration, add the next version instead. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'initial schema', up: (db) => db.exec(INITIAL_SCHEMA) },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Adding a counter to ROLLUP_COUNTERS needs no hand-written migration: missing counter columns
 * are added (starting at 0) whenever the store opens.
 */
function addMissingRollupColumns(db: Database.Database): void {
  const existing = new Set(
    (db.pragma(`table_info(${ROLLUPS.table})`) as { name: string }[]).map((column) => column.name),
  );
  for (const counter of ROLLUP_COUNTERS) {
    if (!existing.has(ROLLUP_COUNTER_COLUMNS[counter])) {
      db.exec(`ALTER TABLE ${ROLLUPS.table} ADD COLUMN ${rollupCounterColumnDefinition(counter)}`);
    }
  }
}

/**
 * Brings the database to SCHEMA_VERSION. Runs under an immediate (write-locked) transaction and
 * re-reads the version inside it, so two processes opening the same file migrate it once.
 */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new Error(`Database schema version ${current} is newer than this code (${SCHEMA_VERSION})`);
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
    addMissingRollupColumns(db);
  }).immediate();
}
