import { existsSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { validOrderBody } from '../fixtures/valid-order.js';
import { SNS_ERRORS, startFakeSnsServer, type FakeSnsServer } from '../support/fake-sns-server.js';
import { useLocalSinkEndpoints } from '../support/local-sink-endpoints.js';
import { startS3rver, type LocalS3 } from '../support/s3rver.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const BUCKET = 'orderops-archive-it';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orderops-order-events';
const AWS_SINKS = { ARCHIVE: 's3', ARCHIVE_BUCKET: BUCKET, ARCHIVE_PREFIX: 'orders/', NOTIFIER: 'sns', SNS_TOPIC_ARN: TOPIC };

const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * The order API with ARCHIVE=s3 and NOTIFIER=sns, wired by the composition root exactly as in AWS:
 * the SDK finds s3rver and the local SNS server through its standard endpoint variables.
 */
describe('order events archived to S3 (s3rver) and published to SNS (local SNS server)', () => {
  let s3: LocalS3;
  let s3Client: S3Client;
  let sns: FakeSnsServer;
  let api: TestApi;
  let restoreEnv: () => void;

  beforeAll(async () => {
    s3 = await startS3rver([BUCKET]);
    s3Client = s3.client();
    sns = await startFakeSnsServer([TOPIC]);
    restoreEnv = useLocalSinkEndpoints(s3, sns);
  });
  afterAll(async () => {
    restoreEnv();
    await sns.close();
    await s3.close();
  });
  beforeEach(() => {
    sns.recover();
    sns.published.length = 0;
  });
  afterEach(async () => {
    await api.stop();
  });

  async function archived(key: string): Promise<Record<string, unknown>> {
    const object = await s3Client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(object.ContentType).toBe('application/json');
    return JSON.parse((await object.Body?.transformToString()) ?? '') as Record<string, unknown>;
  }

  it('archives the order at its deterministic key and publishes one notification with the status attribute', async () => {
    api = await startTestApi(AWS_SINKS);
    const response = await api.post('/orders', validOrderBody({ orderId: 'AWS-SINKS-1' }));
    expect(response.status).toBe(200);
    const status = response.body.status as string;
    await api.drainOutbox();

    expect(await api.outbox.pendingCount()).toBe(0);
    const record = await archived(`orders/${status}/${today()}/AWS-SINKS-1.json`);
    expect(record).toMatchObject({ orderId: 'AWS-SINKS-1', status, customerId: 'CUST-48213' });

    expect(sns.published).toHaveLength(1);
    const [published] = sns.published;
    expect(published?.topicArn).toBe(TOPIC);
    expect(published?.attributes.status).toEqual({ dataType: 'String', stringValue: status });
    expect(published?.attributes.orderId).toEqual({ dataType: 'String', stringValue: 'AWS-SINKS-1' });
    expect(JSON.parse(published?.message ?? '')).toMatchObject({ orderId: 'AWS-SINKS-1', status, customerEmail: 'j***@example.com' });
    expect(published?.rawBody).not.toContain('jane.miller');

    // The local adapters were not used.
    expect(existsSync(path.join(api.dataDir, 'archive'))).toBe(false);
    expect(existsSync(path.join(api.dataDir, 'notifications.jsonl'))).toBe(false);
  });

  it('keeps the event pending while SNS answers errors, and delivers it once when SNS recovers', async () => {
    api = await startTestApi(AWS_SINKS, { dispatcher: { baseBackoffMs: 1, maxBackoffMs: 5 } });
    sns.fail(SNS_ERRORS.throttling);
    const response = await api.post('/orders', validOrderBody({ orderId: 'AWS-SINKS-2' }));
    expect(response.status).toBe(200);
    const status = response.body.status as string;

    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await api.dispatcher.drainOnce(new Date(Date.now() + attempt * 60_000));
    }
    expect(sns.published).toHaveLength(0);
    expect(sns.requestCount()).toBeGreaterThanOrEqual(3);
    expect(await api.outbox.pendingCount()).toBe(1);
    const [entry] = await api.outbox.due(new Date(Date.now() + 3_600_000), 10);
    expect(entry?.attempts).toBeGreaterThanOrEqual(3);
    // The archive succeeded on the first attempt and is not written again.
    expect(entry?.delivered).toEqual(['archive']);
    expect(await archived(`orders/${status}/${today()}/AWS-SINKS-2.json`)).toMatchObject({ orderId: 'AWS-SINKS-2' });

    sns.recover();
    await api.dispatcher.drainOnce(new Date(Date.now() + 3_600_000));
    expect(await api.outbox.pendingCount()).toBe(0);
    expect(sns.published.map((published) => published.attributes.orderId?.stringValue)).toEqual(['AWS-SINKS-2']);
    const listing = await s3Client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `orders/${status}/${today()}/AWS-SINKS-2` }));
    expect(listing.KeyCount).toBe(1);
  });
});
