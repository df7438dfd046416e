/**
 * Analytics benchmark (issue 3 target: `/api/finops/metrics` for a 90-day range under 20 ms at the
 * median with 1,000,000 orders in the store, flat in the number of orders). One store grows through
 * the sizes (10k, then +90k, then +900k orders); at each size it measures, in the same run:
 *   - `/api/finops/metrics` and `/api/finops/report` over the last 90 days, sequential requests over
 *     real HTTP to the built analytics service (`node eks-analytics/dist/main.js`) on that store, and
 *   - the baseline: a naive full-scan aggregation (what the original Java system did): read every
 *     order of the range and sum counts and costs per status from the order documents.
 *
 * Orders are seeded through the order processor's own write path, in-process: the composition root's
 * Middy handler called with API Gateway HTTP API v2 events built by the local server's own builder,
 * about 64 in flight (the store group-commits concurrent writes), the clock spread over the 90 days.
 * Event delivery is stopped while seeding: the order events stay pending in the SQLite outbox (no
 * archive files or notification lines are written), which the analytics never reads.
 *
 *   npm run bench:analytics                                     # full run (1M orders, about 15 minutes)
 *   BENCH_ANALYTICS_SIZES=10000,100000 node bench/analytics.mjs # quicker, after npm run build
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '@orderops/lambda-order-processor/config';
import { createRuntime } from '@orderops/lambda-order-processor/runtime';
import Database from 'better-sqlite3';
import { localLambdaContext, toApiGatewayEvent } from '../lambda-order-processor/dist/local/api-gateway-event.js';
import { ROOT, measuredLine, writeSection as writeDocSection } from './lib/report.mjs';
import { orderStream } from './order-generator.mjs';

const ANALYTICS = path.join(ROOT, 'eks-analytics/dist/main.js');
const SIZES = (process.env.BENCH_ANALYTICS_SIZES ?? '10000,100000,1000000').split(',').map((size) => Number(size.trim()));
const REQUESTS = Number(process.env.BENCH_ANALYTICS_REQUESTS ?? 300);
const WARM_UP_REQUESTS = 30;
const RANGE_DAYS = 90;
const IN_FLIGHT = 64;
/** The naive scan repeats until this many runs or this much time, whichever comes first (at least 3 runs). */
const SCAN_RUNS = 30;
const SCAN_BUDGET_MS = 20_000;
const DAY_MS = 86_400_000;
const TARGET_MEDIAN_MS = 20;

if (SIZES.some((size, i) => !Number.isInteger(size) || size <= (SIZES[i - 1] ?? 0))) {
  throw new Error(`BENCH_ANALYTICS_SIZES must be increasing whole numbers of orders, e.g. 10000,100000 (got ${process.env.BENCH_ANALYTICS_SIZES})`);
}

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted, q) {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

function summarise(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { runs: sorted.length, p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99) };
}

const ms = (value) => (value < 10 ? value.toFixed(2) : value.toFixed(1));

/** The 90-day range every measurement reads (today included), and the report's extra reads. */
function ranges(todayMs) {
  const endDate = isoDay(todayMs);
  const startDate = isoDay(todayMs - (RANGE_DAYS - 1) * DAY_MS);
  return {
    startDate,
    endDate,
    fromMs: Date.parse(startDate),
    // The report compares with the previous period of equal length and forecasts from 56 whole days.
    previousStartDate: isoDay(todayMs - (2 * RANGE_DAYS - 1) * DAY_MS),
    forecastStartDate: isoDay(todayMs - 56 * DAY_MS),
    yesterday: isoDay(todayMs - DAY_MS),
  };
}

/**
 * Seeds `count` orders through the order processor's handler, the clock moving evenly from
 * `fromMs` to `toMs` (so every order's createdAt falls inside the range), IN_FLIGHT at a time.
 */
