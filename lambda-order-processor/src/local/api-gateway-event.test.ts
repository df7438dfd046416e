import type { IncomingMessage } from 'node:http';
import { localLambdaContext, toApiGatewayEvent } from './api-gateway-event.js';

function request(method: string, url: string, rawHeaders: string[]): IncomingMessage {
  return { method, url, rawHeaders, httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
}

describe('toApiGatewayEvent (HTTP API payload format 2.0)', () => {
  const at = new Date('2026-03-12T19:03:58.123Z');

  it('maps method, path, query, headers and a JSON body as API Gateway does', () => {
    const event = toApiGatewayEvent(
      request('post', '/orders/ORD-1/review?a=1&b=2&a=3', ['Host', 'localhost:3000', 'Content-Type', 'application/json', 'X-Tag', 'one', 'x-tag', 'two', 'Cookie', 'c1=v1; c2=v2']),
      Buffer.from('{"decision":"APPROVED"}'),
      at,
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/orders/ORD-1/review',
      rawQueryString: 'a=1&b=2&a=3',
      queryStringParameters: { a: '1,3', b: '2' },
      headers: { host: 'localhost:3000', 'content-type': 'application/json', 'x-tag': 'one,two' },
      cookies: ['c1=v1', 'c2=v2'],
      body: '{"decision":"APPROVED"}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/orders/ORD-1/review', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
        stage: '$default',
        time: '12/Mar/2026:19:03:58 +0000',
        timeEpoch: at.getTime(),
        domainName: 'localhost:3000',
      },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('base64-encodes binary bodies and omits absent parts', () => {
    const binary = toApiGatewayEvent(request('POST', '/orders', ['Content-Type', 'application/octet-stream']), Buffer.from([0, 255, 1]), at);
    expect(binary.isBase64Encoded).toBe(true);
    expect(binary.body).toBe(Buffer.from([0, 255, 1]).toString('base64'));
    const empty = toApiGatewayEvent(request('GET', '/health', []), Buffer.alloc(0), at);
    expect(empty.body).toBeUndefined();
    expect(empty.queryStringParameters).toBeUndefined();
    expect(empty.cookies).toBeUndefined();
  });

  it('builds a Lambda context with the configured memory and a deadline', () => {
    const context = localLambdaContext('req-1', 512, 1_000);
    expect(context).toMatchObject({ awsRequestId: 'req-1', memoryLimitInMB: '512', functionName: 'order-processor-local' });
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(900);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(1_000);
  });
});
