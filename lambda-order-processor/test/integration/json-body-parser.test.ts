import { startTestApi, type TestApi } from '../support/test-api.js';

/**
 * The order API parses JSON bodies without Middy's key-checking reviver when the text cannot spell a
 * forbidden key (handler/order-api.ts jsonBodyParser); these bodies must still take Middy's path.
 */
describe('JSON body parsing: forbidden keys however they are spelled', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.stop();
  });

  const forbidden = { field: 'body', message: 'contains a forbidden key (__proto__, constructor or prototype)' };

  it.each([
    ['__proto__ spelled with a unicode escape', '{"orderId":"ORD-ESC-1","\\u005f_proto__":{"polluted":true}}'],
    ['constructor spelled with unicode escapes', '{"orderId":"ORD-ESC-2","\\u0063onstructor":{"prototype":{"polluted":true}}}'],
    ['a plain __proto__ key inside an item', '{"orderId":"ORD-ESC-3","items":[{"__proto__":{"polluted":true}}]}'],
  ])('%s is refused as a forbidden key', async (_name, rawBody) => {
    const response = await api.postRaw('/orders', rawBody, 'application/json');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([forbidden]);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('answers malformed JSON and a non-JSON media type as Middy does', async () => {
    const malformed = await api.postRaw('/orders', '{"orderId":"ORD-ESC-4",', 'application/json');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'body', message: 'is not valid JSON' }]);
    const text = await api.postRaw('/orders', '{"orderId":"ORD-ESC-5"}', 'text/plain');
    expect(text.status).toBe(415);
  });

  it('parses a body with "constructor" as a plain string value through the checked path', async () => {
    const response = await api.postRaw('/orders', '{"orderId":"ORD-ESC-6","customerId":"constructor"}', 'application/vnd.api+json');
    expect(response.status).toBe(400);
    expect((response.body.errors as { field: string }[]).map((error) => error.field)).not.toContain('body');
  });
});
