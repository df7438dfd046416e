import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { archiveKey, orderEvent } from '../../domain/events/order-event.js';
import { storedOrderFixture } from '../../../test/fixtures/stored-orders.js';
import { startS3rver, type LocalS3 } from '../../../test/support/s3rver.js';
import { S3Archive } from './s3-archive.js';

const BUCKET = 'orderops-archive-test';

describe('S3Archive (against s3rver)', () => {
  let s3: LocalS3;
  let client: S3Client;
  beforeAll(async () => {
    s3 = await startS3rver([BUCKET]);
    client = s3.client();
  });
  afterAll(async () => {
    await s3.close();
  });
  beforeEach(() => {
    s3.requests.length = 0;
  });

  async function read(key: string): Promise<{ body: string; contentType: string | undefined; metadata: Record<string, string> | undefined; etag: string | undefined }> {
    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return { body: (await object.Body?.transformToString()) ?? '', contentType: object.ContentType, metadata: object.Metadata, etag: object.ETag };
  }

  it('stores the order record as JSON under its deterministic key, with metadata and SSE-S3', async () => {
    const order = storedOrderFixture({ orderId: 'ORD-S3-1', status: 'APPROVED', day: '2026-11-25' });
    const key = archiveKey(orderEvent('ORDER_SCREENED', order, '2026-11-25T10:00:00.000Z'));
    expect(key).toBe('APPROVED/2026-11-25/ORD-S3-1.json');

    await new S3Archive(client, { bucket: BUCKET, prefix: 'orders' }).put(key, order);

    const stored = await read('orders/APPROVED/2026-11-25/ORD-S3-1.json');
    expect(JSON.parse(stored.body)).toEqual(order);
    expect(stored.contentType).toBe('application/json');
    expect(stored.metadata).toEqual({ status: 'APPROVED', 'order-id': 'ORD-S3-1' });
    const [put] = s3.requests;
    expect(put).toMatchObject({ method: 'PUT', path: `/${BUCKET}/orders/APPROVED/2026-11-25/ORD-S3-1.json` });
    expect(put?.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect(put?.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBeUndefined();
  });

  it('overwrites on redelivery with identical bytes, and with the new content when the document changed', async () => {
    const archive = new S3Archive(client, { bucket: BUCKET, prefix: 'redelivery/' });
    const order = storedOrderFixture({ orderId: 'ORD-S3-2', status: 'PENDING_REVIEW', day: '2026-11-25' });
    const key = 'PENDING_REVIEW/2026-11-25/ORD-S3-2.json';

    await archive.put(key, order);
    const first = await read(`redelivery/${key}`);
    await archive.put(key, order);
    const second = await read(`redelivery/${key}`);
    expect(second.body).toBe(first.body);
    expect(second.etag).toBe(first.etag);

    await archive.put(key, { ...order, score: 9.5 });
    expect((JSON.parse((await read(`redelivery/${key}`)).body) as { score: number }).score).toBe(9.5);
    const listing = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'redelivery/' }));
    expect(listing.Contents?.map((object) => object.Key)).toEqual([`redelivery/${key}`]);
  });

  it('asks for SSE-KMS with the configured key and a bucket key', async () => {
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const archive = new S3Archive(client, { bucket: BUCKET, encryption: { mode: 'aws:kms', kmsKeyId: keyArn } });
    await archive.put('REJECTED/2026-11-25/ORD-S3-3.json', { orderId: 'ORD-S3-3', status: 'REJECTED' });

    const [put] = s3.requests;
    expect(put?.path).toBe(`/${BUCKET}/REJECTED/2026-11-25/ORD-S3-3.json`);
    expect(put?.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(put?.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe(keyArn);
    expect(put?.headers['x-amz-server-side-encryption-bucket-key-enabled']).toBe('true');
    expect(JSON.parse((await read('REJECTED/2026-11-25/ORD-S3-3.json')).body)).toEqual({ orderId: 'ORD-S3-3', status: 'REJECTED' });
  });

  it('leaves out metadata the document does not carry or that is not header-safe', async () => {
    const archive = new S3Archive(client, { bucket: BUCKET });
    await archive.put('misc/plain.json', [1, 2, 3]);
    await archive.put('misc/odd.json', { orderId: 'ÖRD-1', status: 'APPROVED' });
    expect((await read('misc/plain.json')).metadata).toEqual({});
    expect((await read('misc/odd.json')).metadata).toEqual({ status: 'APPROVED' });
  });

  it('propagates the error when the bucket does not exist', async () => {
    const archive = new S3Archive(client, { bucket: 'no-such-bucket' });
    await expect(archive.put('APPROVED/2026-11-25/ORD-S3-4.json', { orderId: 'ORD-S3-4' })).rejects.toMatchObject({
      name: 'NoSuchBucket',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('propagates the refusal when the credentials are wrong', async () => {
    const stranger = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDWRONG', secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    try {
      await expect(new S3Archive(stranger, { bucket: BUCKET }).put('APPROVED/2026-11-25/ORD-S3-7.json', {})).rejects.toMatchObject({
        name: 'InvalidAccessKeyId',
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      stranger.destroy();
    }
  });

  it.each(['../outside.json', '/etc/evil.json', 'APPROVED/../../x.json', 'APPROVED//x.json', 'APPROVED/./x.json', 'a\\b.json', 'line\nbreak.json', ''])(
    'refuses the unsafe key %j without sending anything',
    async (key) => {
      await expect(new S3Archive(client, { bucket: BUCKET, prefix: 'orders' }).put(key, {})).rejects.toThrow(/not a safe object key/);
      expect(s3.requests).toHaveLength(0);
    },
  );

  it('refuses keys over 1024 bytes and documents that are not JSON', async () => {
    const archive = new S3Archive(client, { bucket: BUCKET, prefix: 'orders' });
    await expect(archive.put(`${'x'.repeat(1020)}.json`, {})).rejects.toThrow(/longer than 1024 bytes/);
    await expect(archive.put('APPROVED/2026-11-25/ORD-S3-5.json', undefined)).rejects.toThrow(/is not JSON/);
    expect(s3.requests).toHaveLength(0);
  });

  it('propagates a connection failure when the server is gone', async () => {
    const gone = await startS3rver([BUCKET]);
    const goneClient = gone.client();
    await gone.close();
    await expect(new S3Archive(goneClient, { bucket: BUCKET }).put('APPROVED/2026-11-25/ORD-S3-6.json', {})).rejects.toThrow(/ECONNREFUSED/);
  });
});
