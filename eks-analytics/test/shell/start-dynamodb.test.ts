import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { approvedOrderBody } from '../support/seed.js';

/**
 * `npm run start:dynamodb` end to end: scripts/start.mjs --dynamodb runs DynamoDB Local (the JVM),
 * the BUILT order API and analytics on it, and the stream poller feeding the events function.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const START = path.join(ROOT, 'scripts', 'start.mjs');
const BUILT = ['lambda-order-processor/dist/local/main.js', 'lambda-order-processor/dist/local/stream-poller.js', 'eks-analytics/dist/main.js'];
const RUNNING = /OrderOps is running\n {2}order API {3}(http:\/\/\S+) .*\n {2}analytics {3}(http:\/\/\S+) .*\n[\s\S]*\n {2}dynamodb {4}(http:\/\/\S+) {3}table orderops-orders/;

interface Run {
  child: ChildProcessByStdio<null, Readable, Readable>;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startDynamoDbMode(dataDir: string): Run {
  const child = spawn(process.execPath, [START, '--dynamodb'], {
    cwd: ROOT,
    // NODE_ENV=test would make the analytics silent; the script reads the URLs the services log.
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', DATA_DIR: dataDir, ORDER_API_PORT: '0', ANALYTICS_PORT: '0', DYNAMODB_LOCAL_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => chunks.join(''), exited };
}

async function untilRunning(run: Run): Promise<{ orderApi: string; analytics: string; dynamodb: string }> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && run.child.exitCode === null) {
    const match = RUNNING.exec(run.output());
    if (match) return { orderApi: match[1]!, analytics: match[2]!, dynamodb: match[3]! };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not running:\n${run.output()}`);
}

/** The DynamoDB Local JVMs whose database lives under `dataDir` (other suites may run their own). */
function jvmsOn(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', '-a', `DynamoDBLocal.jar.*${dataDir}`], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function eventually<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('scripts/start.mjs --dynamodb (npm run start:dynamodb)', () => {
  let dataDir: string;

  beforeAll(() => {
    for (const file of BUILT) if (!existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run npm run build (npm test does)`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'orderops-start-dynamodb-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs everything on DynamoDB Local, delivers order events from the stream, and SIGINT stops it all, the JVM included; data persists', async () => {
    const body = approvedOrderBody();
    const orderId = String(body.orderId);
    const first = startDynamoDbMode(dataDir);
    try {
      const { orderApi, analytics, dynamodb } = await untilRunning(first);
      expect(dynamodb).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(jvmsOn(dataDir)).toHaveLength(1);
      expect((await fetch(`${orderApi}/health`)).status).toBe(200);
      expect((await fetch(`${analytics}/health/ready`)).status).toBe(200);

      const posted = await fetch(`${orderApi}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(posted.status).toBe(200);
      const detail = (await (await fetch(`${analytics}/api/orders/${orderId}`)).json()) as Record<string, unknown>;
      expect(detail).toMatchObject({ orderId, status: 'APPROVED', totalAmount: 79.95 });

      // The stream poller hands the order's item to the events function: archive file and notification.
      const day = new Date().toISOString().slice(0, 10);
      const archived = path.join(dataDir, 'archive', 'APPROVED', String(detail.day ?? day), `${orderId}.json`);
      expect(await eventually(() => existsSync(archived), Boolean)).toBe(true);
      const notifications = path.join(dataDir, 'notifications.jsonl');
      const lines = await eventually(
        () => (existsSync(notifications) ? readFileSync(notifications, 'utf8').trim().split('\n') : []),
        (found) => found.length > 0,
      );
      expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([expect.objectContaining({ orderId, type: 'ORDER_SCREENED', status: 'APPROVED' })]);

      first.child.kill('SIGINT');
      expect(await first.exited).toEqual({ code: 0, signal: null });
      expect(first.output()).toMatch(/SIGINT: stopping everything\n[\s\S]*"msg":"DynamoDB Local stopped"[\s\S]*\nstopped\n$/);
      expect(jvmsOn(dataDir)).toEqual([]);
    } finally {
      first.child.kill('SIGKILL');
    }

    // A second run on the same DATA_DIR finds the table and the order again.
    const second = startDynamoDbMode(dataDir);
    try {
      const { analytics } = await untilRunning(second);
      const again = await fetch(`${analytics}/api/orders/${orderId}`);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ orderId, status: 'APPROVED' });
      second.child.kill('SIGINT');
      expect((await second.exited).code).toBe(0);
      expect(jvmsOn(dataDir)).toEqual([]);
    } finally {
      second.child.kill('SIGKILL');
    }
  }, 180_000);
});
