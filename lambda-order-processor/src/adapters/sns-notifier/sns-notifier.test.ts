import { notificationFor, type OrderNotification } from '../../domain/events/notification.js';
import { orderEvent } from '../../domain/events/order-event.js';
import { storedOrderFixture } from '../../../test/fixtures/stored-orders.js';
import { SNSClient } from '@aws-sdk/client-sns';
import { FAKE_SNS_CREDENTIALS, SNS_ERRORS, startFakeSnsServer, type FakeSnsServer } from '../../../test/support/fake-sns-server.js';
import { SnsNotifier, notificationSubject } from './sns-notifier.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orderops-order-events';
const FIFO_TOPIC = 'arn:aws:sns:us-east-1:123456789012:orderops-order-events.fifo';

function rejectedNotification(orderId: string): OrderNotification {
  const order = storedOrderFixture({
    orderId,
    status: 'REJECTED',
    customerEmail: 'jane.miller@example.com',
    request: { cardLast4: '7319' },
  });
  return notificationFor(orderEvent('ORDER_SCREENED', order, '2026-11-25T10:00:00.000Z'));
}

describe('SnsNotifier (real SNSClient against a local SNS query-protocol server)', () => {
  let sns: FakeSnsServer;
  beforeEach(async () => {
    sns = await startFakeSnsServer([TOPIC, FIFO_TOPIC]);
  });
  afterEach(async () => {
    await sns.close();
  });

  it('publishes the notification as JSON with status, eventType and orderId attributes', async () => {
    const notification = rejectedNotification('ORD-SNS-1');
    await new SnsNotifier(sns.client(), TOPIC).publish(notification);

    expect(sns.published).toHaveLength(1);
    const [published] = sns.published;
    expect(published?.topicArn).toBe(TOPIC);
    expect(JSON.parse(published?.message ?? '')).toEqual(notification);
    expect(published?.subject).toBe('OrderOps order ORD-SNS-1 REJECTED');
    expect(published?.attributes).toEqual({
      status: { dataType: 'String', stringValue: 'REJECTED' },
      eventType: { dataType: 'String', stringValue: 'ORDER_SCREENED' },
      orderId: { dataType: 'String', stringValue: 'ORD-SNS-1' },
    });
    // A standard topic gets no FIFO fields.
    expect(published?.messageGroupId).toBeNull();
    expect(published?.messageDeduplicationId).toBeNull();
  });

  it('never lets the email address or card digits reach the published message', async () => {
    const notification = rejectedNotification('ORD-SNS-2');
    const notifier = new SnsNotifier(sns.client(), TOPIC);
    await notifier.publish(notification);
    // Even a notification that was not masked upstream leaves masked.
    await notifier.publish({ ...notification, customerEmail: 'jane.miller@example.com' });

    expect(sns.published).toHaveLength(2);
    for (const published of sns.published) {
      const raw = decodeURIComponent(published.rawBody.replace(/\+/g, ' '));
      expect(raw).not.toContain('jane.miller');
      expect(raw).not.toContain('7319');
      expect((JSON.parse(published.message) as OrderNotification).customerEmail).toBe('j***@example.com');
    }
  });

  it('on a FIFO topic groups by order and deduplicates by event id, the same on redelivery', async () => {
    const notification = rejectedNotification('ORD-SNS-3');
    const notifier = new SnsNotifier(sns.client(), FIFO_TOPIC);
    await notifier.publish(notification);
    await notifier.publish(notification);

    expect(sns.published.map((published) => [published.messageGroupId, published.messageDeduplicationId])).toEqual([
      ['ORD-SNS-3', 'ORD-SNS-3:ORDER_SCREENED:REJECTED'],
      ['ORD-SNS-3', 'ORD-SNS-3:ORDER_SCREENED:REJECTED'],
    ]);
    expect(sns.published[0]?.attributes.status).toEqual({ dataType: 'String', stringValue: 'REJECTED' });
  });

  it('surfaces NotFound for a topic that does not exist', async () => {
    const notifier = new SnsNotifier(sns.client(), 'arn:aws:sns:us-east-1:123456789012:no-such-topic');
    await expect(notifier.publish(rejectedNotification('ORD-SNS-4'))).rejects.toMatchObject({
      name: 'NotFoundException',
      message: 'Topic does not exist',
      $metadata: { httpStatusCode: 404 },
    });
    expect(sns.published).toHaveLength(0);
  });

  it.each([
    ['HTTP 400', SNS_ERRORS.throttling],
    ['HTTP 429', SNS_ERRORS.throttling429],
  ])('surfaces throttling (%s) once the SDK has spent its bounded attempts', async (_label, reply) => {
    sns.fail(reply);
    const notifier = new SnsNotifier(sns.client({ maxAttempts: 2 }), TOPIC);
    await expect(notifier.publish(rejectedNotification('ORD-SNS-5'))).rejects.toMatchObject({
      name: 'Throttling',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: reply.httpStatus, attempts: 2 },
    });
    expect(sns.requestCount()).toBe(2);
    expect(sns.published).toHaveLength(0);
  });

  it('succeeds when a 500 clears within the attempts, and publishes after recovery', async () => {
    sns.fail(SNS_ERRORS.internal, 1);
    const notifier = new SnsNotifier(sns.client({ maxAttempts: 2 }), TOPIC);
    await notifier.publish(rejectedNotification('ORD-SNS-6'));
    expect(sns.requestCount()).toBe(2);
    expect(sns.published.map((published) => published.attributes.orderId?.stringValue)).toEqual(['ORD-SNS-6']);

    sns.fail(SNS_ERRORS.internal);
    const once = new SnsNotifier(sns.client({ maxAttempts: 1 }), TOPIC);
    await expect(once.publish(rejectedNotification('ORD-SNS-7'))).rejects.toMatchObject({ name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } });
    sns.recover();
    await once.publish(rejectedNotification('ORD-SNS-7'));
    expect(sns.published.map((published) => published.attributes.orderId?.stringValue)).toEqual(['ORD-SNS-6', 'ORD-SNS-7']);
  });
});

