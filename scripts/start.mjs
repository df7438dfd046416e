#!/usr/bin/env node
/**
 * `npm start`: the whole system locally, one command. Starts the order API and the analytics as
 * child processes on one DATA_DIR (default ./.data), passes their JSON logs through (prefixed with
 * the service name on a terminal), waits until both health checks answer 200 (order API
 * GET /health, analytics GET /health/ready) and prints where everything is.
 *
 * Ctrl-C (SIGINT) or SIGTERM stops both gracefully (a second Ctrl-C kills them). If either dies on
 * its own, the other is stopped too. Exit code 0 when both stopped cleanly on request, 1 otherwise.
 *
 * Environment: DATA_DIR (./.data), ORDER_API_PORT (3000), ANALYTICS_PORT (8080), ORDER_API_HOST and
 * ANALYTICS_HOST (127.0.0.1); port 0 picks a free port. Everything else is passed to both services.
 * Runs the built code: `npm run build` first (npm start does).
 *
 * `--dynamodb` (`npm run start:dynamodb`): the same system on DynamoDB Local instead of SQLite. First
 * DynamoDB Local (scripts/dynamodb-local.mjs: data under DATA_DIR/dynamodb, kept across runs; the
 * table ORDERS_TABLE, default orderops-orders, created when missing; DYNAMODB_LOCAL_PORT, default
 * 8000), then both services with STORE=dynamodb and the events function fed by the table's stream
 * (scripts/order-events-local.mjs: archive and notifications under DATA_DIR as in the SQLite mode).
 * Stopping goes the other way: the services, then the events poller (it delivers what the stream
 * still holds), then DynamoDB Local. AWS_REGION and dummy credentials are set when not given.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const READY_TIMEOUT_MS = Number(process.env.START_READY_TIMEOUT_MS ?? 60_000);
const STOP_TIMEOUT_MS = 20_000;
const POLL_MS = 200;

const dynamodbMode = process.argv.slice(2).includes('--dynamodb');
const dataDir = path.resolve(process.env.DATA_DIR?.trim() || '.data');
const orderApiPort = process.env.ORDER_API_PORT?.trim() || '3000';
const analyticsPort = process.env.ANALYTICS_PORT?.trim() || '8080';
const orderApiHost = process.env.ORDER_API_HOST?.trim() || '127.0.0.1';
const analyticsHost = process.env.ANALYTICS_HOST?.trim() || '127.0.0.1';

/** How a child is reached: the URL it logs once listening, else its configured address. */
function configuredUrl(host, port) {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return port === '0' ? null : `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * Every process, in start order. `stage`: started once every earlier stage is ready, stopped after
 * every later stage has stopped. Ready when `readyPath` answers 200 at the service's URL, or (no
 * readyPath) once it has logged its URL (`readyOnUrl`) or simply runs.
 */
const services = [];
/** DynamoDB mode: the variables both services and the events poller get (the endpoint once known). */
const storeEnv = {};
if (dynamodbMode) {
  Object.assign(storeEnv, {
    STORE: 'dynamodb',
    ORDERS_TABLE: process.env.ORDERS_TABLE?.trim() || 'orderops-orders',
    AWS_REGION: process.env.AWS_REGION?.trim() || 'us-east-1',
    // DynamoDB Local accepts any credentials; real ones from the environment are kept.
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID || 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY || 'local',
  });
  services.push(
    {
      name: 'dynamodb',
      stage: 0,
      entry: path.join(ROOT, 'scripts', 'dynamodb-local.mjs'),
      env: { DYNAMODB_DATA_DIR: path.join(dataDir, 'dynamodb'), DYNAMODB_LOCAL_PORT: process.env.DYNAMODB_LOCAL_PORT?.trim() || '8000' },
      url: null,
      readyPath: null,
      readyOnUrl: true,
    },
    {
      name: 'order-events',
      stage: 1,
      entry: path.join(ROOT, 'scripts', 'order-events-local.mjs'),
      env: {},
      url: null,
      readyPath: null,
      readyOnUrl: false,
    },
  );
}
services.push(
  {
    name: 'order-api',
    stage: 2,
    entry: path.join(ROOT, 'lambda-order-processor', 'dist', 'local', 'main.js'),
    env: { ORDER_API_PORT: orderApiPort, ORDER_API_HOST: orderApiHost },
    url: configuredUrl(orderApiHost, orderApiPort),
    readyPath: '/health',
  },
  {
    name: 'analytics',
    stage: 2,
    entry: path.join(ROOT, 'eks-analytics', 'dist', 'main.js'),
    env: { ANALYTICS_PORT: analyticsPort, ANALYTICS_HOST: analyticsHost },
    url: configuredUrl(analyticsHost, analyticsPort),
    readyPath: '/health/ready',
  },
);
const stages = [...new Set(services.map((service) => service.stage))].sort((a, b) => a - b);

const labelled = process.stdout.isTTY === true;
const width = Math.max(...services.map((service) => service.name.length));

function say(message) {
  process.stdout.write(`${labelled ? `${'start'.padEnd(width)} | ` : ''}${message}\n`);
}

for (const service of services) {
  if (!existsSync(service.entry)) {
    console.error(`${service.entry} does not exist: build first (npm run build), or run npm start.`);
    process.exit(1);
  }
}

let stopping = false;
let failed = false;

/** The first `"url":"http://..."` a service logs is where it listens (ports 0 pick free ports). */
const URL_IN_LOG = /"url":"(https?:\/\/[^"]+)"/;

function pipeLines(stream, output, service) {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (service.url === null) {
      const match = URL_IN_LOG.exec(line);
      if (match) service.url = match[1];
    }
    output.write(labelled ? `${service.name.padEnd(width)} | ${line}\n` : `${line}\n`);
  });
}

function launch(service) {
  // Each child gets its own process group: a terminal's Ctrl-C reaches only this script, which
  // forwards one SIGTERM, so no child receives the signal twice in the middle of its shutdown.
  const child = spawn(process.execPath, [service.entry], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, ...storeEnv, ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  service.child = child;
  // 'close': the child exited and its output is fully read.
  service.exited = new Promise((resolve) => {
    child.once('close', (code, signal) => {
      service.exit = { code, signal };
      resolve(service.exit);
    });
  });
  child.once('error', (error) => {
    say(`${service.name} could not start: ${error.message}`);
  });
  pipeLines(child.stdout, process.stdout, service);
  pipeLines(child.stderr, process.stderr, service);
  void service.exited.then(() => {
    if (stopping) return;
    // One process died on its own: the system is broken, stop the others too.
    failed = true;
    const { code, signal: by } = service.exit;
    say(`${service.name} stopped unexpectedly (${by ? `signal ${by}` : `exit code ${code}`})`);
    void shutdown('a service stopped');
  });
}

function running(service) {
  return service.child !== undefined && service.exit === undefined && service.child.pid !== undefined;
}

function signal(service, name) {
  if (!running(service)) return;
  try {
    service.child.kill(name);
  } catch {
    // Already gone.
  }
}

/** The children started so far. */
function launched() {
  return services.filter((service) => service.child !== undefined);
}

/**
 * Stops every running child, last stage first: SIGTERM, then SIGKILL for any of the stage still
 * running after STOP_TIMEOUT_MS.
 */
async function stopAll() {
  for (const stage of [...stages].reverse()) {
    const group = launched().filter((service) => service.stage === stage);
    for (const service of group) signal(service, 'SIGTERM');
    const timer = setTimeout(() => {
      for (const service of group) {
        if (running(service)) say(`${service.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
        signal(service, 'SIGKILL');
      }
    }, STOP_TIMEOUT_MS);
    await Promise.all(group.map((service) => service.exited));
    clearTimeout(timer);
  }
}