async function seed(dataDir, nextOrder, count, fromMs, toMs) {
  let clock = new Date(fromMs);
  const runtime = await createRuntime(loadConfig({ DATA_DIR: dataDir, OUTBOX_DELIVERY: 'inline' }), {
    logger: new Logger({ serviceName: 'bench-seed', logLevel: 'SILENT' }),
    now: () => clock,
    metricsSink: () => undefined,
  });
  // Events stay in the outbox: delivering a million archive files is not what this bench measures.
  // (After stop(), the handler's kick() is a no-op.)
  await runtime.delivery.stop();
  const memoryMb = runtime.config.deployment.lambdaMemoryMb;
  const request = { method: 'POST', url: '/orders', httpVersion: '1.1', rawHeaders: ['host', 'localhost', 'content-type', 'application/json'], socket: { remoteAddress: '127.0.0.1' } };
  const statuses = new Map();
  let issued = 0;
  let answered = 0;
  let firstFailure = null;
  const started = performance.now();

  async function submitLoop() {
    while (issued < count) {
      const i = issued;
      issued += 1;
      clock = new Date(fromMs + Math.floor(((toMs - fromMs) * i) / count));
      const order = nextOrder();
      // The generator's night-time orders are placed "yesterday"; move them to the day before the clock.
      if (order.placedAt !== undefined) order.placedAt = `${isoDay(clock.getTime() - DAY_MS)}T03:12:00-05:00`;
      const event = toApiGatewayEvent(request, Buffer.from(JSON.stringify(order)), clock);
      const result = await runtime.handler(event, localLambdaContext(event.requestContext.requestId, memoryMb));
      statuses.set(result.statusCode, (statuses.get(result.statusCode) ?? 0) + 1);
      if (result.statusCode !== 200) firstFailure ??= result.body;
      answered += 1;
      if (answered % 50_000 === 0) process.stderr.write(`  seeded ${answered} of ${count}\n`);
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, submitLoop));
  const seconds = (performance.now() - started) / 1000;
  await runtime.close(0);
  if (firstFailure !== null) console.error(`seeding: not every order was answered 200 (${JSON.stringify(Object.fromEntries(statuses))}); first: ${firstFailure}`);
  return { added: count, seconds, ordersPerSecond: Math.round(count / seconds), statuses: Object.fromEntries(statuses) };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the built analytics service on the store and resolves once /health/ready answers 200. */
async function startAnalytics(dataDir) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Logs at the default level (info) go to /dev/null: their cost is measured, the pipe never fills.
  const child = spawn(process.execPath, [ANALYTICS], { env: { ...process.env, DATA_DIR: dataDir, ANALYTICS_PORT: String(port), ANALYTICS_HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  let exited = null;
  child.once('exit', (code) => (exited = code));
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    if (exited !== null) throw new Error(`the analytics service exited (${exited}) before it was ready`);
    const ready = await fetch(`${url}/health/ready`).then((response) => response.status === 200, () => false);
    if (ready) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  throw new Error('the analytics service was not ready within 30 s');
}

async function stopAnalytics(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Sequential GETs: latency of each, from sending the request to reading the whole body. */
async function latencies(url, runs) {
  const samples = [];
  let body = null;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const response = await fetch(url);
    const text = await response.text();
    samples.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text}`);
    body = text;
  }
  return { samples, body: JSON.parse(body) };
}

async function measureEndpoints(dataDir, range) {
  const { child, url } = await startAnalytics(dataDir);
  try {
    const query = `startDate=${range.startDate}&endDate=${range.endDate}`;
    const metricsUrl = `${url}/api/finops/metrics?${query}`;
    const reportUrl = `${url}/api/finops/report?${query}`;
    await latencies(metricsUrl, WARM_UP_REQUESTS);
    await latencies(reportUrl, WARM_UP_REQUESTS);
    const metrics = await latencies(metricsUrl, REQUESTS);
    const report = await latencies(reportUrl, REQUESTS);
    return { metrics: summarise(metrics.samples), report: summarise(report.samples), metricsBody: metrics.body };
  } finally {
    await stopAnalytics(child);
  }
}

/**
 * The baseline: every order of the range read and parsed, counts, order values and costs summed per
 * status from the documents (as the original system aggregated). Returns the timing and the sums.
 */
function naiveScan(file, range) {
  const db = new Database(file, { readonly: true });
  // A table scan (as the original's DynamoDB Scan with a filter): sequential reads of every order.
  // Through the day index instead, the rows come in day order, not in storage order: random reads.
  const select = db.prepare('SELECT document FROM orders NOT INDEXED WHERE day BETWEEN ? AND ?');
  const scan = () => {
    const byStatus = {};
    for (const row of select.iterate(range.startDate, range.endDate)) {
      const order = JSON.parse(row.document);
      const sums = (byStatus[order.status] ??= { orders: 0, amountCents: 0, costNanos: 0 });
      sums.orders += 1;
      sums.amountCents += order.totalAmountCents;
      sums.costNanos += order.costNanos.total;
    }
    return byStatus;
  };
  const samples = [];
  let result = scan(); // warm-up
  for (const deadline = performance.now() + SCAN_BUDGET_MS; samples.length < 3 || (samples.length < SCAN_RUNS && performance.now() < deadline); ) {
    const started = performance.now();
    result = scan();
    samples.push(performance.now() - started);
  }
  const count = (from, to) => db.prepare('SELECT count(*) FROM rollups WHERE day BETWEEN ? AND ?').pluck().get(from, to);
  const rollupRows = {
    metrics: count(range.startDate, range.endDate),
    // One read for the period and the previous one, one for the forecast's history.
    report: count(range.previousStartDate, range.endDate) + count(range.forecastStartDate, range.yesterday),
  };
  const ordersInStore = db.prepare('SELECT count(*) FROM orders').pluck().get();
  db.close();
  return { timing: summarise(samples), byStatus: result, rollupRows, ordersInStore };
}

/** The rollup-based answer and the full scan must agree on every count and sum. */
function checkAgreement(metrics, byStatus) {
  const scanned = (status, field) => byStatus[status]?.[field] ?? 0;
  const pairs = [
    ['approvedOrders', metrics.approvedOrders, scanned('APPROVED', 'orders')],
    ['rejectedOrders', metrics.rejectedOrders, scanned('REJECTED', 'orders')],
    ['pendingReviewOrders', metrics.pendingReviewOrders, scanned('PENDING_REVIEW', 'orders')],
    ['blockedFraudAmount (cents)', Math.round(metrics.blockedFraudAmount * 100), scanned('REJECTED', 'amountCents')],
  ];
  if (metrics.validationErrors === 0) {
    const costNanos = Object.keys(byStatus).reduce((sum, status) => sum + scanned(status, 'costNanos'), 0);
    pairs.push(['totalProcessingCost (nano-dollars)', Math.round(metrics.totalProcessingCost * 1e9), costNanos]);
  }
  return pairs.filter(([, rollup, scan]) => rollup !== scan).map(([name, rollup, scan]) => `${name}: rollups ${rollup}, scan ${scan}`);
}

function writeSection(results, startedAt) {
  const rows = results.map(
    ({ endpoints, scan }) =>
      `| ${scan.ordersInStore.toLocaleString('en-US')} | ${ms(endpoints.metrics.p50)} / ${ms(endpoints.metrics.p99)} | ${ms(endpoints.report.p50)} / ${ms(endpoints.report.p99)} | ` +
      `${ms(scan.timing.p50)} (${scan.timing.runs} runs) | ${scan.rollupRows.metrics} / ${scan.rollupRows.report} |`,
  );
  const seeding = results.map(({ size, seeding: s }) => `${s.added.toLocaleString('en-US')} orders to reach ${size.toLocaleString('en-US')} at ${s.ordersPerSecond} orders/s`).join('; ');
  const largest = results.at(-1);
  const verdict =
    largest.endpoints.metrics.p50 < TARGET_MEDIAN_MS
      ? `met: ${ms(largest.endpoints.metrics.p50)} ms at the median`
      : `missed: ${ms(largest.endpoints.metrics.p50)} ms at the median`;
  const flat = `from ${results[0].size.toLocaleString('en-US')} to ${largest.size.toLocaleString('en-US')} orders the metrics median went ${ms(results[0].endpoints.metrics.p50)} → ${ms(largest.endpoints.metrics.p50)} ms while the naive scan went ${ms(results[0].scan.timing.p50)} → ${ms(largest.scan.timing.p50)} ms`;
  const section = [
    '<!-- bench:analytics:start -->',
    measuredLine('npm run bench:analytics', startedAt),
    `(${REQUESTS} sequential requests per endpoint after ${WARM_UP_REQUESTS} warm-up requests, range ${RANGE_DAYS} days; the machine is shared with other work, so figures are noisy:`,
    `1-minute load average after each size's measurements ${results.map(({ load }) => load.toFixed(1)).join(', ')} on ${os.cpus().length} cores).`,
    '',
    '| orders in store | metrics p50 / p99 ms | report p50 / p99 ms | naive scan p50 ms | rollup rows read (metrics / report) |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Target (issue 3, metrics median under ${TARGET_MEDIAN_MS} ms at 1,000,000 orders, 90-day range) ${largest.size >= 1_000_000 ? verdict : `not measured in this run (largest store ${largest.size.toLocaleString('en-US')} orders)`}; ${flat}.`,
    `Seeding through the order API's handler in-process (${IN_FLIGHT} in flight): ${seeding}.`,
    '<!-- bench:analytics:end -->',
  ].join('\n');
  writeDocSection('analytics', section, { heading: 'Analytics' });
  return section;
}

async function main() {
  const startedAt = new Date();
  const range = ranges(startedAt.getTime());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orderops-bench-analytics-'));
  const nextOrder = orderStream({ seed: 11 });
  const results = [];
  let disagreements = [];
  try {
    let inStore = 0;
    for (const size of SIZES) {
      process.stderr.write(`seeding ${size - inStore} orders (store: ${inStore} → ${size})\n`);
      // Each phase spreads its orders over the whole range, up to the present moment.
      const seeding = await seed(dataDir, nextOrder, size - inStore, range.fromMs, Date.now());
      inStore = size;
      process.stderr.write(`  ${seeding.ordersPerSecond} orders/s; measuring\n`);
      const endpoints = await measureEndpoints(dataDir, range);
      const scan = naiveScan(loadConfig({ DATA_DIR: dataDir }).sqliteFile, range);
      const disagreement = checkAgreement(endpoints.metricsBody, scan.byStatus);
      disagreements = disagreements.concat(disagreement.map((line) => `${size}: ${line}`));
      results.push({ size, seeding, endpoints, scan, load: os.loadavg()[0] });
      process.stderr.write(
        `  ${scan.ordersInStore} orders: metrics p50 ${ms(endpoints.metrics.p50)} ms, report p50 ${ms(endpoints.report.p50)} ms, naive scan p50 ${ms(scan.timing.p50)} ms\n`,
      );
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(writeSection(results, startedAt));
  if (disagreements.length > 0) {
    console.error(`the rollups and the full scan disagree:\n${disagreements.join('\n')}`);
    process.exitCode = 1;
  }
}

await main();
