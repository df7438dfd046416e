import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { CUSTOMERS, ORDERS, OUTBOX, ROLLUP_COUNTER_COLUMNS, ROLLUPS, VELOCITY } from '../../../src/adapters/sqlite-store/schema.js';
import { ORDER_STATUSES, type OrderStatus } from '../../../src/domain/order/order.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The built entry point of `npm start` (`npm test` runs `tsc -b` before jest, so it is current). */
export const SERVER_MAIN = path.resolve(HERE, '../../../dist/local/main.js');
const ORDER_GENERATOR = path.resolve(HERE, '../../../../bench/order-generator.mjs');

/** RELIABILITY_SOAK=1 runs the long versions of the reliability tests. */
export const SOAK = process.env.RELIABILITY_SOAK === '1';

/** The real local order API as its own process (`node dist/local/main.js`), as `npm start` runs it. */
export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGKILL: no shutdown hook runs, in-flight requests and the outbox are cut off. */
  kill9(): Promise<void>;
  /** SIGTERM: the graceful shutdown of main.ts (finish requests, flush the outbox). */
  stop(): Promise<number | null>;
  /** Resident set size of the server process, from /proc. */
  rssBytes(): number;
}

/** Every server this test file started and has not seen exit: killed by stopAllServers. */
const running = new Set<ChildProcess>();

/** For afterAll: kills (SIGKILL) every server process this test file started that is still running. */
export async function stopAllServers(): Promise<void> {
  const exits = [...running].map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve))));
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(exits);
}

/** The tail of a server's output kept for error messages (every request logs a line at INFO). */
const OUTPUT_TAIL_CHARS = 20_000;

