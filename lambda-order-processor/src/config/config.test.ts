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

  it('reads the S3 archive and the SNS notifier settings', () => {
    const config = loadConfig({
      ARCHIVE: 's3',
      ARCHIVE_BUCKET: 'orderops-archive-123456789012',
      ARCHIVE_PREFIX: '/orders/events',
      ARCHIVE_SSE: 'aws:kms:arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      NOTIFIER: 'sns',
      SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:orderops-order-events.fifo',
    });
    expect(config).toMatchObject({
      archive: 's3',
      archiveBucket: 'orderops-archive-123456789012',
      archivePrefix: 'orders/events/',
      archiveEncryption: { mode: 'aws:kms', kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
      notifier: 'sns',
      snsTopicArn: 'arn:aws:sns:us-east-1:123456789012:orderops-order-events.fifo',
    });
    expect(loadConfig({ ARCHIVE: 's3', ARCHIVE_BUCKET: 'orders.archive' })).toMatchObject({ archivePrefix: '', archiveEncryption: { mode: 'AES256' } });
    expect(loadConfig({ ARCHIVE: 's3', ARCHIVE_BUCKET: 'b-1', ARCHIVE_SSE: 'aws:kms' }).archiveEncryption).toEqual({ mode: 'aws:kms', kmsKeyId: null });
    // The local adapters ignore the AWS settings.
    expect(loadConfig({ ARCHIVE_BUCKET: 'Not Valid', SNS_TOPIC_ARN: 'nope' })).toMatchObject({ archive: 'fs', archiveBucket: null, notifier: 'file', snsTopicArn: null });
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
    [{ ARCHIVE: 'gcs' }, /ARCHIVE=gcs is not supported here; use one of: fs, s3/],
    [{ ARCHIVE: 's3' }, /ARCHIVE_BUCKET is required when ARCHIVE=s3/],
    [{ ARCHIVE: 's3', ARCHIVE_BUCKET: 'Orders_Archive' }, /ARCHIVE_BUCKET=Orders_Archive is not a valid S3 bucket name/],
    [{ ARCHIVE: 's3', ARCHIVE_BUCKET: '192.168.1.10' }, /not a valid S3 bucket name/],
    [{ ARCHIVE: 's3', ARCHIVE_BUCKET: 'orders', ARCHIVE_PREFIX: 'orders/../secrets' }, /ARCHIVE_PREFIX=orders\/..\/secrets must be a plain key prefix/],
    [{ ARCHIVE: 's3', ARCHIVE_BUCKET: 'orders', ARCHIVE_PREFIX: 'a//b' }, /ARCHIVE_PREFIX=a\/\/b must be a plain key prefix/],
    [{ ARCHIVE: 's3', ARCHIVE_BUCKET: 'orders', ARCHIVE_SSE: 'aws:kms:' }, /ARCHIVE_SSE=aws:kms: is not supported; use AES256, aws:kms or aws:kms:<key id, alias or ARN>/],
    [{ ARCHIVE: 's3', ARCHIVE_BUCKET: 'orders', ARCHIVE_SSE: 'SSE-C' }, /ARCHIVE_SSE=SSE-C is not supported/],
    [{ NOTIFIER: 'sqs' }, /NOTIFIER=sqs is not supported here; use one of: file, sns/],
    [{ NOTIFIER: 'sns' }, /SNS_TOPIC_ARN is required when NOTIFIER=sns/],
    [{ NOTIFIER: 'sns', SNS_TOPIC_ARN: 'arn:aws:sqs:us-east-1:123456789012:queue' }, /SNS_TOPIC_ARN=arn:aws:sqs:us-east-1:123456789012:queue is not an SNS topic ARN/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
