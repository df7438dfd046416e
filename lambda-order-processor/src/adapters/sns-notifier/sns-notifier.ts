import { createHash } from 'node:crypto';
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import type { OrderNotification } from '../../domain/events/notification.js';
import { maskEmail } from '../../domain/privacy/redaction.js';
import type { Notifier } from '../../ports/notifier.js';

/** SNS: a Subject is printable ASCII without line breaks, under 100 characters. */
const SUBJECT_MAX_LENGTH = 99;
/** SNS: MessageGroupId and MessageDeduplicationId are 1-128 characters of letters, digits and punctuation. */
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

/** A valid FIFO id for `value`: the value itself when SNS accepts it, else its SHA-256 (still deterministic). */
function fifoId(value: string): string {
  return FIFO_ID.test(value) ? value : createHash('sha256').update(value).digest('hex');
}

export function notificationSubject(notification: Pick<OrderNotification, 'orderId' | 'status'>): string {
  const subject = `OrderOps order ${notification.orderId} ${notification.status}`.replace(/[^\x20-\x7e]/g, '?');
  return subject.length > SUBJECT_MAX_LENGTH ? subject.slice(0, SUBJECT_MAX_LENGTH) : subject;
}

/**
 * Publishes order notifications to an SNS topic. The message is the notification as JSON (personal
 * data masked); `status`, `eventType` and `orderId` travel as message attributes so subscriptions
 * can filter (e.g. `{"status": ["REJECTED", "PENDING_REVIEW"]}`) without parsing the body. On a
 * FIFO topic (ARN ending `.fifo`) the order id is the message group (one order's events stay in
 * order) and the event id the deduplication id (a redelivered event is dropped by SNS). Errors
 * propagate: the caller retries.
 */
export class SnsNotifier implements Notifier {
  private readonly fifo: boolean;

  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {
    this.fifo = topicArn.endsWith('.fifo');
  }

  async publish(notification: OrderNotification): Promise<void> {
    // maskEmail is idempotent: a notification built by notificationFor passes through unchanged,
    // and an unmasked address never reaches email or SMS subscribers.
    const message: OrderNotification = { ...notification, customerEmail: maskEmail(notification.customerEmail) };
    const input: PublishCommandInput = {
      TopicArn: this.topicArn,
      Message: JSON.stringify(message),
      Subject: notificationSubject(notification),
      MessageAttributes: {
        status: { DataType: 'String', StringValue: notification.status },
        eventType: { DataType: 'String', StringValue: notification.type },
        orderId: { DataType: 'String', StringValue: notification.orderId },
      },
    };
    if (this.fifo) {
      input.MessageGroupId = fifoId(notification.orderId);
      input.MessageDeduplicationId = fifoId(notification.eventId);
    }
    await this.client.send(new PublishCommand(input));
  }
}
