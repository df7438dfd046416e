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

  it('reads the AI analyst settings: Bedrock by default model, any priced Converse model, the endpoint override', () => {
    expect(loadConfig({})).toMatchObject({ aiProvider: 'none', aiMode: 'gray-zone', aiTimeoutMs: 2000, bedrockModelId: 'amazon.nova-micro-v1:0', bedrockEndpointUrl: null, openai: null });
    expect(
      loadConfig({
        AI_PROVIDER: 'bedrock',
        AI_MODE: 'always',
        AI_TIMEOUT_MS: '1500',
        BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0',
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'https://bedrock-runtime.vpce.example:443',
      }),
    ).toMatchObject({
      aiProvider: 'bedrock',
      aiMode: 'always',
      aiTimeoutMs: 1500,
      bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      bedrockEndpointUrl: 'https://bedrock-runtime.vpce.example/',
      openai: null,
    });
    expect(loadConfig({ AI_PROVIDER: 'bedrock', AI_MODE: 'never' })).toMatchObject({ aiMode: 'never', bedrockModelId: 'amazon.nova-micro-v1:0' });
  });

  it('reads the OpenAI-compatible server settings (the key is optional)', () => {
    expect(loadConfig({ AI_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'llama3.1:8b' }).openai).toEqual({
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3.1:8b',
      apiKey: null,
    });
    expect(loadConfig({ AI_PROVIDER: 'openai', OPENAI_BASE_URL: 'https://api.example/v1', OPENAI_MODEL: 'm', OPENAI_API_KEY: ' sk-1 ' }).openai?.apiKey).toBe('sk-1');
    // Settings of a provider that is not chosen are not read (a bad one does not stop start-up).
    expect(loadConfig({ BEDROCK_MODEL_ID: 'amazon.titan-text-express-v1', AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'nope', OPENAI_BASE_URL: 'nope' })).toMatchObject({
      aiProvider: 'none',
      bedrockEndpointUrl: null,
      openai: null,
    });
  });

  it('reads the DynamoDB store settings: table, endpoint override, rollup shards', () => {
    expect(loadConfig({ STORE: 'dynamodb', ORDERS_TABLE: 'orderops-orders-prod', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', ROLLUP_SHARDS: '25' })).toMatchObject({
      store: 'dynamodb',
      ordersTable: 'orderops-orders-prod',
      dynamodbEndpointUrl: 'http://127.0.0.1:8000/',
      rollupShards: 25,
    });
    expect(loadConfig({ STORE: 'dynamodb', ORDERS_TABLE: 'orders.v2_eu-west-1' })).toMatchObject({ ordersTable: 'orders.v2_eu-west-1', dynamodbEndpointUrl: null, rollupShards: 10 });
    // SQLite ignores the DynamoDB settings.
    expect(loadConfig({ ORDERS_TABLE: 'x', DYNAMODB_ENDPOINT: 'not a url' })).toMatchObject({ store: 'sqlite', ordersTable: null, dynamodbEndpointUrl: null, rollupShards: 10 });
  });

  it('prefers the memory Lambda reports over the configured one', () => {
    expect(loadConfig({ LAMBDA_MEMORY_MB: '1024', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256' }).deployment.lambdaMemoryMb).toBe(256);
  });

  it.each([
    [{ STORE: 'postgres' }, /STORE=postgres is not supported here; use one of: sqlite, dynamodb/],
    [{ STORE: 'dynamodb' }, /ORDERS_TABLE is required when STORE=dynamodb/],
    [{ STORE: 'dynamodb', ORDERS_TABLE: 'orders table' }, /ORDERS_TABLE=orders table is not a valid DynamoDB table name/],
    [{ STORE: 'dynamodb', ORDERS_TABLE: 'ab' }, /ORDERS_TABLE=ab is not a valid DynamoDB table name/],
    [{ STORE: 'dynamodb', ORDERS_TABLE: 'orders', DYNAMODB_ENDPOINT: 'localhost:8000' }, /DYNAMODB_ENDPOINT must be an http\(s\) URL/],
    [{ ROLLUP_SHARDS: '0' }, /ROLLUP_SHARDS=0 must be an integer from 1 to 100/],
    [{ ROLLUP_SHARDS: '101' }, /ROLLUP_SHARDS=101 must be an integer from 1 to 100/],
    [{ ROLLUP_SHARDS: '2.5' }, /ROLLUP_SHARDS=2.5 must be an integer/],
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
    [{ AI_PROVIDER: 'anthropic' }, /AI_PROVIDER=anthropic is not supported here; use one of: none, bedrock, openai/],
    [{ AI_MODE: 'gray' }, /AI_MODE=gray is not supported here; use one of: gray-zone, always, never/],
    [{ AI_TIMEOUT_MS: 'soon' }, /AI_TIMEOUT_MS=soon must be an integer from 50 to 25000/],
    [{ AI_TIMEOUT_MS: '0' }, /AI_TIMEOUT_MS=0 must be an integer from 50 to 25000/],
    [{ AI_TIMEOUT_MS: '2500.5' }, /AI_TIMEOUT_MS=2500.5 must be an integer/],
    [{ AI_TIMEOUT_MS: '30000' }, /AI_TIMEOUT_MS=30000 must be an integer from 50 to 25000/],
    [
      { AI_PROVIDER: 'bedrock', BEDROCK_MODEL_ID: 'amazon.titan-text-express-v1' },
      /BEDROCK_MODEL_ID=amazon.titan-text-express-v1: Bedrock model "amazon.titan-text-express-v1" has no input\/output price in the catalog; priced models: amazon.nova-micro-v1:0, /,
    ],
    [{ AI_PROVIDER: 'bedrock', AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'localhost:4566' }, /AWS_ENDPOINT_URL_BEDROCK_RUNTIME must be an http\(s\) URL/],
    [{ AI_PROVIDER: 'bedrock', AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'not a url' }, /AWS_ENDPOINT_URL_BEDROCK_RUNTIME=not a url is not a valid URL/],
    [{ AI_PROVIDER: 'openai', OPENAI_MODEL: 'llama3.1:8b' }, /OPENAI_BASE_URL is required when AI_PROVIDER=openai/],
    [{ AI_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://localhost:11434/v1' }, /OPENAI_MODEL is required when AI_PROVIDER=openai/],
    [{ AI_PROVIDER: 'openai', OPENAI_BASE_URL: 'ftp://models.example/v1', OPENAI_MODEL: 'm' }, /OPENAI_BASE_URL must be an http\(s\) URL/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
