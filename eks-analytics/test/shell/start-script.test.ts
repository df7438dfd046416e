import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { approvedOrderBody } from '../support/seed.js';

/**
 * `npm start` end to end: scripts/start.mjs runs the BUILT order API and analytics (npm test builds
 * first), so this is the system as a user starts it.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const START = path.join(ROOT, 'scripts', 'start.mjs');
const BUILT = [path.join(ROOT, 'lambda-order-processor/dist/local/main.js'), path.join(ROOT, 'eks-analytics/dist/main.js')];

interface Started {
  child: ChildProcessByStdio<null, Readable, Readable>;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [START], {
    cwd: ROOT,
    // NODE_ENV=test would make the analytics silent; the script reads the URL it logs.
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

async function waitFor(started: Started, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(started.output());
    if (match) return match;
    if (Date.now() > deadline || started.child.exitCode !== null) throw new Error(`no ${pattern} in:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch {
    return true;
  }
}

describe('scripts/start.mjs (npm start)', () => {
  let dataDir: string;

  beforeAll(() => {
    for (const file of BUILT) if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build (npm test does)`);
  });
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'orderops-start-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs both services on one DATA_DIR, reports ready, and stops both on SIGTERM with exit code 0', async () => {
    const started = start({ DATA_DIR: dataDir, ORDER_API_PORT: '0', ANALYTICS_PORT: '0' });
    try {
      const [, orderApi, analytics, dashboard] = await waitFor(
        started,
        /OrderOps is running\n {2}order API {3}(http:\/\/\S+) .*\n {2}analytics {3}(http:\/\/\S+) .*\n {2}dashboard {3}(http:\/\/\S+)\n/,
      );
      expect(dashboard).toBe(`${analytics}/`);
      expect(started.output()).toContain(`  data        ${dataDir}\n`);
      expect((await fetch(`${orderApi}/health`)).status).toBe(200);
      expect((await fetch(`${analytics}/health/ready`)).status).toBe(200);

      // One store: an order taken by the order API is counted by the analytics.
      const order = await fetch(`${orderApi}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(approvedOrderBody()) });
      expect(order.status).toBe(200);
      expect(await (await fetch(`${analytics}/metrics`)).text()).toContain('orderops_orders{status="APPROVED"} 1\n');

      started.child.kill('SIGTERM');
      expect(await started.exited).toEqual({ code: 0, signal: null });
      expect(started.output()).toMatch(/SIGTERM: stopping both services\n[\s\S]*\nstopped\n$/);
      // The order API flushed its outbox on the way out (graceful stop), and both ports are closed.
      expect(started.output()).toContain('"message":"stopped"');
      expect(await refused(`${orderApi}/health`)).toBe(true);
      expect(await refused(`${analytics}/health`)).toBe(true);
    } finally {
      started.child.kill('SIGKILL');
    }
  }, 60_000);

  it('stops the order API and exits non-zero when the analytics cannot start', async () => {
    // The analytics port is taken: the analytics exits 1, the script stops the order API too.
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    const started = start({ DATA_DIR: dataDir, ORDER_API_PORT: '0', ANALYTICS_PORT: String(taken) });
    try {
      expect((await started.exited).code).toBe(1);
      expect(started.output()).toContain('"msg":"analytics failed to start"');
      expect(started.output()).toContain('analytics stopped unexpectedly (exit code 1)');
      expect(started.output()).toContain('"message":"stopped"');
      expect(started.output()).not.toContain('OrderOps is running');
    } finally {
      started.child.kill('SIGKILL');
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);
});

describe('eks-analytics/dist/main.js', () => {
  it.each([
    [{ ANALYTICS_PORT: '99999' }, 'ANALYTICS_PORT=99999 must be an integer from 0 to 65535'],
    [{ STORE: 'dynamodb' }, 'ORDERS_TABLE is required when STORE=dynamodb'],
    [{ COST_SOURCE: 'focus-file' }, 'COST_EXPORT_FILE is required when COST_SOURCE=focus-file'],
  ])('refuses to start with %p, naming the variable', async (env, message) => {
    const child = spawn(process.execPath, [BUILT[1]!], { env: { ...process.env, COST_EXPORT_FILE: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(1);
    const line = JSON.parse(stderr.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'fatal', msg: 'analytics failed to start' });
    expect(line.error).toContain(message);
  });
});
