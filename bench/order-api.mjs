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
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { orderStream } from './order-generator.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ORDER_API = path.join(ROOT, 'lambda-order-processor/dist/local/main.js');
const BARE_SERVER = path.join(ROOT, 'bench/bare-server.mjs');
const ANALYTICS = path.join(ROOT, 'eks-analytics/dist/main.js');
const WITH_ANALYTICS = process.env.BENCH_WITH_ANALYTICS !== '0';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const DOC = path.join(ROOT, 'docs/performance.md');
/**
 * autocannon paces a fixed rate per connection, so with many connections the requests leave in
 * synchronised bursts and even the bare server shows tens of ms at p99; one connection per 100
 * orders/s (ten for 1,000 orders/s) carries the load without that artefact. Saturation uses 32.
 */
const FIXED_RATES = [500, 1_000, 2_000];
const ORDERS_PER_SECOND_PER_CONNECTION = 100;
const SATURATION_CONNECTIONS = 32;
const RSS_SAMPLE_MS = 100;
/** How often the analytics is asked for its metrics during the saturation run (a dashboard open on it). */
const DASHBOARD_POLL_MS = 1_000;

function start(script, env) {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk.toString('utf8');
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        // Keep draining the log pipe (as Lambda's log agent would) without holding it in memory.
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ child, url: match[1] });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}): ${output}`)));
  });
}

async function stop(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

function load(url, nextOrder, { seconds, connections, rate }) {
  return autocannon({
    url,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        method: 'POST',
        path: '/orders',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify(nextOrder()) }),
      },
    ],
  });
}

function summarise(server, label, result) {
  return {
    server,
    label,
    requestsPerSecond: Math.round(result.requests.average),
    total: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

/**
 * Samples the resident memory of the processes every RSS_SAMPLE_MS until stopped; stop() gives, in
 * MiB, the peak VmRSS of each, the peak of its anonymous part (heap, stacks: RssAnon; the rest is
 * mostly file pages, e.g. SQLite's memory-mapped database) and VmHWM (the peak since the process started).
 */
function sampleMemory(processes) {
  const kib = (pid, field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  const peaks = processes.map(() => ({ rss: 0, anon: 0 }));
  const sample = () =>
    processes.forEach(({ pid }, i) => {
      peaks[i].rss = Math.max(peaks[i].rss, kib(pid, 'VmRSS'));
      peaks[i].anon = Math.max(peaks[i].anon, kib(pid, 'RssAnon'));
    });
  sample();
  const timer = setInterval(sample, RSS_SAMPLE_MS);
  return () => {
    clearInterval(timer);
    sample();
    return processes.map(({ name, pid }, i) => ({ name, peakRssMiB: peaks[i].rss / 1024, peakAnonMiB: peaks[i].anon / 1024, hwmMiB: kib(pid, 'VmHWM') / 1024 }));
  };
}

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

async function measure(server, url, nextOrder, processes, analyticsUrl = null) {
  await load(url, nextOrder, { seconds: 3, connections: 16 }); // warm-up: JIT, page cache
  const runs = [];
  for (const rate of FIXED_RATES) {
    const connections = rate / ORDERS_PER_SECOND_PER_CONNECTION;
    runs.push(summarise(server, `fixed ${rate.toLocaleString('en-US')} orders/s`, await load(url, nextOrder, { seconds: SECONDS, connections, rate })));
  }
  const stopSampling = sampleMemory(processes);
  const stopPolling = analyticsUrl === null ? null : pollDashboard(analyticsUrl);
  runs.push(summarise(server, `saturation (${SATURATION_CONNECTIONS} connections)`, await load(url, nextOrder, { seconds: SECONDS, connections: SATURATION_CONNECTIONS })));
  return { runs, memory: stopSampling(), dashboardAnswers: stopPolling === null ? null : await stopPolling() };
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
  const bare = await start(BARE_SERVER, {});
  const { runs: bareRuns, memory: bareMemory } = await measure('bare Node server', bare.url, orderStream({ seed: 7 }), [{ name: 'bare Node server', pid: bare.child.pid }]);
  await stop(bare.child);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orderops-bench-'));
  const api = await start(ORDER_API, { DATA_DIR: dataDir, ORDER_API_PORT: '0', POWERTOOLS_LOG_LEVEL: 'INFO' });
  const analytics = WITH_ANALYTICS ? await start(ANALYTICS, { DATA_DIR: dataDir, ANALYTICS_PORT: '0', ANALYTICS_HOST: '127.0.0.1' }) : null;
  const services = [{ name: 'order API', pid: api.child.pid }, ...(analytics ? [{ name: 'analytics', pid: analytics.child.pid }] : [])];
  const { runs: apiRuns, memory, dashboardAnswers } = await measure('order API', api.url, orderStream({ seed: 7 }), services, analytics?.url ?? null);
  if (analytics) await stop(analytics.child);
  await stop(api.child);
  const delivery = verifyDelivery(dataDir);
  rmSync(dataDir, { recursive: true, force: true });

  const runs = [...apiRuns, ...bareRuns];
  const saturation = (serverRuns) => serverRuns.at(-1);
  const ratio = saturation(apiRuns).requestsPerSecond / saturation(bareRuns).requestsPerSecond;
  const memoryLine = [...memory, ...bareMemory]
    .map(({ name, peakRssMiB, peakAnonMiB, hwmMiB }) => `${name} ${peakRssMiB.toFixed(0)} MiB (anonymous ${peakAnonMiB.toFixed(0)} MiB; VmHWM since start ${hwmMiB.toFixed(0)} MiB)`)
    .join('; ');
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const rows = runs
    .map((run) => `| ${run.server} | ${run.label} | ${run.requestsPerSecond} | ${run.total} | ${run.non2xx} | ${run.errors} | ${run.p50} | ${run.p90} | ${run.p99} | ${run.max} |`)
    .join('\n');
  const section = [
    '<!-- bench:order-api:start -->',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}; command \`npm run bench\``,
    `(${SECONDS} s per run after a 3 s warm-up; autocannon on the same machine; fixed rates over one connection per ${ORDERS_PER_SECOND_PER_CONNECTION} orders/s, saturation over ${SATURATION_CONNECTIONS}; the machine is shared with other work, so figures are noisy).`,
    '',
    '| server | run | orders/s | requests | non-2xx | errors | p50 ms | p90 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|---|---|---|---|',
    rows,
    '',
    `Order API at saturation: ${(ratio * 100).toFixed(0)}% of the bare server's requests per second in the same run (${saturation(apiRuns).requestsPerSecond} / ${saturation(bareRuns).requestsPerSecond}).`,
    `Peak resident memory during the saturation run (VmRSS sampled every ${RSS_SAMPLE_MS} ms): ${memoryLine}.` +
      (dashboardAnswers === null ? '' : ` The analytics ran on the same store and answered /api/finops/metrics ${dashboardAnswers} times during it (one request per second).`),
    `After shutdown: ${delivery.stored} orders stored (rollups count ${delivery.rolledUp}), ${delivery.archived} archive files, ${delivery.notified} notification lines, ${delivery.pendingEvents} events still pending.`,
    '<!-- bench:order-api:end -->',
  ].join('\n');
  const doc = readFileSync(DOC, 'utf8');
  writeFileSync(DOC, doc.replace(/<!-- bench:order-api:start -->[\s\S]*<!-- bench:order-api:end -->/, () => section));
  console.log(section);
  const answered = apiRuns.reduce((sum, run) => sum + run.ok, 0);
  if (delivery.stored < answered || delivery.stored !== delivery.rolledUp || delivery.pendingEvents !== 0 || delivery.archived !== delivery.stored || delivery.notified !== delivery.stored) {
    console.error('delivery check failed: every answered order must be stored once, rolled up, archived and notified');
    process.exitCode = 1;
  }
}

await main();