/** A child stopped cleanly: exit code 0, or ended by the SIGTERM/SIGINT it was asked to stop with. */
function stoppedCleanly(service) {
  const { code, signal: by } = service.exit;
  return code === 0 || (stopping && (by === 'SIGTERM' || by === 'SIGINT'));
}

async function finish() {
  await stopAll();
  for (const service of launched()) {
    if (!stoppedCleanly(service)) {
      failed = true;
      const { code, signal: by } = service.exit;
      say(`${service.name} ${by ? `was killed by ${by}` : `exited with code ${code}`}`);
    }
  }
  say(failed ? 'stopped (with errors)' : 'stopped');
  // Nothing else keeps the event loop alive: the process ends once stdout is flushed.
  process.exitCode = failed ? 1 : 0;
}

let finishing = null;
function shutdown(reason) {
  if (finishing) return finishing;
  stopping = true;
  say(`${reason}: stopping ${launched().length > 2 ? 'everything' : 'both services'}`);
  finishing = finish();
  return finishing;
}

for (const name of ['SIGINT', 'SIGTERM']) {
  process.on(name, () => {
    if (finishing) {
      // Asked twice: stop waiting for a graceful shutdown.
      say(`${name} again: killing ${launched().length > 2 ? 'everything' : 'both services'}`);
      for (const service of services) signal(service, 'SIGKILL');
      return;
    }
    void shutdown(name);
  });
}

// If this script itself ends abruptly, do not leave the children running.
process.on('exit', () => {
  for (const service of services) signal(service, 'SIGKILL');
});

async function answers200(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function ready(service) {
  if (service.readyPath !== null) return service.url !== null && answers200(`${service.url}${service.readyPath}`);
  return running(service) && (!service.readyOnUrl || service.url !== null);
}

async function waitUntilReady(group, deadline) {
  const pending = new Set(group);
  while (pending.size > 0) {
    if (stopping) return false;
    if (Date.now() > deadline) {
      const names = [...pending].map((service) => `${service.name} (${service.url ?? 'no URL logged'}${service.readyPath ?? ''})`);
      say(`not ready after ${READY_TIMEOUT_MS / 1000} s: ${names.join(', ')}`);
      return false;
    }
    for (const service of [...pending]) {
      if (await ready(service)) pending.delete(service);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}

/** Starts the stages in order, each once the previous one is ready; false when start-up failed or was interrupted. */
async function startStages() {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (const stage of stages) {
    if (stopping) return false;
    const group = services.filter((service) => service.stage === stage);
    for (const service of group) launch(service);
    if (!(await waitUntilReady(group, deadline))) return false;
    const dynamodb = group.find((service) => service.name === 'dynamodb');
    if (dynamodb) storeEnv.DYNAMODB_ENDPOINT = dynamodb.url;
  }
  return true;
}

if (await startStages()) {
  const orderApi = services.find((service) => service.name === 'order-api');
  const analytics = services.find((service) => service.name === 'analytics');
  process.stdout.write(
    [
      '',
      'OrderOps is running',
      `  order API   ${orderApi.url}   POST /orders, GET /orders/{id}, POST /orders/{id}/review`,
      `  analytics   ${analytics.url}   /api/finops/*, /api/orders, /metrics, /docs`,
      `  dashboard   ${analytics.url}/`,
      `  data        ${dataDir}`,
      ...(dynamodbMode ? [`  dynamodb    ${storeEnv.DYNAMODB_ENDPOINT}   table ${storeEnv.ORDERS_TABLE}, order events from its stream`] : []),
      'Press Ctrl-C to stop.',
      '',
      '',
    ].join('\n'),
  );
} else if (!stopping) {
  failed = true;
  void shutdown('start-up failed');
}