describe('SnsNotifier when SNS misbehaves', () => {
  let sns: FakeSnsServer;
  beforeEach(async () => {
    sns = await startFakeSnsServer([TOPIC]);
  });
  afterEach(async () => {
    await sns.close();
  });

  it('fails on an answer that is not SNS XML instead of counting it as published', async () => {
    sns.answerGarbage(1);
    const notifier = new SnsNotifier(sns.client(), TOPIC);
    await expect(notifier.publish(rejectedNotification('ORD-SNS-8'))).rejects.toThrow(/XML parse error/);
    expect(sns.published).toHaveLength(0);
    await notifier.publish(rejectedNotification('ORD-SNS-8'));
    expect(sns.published).toHaveLength(1);
  });

  it('gives up on a server that never answers within the request timeout', async () => {
    sns.hang();
    const client = new SNSClient({
      region: 'us-east-1',
      endpoint: sns.endpoint,
      credentials: FAKE_SNS_CREDENTIALS,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    try {
      const started = Date.now();
      await expect(new SnsNotifier(client, TOPIC).publish(rejectedNotification('ORD-SNS-9'))).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(sns.published).toHaveLength(0);
    } finally {
      client.destroy();
    }
  });
});

describe('notificationSubject', () => {
  it('is printable ASCII under 100 characters', () => {
    expect(notificationSubject({ orderId: 'ORD-1', status: 'APPROVED' })).toBe('OrderOps order ORD-1 APPROVED');
    const long = notificationSubject({ orderId: `ORD-${'é'.repeat(120)}`, status: 'PENDING_REVIEW' });
    expect(long).toHaveLength(99);
    expect(long).toMatch(/^[\x20-\x7e]+$/);
  });
});
