import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '../../src/config/config.js';
import type { Outbox } from '../../src/ports/outbox.js';
import { createRuntime, type OrderProcessorRuntime, type RuntimeOverrides } from '../../src/handler/composition-root.js';
import { startLocalServer, type LocalServer } from '../../src/local/local-server.js';
import type { OutboxDispatcher } from '../../src/services/outbox-dispatcher.js';

export interface TestApi {
  url: string;
  dataDir: string;
  runtime: OrderProcessorRuntime;
  /** The in-process outbox dispatcher (tests run delivery inline, and drive it explicitly). */
  dispatcher: OutboxDispatcher;
  /** The embedded store's outbox (what is still to deliver). */
  outbox: Outbox;
  server: LocalServer;
  post(pathname: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  postRaw(pathname: string, rawBody: string, contentType: string | null): Promise<ApiResponse>;
  get(pathname: string): Promise<ApiResponse>;
  /** Delivers every due outbox entry now (the archive and notifications catch up). */
  drainOutbox(): Promise<void>;
  stop(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

async function toApiResponse(response: Response): Promise<ApiResponse> {
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = {};
  }
  return { status: response.status, headers: response.headers, body, text };
}

/**
 * The real local order API (composition root + local HTTP server) on a random port with a fresh
 * temporary DATA_DIR: integration tests talk to it over real HTTP.
 */
export async function startTestApi(env: Record<string, string> = {}, overrides: RuntimeOverrides = {}): Promise<TestApi> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'orderops-it-'));
  const config = loadConfig({ ...env, DATA_DIR: dataDir, OUTBOX_DELIVERY: 'inline' });
  const runtime = await createRuntime(config, {
    logger: new Logger({ serviceName: 'order-processor-test', logLevel: 'SILENT' }),
    // Tests drain the outbox explicitly; no background timer races the assertions.
    ...overrides,
  });
  const { dispatcher, outbox } = runtime;
  if (!dispatcher || !outbox) throw new Error('test runtimes use the embedded store and deliver inline');
  const server = await startLocalServer({ handler: runtime.handler, port: 0, lambdaMemoryMb: config.deployment.lambdaMemoryMb });
  const url = server.url;

  const api: TestApi = {
    url,
    dataDir,
    runtime,
    dispatcher,
    outbox,
    server,
    post: (pathname, body, headers = {}) =>
      fetch(`${url}${pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then(toApiResponse),
    postRaw: (pathname, rawBody, contentType) =>
      fetch(`${url}${pathname}`, {
        method: 'POST',
        headers: contentType === null ? {} : { 'content-type': contentType },
        // Bytes, not a string: fetch would add text/plain to a string body without a content type.
        body: new TextEncoder().encode(rawBody),
      }).then(toApiResponse),
    get: (pathname) => fetch(`${url}${pathname}`).then(toApiResponse),
    drainOutbox: async () => {
      await dispatcher.flush(10_000);
    },
    stop: async () => {
      await server.close();
      await runtime.close(1_000).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return api;
}
