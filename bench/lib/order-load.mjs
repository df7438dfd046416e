/**
 * The order path load shared by bench/order-api.mjs (SQLite) and bench/order-api-dynamodb.mjs
 * (DynamoDB Local): server processes started and stopped, autocannon at fixed offered loads and at
 * saturation with distinct generated orders, resident memory sampled during the saturation run, and
 * the results rendered as the table and lines of docs/performance.md.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { ROOT, measuredLine } from './report.mjs';

/** Seconds per measured run (BENCH_SECONDS; 20 by default), each run after a warm-up of WARM_UP_SECONDS. */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARM_UP_SECONDS = 3;
const WARM_UP_CONNECTIONS = 16;
/**
 * autocannon paces a fixed rate per connection, so with many connections the requests leave in
 * synchronised bursts and even the bare server shows tens of ms at p99; one connection per 100
 * orders/s (ten for 1,000 orders/s) carries the load without that artefact. Saturation uses 32.
 */
const FIXED_RATES = [500, 1_000, 2_000];
const ORDERS_PER_SECOND_PER_CONNECTION = 100;
const SATURATION_CONNECTIONS = 32;
export const RSS_SAMPLE_MS = 100;

/** Starts `node script` with `env` added; resolves with the child and the `"url"` its log prints once listening. */
export function start(script, env) {
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

/** SIGTERM, resolved once the process has exited. */
export async function stop(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

/**
 * Posts distinct orders from `nextOrder` to `url` (POST /orders) with autocannon: at a fixed overall
 * rate, or as fast as the connections allow; onResponse(status, body) sees every answer when given.
 */
export function load(url, nextOrder, { seconds, connections, rate, onResponse }) {
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
        ...(onResponse ? { onResponse: (status, body) => onResponse(status, body) } : {}),
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

/**
 * Warm-up, the fixed offered loads, then saturation with the memory of `processes` ({ name, pid })
 * sampled. whileSaturated() is called when saturation starts and returns a function that ends what
 * it started and resolves with a result (duringSaturation; null without it). onResponse sees every
 * answer, warm-up included. connections: how many were opened in all, warm-up included (each run
 * ends with at most one request per connection sent but never answered to autocannon).
 */
export async function measure(server, url, nextOrder, processes, { whileSaturated = null, onResponse = undefined } = {}) {
  await load(url, nextOrder, { seconds: WARM_UP_SECONDS, connections: WARM_UP_CONNECTIONS, onResponse }); // JIT, page cache
  const runs = [];
  for (const rate of FIXED_RATES) {
    const connections = rate / ORDERS_PER_SECOND_PER_CONNECTION;
    runs.push(summarise(server, `fixed ${rate.toLocaleString('en-US')} orders/s`, await load(url, nextOrder, { seconds: SECONDS, connections, rate, onResponse })));
  }
  const stopSampling = sampleMemory(processes);
  const stopSide = whileSaturated === null ? null : whileSaturated();
  runs.push(summarise(server, `saturation (${SATURATION_CONNECTIONS} connections)`, await load(url, nextOrder, { seconds: SECONDS, connections: SATURATION_CONNECTIONS, onResponse })));
  const connections = WARM_UP_CONNECTIONS + FIXED_RATES.reduce((sum, rate) => sum + rate / ORDERS_PER_SECOND_PER_CONNECTION, 0) + SATURATION_CONNECTIONS;
  return { runs, memory: stopSampling(), duringSaturation: stopSide === null ? null : await stopSide(), connections };
}

/** The "(… s per run …)" line telling how the load was offered. */
function loadSettingsLine() {
  return `(${SECONDS} s per run after a ${WARM_UP_SECONDS} s warm-up; autocannon on the same machine; fixed rates over one connection per ${ORDERS_PER_SECOND_PER_CONNECTION} orders/s, saturation over ${SATURATION_CONNECTIONS}; the machine is shared with other work, so figures are noisy).`;
}

/** The results table of every run, one row per server and load. */
function runsTable(runs) {
  return [
    '| server | run | orders/s | requests | non-2xx | errors | p50 ms | p90 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map((run) => `| ${run.server} | ${run.label} | ${run.requestsPerSecond} | ${run.total} | ${run.non2xx} | ${run.errors} | ${run.p50} | ${run.p90} | ${run.p99} | ${run.max} |`),
  ];
}

/** "<name> at saturation: N% of the bare server's requests per second in the same run (a / b)." */
function saturationRatioLine(name, apiRuns, bareRuns) {
  const api = apiRuns.at(-1).requestsPerSecond;
  const bare = bareRuns.at(-1).requestsPerSecond;
  return `${name} at saturation: ${Number(((api / bare) * 100).toPrecision(2))}% of the bare server's requests per second in the same run (${api} / ${bare}).`;
}

/** The peak memory of each sampled process, as one sentence. */
function memoryLine(memory) {
  const peaks = memory
    .map(({ name, peakRssMiB, peakAnonMiB, hwmMiB }) => `${name} ${peakRssMiB.toFixed(0)} MiB (anonymous ${peakAnonMiB.toFixed(0)} MiB; VmHWM since start ${hwmMiB.toFixed(0)} MiB)`)
    .join('; ');
  return `Peak resident memory during the saturation run (VmRSS sampled every ${RSS_SAMPLE_MS} ms): ${peaks}.`;
}

const BARE_SERVER = path.join(ROOT, 'bench/bare-server.mjs');

/** The ceiling of this machine: the bare Node server (bench/bare-server.mjs) measured like the API, then stopped. */
export async function measureBareServer(nextOrder) {
  const bare = await start(BARE_SERVER, {});
  const measured = await measure('bare Node server', bare.url, nextOrder, [{ name: 'bare Node server', pid: bare.child.pid }]);
  await stop(bare.child);
  return measured;
}

/**
 * The head of an order path section: when, where and how it was measured, the table of every run of
 * the API (`name`) and of the bare server, the saturation ratio and the peak memory (memoryNote appended).
 */
export function resultLines({ command, name, apiRuns, bareRuns, memory, memoryNote = '' }) {
  return [
    measuredLine(command),
    loadSettingsLine(),
    '',
    ...runsTable([...apiRuns, ...bareRuns]),
    '',
    saturationRatioLine(name, apiRuns, bareRuns),
    memoryLine(memory) + memoryNote,
  ];
}
