/**
 * Order API A/B and profile (issue 6: "where a target is missed, find the bottleneck with a profile").
 * Starts each given build of the local order API in turn on a fresh DATA_DIR, warms it up, runs a
 * fixed 1,000 orders/s and a saturation run with autocannon and the realistic orders of
 * bench/order-generator.mjs (the settings of bench/order-api.mjs), and prints, besides orders/s and
 * latency, the CPU time of the server's main thread per order (utime + stime of the thread from
 * /proc): on a shared machine the server gets less than a core and its orders/s move with the other
 * load, while the CPU time per order moves much less; the CPU per order of every busy thread (and of
 * the load generator) is printed too, since all of them share the machine's two cores. Rounds
 * alternate the builds, so noise hits each.
 * With BENCH_PROFILE=dir the servers run under `node --cpu-prof` and the main thread's self time is
 * summarised per function and per file. Each round ends with the bare Node server of bench/bare-server.mjs
 * at saturation (BENCH_BARE=0 leaves it out), the ceiling the issue's ratio is taken against. Writes
 * nothing into the docs.
 *
 *   npm run build && node bench/order-api-profile.mjs                       # the current build
 *   node bench/order-api-profile.mjs /tmp/before/lambda-order-processor/dist/local/main.js lambda-order-processor/dist/local/main.js
 *   BENCH_PROFILE=/tmp/prof BENCH_ROUNDS=1 node bench/order-api-profile.mjs
 *
 * A build to compare against: copy `lambda-order-processor/dist` and `lambda-order-processor/package.json`
 * to DIR/lambda-order-processor/ and link DIR/node_modules to this repository's node_modules.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load, start, stop } from './lib/order-load.mjs';
import { ROOT } from './lib/report.mjs';
import { orderStream } from './order-generator.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PROFILE_DIR = process.env.BENCH_PROFILE ?? null;
const SATURATION_CONNECTIONS = 32;
const FIXED_RATE = 1_000;
const FIXED_CONNECTIONS = 10;
const BARE_SERVER = path.join(ROOT, 'bench/bare-server.mjs');
const WITH_BARE = process.env.BENCH_BARE !== '0';
const builds = process.argv.length > 2 ? process.argv.slice(2) : [path.join(ROOT, 'lambda-order-processor/dist/local/main.js')];

/** CPU milliseconds (utime + stime) of one thread of `pid`, from /proc. */
function threadCpuMs(pid, tid = pid) {
  const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
}