export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run npm run build`);
  // INFO: the "order API listening" line carries the URL of the free port it picked.
  const child = spawn(process.execPath, [SERVER_MAIN], {
    env: { ...process.env, DATA_DIR: dataDir, ORDER_API_PORT: '0', POWERTOOLS_LOG_LEVEL: 'INFO', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > 2 * OUTPUT_TAIL_CHARS) output = output.slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${output}`));
    }, 20_000);
    const onData = (): void => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (${String(code)}): ${output}`));
    });
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    child,
    exited,
    output: () => output,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    rssBytes: () => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!match) throw new Error(`no VmRSS for process ${pid}`);
      return Number(match[1]) * 1024;
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

export async function postBytes(url: string, body: Uint8Array, contentType: string | null): Promise<Answer> {
  const headers: Record<string, string> = contentType === null ? {} : { 'content-type': contentType };
  return toAnswer(await fetch(url, { method: 'POST', headers, body: body as Uint8Array<ArrayBuffer> }));
}

export async function getAnswer(url: string): Promise<Answer> {
  return toAnswer(await fetch(url));
}

async function toAnswer(response: Response): Promise<Answer> {
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: the assertions look at the text.
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

export function postJson(url: string, body: unknown): Promise<Answer> {
  return postBytes(url, new TextEncoder().encode(JSON.stringify(body)), 'application/json');
}

export interface OrderGenerator {
  /** The n-th call gives the n-th distinct order of a deterministic stream. */
  orderStream(options: { seed: number; runId: string }): () => Record<string, unknown>;
  /** The generator's seedable PRNG (mulberry32), so a failing run can be replayed with its seed. */
  random(seed: number): () => number;
}

/** bench/order-generator.mjs: realistic distinct orders (every customer type, payment method and fraud pattern). */
export async function orderGenerator(): Promise<OrderGenerator> {
  return (await import(pathToFileURL(ORDER_GENERATOR).href)) as OrderGenerator;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'orderops.sqlite');
}

/** A read-only connection to the store's file (WAL: it reads while the server writes). */
export function openStoreReadOnly(dataDir: string): Database.Database {
  const db = new Database(sqliteFile(dataDir), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

type PerStatus = Record<OrderStatus, number>;

function perStatus(rows: { status: string; value: number }[]): PerStatus {
  const result = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0])) as PerStatus;
  for (const row of rows) result[row.status as OrderStatus] = row.value;
  return result;
}

/**
 * What the store holds, read straight from the SQLite file: the orders and everything that must
 * agree with them (rollups, customer profiles, velocity entries, outbox events). One snapshot, so
 * the figures are consistent with each other.
 */
export interface StoreAudit {
  integrity: string;
  orders: number;
  ordersByStatus: PerStatus;
  amountCentsByStatus: PerStatus;
  rollupOrdersTotal: number;
  rollupByStatus: PerStatus;
  rollupAmountCentsByStatus: PerStatus;
  rollupValidationErrors: number;
  customerOrderCount: number;
  customerCountsByStatus: PerStatus;
  velocityEntries: number;
  screenedEvents: number;
  pendingEvents: number;
}

export function auditStore(db: Database.Database): StoreAudit {
  const r = ROLLUP_COUNTER_COLUMNS;
  const sum = (column: string): string => `coalesce(sum(${column}), 0)`;
  return db.transaction((): StoreAudit => {
    const rollup = db
      .prepare(
        `SELECT ${sum(r.ordersTotal)} AS ordersTotal, ${sum(r.approved)} AS approved, ${sum(r.pendingReview)} AS pending,
           ${sum(r.rejected)} AS rejected, ${sum(r.amountApprovedCents)} AS approvedCents, ${sum(r.amountPendingCents)} AS pendingCents,
           ${sum(r.amountRejectedCents)} AS rejectedCents, ${sum(r.validationErrors)} AS validationErrors
         FROM ${ROLLUPS.table}`,
      )
      .get() as Record<string, number>;
    const customers = db
      .prepare(
        `SELECT ${sum(CUSTOMERS.orderCount)} AS orders, ${sum(CUSTOMERS.approvedCount)} AS approved,
           ${sum(CUSTOMERS.pendingCount)} AS pending, ${sum(CUSTOMERS.rejectedCount)} AS rejected
         FROM ${CUSTOMERS.table}`,
      )
      .get() as Record<string, number>;
    const byStatus = (value: string): PerStatus =>
      perStatus(db.prepare(`SELECT ${ORDERS.status} AS status, ${value} AS value FROM ${ORDERS.table} GROUP BY ${ORDERS.status}`).all() as { status: string; value: number }[]);
    const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      orders: count(`SELECT count(*) FROM ${ORDERS.table}`),
      ordersByStatus: byStatus('count(*)'),
      amountCentsByStatus: byStatus(`sum(${ORDERS.totalAmountCents})`),
      rollupOrdersTotal: rollup.ordersTotal!,
      rollupByStatus: { APPROVED: rollup.approved!, PENDING_REVIEW: rollup.pending!, REJECTED: rollup.rejected! },
      rollupAmountCentsByStatus: { APPROVED: rollup.approvedCents!, PENDING_REVIEW: rollup.pendingCents!, REJECTED: rollup.rejectedCents! },
      rollupValidationErrors: rollup.validationErrors!,
      customerOrderCount: customers.orders!,
      customerCountsByStatus: { APPROVED: customers.approved!, PENDING_REVIEW: customers.pending!, REJECTED: customers.rejected! },
      velocityEntries: count(`SELECT count(*) FROM ${VELOCITY.table}`),
      screenedEvents: count(`SELECT count(*) FROM ${OUTBOX.table} WHERE ${OUTBOX.eventId} LIKE '%:ORDER_SCREENED:%'`),
      pendingEvents: count(`SELECT count(*) FROM ${OUTBOX.table} WHERE ${OUTBOX.doneAt} IS NULL`),
    };
  })();
}

/** The audit of a store in which every order was written whole: nothing drifts from the order rows. */
export function expectNoDrift(audit: StoreAudit): void {
  expect(audit.integrity).toBe('ok');
  expect(audit.rollupOrdersTotal).toBe(audit.orders);
  expect(audit.rollupByStatus).toEqual(audit.ordersByStatus);
  expect(audit.rollupAmountCentsByStatus).toEqual(audit.amountCentsByStatus);
  expect(audit.customerOrderCount).toBe(audit.orders);
  expect(audit.customerCountsByStatus).toEqual(audit.ordersByStatus);
  expect(audit.velocityEntries).toBe(audit.orders);
  expect(audit.screenedEvents).toBe(audit.orders);
}

/** Stored status and document of each order, by id. */
export function storedOrders(db: Database.Database): Map<string, { status: string; document: string }> {
  const rows = db.prepare(`SELECT ${ORDERS.orderId} AS orderId, ${ORDERS.status} AS status, ${ORDERS.document} AS document FROM ${ORDERS.table}`).all() as {
    orderId: string;
    status: string;
    document: string;
  }[];
  return new Map(rows.map((row) => [row.orderId, { status: row.status, document: row.document }]));
}
