import { createAnalyticsApp } from '../../src/app.factory.js';

describe('start-up with a bad configuration', () => {
  it.each([
    [{ ANALYTICS_PORT: '99999' }, 'ANALYTICS_PORT=99999 must be an integer from 0 to 65535'],
    [{ STORE: 'dynamodb' }, 'ORDERS_TABLE is required when STORE=dynamodb'],
    [{ COST_SOURCE: 'focus-file', COST_EXPORT_FILE: '' }, 'COST_EXPORT_FILE is required when COST_SOURCE=focus-file'],
  ])('fails with a message naming the variable: %p', async (env, message) => {
    await expect(createAnalyticsApp({ LOG_LEVEL: 'silent', ...env })).rejects.toThrow(message);
  });
});
