import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { archiveKey } from '../../src/domain/events/order-event.js';
import type { OrderNotification } from '../../src/domain/events/notification.js';
import type { StoredOrder } from '../../src/domain/order/order.js';
import {
  SOAK,
  auditStore,
  expectNoDrift,
  openStoreReadOnly,
  orderGenerator,
  postJson,
  sleep,
  startServerProcess,
  stopAllServers,
  storedOrders,
  type ServerProcess,
} from './support/server-process.js';

/*
 * Crash safety (issue 6, item 2): the real server process under load from concurrent clients is
 * killed with SIGKILL at seeded random moments and restarted on the same DATA_DIR. Clients behave
 * as real ones: an order whose request died with the server (no answer) is sent again, same body,
 * after the restart. Afterwards every order is in the store exactly once with the status it was
 * answered with, nothing drifted, and once the outbox drained every order has its archive file
 * and its notification.
 */
const SEED = Number(process.env.RELIABILITY_SEED ?? 20_261_125);
const KILLS = SOAK ? 30 : 5;
const CLIENTS = SOAK ? 16 : 8;
/** The kill comes at a random moment in this window after the load started. */
const KILL_AFTER_MS: [number, number] = SOAK ? [1_000, 10_000] : [800, 3_000];

const TIMEOUT_MS = SOAK ? 60 * 60_000 : 150_000;

interface Run {
  /** Orders answered 200, by id, with the status they were answered with. */
  answered: Map<string, string>;
  /** Orders sent whose request died with the server: sent again after the restart. */
  inDoubt: Map<string, Record<string, unknown>>;
  /** In-doubt orders whose resend was a replay: they had been committed before the kill. */
  committedBeforeKill: number;
  unexpected: string[];
  requests: number;
}

/** One client: sends the in-doubt orders first, then fresh ones, until its connection dies. */
async function client(server: ServerProcess, run: Run, nextOrder: () => Record<string, unknown>, retryQueue: Record<string, unknown>[], fresh: boolean): Promise<void> {
  for (;;) {
    const order = retryQueue.shift() ?? (fresh ? nextOrder() : undefined);
    if (order === undefined) return;
    const orderId = order.orderId as string;
    const resend = run.inDoubt.has(orderId);
    run.inDoubt.set(orderId, order);
    let answer;
    try {
      answer = await postJson(`${server.url}/orders`, order);
      run.requests += 1;
    } catch {
      return; // the server died: this order stays in doubt
    }
    if (answer.status !== 200) {
      run.unexpected.push(`${orderId}: ${answer.status} ${answer.text.slice(0, 200)}`);
      run.inDoubt.delete(orderId);
      continue;
    }
    run.inDoubt.delete(orderId);
    if (resend && answer.headers.get('idempotent-replay') === 'true') run.committedBeforeKill += 1;
    const previous = run.answered.get(orderId);
    if (previous !== undefined && previous !== answer.body.status) run.unexpected.push(`${orderId}: answered ${previous}, then ${String(answer.body.status)}`);
    run.answered.set(orderId, answer.body.status as string);
  }
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)));
}

