/**
 * Order API benchmark (issue 6 targets: >= 3,000 screened orders/s at saturation; p99 <= 20 ms at
 * 1,000 orders/s; at least a third of the bare server; rules only, SQLite). Runs, in one go and with
 * the same settings:
 *   - a bare Node HTTP server that only parses the body (the ceiling of this machine), and
 *   - the built local order API (`npm start`'s entry point) on a fresh DATA_DIR, with the analytics
 *     service on the same store polled like an open dashboard (BENCH_WITH_ANALYTICS=0 leaves it out),
 * drives both with autocannon using distinct realistic orders at fixed offered loads (500, 1,000 and
 * 2,000 orders/s) and at saturation, samples the resident memory of each local service process
 * during the saturation run, then checks that every order the API answered is stored, archived and
 * notified, and writes the figures into docs/performance.md.
 *
 *   npm run bench                       # full run (about 2 minutes)
 *   BENCH_SECONDS=5 npm run bench       # quick look
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { measure, measureBareServer, resultLines, start, stop } from './lib/order-load.mjs';
import { ROOT, markedSection, writeSection } from './lib/report.mjs';
import { orderStream } from './order-generator.mjs';

const ORDER_API = path.join(ROOT, 'lambda-order-processor/dist/local/main.js');
const ANALYTICS = path.join(ROOT, 'eks-analytics/dist/main.js');
const WITH_ANALYTICS = process.env.BENCH_WITH_ANALYTICS !== '0';
/** How often the analytics is asked for its metrics during the saturation run (a dashboard open on it). */
const DASHBOARD_POLL_MS = 1_000;

/** Asks the analytics for today's metrics every DASHBOARD_POLL_MS until stopped; resolves with the number of answers. */
function pollDashboard(analyticsUrl) {
  let stopped = false;
  let answers = 0;
  const done = (async () => {
    while (!stopped) {
      const response = await fetch(`${analyticsUrl}/api/finops/metrics`).catch(() => null);
      if (response?.ok) answers += 1;
      await response?.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, DASHBOARD_POLL_MS));
    }
    return answers;
  })();
  return () => ((stopped = true), done);
}

/** What the store, archive and notification file hold after the API shut down (and flushed its outbox). */
function verifyDelivery(dataDir) {
  const db = new Database(path.join(dataDir, 'orderops.sqlite'), { readonly: true });
  const stored = db.prepare('SELECT count(*) FROM orders').pluck().get();
  const rolledUp = db.prepare('SELECT COALESCE(SUM(orders_total), 0) FROM rollups').pluck().get();
  const pendingEvents = db.prepare('SELECT count(*) FROM outbox WHERE done_at IS NULL').pluck().get();
  db.close();
  const archive = path.join(dataDir, 'archive');
  let archived = 0;
  for (const status of readdirSync(archive)) for (const day of readdirSync(path.join(archive, status))) archived += readdirSync(path.join(archive, status, day)).length;
  const notified = readFileSync(path.join(dataDir, 'notifications.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  return { stored, rolledUp, pendingEvents, archived, notified };
}

async function main() {
  const { runs: bareRuns, memory: bareMemory } = await measureBareServer(orderStream({ seed: 7 }));

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orderops-bench-'));
  const api = await start(ORDER_API, { DATA_DIR: dataDir, ORDER_API_PORT: '0', POWERTOOLS_LOG_LEVEL: 'INFO' });
  const analytics = WITH_ANALYTICS ? await start(ANALYTICS, { DATA_DIR: dataDir, ANALYTICS_PORT: '0', ANALYTICS_HOST: '127.0.0.1' }) : null;
  const services = [{ name: 'order API', pid: api.child.pid }, ...(analytics ? [{ name: 'analytics', pid: analytics.child.pid }] : [])];
  const {
    runs: apiRuns,
    memory,
    duringSaturation: dashboardAnswers,
  } = await measure('order API', api.url, orderStream({ seed: 7 }), services, { whileSaturated: analytics ? () => pollDashboard(analytics.url) : null });
  if (analytics) await stop(analytics.child);
  await stop(api.child);
  const delivery = verifyDelivery(dataDir);
  rmSync(dataDir, { recursive: true, force: true });

  const section = markedSection('order-api', [
    ...resultLines({
      command: 'npm run bench',
      name: 'Order API',
      apiRuns,
      bareRuns,
      memory: [...memory, ...bareMemory],
      memoryNote: dashboardAnswers === null ? '' : ` The analytics ran on the same store and answered /api/finops/metrics ${dashboardAnswers} times during it (one request per second).`,
    }),
    `After shutdown: ${delivery.stored} orders stored (rollups count ${delivery.rolledUp}), ${delivery.archived} archive files, ${delivery.notified} notification lines, ${delivery.pendingEvents} events still pending.`,
  ]);
  writeSection('order-api', section, { heading: 'Order API, local, rules only, SQLite' });
  console.log(section);
  const answered = apiRuns.reduce((sum, run) => sum + run.ok, 0);
  if (delivery.stored < answered || delivery.stored !== delivery.rolledUp || delivery.pendingEvents !== 0 || delivery.archived !== delivery.stored || delivery.notified !== delivery.stored) {
    console.error('delivery check failed: every answered order must be stored once, rolled up, archived and notified');
    process.exitCode = 1;
  }
}

await main();
