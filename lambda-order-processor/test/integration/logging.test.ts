import { jest } from '@jest/globals';
import { createLogger } from '../../src/handler/logging.js';
import { validOrderBody } from '../fixtures/valid-order.js';
import { closedPortUrl } from '../support/fake-ai-servers.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/** The JSON log lines written to standard output and standard error while `work` runs. */
async function capturedLogLines(work: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    await work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('log lines', () => {
  let api: TestApi | undefined;
  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });

  it('carry the order id on every line of a request about that order, and only during that request', async () => {
    api = await startTestApi({}, { logger: createLogger('orderops-log-test') });
    const current = api;
    const lines = await capturedLogLines(async () => {
      expect((await current.post('/orders', validOrderBody({ orderId: 'LOG-KEY-1' }))).status).toBe(200);
      await current.runtime.store.close();
      // The store is gone: the error line of this request names its order, not the previous one.
      expect((await current.post('/orders', validOrderBody({ orderId: 'LOG-KEY-2' }))).status).toBe(503);
      expect((await current.get('/health')).status).toBe(503);
    });
    const screened = lines.find((line) => line.message === 'order screened');
    const unavailable = lines.filter((line) => line.message === 'store unavailable');
    expect(screened).toMatchObject({ orderId: 'LOG-KEY-1', service: 'orderops-log-test' });
    expect(unavailable).toHaveLength(2);
    expect(unavailable[0]).toMatchObject({ orderId: 'LOG-KEY-2' });
    // The health check is about no order: the key of the request before it must not leak into it.
    expect(unavailable[1]).not.toHaveProperty('orderId');
  });

  it('carry their own order id when the local server runs many requests at once', async () => {
    // Every order asks an AI endpoint that refuses connections: each request waits on real network
    // I/O after tagging the logger, so the requests interleave before their fallback warnings.
    api = await startTestApi(
      { AI_PROVIDER: 'openai', AI_MODE: 'always', OPENAI_BASE_URL: await closedPortUrl(), OPENAI_MODEL: 'any' },
      { logger: createLogger('orderops-log-test') },
    );
    const current = api;
    const orderIds = Array.from({ length: 20 }, (_, index) => `LOG-CONCURRENT-${index}`);
    const lines = await capturedLogLines(async () => {
      const answers = await Promise.all(orderIds.map((orderId) => current.post('/orders', validOrderBody({ orderId }))));
      expect(answers.map((answer) => answer.status)).toEqual(orderIds.map(() => 200));
    });
    const fallbacks = lines.filter((line) => line.message === 'AI analyst gave no usable verdict; the rules decision stands');
    expect(fallbacks.map((line) => line.orderId).sort()).toEqual([...orderIds].sort());
    expect(new Set(fallbacks.map((line) => line.function_request_id)).size).toBe(orderIds.length);
  });

  it('mask emails and card numbers in every string value, at any depth', async () => {
    const logger = createLogger('orderops-log-test');
    const lines = await capturedLogLines(async () => {
      logger.warn('payment provider said: card 4111 1111 1111 1111 of jane.roe@example.com declined', {
        request: { body: '{"customerEmail":"jane.roe@example.com","note":"pay with 5555555555554444"}' },
        orderId: 'ORD-20261125-000123',
      });
    });
    expect(lines).toHaveLength(1);
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('jane.roe@example.com');
    expect(text).not.toContain('4111 1111 1111 1111');
    expect(text).not.toContain('5555555555554444');
    expect(lines[0]).toMatchObject({
      message: 'payment provider said: card ************1111 of j***@example.com declined',
      request: { body: '{"customerEmail":"j***@example.com","note":"pay with ************4444"}' },
      orderId: 'ORD-20261125-000123',
    });
  });
});
