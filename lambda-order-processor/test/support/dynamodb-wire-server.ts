import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * A local HTTP server speaking DynamoDB's wire protocol (AWS JSON 1.0, `X-Amz-Target:
 * DynamoDB_20120810.<Operation>`), answering from a script: each request takes the next scripted
 * reply, or the default when the script is empty. Used with the REAL DynamoDBClient (endpoint
 * override, static dummy credentials) to drive failure paths DynamoDB Local cannot produce on
 * demand: transaction conflicts, throttling, 5xx, garbage and hanging answers.
 */

export interface WireReply {
  status: number;
  /** A JSON document, or raw text (garbage). */
  body: unknown;
}

export type ScriptedReply = WireReply | 'hang';

export interface ReceivedRequest {
  /** The operation from X-Amz-Target, e.g. `TransactWriteItems`. */
  operation: string;
  body: Record<string, unknown>;
  signed: boolean;
}

export interface DynamoDbWireServer {
  endpoint: string;
  requests: ReceivedRequest[];
  /** Answers the next requests, in order, with these replies. */
  script(...replies: ScriptedReply[]): void;
  /** The answer once the script is used up (default: 200 `{}`). */
  setDefault(reply: ScriptedReply): void;
  /** A real DynamoDBClient on this server. */
  client(options?: { maxAttempts?: number; requestTimeoutMs?: number }): DynamoDBClient;
  close(): Promise<void>;
}

export const WIRE_CREDENTIALS = { accessKeyId: 'AKIDWIREDYNAMO', secretAccessKey: 'wire-dynamo-secret' };

const JSON_TYPE = 'application/x-amz-json-1.0';

/** A DynamoDB error body (`__type` is what the SDK reads the error name from). */
export function errorReply(status: number, name: string, message: string, extra: Record<string, unknown> = {}): WireReply {
  return { status, body: { __type: `com.amazonaws.dynamodb.v20120810#${name}`, message, ...extra } };
}

export interface WireCancellationReason {
  Code: string;
  Message?: string;
  /** The item in DynamoDB JSON (`{ "S": ... }`), as with ReturnValuesOnConditionCheckFailure ALL_OLD. */
  Item?: Record<string, unknown>;
}

/** A TransactionCanceledException as DynamoDB sends it: one reason per transaction item. */
export function cancelled(reasons: WireCancellationReason[]): WireReply {
  const codes = reasons.map((reason) => reason.Code).join(', ');
  return errorReply(400, 'TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`, {
    CancellationReasons: reasons.map((reason) => (reason.Code === 'None' ? { Code: 'None' } : { Message: 'reason', ...reason })),
  });
}

export async function startDynamoDbWireServer(): Promise<DynamoDbWireServer> {
  const requests: ReceivedRequest[] = [];
  const queue: ScriptedReply[] = [];
  let fallback: ScriptedReply = { status: 200, body: {} };
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = {};
      }
      requests.push({ operation: target.split('.')[1] ?? target, body, signed: String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256') });
      const reply = queue.shift() ?? fallback;
      if (reply === 'hang') {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      }
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      response.writeHead(reply.status, { 'content-type': JSON_TYPE, 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(text) });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];

  return {
    endpoint,
    requests,
    script(...replies) {
      queue.push(...replies);
    },
    setDefault(reply) {
      fallback = reply;
    },
    client(options = {}) {
      const client = new DynamoDBClient({
        region: 'us-east-1',
        endpoint,
        credentials: WIRE_CREDENTIALS,
        maxAttempts: options.maxAttempts ?? 1,
        requestHandler: { requestTimeout: options.requestTimeoutMs ?? 5_000, throwOnRequestTimeout: true, connectionTimeout: 1_000 },
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