describe('crash safety: kill -9 under load, restart on the same data', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'orderops-crash-'));
  });
  afterAll(async () => {
    await stopAllServers();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`loses no answered order and drifts nothing across ${KILLS} kills (seed ${SEED})`, async () => {
    const generator = await orderGenerator();
    const random = generator.random(SEED);
    const nextOrder = generator.orderStream({ seed: SEED, runId: `crash${SEED}` });
    const run: Run = { answered: new Map(), inDoubt: new Map(), committedBeforeKill: 0, unexpected: [], requests: 0 };
    const killMoments: number[] = [];
    let inDoubtAtKills = 0;

    for (let kill = 1; kill <= KILLS; kill += 1) {
      const server = await startServerProcess(dataDir);
      const retryQueue = [...run.inDoubt.values()];
      const clients = Array.from({ length: CLIENTS }, () => client(server, run, nextOrder, retryQueue, true));
      const [low, high] = KILL_AFTER_MS;
      const killAfter = Math.round(low + random() * (high - low));
      killMoments.push(killAfter);
      await sleep(killAfter);
      await server.kill9();
      await Promise.all(clients);
      inDoubtAtKills += run.inDoubt.size;
    }

    // The last start: the clients resend what is still in doubt, and the outbox drains by itself.
    const server = await startServerProcess(dataDir);
    const retryQueue = [...run.inDoubt.values()];
    await Promise.all(Array.from({ length: CLIENTS }, () => client(server, run, nextOrder, retryQueue, false)));
    expect(run.inDoubt.size).toBe(0);
    const watcher = openStoreReadOnly(dataDir);
    const drainedBy = Date.now() + 60_000;
    while (auditStore(watcher).pendingEvents > 0 && Date.now() < drainedBy) await sleep(200);
    const audit = auditStore(watcher);
    const stored = storedOrders(watcher);
    watcher.close();
    expect(await server.stop()).toBe(0);

    expect(run.unexpected).toEqual([]);
    // Every answered order is stored, with the status it was answered with, and nothing else is.
    expect(audit.pendingEvents).toBe(0);
    expect(stored.size).toBe(run.answered.size);
    const wrongStatus = [...run.answered].filter(([orderId, status]) => stored.get(orderId)?.status !== status);
    expect(wrongStatus).toEqual([]);
    expectNoDrift(audit);

    // Archive: exactly one file per order, at its deterministic key, holding the stored order.
    const archiveDir = path.join(dataDir, 'archive');
    const archived = filesUnder(archiveDir);
    const finalFiles = archived.filter((file) => file.endsWith('.json'));
    const temporaryFiles = archived.filter((file) => file.endsWith('.tmp'));
    const documents = [...stored.values()].map((row) => JSON.parse(row.document) as StoredOrder);
    const expectedKeys = documents.map((order) => archiveKey({ status: order.status, day: order.day, orderId: order.orderId }));
    expect(finalFiles.sort()).toEqual(expectedKeys.sort());
    for (const order of documents) {
      const file = path.join(archiveDir, archiveKey({ status: order.status, day: order.day, orderId: order.orderId }));
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(order);
    }

    // Notifications are delivered at least once: a kill between the append and the outbox update
    // sends the line again after the restart. Every line is whole, every order has its line, and a
    // repeated line is the same event (same eventId, same bytes), so subscribers can drop it.
    const lines = readFileSync(path.join(dataDir, 'notifications.jsonl'), 'utf8').split('\n').filter((line) => line !== '');
    const linesByEvent = new Map<string, Set<string>>();
    const countByEvent = new Map<string, number>();
    for (const line of lines) {
      const notification = JSON.parse(line) as OrderNotification;
      linesByEvent.set(notification.eventId, (linesByEvent.get(notification.eventId) ?? new Set()).add(line));
      countByEvent.set(notification.eventId, (countByEvent.get(notification.eventId) ?? 0) + 1);
    }
    const expectedEvents = documents.map((order) => `${order.orderId}:ORDER_SCREENED:${order.status}`);
    expect([...linesByEvent.keys()].sort()).toEqual(expectedEvents.sort());
    expect([...linesByEvent.values()].filter((variants) => variants.size !== 1)).toEqual([]);
    const duplicated = [...countByEvent.values()].filter((count) => count > 1).length;

    console.log(
      `crash safety (seed ${SEED}): ${KILLS} kills at ${killMoments.join(', ')} ms, ${run.requests} answered requests, ` +
        `${stored.size} orders stored (${JSON.stringify(audit.ordersByStatus)}), ${inDoubtAtKills} requests cut off by kills, ` +
        `${run.committedBeforeKill} of them committed before the kill (replayed on resend), ${duplicated} notifications delivered twice, ` +
        `${temporaryFiles.length} leftover archive temp files, rollup drift 0`,
    );
  }, TIMEOUT_MS);
});
