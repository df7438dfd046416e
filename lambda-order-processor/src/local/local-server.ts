import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { localLambdaContext, toApiGatewayEvent } from './api-gateway-event.js';

export type HttpApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** API Gateway HTTP APIs refuse payloads over 10 MB before the Lambda sees them; so does the local server. */
export const MAX_GATEWAY_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface LocalServerOptions {
  handler: HttpApiHandler;
  port: number;
  host?: string;
  lambdaMemoryMb: number;
  onError?: (error: unknown) => void;
}

export interface LocalServer {
  port: number;
  url: string;
  /** Stops accepting connections and resolves once every in-flight request has been answered. */
  close(): Promise<void>;
}

/** Invocations one local server runs at once, as a Lambda managed instance declares it. */
const LOCAL_MAX_CONCURRENCY = 1024;

/**
 * The local server runs many invocations at once in one process, as a Lambda managed instance with
 * AWS_LAMBDA_MAX_CONCURRENCY does: Powertools then keeps each invocation's log keys (its order id,
 * its Lambda context) in that invocation's InvokeStore context instead of on the shared Logger, so
 * concurrent requests cannot stamp their lines with each other's order ids.
 */
async function concurrentInvocationStore(): Promise<InvokeStoreBase> {
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= String(LOCAL_MAX_CONCURRENCY);
  const runtimeGlobal = globalThis as { awslambda?: { InvokeStore?: InvokeStoreBase } };
  runtimeGlobal.awslambda ??= {};
  return InvokeStore.getInstanceAsync(true);
}

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_GATEWAY_PAYLOAD_BYTES) {
        resolve(null);
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_GATEWAY_PAYLOAD_BYTES ? null : Buffer.concat(chunks, size)));
    request.on('error', reject);
  });
}

function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string' || result === undefined || result === null || !('statusCode' in result)) {
    // Payload v2 lets a handler return a bare value: API Gateway answers it as a 200 JSON body.
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  const headers: Record<string, string | number | boolean | string[]> = { ...(result.headers ?? {}) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  response.writeHead(result.statusCode ?? 200, headers as http.OutgoingHttpHeaders).end(body);
}

/**
 * The local order API: each HTTP request becomes an API Gateway HTTP API payload v2 event for the
 * same exported Middy handler that runs in Lambda, so the local path and the Lambda path are one code path.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  let inFlight = 0;
  let drained: (() => void) | null = null;
  const invocations = await concurrentInvocationStore();

  const server = http.createServer(async (request, response) => {
    inFlight += 1;
    try {
      const body = await readBody(request);
      if (body === null) {
        response.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        response.end(JSON.stringify({ status: 'PAYLOAD_TOO_LARGE', message: 'Request body exceeds the gateway limit' }));
        return;
      }
      const event = toApiGatewayEvent(request, body);
      const { requestId } = event.requestContext;
      const result = await invocations.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId }, () =>
        options.handler(event, localLambdaContext(requestId, options.lambdaMemoryMb)),
      );
      writeResult(response, result);
    } catch (error) {
      // The handler answers every failure itself; reaching here means the gateway layer broke.
      options.onError?.(error);
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'BAD_GATEWAY', message: 'The handler failed' }));
    } finally {
      inFlight -= 1;
      if (inFlight === 0 && drained) drained();
    }
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}
