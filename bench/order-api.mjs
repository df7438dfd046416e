/**
 * Order API benchmark (issue targets: >= 2,000 screened orders/s at saturation, p99 <= 25 ms at
 * 1,000 orders/s; rules only, SQLite). Starts the built local order API (`npm start`'s entry point)
 * on a fresh DATA_DIR, drives it with autocannon using distinct realistic orders, checks that every
 * answered order is in the store, and writes the figures into docs/performance.md.
 *
 *   npm run bench                       # full run (about 2 minutes)
 *   BENCH_SECONDS=5 npm run bench       # quick look
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { orderStream } from './order-generator.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.join(ROOT, 'lambda-order-processor/dist/local/main.js');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const DOC = path.join(ROOT, 'docs/performance.md');

function startServer(dataDir) {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, DATA_DIR: dataDir, ORDER_API_PORT: '0', POWERTOOLS_LOG_LEVEL: 'INFO' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
    child.once('exit', (code) => reject(new Error(`order API exited (${code}): ${output}`)));
  });
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

function summarise(label, result) {
  return {
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

/** Orders the store holds: read from the daily rollups of the benchmark's SQLite file. */
function storedOrderCount(dbFile) {
  const db = new Database(dbFile, { readonly: true });
  const row = db.prepare('SELECT COALESCE(SUM(orders_total), 0) AS n FROM rollups').get();
  db.close();
  return row.n;
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orderops-bench-'));
  const { child, url } = await startServer(dataDir);
  const nextOrder = orderStream({ seed: 7 });
  const runs = [];
  try {
    await load(url, nextOrder, { seconds: 3, connections: 16 }); // warm-up: JIT, SQLite page cache
    runs.push(summarise('fixed 1,000 orders/s', await load(url, nextOrder, { seconds: SECONDS, connections: 32, rate: 1_000 })));
    runs.push(summarise('saturation (32 connections)', await load(url, nextOrder, { seconds: SECONDS, connections: 32 })));
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  const count = storedOrderCount(path.join(dataDir, 'orderops.sqlite'));
  const answered = runs.reduce((sum, run) => sum + run.ok, 0);
  rmSync(dataDir, { recursive: true, force: true });

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const rows = runs
    .map((run) => `| ${run.label} | ${run.requestsPerSecond} | ${run.total} | ${run.non2xx} | ${run.errors} | ${run.p50} | ${run.p90} | ${run.p99} | ${run.max} |`)
    .join('\n');
  const section = [
    '<!-- bench:order-api:start -->',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}; command \`npm run bench\` (${SECONDS} s per run, autocannon in the same machine, distinct generated orders).`,
    '',
    '| run | orders/s | requests | non-2xx | errors | p50 ms | p90 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|---|---|---|',
    rows,
    '',
    `Stored orders after the runs (warm-up included): ${count}; 200 answers in the measured runs: ${answered}.`,
    '<!-- bench:order-api:end -->',
  ].join('\n');
  const doc = readFileSync(DOC, 'utf8');
  writeFileSync(DOC, doc.replace(/<!-- bench:order-api:start -->[\s\S]*<!-- bench:order-api:end -->/, section));
  console.log(section);
}

await main();
