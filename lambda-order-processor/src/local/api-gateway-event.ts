import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

const TEXT_CONTENT = /^(application\/(json|[\w.+-]*\+json|xml|x-www-form-urlencoded|javascript)|text\/)/i;

// The last second formatted: requests arriving in the same second reuse it (issue 6 profile: per-request Date formatting).
let lastTime = { second: NaN, text: '' };

function apiGatewayTime(at: Date): string {
  const second = Math.floor(at.getTime() / 1000);
  if (second === lastTime.second) return lastTime.text;
  // API Gateway's requestContext.time format: 12/Mar/2020:19:03:58 +0000
  const [day, month, year, time] = at.toUTCString().slice(5, 25).split(' '); // "12 Mar 2020 19:03:58"
  lastTime = { second, text: `${day}/${month}/${year}:${time} +0000` };
  return lastTime.text;
}

/**
 * A request target WHATWG URL parsing would leave unchanged: an absolute path of unreserved characters
 * and slashes (not starting with two), no query, dot segment or escape. The common case skips `new URL`.
 */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9_~/-]*$/;

function pathAndQuery(target: string): { pathname: string; search: string; searchParams: Iterable<[string, string]> } {
  if (PLAIN_PATH.test(target)) return { pathname: target, search: '', searchParams: [] };
  return new URL(target, 'http://localhost');
}

/**
 * Turns a Node HTTP request into an API Gateway HTTP API (payload format 2.0) event, as API Gateway
 * would deliver it to the Lambda: lower-case headers with repeated values joined by commas, a
 * decoded query string map, and the body as text (or base64 for binary content types).
 */
export function toApiGatewayEvent(request: IncomingMessage, body: Buffer, at: Date = new Date()): APIGatewayProxyEventV2 {
  const url = pathAndQuery(request.url ?? '/');
  const headers: Record<string, string> = {};
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    const value = String(raw[i + 1]);
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const method = (request.method ?? 'GET').toUpperCase();
  const requestId = randomUUID();
  const isText = body.length === 0 || TEXT_CONTENT.test(headers['content-type'] ?? '');

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: apiGatewayTime(at),
      timeEpoch: at.getTime(),
    },
    isBase64Encoded: !isText,
  };
  if (headers.cookie) event.cookies = headers.cookie.split(/;\s*/);
  if (url.search.length > 1) event.queryStringParameters = query;
  if (body.length > 0) event.body = isText ? body.toString('utf8') : body.toString('base64');
  return event;
}

/** A Lambda context for a local invocation (the values a handler may read: ids, memory, deadline). */
export function localLambdaContext(requestId: string, memoryMb: number, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  const functionName = 'order-processor-local';
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
