import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs on the embedded defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      store: 'sqlite',
      archive: 'fs',
      notifier: 'file',
      aiProvider: 'none',
      aiMode: 'gray-zone',
      notifyWebhookUrl: null,
      outboxDelivery: 'inline',
      dataDir: path.resolve('.data'),
      screening: { thresholds: { rejectBelow: 4, approveFrom: 7 }, velocity: { customerMaxOrders: 3, cardMaxOtherCustomers: 1, addressMaxOtherCustomers: 3 } },
      velocityWindows: { customerSeconds: 600, cardSeconds: 3600, addressSeconds: 86400 },
      deployment: { region: 'us-east-1', lambdaMemoryMb: 512, lambdaArchitecture: 'arm64', apiType: 'HTTP' },
    });
    expect(config.sqliteFile).toBe(path.join(path.resolve('.data'), 'orderops.sqlite'));
  });

  it('reads thresholds, windows and the deployment profile', () => {
    const config = loadConfig({
      DATA_DIR: '/tmp/x',
      REJECT_BELOW_SCORE: '3.5',
      APPROVE_FROM_SCORE: '8',
      VELOCITY_CUSTOMER_WINDOW_SECONDS: '120',
      LAMBDA_MEMORY_MB: '1024',
      LAMBDA_ARCHITECTURE: 'x86_64',
      API_TYPE: 'REST',
      NOTIFY_WEBHOOK_URL: 'https://hooks.example/orders',
    });
    expect(config.screening.thresholds).toEqual({ rejectBelow: 3.5, approveFrom: 8 });
    expect(config.velocityWindows.customerSeconds).toBe(120);
    expect(config.deployment).toMatchObject({ lambdaMemoryMb: 1024, lambdaArchitecture: 'x86_64', apiType: 'REST' });
    expect(config.notifyWebhookUrl).toBe('https://hooks.example/orders');
    expect(config.archiveDir).toBe('/tmp/x/archive');
  });

  it('prefers the memory Lambda reports over the configured one', () => {
    expect(loadConfig({ LAMBDA_MEMORY_MB: '1024', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256' }).deployment.lambdaMemoryMb).toBe(256);
  });

  it.each([
    [{ STORE: 'postgres' }, /STORE=postgres is not supported here; use one of: sqlite/],
    [{ AI_MODE: 'sometimes' }, /AI_MODE=sometimes/],
    [{ REJECT_BELOW_SCORE: 'abc' }, /REJECT_BELOW_SCORE=abc must be a number from 0 to 10/],
    [{ REJECT_BELOW_SCORE: '8', APPROVE_FROM_SCORE: '5' }, /must not exceed APPROVE_FROM_SCORE/],
    [{ LAMBDA_MEMORY_MB: '100' }, /LAMBDA_MEMORY_MB=100 must be an integer from 128 to 10240/],
    [{ VELOCITY_CARD_WINDOW_SECONDS: '1.5' }, /must be an integer/],
    [{ NOTIFY_WEBHOOK_URL: 'not a url' }, /NOTIFY_WEBHOOK_URL=not a url is not a valid URL/],
    [{ NOTIFY_WEBHOOK_URL: 'file:///etc/passwd' }, /must be an http\(s\) URL/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