/** CPU milliseconds of every thread of `pid` by thread id, with the thread's name. */
function threadsCpuMs(pid) {
  const threads = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      threads.set(tid, { name: tid === String(pid) ? 'main' : name, ms: threadCpuMs(pid, tid) });
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

/**
 * Where the CPU went during a run, per order: the server's threads that used at least 1% of a core
 * (main, the delivery and checkpoint workers and GC helpers are all named "node" by Linux besides
 * the main thread; libuv's pool threads are "libuv-worker") and the load generator (this process).
 */
function cpuPerOrder(before, after, benchMs, total) {
  const parts = [];
  for (const [tid, { name, ms }] of after) {
    const used = ms - (before.get(tid)?.ms ?? 0);
    if (used >= SECONDS * 10) parts.push(`${name}${name === 'main' ? '' : ` ${tid}`} ${Math.round((used * 1000) / total)}`);
  }
  parts.push(`load generator ${Math.round((benchMs * 1000) / total)}`);
  return `CPU µs per order by thread: ${parts.join(', ')}`;
}

const line = (build, label, result, cpuMs = null) =>
  [
    `${build} | ${label} | ${Math.round(result.requests.average)} orders/s | non-2xx ${result.non2xx} | errors ${result.errors + result.timeouts}`,
    `p50 ${result.latency.p50} ms | p99 ${result.latency.p99} ms`,
    ...(cpuMs === null ? [] : [`main thread ${Math.round((cpuMs * 1000) / result.requests.total)} µs CPU per order (${Math.round(cpuMs / SECONDS / 10)}% of a core)`]),
  ].join(' | ');

/** Self time per function and per file of the main thread's profile (the largest .cpuprofile written). */
function summariseProfile(dir) {
  const [file] = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => ({ name, size: readFileSync(path.join(dir, name)).length }))
    .sort((a, b) => b.size - a.size);
  if (!file) return;
  const profile = JSON.parse(readFileSync(path.join(dir, file.name), 'utf8'));
  const selfById = new Map();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    selfById.set(id, (selfById.get(id) ?? 0) + delta);
    total += delta;
  });
  const where = (url) => url.replace(/^file:\/\/.*?\/(node_modules\/(@[^/]+\/[^/]+|[^/]+)).*$/, '$1').replace(/^file:\/\/.*?\/(lambda-order-processor\/)/, '$1');
  const byFunction = new Map();
  const byFile = new Map();
  for (const node of profile.nodes) {
    const self = selfById.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const fn = `${functionName || '(anonymous)'} ${where(url)}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + self);
    const place = where(url) || functionName;
    byFile.set(place, (byFile.get(place) ?? 0) + self);
  }
  const top = (map, count) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, time]) => `${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  console.log(`\n${file.name}: self time of the main thread, ${(total / 1e6).toFixed(1)} s sampled\n${top(byFunction, 25)}\n\nper file:\n${top(byFile, 20)}`);
}

async function run(main) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orderops-profile-'));
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const profileDir = PROFILE_DIR ? mkdtempSync(path.join(PROFILE_DIR, 'run-')) : null;
  const profiling = profileDir ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${profileDir}`.trim() } : {};
  const { child, url } = await start(main, { DATA_DIR: dataDir, ORDER_API_PORT: '0', POWERTOOLS_LOG_LEVEL: 'INFO', ...profiling });
  const nextOrder = orderStream({ seed: 7 });
  const build = path.relative(ROOT, main) || main;
  await load(url, nextOrder, { seconds: 3, connections: 16 }); // warm-up: JIT, page cache
  console.log(line(build, `fixed ${FIXED_RATE.toLocaleString('en-US')} orders/s`, await load(url, nextOrder, { seconds: SECONDS, connections: FIXED_CONNECTIONS, rate: FIXED_RATE })));
  const before = threadsCpuMs(child.pid);
  const benchBefore = process.cpuUsage();
  const saturation = await load(url, nextOrder, { seconds: SECONDS, connections: SATURATION_CONNECTIONS });
  const benchUsage = process.cpuUsage(benchBefore);
  const after = threadsCpuMs(child.pid);
  const mainMs = after.get(String(child.pid)).ms - before.get(String(child.pid)).ms;
  console.log(line(build, `saturation (${SATURATION_CONNECTIONS} connections)`, saturation, mainMs));
  console.log(`  ${cpuPerOrder(before, after, (benchUsage.user + benchUsage.system) / 1000, saturation.requests.total)}`);
  await stop(child); // graceful: the profile is written when the process exits
  rmSync(dataDir, { recursive: true, force: true });
  if (profileDir) summariseProfile(profileDir);
}

/** The bare Node server of bench/bare-server.mjs at saturation, the ceiling of this machine in the same round. */
async function runBare() {
  const { child, url } = await start(BARE_SERVER, {});
  const nextOrder = orderStream({ seed: 7 });
  await load(url, nextOrder, { seconds: 3, connections: 16 });
  console.log(line('bare Node server', `saturation (${SATURATION_CONNECTIONS} connections)`, await load(url, nextOrder, { seconds: SECONDS, connections: SATURATION_CONNECTIONS })));
  await stop(child);
}

console.log(`${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${os.loadavg().map((value) => value.toFixed(1)).join(' ')}`);
for (let round = 0; round < ROUNDS; round += 1) {
  for (const main of builds) await run(main);
  if (WITH_BARE) await runBare();
}
